"""A report's data tables (layout DataTable) -> a real Word table in the "Data Table" style, its
header row repeated on every page (w:tblHeader), under a caption in Word's Caption style whose
number is a `SEQ Table` field, so Word's table of figures lists it.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from docx.oxml.ns import qn
from lxml import etree

from ...layout.blocks import DataTable
from ...layout.tablewidths import BODY, TableFit, broken_table_message, fitted_widths, table_cells
from ...model import Inlines, Text, plain_text
from ...style.metrics import advances
from ...style.types import Style
from .blocks import keep_with_next
from .callout import keep_box_together
from .ooxml import PT_PER_MM, bookmark_around, bookmark_name, el, field_runs, paragraph_properties
from .properties import spacing
from .styles import TABLE_CELL_MARGIN_PT, TABLE_LEADING, TABLE_TEXT_SCALE, text_width_mm

if TYPE_CHECKING:
    from .document import DocxBuilder, _Target

WORD_ALIGN = {"left": "left", "right": "right", "center": "center"}
CELL_MARGIN_PT = TABLE_CELL_MARGIN_PT  # the Data Table style's left and right cell margins: the PDF's padding
# Above and below a cell's text, the PDF's 4 pt (pdf/tables.py, VERTICAL_PADDING): the style's 2 pt
# cell margin and the cell text's own 2 pt space (the Table Text and Table Header styles)
VERTICAL_PADDING_PT, TEXT_SPACE_PT = 4, 2


def add_data_table(builder: "DocxBuilder", block: DataTable, target: "_Target") -> None:
    caption = caption_paragraph(builder, block.caption, block.number, block.anchor, "Table")
    builder.emit(caption, target, block.caption_span or block.span, "table caption")
    fit = column_widths(block, builder.document.style)
    widths = tuple(width / PT_PER_MM for width in fit.widths)
    table = builder.new_table(builder.styles.id("Data Table"), widths, caption=plain_text(block.caption),
                              header_row=True, cell_margin_pt=fit.padding(CELL_MARGIN_PT) if fit.scale != 1.0
                              else CELL_MARGIN_PT)
    header_style, text_style = (_cell_style(builder, name, fit.scale) for name in ("Table Header", "Table Text"))
    if fit.broken:
        builder.diagnostics.warning(block.span, broken_table_message(len(block.header)))
    if fit.scale != 1.0:  # a wide table: smaller text, and margins to match (the PDF scales its padding)
        margin = str(round(fit.padding(CELL_MARGIN_PT) * 20))
        vertical = str(round(max(VERTICAL_PADDING_PT * fit.scale - TEXT_SPACE_PT, 0) * 20))
        table.find(qn("w:tblPr")).find(qn("w:tblLook")).addprevious(  # (the schema's order)
            el("w:tblCellMar", {}, *(el(f"w:{side}", {"w:w": value, "w:type": "dxa"}) for side, value in
                                     (("top", vertical), ("left", margin), ("bottom", vertical), ("right", margin)))))
    # As wide as its columns, as in the PDF: a table of a few short columns does not span the page.
    table.find(qn("w:tblPr")).find(qn("w:tblW")).attrib.update(
        {qn("w:w"): str(round(sum(widths) * PT_PER_MM * 20)), qn("w:type"): "dxa"})
    table.find(qn("w:tblPr")).find(qn("w:tblLook")).set(qn("w:noHBand"), "0")  # stripes, as in the PDF
    _fill_row(builder, builder.new_row(table, header=True), block.header, block.align, header_style,
              block.header_spans or block.span)
    style = builder.document.style
    half_page = style.page.text_height_mm * PT_PER_MM / 2
    measure, line_pt = _measure(style), style.fonts.size * TABLE_TEXT_SCALE * fit.scale * TABLE_LEADING
    for row, spans in zip(block.rows, block.body_cell_spans()):
        # Each row is kept whole, so the table breaks between rows, as in the PDF; but a row
        # that may be taller than half a page splits inside (Word would cut a whole row taller
        # than the page off at the margin).
        splits = _row_height(row, fit, measure, line_pt) > half_page
        _fill_row(builder, builder.new_row(table, header=False, splits=splits), row, block.align, text_style, spans)
    if ("table", block.span) in builder.options.kept_boxes:  # a short table the PDF kept on one page
        keep_box_together([table])
    builder.emit_table(table, target)
    if block.source:
        add_source_line(builder, block.source, block.source_span or block.span, target)
    for note in block.notes:
        builder.add_block(note, target)


def add_source_line(builder: "DocxBuilder", source: Inlines, span, target: "_Target") -> None:
    """"Source: ..." under a table or a figure, kept with it (Word keeps a table with the
    paragraph after its last row only through that row's keepNext)."""
    keep_with_next(builder._last_emitted)
    p = builder.new_paragraph(builder.styles.id("Source"))
    builder.add_inlines(p, source)
    builder.emit(p, target, span, "source")


def caption_paragraph(builder: "DocxBuilder", caption: Inlines, number: int, anchor: str,
                      sequence: str) -> etree._Element:
    """"Table 1: CAPTION" with the number as a SEQ field of `sequence` ("Table", "Figure"; its
    cached result the layout's number), so Word's table of figures lists it."""
    p = builder.new_paragraph(builder.styles.id("Caption"))
    before, after = _split_at_number(caption, str(number))
    runs = list(builder.inline_runs(before, False, False, False))
    runs += field_runs(f"SEQ {sequence} \\* ARABIC", str(number))
    runs += list(builder.inline_runs(after, False, False, False))
    p.extend(runs)
    # a named target, for cross-references to come (REF fields, links)
    bookmark_around(p, next(builder._bookmark_ids), bookmark_name(anchor, "_Ref_"))
    return p


def _split_at_number(caption: Inlines, number: str) -> tuple[Inlines, Inlines]:
    """The caption before and after the first place its number is written (the label's `{n}`)."""
    for index, node in enumerate(caption):
        if isinstance(node, Text) and number in node.text:
            head, _, tail = node.text.partition(number)
            before = caption[:index] + ((Text(head),) if head else ())
            return before, ((Text(tail),) if tail else ()) + caption[index + 1:]
    return caption, ()


def _cell_style(builder: "DocxBuilder", name: str, scale: float) -> str:
    if scale == 1.0:
        return builder.styles.id(name)
    # Word sizes text in half points: down to one, so the text is never wider than it was fitted
    size_pt = math.floor(builder.document.style.fonts.size * TABLE_TEXT_SCALE * scale * 2) / 2
    leading = spacing(TEXT_SPACE_PT, TEXT_SPACE_PT, leading_pt=builder.document.style.fonts.size * TABLE_TEXT_SCALE
                      * scale * TABLE_LEADING)  # the PDF's, scaled with the text
    return builder.styles.sized(name, size_pt, ppr=(leading,))


def _fill_row(builder: "DocxBuilder", cells, contents: tuple[Inlines, ...], align: tuple[str, ...],
              style_id: str, spans) -> None:
    """A row's cells; `spans` is one span for the whole row (the header) or one per cell."""
    spans = spans if isinstance(spans, tuple) else (spans,) * len(contents)
    for cell, content, alignment, span in zip(cells, contents, align, spans):
        p = builder.new_paragraph(style_id)
        if alignment != "left":
            paragraph_properties(p).append(el("w:jc", {"w:val": WORD_ALIGN[alignment]}))
        builder.add_inlines(p, content)
        builder.trace(p, span, "table cell")
        cell.append(p)


def column_widths(block: DataTable, style: Style) -> TableFit:
    """The columns' widths in points and the text's scale, fitted as the PDF fits them
    (layout/tablewidths.py), measured in the style's faces at the cells' size."""
    rows, strong = table_cells(block.header, block.rows)
    return fitted_widths(rows, text_width_mm(style) * PT_PER_MM, _measure(style), CELL_MARGIN_PT, strong)


def _row_height(row: tuple[Inlines, ...], fit: TableFit, measure, line_pt: float) -> float:
    """An estimate of a row's height in points: its tallest cell's lines, each cell's one-line
    width over its column's room (plus one line, as words do not break anywhere)."""
    lines = 1
    for content, width in zip(row, fit.widths):
        room = max(width - 2 * CELL_MARGIN_PT * fit.scale, 1.0)
        lines = max(lines, math.ceil(measure(plain_text(content), BODY) * fit.scale / room) + 1)
    return lines * line_pt


def _measure(style: Style):
    faces = {face: advances(path) for face, path in ((True, style.fonts.bold), (False, style.fonts.regular))}
    size = style.fonts.size * TABLE_TEXT_SCALE

    def measure(text: str, kind: str) -> float:
        face = faces[kind != BODY]
        # A font that cannot be measured: an average glyph is about half an em
        return len(text) * size * 0.55 if face is None else face.width_pt(text, size)

    return measure
