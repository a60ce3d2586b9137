"""Hostile input found by a review (round 4): each a clear message at its place and the right
exit code, never a traceback, an internal error, a hang or a silent gap in the report."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, run_reportc

HEAD = "title: T\nsubject: S\n"


def project(tmp_path: Path, source: str, name: str = "r.yaml") -> Path:
    (tmp_path / "sources").mkdir(parents=True, exist_ok=True)
    (tmp_path / "sources" / name).write_text(source, encoding="utf-8")
    return tmp_path


def errors(result: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def test_an_empty_or_blank_title_is_an_error_where_it_is_written(tmp_path):
    """A title of nothing printed nothing, and its contents line broke the PDF."""
    source = (HEAD + "pillars:\n  - title: ''\n    grade: good\n    questions:\n      - title: '  '\n"
              "annexes:\n  - title: ''\n")
    result = run_reportc("validate", cwd=project(tmp_path, source))
    assert result.returncode == 1
    assert [line.split(": error: ")[0] for line in errors(result)] == [
        "sources/r.yaml:4:12", "sources/r.yaml:7:16", "sources/r.yaml:9:12"]
    assert all(line.endswith("this is empty; it prints as a title or heading, so write its words")
               for line in errors(result))


def test_a_heading_that_prints_only_a_note_mark_builds_in_every_format(tmp_path):
    source = (HEAD + "pillars:\n  - title: '[^a]'\n    grade: good\n    summary: |\n      Text.\n\n"
              "      [^a]: A note.\n    questions:\n      - title: '[ ](https://example.org)'\n        grade: good\n")
    result = run_reportc("build", "--format", "pdf,docx,html", cwd=project(tmp_path, source))
    assert result.returncode == 0 and not errors(result)


def test_an_empty_rich_block_is_an_error_not_a_gap(tmp_path):
    source = HEAD + "pillars:\n  - title: P\n    summary:\n      - table: ~\n      - chart:\n      - callout: ~\n"
    result = run_reportc("validate", cwd=project(tmp_path, source))
    assert result.returncode == 1
    assert [line.split(": error: ")[1].split(" is empty")[0] for line in errors(result)] == [
        "`table:`", "`chart:`", "`callout:`"]
    assert errors(result)[0].startswith("sources/r.yaml:6:16: error: ")


def test_a_csv_with_a_noncharacter_or_given_as_a_list_is_reported_at_its_place(tmp_path):
    (tmp_path / "sources" / "data").mkdir(parents=True)
    (tmp_path / "sources" / "data" / "f.csv").write_bytes("H1,H2\na\ufffeb,x\n".encode())
    source = (HEAD + "pillars:\n  - title: P\n    summary:\n      - table: {caption: C, csv: data/f.csv}\n"
              "      - table: {caption: D, csv: [data/f.csv]}\n")
    result = run_reportc("build", "--format", "docx", cwd=project(tmp_path, source))
    assert result.returncode == 1
    assert errors(result) == [
        "sources/data/f.csv:2:2: error: the CSV file holds the character U+FFFE (noncharacter); remove it",
        "sources/r.yaml:7:34: error: pillar 1 (P), `summary` item 2, `table.csv` must be text, not a list"]


@pytest.mark.parametrize("name", ["caf\udce9.yaml", "a\x01b.yaml"])
def test_a_source_whose_name_no_manifest_or_word_file_can_hold_is_refused(tmp_path, name):
    """A name with bytes that are not UTF-8 (from another system's zip) broke every batch build's
    manifest with a traceback; a control character broke a draft's DOCX."""
    folder = tmp_path / "sources"
    folder.mkdir()
    path = os.path.join(os.fsencode(folder), os.fsencode(name))
    with open(path, "wb") as out:
        out.write(b"title: T\nsubject: S\nstatus: draft\npillars:\n  - title: P\n")
    result = run_reportc("build", cwd=tmp_path)
    assert result.returncode == 1
    [message] = errors(result)
    assert message.endswith("in its name; rename it") and ("not UTF-8" in message or "U+0001" in message)
    assert not (tmp_path / "build").exists() or not list((tmp_path / "build").glob("*.pdf"))


def test_a_fifo_among_an_old_versions_sources_does_not_hang_a_redline(tmp_path):
    source = HEAD + "pillars:\n  - title: P\n    grade: good\n"
    work = project(tmp_path / "p", source)
    old = tmp_path / "old"
    old.mkdir()
    os.mkfifo(old / "a.yaml")
    (old / "b.yaml").write_text(source.replace("P", "Q"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "compiler", "build", "--format", "docx", "--redline-from",
                             str(old)], cwd=work, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not errors(result)


def test_a_redline_author_word_cannot_hold_is_a_usage_error(tmp_path):
    result = run_reportc("build", "--redline-author", "A\x01B", cwd=project(tmp_path, HEAD + "pillars: [{title: P}]\n"))
    assert result.returncode == 2
    assert "--redline-author: holds the control character U+0001 (control)" in result.stderr


def test_an_output_that_cannot_be_written_is_named(tmp_path):
    work = project(tmp_path, HEAD + "pillars: [{title: P}]\n")
    (work / "out" / "r.pdf").mkdir(parents=True)
    result = run_reportc("build", "--out", "out", "--format", "pdf", cwd=work)
    assert result.returncode == 1
    assert errors(result) == ["sources/r.yaml:1:1: error: cannot write out/r.pdf: Is a directory; make room for "
                              "the file there, or build into another --out"]


def test_a_line_with_no_key_before_its_colon_says_so(tmp_path):
    result = run_reportc("validate", cwd=project(tmp_path, "title: T\n: c\nsubject: S\n"))
    assert errors(result) == ["sources/r.yaml:2:1: error: invalid YAML: this line has no key before its ':'; "
                              "write the key's name, e.g. `title: ...`"]


def test_shipped_sources_still_build(tmp_path):
    """(the checks above refuse nothing a real report holds)"""
    result = run_reportc("validate", "sources", cwd=ROOT)
    assert result.returncode == 0, result.stderr
