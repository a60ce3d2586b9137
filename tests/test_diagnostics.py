"""Diagnostics as data: each case file carries its expected diagnostics beside the offending line,
as a trailing comment `# SEVERITY:COL: MESSAGE`. The run must report exactly those, no more."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from compiler.source.paths import Roots
from compiler.build.load import load_all

from .conftest import ROOT

CASES = sorted((ROOT / "tests" / "diagnostics").glob("*.yaml"))
EXPECTATION = re.compile(r"#\s*(error|warning):(\d+):\s(.*)$")


def expected_diagnostics(path: Path) -> set[str]:
    relative = path.relative_to(ROOT)
    expected = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = EXPECTATION.search(line)
        if match:
            severity, col, message = match.groups()
            expected.add(f"{relative}:{number}:{col}: {severity}: {message.strip()}")
    return expected


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case_reports_exactly_the_annotated_diagnostics(case: Path, monkeypatch):
    monkeypatch.chdir(ROOT)
    [loaded] = load_all([case], Roots.at(ROOT))
    actual = {d.format() for d in loaded.diagnostics}
    assert actual == expected_diagnostics(case)


def test_yaml_literals_stay_text_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)
    [loaded] = load_all([ROOT / "tests" / "diagnostics" / "text-stays-text.yaml"], Roots.at(ROOT))
    report = loaded.report
    assert report.title.plain == "No"
    assert report.subject.plain == "on"
    assert report.programme.plain == "1.10"
    assert report.version == "1.10"
    assert report.pillars[0].title.plain == "Yes"
    assert report.pillars[0].carried_over == "2017/18"
    question = report.pillars[0].questions[0]
    assert question.title.plain == "010 and 0x1F and 1e3 and .inf"
    assert question.number == 1
    assert question.grade is None  # no grade written: no badge (v2)


def test_invisible_characters_in_a_message_are_written_as_escapes():
    """A word joiner or a byte order mark pasted into a title is invisible in a terminal: the
    message about it must show it (bidi controls were escaped, these were not)."""
    from compiler.diagnostics import escape_untrusted

    assert escape_untrusted("Pillar\u2060\ufeff\u200b one \u2066x\u2069") == "Pillar\\u2060\\ufeff\\u200b one \\u2066x\\u2069"
    assert escape_untrusted("Ysgol Llanfair: Rhagorol") == "Ysgol Llanfair: Rhagorol"
