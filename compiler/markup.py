"""Inline and block text -> the model's closed text types. The only place that knows `**`.

Inline markup is exactly `**bold**`, `*italic*` and `[text](url)`; everything else, `<`, `&`,
entities, tags, emoji, is literal text. Parsing never raises: text that does not form markup
stays as written. A link with a scheme other than http, https or mailto is reported.
"""
from __future__ import annotations

import re
from typing import Callable

from .diagnostics import Diagnostics, Span, excerpt
from .model import (Block, BulletList, Emph, Inline, Inlines, Link, ListItem, NumberedList,
                    Paragraph, Strong, SubHeading, Text)

LINK_SCHEMES = ("http", "https", "mailto")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*(?!\*)", re.S)
_EMPH = re.compile(r"\*(?!\*)(?=\S)((?:\*\*(?=\S).+?(?<=\S)\*\*|[^*])+?)(?<=\S)\*(?!\*)", re.S)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_BULLET = re.compile(r"- (.*)\Z", re.S)
_NUMBERED = re.compile(r"(\d{1,9})\. (.*)\Z", re.S)
_SUBHEADING = re.compile(r"### (.*)\Z", re.S)

LinkCheck = Callable[[str], None]


def link_problem(target: str, schemes: tuple[str, ...] = LINK_SCHEMES) -> str | None:
    """Why a link target is refused, or None."""
    match = _SCHEME.match(target)
    if not match or match.group(1).lower() not in schemes:
        prefixes = [f"{s}:" if s == "mailto" else f"{s}://" for s in schemes]
        allowed = " or ".join([", ".join(prefixes[:-1]), prefixes[-1]] if len(prefixes) > 1 else prefixes)
        return f"link '{excerpt(target)}' must start with {allowed}"
    return None


def parse_inline(text: str, span: Span, diagnostics: Diagnostics) -> Inlines:
    def report(target: str) -> None:
        problem = link_problem(target)
        if problem:
            diagnostics.error(span, problem)

    return tuple(_merge_text(_inlines(text, report, allow_links=True)))


def _inlines(text: str, report: LinkCheck, allow_links: bool) -> list[Inline]:
    out: list[Inline] = []
    position = 0
    literal_start = 0
    while position < len(text):
        node, end = _markup_at(text, position, report, allow_links)
        if node is None:
            position += 1
            continue
        if literal_start < position:
            out.append(Text(text[literal_start:position]))
        out.append(node)
        position = literal_start = end
    if literal_start < len(text):
        out.append(Text(text[literal_start:]))
    return out


def _markup_at(text: str, position: int, report: LinkCheck, allow_links: bool) -> tuple[Inline | None, int]:
    char = text[position]
    if char == "[" and allow_links:
        match = _LINK.match(text, position)
        if match:
            report(match.group(2))
            children = tuple(_inlines(match.group(1), report, allow_links=False))
            return Link(match.group(2), children), match.end()
    elif char == "*":
        for pattern, kind in ((_STRONG, Strong), (_EMPH, Emph)):
            match = pattern.match(text, position)
            if match:
                return kind(tuple(_inlines(match.group(1), report, allow_links))), match.end()
    return None, position


def _merge_text(nodes: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return merged


def parse_blocks(text: str, line_span: Callable[[int], Span], diagnostics: Diagnostics) -> tuple[Block, ...]:
    """Block text: paragraphs, `- ` bullets, `1. ` numbered items, `### ` sub-headings.

    `line_span(i)` gives the source position of the i-th line of the text.
    """
    blocks: list[Block] = []
    paragraph: list[str] = []
    paragraph_start = 0
    items: list[ListItem] = []
    list_kind: str | None = None
    list_start = 1

    def inline(source: str, index: int) -> Inlines:
        return parse_inline(source, line_span(index), diagnostics)

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(Paragraph(inline(" ".join(paragraph), paragraph_start), line_span(paragraph_start)))
            paragraph.clear()

    def flush_list() -> None:
        nonlocal list_kind
        if items:
            span = items[0].span
            blocks.append(BulletList(tuple(items), span) if list_kind == "bullet"
                          else NumberedList(tuple(items), list_start, span))
            items.clear()
        list_kind = None

    pending_item: tuple[list[str], int] | None = None

    def flush_item() -> None:
        nonlocal pending_item
        if pending_item:
            lines, index = pending_item
            items.append(ListItem(inline(" ".join(lines), index), line_span(index)))
            pending_item = None

    for index, raw in enumerate(text.split("\n")):
        line = raw.strip()
        bullet, numbered, heading = _BULLET.match(line), _NUMBERED.match(line), _SUBHEADING.match(line)
        if not line:
            flush_paragraph(); flush_item(); flush_list()
        elif heading:
            flush_paragraph(); flush_item(); flush_list()
            blocks.append(SubHeading(inline(heading.group(1).strip(), index), line_span(index)))
        elif bullet or numbered:
            kind = "bullet" if bullet else "number"
            flush_paragraph(); flush_item()
            if list_kind != kind:
                flush_list()
                list_kind = kind
                list_start = int(numbered.group(1)) if numbered else 1
            content = (bullet.group(1) if bullet else numbered.group(2)).strip()
            pending_item = ([content], index)
        elif pending_item and raw[:1] in (" ", "\t"):
            pending_item[0].append(line)  # an indented line continues the list item
        else:
            flush_item(); flush_list()
            if not paragraph:
                paragraph_start = index
            paragraph.append(line)
    flush_paragraph(); flush_item(); flush_list()
    return tuple(blocks)
