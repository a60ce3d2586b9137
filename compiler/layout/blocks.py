"""The layout vocabulary: format-neutral blocks, fully resolved.

Layout computes everything two renderers would both need (numbering, label text, badge
colours and contrast, contents entries, running header and footer); a renderer only maps
these blocks onto its library. Inline content reuses the model's closed union
(Text | Strong | Emph | Link). Every block keeps the source span it came from.

Roles name the paragraph styles in both formats ("question-heading" -> "Question Heading").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Iterator, Union

from ..diagnostics import Span
from ..model import Inlines
from ..style.types import Image, Style  # noqa: F401  (Image is part of this vocabulary)


def number_text(number: str | None) -> str | None:
    """How a question number prints before its title, the same in every format: "2."."""
    return f"{number}." if number else None


@dataclass(frozen=True)
class Badge:
    """A grade badge: a filled shape in the grade's colour with its label as text."""

    grade: str  # grade key
    label: str
    fill: str  # "#RRGGBB"
    text_colour: str  # chosen for WCAG AA contrast against fill
    span: Span | None = field(default=None, compare=False)  # the source's `grade:`, if written


@dataclass(frozen=True)
class Heading:
    level: int  # 1 pillar / section, 2 question, 3 sub-section, 4 sub-heading in text
    role: str  # "pillar-heading", "question-heading", "section-heading", "subsection-heading", "subheading"
    number: str | None  # "2" for question 2, shown before the text
    content: Inlines
    badge: Badge | None
    anchor: str | None  # bookmark / destination name; None: not a link target
    in_outline: bool  # appears in bookmarks, contents and navigation
    span: Span

    @property
    def number_text(self) -> str | None:
        return number_text(self.number)


@dataclass(frozen=True)
class Para:
    role: str  # "body", "summary", "last-updated", "carried-over", "lead-in", "detailed-findings", "question-lead"
    content: Inlines
    span: Span
    # Never the first line of a page: it ends the text above it (a "Detailed findings" link).
    keep_with_previous: bool = False


@dataclass(frozen=True)
class ListEntry:
    content: Inlines
    children: tuple["Block", ...]  # e.g. an area for improvement's detail
    span: Span


@dataclass(frozen=True)
class ListBlock:
    role: str  # "areas-for-improvement", "recommendations", "bullets", "numbers"
    ordered: bool
    start: int
    items: tuple[ListEntry, ...]
    span: Span


@dataclass(frozen=True)
class Callout:
    """A shaded box: a cause of concern with its lead-in and recommendations, or the areas for
    improvement with their heading."""

    role: str  # "cause-of-concern", "areas-for-improvement"
    blocks: tuple["Block", ...]
    span: Span


@dataclass(frozen=True)
class GlanceRow:
    level: int  # 1 pillar, 2 question
    number: str | None
    content: Inlines
    badge: Badge | None  # None: no grade written, an empty cell
    anchor: str

    @property
    def number_text(self) -> str | None:
        return number_text(self.number)


@dataclass(frozen=True)
class GlanceTable:
    """Judgments at a glance: every pillar and question with its grade."""

    title: str
    header: tuple[str, str]  # ("Question", "Grade") from labels
    rows: tuple[GlanceRow, ...]


@dataclass(frozen=True)
class ContentsEntry:
    level: int
    number: str | None
    text: str
    anchor: str

    @property
    def number_text(self) -> str | None:
        return number_text(self.number)


@dataclass(frozen=True)
class Contents:
    """The contents page; renderers fill in page numbers (PDF) or a TOC field (DOCX)."""

    title: str
    entries: tuple[ContentsEntry, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class DataTable:
    """A table of the report's own data (a pipe table), numbered in reading order."""

    number: int
    caption: Inlines  # "Table 1: CAPTION" from the style's `table_caption` label
    anchor: str  # "tbl-NAME" when named, else "table-N"
    header: tuple[Inlines, ...]
    align: tuple[str, ...]  # "left" | "right" | "center", one per column
    rows: tuple[tuple[Inlines, ...], ...]
    span: Span
    row_spans: tuple[Span, ...] = field(default=(), compare=False)  # each row's line, for drafts


@dataclass(frozen=True)
class Quote:
    """A quotation from block text (`> ` lines): its paragraphs (role "quote") and, when written,
    who said it (role "attribution", without the dash: each format sets its own)."""

    paragraphs: tuple[Para, ...]
    attribution: Para | None
    span: Span


Block = Union[Heading, Para, ListBlock, Callout, GlanceTable, Contents, PageBreak, DataTable, Quote]


def walk_blocks(body: Iterable[Block]) -> Iterator[Block]:
    """Every block in reading order, including those inside callouts and list items."""
    for block in body:
        yield block
        if isinstance(block, Callout):
            yield from walk_blocks(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk_blocks(item.children)


def headings(body: Iterable[Block]) -> Iterator[Heading]:
    return (block for block in walk_blocks(body) if isinstance(block, Heading))


@dataclass(frozen=True)
class Cover:
    title: str
    subject: str
    programme: str | None
    date_text: str | None  # finals only: "Published 15/09/2022" (a draft is not published)
    marking: str | None
    status_text: str | None  # drafts only: "DRAFT"
    version_text: str | None  # drafts only: "Version 0.3 – 12/03/2026" (or the date alone)
    logo: Image | None
    purpose_text: str | None = None  # drafts only: "Draft for factual accuracy checking"
    grade: Badge | None = None  # (v2) the report's overall judgment, printed with grade_label
    grade_label: str | None = None  # "Overall judgment" from labels, when there is a grade


@dataclass(frozen=True)
class Running:
    """Running header and footer text on every page after the cover."""

    header_left: str  # brand name
    header_right: str  # subject
    footer_left: str  # title (and version and date in drafts)
    page_x_of_y: str  # template with {page} and {pages}
    marking: str | None  # centred at top and bottom of every page
    watermark: str | None  # "DRAFT" on drafts
    # The end of footer_left that a narrow page never shortens (draft, version, date): only the
    # title before it is cut.
    footer_kept: str = ""


@dataclass(frozen=True)
class Metadata:
    title: str
    subject: str
    author: str
    keywords: tuple[str, ...]
    language: str
    creator: str  # "reportc X.Y.Z"
    date: date  # from the source or SOURCE_DATE_EPOCH, never the clock
    draft: bool
    version: str | None


@dataclass(frozen=True)
class Document:
    """Everything a renderer needs for one report."""

    id: str
    source: str
    metadata: Metadata
    cover: Cover
    running: Running
    body: tuple[Block, ...]
    style: Style
    inputs: tuple[tuple[str, str], ...] = ()  # (file, SHA-256) it was built from: drafts record them for review
