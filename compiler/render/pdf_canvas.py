"""The canvas every page is drawn on: one layout pass, numbers filled in at the end.

Page numbers that are not known while a page is drawn ("of Y", a contents entry's page) are
written as placeholders into the page's content stream and replaced when the document is
saved. reportlab keeps each page's content as a string until it formats the file, so the
replacement costs one string substitution per page instead of a second layout pass.

With print marks, every page is drawn translated into a larger media box so the 3 mm bleed
and the crop marks fit around the trim box; translating through the canvas API keeps link
rectangles and bookmark positions right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFPageLabel, PDFString
from reportlab.pdfgen.canvas import Canvas

from .pdf_fonts import FontSet
from .pdf_markup import LinkTable

# NUL never survives into a content stream otherwise: reportlab writes text as escaped
# string literals, so a raw NUL can only be one of these placeholders.
_PLACEHOLDER = "\x00rc{}\x00"
_PLACEHOLDER_RE = re.compile("\x00rc(\\d+)\x00")

CROP_MARK_LENGTH = 6 * mm
CROP_MARK_GAP = 1 * mm  # between the bleed edge and the start of a mark
CROP_MARK_WIDTH = 0.25


@dataclass(frozen=True)
class PrintMarks:
    bleed: float  # points
    margin: float  # points of media around the trim box on every side


def print_marks(bleed_mm: float) -> PrintMarks:
    bleed = bleed_mm * mm
    return PrintMarks(bleed, bleed + CROP_MARK_GAP + CROP_MARK_LENGTH + CROP_MARK_GAP)


@dataclass(frozen=True)
class Finished:
    """What is known only once every page is drawn."""

    pages: int
    anchor_pages: Mapping[str, int]

    def label(self, page: int) -> str:
        return page_label(page)


def page_label(page: int) -> str:
    """Page labels: the cover is "Cover", every later page its physical number."""
    return "Cover" if page == 1 else str(page)


@dataclass(frozen=True)
class DeferredText:
    x: float
    y: float
    align: str  # "left" | "right" | "centre"
    face: str
    size: float
    colour: str
    text: Callable[[Finished], str]


@dataclass
class CanvasSetup:
    """Document-wide state the flowables reach through their canvas."""

    fonts: FontSet
    links: LinkTable
    destinations: Mapping[str, str]  # heading anchor -> PDF destination name
    marks: PrintMarks | None
    created: str  # the document date as a PDF date string, never the clock
    anchor_pages: dict[str, int] = field(default_factory=dict)
    pages: int = 0  # known once saved


class ReportCanvas(Canvas):
    def __init__(self, filename, *, setup: CanvasSetup, **kwargs) -> None:
        super().__init__(filename, **kwargs)
        self.setup = setup
        self._deferred: list[DeferredText] = []
        self._deferred_pages: list[list[int]] = [[]]  # per page: placeholder numbers on it
        self._begin_page()

    # ---- pages -------------------------------------------------------------------------

    def _begin_page(self) -> None:
        marks = self.setup.marks
        if marks:
            self.translate(marks.margin, marks.margin)
        self._page_start = len(self._code)  # what a page holds before anything is drawn on it

    def _startPage(self) -> None:
        super()._startPage()
        self._deferred_pages.append([])
        self._begin_page()

    def showPage(self) -> None:
        marks = self.setup.marks
        if not marks:
            super().showPage()
            return
        width, height = self._pagesize
        self._draw_crop_marks(width, height, marks)
        trim = (marks.margin, marks.margin, marks.margin + width, marks.margin + height)
        self._trimBox = trim
        self._bleedBox = (trim[0] - marks.bleed, trim[1] - marks.bleed, trim[2] + marks.bleed,
                          trim[3] + marks.bleed)
        self._pagesize = (width + 2 * marks.margin, height + 2 * marks.margin)
        try:
            super().showPage()
        finally:
            self._pagesize = (width, height)

    def _draw_crop_marks(self, width: float, height: float, marks: PrintMarks) -> None:
        start = marks.bleed + CROP_MARK_GAP  # marks stay outside the bleed
        end = start + CROP_MARK_LENGTH
        lines = []
        for x, dx in ((0, -1), (width, 1)):
            for y, dy in ((0, -1), (height, 1)):
                lines.append((x + dx * start, y, x + dx * end, y))
                lines.append((x, y + dy * start, x, y + dy * end))
        self.saveState()
        self.setStrokeColorCMYK(1, 1, 1, 1)  # registration: shows on every separation
        self.setLineWidth(CROP_MARK_WIDTH)
        self.decoration(lambda: self.lines(lines))
        self.restoreState()

    def decoration(self, draw: Callable[[], None]) -> None:
        """Draws something that is not content (rules, marks, backgrounds)."""
        draw()

    # ---- links and anchors ---------------------------------------------------------------

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):
        found = self.setup.links.lookup(url)
        if found is None:  # not one of ours: reportlab's own use, passed through
            return super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        _, target = found
        if target.destination is not None:
            return self.linkRect(target.description, self.setup.destinations[target.destination], rect,
                                 relative=relative, thickness=0)
        return super().linkURL(target.uri, rect, relative, thickness=0,
                               Contents=PDFString(target.description), **kw)

    def mark_anchor(self, anchor: str, top: float) -> None:
        """Records a heading's page and makes it a link and outline destination."""
        self.bookmarkHorizontal(self.setup.destinations[anchor], 0, top)
        self.setup.anchor_pages.setdefault(anchor, self.getPageNumber())

    # ---- numbers known at the end ----------------------------------------------------------

    def draw_deferred(self, text: DeferredText) -> None:
        number = len(self._deferred)
        self._deferred.append(text)
        self._deferred_pages[-1].append(number)
        self._code.append(_PLACEHOLDER.format(number))

    def save(self) -> None:
        if len(self._code) > self._page_start:
            self.showPage()
        self._code = []  # the next page was begun but never drawn on: no blank page at the end
        self._finish()
        super().save()

    def _finish(self) -> None:
        pages = self._doc.Pages.pages
        finished = Finished(len(pages), dict(self.setup.anchor_pages))
        for page, numbers in zip(pages, self._deferred_pages):
            if numbers:
                page.stream = _PLACEHOLDER_RE.sub(
                    lambda m: self._deferred_code(self._deferred[int(m.group(1))], finished), page.stream)
        self.setup.pages = len(pages)
        self.addPageLabel(0, prefix="Cover")
        if len(pages) > 1:
            self.addPageLabel(1, PDFPageLabel.ARABIC, start=2)
        created = self.setup.created
        self._doc.info._dateFormatter = lambda *_: created
        if self.setup.anchor_pages:
            self.showOutline()  # open the bookmarks panel on start

    def _deferred_code(self, item: DeferredText, finished: Finished) -> str:
        text = item.text(finished)
        width = pdfmetrics.stringWidth(text, item.face, item.size)
        x = {"left": item.x, "right": item.x - width, "centre": item.x - width / 2}[item.align]
        tx = self.beginText(x, item.y)
        tx.setFont(item.face, item.size)
        tx.setFillColor(HexColor(item.colour))
        tx.textOut(text)
        return f"q {tx.getCode()} Q"
