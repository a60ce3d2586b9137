"""A report's data tables (layout DataTable) -> `<table>` with its `<caption>`, a `<thead>` of
`<th scope="col">` and a `<tbody>`, in a box of its own that scrolls on a narrow screen."""
from __future__ import annotations

from ...layout import blocks
from ...model import plain_text
from .inline import inlines, text

CELL_ALIGN = {"right": ' class="right"', "center": ' class="center"'}  # left is the default


def data_table(table: blocks.DataTable) -> str:
    header = "".join(f'<th scope="col"{CELL_ALIGN.get(align, "")}>{inlines(content)}</th>'
                     for content, align in zip(table.header, table.align))
    rows = "".join("<tr>" + "".join(f"<td{CELL_ALIGN.get(align, '')}>{inlines(content)}</td>"
                                    for content, align in zip(row, table.align)) + "</tr>"
                   for row in table.rows)
    # A wide table scrolls in its own box, which keyboard users can focus to scroll.
    return (f'<div class="table-scroll" role="region" aria-label="{text(plain_text(table.caption))}" tabindex="0">'
            f'<table class="data" id="{text(table.anchor)}"><caption>{inlines(table.caption)}</caption>'
            f"<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table></div>")
