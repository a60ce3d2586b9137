"""Redlines diff in bounded time (layout/diffing.py): difflib's own opcodes below the bound;
above it, the shared start and end matched first and what differs between diffed or replaced
whole. Either way the opcodes turn the old sequence into the new one exactly."""
from __future__ import annotations

import difflib

from hypothesis import given, settings, strategies as st

from compiler.layout import diffing

from .conftest import run_reportc
from .test_redline import EPOCH, accepted, body, rejected, styled_texts

ITEMS = st.lists(st.sampled_from("ab c"), max_size=40)


def replayed(old: list, new: list, codes: list) -> list:
    """`new` rebuilt from `old` by the opcodes, each checked on the way."""
    out: list = []
    at_old = at_new = 0
    for tag, i1, i2, j1, j2 in codes:
        assert (i1, j1) == (at_old, at_new)  # in order, nothing skipped
        if tag == "equal":
            assert old[i1:i2] == new[j1:j2]
        out += new[j1:j2]
        at_old, at_new = i2, j2
    assert (at_old, at_new) == (len(old), len(new))
    return out


@settings(max_examples=300, deadline=None)
@given(ITEMS, ITEMS, st.sampled_from([0, 5, 40, diffing.MAX_EQUAL_PAIRS]))
def test_the_opcodes_turn_the_old_sequence_into_the_new(old, new, bound):
    original = diffing.MAX_EQUAL_PAIRS
    diffing.MAX_EQUAL_PAIRS = bound
    try:
        codes = diffing.opcodes(old, new)
    finally:
        diffing.MAX_EQUAL_PAIRS = original
    assert replayed(old, new, codes) == new
    if bound == original:
        assert codes == difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


def test_a_long_paragraph_edited_in_one_place_still_diffs_word_by_word():
    old = ["word", " "] * 2_000 + ["old"] + ["word", " "] * 2_000
    new = ["word", " "] * 2_000 + ["new"] + ["word", " "] * 2_000
    codes = diffing.opcodes(old, new)
    assert [code[0] for code in codes] == ["equal", "replace", "equal"]
    assert codes[1][1:] == (4_000, 4_001, 4_000, 4_001)


def test_repetitive_paragraphs_and_blocks_redline_exactly(tmp_path):
    """1,500 repeated words against 1,500 others took 164 s; 2,000 alternating paragraphs 44 s."""
    old, new = tmp_path / "old", tmp_path / "sources"
    for folder, word in ((old, "a"), (new, "b")):
        folder.mkdir()
        blocks = "".join(f"          {'x' if n % 2 else word}\n\n" for n in range(2_000))
        (folder / "r.yaml").write_text(
            "title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n    questions:\n"
            f"      - title: Q\n        grade: good\n        findings: |\n          {f'{word} ' * 1_500}\n\n"
            + blocks, encoding="utf-8")
    for args in (("--out", "red", "--redline-from", "old"), ("--out", "new"), ("old", "--out", "was")):
        result = run_reportc("build", "--format", "docx", *args, cwd=tmp_path, env=EPOCH)
        assert result.returncode == 0, result.stderr
    red = body(tmp_path / "red" / "r.docx")
    assert styled_texts(accepted(red)) == styled_texts(body(tmp_path / "new" / "r.docx"))
    red = body(tmp_path / "red" / "r.docx")
    assert styled_texts(rejected(red)) == styled_texts(body(tmp_path / "was" / "r.docx"))
