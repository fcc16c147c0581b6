"""After the hole: trend, verify and onset over telemetry, the ground leak-test design, and
detection campaigns."""

import pandas as pd

from . import _leakhunt
from ._frames import as_telemetry, to_unix_seconds


def _frame(columns, time_columns):
    """A DataFrame, with a UTC datetime column beside each Unix-seconds one ("end_time" for
    "end_time_s")."""
    f = pd.DataFrame(columns)
    for c in time_columns:
        if c in f:
            f.insert(0, c[: -len("_s")], pd.to_datetime(f[c], unit="s", utc=True))
    return f


def trend(station, telemetry, events=None, period="1 day", min_change="0.2 kg/day"):
    """Leak rate per period (a day by default) per module set, over weeks to years, with the
    changes of rate the change test reports, as ``leakhunt trend`` does.

    Returns a list with one dict per module set: ``modules``, ``points`` (a DataFrame:
    start_time, end_time, leak_rate_kg_s, its sd and 95 % bounds, coverage_s, usable),
    ``changes`` (a DataFrame) and ``scatter_sigma_kg_s``.
    """
    t = as_telemetry(telemetry)
    out = []
    for seg in _leakhunt.trend(station, t._columns(), events, period, min_change):
        seg["points"] = _frame(seg["points"], ["end_time_s", "start_time_s"])
        seg["changes"] = _frame(seg["changes"], ["time_s"])
        out.append(seg)
    return out


def verify(station, telemetry, since, events=None, target="0.05 kg/day", confidence=0.95):
    """After a patch at ``since`` (Unix seconds, ISO 8601 text or a datetime): the residual
    leak rate per segment, its one-sided bounds and the verdict against ``target``."""
    t = as_telemetry(telemetry)
    return _leakhunt.verify(
        station, t._columns(), events, to_unix_seconds(since), target, float(confidence)
    )


def onset(station, telemetry, events=None, search_before="8 h", follow="6 h"):
    """When each alarmed leak began: step, ramp or growth, with a 95 % interval."""
    t = as_telemetry(telemetry)
    return _leakhunt.onset(station, t._columns(), events, search_before, follow)


def ground_test(
    volume,
    pressure,
    duration,
    sensor_resolution,
    temperature_stability="0.1 K",
    temperature="20 degC",
    outside_pressure=0.0,
    cd=0.65,
    hole=None,
):
    """Design a pressure-decay leak test of a module on the ground: the smallest leak it can
    see, and, with ``hole`` (a diameter), whether that hole fails it."""
    return _leakhunt.ground_test(
        volume,
        pressure,
        duration,
        sensor_resolution,
        temperature_stability,
        temperature,
        outside_pressure,
        float(cd),
        hole,
    )


def campaign(spec, runs=-1, leak_free_runs=-1, threads=1):
    """A detection campaign (``leakhunt campaign``) in this process: ``runs`` per size and
    ``leak_free_runs`` (-1: as the spec says). Returns its summary."""
    return _leakhunt.campaign(str(spec), int(runs), int(leak_free_runs), int(threads))
