#!/usr/bin/env python3
"""Detector.push from numpy against `leakhunt detect` from CSV, on one day of ISS 2018
telemetry at 1 Hz (issue 16: within 1.5x). Not a test: it prints both figures and the ratio.

    PYTHONPATH=BUILD/python python3 bench/python_detector.py BUILD
"""

import argparse
import os
import pathlib
import re
import subprocess
import tempfile
import time

import pandas as pd

import leakhunt as lh

HERE = pathlib.Path(__file__).resolve().parent


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("build", type=pathlib.Path)
    p.add_argument("--repeats", type=int, default=3, help="best of this many of each")
    a = p.parse_args()
    leakhunt = a.build / "apps" / "leakhunt" / "leakhunt"
    load = open("/proc/loadavg").read().split()[:3]
    print(f"machine: {os.cpu_count()} hardware threads, load average {' '.join(load)}")
    with tempfile.TemporaryDirectory() as d:
        text = (HERE / "iss-2018-hole.yaml").read_text()
        text = re.sub(r"(?m)^duration: .*$", "duration: 1 day", text)
        scenario_path = pathlib.Path(d) / "day.yaml"
        scenario_path.write_text(text.replace("../data/", str(HERE.parent / "data") + "/"))
        csv = pathlib.Path(d) / "day.csv"
        subprocess.run([leakhunt, "simulate", scenario_path, "-o", csv], check=True,
                       capture_output=True)
        scenario = lh.load_scenario(scenario_path)
        station = scenario.station
        tm = lh.as_telemetry(pd.read_csv(csv))  # held in numpy, as an analyst would hold it
        print(f"one day: {len(tm):,} samples, {csv.stat().st_size / 1e6:.0f} MB of CSV")

        def python_run():
            det = lh.Detector(station, events=scenario)
            det.push(tm)
            det.finish()
            return len(det.alarms)

        def cli_run():
            subprocess.run([leakhunt, "detect", station.path, csv, "--events", scenario_path],
                           check=True, capture_output=True)

        py = min(timed(python_run) for _ in range(a.repeats))
        cl = min(timed(cli_run) for _ in range(a.repeats))
    print(f"Detector.push (numpy)     {py:7.3f} s  {len(tm) / py / 1e6:6.2f} M samples/s")
    print(f"leakhunt detect (CSV)     {cl:7.3f} s  {len(tm) / cl / 1e6:6.2f} M samples/s")
    print(f"ratio python / CLI        {py / cl:7.2f}  (target <= 1.5)")


def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
