#!/usr/bin/env python3
"""A Zvezda-class slow leak, the way an analyst trends one (issue 16; shared/docs/record.md 2).

Simulates eight weeks of telemetry of a test article with a small background leak and a crack that opens
over two days, trends the station's daily leak rate, finds the change, asks when the leak
began, and plots the series with matplotlib.

    make demo
    PYTHONPATH=build/python python3 examples/zvezda_slow_leak.py [--out zvezda.png]

The notebook zvezda_slow_leak.ipynb holds the same steps, cell by cell.
"""

import argparse
import pathlib
import re
import shutil
import tempfile

import matplotlib

matplotlib.use("Agg")  # files, not windows: this runs on consoles and in CI
import matplotlib.pyplot as plt

import leakhunt as lh

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent / "data"
KG_DAY = 86400.0  # kg/s -> kg/day


def archive_scenario(directory):
    """The scenario beside the test article with every sensor read every 10 s (the ISS's
    thermometer rate), as an archive of months might keep it."""
    station = (DATA / "stations" / "two-module.yaml").read_text()
    (directory / "two-module-10s.yaml").write_text(
        re.sub(r"period: [0-9.]+ s\b", "period: 10 s", station))
    shutil.copy(HERE / "zvezda-months.yaml", directory)
    return directory / "zvezda-months.yaml"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="zvezda-slow-leak.png", help="the plot (PNG)")
    args = parser.parse_args()

    # 1. Four weeks of telemetry: two pressures and two thermometers, one sample every 10 s.
    with tempfile.TemporaryDirectory() as d:
        scenario = lh.load_scenario(archive_scenario(pathlib.Path(d)))
    station = scenario.station
    run = lh.simulate(scenario)
    print(f"simulated {scenario.duration_s / 86400:.0f} days: {len(run.telemetry):,} samples")

    # 2. The daily leak rate of each module set, and the changes of rate.
    # The smallest change reported defaults to the ISS's 0.2 kg/day (background leakage and
    # orbital aliasing there); scaled to this 80 m^3 article like the leak, it is 0.02 kg/day.
    trends = lh.trend(station, run.telemetry, events=scenario, min_change="0.02 kg/day")
    whole = max(trends, key=lambda t: len(t["points"]))
    points = whole["points"][whole["points"]["usable"]]
    print(f"trend of {len(whole['modules'])} modules: {len(points)} daily points")
    for _, c in whole["changes"].iterrows():
        print(
            f"  change of rate from {c['leak_rate_before_kg_s'] * KG_DAY:.2f} to "
            f"{c['leak_rate_after_kg_s'] * KG_DAY:.2f} kg/day, from {c['time']:%d %b %Y}"
        )

    # 3. The detector's alarm, and when the leak it saw began.
    det = lh.Detector(station, events=scenario)
    det.push(run.telemetry)
    det.finish()
    for a in det.alarms:
        print(
            f"alarm {lh.to_datetime(a['alarm_time_s']):%d %b %H:%M} UTC: {a['leak_rate_kg_s'] * KG_DAY:.2f} +- "
            f"{a['leak_rate_sigma_kg_s'] * KG_DAY:.2f} kg/day in {', '.join(a['segment'][:3])}..."
        )
    for o in lh.onset(station, run.telemetry, events=scenario):
        lo, hi = (lh.to_datetime(t) for t in o["onset_interval_s"])
        print(f"onset: {o['profile']}, between {lo:%d %b %H:%M} and {hi:%d %b %H:%M} UTC")

    # 4. The plot: daily rate with its 95 % band, and each change of rate.
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.fill_between(
        points["start_time"],
        points["leak_rate_low_kg_s"] * KG_DAY,
        points["leak_rate_high_kg_s"] * KG_DAY,
        alpha=0.3,
        label="95 % interval",
    )
    ax.plot(points["start_time"], points["leak_rate_kg_s"] * KG_DAY, "o-", label="daily rate")
    for _, c in whole["changes"].iterrows():
        ax.axvline(c["time"], color="r", linestyle="--", label="change of rate")
    ax.set_ylabel("leak rate [kg/day]")
    ax.set_title(scenario.name)
    ax.legend()
    fig.autofmt_xdate()
    fig.savefig(args.out, dpi=100, bbox_inches="tight")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
