"""The table of a writer's usual mistakes: each with the exact FILE:LINE:COL, message and hint it
must get, so no message can get vaguer, move, or vanish without a test saying so.

A case is a source (and a style, where the mistake is in one) written into a fresh project; the
run must report exactly the listed diagnostics, no more. tests/diagnostics/*.yaml keeps the
annotated many-mistakes-per-file cases; this table holds the ones a comment cannot sit beside
(a YAML syntax error stops the parse) and one mistake per row for the rest.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from compiler.build.load import load_all
from compiler.source.paths import Roots
from compiler.source.schema import REPORT_SCHEMA, STYLE_SCHEMA

from .conftest import ROOT, run_reportc

HEAD = "title: T\nsubject: S\n"
GOOD = HEAD + "pillars:\n  - title: Efficiency\n    grade: good\n"
SCALE = "the style 'default' has: Outstanding, Good, Requires improvement, Inadequate, Ungraded"
STYLE = "style: house\n" + GOOD


@dataclass(frozen=True)
class Mistake:
    name: str
    source: str
    expected: list[str]  # the diagnostics, exactly, as the command line prints them
    files: dict[str, str] = field(default_factory=dict)  # other files of the project (styles)


def syntax(line: int, col: int, message: str) -> str:
    return f"sources/r.yaml:{line}:{col}: error: invalid YAML: {message}"


MISTAKES = [
    # ---- YAML syntax: libyaml's words become what to write instead, at libyaml's position ----
    Mistake("colon in a value", "title: Policing: a review\n", [syntax(
        1, 16, "a value that contains ': ' must be quoted, e.g. title: \"Policing: a review\"")]),
    Mistake("colon in a list item", GOOD + "    areas_for_improvement:\n      - Note: this\n"
            "    findings: Risk: high\n", [syntax(
                8, 19, "a value that contains ': ' must be quoted, e.g. findings: \"Risk: high\"")]),
    Mistake("colon in a value with quotes", 'title: Say "no": please\n', [syntax(
        1, 16, "a value that contains ': ' must be quoted, e.g. title: 'Say \"no\": please'")]),
    Mistake("tab indenting a list", "title: T\npillars:\n\t- title: a\n", [syntax(
        3, 1, "a tab cannot indent YAML; indent with spaces")]),
    Mistake("tab indenting a key", "title: T\nsubject:\n  a: 1\n\tb: 2\n", [syntax(
        4, 1, "a tab cannot indent YAML; indent with spaces")]),
    Mistake("unclosed double quote", 'title: "Policing\nsubject: S\n', [syntax(
        3, 1, 'close the quote opened at 1:8 with a matching "')]),
    Mistake("unclosed single quote", "subject: S\ntitle: 'Policing\n", [syntax(
        3, 1, "close the quote opened at 2:8 with a matching ' (an apostrophe inside '...' is written "
              "twice: 'It''s')")]),
    Mistake("apostrophe in single quotes", "title: 'It's a review'\n", [syntax(
        1, 12, "text follows the quote that closes at 1:11; quote the whole value, writing a quote inside "
               "it as '' (in '...') or \\\" (in \"...\"), or close the quote left open before it")]),
    Mistake("dash indented further than its siblings", HEAD + "pillars:\n  - title: A\n   - title: B\n", [syntax(
        5, 4, "this list item's '-' is in column 4, but the one above it (line 4) is in column 3; "
              "the dashes of one list line up")]),
    Mistake("dash indented under the item above", HEAD + "pillars:\n  - title: A\n    - title: B\n", [syntax(
        5, 5, "this list item's '-' is in column 5, but the one above it (line 4) is in column 3; "
              "the dashes of one list line up")]),
    Mistake("dash indented less than its siblings", HEAD + "pillars:\n  - title: A\n - title: B\n", [syntax(
        5, 2, "this list item's '-' is in column 2, but the one above it (line 4) is in column 3; "
              "the dashes of one list line up")]),
    Mistake("key of a list item indented short", HEAD + "pillars:\n  - title: A\n   grade: good\n", [syntax(
        5, 4, "this line starts in column 4, but the keys of the list item it is in start in column 5 (line 4); "
              "line it up with them, or start a new item with '- '")]),
    Mistake("dash without its space", HEAD + "pillars:\n  -title: A\n  - title: B\n", [syntax(
        5, 3, "line 4 needs a space after its '-' to be a list item: `- title: A`")]),
    Mistake("the only dash without its space", HEAD + "pillars:\n  -title: A\n", [
        "sources/r.yaml:4:3: error: `pillars` must be a list (items starting with '- '), not a mapping; a list "
        "item needs a space after '-': `- title`"]),
    Mistake("a list with no key", "title: T\n- a\n", [syntax(
        2, 1, "a list ('- ') cannot start here; put it under a key of its own ending in ':', e.g. `pillars:`")]),
    Mistake("key out of line", HEAD + "pillars:\n- title: a\n  grade: good\n questions: []\n", [syntax(
        6, 2, "this line starts in column 2, but the keys of the mapping it is in start in column 1 (line 1); "
              "line it up with them")]),
    Mistake("key indented under the key above", "title: T\n  subject: S\n", [syntax(
        2, 10, "this line is indented further than the key above it, so it continues that key's text, which "
               "cannot contain ': ' unquoted; quote the text, or start this key in the same column as the "
               "keys above")]),
    Mistake("colon without a space", "title:T\nsubject: S\n", [syntax(
        2, 8, "line 1 needs a space after its ':' to be a key: `title: T`")]),
    Mistake("key without a colon", "title\nsubject: S\n", [syntax(
        2, 8, "line 1 has no ':', so this line continues its text; put a ':' after the key on line 1, or "
              "quote text that contains ': '")]),
    Mistake("text after a list on one line", "title: [a] b\n", [syntax(
        1, 12, "nothing can follow the value before it on this line; quote the whole value, e.g. title: \"[a] b\"")]),
    Mistake("stray ]", HEAD + "pillars: [a]]\n", [syntax(
        3, 13, "this ']' closes no '['; remove it, or quote the value that contains it")]),
    Mistake("stray }", "title: T\nsubject: }\n", [syntax(
        2, 10, "this '}' closes no '{'; remove it, or quote the value that contains it")]),
    Mistake("[ never closed", HEAD + "pillars: [a, b\n", [syntax(
        4, 1, "the '[' at 3:10 is never closed; add ']', or quote the value if it is text starting with '['")]),
    Mistake("{ never closed", HEAD + "pillars: {a: b\n", [syntax(
        4, 1, "the '{' at 3:10 is never closed; add '}', or quote the value if it is text starting with '{'")]),
    Mistake("colon inside [...]", HEAD + "pillars: [a: b: c]\n", [syntax(
        3, 15, "inside the '[' opened at 3:10, items are separated by ','; quote an item that contains "
               "': ', ',' or brackets")]),
    Mistake("@ starting a value", "title: @home\n", [syntax(
        1, 8, "a value cannot start with '@' (YAML keeps it for itself); quote it, e.g. title: \"@home\"")]),
    Mistake("backtick starting a value", "title: `code` review\n", [syntax(
        1, 8, "a value cannot start with '`' (YAML keeps it for itself); quote it, e.g. "
              "title: \"`code` review\"")]),
    Mistake("& alone", "title: & co\n", [syntax(
        1, 9, "a value cannot start with '&' (YAML keeps it for itself); quote it, e.g. title: \"& co\"")]),
    Mistake("text after |", "title: T\nsubject: S\nsummary: | text\n", [syntax(
        3, 12, "text cannot follow '|' or '>' on the same line; start the text on the next line, indented")]),
    Mistake("backslash in double quotes", 'title: "C:\\new\\q"\n', [syntax(
        1, 15, "inside double quotes a backslash starts an escape such as \\n; write \\\\ for a backslash, "
               "or use single quotes")]),
    Mistake("list after a key on one line", "title: - a\n", [syntax(
        1, 8, "a list item ('- ') cannot follow a key on the same line; start the list on the next line, "
              "indented, or quote the text")]),
    Mistake("duplicate key", GOOD + "title: U\n", [
        "sources/r.yaml:6:1: error: duplicate key 'title' (first at sources/r.yaml:1:1); remove one of them"]),
    # ---- comments that read as text: YAML would drop them silently ----
    Mistake("# after a space ends the text", GOOD.replace("title: T", "title: Issue #5"), [
        "sources/r.yaml:1:14: warning: the text stops at 'Issue': '#5' is read as a comment (' #' starts one); "
        "quote the value to keep it, e.g. title: \"Issue #5\""]),
    Mistake("# starting a value empties it", STYLE, [
        "styles/house.yaml:2:12: error: this value is empty: '#1D70B8' is read as a comment; quote it to make "
        "it the value, e.g. primary: \"#1D70B8\""], {"styles/house.yaml": "colours:\n  primary: #1D70B8\n"}),
    # ---- values: closed sets name the nearest, ignore case, patterns are said in words ----
    Mistake("grade typo", GOOD.replace("good", "god"), [
        f"sources/r.yaml:5:12: error: unknown grade 'god'; did you mean 'Good'? {SCALE}"]),
    Mistake("grade label typo", GOOD.replace("good", "Requires improvment"), [
        f"sources/r.yaml:5:12: error: unknown grade 'Requires improvment'; did you mean 'Requires improvement'? "
        f"{SCALE}"]),
    Mistake("grade far from any", GOOD.replace("good", "brilliant"), [
        f"sources/r.yaml:5:12: error: unknown grade 'brilliant'; {SCALE}"]),
    Mistake("status typo", "status: drfat\n" + GOOD, [
        "sources/r.yaml:1:9: error: `status`: 'drfat' must be one of: draft, final; did you mean 'draft'?"]),
    Mistake("status far from any", "status: maybe\n" + GOOD, [
        "sources/r.yaml:1:9: error: `status`: 'maybe' must be one of: draft, final"]),
    Mistake("page size typo", STYLE, [
        "styles/house.yaml:2:9: error: `page.size`: 'A5' must be one of: A4, letter; did you mean 'A4'?"],
        {"styles/house.yaml": "page:\n  size: A5\n"}),
    Mistake("true or false typo", STYLE, [
        "styles/house.yaml:2:15: error: `print.crop_marks`: 'ture' must be one of: true, false; did you mean 'true'?"],
        {"styles/house.yaml": "print:\n  crop_marks: ture\n"}),
    Mistake("colour in words", STYLE, [
        "styles/house.yaml:2:9: error: `colours.text`: 'red' is not valid; a colour is #RRGGBB, e.g. #1D70B8"],
        {"styles/house.yaml": "colours:\n  text: red\n"}),
    Mistake("short colour", STYLE, [
        "styles/house.yaml:2:31: error: `grades.good.colour`: '#FFF' is not valid; a colour is #RRGGBB, "
        "e.g. #1D70B8"], {"styles/house.yaml": "grades:\n  good: {label: Good, colour: '#FFF'}\n"}),
    Mistake("language", "language: English\n" + GOOD, [
        "sources/r.yaml:1:11: error: `language`: 'English' is not valid; a language is a BCP 47 tag, "
        "e.g. en-GB or cy"]),
    Mistake("unknown key", GOOD.replace("subject", "subjet"), [
        "sources/r.yaml:1:1: error: missing required key `subject` in the file",
        "sources/r.yaml:2:1: error: unknown key `subjet`; did you mean `subject`?"]),
    Mistake("key with a dash", GOOD + "    -summary: x\n", [
        "sources/r.yaml:6:5: error: unknown key `-summary`; a list item needs a space after '-': `- summary`"]),
    # ---- places: one-based, as a writer counts, with the title ----
    Mistake("place of a question's value", GOOD + "    questions:\n      - title: How well?\n"
            "        findings: {a: b}\n", [
                "sources/r.yaml:8:19: error: pillar 1 (Efficiency), question 1 (How well?), `findings` must "
                "be text, not a mapping"]),
    Mistake("place without a title", GOOD + "  - grade: good\n", [
        "sources/r.yaml:6:5: error: missing required key `title` in pillar 2"]),
    Mistake("place of an empty item", GOOD + "    questions:\n      -\n", [
        "sources/r.yaml:7:8: error: pillar 1 (Efficiency), question 1 is empty; remove the '-' or fill it in"]),
    Mistake("place of a date", GOOD + "  - title: Legitimacy\n    grade: good\n    updated: 2019-02-30\n", [
        "sources/r.yaml:8:14: error: pillar 2 (Legitimacy), `updated`: '2019-02-30' is not a valid date; use "
        "YYYY-MM-DD (for example 2019-05-02)"]),
    Mistake("place of an area's detail", GOOD + "    areas_for_improvement:\n      - text: a\n        detail: {b: c}\n", [
        "sources/r.yaml:8:17: error: pillar 1 (Efficiency), area for improvement 1, `detail` must be text, "
        "not a mapping"]),
    Mistake("place of a rich block with two kinds", GOOD + "    findings:\n      - table: {caption: a}\n"
            "        chart: {type: bar}\n", [
                "sources/r.yaml:7:9: error: pillar 1 (Efficiency), `findings` item 1: a rich block has exactly "
                "one key: table, figure, chart or callout"]),
    Mistake("long title in a place", GOOD.replace("Efficiency", "E" * 80) + "    updated: 2019-02-30\n", [
        f"sources/r.yaml:6:14: error: pillar 1 ({'E' * 39}…), `updated`: '2019-02-30' is not a valid date; use "
        "YYYY-MM-DD (for example 2019-05-02)"]),
]


def diagnostics_of(project: Path, mistake: Mistake) -> list[str]:
    for name, text in {"sources/r.yaml": mistake.source, **mistake.files}.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    [loaded] = load_all([project / "sources" / "r.yaml"], Roots.at(project))
    return [d.format() for d in loaded.diagnostics]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_each_mistake_gets_its_position_message_and_hint(mistake: Mistake, tmp_path):
    assert diagnostics_of(tmp_path, mistake) == mistake.expected


def test_the_command_line_prints_the_table_s_messages(tmp_path):
    colon = MISTAKES[0]
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text(colon.source, encoding="utf-8")
    result = run_reportc("validate", cwd=tmp_path)
    assert (result.returncode, result.stderr.splitlines()) == (1, colon.expected)


@pytest.mark.parametrize("source, canonical", [("status: Draft\n", "draft"), ("status: FINAL\n", "final")])
def test_enumerated_values_ignore_case_and_reach_the_model_as_the_schema_spells_them(source, canonical, tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text(source + GOOD, encoding="utf-8")
    [loaded] = load_all([tmp_path / "sources" / "r.yaml"], Roots.at(tmp_path))
    assert [d.format() for d in loaded.diagnostics] == []
    assert loaded.report.status == canonical


def test_style_values_ignore_case_too(tmp_path):
    mistake = Mistake("", STYLE, [], {"styles/house.yaml": "extends: default\npage:\n  size: LETTER\n"
                                                     "print:\n  crop_marks: True\n"})
    assert diagnostics_of(tmp_path, mistake) == []
    [loaded] = load_all([tmp_path / "sources" / "r.yaml"], Roots.at(tmp_path))
    assert loaded.style.page.width_mm == 215.9 and loaded.style.print.crop_marks is True


def _patterns(schema) -> list[dict]:
    found, pending = [], [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if "pattern" in node and node.get("format") != "date":
                found.append(node)
            pending += node.values()
        elif isinstance(node, list):
            pending += node
    return found


def test_every_pattern_is_said_in_words():
    # a value refused by a pattern is refused with its x-hint, never with the regular expression
    patterns = _patterns(REPORT_SCHEMA) + _patterns(STYLE_SCHEMA)
    assert patterns and all("x-hint" in node for node in patterns)


def closed_pipe() -> int:
    """The writing end of a pipe whose reader has gone: every write to it fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.mark.parametrize("command", [("schema",), ("--help",), ("review", "--help")])
