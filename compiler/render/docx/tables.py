"""A report's data tables (layout DataTable) -> a real Word table in the "Data Table" style, its
header row repeated on every page (w:tblHeader), under a caption in Word's Caption style whose
number is a `SEQ Table` field, so Word's table of figures lists it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from docx.oxml.ns import qn
from lxml import etree

from ...layout.blocks import DataTable
from ...model import Inlines, Text, plain_text
from .ooxml import bookmark_around, bookmark_name, el, field_runs, paragraph_properties
from .styles import text_width_mm

if TYPE_CHECKING:
    from .document import DocxBuilder, _Target

WORD_ALIGN = {"left": "left", "right": "right", "center": "center"}
MEASURED_CHARACTERS = 60  # a cell longer than this wraps anyway: its column gets no more room
LEAST_CHARACTERS = 4  # a column of short numbers still gets room for its header's first word


def add_data_table(builder: "DocxBuilder", block: DataTable, target: "_Target") -> None:
    caption = caption_paragraph(builder, block)
    builder.emit(caption, target, block.span, "table caption")
    table = builder.new_table(builder.styles.id("Data Table"), column_widths(block, text_width_mm(builder.document.style)),
                              caption=plain_text(block.caption), header_row=True)
    table.find(qn("w:tblPr")).find(qn("w:tblLook")).set(qn("w:noHBand"), "0")  # stripes, as in the PDF
    _fill_row(builder, builder.new_row(table, header=True), block.header, block.align, "Table Header", block.span)
    for row, span in zip(block.rows, block.row_spans or (block.span,) * len(block.rows)):
        # (each row is kept whole, so the table breaks between rows)
        _fill_row(builder, builder.new_row(table, header=False), row, block.align, "Table Text", span)
    builder.emit_table(table, target)


def caption_paragraph(builder: "DocxBuilder", block: DataTable) -> etree._Element:
    """"Table 1: CAPTION" with the number as a SEQ field (its cached result the layout's number)."""
    p = builder.new_paragraph(builder.styles.id("Caption"))
    before, after = _split_at_number(block.caption, str(block.number))
    runs = list(builder.inline_runs(before, False, False, False))
    runs += field_runs("SEQ Table \\* ARABIC", str(block.number))
    runs += list(builder.inline_runs(after, False, False, False))
    p.extend(runs)
    # a named target, for cross-references to come (REF fields, links)
    bookmark_around(p, next(builder._bookmark_ids), bookmark_name(block.anchor, "_Ref_"))
    return p


def _split_at_number(caption: Inlines, number: str) -> tuple[Inlines, Inlines]:
    """The caption before and after the first place its number is written (the label's `{n}`)."""
    for index, node in enumerate(caption):
        if isinstance(node, Text) and number in node.text:
            head, _, tail = node.text.partition(number)
            before = caption[:index] + ((Text(head),) if head else ())
            return before, ((Text(tail),) if tail else ()) + caption[index + 1:]
    return caption, ()


def _fill_row(builder: "DocxBuilder", cells, contents: tuple[Inlines, ...], align: tuple[str, ...],
              style_name: str, span) -> None:
    for cell, content, alignment in zip(cells, contents, align):
        p = builder.new_paragraph(builder.styles.id(style_name))
        if alignment != "left":
            paragraph_properties(p).append(el("w:jc", {"w:val": WORD_ALIGN[alignment]}))
        builder.add_inlines(p, content)
        builder.trace(p, span, "table cell")
        cell.append(p)


def column_widths(block: DataTable, width_mm: float) -> tuple[float, ...]:
    """Shares of the text column in proportion to each column's longest cell (capped)."""
    weights = [float(LEAST_CHARACTERS)] * len(block.header)
    for row in (block.header, *block.rows):
        for index, content in enumerate(row):
            weights[index] = max(weights[index], min(len(plain_text(content)), MEASURED_CHARACTERS))
    total = sum(weights)
    return tuple(width_mm * weight / total for weight in weights)
