"""leakhunt for Python: stations, the simulator, the streaming detector and the analyses after
the hole, with numpy arrays and pandas DataFrames.

Numbers are SI (Pa, K, kg/s, m, s); times are Unix seconds (UTC) unless a column says
otherwise. Quantities may also be given as text with a unit, as on the command line:
``period="1 day"``, ``target="0.05 kg/day"``. Errors a user can fix raise
:class:`InputError`, which carries the file, line and column of a description error.

>>> import leakhunt as lh
>>> station = lh.load_station("data/stations/two-module.yaml")
>>> run = lh.simulate(lh.load_scenario("my-scenario.yaml"))
>>> det = lh.Detector(station)
>>> det.push(run.telemetry)
>>> det.finish(); det.alarms
"""

from ._frames import (
    SimulationResult,
    Telemetry,
    as_telemetry,
    to_datetime,
    to_unix_seconds,
)
from ._leakhunt import Scenario, Station
from ._leakhunt import load_scenario as _load_scenario
from ._leakhunt import load_station as _load_station
from ._leakhunt import parse_scenario as _parse_scenario
from ._leakhunt import parse_station as _parse_station
from . import locate
from .analyses import campaign, ground_test, onset, trend, verify
from .detector import Detector
from .errors import InputError
from .simulate import simulate

__all__ = [
    "Detector",
    "InputError",
    "Scenario",
    "SimulationResult",
    "Station",
    "Telemetry",
    "as_telemetry",
    "campaign",
    "ground_test",
    "load_scenario",
    "load_station",
    "locate",
    "onset",
    "parse_scenario",
    "parse_station",
    "simulate",
    "to_datetime",
    "to_unix_seconds",
    "trend",
    "verify",
]


def load_station(path):
    """Read a station description (YAML, docs/formats.md). Raises InputError listing every
    problem, as ``leakhunt check`` would."""
    return _load_station(str(path))


def parse_station(text, file_name="<string>"):
    """A station description from text; ``file_name`` labels the messages."""
    return _parse_station(text, file_name)


def load_scenario(path):
    """Read a scenario (YAML): its station (a path relative to the scenario, or inline), events
    and leaks."""
    return _load_scenario(str(path))


def parse_scenario(text, file_name="<string>", base_dir="."):
    """A scenario from text; ``base_dir`` resolves a ``station:`` path."""
    return _parse_scenario(text, file_name, str(base_dir))
