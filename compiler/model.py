"""The document model: what a report says, resolved and validated, with no rendering logic.

Standard library, `records.dataclass` and the style's plain `Image` only. Every node keeps the span of the source it came from, so any later
stage (layout, renderers, the review round trip) can point back at the writer's line.
"""
from __future__ import annotations

import unicodedata
from dataclasses import field, fields, is_dataclass
from datetime import date
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Callable, Iterator, Union

from .diagnostics import Span
from .style.types import Image
from .records import dataclass

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


@dataclass(frozen=True)
class NoteRef:
    """`[^NAME]`: a mark referring to the note `[^NAME]: TEXT` of the same report (v2)."""

    name: str
    span: Span = field(compare=False)  # where the reference was written: errors point at it

    children = ()  # a mark has no words of its own (layout numbers it)


@dataclass(frozen=True)
class CrossRef:
    """`@tbl-NAME` / `@fig-NAME`: prints as "Table 2" / "Figure 3", linked (v2)."""

    kind: str  # "tbl" | "fig"
    name: str
    span: Span = field(compare=False)

    @property
    def written(self) -> str:
        return f"@{self.kind}-{self.name}"

    @property
    def children(self) -> tuple["Inline", ...]:
        return (Text(self.written),)  # until layout numbers it, it reads as written


Inline = Union[Text, Strong, Emph, Link, NoteRef, CrossRef]
Inlines = tuple[Inline, ...]


def plain_text(inlines: Inlines) -> str:
    """The characters a reader sees, markup removed (a note mark has none; layout's resolved
    inlines have `children` too)."""
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
    source: Inlines | None = None  # (v2 `table:` block) printed as "Source: ..." under it
    notes: tuple["Block", ...] = ()  # (v2 `table:` block) block text under it
    # Where the caption and the source were written (the table's own span when not known): a
    # draft marks each paragraph with its own, so a reviewer's change finds its own field
    caption_span: Span | None = field(default=None, compare=False)
    source_span: Span | None = field(default=None, compare=False)

    @property
    def items(self) -> tuple[TableCell, ...]:
        """Every text of the table (caption, header, cells): the length, markup and glyph checks
        of block text take them one by one, as they take a list's items."""
        caption = (TableCell(self.caption, self.span),) if self.caption else ()
        source = (TableCell(self.source, self.span),) if self.source else ()
        notes = tuple(part for block in self.notes for part in text_parts(block))
        return caption + self.header + tuple(cell for row in self.rows for cell in row) + source + notes


@dataclass(frozen=True)
class Figure:
    """A `figure:` rich block: an image beside the source, decoded once (the logo's rules)."""

    name: str | None  # `@fig-NAME` refers to it
    image: "Image"
    alt: str
    caption: Inlines
    source: Inlines | None
    width_percent: int  # of the text column, 1..100
    span: Span
    caption_span: Span | None = None


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]  # one per category
    span: Span


@dataclass(frozen=True)
class Chart:
    """A `chart:` rich block, drawn from its data in every format; numbered with the figures."""

    name: str | None  # `@fig-NAME` refers to it
    kind: str  # "bar" (horizontal) | "column" (vertical) | "line"
    caption: Inlines
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str | None  # printed with values and on the axis, e.g. "%"
    alt: str | None  # None: layout generates a sentence from the data
    source: Inlines | None
    span: Span
    caption_span: Span | None = None


@dataclass(frozen=True)
class Boxed:
    """A `callout:` rich block: a titled box of block text in the colour of its kind."""

    kind: str  # a key of the style's `callouts`
    title: Inlines | None
    body: tuple["Block", ...]  # block text, no rich blocks inside
    span: Span
    title_span: Span | None = None


@dataclass(frozen=True)
class FootnoteDefinition:
    """`[^NAME]: TEXT`: the text of a note; printed where the notes of its format go, not here."""

    name: str
    content: Inlines
    span: Span


Block = Union[Paragraph, SubHeading, BulletList, NumberedList, Table, Quotation, Figure, Chart, Boxed,
              FootnoteDefinition]


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
    elif isinstance(block, Boxed):
        if block.title:
            yield _Part(block.title, block.title_span or block.span)
        for child in block.body:
            yield from text_parts(child)
    elif isinstance(block, (Figure, Chart)):
        yield _Part(block.caption, block.caption_span or block.span)
        if block.source:
            yield _Part(block.source, block.span)
    else:
        yield from getattr(block, "items", (block,))


@dataclass(frozen=True)
class _Part:
    """A piece of text inside a rich block, for the checks that take text_parts one by one."""

    content: Inlines
    span: Span


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
class GlossaryEntry:
    term: InlineText
    definition: InlineText
    span: Span


def term_order(text: str) -> tuple[str, str, str]:
    """How a reader expects a glossary sorted: by letters, case and accents ignored ("Eagle",
    "éclair", "Fox"); ties fall back on the case-folded text, then the text as written, so the
    order is total. Two terms with the same first part are one term written twice."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in folded if not unicodedata.combining(char)), folded, text


@dataclass(frozen=True)
class Isbn:
    edition: str  # "pdf" | "html" | "docx": the one edition that prints it
    number: str  # as written, hyphens kept
    span: Span


@dataclass(frozen=True)
class Imprint:
    """A report's `imprint:`: asks for the imprint page, with its own publication details."""

    isbns: tuple[Isbn, ...]
    reference: str | None
    span: Span
    reference_span: Span | None = None


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
    glossary: tuple[GlossaryEntry, ...] = ()  # (v2) in source order; layout sorts it
    imprint: Imprint | None = None  # (v2) None: no imprint page
    data_files: tuple[Path, ...] = ()  # (v2) CSV files and images its rich blocks read: build inputs

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


def walk_nodes(node: object) -> Iterator[object]:
    """Every node under `node` (itself included), in reading order: fields in the order they
    print, so the checks and the numbering of notes meet them as a reader does."""
    pending = [node]
    walked = _WALKED
    while pending:
        current = pending.pop()
        yield current
        if isinstance(current, tuple):
            pending += reversed(current)
        elif walked[type(current)]:
            pending += [child for child in reversed(_CHILDREN[type(current)](current)) if walked[type(child)]]


class _Walked(dict):
    """Per type, found once (a walk of a large report meets tens of thousands of nodes): whether a
    value of it is walked into (a tuple, or a node with fields)."""

    def __missing__(self, kind: type) -> bool:
        walked = self[kind] = issubclass(kind, tuple) or bool(node_fields(kind))
        return walked


class _Children(dict):
    """Per node type: a function giving a node's field values, in field order, as a tuple."""

    def __missing__(self, kind: type) -> Callable[[object], tuple]:
        names = node_fields(kind)
        getter = attrgetter(*names)
        children = self[kind] = getter if len(names) > 1 else (lambda node: (getter(node),))
        return children


_WALKED = _Walked()
_CHILDREN = _Children()


_LEAVES = (Span, Image)  # dataclasses with nothing inside to walk


@lru_cache(maxsize=None)
def node_fields(kind: type) -> tuple[str, ...]:
    """The field names of a node type (none for anything else, Span and Image included):
    `fields()` per node, on every node of a large report, cost most of the time of the checks
    and the layout passes that walk it."""
    if not is_dataclass(kind) or issubclass(kind, _LEAVES):
        return ()
    return tuple(f.name for f in fields(kind))
