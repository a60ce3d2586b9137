"""Shared fixtures: the project root, the samples, and a session-wide build of every sample."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
STRESS = ROOT / "tests" / "pdf_fixtures" / "stress.yaml"  # long tables, callouts and words, for the PDF
SOURCE_DATE = date(2023, 11, 14)  # what the builds here date by: SOURCE_DATE_EPOCH=1700000000


def sample_sources() -> list[Path]:
    return sorted(SOURCES.glob("*.yaml")) + sorted(SOURCES.glob("*/report.yaml"))


def sample_without_data_section() -> str:
    """The Northshire sample without its "Force in numbers" section, so a test that adds its own
    tables and figures finds them numbered from 1."""
    text = (SOURCES / "northshire-peel-2021.yaml").read_text(encoding="utf-8")
    start = text.index("  - title: Force in numbers\n")
    end = text.index("\n  - title: ", start + 1) + 1
    return text[:start] + text[end:]


def copy_sample_data(folder: Path) -> None:
    """The files the samples' tables read (sources/data/), for a test that writes a changed copy
    of a sample into another folder."""
    shutil.copytree(SOURCES / "data", folder / "data", dirs_exist_ok=True)


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


@pytest.fixture(scope="session")
def documents():
    """Each sample's (and the PDF stress fixture's) layout document: what the outputs must show."""
    from compiler.source.paths import Roots
    from compiler.build.load import load_all
    from compiler.build.report import compose_document

    loaded = load_all(sample_sources() + [STRESS], Roots.at(ROOT))
    assert all(item.ok for item in loaded), [d.format() for item in loaded for d in item.diagnostics]
    return {item.report.id: compose_document(item, SOURCE_DATE) for item in loaded}


# ---- in CI, a check of a real client never silently stops running ----------------------------------
# A test that needs LibreOffice (and its python3-uno), Chromium and Playwright, or poppler and qpdf
# skips on a workstation without them; CI installs them all (.ci/run), so there such a skip means
# a check stopped running: it fails instead.
_REAL_CLIENT = re.compile(r"libreoffice|python3-uno|\buno\b|soffice|chromium|playwright|browser|poppler|"
                          r"pdffonts|pdftotext|pdftoppm|qpdf", re.IGNORECASE)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and _in_ci()) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if _REAL_CLIENT.search(reason):
        report.outcome = "failed"
        report.longrepr = (f"{reason}\nCI=true: a test of a real client may not be skipped in CI; install "
                           f"what it needs (.ci/run installs LibreOffice, python3-uno, Chromium, poppler and qpdf)")


# ---- a real browser: the Debian package, driven by Playwright (never its own download) --------

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def _chromium() -> str | None:
    explicit = os.environ.get("REPORTC_CHROMIUM")
    return explicit or next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def _skip_loudly(reason: str):
    """A skip that also lands in the warnings summary every run prints, so it is never missed."""
    message = f"SKIPPED LOUDLY: {reason}; the HTML edition is untested in a browser"
    warnings.warn(pytest.PytestWarning(message))
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (the HTML edition and watch tests), or a loud
    skip. One only: a second sync_playwright() inside the first one's event loop fails."""
    try:
        from playwright import sync_api
        import axe_playwright_python  # noqa: F401
    except ImportError as error:
        _skip_loudly(f"{error.name} is not installed (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        _skip_loudly("no Chromium on this machine (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()
