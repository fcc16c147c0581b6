"""One vocabulary (issue 16): the JSON documents leakhunt writes are checked against their
schemas in docs/schema/, and every key a schema names is snake_case. A key renamed or added in
the code, and not in its schema, fails here: a rename is then a deliberate change with a schema
diff (docs/formats.md lists the renames)."""

import json
import os
import pathlib
import re
import subprocess
import tempfile
import unittest

import jsonschema

SOURCE = pathlib.Path(os.environ["LEAKHUNT_SOURCE_DIR"])
BINARY = os.environ["LEAKHUNT_BINARY"]
SCHEMAS = SOURCE / "docs" / "schema"
STATION = SOURCE / "data" / "stations" / "two-module.yaml"
SCENARIO = pathlib.Path(__file__).resolve().parent / "data" / "two-module-2mm.yaml"

# Keys that are not ours to rename: chemical formulas.
NOT_SNAKE = {"ppO2", "ppCO2"}
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def document(*args, ok=(0,)):
    """`leakhunt ARGS --json`, parsed; exits outside `ok` fail the test."""
    r = subprocess.run([BINARY, *map(str, args), "--json"], capture_output=True, text=True,
                       timeout=300)
    if r.returncode not in ok:
        raise AssertionError(f"leakhunt {' '.join(map(str, args))}: {r.returncode}\n{r.stderr}")
    return json.loads(r.stdout)


def schema(name):
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text())


def property_names(node):
    """Every key a schema declares under `properties`, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                yield from value
            yield from property_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from property_names(item)


class Schemas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.csv = pathlib.Path(cls.dir.name) / "tm.csv"
        r = subprocess.run([BINARY, "simulate", str(SCENARIO), "-o", str(cls.csv)],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def valid(self, name, doc):
        jsonschema.validate(doc, schema(name), cls=jsonschema.Draft202012Validator)

    def test_every_schema_is_a_valid_schema_with_snake_case_keys(self):
        files = sorted(SCHEMAS.glob("*.schema.json"))
        self.assertGreaterEqual(len(files), 10)
        for f in files:
            s = json.loads(f.read_text())
            jsonschema.Draft202012Validator.check_schema(s)
            names = set(property_names(s))
            self.assertTrue(names, f.name)
            for key in names - NOT_SNAKE:
                self.assertRegex(key, SNAKE, f"{f.name}: key '{key}' is not snake_case")

    def test_detect_documents_match_their_schema(self):
        for detector in ["slope-change", "state-space"]:
            doc = document("detect", STATION, self.csv, "--detector", detector)
            self.assertTrue(doc["detections"], detector)  # the 2 mm hole is found
            self.valid("detect", doc)

    def test_trend_documents_match_their_schema(self):
        # Exit 1: the one 6 h day is too short to be a usable period; the document still comes.
        doc = document("trend", STATION, self.csv, ok=(0, 1))
        self.valid("trend", doc)
        doc = document("trend", STATION, self.csv, "--period", "1h", ok=(0, 1))
        self.assertGreater(len(doc["segments"][0]["periods"]), 3)
        self.valid("trend", doc)

    def test_verify_and_onset_documents_match_their_schemas(self):
        # The scenario's hatch is logged, so both read the segments as they were.
        doc = document("verify", STATION, self.csv, "--since", "2024-03-01T03:00:00Z",
                       "--events", SCENARIO)
        self.assertTrue(doc["segments"])
        self.valid("verify", doc)
        doc = document("onset", STATION, self.csv, "--events", SCENARIO)
        self.assertTrue(doc["leaks"])
        self.valid("onset", doc)

    def test_locate_infer_documents_match_their_schema(self):
        doc = document("locate", "infer", STATION, self.csv, "--events", SCENARIO)
        self.assertTrue(doc["alarmed"])
        self.assertGreater(len(doc["windows"]), 1)  # before and after the hatch shut
        self.valid("locate_infer", doc)

    def test_campaign_documents_match_their_schema(self):
        spec = SOURCE / "data" / "campaigns" / "two-module-smoke.yaml"
        doc = document("campaign", spec, "--no-journal")
        self.assertTrue(doc["sizes"])
        self.valid("campaign", doc)
        # With every block after the alarm scored (issue 20): the same spec, and the key.
        scored = pathlib.Path(self.dir.name) / "scored.yaml"
        scored.write_text(spec.read_text().replace("station: ../stations/",
                                                   f"station: {SOURCE}/data/stations/")
                          + "score_after_alarm: 10 min\n")
        doc = document("campaign", scored, "--no-journal")
        self.assertIn("after_alarm", doc["sizes"][0])
        self.valid("campaign", doc)

    def test_locate_plan_documents_match_their_schema(self):
        doc = document("locate", "plan", STATION, "--leak-rate", "1 kg/day")
        self.assertIn("plan", doc)
        self.valid("locate_plan", doc)
        # A deeper tree: the ISS, whose branches lead to further steps ("then").
        doc = document("locate", "plan", SOURCE / "data" / "stations" / "iss-2018.yaml",
                       "--leak-rate", "30 kg/day")
        self.assertTrue(any("then" in b for b in doc["plan"]["branches"]))
        self.valid("locate_plan", doc)

    def test_locate_drill_documents_match_their_schema(self):
        doc = document("locate", "drill", SCENARIO)
        self.assertTrue(doc["detected"])
        self.assertTrue(doc["steps"])
        self.valid("locate_drill", doc)

    def test_ground_test_documents_match_their_schema(self):
        base = ["ground-test", "--volume", "6.5 m^3", "--pressure", "1 atm", "--duration", "24 h",
                "--sensor-resolution", "10 Pa", "--temperature-stability", "0.1 K"]
        self.valid("ground_test", document(*base))
        self.valid("ground_test", document(*base, "--hole", "2 mm"))
        doc = document(*base, "--hole", "0.01 mm", "--sealed-until", "30 day")
        self.assertIn("leak_appears_in_orbit", doc)
        self.valid("ground_test", doc)

    def test_check_documents_match_their_schema(self):
        self.valid("check", document("check", STATION))
        self.valid("check", document("check", SOURCE / "data" / "scenarios" / "spektr-1997.yaml"))
        bad = pathlib.Path(self.dir.name) / "bad.yaml"
        bad.write_text("name: bad\nmodules:\n  - {id: a, volume: -1 m^3}\n")
        doc = document("check", bad, ok=(1, 2))
        self.assertGreater(doc["errors"], 0)
        self.valid("check", doc)

    def test_a_key_the_schema_does_not_name_is_refused(self):
        doc = document("check", STATION)
        doc["headHash"] = "0"
        with self.assertRaises(jsonschema.ValidationError):
            self.valid("check", doc)


if __name__ == "__main__":
    unittest.main()
