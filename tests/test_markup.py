"""Inline and block markup: exactly `**`, `*`, `[text](url)`; everything else literal."""
from __future__ import annotations

import re
import time

import pytest
from hypothesis import example, given, settings, strategies as st

from compiler.diagnostics import Diagnostics, Span
from compiler.source.markup import MAX_NESTING, _merge_text, parse_blocks, parse_inline
from compiler.model import BulletList, Emph, Link, NumberedList, Paragraph, Strong, SubHeading, Text, plain_text

SPAN = Span("r.yaml", 1, 1)


def inline(text: str):
    diagnostics = Diagnostics()
    return parse_inline(text, SPAN, diagnostics), diagnostics


def test_markup_kinds():
    nodes, diagnostics = inline("**bold** *it* [site](https://example.org/a_(b)) [mail](mailto:a@b.org)")
    assert nodes == (Strong((Text("bold"),)), Text(" "), Emph((Text("it"),)), Text(" "),
                     Link("https://example.org/a_(b)", (Text("site"),)), Text(" "),
                     Link("mailto:a@b.org", (Text("mail"),)))
    assert not diagnostics.items


def test_html_entities_and_angle_brackets_are_literal():
    for text in ['<img src="/etc/passwd"/>', "R&D", "&copy;", "a < b & c > d", "<b>x</b> &#0; &amp;"]:
        nodes, diagnostics = inline(text)
        assert nodes == (Text(text),) and not diagnostics.errors
        # (v2) a tag prints as written with a warning; `<` in prose does not warn
        assert bool(diagnostics.warnings) == text.startswith("<"), text


def test_unsafe_link_scheme_is_reported():
    _, diagnostics = inline("[x](javascript:alert(1)) and [y](file:///etc/passwd)")
    assert [d.message for d in diagnostics] == [
        "link 'file:///etc/passwd' must start with http://, https:// or mailto:",
        "link 'javascript:alert(1)' must start with http://, https:// or mailto:"]


def test_block_text_shapes():
    text = "Intro line\ncontinues.\n\n### Heading\n- one\n- two\n  more\n\n3. three\n4. four\n\nAfter.\n"
    blocks = parse_blocks(text, lambda i: Span("r.yaml", 10 + i, 7), Diagnostics())
    kinds = [type(b) for b in blocks]
    assert kinds == [Paragraph, SubHeading, BulletList, NumberedList, Paragraph]
    assert plain_text(blocks[0].content) == "Intro line continues."
    assert [plain_text(i.content) for i in blocks[2].items] == ["one", "two more"]
    assert blocks[3].start == 3 and blocks[2].items[1].span.line == 15
    assert blocks[4].span.line == 21


def test_wrapped_lines_stay_in_their_paragraph_or_item():
    """As in Markdown: a line right after a list item continues it, indented or not (a blank line
    ends the list); a numbered line inside a paragraph is its text wrapped unless it is `1. `,
    which starts a list after a lead-in line."""
    text = ("The home moved to a new building in\n2019. It has 48 beds.\n\n"
            "- 7 of the 18 records had gaps, and on 3 we could\nnot be sure people had their medicines;\n"
            "- the rest were complete.\n\nAfter the list.\nThe force should:\n1. act\n2. report\n")
    blocks = parse_blocks(text, lambda i: Span("r.yaml", 1 + i, 1), Diagnostics())
    assert [type(b) for b in blocks] == [Paragraph, BulletList, Paragraph, NumberedList]
    assert plain_text(blocks[0].content) == "The home moved to a new building in 2019. It has 48 beds."
    assert [plain_text(item.content) for item in blocks[1].items] == [
        "7 of the 18 records had gaps, and on 3 we could not be sure people had their medicines;",
        "the rest were complete."]
    assert plain_text(blocks[2].content) == "After the list. The force should:"
    assert [plain_text(item.content) for item in blocks[3].items] == ["act", "report"]


no_markup = st.text(alphabet=st.characters(blacklist_characters="*[", blacklist_categories=("Cs",)))


