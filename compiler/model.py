"""The document model: what a report says, resolved and validated, with no rendering logic.

Standard library only. Every node keeps the span of the source it came from, so any later
stage (layout, renderers, the review round trip) can point back at the writer's line.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator, Union

from .diagnostics import Span

# ---- inline text: a closed union -------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Emph:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Link:
    target: str
    children: tuple["Inline", ...]


Inline = Union[Text, Strong, Emph, Link]
Inlines = tuple[Inline, ...]


def plain_text(inlines: Inlines) -> str:
    """The characters a reader sees, markup removed."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)


@dataclass(frozen=True)
class InlineText:
    """One text field with inline markup (a title, a list item, a recommendation)."""

    content: Inlines
    span: Span

    @property
    def plain(self) -> str:
        return plain_text(self.content)


# ---- block text ------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    content: Inlines
    span: Span


@dataclass(frozen=True)
class SubHeading:
    content: Inlines
    span: Span
    level: int = 1  # 1 for `### `, 2 for `#### ` (one level below)


@dataclass(frozen=True)
class Quotation:
    """Consecutive `> ` lines: paragraphs, and an attribution from a last `> -- Name, role` line."""

    paragraphs: tuple[Paragraph, ...]
    attribution: Paragraph | None
    span: Span


@dataclass(frozen=True)
class ListItem:
    content: Inlines
    span: Span
    children: tuple["Block", ...] = ()  # lists nested inside this item (v2), up to 3 levels in all


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]
    span: Span


@dataclass(frozen=True)
class NumberedList:
    items: tuple[ListItem, ...]
    start: int
    span: Span


@dataclass(frozen=True)
class TableCell:
    content: Inlines
    span: Span


@dataclass(frozen=True)
class Table:
    """A table written as a pipe table: cells are inline text, tags print as written."""

    caption: Inlines | None  # from a `Table: CAPTION` line under the table
    name: str | None  # `{#tbl-NAME}` at the caption's end, for cross-references
    header: tuple[TableCell, ...]
    align: tuple[str, ...]  # "left" | "right" | "center", one per column
    rows: tuple[tuple[TableCell, ...], ...]  # each as long as the header
    span: Span

    @property
    def items(self) -> tuple[TableCell, ...]:
        """Every text of the table (caption, header, cells): the length, markup and glyph checks
        of block text take them one by one, as they take a list's items."""
        caption = (TableCell(self.caption, self.span),) if self.caption else ()
        return caption + self.header + tuple(cell for row in self.rows for cell in row)


Block = Union[Paragraph, SubHeading, BulletList, NumberedList, Table, Quotation]


def text_parts(block: "Block") -> Iterator:
    """Every piece of text of a block with its own `content` and `span` (a list's items, nested
    ones included; a quotation's paragraphs and attribution; a table's cells), in reading order:
    the length, markup and glyph checks of block text take them one by one."""
    if isinstance(block, (BulletList, NumberedList)):
        for item in block.items:
            yield item
            for child in item.children:
                yield from text_parts(child)
    elif isinstance(block, Quotation):
        yield from block.paragraphs
        if block.attribution:
            yield block.attribution
    else:
        yield from getattr(block, "items", (block,))


@dataclass(frozen=True)
class BlockText:
    """A block text field (summary, findings, detail, body)."""

    blocks: tuple[Block, ...]
    span: Span


# ---- report structure ------------------------------------------------------------------

UNGRADED = "ungraded"


@dataclass(frozen=True)
class AreaForImprovement:
    text: InlineText
    detail: BlockText | None
    span: Span


@dataclass(frozen=True)
class CauseOfConcern:
    text: InlineText
    lead_in: InlineText | None
    recommendations: tuple[InlineText, ...]
    span: Span


@dataclass(frozen=True)
class Question:
    number: int
    title: InlineText
    grade: str | None  # a grade key of the style's scale, UNGRADED, or None: no badge
    carried_over: str | None
    areas_for_improvement: tuple[AreaForImprovement, ...]
    causes_of_concern: tuple[CauseOfConcern, ...]
    findings: BlockText | None
    detailed_findings: str | None
    span: Span
    grade_span: Span | None = None  # the `grade:` value, where a comment on the badge belongs


@dataclass(frozen=True)
class Pillar:
    title: InlineText
    question: InlineText | None
    grade: str | None  # as a question's
    updated: date | None
    carried_over: str | None
    summary: BlockText | None
    areas_for_improvement: tuple[AreaForImprovement, ...]
    causes_of_concern: tuple[CauseOfConcern, ...]
    findings: BlockText | None
    questions: tuple[Question, ...]
    span: Span
    grade_span: Span | None = None  # the `grade:` value, where a comment on the badge belongs


@dataclass(frozen=True)
class Section:
    """A front-matter or annex section."""

    title: InlineText
    body: BlockText | None
    span: Span


@dataclass(frozen=True)
class Report:
    id: str
    title: InlineText
    subject: InlineText
    programme: InlineText | None
    published: date | None
    language: str
    status: str  # "draft" | "final"
    marking: str | None
    version: str | None
    summary: BlockText | None
    front_matter: tuple[Section, ...]
    pillars: tuple[Pillar, ...]
    annexes: tuple[Section, ...]
    source: str  # the source file as named in diagnostics
    span: Span
    numbered_questions: bool = True  # false: questions print without their numbers
    grade: str | None = None  # (v2) overall judgment: a grade key, UNGRADED, or None (not printed)
    grade_span: Span | None = None  # the `grade:` value, where a comment on the cover badge belongs

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"