def test_a_closed_stdout_ends_the_command_quietly(command):
    # `reportc schema | head -1`: the reader leaves early; Python printed a BrokenPipeError
    # traceback, or "Exception ignored ... BrokenPipeError" at exit
    stdout = closed_pipe()
    try:
        result = subprocess.run([sys.executable, "-m", "compiler", *command], cwd=ROOT, stdout=stdout,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(stdout)
    assert (result.returncode, result.stderr) == (0, "")


def test_a_closed_stderr_keeps_the_command_s_own_status(tmp_path):
    # a warning is the only output, on stderr; a traceback there would have made the status 1
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text(GOOD.replace("title: T", "title: Issue #5"), encoding="utf-8")
    stderr = closed_pipe()
    try:
        result = subprocess.run([sys.executable, "-m", "compiler", "validate"], cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=stderr, timeout=120)
    finally:
        os.close(stderr)
    assert (result.returncode, result.stdout) == (0, b"")


def test_output_formats_ignore_case_and_name_the_nearest():
    from compiler.cli import _formats

    assert _formats("PDF, Docx") == ("pdf", "docx")
    result = run_reportc("build", "--format", "pfd")
    assert result.returncode == 2
    assert "unknown format 'pfd'; did you mean pdf? choose from pdf, docx" in result.stderr


def test_a_chart_value_written_another_way_says_how_to_write_it():
    from compiler.source.schemacheck import scalar_problem

    number = {"type": "number"}
    assert scalar_problem("1e6", number).endswith("write it in plain digits, such as 1000000")
    assert scalar_problem("1,234.5", number) == ("'1,234.5' has thousands separators; write the number without "
                                                 "them, such as 1234.5")
    assert scalar_problem(".5", number).endswith("such as 0.5")
    assert scalar_problem("-1e-300", number).endswith("write it in plain digits")  # no "-0" offered
    assert scalar_problem("1234567890123456", number) == ("'1234567890123456' has more than 15 digits; "
                                                          "round it to 15 or fewer")
    # More decimals than a chart prints would print as rounded away ("0.00000000000001" as "0")
    assert scalar_problem("0.30000000000000004", number).startswith("'0.30000000000000004' has 17 decimal places; "
                                                                    "round it to 10 or fewer")
    assert scalar_problem("0.0000000001", number) is None
    assert scalar_problem("-999999999999999", number) is None  # 15 digits: the minus is no digit
    assert scalar_problem("abc", number).startswith("'abc' is not a number; write digits")


def test_a_refused_id_is_one_error(tmp_path):
    from tests.conftest import run_reportc

    (tmp_path / "sources").mkdir()
    body = "title: T\nsubject: S\npillars:\n  - title: P\n"
    (tmp_path / "sources" / "a.yaml").write_text("id: ../../etc\n" + body)
    (tmp_path / "sources" / "b.yaml").write_text("id: " + "a" * 101 + "\n" + body)
    (tmp_path / "sources" / "c.yaml").write_text("id: con\n" + body)  # valid by pattern, refused on Windows
    errors = run_reportc("validate", cwd=tmp_path).stderr.splitlines()
    assert [line.split(": error: ")[0] for line in errors] == ["sources/a.yaml:1:5", "sources/b.yaml:1:5",
                                                               "sources/c.yaml:1:5"], errors


def test_a_tagged_list_or_mapping_is_one_error_its_tag(tmp_path):
    from tests.conftest import run_reportc

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text(
        'title: !!python/object/apply:os.system ["ls"]\nsubject: S\npillars: !!set\n  - title: P\n')
    errors = run_reportc("validate", cwd=tmp_path).stderr.splitlines()
    assert [line.split(": error: ")[0] for line in errors] == ["sources/r.yaml:1:8", "sources/r.yaml:3:10"], errors
    assert all("is not allowed; YAML is read as plain data" in line for line in errors)
