"""The Python module against the CLI on the same input (issue 16): the same scenario gives the
same samples, the same telemetry gives the same alarm and rate, the same ground test the same
figures; and errors carry file, line and column."""

import json
import os
import pathlib
import subprocess
import tempfile
import unittest

import numpy as np
import pandas as pd

import leakhunt as lh

SOURCE = pathlib.Path(os.environ["LEAKHUNT_SOURCE_DIR"])
BINARY = os.environ["LEAKHUNT_BINARY"]
HERE = pathlib.Path(__file__).resolve().parent
SCENARIO = HERE / "data" / "two-module-2mm.yaml"
STATION = SOURCE / "data" / "stations" / "two-module.yaml"


def read(path):
    # round_trip: pandas' default parser can be a bit off the shortest round-trip text the
    # writer gives; this one reads back the very double that was written.
    return pd.read_csv(path, float_precision="round_trip")


def cli(*args):
    r = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise AssertionError(f"leakhunt {' '.join(map(str, args))}: {r.returncode}\n{r.stderr}")
    return r.stdout


class AgainstTheCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.csv = pathlib.Path(cls.dir.name) / "tm.csv"
        cli("simulate", SCENARIO, "-o", cls.csv)
        cls.scenario = lh.load_scenario(SCENARIO)
        cls.simulated = lh.simulate(cls.scenario)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_the_same_scenario_gives_the_same_samples(self):
        file = read(self.csv)
        mine = self.simulated.telemetry.frame()
        for channel in ["module-b.pressure", "module-a.temperature"]:
            a = file[file["channel"] == channel]
            b = mine[mine["channel"] == channel]
            self.assertEqual(len(a), len(b), channel)
            self.assertGreater(len(a), 10000, channel)
            t = pd.to_datetime(a["time"], utc=True).astype("int64").to_numpy() / 1e9
            np.testing.assert_allclose(t, b["time_s"].to_numpy(), rtol=0, atol=5e-4)
            # The CLI writes each value in its shortest round-trip form: read back, it is equal.
            np.testing.assert_array_equal(a["value"].to_numpy(), b["value"].to_numpy())

    def test_the_same_telemetry_gives_the_same_alarm_and_rate(self):
        doc = json.loads(cli("detect", STATION, self.csv, "--events", SCENARIO, "--json"))
        self.assertTrue(doc["detections"], "the CLI must see a 2 mm hole")
        det = lh.Detector(self.scenario.station, events=self.scenario)
        det.push(read(self.csv))
        det.finish()
        self.assertEqual(len(det.detections), len(doc["detections"]))
        for mine, theirs in zip(det.detections, doc["detections"]):
            self.assertEqual(mine["segment"], theirs["segment"])
            for key in ["alarm_time", "estimate_time", "onset_time"]:
                self.assertAlmostEqual(mine[key + "_s"], lh.to_unix_seconds(theirs[key]),
                                       delta=1e-3, msg=key)
            self.assertEqual(mine["leak_rate_kg_s"], theirs["leak_rate_kg_s"])
            self.assertEqual(mine["leak_rate_sigma_kg_s"], theirs["leak_rate_sigma_kg_s"])
            # One renderer: every figure the CLI gives, the module gives under the same key.
            shared = set(mine) & set(theirs)
            self.assertGreaterEqual(len(shared), 18, sorted(set(theirs) - set(mine)))
            for key in shared:
                self.assertEqual(mine[key], theirs[key], key)
        # Each segment's state, and whether its silence means "no leak", as the CLI says it.
        segments = det.segments().to_dict("records")
        self.assertEqual(len(segments), len(doc["segments"]))
        for mine, theirs in zip(segments, doc["segments"]):
            for key in theirs:
                self.assertEqual(mine[key], theirs[key], key)
        # The estimates after the alarm follow the hole's rate, not the alarm's first guess.
        est = det.estimates
        self.assertGreater(len(est), 10)
        self.assertTrue(np.isfinite(est["leak_rate_kg_s"]).all())

    def test_a_short_record_is_not_watched_and_says_why(self):
        # Ten minutes of data is too little for "no leak": the module says so, as detect does.
        t = read(self.csv)
        times = pd.to_datetime(t["time"])
        t = t[times < times.iloc[0] + pd.Timedelta(minutes=10)]
        det = lh.Detector(self.scenario.station, events=self.scenario)
        det.push(t)
        det.finish()
        segments = det.segments().to_dict("records")
        self.assertTrue(segments)
        for s in segments:
            self.assertFalse(s["watched"], s)
            self.assertIn("not watched long enough", s["not_watched_reason"])

    def test_simulated_and_file_telemetry_agree_in_the_detector(self):
        a = lh.Detector(self.scenario.station, events=self.scenario)
        a.push(self.simulated.telemetry)
        a.finish()
        b = lh.Detector(self.scenario.station, events=self.scenario)
        b.push(read(self.csv))
        b.finish()
        self.assertEqual([x["alarm_time_s"] for x in a.alarms],
                         [x["alarm_time_s"] for x in b.alarms])

    def test_trend_agrees_with_the_cli(self):
        doc = json.loads(cli("trend", STATION, self.csv, "--events", SCENARIO, "--period", "1 h",
                             "--json"))
        mine = lh.trend(self.scenario.station, read(self.csv), events=self.scenario,
                        period="1 h")
        self.assertEqual(len(mine), len(doc["segments"]))
        for m, c in zip(mine, doc["segments"]):
            self.assertEqual(m["modules"], c["modules"])
            self.assertEqual(len(m["points"]), len(c["periods"]))
            # Every hour of each segment's life (three for the whole, two for each part after
            # the hatch shuts at 2.5 h), and no stub: the run's last sample, alone at 04:00:00,
            # is no block and opens no hour (docs/detection.md, "A partial last block").
            self.assertGreaterEqual(len(m["points"]), 2)
            self.assertTrue(all(p["usable"] for p in c["periods"]))
            np.testing.assert_array_equal(m["points"]["leak_rate_kg_s"].to_numpy(),
                                          [p["leak_rate_kg_s"] for p in c["periods"]])

    def test_verify_and_onset_speak_the_clis_keys(self):
        # One vocabulary: where the module and the CLI report the same figure, they name it the
        # same and give the same value (times are Unix seconds here, ISO text there).
        doc = json.loads(cli("verify", STATION, self.csv, "--since", "2024-03-01T03:00:00Z",
                             "--events", SCENARIO, "--json"))
        mine = lh.verify(self.scenario.station, read(self.csv), "2024-03-01T03:00:00Z",
                         events=self.scenario)
        self.assertEqual(len(mine), len(doc["segments"]))
        for m, c in zip(mine, doc["segments"]):
            shared = set(m) & set(c)
            self.assertTrue({"modules", "residual_rate_kg_s", "upper_bound_kg_s",
                             "lower_bound_kg_s", "verdict"} <= shared, sorted(shared))
            for key in shared:
                self.assertEqual(m[key], c[key], key)
        doc = json.loads(cli("onset", STATION, self.csv, "--events", SCENARIO, "--json"))
        mine = lh.onset(self.scenario.station, read(self.csv), events=self.scenario)
        self.assertEqual(len(mine), len(doc["leaks"]))
        for m, c in zip(mine, doc["leaks"]):
            self.assertEqual(m["segment"], c["segment"])
            self.assertEqual(m["profile"], c["profile"])
            self.assertEqual([p["leak_rate_kg_s"] for p in m["evidence"]],
                             [p["leak_rate_kg_s"] for p in c["evidence"]])

    def test_locate_plan_is_the_clis_plan(self):
        # One request from the same names, one renderer: the same document, key for key.
        for args, kwargs in [([], {}), (["--strategy", "halving", "--prior", "volume"],
                                        {"strategy": "halving", "prior": "volume"})]:
            doc = json.loads(cli("locate", "plan", STATION, "--leak-rate", "2 kg/day", *args,
                                 "--json"))
            mine = lh.locate.plan(self.scenario.station, "2 kg/day", **kwargs)
            self.assertEqual(mine, doc)
            self.assertTrue(mine["plan"]["segments"], mine)
        with self.assertRaises(lh.InputError) as e:
            lh.locate.plan(self.scenario.station, "2 kg/day", strategy="guess")
        self.assertIn("'guess' is not one of information, halving, crew-2018", str(e.exception))
        with self.assertRaises(lh.InputError):
            lh.locate.plan(self.scenario.station, "2 kg/day", suspects=["nowhere"])

    def test_locate_infer_is_the_clis_inference(self):
        # One function and one renderer: the same document, times in Unix seconds under `_s`.
        doc = json.loads(cli("locate", "infer", STATION, self.csv, "--events", SCENARIO,
                             "--json"))
        mine = lh.locate.infer(self.scenario.station, read(self.csv), events=self.scenario)
        self.assertTrue(doc["alarmed"])
        self.assertTrue(doc["windows"], doc)
        for key in ["alarmed", "leak_rate_kg_s", "suspects", "status", "localized_modules",
                    "best_module", "best_probability", "posterior"]:
            self.assertEqual(mine[key], doc[key], key)
        self.assertAlmostEqual(mine["alarm_time_s"], lh.to_unix_seconds(doc["alarm_time"]),
                               delta=1e-3)
        self.assertEqual(len(mine["windows"]), len(doc["windows"]))
        for m, c in zip(mine["windows"], doc["windows"]):
            self.assertEqual(m["segments"], c["segments"])
            self.assertEqual(m["posterior"], c["posterior"])
            self.assertAlmostEqual(m["from_s"], lh.to_unix_seconds(c["from"]), delta=1e-3)
        with self.assertRaises(lh.InputError):
            lh.locate.infer(self.scenario.station, read(self.csv), prior="everywhere")

    def test_ground_test_agrees_with_the_cli(self):
        doc = json.loads(cli("ground-test", "--volume", "30 m^3", "--pressure", "101 kPa",
                             "--duration", "1 day", "--sensor-resolution", "10 Pa",
                             "--temperature-stability", "0.1 K",
                             "--hole", "0.2 mm", "--json"))
        mine = lh.ground_test(volume="30 m^3", pressure="101 kPa", duration="1 day",
                              sensor_resolution="10 Pa", hole="0.2 mm")
        shared = set(mine) & set(doc)
        self.assertIn("min_detectable_leak_rate_kg_s", shared)
        for key in shared:
            self.assertEqual(mine[key], doc[key], key)

    def test_campaign_summary_is_the_clis_document(self):
        # One vocabulary: the same keys in the same places, the same figures, the run-by-run
        # lists added; only how long it took and on how many threads may differ.
        spec = SOURCE / "data" / "campaigns" / "two-module-smoke.yaml"
        doc = json.loads(cli("campaign", spec, "--runs", 1, "--leak-free-runs", 1,
                             "--threads", 1, "--no-journal", "--json"))
        mine = lh.campaign(str(spec), runs=1, leak_free_runs=1, threads=1)
        self.assertEqual(len(mine["sizes"]), 2)
        for size in mine["sizes"]:
            self.assertEqual(len(size.pop("delays_s")), size["runs"])
            self.assertEqual(len(size.pop("leak_rates_kg_s")), size["estimated"])
        for timing in ("wall_s", "run_seconds"):
            self.assertGreaterEqual(mine.pop(timing), 0.0)
            doc.pop(timing)
        self.assertEqual(mine, doc)


