"""A report's data tables (layout DataTable) -> `<table>` with its `<caption>`, a `<thead>` of
`<th scope="col">` and a `<tbody>`, in a box of its own that scrolls on a narrow screen; its
source line and notes follow (body.py). Figures (FigureBlock) -> `<figure>` with its caption, the
image (a data URI, as the logo is) with its alt text, and its source line.
"""
from __future__ import annotations

import base64
import re

from ...layout import blocks
from ...model import plain_text
from ...style.images import png_of
from .inline import inlines, text

CELL_ALIGN = {"right": ' class="right"', "center": ' class="center"'}  # left is the default


def data_table(table: blocks.DataTable) -> str:
    header = "".join(f'<th scope="col"{CELL_ALIGN.get(align, "")}>{inlines(content)}</th>'
                     for content, align in zip(table.header, table.align))
    rows = "".join("<tr>" + "".join(f"<td{CELL_ALIGN.get(align, '')}>{inlines(content)}</td>"
                                    for content, align in zip(row, table.align)) + "</tr>"
                   for row in table.rows)
    # A wide table scrolls in its own box, which keyboard users can focus to scroll; on a wide
    # screen the box reaches into the margin on the right (css.py: data-scroll), and its caption
    # stays in view, wrapped to the box, while the table scrolls under it.
    return (f'<div class="table-scroll data-scroll" role="region" aria-label="{text(plain_text(table.caption))}" tabindex="0">'
            f'<table class="data" id="{text(table.anchor)}"><caption>{inlines(table.caption)}</caption>'
            f"<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table></div>")


def source_line(source) -> str:
    return f'<p class="source">{inlines(source)}</p>'


def figure(block: blocks.FigureBlock) -> str:
    image = block.image
    data = base64.b64encode(png_of(image)).decode("ascii")
    source = source_line(block.source) if block.source else ""
    return (f'<figure class="figure" id="{text(block.anchor)}"><figcaption>{inlines(block.caption)}</figcaption>'
            f'<img class="{width_class(block.width_percent)}" src="data:image/png;base64,{data}" '
            f'alt="{text(block.alt)}" width="{image.width_px}" height="{image.height_px}">{source}</figure>')


def width_class(percent: int) -> str:
    """A figure's share of the text column as a class (the rule is in css.py): no inline styles."""
    return f"width-{max(1, min(percent, 100))}"


def callout_class(kind: str) -> str:
    """A `callout:` kind as a class name; style keys are written by people, so only [a-z0-9-] pass."""
    return "callout-" + re.sub(r"[^a-z0-9-]", "-", kind.lower())