@settings(max_examples=400)
@given(no_markup)
def test_text_without_markup_round_trips_exactly(text):
    nodes, _ = inline(text)
    assert plain_text(nodes) == text


@settings(max_examples=400)
@given(st.text(alphabet=st.sampled_from("*[]()ab \n<>&h:/")))
def test_inline_parsing_never_raises_and_keeps_non_markup_characters(text):
    nodes, _ = inline(text)
    visible = plain_text(nodes)
    assert set(visible) <= set(text)


@settings(max_examples=300)
@given(st.text())
def test_block_parsing_never_raises(text):
    parse_blocks(text, lambda i: SPAN, Diagnostics())


# ---- the linear-time parser agrees with the backtracking patterns it replaced -------------
# Those patterns took quadratic time or worse on hostile text ("**a " * 8000 took 12 s, and
# "*" * 3000 + "a" + "*" * 3000 overflowed the stack); they stay here as the reference.

_REF_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")
_REF_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*(?!\*)", re.S)
_REF_EMPH = re.compile(r"\*(?!\*)(?=\S)((?:\*\*(?=\S).+?(?<=\S)\*\*|[^*])+?)(?<=\S)\*(?!\*)", re.S)


def reference_inlines(text: str, allow_links: bool = True, depth: int = 1) -> list:
    if depth > MAX_NESTING:
        return [Text(text)] if text else []
    out, position, literal_start = [], 0, 0
    while position < len(text):
        node, end = None, position
        if text[position] == "[" and allow_links and (match := _REF_LINK.match(text, position)):
            node, end = Link(match.group(2), tuple(reference_inlines(match.group(1), False, depth + 1))), match.end()
        elif text[position] == "*":
            for pattern, kind in ((_REF_STRONG, Strong), (_REF_EMPH, Emph)):
                if match := pattern.match(text, position):
                    node = kind(tuple(reference_inlines(match.group(1), allow_links, depth + 1)))
                    end = match.end()
                    break
        if node is None:
            position += 1
            continue
        if literal_start < position:
            out.append(Text(text[literal_start:position]))
        out.append(node)
        position = literal_start = end
    if literal_start < len(text):
        out.append(Text(text[literal_start:]))
    return _merge_text(out)


markup_soup = st.text(alphabet=st.sampled_from("***[]()ab \n\u00a0h:/"), max_size=40)


@settings(max_examples=3000)
@given(markup_soup)
@example("*a **b** c*")
@example("***a* b**")
@example("*a **b**c**d* e*")
@example("**a **b** c**")
@example("*[x](https://e.org/*a*)*")
def test_linear_parser_agrees_with_the_reference_patterns(text):
    nodes, _ = inline(text)
    assert list(nodes) == reference_inlines(text)


@pytest.mark.parametrize("text", ["**a " * 100_000, "*a **b " * 60_000, "* **a" * 80_000, "[a](" * 100_000,
                                  "*" * 200_000 + "a" + "*" * 200_000, "[" * 300_000, "*a" + "**b" * 100_000,
                                  "[a](b" + "(c)" * 100_000, "_*" * 200_000], ids=lambda text: repr(text[:12]))
def test_hostile_text_parses_in_linear_time(text):
    started = time.perf_counter()
    nodes, _ = inline(text)
    assert time.perf_counter() - started < 10  # the patterns replaced took minutes to hours here
    assert len(plain_text(nodes)) <= len(text)


def test_quote_marks_with_nothing_after_them_print_as_written():
    """A `>` line quotes nothing: it was dropped, and a paragraph of just ">" vanished."""
    for text, expected in ((">", [">"]), (">\n>", ["> >"]), ("a\n>\nb", ["a", ">", "b"])):
        blocks = parse_blocks(text, lambda i: Span("r.yaml", 1 + i, 1), Diagnostics())
        assert [type(b) for b in blocks] == [Paragraph] * len(expected)
        assert [plain_text(b.content) for b in blocks] == expected
