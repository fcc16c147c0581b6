"""The streaming leak detector from Python."""

import numpy as np
import pandas as pd

from . import _leakhunt
from ._frames import as_telemetry
from .errors import InputError


class Detector:
    """The detector of ``leakhunt detect``, fed samples as they come.

    ``Detector(station, events=None, false_alarms_per_year=1.0, cd=0.65)``. ``events`` is the
    station's log: None, a Scenario (its logged part only: never its leaks) or the path of a
    scenario or events file.

    ``push(telemetry)`` takes a :class:`leakhunt.Telemetry`, a DataFrame, or
    ``push(times, channels, values)`` arrays, in time order. Channels the station does not
    list are counted in ``unmatched`` and left out. ``finish()`` closes the last block.
    Results: ``alarms`` (one dict per alarm, as it was raised), ``detections`` (each alarm's
    latest estimate, what ``leakhunt detect`` reports), ``estimates`` (a DataFrame, every block
    after an alarm), ``sensor_faults``, ``segments()``.
    """

    def __init__(self, station, events=None, false_alarms_per_year=1.0, cd=0.65):
        self._d = _leakhunt.Detector(station, events, None, float(false_alarms_per_year), float(cd))
        self._index = {name: i for i, name in enumerate(self._d.channels)}
        self.unmatched = {}

    @property
    def channels(self):
        return list(self._d.channels)

    def push(self, data, channels=None, values=None):
        t = as_telemetry(data, channels, values)
        # Map the batch's own channel list onto the detector's, once per batch, not per sample.
        lookup = np.array([self._index.get(c, -1) for c in t.channels], dtype=np.int32)
        codes = lookup[t.code] if len(t.code) else t.code
        keep = codes >= 0
        if not keep.all():
            for c, n in zip(*np.unique(t.code[~keep], return_counts=True)):
                name = t.channels[c]
                self.unmatched[name] = self.unmatched.get(name, 0) + int(n)
            if not keep.any() and not self._index:
                raise InputError("push: the station lists no sensors, so no channel can match")
            t_s, codes, v = t.time_s[keep], codes[keep], t.value[keep]
        else:
            t_s, v = t.time_s, t.value
        self._d.push_codes(t_s, codes, v)

    def finish(self):
        self._d.finish()

    @property
    def samples(self):
        """Samples fed to the detector (matched channels only)."""
        return self._d.samples

    @property
    def alarms(self):
        return self._d.alarms

    @property
    def detections(self):
        return self._d.detections

    @property
    def estimates(self):
        f = pd.DataFrame(self._d.estimate_columns)
        f.insert(0, "estimate_time", pd.to_datetime(f["estimate_time_s"], unit="s", utc=True))
        return f

    @property
    def sensor_faults(self):
        return self._d.sensor_faults

    def segments(self):
        return pd.DataFrame(self._d.segments())
