"""Hostile source and style YAML found by a review (round 5): each a clear message at its place,
the same from `validate` and `build`, and never a message that blames reportc or another file."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import run_reportc

HEAD = "title: T\nsubject: S\n"
PILLAR = "pillars:\n  - title: P\n    grade: good\n"


def project(tmp_path: Path, source: str, style: str | None = None) -> Path:
    (tmp_path / "sources").mkdir(parents=True, exist_ok=True)
    (tmp_path / "sources" / "r.yaml").write_bytes(source.encode("utf-8"))
    if style is not None:
        (tmp_path / "styles").mkdir(exist_ok=True)
        (tmp_path / "styles" / "house.yaml").write_text(style, encoding="utf-8")
    return tmp_path


def errors(result: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if ": error: " in line]


@pytest.mark.parametrize("written", ["~", "null", ""])
def test_a_null_id_builds_under_the_file_name_as_validate_says(tmp_path, written):
    """`id: ~` passed validate, but the batch build's early id read (peek_id) took '~' for the id
    (libyaml marks a plain scalar "", not None) and refused the source with "please report this"."""
    root = project(tmp_path, HEAD + f"id: {written}\n" + PILLAR)
    assert run_reportc("validate", cwd=root).returncode == 0
    result = run_reportc("build", "--format", "html", cwd=root)
    assert result.returncode == 0 and not errors(result), result.stderr
    assert (root / "build" / "r.html").is_file()


def test_a_folder_named_like_a_style_is_said_to_be_one(tmp_path):
    """A folder styles/brand.yaml gave "style 'brand' not found; did you mean 'brand'?"."""
    root = project(tmp_path, HEAD + "style: brand\n" + PILLAR)
    (root / "styles" / "brand.yaml").mkdir(parents=True)
    for command in ("validate", "build"):
        result = run_reportc(command, cwd=root)
        assert result.returncode == 1
        assert errors(result) == [f"sources/r.yaml:3:8: error: style 'brand.yaml' is not a regular file "
                                  f"({root.resolve() / 'styles' / 'brand.yaml'}); point it at a file"]


def test_a_folder_named_like_a_style_is_no_known_style(tmp_path):
    root = project(tmp_path, HEAD + "style: bran\n" + PILLAR)
    (root / "styles" / "brand.yaml").mkdir(parents=True)
    [message] = errors(run_reportc("validate", cwd=root))
    assert "not found" in message and "brand" not in message


def test_an_empty_style_or_one_of_two_documents_is_described_as_a_style(tmp_path):
    root = project(tmp_path, HEAD + "style: house\n" + PILLAR, style="# nothing yet\n")
    assert errors(run_reportc("validate", cwd=root)) == [
        "styles/house.yaml:1:1: error: file is empty; a style needs at least a line such as `extends: default`"]
    (root / "styles" / "house.yaml").write_text("extends: default\n---\nextends: hmicfrs\n", encoding="utf-8")
    assert errors(run_reportc("validate", cwd=root)) == [
        "styles/house.yaml:2:1: error: a second YAML document ('---'); a file holds one style"]


SEPARATOR = ("ends a line for YAML, though an editor shows none; replace it with a space or a line break")


@pytest.mark.parametrize("source, at", [
    (HEAD.replace("T", "a\u2028b", 1) + PILLAR, "1:9"),
    (HEAD + PILLAR + "    summary: |\n      Pasted\u2028text\n      more.\n", "7:13"),
    (HEAD + PILLAR + "    summary: >\n      Pasted\u2029text\n", "7:13"),
    (HEAD + PILLAR + "    summ\u2028ary: a\n", "6:9"),
])
def test_a_line_separator_pasted_into_text_is_named_where_it_is(tmp_path, source, at):
    """libyaml ends a line at U+2028 and U+2029 (YAML 1.1): the error was about a line the writer
    cannot see ("line 7 has no ':' after its key", two lines further down)."""
    root = project(tmp_path, source)
    for command in ("validate", "build"):
        result = run_reportc(command, cwd=root)
        assert result.returncode == 1
        [message] = errors(result)
        assert message.startswith(f"sources/r.yaml:{at}: error: U+202") and message.endswith(SEPARATOR)
    assert not (root / "build" / "r.pdf").exists()


def test_a_line_separator_kept_in_quotes_is_not_blamed_for_a_later_error(tmp_path):
    root = project(tmp_path, "title: 'a\u2028b'\nsubject: S\n" + PILLAR + "    summary: [a,\n")
    [message] = errors(run_reportc("validate", cwd=root))
    assert "U+2028" not in message and message.startswith("sources/r.yaml:7:1: error: invalid YAML")


def test_a_quoted_line_separator_still_builds(tmp_path):
    root = project(tmp_path, 'title: "a\u2028b"\nsubject: S\n' + PILLAR)
    result = run_reportc("build", "--format", "html", cwd=root)
    assert result.returncode == 0 and not errors(result), result.stderr
    assert os.path.exists(root / "build" / "r.html")


def test_an_empty_path_says_which_and_what_to_write(tmp_path):
    """`csv: ""` or a blank font path printed only "error: is not a usable path"."""
    source = HEAD + PILLAR + "    summary:\n      - table: {caption: C, csv: ''}\n"
    root = project(tmp_path, source, style="extends: default\nfonts:\n  fallback: [' ']\n")
    assert errors(run_reportc("validate", cwd=root)) == [
        "sources/r.yaml:7:34: error: '' is not a usable path; write the path of a file"]
    root = project(tmp_path, HEAD + "style: house\n" + PILLAR)
    assert errors(run_reportc("validate", cwd=root)) == [
        "styles/house.yaml:3:14: error: ' ' is not a usable path; write the path of a file"]
