"""The PDF renderer: layout blocks -> a print-ready PDF, in one reportlab layout pass.

Stages, each in its own module:
  fonts         the style's TrueType faces, registered once per process; glyph coverage
  styles        layout roles -> paragraph styles
  markup        inlines -> reportlab markup (the one place user text is escaped)
  story         blocks -> flowables
  linebreak     the commonest paragraphs' lines, broken as reportlab would, faster
  keeping       headings kept with what follows them, ends of text with what ends them
  page          cover, running header and footer, marking, watermark
  canvas        the canvas: print marks, links, numbers filled in at the end
  tagging       the structure tree and marked content (PDF/UA-1), always on
"""
from __future__ import annotations

import gc
import io
from contextlib import contextmanager
from datetime import date
from functools import partial
from types import MappingProxyType
from typing import Iterator

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

from ...diagnostics import Diagnostics
from ...style.glyphcoverage import pdf_refuses
from ...layout.blocks import Document
from .. import RenderOptions, Rendered
from .canvas import CanvasSetup, ReportCanvas, print_marks
from .fonts import GlyphCheck, register_fonts
from .markup import LinkStyle, LinkTable, MarkupWriter
from .page import PagePainter
from .story import Frame as TextFrame
from .story import StoryBuilder, destinations
from .styles import build_typography
from .tagging import Structure, Tagger, Untagged, XmpFacts


# Compressed streams are binary already; reportlab's default ASCII85 layer on top makes files
# a quarter larger and costs a fifth of the render time on long reports.
rl_config.useA85 = 0
PRODUCER = "ReportLab PDF Library"  # the Info and XMP producer must agree


def render(document: Document, options: RenderOptions, diagnostics: Diagnostics) -> Rendered:
    return render_pdf(document, options, diagnostics)


def render_pdf(document: Document, options: RenderOptions, diagnostics: Diagnostics,
               tagged: bool = True) -> Rendered:
    """`tagged=False` exists only to measure what tagging costs: every PDF reportc writes is tagged."""
    style = document.style
    # What the source stage warned about that a PDF cannot print is an error here.
    diagnostics.promote_where(lambda message: pdf_refuses(message, options.allow_missing_glyphs))
    fonts = register_fonts(style.fonts, diagnostics, style.files)
    if fonts is None:  # reported at the font; nothing is written for an invalid input
        return Rendered(b"", 0)
    typography = build_typography(style, fonts)
    links = LinkTable()
    structure = Structure()
    markup = MarkupWriter(links, LinkStyle(style.colours.accent), structure, fonts)
    names = destinations(document.body)
    page = style.page
    width, height = page.width_mm * mm, page.height_mm * mm
    column = width - (page.margin_left_mm + page.margin_right_mm) * mm
    glyphs = GlyphCheck(fonts, diagnostics, options.allow_missing_glyphs)
    builder = StoryBuilder(document, typography, fonts, markup, glyphs, TextFrame(column), names, structure,
                           diagnostics)
    story = builder.build()
    painter = PagePainter(document, fonts, typography, structure, diagnostics)
    _check_page_text(document, glyphs)

    marks = print_marks(style.print.bleed_mm) if (options.print_marks or style.print.crop_marks) else None
    meta = document.metadata
    creator = meta.creator or _creator()
    xmp = XmpFacts(meta.title, meta.author, meta.subject, ", ".join(meta.keywords), meta.language, creator,
                   PRODUCER, meta.date)
    tagger = Tagger(structure) if tagged else Untagged(structure)
    setup = CanvasSetup(fonts, links, names, marks, pdf_date(meta.date), tagger, xmp, style.label("cover"))
    buffer = io.BytesIO()
    template = _doc_template(buffer, document, fonts.regular, width, height)
    frame = Frame(page.margin_left_mm * mm, page.margin_bottom_mm * mm, column,
                  height - (page.margin_top_mm + page.margin_bottom_mm) * mm,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
    template.addPageTemplates([
        PageTemplate("cover", [frame], onPage=painter.cover_page),
        PageTemplate("body", [frame], onPage=painter.body_page),
    ])
    flowables = [NextPageTemplate("body"), PageBreak()] + story
    del story  # reportlab drops each flowable from `flowables` once laid out: nothing else may hold one
    with _long_lived_objects_frozen():
        template.build(flowables, canvasmaker=partial(ReportCanvas, setup=setup))
    return Rendered(buffer.getvalue(), setup.pages, MappingProxyType(dict(setup.anchor_pages)),
                    frozenset(builder.kept_boxes))


_rendered_before = False  # in this process: the first render has no earlier report's garbage to collect


@contextmanager
def _long_lived_objects_frozen() -> Iterator[None]:
    """Layout allocates millions of short-lived objects; each collection of the oldest generation
    would rescan everything made before the render (modules, fonts, the layout document) again.
    Frozen, those are left out of every scan; they are handed back to the collector after.
    Collected first, from the second render of a process on: a process building many reports (a
    batch with --jobs 1) would otherwise freeze each report's cyclic garbage with the rest, where
    no collection looks for it (the 43-report batch peaked at 278 MiB without, 66 MiB with). A
    process's first render has none, and its collection cost the typical report 10 ms."""
    global _rendered_before
    if _rendered_before:
        gc.collect()
    _rendered_before = True
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _doc_template(buffer: io.BytesIO, document: Document, initial_font: str, width: float,
                  height: float) -> BaseDocTemplate:
    meta = document.metadata
    template = BaseDocTemplate(
        buffer, pagesize=(width, height), title=meta.title, author=meta.author, subject=meta.subject,
        keywords=list(meta.keywords), creator=meta.creator or _creator(), lang=meta.language,
        displayDocTitle=True, producer=PRODUCER,
        # Byte-identical output: no clock, no random ids.
        invariant=1, pageCompression=1,
        # The canvas starts on an embedded face, so no Helvetica is ever referenced.
        initialFontName=initial_font,
    )
    return template


def _creator() -> str:
    try:
        from ... import __version__ as version  # type: ignore[attr-defined]
    except ImportError:
        try:
            from importlib.metadata import version as package_version
            version = package_version("reportc")
        except Exception:  # not installed as a distribution: a source checkout
            version = "unknown"
    return f"reportc {version}"


def pdf_date(day: date) -> str:
    return f"D:{day:%Y%m%d}000000+00'00'"


def _check_page_text(document: Document, glyphs: GlyphCheck) -> None:
    """Cover and running texts are drawn straight onto the page: check their glyphs too."""
    from ...diagnostics import Span

    span = Span(document.source)
    cover, running = document.cover, document.running
    for text in (cover.title, cover.subject, cover.programme, cover.status_text):
        if text:
            glyphs.check(text, span, bold=True)
    for text in (cover.date_text, cover.purpose_text, cover.version_text, running.header_left, running.header_right,
                 running.footer_left):
        if text:
            glyphs.check(text, span)
    for text in (running.marking, running.watermark):
        if text:
            glyphs.check(text, span, bold=True)
