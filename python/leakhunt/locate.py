"""Localisation: which hatches to close next, and why (``leakhunt locate plan``).

The plan is asked for by the command's names and rendered by its renderer, so the dictionary
is the document ``leakhunt locate plan --json`` prints (docs/schema/locate_plan.schema.json).
"""

from . import _leakhunt


def plan(station, leak_rate, strategy="information", prior="uniform", suspects=None,
         crew_at=None, muster=True):
    """The adaptive isolation plan for a leak of ``leak_rate`` (kg/s, or text with a unit such
    as ``"1.4 kg/day"``): a tree of steps, each with the hatches to close, the dwell, the
    segments to read and the branch each outcome leads to.

    ``strategy``: ``information`` (default), ``halving`` or ``crew-2018``. ``prior``:
    ``uniform``, ``volume`` or ``wall-area``. ``suspects``: module ids that may hold the leak
    (default: the largest segment the declared hatches make). ``crew_at``: ``{crew id: module
    id}`` where the crew is; given, the crew is not first mustered in their lifeboats
    (``muster=False`` skips the muster too).
    """
    crew = [f"{who}={where}" for who, where in (crew_at or {}).items()]
    return _leakhunt.locate_plan(station, leak_rate, strategy, prior, list(suspects or []), crew,
                                 bool(muster))
