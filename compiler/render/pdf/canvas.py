"""The canvas every page is drawn on: one layout pass, numbers filled in at the end, every
drawing call tagged.

Page numbers that are not known while a page is drawn ("of Y", a contents entry's page) are
written as placeholders into the page's content stream and replaced when the document is
saved. reportlab keeps each page's content as a string until it formats the file, so the
replacement costs one string substitution per page instead of a second layout pass.

With print marks, every page is drawn translated into a larger media box so the 3 mm bleed
and the crop marks fit around the trim box; translating through the canvas API keeps link
rectangles and bookmark positions right.

Tagging: text goes through `drawText` and shapes through the painting methods below; each
asks the `Tagger` whether it is content of the element being drawn or an artifact.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import field
from typing import Callable, Iterator, Mapping

from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFPageLabel, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from .fonts import FontSet, SubsetFont
from .markup import LINK_END, LINK_START, LinkTable, LinkTarget
from .tagging import DECORATION, Context, Element, Tagger, XmpFacts
from ...records import dataclass

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
    cover_label: str = "Cover"

    def label(self, page: int) -> str:
        """Page labels: the cover is "Cover" (in the report's language), every later page its
        physical number."""
        return self.cover_label if page == 1 else str(page)


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
    tagger: Tagger
    xmp: XmpFacts
    cover_label: str = "Cover"  # the cover's page label, in the report's language
    anchor_pages: dict[str, int] = field(default_factory=dict)
    pages: int = 0  # known once saved


def _painting(method):
    """Wraps a painting method so what it draws is marked (an artifact, or a figure)."""

    def marked(self, *args, **kwargs):
        if self._painting_depth:
            return method(self, *args, **kwargs)
        start = len(self._code)
        self._painting_depth += 1
        try:
            result = method(self, *args, **kwargs)
        finally:
            self._painting_depth -= 1
        self.setup.tagger.graphics(self._code, start)
        return result

    marked.__name__ = method.__name__
    marked.__doc__ = method.__doc__
    return marked


class ReportCanvas(Canvas):
    def __init__(self, filename, *, setup: CanvasSetup, **kwargs) -> None:
        self._painting_depth = 0
        self.setup = setup
        super().__init__(filename, **kwargs)
        self._deferred: list[DeferredText] = []
        self._deferred_pages: list[list[int]] = [[]]  # per page: placeholder numbers on it
        self._repeated: dict[object, list[str]] = {}  # see repeated
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
        self.setup.tagger.new_page()
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

    # ---- tagging -------------------------------------------------------------------------

    @contextmanager
    def tagged(self, element: Element | None, label: Element | None = None, whole: bool = False) -> Iterator[None]:
        """What is drawn inside is the content of `element` (its first text `label`'s).
        `whole`: one marked-content sequence around all of it, shapes included."""
        with self._context(Context(element, label=label, whole=whole)):
            yield

    @contextmanager
    def artifact(self, kind: str = DECORATION) -> Iterator[None]:
        with self._context(Context(None, artifact=kind)):
            yield

    @contextmanager
    def _context(self, context: Context) -> Iterator[None]:
        self.enter(context)
        try:
            yield
        finally:
            self.leave()

    def enter(self, context: Context) -> None:
        opening = self.setup.tagger.push(context)
        if opening:
            self._code.append(opening)

    def leave(self) -> None:
        closing = self.setup.tagger.pop()
        if closing:
            self._code.append(closing)

    def decoration(self, draw: Callable[[], None]) -> None:
        """Draws something that is not content (rules, marks, backgrounds)."""
        with self.artifact(DECORATION):
            draw()

    def repeated(self, key, draw: Callable[[], None]) -> None:
        """Draws what `draw` draws, and on any later page asked for the same `key`, writes the
        same operators again without calling it: for the running header and footer, which
        measuring, fitting and drawing anew took a long report 0.1 s. `draw` must leave the
        graphics state as it found it (saveState ... restoreState) and draw nothing that depends
        on the page; only an artifact is repeated, as marked content is numbered per page."""
        code = self._repeated.get(key)
        if code is not None:
            self._code.extend(code)
            return
        start = len(self._code)
        draw()
        if self.setup.tagger.in_artifact():
            self._repeated[key] = self._code[start:]

    def beginText(self, x=0, y=0, direction=None):
        return TextObject(self, x, y, direction=direction)

    def drawText(self, aTextObject) -> None:
        self._code.append(self.setup.tagger.text(str(aTextObject.getCode()), aTextObject))

    line = _painting(Canvas.line)
    lines = _painting(Canvas.lines)
    rect = _painting(Canvas.rect)
    roundRect = _painting(Canvas.roundRect)
    circle = _painting(Canvas.circle)
    ellipse = _painting(Canvas.ellipse)
    wedge = _painting(Canvas.wedge)
    arc = _painting(Canvas.arc)
    bezier = _painting(Canvas.bezier)
    grid = _painting(Canvas.grid)
    drawPath = _painting(Canvas.drawPath)
    drawImage = _painting(Canvas.drawImage)
    drawInlineImage = _painting(Canvas.drawInlineImage)
    doForm = _painting(Canvas.doForm)

    def getNamedCB(self, name):
        """The paragraph callbacks that switch marked content at a link's start and end."""
        if name == LINK_START:
            return self._link_start
        if name == LINK_END:
            return self._link_end
        return super().getNamedCB(name)

    def _link_start(self, canvas, kind, label) -> None:
        target = self.setup.links.lookup(label)
        if target is not None and target.element is not None:
            self.setup.tagger.link_start(self._curr_tx_info["tx"], target.element)

    def _link_end(self, canvas, kind, label) -> None:
        target = self.setup.links.lookup(label)
        if target is not None and target.element is not None:
            self.setup.tagger.link_end(self._curr_tx_info["tx"], target.element)

    # ---- links and anchors ---------------------------------------------------------------

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):
        target = self.setup.links.lookup(url)
        if target is None:  # not one of ours: reportlab's own use, passed through
            return super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        self.link(target, rect, relative)

    def link(self, target: LinkTarget, rect, relative: int = 1, element: Element | None = None) -> None:
        """A link annotation, described for screen readers and tied to its Link element."""
        annotation = PDFDictionary({
            "Type": PDFName("Annot"), "Subtype": PDFName("Link"),
            "Rect": PDFArray(self._absRect(rect, relative)),
            "Border": PDFArray([0, 0, 0]),
            "Contents": PDFString(target.description),
        })
        if target.destination is not None:
            annotation["Dest"] = self._bookmarkReference(self.setup.destinations[target.destination])
        else:
            annotation["A"] = PDFDictionary({"Type": PDFName("Action"), "S": PDFName("URI"),
                                             "URI": PDFString(target.uri)})
        self._annotationCount += 1
        name = f"L{self._annotationCount}"
        annotation._rc_name = self._doc.annotationName(name)
        self._addAnnotation(annotation, name)
        self.setup.tagger.annotation(annotation, element or target.element)

    def mark_anchor(self, anchor: str, top: float) -> None:
        """Records a heading's page and makes it a link and outline destination."""
        self.bookmarkHorizontal(self.setup.destinations[anchor], 0, top)
        self.setup.anchor_pages.setdefault(anchor, self.getPageNumber())

    # ---- numbers known at the end ----------------------------------------------------------

    def draw_deferred(self, text: DeferredText) -> None:
        number = len(self._deferred)
        self._deferred.append(text)
        self._deferred_pages[-1].append(number)
        self._code.append(self.setup.tagger.deferred(_PLACEHOLDER.format(number)))

    def save(self) -> None:
        if len(self._code) > self._page_start:
            self.showPage()
        self._code = []  # the next page was begun but never drawn on: no blank page at the end
        self._finish()
        super().save()

    def _finish(self) -> None:
        pages = self._doc.Pages.pages
        finished = Finished(len(pages), dict(self.setup.anchor_pages), self.setup.cover_label)
        for page, numbers in zip(pages, self._deferred_pages):
            if numbers:
                page.stream = _PLACEHOLDER_RE.sub(
                    lambda m: self._deferred_code(self._deferred[int(m.group(1))], finished), page.stream)
        self.setup.pages = len(pages)
        self.addPageLabel(0, prefix=self.setup.cover_label)
        if len(pages) > 1:
            self.addPageLabel(1, PDFPageLabel.ARABIC, start=2)
        created = self.setup.created
        self._doc.info._dateFormatter = lambda *_: created
        if self.setup.anchor_pages:
            self.showOutline()  # open the bookmarks panel on start
        self.setup.tagger.finish(self._doc, pages, self.setup.xmp)

    def _deferred_code(self, item: DeferredText, finished: Finished) -> str:
        text = item.text(finished)
        width = pdfmetrics.stringWidth(text, item.face, item.size)
        x = {"left": item.x, "right": item.x - width, "centre": item.x - width / 2}[item.align]
        tx = self.beginText(x, item.y)
        tx.setFont(item.face, item.size)
        tx.setFillColor(HexColor(item.colour))
        tx.textOut(text)
        return f"q {tx.getCode()} Q"


class TextObject(PDFTextObject):
    """reportlab's text object, with its commonest output made in one step: a line of text every
    character of which has a code in its font's first subset (`SubsetFont.first_subset_codes`)
    is written as reportlab writes it, without its general path's lookups and lists. Drawing
    tens of thousands of lines, that path was a large share of a long report's time."""

    def _formatText(self, text):
        font = pdfmetrics.getFont(self._fontname)
        if type(text) is str and isinstance(font, SubsetFont):
            doc = self._canvas._doc
            coded = font.first_subset_codes(text, doc)
            if coded is not None:
                shown = f"({self._canvas._escape(coded)}) Tj"
                if self._curSubset == 0:
                    return shown
                self._curSubset = 0
                return (f"{font.getSubsetInternalName(0, doc)} {fp_str(self._fontsize)} Tf "
                        f"{fp_str(self._leading)} TL {shown}")
        return super()._formatText(text)
