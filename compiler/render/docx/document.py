"""DOCX renderer: layout blocks -> a review-ready Word document (python-docx plus small OOXML helpers).

Stages inside this module, in order:
  styles      the Style becomes Word styles and list definitions (styles, numbering)
  cover       logo, title band and draft status on page 1
  body        each block becomes paragraphs or a table, appended before the section properties
  running     header and footer parts (marking, "Page X of Y", DRAFT watermark)
  package     core properties, source map for drafts, byte-stable zip

Paragraphs are built as lxml elements with their style ids already known and appended next to a
held reference to w:sectPr: python-docx's own add_paragraph searches the body for w:sectPr and
looks style names up one by one, which cost three quarters of the build time on long reports.
"""
from __future__ import annotations

import copy
import io
import re
from typing import Callable, Iterator

import docx
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from ...diagnostics import Diagnostics, Span
from ...layout.blocks import (Badge, Block, Callout, ChartBlock, Contents, Cover, DataTable, DefinitionList, Document, FigureBlock,
                             GlanceTable, Heading, Image, ListBlock, ListEntry, NoteMark, Notes, PageBreak, Para, Quote, RefLink)
from ...model import Emph, Inlines, Link, Strong, Text
from ...style.glyphcoverage import fallback_runs
from ...style.images import png_of
from .. import Rendered, RenderOptions
from .anchors import collect_anchors
from .callout import fill_callout, gap_between_tables, space_after_box
from .blocks import add_definitions, add_imprint, add_quote, keep_with_next
from .cover import band_table, paint_band_top, space_under_band
from .contents import add_contents
from .footnotes import Footnotes
from ...layout.tracked import BadgeChange, Change, Tracked, current
from .numbering import LEVELS, Numbering
from .ooxml import (PT_PER_MM, HyperlinkTargets, bookmark_around, bookmark_name, el, external_link,
                         field_runs, font_runs, internal_link, paragraph, paragraph_properties,
                         sub, tab_run, text_run, twips, watermark_run)
from .package import finish_package
from .redline import Tracker, each
from .sourcemap import SourceMap
from .spacing import set_outline_level
from .running import running_texts
from .styles import TABLE_CELL_MARGIN_PT, StyleSheet, text_width_mm
from .figures import add_figure, callout_style
from .tables import add_data_table
from .glance import add_glance_row, glance_grade_column_mm
from ...records import dataclass

GLANCE_CELL_MARGIN_PT = TABLE_CELL_MARGIN_PT  # the Judgments Table style's left cell margin: the PDF's glance pad


def render(document: Document, options: RenderOptions, diagnostics: Diagnostics) -> Rendered:
    return Rendered(data=DocxBuilder(document, options, diagnostics).build(), pages=0)


@dataclass(frozen=True)
class _Target:
    """Where blocks go: the body (before w:sectPr) or a table cell, at a list depth."""

    append: Callable[[etree._Element], None]
    depth: int = 0


