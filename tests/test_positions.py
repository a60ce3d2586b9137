"""Positions inside text: a problem in a literal, folded, quoted or plain multi-line scalar is
reported at its own LINE:COL, not at the line where the scalar starts (issue 15, item 5)."""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from compiler.build.load import load_all
from compiler.diagnostics import Diagnostics
from compiler.source.paths import Roots
from compiler.source.yamltree import load_bytes

from .conftest import run_reportc

HEAD = "title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"
BAD = "must start with http://, https:// or mailto:"


def diagnostics_of(tmp_path: Path, text: str) -> list[str]:
    source = tmp_path / "sources" / "r.yaml"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    [loaded] = load_all([source], Roots.at(tmp_path))
    return [d.format() for d in loaded.diagnostics]


def where(text: str, needle: str) -> str:
    """`LINE:COL` of the first `needle` in `text`, counted as an editor does."""
    before = text[:text.index(needle)].replace("\r\n", "\n")
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def positions(messages: list[str]) -> list[str]:
    """`LINE:COL` of each message, in the order printed."""
    return [":".join(message.split(":")[1:3]) for message in messages]


def test_three_bad_links_in_a_literal_block_each_at_its_own_line_and_column(tmp_path):
    # line 6 is the header; the block's lines are 7, 8 and 9
    text = HEAD + ("    findings: |\n"
                   "      One [a](ftp://a) here.\n"
                   "      Two [b](ftp://b) and\n"
                   "        [c](ftp://c) indented.\n")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text(text, encoding="utf-8")
    result = run_reportc("validate", "sources/r.yaml", cwd=tmp_path)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if BAD in line]
    assert positions(lines) == [where(text, "ftp://a"), where(text, "ftp://b"), where(text, "ftp://c")], lines


def test_a_bad_link_on_line_2_col_15_of_a_folded_block(tmp_path):
    text = HEAD + ("    findings: >\n"
                   "      Folded text goes on\n"
                   "      and here [x](javascript:y) ends.\n"
                   "\n"
                   "      A second paragraph [z](ftp://z).\n")
    messages = diagnostics_of(tmp_path, text)
    assert positions(messages) == [where(text, "javascript"), where(text, "ftp://z")] == ["8:20", "10:30"], messages


def test_line_2_col_15_exactly(tmp_path):
    # a folded block whose second line puts the bad link's target at column 15
    text = HEAD + "    findings: >\n      first line\n      see [x](ftp://y)\n"
    assert text.splitlines()[7].index("ftp://y") + 1 == 15
    assert positions(diagnostics_of(tmp_path, text)) == ["8:15"]


def test_an_escape_before_the_error_in_a_double_quoted_scalar(tmp_path):
    # "\t" and "\u00e9" are two and six source characters for one character of the value each
    text = HEAD + '    findings: "tab\\there caf\\u00e9 [x](ftp://y)"\n'
    col = text.splitlines()[5].index("ftp://y") + 1
    assert positions(diagnostics_of(tmp_path, text)) == [f"6:{col}"]


def test_double_quoted_over_several_lines_with_an_escaped_line_break(tmp_path):
    text = HEAD + ('    findings: "one \\\n'
                   '      two\\x41 [x](ftp://y)\n'
                   '\n'
                   '      three [z](ftp://z)"\n')
    assert positions(diagnostics_of(tmp_path, text)) == [where(text, "ftp://y"), where(text, "ftp://z")]


def test_single_quoted_and_plain_multi_line_scalars(tmp_path):
    text = HEAD + ("    summary: 'it''s\n"
                   "      [x](ftp://x)'\n"
                   "    findings: plain text\n"
                   "      goes on [y](ftp://y)\n"
                   "    questions:\n"
                   "      - title: a title\n"
                   "          over [z](ftp://z) lines\n")
    assert positions(diagnostics_of(tmp_path, text)) == [where(text, f"ftp://{n}") for n in "xyz"]


def test_list_items_and_headings_inside_a_block_are_located_too(tmp_path):
    text = HEAD + ("    findings: |+\n"
                   "      ### Heading [h](ftp://h)\n"
                   "\n"
                   "      - item\n"
                   "        continued [i](ftp://i)\n"
                   "      2. **bold [n](ftp://n)**\n\n\n")
    assert positions(diagnostics_of(tmp_path, text)) == [where(text, f"ftp://{n}") for n in "hin"]


def test_an_indentation_indicator_and_more_indented_lines(tmp_path):
    text = HEAD + ("    findings: |2-\n"
                   "        more indented [a](ftp://a)\n"
                   "      normal [b](ftp://b)\n")
    assert positions(diagnostics_of(tmp_path, text)) == [where(text, "ftp://a"), where(text, "ftp://b")]


def test_crlf_line_ends_and_a_comment_after_the_header(tmp_path):
    text = (HEAD + "    findings: >- # a comment\n      one\n      two [x](ftp://x)\n").replace("\n", "\r\n")
    source = tmp_path / "sources" / "r.yaml"
    source.parent.mkdir(parents=True)
    source.write_bytes(text.encode())
    [loaded] = load_all([source], Roots.at(tmp_path))
    assert positions([d.format() for d in loaded.diagnostics]) == [where(text, "ftp://x")]


def test_an_escaped_control_character_is_reported_where_its_escape_is(tmp_path):
    text = HEAD + '    findings: "line\n      two \\a"\n'
    [message] = diagnostics_of(tmp_path, text)
    assert message.startswith("sources/r.yaml:7:11: error: control character U+0007")


def test_every_character_of_any_scalar_maps_inside_the_file_without_crashing():
    # hostile mixtures of styles, escapes, folds and odd indentation: positions stay in the file
    rng = random.Random(15)
    pieces = ["a", " ", "  ", "\\t", "\\x41", "\\u00e9", "''", "\\\n", "\n", "\n\n", "#", ":", "[x](y)", "é"]
    started = time.perf_counter()
    for case in range(300):
        body = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30)))
        for text in (f'k: "{body}"\n', f"k: '{body}'\n", f"k: |\n  {body.replace(chr(10), chr(10) + '  ')}\n",
                     f"k: >\n  {body.replace(chr(10), chr(10) + '  ')}\n", f"k: {body}\n"):
            tree = load_bytes(text.encode(), "r.yaml", Diagnostics())
            if tree is None or not hasattr(tree, "get") or tree.get("k") is None:
                continue
            scalar = tree.get("k")
            lines = text.count("\n") + 1
            for offset in range(len(getattr(scalar, "value", "")) + 2):
                span = scalar.position(offset)
                assert 1 <= span.line <= lines and span.col >= 1, (case, text, offset, span)
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("style", ["|", ">", '"', "'", ""])
def test_the_value_maps_back_character_by_character(style):
    # each letter of the value is found where it was written
    body = ["alpha beta", "gamma", "", "delta"]
    if style in ("|", ">"):
        text = f"k: {style}\n" + "".join(f"  {line}\n" if line else "\n" for line in body)
    else:
        quote = style
        text = f"k: {quote}" + "\n  ".join(body) + f"{quote}\n"
    source_lines = text.split("\n")
    scalar = load_bytes(text.encode(), "r.yaml", Diagnostics()).get("k")
    for offset, char in enumerate(scalar.value):
        if char.isalpha():
            span = scalar.position(offset)
            assert source_lines[span.line - 1][span.col - 1] == char, (offset, span)
