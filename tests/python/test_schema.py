"""One vocabulary (issue 16): the JSON documents leakhunt writes are checked against their
schemas in docs/schema/, and every key a schema names is snake_case. A key renamed or added in
the code, and not in its schema, fails here: a rename is then a deliberate change with a schema
diff (docs/formats.md lists the renames)."""

import base64
import hashlib
import json
import os
import pathlib
import re
import select
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import jsonschema

SOURCE = pathlib.Path(os.environ["LEAKHUNT_SOURCE_DIR"])
BINARY = os.environ["LEAKHUNT_BINARY"]
SCHEMAS = SOURCE / "docs" / "schema"
STATION = SOURCE / "data" / "stations" / "two-module.yaml"
SCENARIO = pathlib.Path(__file__).resolve().parent / "data" / "two-module-2mm.yaml"
# The console's scenario (docs/server.md): a day, a 2 mm hole in module-b 3 h in.
SERVED = SOURCE / "tests" / "server" / "two-module-2mm.yaml"

# Keys that are not ours to rename: chemical formulas, and Open MCT's own protocol (a datum's
# limit result, and the limit levels a dictionary entry maps to bands).
NOT_SNAKE = {"ppO2", "ppCO2", "monitoringResult", "rangeCondition", "WARNING", "CRITICAL"}
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


def wait_until(what, probe, timeout=120):
    """Calls `probe` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        got = probe()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.2)  # a poll interval, not a synchronisation: the deadline bounds it


class Serve:
    """`leakhunt serve ARGS` on 127.0.0.1 and a port the system picks, read back from its first
    line; its archive in `folder`. Every wait is bounded."""

    def __init__(self, folder, *args):
        self.db = pathlib.Path(folder) / "serve.leakhunt.db"
        self.log = open(pathlib.Path(folder) / "serve.log", "w")
        self.proc = subprocess.Popen(
            [BINARY, "serve", *map(str, args), "--port", "0", "--listen", "127.0.0.1",
             "--db", str(self.db), "--public-read"],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 60)
        line = self.proc.stdout.readline() if ready else ""
        found = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            self.stop()
            raise AssertionError(f"leakhunt serve did not say where it listens: {line!r}")
        self.port = int(found.group(1))
        # The first start makes an admin token and writes it beside the archive.
        self.token = pathlib.Path(str(self.db) + ".admin-token").read_text().strip()

    def request(self, method, path, body=None, token=None):
        """(status, parsed JSON body)."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                     headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def get(self, path):
        status, doc = self.request("GET", path)
        if status != 200:
            raise AssertionError(f"GET {path}: {status} {doc}")
        return doc

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=60)
        self.proc.stdout.close()
        self.log.close()


