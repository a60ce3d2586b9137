"""A report's charts (layout ChartBlock) -> `<figure>`: the caption, layout's drawing as an inline
SVG (`role="img"`, its `<title>` the caption and its `<desc>` the alt text), the source line,
and the data as a table in a `<details>` under it, so every value is reachable as text."""
from __future__ import annotations

from ...layout import blocks, chartshapes
from ...model import plain_text
from ...style.types import Style
from .inline import inlines, text


def chart_figure(block: blocks.ChartBlock, style: Style) -> str:
    anchor = text(block.anchor)
    caption = f"<figcaption>{inlines(block.caption)}</figcaption>"
    source = f'<p class="source">{inlines(block.source)}</p>' if block.source else ""
    summary = style.label("chart_data", figure=style.label("figure_ref", n=block.number))
    # On a narrow screen the drawing keeps a legible size and scrolls in its own box (css.py),
    # which keyboard users can focus to scroll, as a table's
    drawing = svg(block.drawing, plain_text(block.caption), block.alt, block.anchor)
    return (f'<figure class="chart" id="{anchor}">{caption}'
            f'<div class="chart-scroll" role="region" aria-label="{text(plain_text(block.caption))}" tabindex="0">'
            f"{drawing}</div>{source}"
            f'<details><summary>{text(summary)}</summary>'
            # (wider than a phone's screen with a few series: it scrolls in a box as other tables do)
            f'<div class="table-scroll" role="region" aria-label="{text(summary)}" tabindex="0">'
            f'{data_table(block)}</div></details></figure>')


def svg(drawing: chartshapes.ChartDrawing, title: str, description: str, anchor: str) -> str:
    ids = f"{anchor}-title", f"{anchor}-desc"
    shapes = "".join(_shape(shape) for shape in drawing.shapes)
    return (f'<svg class="chart" role="img" aria-labelledby="{text(ids[0])} {text(ids[1])}" '
            f'viewBox="0 0 {drawing.width:g} {drawing.height:g}" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{text(ids[0])}">{text(title)}</title><desc id="{text(ids[1])}">{text(description)}</desc>'
            f'<rect width="100%" height="100%" fill="{drawing.background}"/>{shapes}</svg>')


def _shape(shape: chartshapes.Shape) -> str:
    if isinstance(shape, chartshapes.Rect):
        stroke = f' stroke="{shape.stroke}" stroke-width="0.5"' if shape.stroke else ""
        return (f'<rect x="{shape.x:g}" y="{shape.y:g}" width="{shape.width:g}" height="{shape.height:g}" '
                f'fill="{shape.fill}"{stroke}/>')
    if isinstance(shape, chartshapes.Line):
        points = " ".join(f"{x:g},{y:g}" for x, y in shape.points)
        dash = f' stroke-dasharray="{" ".join(f"{d:g}" for d in shape.dash)}"' if shape.dash else ""
        return (f'<polyline points="{points}" fill="none" stroke="{shape.colour}" '
                f'stroke-width="{shape.width:g}"{dash}/>')
    if isinstance(shape, chartshapes.Marker):
        if shape.shape == "circle":
            return f'<circle cx="{shape.x:g}" cy="{shape.y:g}" r="{shape.size / 2:g}" fill="{shape.colour}"/>'
        points = " ".join(f"{x:g},{y:g}" for x, y in shape.polygon())
        return f'<polygon points="{points}" fill="{shape.colour}"/>'
    weight = ' font-weight="700"' if shape.bold else ""
    turned = f' transform="rotate(-90 {shape.x:g} {shape.y:g})"' if shape.rotated else ""  # reading upwards
    return (f'<text x="{shape.x:g}" y="{shape.y:g}" text-anchor="{shape.anchor}" font-size="{shape.size:g}" '
            f'fill="{shape.colour}"{weight}{turned}>{text(shape.text)}</text>')


def data_table(block: blocks.ChartBlock) -> str:
    """Categories down, series across: the numbers as printed, with their unit. Its hidden
    caption is the figure's in plain text: a note mark or a link in it again gave two elements
    one id and put a link no one could see in the tab order."""
    head = "".join(f'<th scope="col">{text(entry.name)}</th>' for entry in block.series)
    rows = "".join(f'<tr><th scope="row">{text(category)}</th>'
                   + "".join(f'<td class="right">{text(entry.value_texts[index])}</td>' for entry in block.series)
                   + "</tr>" for index, category in enumerate(block.categories))
    return (f'<table class="data"><caption class="visually-hidden">{text(plain_text(block.caption))}</caption>'
            f"<thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table>")
