"""Telemetry between numpy, pandas and the compiled module: one long table of samples
(time, channel, value), the shape of leakhunt's telemetry files."""

import datetime as _dt

import numpy as np
import pandas as pd


class Telemetry:
    """Samples as three columns plus the channel names the codes index.

    ``time_s``: Unix seconds (float64); ``code``: int32 index into ``channels``; ``value``: SI.
    ``frame()`` gives a DataFrame with a UTC ``time`` column and a categorical ``channel``.
    """

    def __init__(self, time_s, code, value, channels):
        self.time_s = np.asarray(time_s, dtype=np.float64)
        self.code = np.asarray(code, dtype=np.int32)
        self.value = np.asarray(value, dtype=np.float64)
        self.channels = list(channels)
        if not (len(self.time_s) == len(self.code) == len(self.value)):
            raise ValueError("time_s, code and value must be of one length")

    def __len__(self):
        return len(self.time_s)

    def frame(self):
        """A DataFrame: time (UTC), time_s, channel (categorical), value."""
        channel = pd.Categorical.from_codes(self.code, categories=self.channels)
        return pd.DataFrame(
            {
                "time": pd.to_datetime(self.time_s, unit="s", utc=True),
                "time_s": self.time_s,
                "channel": channel,
                "value": self.value,
            }
        )

    def wide(self):
        """One column per channel, one row per time (NaN where a channel has no sample)."""
        f = self.frame()
        return f.pivot_table(index="time", columns="channel", values="value", observed=True)

    def select(self, mask):
        return Telemetry(self.time_s[mask], self.code[mask], self.value[mask], self.channels)

    def _columns(self):
        return (self.time_s, self.code, self.value, self.channels)


def as_telemetry(data, channels=None, values=None):
    """Telemetry from what an analyst holds:

    - a :class:`Telemetry`;
    - a DataFrame with ``channel`` and ``value`` columns and a ``time_s`` (Unix seconds) or
      ``time`` (datetime) column, as :meth:`Telemetry.frame` or ``pandas.read_csv`` of a
      leakhunt CSV gives;
    - three arrays: ``as_telemetry(times, channels, values)``, with channel names (or a pandas
      Categorical).
    """
    if isinstance(data, Telemetry):
        return data
    if isinstance(data, pd.DataFrame):
        if "time_s" in data:
            times = data["time_s"].to_numpy(dtype=np.float64)
        elif "time" in data:
            times = to_unix_seconds(data["time"])
        else:
            raise ValueError("telemetry frame: needs a 'time_s' or 'time' column")
        return _from_names(times, data["channel"], data["value"])
    if channels is None or values is None:
        raise ValueError("give a Telemetry, a DataFrame, or (times, channels, values)")
    return _from_names(np.asarray(data, dtype=np.float64), channels, values)


def _from_names(times, channels, values):
    cat = pd.Categorical(channels)
    return Telemetry(
        times,
        cat.codes.astype(np.int32),
        np.asarray(values, dtype=np.float64),
        [str(c) for c in cat.categories],
    )


def to_unix_seconds(t):
    """Unix seconds from a number, an ISO 8601 string, a datetime or a pandas Timestamp (or a
    Series/array of them). Naive datetimes are taken as UTC."""
    if isinstance(t, (int, float, np.integer, np.floating)):
        return float(t)
    if isinstance(t, (str, _dt.datetime, pd.Timestamp)):
        ts = pd.Timestamp(t)
        if ts.tzinfo is None:
            ts = ts.tz_localize("UTC")
        return ts.value / 1e9
    s = pd.to_datetime(pd.Series(t), utc=True)
    return (s.astype("int64").to_numpy() / 1e9).astype(np.float64)


def to_datetime(unix_s):
    """A UTC pandas Timestamp from Unix seconds."""
    return pd.Timestamp(unix_s, unit="s", tz="UTC")


class SimulationResult:
    """What :func:`leakhunt.simulate` returns: ``telemetry`` (what the sensors read), ``truth``
    (the noise-free state, when asked for), ``segments`` (each segment over the last hour) and
    ``solver``."""

    def __init__(self, raw):
        t = raw["telemetry"]
        self.telemetry = Telemetry(t["time_s"], t["channel"], t["value"], t["channels"])
        self.truth = None
        if "truth" in raw:
            r = raw["truth"]
            self.truth = Telemetry(r["time_s"], r["channel"], r["value"], r["channels"])
        self.segments = pd.DataFrame(raw["segments"])
        self.solver = raw["solver"]
        self.start_unix_s = raw["start_unix_s"]

    def __repr__(self):
        truth = f", {len(self.truth)} truth samples" if self.truth is not None else ""
        return f"<leakhunt.SimulationResult: {len(self.telemetry)} telemetry samples{truth}>"
