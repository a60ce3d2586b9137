"""What is drawn on a page around the flowing text: the cover, running header and footer,
protective marking and the DRAFT watermark.

The cover's geometry follows from style data only: the logo's width, the band's colour and
height, the text colour and title size; positions are derived from the page margins.

The cover's texts and logo are content (P and Figure, first in the structure); everything
else drawn here is an artifact: running header and footer, page numbers and marking are
pagination, the watermark a watermark.
"""
from __future__ import annotations

import io
import math

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from ...layout import blocks
from ...layout.ellipsis import shortened, shortened_keeping_end
from .canvas import DeferredText, Finished, ReportCanvas
from .flowables import Badge, BadgeLook
from .fonts import FontSet
from .markup import text_markup
from .styles import Typography
from .tagging import PAGINATION, WATERMARK, Structure

LOGO_GAP = 16 * mm  # between the logo and the title
TEXT_GAP = 6 * mm  # between the title, subject and programme
BAND_PADDING = 14 * mm
MARKING_INSET = 9 * mm  # from the page edge to the marking's baseline
RUNNING_GAP = 9 * mm  # from the text column to the header and footer baselines


class PagePainter:
    def __init__(self, document: blocks.Document, fonts: FontSet, typography: Typography,
                 structure: Structure) -> None:
        self.document = document
        self.structure = structure
        self.style = document.style
        self.fonts = fonts
        self.typography = typography
        page = self.style.page
        self.width = page.width_mm * mm
        self.height = page.height_mm * mm
        self.left = page.margin_left_mm * mm
        self.right = self.width - page.margin_right_mm * mm
        self.top = self.height - page.margin_top_mm * mm
        self.bottom = page.margin_bottom_mm * mm
        logo = document.cover.logo
        self._logo = ImageReader(io.BytesIO(logo.png)) if logo else None

    # ---- page hooks (reportlab calls these with the canvas and the doc template) ----------

    def cover_page(self, canvas: ReportCanvas, doc) -> None:
        # The watermark goes on the band (which would hide it) and under the cover's texts.
        self.draw_cover(canvas, under_text=lambda: self.draw_watermark(canvas))
        # The top marking sits on the cover band.
        self.draw_marking(canvas, top_colour=self.style.cover.text_colour)

    def body_page(self, canvas: ReportCanvas, doc) -> None:
        # Drawn first, so it lies behind everything on the page, as Word draws it: the text
        # over it keeps its colour.
        self.draw_watermark(canvas)
        self.draw_running(canvas)
        self.draw_marking(canvas)

    # ---- cover --------------------------------------------------------------------------------

    def draw_cover(self, canvas: ReportCanvas, under_text=lambda: None) -> None:
        """A band across the top of the page holding the logo, title, subject and programme;
        date and draft status below it. The band grows when its text needs more room.
        `under_text` draws what lies between the band and the texts (the watermark)."""
        cover, design = self.document.cover, self.style.cover
        column = self.right - self.left
        y = self.top
        logo_box = None
        if self._logo is not None:
            logo_width = design.logo_width_mm * mm
            logo_height = logo_width * cover.logo.height_px / cover.logo.width_px
            logo_box = (self.left, self.top - logo_height, logo_width, logo_height)
            y -= logo_height + LOGO_GAP
        band_texts = [(cover.title, "cover-title"), (cover.subject, "cover-subject")]
        if cover.programme:
            band_texts.append((cover.programme, "cover-programme"))
        band_paragraphs = [self._paragraph(text, role, column) for text, role in band_texts]
        text_bottom = y - sum(p.height + TEXT_GAP for p in band_paragraphs) + TEXT_GAP
        band_bottom = min(self.height - design.band_height_mm * mm, text_bottom - BAND_PADDING)
        bleed = max(self.style.print.bleed_mm * mm, 3 * mm)  # the band runs off the trimmed edges
        canvas.saveState()
        canvas.setFillColor(HexColor(design.band_colour))
        canvas.decoration(lambda: canvas.rect(-bleed, band_bottom, self.width + 2 * bleed,
                                              self.height - band_bottom + bleed, stroke=0, fill=1))
        canvas.restoreState()
        under_text()
        if logo_box is not None:
            with canvas.tagged(self.structure.add("Figure", self.structure.root, alt=cover.logo.alt)):
                self.draw_logo(canvas, *logo_box)
        for paragraph in band_paragraphs:
            with canvas.tagged(self.structure.add("P", self.structure.root)):
                paragraph.drawOn(canvas, self.left, y - paragraph.height)
            y -= paragraph.height + TEXT_GAP
        y = band_bottom - BAND_PADDING
        for text, role in ((cover.date_text, "cover-detail"), (cover.status_text, "cover-status"),
                           (cover.purpose_text, "cover-detail"), (cover.version_text, "cover-detail")):
            if text:
                paragraph = self._paragraph(text, role, column)
                with canvas.tagged(self.structure.add("P", self.structure.root)):
                    paragraph.drawOn(canvas, self.left, y - paragraph.height)
                y -= paragraph.height + 3 * mm
        if cover.grade is not None:
            self.draw_cover_grade(canvas, cover, y - 3 * mm, column)

    def draw_cover_grade(self, canvas: ReportCanvas, cover: blocks.Cover, y: float, column: float) -> None:
        """The report's overall judgment: its label, then its badge, each read as a paragraph."""
        label = self._paragraph(cover.grade_label or "", "cover-detail", column)
        with canvas.tagged(self.structure.add("P", self.structure.root)):
            label.drawOn(canvas, self.left, y - label.height)
        y -= label.height + 2 * mm
        badge = Badge(cover.grade, BadgeLook(self.fonts.bold, self.typography["cover-detail"].fontSize),
                      element=self.structure.add("P", self.structure.root))
        badge.wrap(column, self.height)
        badge.drawOn(canvas, self.left, y - badge.height)

    def draw_logo(self, canvas: ReportCanvas, x: float, y: float, width: float, height: float) -> None:
        canvas.drawImage(self._logo, x, y, width, height, mask="auto")

    def _paragraph(self, text: str, role: str, width: float) -> Paragraph:
        paragraph = Paragraph(text_markup(text, self.fonts), self.typography[role])
        paragraph.wrap(width, self.height)
        return paragraph

    # ---- running header and footer ------------------------------------------------------------

    def _fit(self, text: str, face: str, size: float, width: float) -> str:
        """The text, shortened with an ellipsis when it would run past `width`."""
        return shortened(text, lambda piece: self.fonts.width(piece, face, size), width)

    def draw_running(self, canvas: ReportCanvas) -> None:
        with canvas.artifact(PAGINATION):
            self._draw_running(canvas)

    def _draw_running(self, canvas: ReportCanvas) -> None:
        running, colours = self.document.running, self.style.colours
        size = self.typography.running_size
        face = self.fonts.regular
        header_y = self.top + RUNNING_GAP
        footer_y = self.bottom - RUNNING_GAP - size
        column = self.right - self.left
        page = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFillColor(HexColor(colours.muted))
        canvas.setFont(face, size)
        right = self._fit(running.header_right, face, size, column * 0.45)
        left = self._fit(running.header_left, face, size, column - self.fonts.width(right, face, size) - 12)
        self.fonts.draw_text(canvas, self.left, header_y, left, face, size)
        self.fonts.draw_text(canvas, self.right, header_y, right, face, size, align="right")
        canvas.setStrokeColor(HexColor(colours.accent))
        canvas.setLineWidth(0.6)
        canvas.decoration(lambda: canvas.line(self.left, header_y - 2.2 * mm, self.right, header_y - 2.2 * mm))
        template = running.page_x_of_y
        canvas.draw_deferred(DeferredText(self.right, footer_y, "right", face, size, colours.muted,
                                          lambda done: _page_x_of_y(template, page, done)))
        number_room = stringWidth(_page_x_of_y(template, page, Finished(9999, {})), face, size) + 12
        footer = shortened_keeping_end(running.footer_left, running.footer_kept,
                                       lambda piece: self.fonts.width(piece, face, size), column - number_room)
        self.fonts.draw_text(canvas, self.left, footer_y, footer, face, size)
        canvas.restoreState()

    def draw_marking(self, canvas: ReportCanvas, top_colour: str | None = None) -> None:
        marking = self.document.running.marking
        if not marking:
            return
        with canvas.artifact(PAGINATION):
            self._draw_marking(canvas, marking, top_colour)

    def _draw_marking(self, canvas: ReportCanvas, marking: str, top_colour: str | None) -> None:
        canvas.saveState()
        size = self.typography.marking_size
        canvas.setFont(self.fonts.bold, size)
        centre = self.width / 2
        canvas.setFillColor(HexColor(top_colour or self.style.colours.text))
        self.fonts.draw_text(canvas, centre, self.height - MARKING_INSET, marking, self.fonts.bold, size, "centre")
        canvas.setFillColor(HexColor(self.style.colours.text))
        self.fonts.draw_text(canvas, centre, MARKING_INSET - size * 0.3, marking, self.fonts.bold, size, "centre")
        canvas.restoreState()

    def draw_watermark(self, canvas: ReportCanvas) -> None:
        if self.document.running.watermark:
            with canvas.artifact(WATERMARK):
                self._draw_watermark(canvas, self.document.running.watermark)

    def _draw_watermark(self, canvas: ReportCanvas, text: str) -> None:
        angle = math.degrees(math.atan2(self.height, self.width))
        diagonal = math.hypot(self.width, self.height)
        size = min(150.0, diagonal * 0.55 / max(1e-6, self.fonts.width(text, self.fonts.bold, 1)))
        canvas.saveState()
        canvas.setFillColor(HexColor(self.style.colours.watermark))
        # Behind the content; translucent so the tint stays light wherever it is drawn.
        canvas.setFillAlpha(0.3)
        canvas.translate(self.width / 2, self.height / 2)
        canvas.rotate(angle)
        canvas.setFont(self.fonts.bold, size)
        self.fonts.draw_text(canvas, 0, -size * 0.35, text, self.fonts.bold, size, "centre")
        canvas.restoreState()


def _page_x_of_y(template: str, page: int, done: Finished) -> str:
    return template.format(page=done.label(page), pages=done.pages)


