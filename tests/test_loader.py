"""The YAML loader on raw bytes: every problem reported with its position, never a traceback."""
from __future__ import annotations

import pytest

from compiler.diagnostics import Diagnostics
from compiler.source.yamltree import MAX_DEPTH, MAX_SOURCE_BYTES, Mapping, Scalar, load_bytes


def diagnose(data: bytes) -> list[str]:
    diagnostics = Diagnostics()
    load_bytes(data, "r.yaml", diagnostics)
    return [d.format() for d in diagnostics]


def test_every_node_keeps_its_position():
    diagnostics = Diagnostics()
    tree = load_bytes(b"title: A\npillars:\n  - title: B\n    summary: |\n      one\n\n      two\n", "r.yaml",
                      diagnostics)
    assert isinstance(tree, Mapping) and not diagnostics.items
    pillar = tree.get("pillars").items[0]
    assert (pillar.span.line, pillar.span.col) == (3, 5)
    summary = pillar.get("summary")
    assert isinstance(summary, Scalar) and summary.value == "one\n\ntwo\n"
    assert (summary.line_span(0).line, summary.line_span(0).col) == (5, 7)
    assert summary.line_span(2).line == 7


def test_invalid_utf8_names_the_line_of_the_first_bad_byte():
    assert diagnose(b"title: ok\nsubject: caf\xe9\n") == [
        "r.yaml:2:13: error: byte 0xE9 is not UTF-8; save the file as UTF-8"]


def test_bom_is_accepted():
    assert diagnose("\ufefftitle: x\n".encode()) == []


@pytest.mark.parametrize("data", [b"", b"\n\n", b"# just a comment\n"])
def test_empty_file_is_an_error(data):
    assert diagnose(data) == ["r.yaml:1:1: error: file is empty; a report needs at least `title`, "
                              "`subject` and `pillars`"]


def test_oversized_file_is_refused_before_parsing():
    [message] = diagnose(b"a" * (MAX_SOURCE_BYTES + 1))
    assert message.startswith("r.yaml:1:1: error: file is 2,097,153 bytes, over the 2,097,152-byte limit")


def test_raw_control_characters_are_each_reported_and_parsing_goes_on():
    messages = diagnose(b"title: a\x00b\nsubject: c\x1bd\nx: [\n")
    assert messages[0] == ("r.yaml:1:9: error: control character U+0000 (control) is not allowed; "
                           "delete it (only tab and newline may appear)")
    assert messages[1].startswith("r.yaml:2:11: error: control character U+001B")
    assert messages[2].startswith("r.yaml:4:1: error: invalid YAML")


def test_escaped_surrogate_or_code_past_unicode_is_an_error_with_position():
    for escape in (b"\\uD800", b"\\U00110000"):
        assert diagnose(b'title: "' + escape + b'"\n') == [
            "r.yaml:1:11: error: invalid YAML: this escape is no Unicode character (a lone surrogate such as "
            "\\uD800, or a code past \\U0010FFFF); write the character itself"]


def test_tab_indentation_gets_a_hint():
    [message] = diagnose(b"pillars:\n\t- title: x\n")
    assert message == "r.yaml:2:1: error: invalid YAML: a tab cannot indent YAML; indent with spaces"


def test_deep_nesting_is_refused_without_recursion():
    depth = MAX_DEPTH + 5000
    messages = diagnose(b"a: " + b"[" * depth + b"]" * depth + b"\n")
    assert messages == [f"r.yaml:1:{MAX_DEPTH + 3}: error: nesting deeper than {MAX_DEPTH} levels; "
                        "a report is at most a few levels deep"]


def test_second_document_is_refused():
    assert diagnose(b"title: a\n---\ntitle: b\n") == [
        "r.yaml:2:1: error: a second YAML document ('---'); a file holds one report"]


def test_every_node_knows_the_field_it_fills():
    diagnostics = Diagnostics()
    tree = load_bytes(b"pillars:\n  - questions:\n      - findings: |\n          one\n", "r.yaml", diagnostics)
    findings = tree.get("pillars").items[0].get("questions").items[0].get("findings")
    assert findings.span.path == "pillars[0].questions[0].findings"
    assert findings.line_span(0).path == "pillars[0].questions[0].findings"
