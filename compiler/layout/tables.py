"""Model tables -> layout tables: numbered in reading order with their caption text decided here,
so every format prints the same "Table N: CAPTION"."""
from __future__ import annotations

from ..model import Inlines, Table, Text
from ..style.types import Style
from .blocks import DataTable

CAPTION_LABEL = "Table {n}: {caption}"  # the `table_caption` label when a style sets none
NUMBER_LABEL = "Table {n}"  # the `table_ref` label: a table without a caption prints this alone


class TableNumbering:
    """Counts the tables of one report as layout meets them (in reading order)."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.count = 0

    def add(self, table: Table) -> DataTable:
        self.count += 1
        anchor = f"tbl-{table.name}" if table.name else f"table-{self.count}"
        rows = tuple(tuple(cell.content for cell in row) for row in table.rows)
        return DataTable(self.count, self.caption(table.caption), anchor,
                         tuple(cell.content for cell in table.header), table.align, rows, table.span,
                         tuple(row[0].span if row else table.span for row in table.rows))

    def caption(self, caption: Inlines | None) -> Inlines:
        if not caption:
            return (Text(self._label("table_ref", NUMBER_LABEL).format(n=self.count)),)
        marker = "\x00"  # where the caption's own inline markup goes into the label
        before, _, after = self._label("table_caption", CAPTION_LABEL).format(n=self.count, caption=marker).partition(marker)
        return tuple(part for part in (Text(before) if before else None, *caption, Text(after) if after else None)
                     if part is not None)

    def _label(self, key: str, default: str) -> str:
        return self.style.labels.get(key, default)
