"""Hardening round 2, the small classes: dates that do not depend on the machine, a cap on the
number of diagnostics printed, and bidi controls that stay inside the value that holds them."""
from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from compiler.diagnostics import MAX_SHOWN_PER_FILE, Diagnostics, Span
from compiler.layout.bidi import balance_bidi
from compiler.style.dates import date_format_problem, format_date

from .conftest import run_reportc

SOURCE = "title: T\nsubject: S\nstatus: draft\nversion: '0.3'\nstyle: s\npillars:\n  - title: P\n    grade: good\n"


def project(tmp_path: Path, style: str, source: str = SOURCE) -> Path:
    (tmp_path / "styles").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "styles" / "s.yaml").write_text(style, encoding="utf-8")
    (tmp_path / "sources" / "r.yaml").write_text(source, encoding="utf-8")
    return tmp_path


# ---- dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["%s", "%c", "%x", "%Z", "%H:%M", "%G-W%V", "at 100%"])
def test_a_date_format_that_depends_on_the_machine_is_refused_at_its_line(tmp_path, fmt):
    root = project(tmp_path, f"extends: default\ndate_format: '{fmt}'\n")
    result = run_reportc("validate", "sources/r.yaml", cwd=root)
    assert result.returncode == 1
    assert re.search(r"^styles/s\.yaml:2:14: error: date_format may not ", result.stderr, re.M), result.stderr


@pytest.mark.parametrize("fmt", ["%d/%m/%Y", "%-d %B %Y", "%A %e %b %y (day %j), 100%%"])
def test_allowed_date_directives_format_as_strftime_does_in_english(fmt):
    for day in (date(2023, 11, 4), date(1999, 1, 31), date(2024, 2, 29)):
        assert date_format_problem(fmt) is None
        assert format_date(day, fmt) == day.strftime(fmt)


def test_builds_are_identical_in_every_time_zone(tmp_path):
    root = project(tmp_path, "extends: default\ndate_format: '%A %-d %B %Y'\n")
    outputs = []
    for zone in ("UTC", "Pacific/Kiritimati", "America/Adak"):
        out = f"out-{zone.replace('/', '-')}"
        result = run_reportc("build", "--out", out, "--jobs", "1", cwd=root,
                             env={"TZ": zone, "SOURCE_DATE_EPOCH": "1700000000"})
        assert result.returncode == 0, result.stderr
        outputs.append([(root / out / f"r.{fmt}").read_bytes() for fmt in ("pdf", "docx")])
    assert outputs[0] == outputs[1] == outputs[2]
    with zipfile.ZipFile(root / "out-UTC" / "r.docx") as docx:
        footer = b"".join(docx.read(name) for name in docx.namelist() if name.startswith("word/footer"))
    assert "Tuesday 14 November 2023".encode() in footer


# ---- how many diagnostics are printed ---------------------------------------------------------

def test_diagnostics_are_capped_per_file_with_a_summary_line(tmp_path):
    keys = "".join(f"unknown{i}: 1\n" for i in range(3 * MAX_SHOWN_PER_FILE))
    root = project(tmp_path, "extends: default\n", SOURCE.replace("style: s\n", "") + keys)
    result = run_reportc("validate", "sources/r.yaml", cwd=root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert sum("unknown key" in line for line in lines) == MAX_SHOWN_PER_FILE
    assert any(f"{2 * MAX_SHOWN_PER_FILE} more errors in this file not shown" in line for line in lines)
    assert lines.index(next(line for line in lines if "more errors" in line)) == MAX_SHOWN_PER_FILE


def test_the_cap_counts_what_it_hides_and_strict_makes_hidden_warnings_errors():
    diagnostics = Diagnostics()
    for line in range(MAX_SHOWN_PER_FILE + 7):
        diagnostics.warning(Span("a.yaml", line + 1), "glyph missing")
    diagnostics.error(Span("b.yaml"), "bad")
    assert len(diagnostics.items) == MAX_SHOWN_PER_FILE + 1
    assert diagnostics.full("a.yaml", "warning") and not diagnostics.full("b.yaml")
    summary = [d for d in diagnostics.sorted() if "more warnings" in d.message]
    assert len(summary) == 1 and summary[0].span.file == "a.yaml" and summary[0].message.startswith("7 more")
    diagnostics.promote_warnings()
    assert diagnostics.hidden == {("a.yaml", "error"): 7}
    merged = Diagnostics()
    merged.extend(diagnostics)
    assert merged.has_errors and merged.hidden == {("a.yaml", "error"): 7} and len(merged.items) == len(diagnostics.items)


# ---- bidi controls ------------------------------------------------------------------------------

def test_balance_bidi_closes_what_a_value_opens_and_drops_what_it_did_not():
    assert balance_bidi("plain") == "plain"
    assert balance_bidi("a\u202eb") == "a\u202eb\u202c"
    assert balance_bidi("a\u202cb\u2069") == "ab"
    assert balance_bidi("\u2067x\u202ey") == "\u2067x\u202ey\u202c\u2069"
    assert balance_bidi("\u2067x\u202ey\u2069z\u202c") == "\u2067x\u202ey\u2069z"


def test_an_unclosed_override_in_marking_ends_with_the_marking_in_the_docx_header(tmp_path):
    source = SOURCE.replace("status: draft\n", "status: draft\nmarking: \"OFFICIAL \u202eSENSITIVE\"\n")
    root = project(tmp_path, "extends: default\n", source)
    result = run_reportc("build", "--jobs", "1", "--format", "docx", cwd=root)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(root / "build" / "r.docx") as docx:
        parts = [docx.read(name).decode() for name in docx.namelist() if re.match(r"word/(header|footer)", name)]
    texts = ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", part)) for part in parts]
    shown = [text for text in texts if "\u202e" in text]
    assert shown, texts
    for text in shown:  # every override is closed before anything else on its line
        assert "\u202eSENSITIVE\u202c" in text and text.count("\u202e") == text.count("\u202c")


# ---- the working folder ------------------------------------------------------------------

def test_a_draft_built_with_root_from_another_folder_has_the_same_bytes_and_records_its_inputs(tmp_path):
    """A draft's source map names its inputs relative to the project root (--root), not to the
    folder reportc was started in: the DOCX must not depend on where CI runs the command."""
    root = project(tmp_path, "extends: default\n")
    (root / "elsewhere").mkdir()
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    here = run_reportc("build", "sources", "--out", "a", "--format", "docx", cwd=root, env=env)
    there = run_reportc("build", "--root", "..", "../sources", "--out", "../b", "--format", "docx",
                        cwd=root / "elsewhere", env=env)
    assert here.returncode == there.returncode == 0, here.stderr + there.stderr
    source_map = zipfile.ZipFile(root / "b" / "r.docx").read("customXml/item1.xml").decode()
    assert '<input file="sources/r.yaml"' in source_map and '<input file="styles/s.yaml"' in source_map
    assert (root / "a" / "r.docx").read_bytes() == (root / "b" / "r.docx").read_bytes()
