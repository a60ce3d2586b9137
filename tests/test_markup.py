"""Inline and block markup: exactly `**`, `*`, `[text](url)`; everything else literal."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from compiler.diagnostics import Diagnostics, Span
from compiler.markup import parse_blocks, parse_inline
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
        assert nodes == (Text(text),) and not diagnostics.items


def test_unsafe_link_scheme_is_reported():
    _, diagnostics = inline("[x](javascript:alert(1)) and [y](file:///etc/passwd)")
    assert [d.message for d in diagnostics] == [
        "link 'file:///etc/passwd' must start with http://, https:// or mailto:",
        "link 'javascript:alert(1)' must start with http://, https:// or mailto:"]


def test_block_text_shapes():
    text = "Intro line\ncontinues.\n\n### Heading\n- one\n- two\n  more\n\n3. three\n4. four\nAfter.\n"
    blocks = parse_blocks(text, lambda i: Span("r.yaml", 10 + i, 7), Diagnostics())
    kinds = [type(b) for b in blocks]
    assert kinds == [Paragraph, SubHeading, BulletList, NumberedList, Paragraph]
    assert plain_text(blocks[0].content) == "Intro line continues."
    assert [plain_text(i.content) for i in blocks[2].items] == ["one", "two more"]
    assert blocks[3].start == 3 and blocks[2].items[1].span.line == 15
    assert blocks[4].span.line == 20


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
