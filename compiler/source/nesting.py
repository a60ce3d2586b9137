"""Block text (v2) structures that span several lines: nested lists and quotations.

markup.parse_blocks reads block text line by line; it hands list item lines to a ListBuilder,
which nests them by indentation, and the lines of one quotation to `quotation`.
A piece is (line index, offset in the text parsed, stripped text), as markup uses them.
"""
from __future__ import annotations

import re
from dataclasses import field
from typing import Callable

from ..diagnostics import Diagnostics, Span
from ..model import Block, BulletList, Inlines, ListItem, NumberedList, Paragraph, Quotation
from ..records import dataclass

MAX_LIST_DEPTH = 3  # levels of lists inside list items, the outer list included
NEST_INDENT = 2  # spaces further than the item above that start a list inside that item
_ATTRIBUTION = re.compile(r"(?:--|\u2014) ?(\S.*)\Z", re.S)  # `-- Name, role` or `— Name, role`

Piece = tuple[int, int, str]
InlineOf = Callable[[list[Piece]], Inlines]


def indent_of(raw: str) -> int:
    """Columns of white space before a line's text (a tab counts as 4)."""
    expanded = raw.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


@dataclass
class _Item:
    pieces: list[Piece]
    span: Span
    children: list[Block] = field(default_factory=list)


@dataclass
class _Level:
    indent: int
    kind: str  # "bullet" | "number"
    start: int
    span: Span
    items: list[_Item] = field(default_factory=list)


class ListBuilder:
    """The lists open at the current line, outermost first; closed lists go into their parent
    item, or, for the outermost, to `emit`."""

    def __init__(self, inline: InlineOf, diagnostics: Diagnostics, emit: Callable[[Block], None]) -> None:
        self.inline = inline
        self.diagnostics = diagnostics
        self.emit = emit
        self.levels: list[_Level] = []

    @property
    def open(self) -> bool:
        return bool(self.levels)

    def item(self, indent: int, kind: str, number: int, piece: Piece, span: Span) -> None:
        """An item line: `span` is where its marker was written."""
        if self.levels and indent >= self.levels[-1].indent + NEST_INDENT:
            if len(self.levels) < MAX_LIST_DEPTH:
                self._open(indent, kind, number, span)
                self.levels[-1].items.append(_Item([piece], span))
                return
            self.diagnostics.error(span, f"a list nests at most {MAX_LIST_DEPTH} levels deep; indent this "
                                         "item no further than the item above")
            # kept in the deepest list, so its text still prints and the list goes on after it
            indent, kind = self.levels[-1].indent, self.levels[-1].kind
        while len(self.levels) > 1 and indent < self.levels[-1].indent:
            self._close_top()
        if not self.levels or self.levels[-1].kind != kind:
            if self.levels:
                self._close_top()  # a bullet after numbers (or the reverse) starts a new list
            self._open(indent, kind, number, span)
        self.levels[-1].items.append(_Item([piece], span))

    def continue_item(self, piece: Piece) -> None:
        """An indented line that is not an item continues the item above."""
        self.levels[-1].items[-1].pieces.append(piece)

    def close(self) -> None:
        while self.levels:
            self._close_top()

    def _open(self, indent: int, kind: str, number: int, span: Span) -> None:
        self.levels.append(_Level(indent, kind, number, span))

    def _close_top(self) -> None:
        level = self.levels.pop()
        items = tuple(ListItem(self.inline(item.pieces), item.span, tuple(item.children)) for item in level.items)
        block: Block = (BulletList(items, level.span) if level.kind == "bullet"
                        else NumberedList(items, level.start, level.span))
        if self.levels:
            self.levels[-1].items[-1].children.append(block)
        else:
            self.emit(block)


def quotation(lines: list[Piece], inline: InlineOf, span_of: Callable[[Piece], Span]) -> Quotation:
    """One quotation from the content of its `> ` lines (markers removed; an empty piece is a
    blank `>` line, which separates paragraphs). A last line `-- Name, role` is the attribution."""
    attribution = None
    last = lines[-1]
    match = _ATTRIBUTION.match(last[2])
    if match and len(lines) > 1:
        piece = (last[0], last[1] + match.start(1), match.group(1).rstrip())
        attribution = Paragraph(inline([piece]), span_of(piece))
        lines = lines[:-1]
    paragraphs: list[Paragraph] = []
    current: list[Piece] = []
    for piece in [*lines, (0, 0, "")]:  # the empty piece ends the last paragraph
        if piece[2]:
            current.append(piece)
        elif current:
            paragraphs.append(Paragraph(inline(current), span_of(current[0])))
            current = []
    return Quotation(tuple(paragraphs), attribution, span_of(lines[0]))
