"""A report's data tables (layout DataTable) -> a captioned reportlab Table, tagged
Table > Caption, THead > TR > TH (Scope Column), TBody > TR > TD.

The header row repeats on every page the table spans (repeatRows=1) and the table splits
between rows. Columns are as wide as their content, shrunk to fit the text column when the
table is wider: a column keeps at least its longest word where it can, and long cells wrap.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from ...layout import blocks
from ...layout.tablewidths import (BODY, HEADER, TableFit, broken_table_message, fitted_widths as layout_widths,
                                  table_cells)
from ...model import Inlines
from .figures import source_line
from .flowables import TaggedParagraph, moved_on_in_vain
from .keeping import WithPrevious, kept_share
from .tagging import Element

if TYPE_CHECKING:
    from .fonts import FontSet
    from .story import StoryBuilder

CELL_PADDING = 6  # points either side of a cell's text, as in the glance table
VERTICAL_PADDING = 4  # above and below it (grid_commands' default)
RULE_COLOUR = "#B1B4B6"
ALIGNMENTS = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}


def grid_commands(font: str, header_fill: str, pad: float, valign: str = "TOP",
                  vertical_pad: float = VERTICAL_PADDING) -> list[tuple]:
    """The table style the report's tables share (data tables and the judgments at a glance): a
    filled header row, rules between rows."""
    return [
        # Cells hold flowables, but reportlab still sets the cell font: never a base-14 one.
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(header_fill)),
        ("VALIGN", (0, 0), (-1, -1), valign),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), vertical_pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), vertical_pad),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, HexColor(RULE_COLOUR)),
    ]


def data_table(builder: "StoryBuilder", table: blocks.DataTable, parent: Element) -> list[Flowable]:
    structure = builder.structure
    table_element = structure.add("Table", parent)
    caption_style = builder.typography["caption"]
    builder._check(table.caption, table.span, bold=True)
    caption = TaggedParagraph(builder.markup.anchor(table.anchor) + builder.markup.inlines(table.caption, table_element),
                              caption_style,
                              element=structure.add("Caption", table_element))
    header_style = builder.typography["glance-header"]
    cell_style = builder._derived(builder.typography["glance-2"], leftIndent=0)  # (no question indent)
    caption.keepWithNext = 0  # CaptionFirst keeps it with the table's first rows, not the whole table
    fit = fitted_widths(table, builder.frame.width, builder.fonts, header_style.fontSize, cell_style.fontSize)
    header_style, cell_style = (_scaled(builder, style, fit.scale) for style in (header_style, cell_style))
    head_row = structure.add("TR", structure.add("THead", table_element))
    body = structure.add("TBody", table_element)
    column_header = {"O": "Table", "Scope": "Column"}
    data: list[list[Flowable]] = [[
        _cell(builder, content, _aligned(builder, header_style, align), table.span,
              structure.add("TH", head_row, attributes=column_header, repeatable=True), bold=True)
        for content, align in zip(table.header, table.align)]]
    for row, spans in zip(table.rows, table.body_cell_spans()):
        row_element = structure.add("TR", body)
        data.append([_cell(builder, content, _aligned(builder, cell_style, align), span,
                           structure.add("TD", row_element))
                     for content, align, span in zip(row, table.align, spans)])
    colours = builder.style.colours
    commands = grid_commands(builder.fonts.regular, colours.primary, fit.padding(CELL_PADDING),
                             vertical_pad=VERTICAL_PADDING * fit.scale)
    if fit.broken:
        builder.diagnostics.warning(table.span, broken_table_message(len(table.header)))
    if table.rows:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#FFFFFF"), HexColor(colours.table_stripe)]))
    # Rows split between them; a row that does not fit where it falls (a cell longer than a page)
    # splits inside, with at least three lines on each side.
    grid: Flowable = Table(data, colWidths=list(fit.widths), repeatRows=1, style=TableStyle(commands), hAlign="LEFT",
                           spaceAfter=builder.style.fonts.size * 0.8, splitInRow=round(cell_style.leading * 3))
    keep_rows_whole(grid, data, builder.frame.width, builder.style.page.text_height_mm * mm / 2)
    if table.source:  # drawn with the table's last rows, never alone at the top of a page
        grid = WithPrevious(grid, source_line(builder, table.source, table.span, parent))
    return [CaptionFirst(caption, grid, ("table", table.span), builder.kept_boxes),
            *builder.blocks(table.notes, 0, parent)]


def keep_rows_whole(grid: Table, data: list[list[TaggedParagraph]], width: float, half_page: float) -> None:
    """Rows no taller than half a page stay on one page (the table breaks between them, as the
    DOCX's do); a taller row may split inside, at least three lines a side (splitInRow). A header
    row that tall is not repeated on every page (it could fill one) and may split too."""
    grid.wrap(width, half_page * 2)  # (the cells keep their lines: the frame wraps them at these widths)
    heights = grid._rowHeights
    if heights and heights[0] > half_page:
        grid.repeatRows = 0
    for row, height in zip(data, heights):
        if height <= half_page:
            for cell in row:
                cell.whole = True
    if len(data) >= 5 and all(height <= half_page for height in heights):
        # No lone row: at least two body rows before a break and two after it (split rows
        # keep this range, as reportlab shifts it)
        grid._rowSplitRange = (3, len(data) - 2)


class CaptionFirst(Flowable):
    """A caption drawn with the start of the table under it.

    reportlab's keepWithNext would move a caption and the whole table to the next page whenever
    the table does not fit where it falls, though it could split there; here the caption only
    needs the table's header and first row beside it, and the table splits as it would alone."""

    def __init__(self, caption: Flowable, table: Flowable, key: object = None, kept_keys: set | None = None) -> None:
        super().__init__()
        self.caption, self.table = caption, table
        self.key, self.kept_keys = key, kept_keys  # the table's key goes into kept_keys when kept whole
        self.kept = False

    def _gap(self) -> float:
        return max(self.caption.getSpaceAfter(), self.table.getSpaceBefore())

    def wrap(self, available_width, available_height):
        _, self.caption_height = self.caption.wrap(available_width, available_height)
        _, table_height = self.table.wrap(available_width, available_height)
        self.width, self.height = available_width, self.caption_height + self._gap() + table_height
        self.kept = self._kept_whole()
        if self.kept_keys is not None:  # the DOCX keeps the same tables whole (Rendered.kept_boxes)
            (self.kept_keys.add if self.kept else self.kept_keys.discard)(self.key)
        return self.width, self.height

    def getSpaceBefore(self):
        return self.caption.getSpaceBefore()

    def getSpaceAfter(self):
        return self.table.getSpaceAfter()

    def start_height(self) -> float:
        """What a heading above carries along: a short table whole, else its caption, header and
        first row."""
        if self.kept:
            return self.height
        grid = self.table.previous if isinstance(self.table, WithPrevious) else self.table
        rows = getattr(grid, "_rowHeights", None) or [0.0]
        return self.caption_height + self._gap() + sum(rows[:2])

    def _kept_whole(self) -> bool:
        """A table as short as a box kept whole (`keeping.kept_share`) is read on one page: a
        four-row table split two and two moves on instead."""
        frame = self._doctemplateAttr("frame")  # (None: wrapped outside a frame, as KeptTogether)
        return frame is None or self.height <= frame._aH * kept_share("table")

    def split(self, available_width, available_height):
        if self.kept and not moved_on_in_vain(self):
            return []
        room = available_height - self.caption_height - self._gap()
        parts = self.table.split(available_width, room) if room > 0 else []
        if not parts:
            return []  # the caption goes on with the table
        return [CaptionFirst(self.caption, parts[0]), *parts[1:]]

    def drawOn(self, canvas, x, y, _sW=0):
        self.caption.drawOn(canvas, x, y + self.height - self.caption_height, _sW)
        self.table.drawOn(canvas, x, y, _sW)


def _scaled(builder: "StoryBuilder", style, scale: float):
    """A wide table's cells set smaller (layout/tablewidths.py): size and leading alike."""
    if scale == 1.0:
        return style
    return builder._derived(style, fontSize=style.fontSize * scale, leading=style.leading * scale)


def _cell(builder: "StoryBuilder", content: Inlines, style, span, element: Element,
          bold: bool = False) -> TaggedParagraph:
    builder._check(content, span, bold=bold)
    text, frags = builder.markup.paragraph_source(content, style, element)
    return TaggedParagraph(text, style, frags=frags, element=element)


def _aligned(builder: "StoryBuilder", style, align: str):
    alignment = ALIGNMENTS.get(align, TA_LEFT)
    return style if alignment == style.alignment else builder._derived(style, alignment=alignment)


def fitted_widths(table: blocks.DataTable, frame_width: float, fonts: FontSet, header_size: float,
                  cell_size: float) -> TableFit:
    """The table's column widths and text scale (layout/tablewidths.py), measured with reportlab's metrics."""
    rows, strong = table_cells(table.header, table.rows)

    def measure(text: str, kind: str) -> float:
        return stringWidth(text, fonts.regular if kind == BODY else fonts.bold, header_size if kind == HEADER else cell_size)

    return layout_widths(rows, frame_width, measure, CELL_PADDING, strong)
