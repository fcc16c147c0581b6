"""The examples run end to end and write their plots: the script as a user runs it, and the
notebook's code cells in order (issue 16)."""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

SOURCE = pathlib.Path(os.environ["LEAKHUNT_SOURCE_DIR"])
EXAMPLES = SOURCE / "examples"
PNG = b"\x89PNG\r\n\x1a\n"


class Examples(unittest.TestCase):
    def test_the_script_trends_the_leak_and_writes_its_plot(self):
        with tempfile.TemporaryDirectory() as d:
            out = pathlib.Path(d) / "plot.png"
            r = subprocess.run(
                [sys.executable, EXAMPLES / "zvezda_slow_leak.py", "--out", out],
                capture_output=True, text=True, timeout=500, cwd=d)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(out.read_bytes().startswith(PNG))
            # The crack's change of rate is found, upward.
            self.assertIn("change of rate from", r.stdout)

    def test_the_notebook_cells_run_in_order(self):
        nb = json.loads((EXAMPLES / "zvezda_slow_leak.ipynb").read_text())
        code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
        self.assertGreater(len(code), 3)
        with tempfile.TemporaryDirectory() as d:
            cwd = os.getcwd()
            os.chdir(d)  # the notebook writes its plot where it runs
            os.environ["LEAKHUNT_EXAMPLES"] = str(EXAMPLES)
            try:
                scope = {}
                for i, cell in enumerate(code):
                    exec(compile(cell, f"<cell {i}>", "exec"), scope)
            finally:
                os.chdir(cwd)
            self.assertTrue((pathlib.Path(d) / "zvezda-slow-leak-notebook.png").read_bytes()
                            .startswith(PNG))


if __name__ == "__main__":
    unittest.main()