class DocxBuilder:
    def __init__(self, document: Document, options: RenderOptions, diagnostics: Diagnostics):
        self.document = document
        self.options = options
        self.diagnostics = diagnostics
        self.word = docx.Document()
        self.part = self.word.part
        self.styles = StyleSheet(document.style, document.metadata.language)
        self._fallback = (fallback_runs(document.style.fonts),
                          tuple(font.family for font in document.style.fonts.fallback))
        self.numbering = Numbering(document.style)
        self.sourcemap = SourceMap(document) if document.metadata.draft else None
        self._bookmark_ids = iter(range(1, 10**9))
        self._anchors, self._anchor_spans = collect_anchors(current(document.body))
        self.tracker = Tracker(options.redline_author, document.metadata.date, self._bookmark_ids) \
            if options.redline_author else None
        if self.tracker is not None and self.sourcemap is not None:  # review accepts these as the source's own
            self.sourcemap.redline = (self.tracker.author, self.tracker.date)
        self._page_break_pending = False
        self._links = HyperlinkTargets(self.part.rels)
        self.footnotes = Footnotes(self, document.body)  # Word footnotes, not the Notes blocks
        self._watermarks: list[int] = []
        self._last_emitted: etree._Element | None = None  # the paragraph or table emitted last
        self._box_ended = False  # a callout box was emitted last: the next paragraph keeps a margin
        body = self.word.element.body
        self._sect_pr = body.find(qn("w:sectPr"))
        self._body = _Target(self._sect_pr.addprevious)

    # ---- the whole document ------------------------------------------------------------

    def build(self) -> bytes:
        self.add_cover(self.document.cover)
        add_imprint(self)
        for block in self.document.body:
            self.add_block(block, self._body)
        if self.tracker is not None:
            self.tracker.close_containers(self.word.element.body)
        self.set_up_section()
        self.add_running()
        return finish_package(self.word, self.document, self.styles, self.numbering, self.sourcemap)

    # ---- blocks ------------------------------------------------------------------------

    def add_block(self, block: Block, target: _Target) -> None:
        if isinstance(block, Heading):
            self.add_heading(block, target)
        elif isinstance(block, Para):
            self.add_para(block, target)
        elif isinstance(block, ListBlock):
            self.add_list(block, target)
        elif isinstance(block, Callout):
            self.add_callout(block, target)
        elif isinstance(block, GlanceTable):
            self.add_glance_table(block, target)
        elif isinstance(block, DataTable):
            add_data_table(self, block, target)
        elif isinstance(block, FigureBlock):
            add_figure(self, block, target)
        elif isinstance(block, ChartBlock):
            from .charts import add_chart  # here: the chart part's code is for reports with charts

            add_chart(self, block, target)
        elif isinstance(block, Quote):
            add_quote(self, block, target)
        elif isinstance(block, DefinitionList):
            add_definitions(self, block, target)
        elif isinstance(block, Contents):
            add_contents(self, block, target)
        elif isinstance(block, PageBreak):
            self._page_break_pending = True
        elif isinstance(block, Tracked):
            self.tracker.add(self, block, target, self.add_block)
        elif not isinstance(block, Notes):  # a new block kind in layout must be mapped here
            raise TypeError(f"DOCX renderer cannot render {type(block).__name__}")

    def add_heading(self, block: Heading, target: _Target) -> None:
        p = self.new_paragraph(self.heading_style(block))
        if block.role == "callout-heading":  # one outline level under its heading's, as layout sets it
            set_outline_level(p, block.level)
        if block.number:
            p.append(text_run(block.number_text))
            p.append(tab_run())
        self.add_inlines(p, block.content)
        if block.anchor in self._anchors:  # not a deleted heading's
            bookmark_around(p, next(self._bookmark_ids), self._anchors[block.anchor])
        self.emit(p, target, block.span, "heading")
        if block.badge:
            self.emit(self.badge_paragraph(block.badge), target, block.badge.span or block.span, "grade")

    def heading_style(self, block: Heading) -> str:
        level = min(max(block.level, 1), 4)
        if block.role in ("subheading", "subheading-2"):  # at layout's level, to Word's deepest, 9
            return self.styles.subheading(min(max(block.level, 1), 9), minor=block.role == "subheading-2")
        if block.role == "callout-heading":  # a box's title: out of the contents, one level under its heading
            return self.styles.id("Callout Heading")
        if block.in_outline or level > 2:
            return self.styles.id(f"Heading {level}")
        # A level-1/2 heading kept out of the contents: same look, but no outline level, so a
        # Word "Update field" gives the same contents as the cached one.
        return self.styles.unlisted_heading(block.role, level)

    def badge_paragraph(self, badge: Badge | BadgeChange) -> etree._Element:
        if isinstance(badge, BadgeChange):
            return self.tracker.badge_paragraph(badge, self.badge_paragraph)
        p = self.new_paragraph(self.styles.id("Grade Badge"))
        char_style = self.styles.grade(badge.label, badge.fill, badge.text_colour)
        # No-break spaces pad the shading into a badge shape; the label stays plain text.
        p.append(text_run(f"\u00a0{badge.label}\u00a0", (char_style, False, False)))
        return p

    def add_para(self, block: Para, target: _Target, style_id: str | None = None) -> None:
        p = self.new_paragraph(style_id or self.styles.paragraph_role(block.role))
        self.add_inlines(p, block.content)
        if block.keep_with_previous and self._last_emitted is not None:
            keep_with_next(self._last_emitted)
        self.emit(p, target, block.span, block.role)

    def add_list(self, block: ListBlock, target: _Target) -> None:
        level = min(target.depth, LEVELS - 1)
        style_id = self.list_style(block, level)
        num_id = self.numbering.restart(level, block.start) if block.ordered else None
        each(self, block.items, target, lambda entry, to: self.add_list_entry(entry, style_id, num_id, level, to))

    def list_style(self, block: ListBlock, level: int) -> str:
        if level == 0:
            return self.styles.list_role(block.role, block.ordered)
        base = "List Number" if block.ordered else "List Bullet"
        return self.styles.id(f"{base} {level + 1}")

    def add_list_entry(self, entry: ListEntry, style_id: str, num_id: int | None, level: int,
                       target: _Target) -> None:
        p = self.new_paragraph(style_id)
        if num_id is not None:
            ppr = paragraph_properties(p)
            ppr.insert(len(ppr), el("w:numPr", {}, el("w:ilvl", {"w:val": str(level)}),
                                     el("w:numId", {"w:val": str(num_id)})))
        self.add_inlines(p, entry.content)
        self.emit(p, target, entry.span, "list item")
        inner = _Target(target.append, target.depth + 1)
        continue_style = self.styles.id("List Continue" if level == 0 else f"List Continue {level + 1}")
        # (through `each`: a paragraph only one side of a redline has keeps the continuation style)
        each(self, entry.children, inner, lambda child, to: self.add_para(child, to, continue_style)
             if isinstance(child, Para) else self.add_block(child, to))

    def add_callout(self, block: Callout, target: _Target) -> None:
        # A shaded table that breaks across pages as the PDF's panel does (callout.py).
        table = self.new_table(callout_style(self, block), (text_width_mm(self.document.style),),
                               caption=block.name, header_row=False, cell_margin_pt=self.document.style.fonts.size)
        fill_callout(self, table, block.blocks, lambda cell: _Target(cell.append, 0),
                     kept=(block.role, block.span) in self.options.kept_boxes)
        self.emit_table(table, target)
        self._box_ended = True

    def add_glance_table(self, block: GlanceTable, target: _Target) -> None:
        width = text_width_mm(self.document.style)
        grade = glance_grade_column_mm(self.document.style, block, width)
        table = self.new_table(self.styles.id("Judgments Table"), (width - grade, grade),
                               caption=block.title, header_row=True, cell_margin_pt=GLANCE_CELL_MARGIN_PT)
        header_cells = self.new_row(table, header=True)
        for text in block.header:
            p = self.new_paragraph(self.styles.id("Table Header"))
            p.append(text_run(text))
            next(header_cells).append(p)
        each(self, block.rows, _Target(lambda tr: None), lambda row, to: to.append(add_glance_row(self, table, row)))
        self.emit_table(table, target)

    # ---- inline content ----------------------------------------------------------------

    def add_inlines(self, p: etree._Element, content: Inlines) -> None:
        for node in self.inline_runs(content, False, False, False):
            p.append(node)

    def inline_runs(self, content: Inlines, strong: bool, emph: bool, link: bool) -> Iterator[etree._Element]:
        for node in content:
            if isinstance(node, Text):
                splitter, families = self._fallback
                yield from font_runs(splitter.named(node.text, families), self.run_format(strong, emph, link))
            elif isinstance(node, Change):
                with self.tracker.inside(node.change):  # a deleted note mark refers to the old note
                    runs = list(self.inline_runs(node.children, strong, emph, link))
                yield from self.tracker.wrap(runs, node.change)
            elif isinstance(node, Strong):
                yield from self.inline_runs(node.children, True, emph, link)
            elif isinstance(node, Emph):
                yield from self.inline_runs(node.children, strong, True, link)
            elif isinstance(node, Link):
                runs = list(self.inline_runs(node.children, strong, emph, True))
                yield external_link(self.link_id(node.target), runs)
            elif isinstance(node, NoteMark):
                yield self.footnotes.mark(node, self.inline_runs)
            elif isinstance(node, RefLink):  # to the caption's bookmark (docx/tables.py)
                yield internal_link(bookmark_name(node.anchor, "_Ref_"), self.inline_runs(node.children, strong, emph, True))
            elif hasattr(node, "children"):  # a mark or reference layout did not resolve: as written
                yield from self.inline_runs(node.children, strong, emph, link)

    def run_format(self, strong: bool, emph: bool, link: bool) -> tuple:
        # One character style per run: the innermost meaning gets the style, the rest stays a
        # toggle (a bold link is a Hyperlink run with w:b).
        if link:
            return (self.styles.id("Hyperlink"), strong, emph)
        if strong:
            return (self.styles.id("Strong"), False, emph)
        if emph:
            return (self.styles.id("Emphasis"), False, False)
        return (None, False, False)

    def link_id(self, target: str) -> str:
        return self._links.rel_id(target)

    # ---- paragraphs, tables and where they go ------------------------------------------

    def new_paragraph(self, style_id: str | None) -> etree._Element:
        p = paragraph(style_id)
        if self._page_break_pending:
            ppr = paragraph_properties(p)
            ppr.insert(1 if style_id else 0, el("w:pageBreakBefore"))
            self._page_break_pending = False
        return p

    def emit(self, p: etree._Element, target: _Target, span: Span | None, kind: str) -> None:
        self.trace(p, span, kind)
        if self._box_ended:
            if p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is None:  # a new page has no box above
                space_after_box(self, p)
            self._box_ended = False
        target.append(p)
        self._last_emitted = p

    def trace(self, p: etree._Element, span: Span | None, kind: str) -> None:
        if self.sourcemap is not None and span is not None:
            self.sourcemap.mark(p, next(self._bookmark_ids), span, kind)

    def emit_table(self, table: etree._Element, target: _Target) -> None:
        target.append(table)
        before = table.getprevious()
        if before is not None and before.tag == qn("w:tbl"):
            gap = gap_between_tables(self)
            if self.tracker is None or self.tracker.track_gap(gap, before, table):
                before.addnext(gap)
        self._box_ended = False
        self._last_emitted = table

    def new_table(self, style_id: str, widths_mm: tuple[float, ...], caption: str | None,
                  header_row: bool, cell_margin_pt: float) -> etree._Element:
        """A table whose edge is on the text column's, as the PDF draws its tables and boxes: in
        Word 2010 compatibility mode (and LibreOffice) the indent places the first cell's text,
        so it is the cell's left margin (`cell_margin_pt`, its style's)."""
        tbl = el("w:tbl")
        tbl_pr = sub(tbl, "w:tblPr")
        sub(tbl_pr, "w:tblStyle", {"w:val": style_id})
        sub(tbl_pr, "w:tblW", {"w:w": "5000", "w:type": "pct"})
        sub(tbl_pr, "w:tblInd", {"w:w": str(round(cell_margin_pt * 20)), "w:type": "dxa"})
        sub(tbl_pr, "w:tblLayout", {"w:type": "fixed"})
        sub(tbl_pr, "w:tblLook", {"w:val": "04A0" if header_row else "0000", "w:firstRow": "1" if header_row else "0",
                                  "w:lastRow": "0", "w:firstColumn": "0", "w:lastColumn": "0",
                                  "w:noHBand": "1", "w:noVBand": "1"})
        if caption:
            sub(tbl_pr, "w:tblCaption", {"w:val": caption})
        grid = sub(tbl, "w:tblGrid")
        for width in widths_mm:
            sub(grid, "w:gridCol", {"w:w": twips(width)})
        return tbl

    def new_row(self, table: etree._Element, header: bool, splits: bool = False) -> Iterator[etree._Element]:
        tr = sub(table, "w:tr")
        tr_pr = sub(tr, "w:trPr")
        if not splits:
            sub(tr_pr, "w:cantSplit")
        if header:
            sub(tr_pr, "w:tblHeader")
        for grid_col in table.find(qn("w:tblGrid")):
            tc = sub(tr, "w:tc")
            tc_pr = sub(tc, "w:tcPr")
            sub(tc_pr, "w:tcW", {"w:w": grid_col.get(qn("w:w")), "w:type": "dxa"})
        return iter(tr.findall(qn("w:tc")))

    # ---- cover, section, header and footer ---------------------------------------------

    def add_cover(self, cover: Cover) -> None:
        # Logo, title, subject and programme sit on the brand band, as in the PDF (cover.py).
        band: list[etree._Element] = []
        if cover.logo is not None:
            p = self.new_paragraph(self.styles.id("Cover Logo"))
            p.append(self.picture_run(cover.logo, self.document.style.cover.logo_width_mm))
            band.append(p)
        band.append(self.cover_line(self.styles.id("Title"), cover.title, paragraph))
        self.trace(band[-1], cover.title_span, "heading")  # (the heading every cover line is under)
        band.append(self.cover_line(self.styles.id("Cover Subject"), cover.subject, paragraph))
        self.trace(band[-1], cover.subject_span, "body")
        if cover.programme:
            band.append(self.cover_line(self.styles.id("Cover Programme"), cover.programme, paragraph))
        band_element = band_table(self.document.style, band)
        self._body.append(band_element)
        # (the marking is the cover's header and footer, at the top and bottom as in the PDF)
        if cover.date_text:
            self.add_plain(self.styles.id("Cover Details"), cover.date_text)
        if cover.status_text:
            self.add_plain(self.styles.id("Cover Status"), cover.status_text)
        for text in (cover.purpose_text, cover.version_text):
            if text:
                self.add_plain(self.styles.id("Cover Details"), text)
        if cover.grade is not None:  # the overall judgment: its label, then its badge
            self.add_plain(self.styles.id("Cover Details"), cover.grade_label)
            badge = self.badge_paragraph(cover.grade)
            self.trace(badge, getattr(cover.grade, "span", None), "overall grade")
            self._body.append(badge)
        space_under_band(band_element)
        self._page_break_pending = True

    def add_plain(self, style_id: str, text) -> None:
        self._body.append(self.cover_line(style_id, text, self.new_paragraph))

    def cover_line(self, style_id: str, text, make: Callable[[str], etree._Element]) -> etree._Element:
        p = make(style_id)
        if isinstance(text, tuple):  # a redline's cover line: inline content with its changes
            self.tracker.add_line(p, text, self.add_inlines)
        else:
            p.append(text_run(text))
        return p

    def picture_run(self, image: Image, width_mm: float, alt: str | None = None, name: str = "Logo") -> etree._Element:
        inline = self.part.new_pic_inline(io.BytesIO(png_of(image)), Mm(width_mm), None)
        doc_pr = inline.find(qn("wp:docPr"))
        doc_pr.set("descr", alt or image.alt)
        doc_pr.set("title", alt or image.alt)
        doc_pr.set("name", name)
        r = el("w:r")
        sub(r, "w:drawing").append(inline)
        return r

    def set_up_section(self) -> None:
        page = self.document.style.page
        sect = self._sect_pr
        for child in list(sect):
            sect.remove(child)
        sect.append(el("w:pgSz", {"w:w": twips(page.width_mm), "w:h": twips(page.height_mm)}))
        header_mm = min(12.5, page.margin_top_mm / 2)
        footer_mm = min(12.5, page.margin_bottom_mm / 2)
        sect.append(el("w:pgMar", {"w:top": twips(page.margin_top_mm), "w:right": twips(page.margin_right_mm),
                                   "w:bottom": twips(page.margin_bottom_mm), "w:left": twips(page.margin_left_mm),
                                   "w:header": twips(header_mm), "w:footer": twips(footer_mm), "w:gutter": "0"}))
        sect.append(el("w:cols", {"w:space": "720"}))
        sect.append(el("w:titlePg"))
        sect.append(el("w:docGrid", {"w:linePitch": "360"}))

    def add_running(self) -> None:
        running = self.document.running
        section = self.word.sections[0]
        section.different_first_page_header_footer = True
        marking = [_line(self.styles.id("Marking"), [text_run(running.marking)])] if running.marking else []
        left, right, footer = running_texts(running, self.document.style)  # one line each, as in the PDF
        brand = text_run(left)
        if running.brand_language:  # the style's brand name, in the style's language (language of parts)
            brand.insert(0, el("w:rPr", {}, el("w:lang", {"w:val": running.brand_language})))
        # The cover (first page) shows only the marking and the watermark.
        self.fill_running(section.header, marking + [_line(self.styles.id("Header"),
                                                           [brand, tab_run(), text_run(right)])])
        self.fill_running(section.first_page_header, marking)
        paint_band_top(section.first_page_header.part.element, self.document.style)
        self.fill_running(section.footer, [_line(self.styles.id("Footer"), [text_run(footer), tab_run(),
                                                                             *self.page_x_of_y(running.page_x_of_y)])]
                          + marking)
        self.fill_running(section.first_page_footer, marking)

    def fill_running(self, header_or_footer, paragraphs: list[etree._Element]) -> None:
        root = _cleared(header_or_footer.part.element)
        is_header = root.tag == qn("w:hdr")
        for p in paragraphs or [paragraph(self.styles.id("Header" if is_header else "Footer"))]:
            root.append(copy.deepcopy(p))  # the marking line appears in four places
        watermark = self.document.running.watermark
        if is_header and watermark:
            root.find(qn("w:p")).append(self.watermark(watermark, len(self._watermarks)))

    def page_x_of_y(self, template: str) -> list[etree._Element]:
        runs: list[etree._Element] = []
        for piece in re.split(r"(\{page\}|\{pages\})", template):
            if piece == "{page}":
                runs += field_runs("PAGE", "1")
            elif piece == "{pages}":
                runs += field_runs("NUMPAGES", "1")
            elif piece:
                runs.append(text_run(piece))
        return runs

    def watermark(self, text: str, number: int) -> etree._Element:
        style = self.document.style
        width_pt = text_width_mm(style) * PT_PER_MM * 0.95
        self._watermarks.append(number)
        return watermark_run(text, style.fonts.family, style.colours.watermark, width_pt, number + 1)


def _cleared(root: etree._Element) -> etree._Element:
    for child in list(root):
        root.remove(child)
    return root


def _line(style_id: str, runs: list[etree._Element]) -> etree._Element:
    p = paragraph(style_id)
    p.extend(runs)
    return p
