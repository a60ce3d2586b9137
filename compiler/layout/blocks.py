"""The layout vocabulary: format-neutral blocks, fully resolved.

Layout computes everything two renderers would both need (numbering, label text, badge
colours and contrast, contents entries, running header and footer); a renderer only maps
these blocks onto its library. Inline content reuses the model's closed union
(Text | Strong | Emph | Link). Every block keeps the source span it came from.

Roles name the paragraph styles in both formats ("question-heading" -> "Question Heading").
"""
from __future__ import annotations

from dataclasses import field
from datetime import date
from typing import Iterable, Iterator, Union

from ..diagnostics import Span
from ..model import Inlines
from ..style.types import Image, Style  # noqa: F401  (Image is part of this vocabulary)
from ..records import dataclass


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
    role: str  # "pillar-heading", "question-heading", "section-heading", "subsection-heading", "subheading",
    # "subheading-2" (a `####` under a `###`)
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

    role: str  # "cause-of-concern", "areas-for-improvement", "callout" (a `callout:` rich block)
    blocks: tuple["Block", ...]
    span: Span
    # A `callout:` block's kind (its key in the style's `callouts`), fill colour and accessible
    # name ("Innovative practice: Using drones"); None for the report's own panels.
    kind: str | None = None
    fill: str | None = None
    name: str | None = None
    rule: str | None = None  # its edge's colour, 3:1 against the fill (WCAG 1.4.11)


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
    source: Inlines | None = None  # "Source: ..." (the `source` label filled in), under the table
    notes: tuple["Block", ...] = ()  # block text under the table (role "table-note" paragraphs)
    cell_spans: tuple[tuple[Span, ...], ...] = field(default=(), compare=False)  # each body cell's, for drafts
    header_spans: tuple[Span, ...] = field(default=(), compare=False)  # each header cell's, for drafts
    caption_span: Span | None = field(default=None, compare=False)  # for drafts; None: the table's
    source_span: Span | None = field(default=None, compare=False)

    def body_cell_spans(self) -> tuple[tuple[Span, ...], ...]:
        """Each body cell's source position: its own where known (a CSV cell's is in the CSV
        file), else its row's, else the table's."""
        if self.cell_spans:
            return self.cell_spans
        row_spans = self.row_spans or (self.span,) * len(self.rows)
        return tuple((span,) * len(row) for row, span in zip(self.rows, row_spans))


@dataclass(frozen=True)
class FigureBlock:
    """An image with its text alternative, numbered with the charts: "Figure N: CAPTION"."""

    number: int
    caption: Inlines  # the `figure_caption` label filled in
    anchor: str  # "fig-NAME" when named, else "figure-N"
    image: Image
    alt: str
    width_percent: int  # of the text column
    source: Inlines | None  # "Source: ..."
    span: Span
    caption_span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: tuple[float, ...]
    value_texts: tuple[str, ...]  # each value as printed, with its unit: "91%"
    colour: str  # "#RRGGBB", 3:1 against the page at least (WCAG 1.4.11)


@dataclass(frozen=True)
class ChartBlock:
    """A chart drawn from its data, numbered with the figures. `drawing` is its geometry in points
    (layout/charts.py), the same in every format; the data stays here for tables and alt text."""

    number: int
    caption: Inlines  # the `figure_caption` label filled in
    anchor: str  # "fig-NAME" when named, else "figure-N"
    kind: str  # "bar" | "column" | "line"
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    unit: str | None
    alt: str  # as written, or a sentence generated from the data
    source: Inlines | None
    span: Span
    drawing: object = field(default=None, compare=False)
    caption_span: Span | None = field(default=None, compare=False)
    decimals: int = 0  # every value printed with this many (value_texts), for formats that print their own


@dataclass(frozen=True)
class Quote:
    """A quotation from block text (`> ` lines): its paragraphs (role "quote") and, when written,
    who said it (role "attribution", without the dash: each format sets its own)."""

    paragraphs: tuple[Para, ...]
    attribution: Para | None
    span: Span


@dataclass(frozen=True)
class Definition:
    term: Para  # role "term"
    definition: Para  # role "definition"


@dataclass(frozen=True)
class DefinitionList:
    """Terms and what they mean (the glossary), in the order a reader looks them up: a `dl` in
    HTML, a term paragraph above an indented definition in the DOCX and the PDF."""

    role: str  # "glossary"
    entries: tuple[Definition, ...]
    span: Span


# ---- notes and cross-references (v2): resolved inlines, and the notes' texts -------------------


@dataclass(frozen=True)
class NoteMark:
    """A note's number where `[^NAME]` was written (an inline): superscript, linked to its text."""

    number: int
    anchor: str  # "note-N": where the note's text is
    ref_anchor: str  # this mark's own: "note-ref-N", "note-ref-N-2" for a second mark of one note
    span: Span = field(compare=False)
    label: str = ""  # its name to a screen reader, "Note 3" (the `note_mark` label): a bare "3" says nothing

    children = ()  # plain text (contents, bookmarks) leaves the mark out

    @property
    def first(self) -> bool:
        return self.ref_anchor == f"note-ref-{self.number}"


@dataclass(frozen=True)
class RefLink:
    """A cross-reference resolved (an inline): "Table 2", linked to the table's anchor."""

    anchor: str
    children: Inlines


@dataclass(frozen=True)
class NoteEntry:
    number: int
    anchor: str  # "note-N"
    back_anchor: str  # "note-ref-N": the note's first mark
    content: Inlines
    span: Span
    back_label: str  # the name of the link back to the mark (the `note_back` label, its number filled in)
    marks: tuple[str, ...] = ()  # every mark's `ref_anchor`, in reading order (back_anchor first)


@dataclass(frozen=True)
class Notes:
    """The texts of the notes first marked in one section, at its end (the PDF and HTML print
    them there; the DOCX makes Word footnotes of them instead)."""

    title: str  # the `footnotes` label
    entries: tuple[NoteEntry, ...]


Block = Union[Heading, Para, ListBlock, Callout, GlanceTable, Contents, PageBreak, DataTable, Quote,
              DefinitionList, FigureBlock, ChartBlock, Notes]


def walk_blocks(body: Iterable[Block]) -> Iterator[Block]:
    """Every block in reading order, including those inside callouts and list items."""
    for block in body:
        yield block
        if isinstance(block, Callout):
            yield from walk_blocks(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk_blocks(item.children)
        elif isinstance(block, DefinitionList):
            for entry in block.entries:
                yield from (entry.term, entry.definition)


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
    # Where the title and subject were written: a reviewer's change to the cover goes back there.
    title_span: Span | None = field(default=None, compare=False)
    subject_span: Span | None = field(default=None, compare=False)


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
    # The language the brand name and the logo's text are written in, when it is not the report's
    # (Style.brand_language): a part in another language.
    brand_language: str | None = None


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
class Imprint:
    """The imprint: the page after the cover (PDF, DOCX), the end of the page (HTML). The style's
    texts and the report's reference line, then the ISBN of one edition only."""

    blocks: tuple[Block, ...]  # the style's `imprint` ({year} filled in), `alternative_formats`, the reference
    isbns: tuple[tuple[str, Para], ...]  # (edition, "ISBN ..." line): "pdf", "docx", "html"

    def for_edition(self, edition: str) -> tuple[Block, ...]:
        """What the edition `edition` prints: every edition its own ISBN, and no other's."""
        return self.blocks + tuple(line for name, line in self.isbns if name == edition)


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
    imprint: Imprint | None = None  # (v2) only where the report has `imprint:` and it has something to print
