"""Shared fixtures: the project root, the samples, and a session-wide build of every sample."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"


def sample_sources() -> list[Path]:
    return sorted(SOURCES.glob("*.yaml")) + sorted(SOURCES.glob("*/report.yaml"))


def run_reportc(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def built_samples(tmp_path_factory) -> Path:
    """Every sample built once per test session into a temporary folder."""
    out = tmp_path_factory.mktemp("build")
    result = run_reportc("build", "sources", "--out", str(out), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    return out
