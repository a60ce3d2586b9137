"""Tables, figures and charts -> numbered layout blocks, in reading order, each kind counted on its
own (charts are figures). Caption text is decided here, so every format prints the same
"Table N: CAPTION" and "Figure N: CAPTION"; a "Source: ..." line likewise.
"""
from __future__ import annotations

from ..model import Chart, Figure, Inlines, Table, Text
from ..style.types import Style
from .blocks import Block, ChartBlock, DataTable, FigureBlock


class Numbering:
    """Counts the tables and the figures of one report as layout meets them (reading order)."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.tables = 0
        self.figures = 0

    def table(self, table: Table, notes: tuple[Block, ...] = ()) -> DataTable:
        self.tables += 1
        anchor = f"tbl-{table.name}" if table.name else f"table-{self.tables}"
        rows = tuple(tuple(cell.content for cell in row) for row in table.rows)
        return DataTable(self.tables, self.caption("table", self.tables, table.caption), anchor,
                         tuple(cell.content for cell in table.header), table.align, rows, table.span,
                         tuple(row[0].span if row else table.span for row in table.rows),
                         source=self.source(table.source), notes=notes,
                         cell_spans=tuple(tuple(cell.span for cell in row) for row in table.rows),
                         header_spans=tuple(cell.span for cell in table.header),
                         caption_span=table.caption_span, source_span=table.source_span)

    def figure(self, figure: Figure) -> FigureBlock:
        self.figures += 1
        return FigureBlock(self.figures, self.caption("figure", self.figures, figure.caption),
                           self.anchor(figure.name), figure.image, figure.alt, figure.width_percent,
                           self.source(figure.source), figure.span, figure.caption_span)

    def chart(self, chart: Chart) -> ChartBlock:
        from .charts import chart_block  # here: drawing charts is code most reports never need

        self.figures += 1
        return chart_block(chart, self.figures, self.caption("figure", self.figures, chart.caption),
                           self.anchor(chart.name), self.source(chart.source), self.style)

    def anchor(self, name: str | None) -> str:
        return f"fig-{name}" if name else f"figure-{self.figures}"

    def caption(self, kind: str, number: int, caption: Inlines | None) -> Inlines:
        """The `table_caption` / `figure_caption` label around the caption's own inline markup;
        a table without a caption (a pipe table may have none) prints "Table N" alone."""
        if not caption:
            return (Text(self.style.label(f"{kind}_ref", n=number)),)
        return self.filled(f"{kind}_caption", caption, n=number)

    def source(self, source: Inlines | None) -> Inlines | None:
        return self.filled("source", source) if source else None

    def filled(self, key: str, content: Inlines, **values: object) -> Inlines:
        marker = "\x00"  # where the text's own inline markup goes into the label
        field = "caption" if "caption" in key else "source"
        before, _, after = self.style.label(key, **values, **{field: marker}).partition(marker)
        return tuple(part for part in (Text(before) if before else None, *content, Text(after) if after else None)
                     if part is not None)
