"""What is drawn on a page around the flowing text: the cover, running header and footer,
protective marking and the DRAFT watermark.

The cover's geometry follows from style data only: the logo's width, the band's colour and
height, the text colour and title size; positions are derived from the page margins.

The cover's texts and logo are content (P and Figure, first in the structure); everything
else drawn here is an artifact: running header and footer, page numbers and marking are
pagination, the watermark a watermark.
"""
from __future__ import annotations

import math

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Paragraph

from ...diagnostics import Diagnostics, Span
from ...layout import blocks
from ...layout.ellipsis import fitted_running
from ...style.images import pillow_image
from .canvas import DeferredText, Finished, ReportCanvas
from .flowables import Badge, BadgeLook
from .fonts import FontSet
from .markup import text_markup
from .styles import Typography
from .tagging import PAGINATION, WATERMARK, Structure

LOGO_GAP = 16 * mm  # between the logo and the title
TEXT_GAP = 6 * mm  # between the title, subject and programme
BAND_PADDING = 14 * mm
DETAIL_GAP = 3 * mm  # between the date, status, purpose, version and grade below the band
GRADE_GAP = 2 * mm  # between the overall grade's label and its badge
COVER_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)  # of the band's text sizes, tried until the cover fits
_SMALLER_COVER = ("the cover's title, subject and programme are set at {scale:.0%} of the style's sizes to keep the "
                  "date, status and grade on the cover page; shorten them to print them at full size")
_COVER_OVERFLOW = ("the cover does not fit its page even with its title, subject and programme at half the style's "
                   "sizes: the date, status or grade run off the page; shorten those texts, or make the style's "
                   "cover band_height_mm, logo_width_mm or title_size smaller")
MARKING_INSET = 9 * mm  # from the page edge to the marking's baseline
RUNNING_GAP = 9 * mm  # from the text column to the header and footer baselines


