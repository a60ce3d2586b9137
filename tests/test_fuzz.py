"""The fuzz target runs (a few seconds here; long runs are a separate command, see README)."""
from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_fuzz_target_runs_for_a_set_time_without_failures():
    result = subprocess.run([sys.executable, str(ROOT / "fuzz" / "fuzz_validate.py"), "--seconds", "3",
                             "--engine", "hypothesis"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "no failures" in result.stdout