class Streaming(unittest.TestCase):
    def test_out_of_order_samples_are_refused_and_nothing_is_fed(self):
        st = lh.load_station(STATION)
        det = lh.Detector(st)
        t = np.array([100.0, 99.0])
        with self.assertRaises(lh.InputError) as e:
            det.push(t, ["module-a.pressure"] * 2, [101325.0, 101325.0])
        self.assertIn("time order", str(e.exception))
        self.assertEqual(det.samples, 0)

    def test_unknown_channels_are_counted_not_fed(self):
        st = lh.load_station(STATION)
        det = lh.Detector(st)
        det.push([1.0, 2.0, 3.0], ["module-a.pressure", "galley.pressure", "galley.pressure"],
                 [101325.0, 1.0, 2.0])
        self.assertEqual(det.unmatched, {"galley.pressure": 2})
        self.assertEqual(det.samples, 1)


class Errors(unittest.TestCase):
    def test_a_description_error_carries_file_line_and_column(self):
        text = STATION.read_text().replace("between: [module-a, module-b]",
                                           "between: [module-a, module-c]")
        line = next(i for i, l in enumerate(text.splitlines(), 1) if "module-c" in l)
        with self.assertRaises(lh.InputError) as e:
            lh.parse_station(text, "bad.yaml")
        self.assertEqual(e.exception.file, "bad.yaml")
        self.assertEqual(e.exception.line, line)
        self.assertIsNotNone(e.exception.column)
        self.assertIn("module-c", str(e.exception))
        self.assertIsInstance(e.exception, ValueError)

    def test_a_missing_file_is_an_input_error(self):
        with self.assertRaises(lh.InputError):
            lh.load_station("/nonexistent/station.yaml")

    def test_a_quantity_in_the_wrong_unit_is_refused(self):
        with self.assertRaises(lh.InputError) as e:
            lh.ground_test(volume="30 kg", pressure="101 kPa", duration="1 day",
                           sensor_resolution="10 Pa")
        self.assertIn("volume", str(e.exception))


if __name__ == "__main__":
    unittest.main()
