"""Dependency floors exclude releases with known vulnerabilities (CI audits what is installed
with pip-audit, .ci/run); a floor lowered by accident fails here, before any audit runs."""
from __future__ import annotations

import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from .conftest import ROOT

# package -> the first release without the known vulnerabilities that matter to reportc
SAFE_FROM = {
    "reportlab": "3.6.13",  # CVE-2023-33733: code execution through paragraph markup
    "pillow": "12.3",  # CVE-2024-28219, CVE-2026-40192, PYSEC-2026-2251 and the advisories fixed in 12.3
    "pyyaml": "5.4",  # CVE-2020-14343: full_load runs code (reportc uses the event parser, still)
    "lxml": "4.9.1",  # CVE-2022-2309
}


def requirements() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {Requirement(text).name.lower(): Requirement(text) for text in project["dependencies"]}


@pytest.mark.parametrize("package", SAFE_FROM)
def test_floor_excludes_known_vulnerable_releases(package):
    requirement = requirements()[package]
    floors = [Version(spec.version) for spec in requirement.specifier if spec.operator in (">=", ">")]
    assert floors and min(floors) >= Version(SAFE_FROM[package]), str(requirement)
    assert Version(version(package)) in requirement.specifier, "the installed release is outside the range"
