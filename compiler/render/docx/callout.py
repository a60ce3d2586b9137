"""A callout box as the PDF draws it (render/pdf/story.py, callout): shaded, a rule down its
left, kept whole on one page where the PDF kept it (a short box: every paragraph but the last
kept with the next), else free to break across pages between (and inside) the blocks it holds.

The box is a one-column table with a row per block: Word and LibreOffice both draw it round a
lead-in and a numbered list, and a reader can comment on it like any text. One row per block
(not one row for the whole box) is what lets LibreOffice keep a heading with the box's first
block and carry the rest over, where the PDF does: a single splittable row is still moved whole
to the next page with the heading kept with it. The rows join with no margin between them, so
they read as one box; the table style's cell margins are the padding round the whole.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from docx.oxml.ns import qn
from lxml import etree

from ...layout.blocks import Block
from .ooxml import paragraph, set_keep_next, sub
from .spacing import add_space_before, set_space_before
from .styles import BOX_MARGIN_EM

if TYPE_CHECKING:
    from .document import DocxBuilder


def fill_callout(builder: "DocxBuilder", table: etree._Element, blocks: Iterable[Block],
                 into: Callable[[etree._Element], object], kept: bool = False) -> None:
    """A row per block in `table`; `into(cell)` is the builder's target for a cell. `kept`: the
    PDF laid the box out whole on one page (a short box), and so do Word and LibreOffice."""
    rows = []
    for block in list(blocks) or [None]:
        cell = next(builder.new_row(table, header=False, splits=True))
        if block is not None:
            builder.add_block(block, into(cell))
        if cell.find(qn("w:p")) is None:
            cell.append(paragraph(None))
        rows.append(cell)
    # The panel's padding is all the space above its first block (the PDF drops that block's own).
    set_space_before(rows[0].find(qn("w:p")), 0)
    for index, cell in enumerate(rows):
        margins = sub(cell.find(qn("w:tcPr")), "w:tcMar")
        if index:
            sub(margins, "w:top", {"w:w": "0", "w:type": "dxa"})
        if index < len(rows) - 1:
            sub(margins, "w:bottom", {"w:w": "0", "w:type": "dxa"})
    if kept:
        keep_box_together(rows)


def keep_box_together(cells: list[etree._Element]) -> None:
    """Every paragraph of the box kept with the next, but its last: the box moves on whole."""
    paragraphs = [p for cell in cells for p in cell.iter(qn("w:p"))]
    for p in paragraphs[:-1]:
        set_keep_next(p)


def gap_between_tables(builder: "DocxBuilder") -> etree._Element:
    """The empty paragraph that stands between two tables (the "Box Gap" style): Word joins
    tables with nothing between them into one, and LibreOffice draws them touching."""
    return paragraph(builder.styles.id("Box Gap"))


def space_after_box(builder: "DocxBuilder", p: etree._Element) -> None:
    """The PDF's margin below a box, as space before the paragraph that follows it (a Word table
    has no space after of its own)."""
    add_space_before(p, builder.styles, builder.document.style.fonts.size * BOX_MARGIN_EM)