class WebSocket:
    """The least of an RFC 6455 client over a plain socket (Debian's Python has no WebSocket
    package): the opening handshake, masked text frames out, whole messages in. Every read
    times out."""

    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, port, token, timeout=30):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /api/realtime?access_token={token} HTTP/1.1\r\n"
                           f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self._exactly(1)
        accept = base64.b64encode(hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        if not head.startswith(b"HTTP/1.1 101") or accept.encode() not in head:
            raise AssertionError(f"no WebSocket: {head!r}")

    def _exactly(self, n):
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise ConnectionError("the server closed the connection")
            out += chunk
        return out

    def _frame(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 1 << 16:
            head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else:
            head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def send(self, message):
        self._frame(0x1, json.dumps(message).encode())

    def receive(self, timeout=30):
        """The next text message, parsed (pings are answered on the way, within `timeout`)."""
        deadline = time.monotonic() + timeout
        message = b""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no WebSocket message within {timeout} s")
            self.sock.settimeout(left)
            b0, b1 = self._exactly(2)
            n = b1 & 0x7F
            if n == 126:
                n = int.from_bytes(self._exactly(2), "big")
            elif n == 127:
                n = int.from_bytes(self._exactly(8), "big")
            if b1 & 0x80:
                raise AssertionError("a server frame is masked")
            payload = self._exactly(n)
            opcode = b0 & 0x0F
            if opcode == 0x9:
                self._frame(0xA, payload)
            elif opcode == 0x8:
                raise ConnectionError(f"the server closed the WebSocket: {payload!r}")
            elif opcode in (0x0, 0x1):
                message += payload
                if b0 & 0x80:
                    return json.loads(message)

    def close(self):
        self.sock.close()


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

    def test_every_command_that_prints_json_has_a_schema(self):
        # The schema covers every document: each (sub)command whose help offers --json names a
        # schema titled "leakhunt COMMAND --json".
        def run(*args):
            r = subprocess.run([BINARY, *args, "--help"], capture_output=True, text=True,
                               timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            return r.stdout

        def subcommands(text):
            if "Subcommands:" not in text:
                return []
            block = text.split("Subcommands:", 1)[1]
            return [line.split()[0] for line in block.splitlines()
                    if line.startswith("  ") and line.split()]

        titles = {schema(p.name[: -len(".schema.json")])["title"]
                  for p in SCHEMAS.glob("*.schema.json")}
        printing = []
        frontier = [[c] for c in subcommands(run())]
        while frontier:
            path = frontier.pop()
            text = run(*path)
            deeper = subcommands(text)
            frontier += [path + [c] for c in deeper]
            if not deeper and re.search(r"^\s+--json\b", text, re.M):
                printing.append(" ".join(path))
        self.assertGreaterEqual(len(printing), 12, printing)
        for command in printing:
            self.assertIn(f"leakhunt {command} --json", titles, command)

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

    def test_simulate_documents_match_their_schema(self):
        with tempfile.TemporaryDirectory() as d:
            doc = document("simulate", SCENARIO, "-o", pathlib.Path(d) / "tm.csv")
        self.assertEqual(len(doc["segments"]), 2)
        self.assertTrue(doc["modules"])
        falling = [s for s in doc["segments"] if s["drop_rate_pa_s"] > 0]
        self.assertTrue(falling and all(s["time_to_evacuation_s"] > 0 for s in falling))
        self.valid("simulate", doc)

    def test_check_documents_match_their_schema(self):
        self.valid("check", document("check", STATION))
        self.valid("check", document("check", SOURCE / "data" / "scenarios" / "spektr-1997.yaml"))
        bad = pathlib.Path(self.dir.name) / "bad.yaml"
        bad.write_text("name: bad\nmodules:\n  - {id: a, volume: -1 m^3}\n")
        doc = document("check", bad, ok=(1, 2))
        self.assertGreater(doc["errors"], 0)
        self.valid("check", doc)

    def test_demo_documents_match_their_schemas(self):
        # A short story: the 4 h scenario, followed one day; its report.json beside the summary.
        out = pathlib.Path(self.dir.name) / "demo"
        doc = document("demo", "--scenario", SCENARIO, "--follow", "1", "--out", out)
        self.assertTrue(doc["alarm_raised"])
        self.valid("demo", doc)
        report = json.loads((out / "report.json").read_text())
        self.assertTrue(report["timeline"])
        self.assertTrue(any(p["markers"] for p in report["plots"]))
        self.valid("report", report)

    def test_a_key_the_schema_does_not_name_is_refused(self):
        doc = document("check", STATION)
        doc["headHash"] = "0"
        with self.assertRaises(jsonschema.ValidationError):
            self.valid("check", doc)


class ServerSchemas(unittest.TestCase):
    """`leakhunt serve` answered over HTTP and its WebSocket, and the archive it wrote checked by
    `audit verify --json`: every document against its schema."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def folder(self, name):
        f = pathlib.Path(self.dir.name) / name
        f.mkdir()
        return f

    def valid(self, name, doc):
        jsonschema.validate(doc, schema(name), cls=jsonschema.Draft202012Validator)

    def test_a_served_scenario_answers_in_its_schemas(self):
        # Run at once; nobody confirms, so the first step stays proposed with its whole shape.
        serve = Serve(self.folder("scenario"), "--scenario", SERVED, "--speed", "0")
        try:
            plan = wait_until("a step proposed", lambda: (p := serve.get("/api/plan"))["steps"]
                              and p)
            self.valid("api_plan", plan)
            status = wait_until("the alarm in the status",
                                lambda: (s := serve.get("/api/status"))["alarms"] and s)
            self.assertTrue(status["segments"])
            self.valid("api_status", status)
            code, reply = serve.request("POST", "/api/actions", {"kind": "ack", "alarm": 1},
                                        serve.token)
            self.assertEqual(code, 200, reply)
            self.valid("api_reply", reply)
            status = serve.get("/api/status")
            self.assertEqual(status["alarms"][0]["acknowledged_by"], "admin")
            self.valid("api_status", status)
            # An outside localiser's plan rides along.
            code, reply = serve.request("POST", "/api/plan",
                                        {"posterior": {"module-a": 0.2, "module-b": 0.8}},
                                        serve.token)
            self.assertEqual(code, 200, reply)
            self.valid("api_reply", reply)
            plan = serve.get("/api/plan")
            self.assertIn("outside", plan)
            self.valid("api_plan", plan)

            dictionary = serve.get("/api/dictionary")
            self.valid("api_dictionary", dictionary)
            self.valid("api_station", dictionary["station"])
            self.valid("api_station", serve.get("/api/station"))
            self.valid("api_reply", serve.get("/api/whoami"))
            start, end = status["operations_since_ms"], status["latest_ms"]
            events = serve.get(f"/api/events?start={start:.0f}&end={end:.0f}")
            self.assertTrue(any(e["severity"] == "CRITICAL" for e in events))
            self.valid("api_telemetry", events)
            channel = dictionary["clock_channel"]
            for query in [f"start={end - 60000:.0f}&end={end:.0f}",
                          f"start={start:.0f}&end={end:.0f}&strategy=minmax&size=100",
                          f"start={start:.0f}&end={end:.0f}&strategy=latest"]:
                history = serve.get(f"/api/history/{channel}?{query}")
                self.assertTrue(history, query)
                self.valid("api_telemetry", history)
            history = serve.get(f"/api/history/leakhunt.leak_rate?start={start:.0f}&end={end:.0f}")
            self.assertTrue(history)
            self.valid("api_telemetry", history)
            for code, reply in [serve.request("GET", "/api/nothing"),
                                serve.request("POST", "/api/actions", {"kind": "ack", "alarm": 1}),
                                serve.request("POST", "/api/actions", {"kind": "dance"},
                                              serve.token)]:
                self.assertGreaterEqual(code, 400)
                self.valid("api_reply", reply)

            # The WebSocket's refusals: an unknown channel, an unknown op, a sample after the
            # scenario's end.
            ws = WebSocket(serve.port, serve.token)
            try:
                ws.send({"op": "subscribe", "id": "no.such.channel", "ref": 1})
                ws.send({"op": "dance", "ref": "two"})
                ws.send({"op": "ingest", "ref": True, "samples": [
                    {"time": end / 1000 + 3600, "channel": channel, "value": 101325.0}]})
                for _ in range(3):
                    message = ws.receive()
                    self.assertEqual(message["type"], "error")
                    self.valid("ws_message", message)
            finally:
                ws.close()
        finally:
            serve.stop()

    def test_the_autopilots_plan_history_and_the_audit_match_their_schemas(self):
        serve = Serve(self.folder("autopilot"), "--scenario", SERVED, "--speed", "0",
                      "--autopilot")
        try:
            plan = wait_until("cornered", lambda: (p := serve.get("/api/plan"))["status"]
                              == "cornered" and p)
            self.assertTrue(plan["history"])
            self.assertIn("cornered", plan)
            self.valid("api_plan", plan)
        finally:
            serve.stop()
        doc = document("audit", "verify", serve.db)
        self.assertTrue(doc["intact"])
        self.assertGreater(doc["entries"], 0)
        self.valid("audit", doc)
        doc = document("audit", "verify", serve.db, "--expect-head", "0" * 64, ok=(1,))
        self.assertTrue(doc["problems"])
        self.valid("audit", doc)

    def test_live_telemetry_on_the_websocket_and_its_gaps_match_their_schemas(self):
        # A station without a scenario: its clock is this machine's, so the samples are recent.
        serve = Serve(self.folder("live"), "--station", STATION)
        now = time.time()
        channel = "module-a.pressure"
        try:
            ws = WebSocket(serve.port, serve.token)
            try:
                ws.send({"op": "subscribe", "id": channel})
                ws.send({"op": "subscribe", "id": "leakhunt.events"})
                # Ten samples a second apart, the last below the warning band (LOW), and one of
                # a channel no sensor has (a warning in the ack).
                samples = [{"time": now - 600 + i, "channel": channel,
                            "value": 101000.0 if i < 9 else 90000.0} for i in range(10)]
                samples.append({"time": now - 600, "channel": "nobody.pressure", "value": 1e5})
                ws.send({"op": "ingest", "ref": "batch-1", "samples": samples})
                got = []
                datums = lambda: [d for m in got if m["type"] == "telemetry" for d in m["data"]]
                while not (any(m["type"] == "ack" for m in got) and len(datums()) >= 10):
                    got.append(ws.receive())
                for message in got:
                    self.valid("ws_message", message)
                self.assertEqual([d["id"] for d in datums()], [channel] * 10)
                self.assertTrue(any(d.get("rangeCondition") == "LOW" for d in datums()))
                self.assertTrue(any(m.get("warnings") for m in got))
            finally:
                ws.close()
            # Five minutes of silence, then more: a gap.
            code, reply = serve.request("POST", "/api/telemetry", {"samples": [
                {"time": now - 300 + i, "channel": channel, "value": 101000.0}
                for i in range(10)]}, serve.token)
            self.assertEqual(code, 200, reply)
            self.valid("api_reply", reply)
            code, reply = serve.request("POST", "/api/tokens",
                                        {"name": "analyst", "role": "viewer"}, serve.token)
            self.assertEqual(code, 201, reply)
            self.valid("api_reply", reply)
            code, whoami = serve.request("GET", "/api/whoami", token=reply["token"])
            self.assertEqual(whoami, {"name": "analyst", "role": "viewer"})
            self.valid("api_reply", whoami)
            history = serve.get(f"/api/history/{channel}?start={(now - 700) * 1000:.0f}"
                                f"&end={now * 1000:.0f}")
            self.assertEqual(len(history), 20)
            self.valid("api_telemetry", history)
        finally:
            serve.stop()
        doc = document("audit", "verify", serve.db)
        self.assertTrue(any(g["channel"] == channel for g in doc["gaps"]), doc["gaps"])
        self.valid("audit", doc)


if __name__ == "__main__":
    unittest.main()
