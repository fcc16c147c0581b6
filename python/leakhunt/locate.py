"""Localisation: which hatches to close next, and why (``leakhunt locate plan``), and where
the leak is from a record that already holds hatch closures (``leakhunt locate infer``).

Each is asked for by the command's names and rendered by its renderer, so the dictionaries are
the documents the commands print with ``--json`` (docs/schema/locate_plan.schema.json,
locate_infer.schema.json), times in Unix seconds (``alarm_time_s``, ``from_s``, ``to_s``).
"""

from . import _leakhunt
from ._frames import as_telemetry


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


def infer(station, telemetry, events=None, prior="uniform", leak_rate=None):
    """Where the leak is, from telemetry that already holds the crew's hatch closures: every
    stretch of unchanged hatches and crew the log (``events``: a Scenario or the path of an
    events file) shows after the alarm is read as a test. Returns the alarm, each window read
    with the posterior after it, the status (``cornered``, ``no-safe-test``, ``planning``) and
    the most likely module. ``leak_rate`` (kg/s or text with a unit) reads with a known rate
    instead of the alarm's."""
    t = as_telemetry(telemetry)
    return _leakhunt.locate_infer(station, t._columns(), events, prior, leak_rate)