class PagePainter:
    def __init__(self, document: blocks.Document, fonts: FontSet, typography: Typography,
                 structure: Structure, diagnostics: Diagnostics | None = None) -> None:
        self.document = document
        self.diagnostics = diagnostics
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
        self._logo = ImageReader(pillow_image(logo)) if logo else None
        self._fitted: tuple[str, str, str] | None = None  # see _running_texts

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
        cover = self.document.cover
        column = self.right - self.left
        logo_box = self._logo_box()
        band_paragraphs = self._fitted_band(column)
        y, band_bottom = self._band_geometry(band_paragraphs)
        bleed = max(self.style.print.bleed_mm * mm, 3 * mm)  # the band runs off the trimmed edges
        canvas.saveState()
        canvas.setFillColor(HexColor(self.style.cover.band_colour))
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
        for paragraph in self._detail_paragraphs(column):
            with canvas.tagged(self.structure.add("P", self.structure.root)):
                paragraph.drawOn(canvas, self.left, y - paragraph.height)
            y -= paragraph.height + DETAIL_GAP
        if cover.grade is not None:
            self.draw_cover_grade(canvas, cover, y - DETAIL_GAP, column)

    def _logo_box(self) -> tuple[float, float, float, float] | None:
        if self._logo is None:
            return None
        logo = self.document.cover.logo
        width = self.style.cover.logo_width_mm * mm
        height = width * logo.height_px / logo.width_px
        return self.left, self.top - height, width, height

    def _band_geometry(self, band_paragraphs: list[Paragraph]) -> tuple[float, float]:
        """(where the band's first text starts, the band's bottom edge)."""
        logo_box = self._logo_box()
        y = self.top - (logo_box[3] + LOGO_GAP if logo_box else 0)
        text_bottom = y - sum(p.height + TEXT_GAP for p in band_paragraphs) + TEXT_GAP
        return y, min(self.height - self.style.cover.band_height_mm * mm, text_bottom - BAND_PADDING)

    def _detail_paragraphs(self, column: float) -> list[Paragraph]:
        cover = self.document.cover
        return [self._paragraph(text, role, column)
                for text, role in ((cover.date_text, "cover-detail"), (cover.status_text, "cover-status"),
                                   (cover.purpose_text, "cover-detail"), (cover.version_text, "cover-detail"))
                if text]

    def _fitted_band(self, column: float) -> list[Paragraph]:
        """The title, subject and programme at the largest of COVER_SCALES at which the whole
        cover (details and overall grade below the band included) stays above the bottom margin:
        a long title, or a style's large title size, pushed the date, draft status and grade off
        the page."""
        cover = self.document.cover
        texts = [(cover.title, "cover-title"), (cover.subject, "cover-subject")]
        texts += [(cover.programme, "cover-programme")] if cover.programme else []
        below = sum(p.height + DETAIL_GAP for p in self._detail_paragraphs(column))
        below += self._cover_grade_height(column) + DETAIL_GAP if cover.grade is not None else 0

        def fits(paragraphs: list[Paragraph]) -> bool:
            return self._band_geometry(paragraphs)[1] - BAND_PADDING - below >= self.bottom

        for scale in COVER_SCALES:
            paragraphs = [self._paragraph(text, role, column, scale) for text, role in texts]
            if fits(paragraphs):
                break
        if scale < 1 and self.diagnostics is not None:
            self.diagnostics.warning(Span(self.document.source), _SMALLER_COVER.format(scale=scale)
                                     if fits(paragraphs) else _COVER_OVERFLOW)
        return paragraphs

    def draw_cover_grade(self, canvas: ReportCanvas, cover: blocks.Cover, y: float, column: float) -> None:
        """The report's overall judgment: its label, then its badge, each read as a paragraph."""
        label, badge = self._cover_grade(cover, column)
        with canvas.tagged(self.structure.add("P", self.structure.root)):
            label.drawOn(canvas, self.left, y - label.height)
        y -= label.height + GRADE_GAP
        badge.element = self.structure.add("P", self.structure.root)
        badge.drawOn(canvas, self.left, y - badge.height)

    def _cover_grade(self, cover: blocks.Cover, column: float) -> tuple[Paragraph, Badge]:
        label = self._paragraph(cover.grade_label or "", "cover-detail", column)
        badge = Badge(cover.grade, BadgeLook(self.fonts.bold, self.typography["cover-detail"].fontSize))
        badge.wrap(column, self.height)
        return label, badge

    def _cover_grade_height(self, column: float) -> float:
        label, badge = self._cover_grade(self.document.cover, column)
        return label.height + GRADE_GAP + badge.height

    def draw_logo(self, canvas: ReportCanvas, x: float, y: float, width: float, height: float) -> None:
        canvas.drawImage(self._logo, x, y, width, height, mask="auto")

    def _paragraph(self, text: str, role: str, width: float, scale: float = 1.0) -> Paragraph:
        style = self.typography[role]
        if scale != 1.0:
            style = ParagraphStyle(f"{style.name}@{scale}", parent=style, fontSize=style.fontSize * scale,
                                   leading=style.leading * scale)
        paragraph = Paragraph(text_markup(text, self.fonts), style)
        paragraph.wrap(width, self.height)
        return paragraph

    # ---- running header and footer ------------------------------------------------------------

    def _running_texts(self) -> tuple[str, str, str]:
        """The header's left and right texts and the footer's, fitted once for every page (as
        the DOCX fits its one header and footer: layout.ellipsis.fitted_running)."""
        if self._fitted is None:
            face, size = self.fonts.regular, self.typography.running_size
            self._fitted = fitted_running(self.document.running, lambda piece: self.fonts.width(piece, face, size),
                                          self.right - self.left)
        return self._fitted

    def draw_running(self, canvas: ReportCanvas) -> None:
        with canvas.artifact(PAGINATION):
            self._draw_running(canvas)

    def _draw_running(self, canvas: ReportCanvas) -> None:
        size, face = self.typography.running_size, self.fonts.regular
        page = canvas.getPageNumber()
        template = self.document.running.page_x_of_y
        # Everything but the page number is the same on every page: drawn once, written again
        canvas.repeated("running", lambda: self._draw_running_texts(canvas))
        canvas.draw_deferred(DeferredText(self.right, self.bottom - RUNNING_GAP - size, "right", face, size,
                                          self.style.colours.muted, lambda done: _page_x_of_y(template, page, done)))

    def _draw_running_texts(self, canvas: ReportCanvas) -> None:
        colours, size, face = self.style.colours, self.typography.running_size, self.fonts.regular
        header_y, footer_y = self.top + RUNNING_GAP, self.bottom - RUNNING_GAP - size
        left, right, footer = self._running_texts()
        canvas.saveState()
        canvas.setFillColor(HexColor(colours.muted))
        canvas.setFont(face, size)
        self.fonts.draw_text(canvas, self.left, header_y, left, face, size)
        self.fonts.draw_text(canvas, self.right, header_y, right, face, size, align="right")
        canvas.setStrokeColor(HexColor(colours.accent))
        canvas.setLineWidth(0.6)
        canvas.decoration(lambda: canvas.line(self.left, header_y - 2.2 * mm, self.right, header_y - 2.2 * mm))
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


