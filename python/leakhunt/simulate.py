"""The simulator from Python."""

from . import _leakhunt
from ._frames import SimulationResult


def simulate(scenario, truth=False, solver="auto", rtol=1e-8, spin_up=None):
    """Run a scenario to its end.

    ``truth=True`` also returns the noise-free state (pressures, temperatures, partial
    pressures, leak flows). ``spin_up`` (seconds or text, default the scenario runner's 5 days)
    settles CO2 and humidity before the start. ``solver``: "auto", "full" or "reduced". The
    run releases the GIL.
    """
    return SimulationResult(_leakhunt.simulate(scenario, truth, solver, rtol, spin_up))
