"""A report's figures (layout FigureBlock) -> a caption in Word's Caption style numbered by a
`SEQ Figure` field, an inline picture whose `wp:docPr` carries the alt text (`descr`), and the
source line. Word stores an image once however often it is placed (python-docx shares image
parts by their digest).

`callout_box` makes a `callout:` block's box: a one-cell table in a table style named for its
kind, so a writer restyles every "Innovative Practice" box at once.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...layout.blocks import Callout, FigureBlock
from .styles import role_style_name, text_height_mm, text_width_mm
from .tables import add_source_line, caption_paragraph

if TYPE_CHECKING:
    from .document import DocxBuilder, _Target

TALLEST_SHARE = 0.8  # of the text column's height: room is left for the caption above a tall image


def add_figure(builder: "DocxBuilder", block: FigureBlock, target: "_Target") -> None:
    caption = caption_paragraph(builder, block.caption, block.number, block.anchor, "Figure")
    builder.emit(caption, target, block.caption_span or block.span, "figure caption")
    style = builder.document.style
    image = block.image
    width_mm = text_width_mm(style) * max(1, min(block.width_percent, 100)) / 100
    tallest_mm = text_height_mm(style) * TALLEST_SHARE
    if width_mm * image.height_px / image.width_px > tallest_mm:
        width_mm = tallest_mm * image.width_px / image.height_px
    p = builder.new_paragraph(builder.styles.id("Figure"))
    p.append(builder.picture_run(image, width_mm, alt=block.alt, name=f"Figure {block.number}"))
    builder.emit(p, target, block.span, "figure")
    if block.source:
        add_source_line(builder, block.source, block.span, target)  # (keeps the picture with it)


def callout_style(builder: "DocxBuilder", block: Callout) -> str:
    """The table style of a box: its kind's own for a `callout:` block, else its role's."""
    if block.kind and block.fill:
        return builder.styles.callout_box(block.kind, block.fill, block.rule or block.fill)
    return builder.styles.id(f"{role_style_name(block.role)} Box")
