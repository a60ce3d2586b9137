"""A report's figures (layout FigureBlock) -> caption, image and source line, tagged
Div > Caption, Figure (with /Alt and its /BBox on the page), P.

The caption sits above the image, as a table's does, and is kept with it; the source line is
drawn together with the image's end. The image is as wide as its share of the text column and
never taller than the frame (a tall image is narrowed instead). The same image bytes are embedded
once however often they are drawn: reportlab names an image XObject by a digest of its data.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from ...layout import blocks
from ...style.images import pillow_image
from .flowables import Tagged, TaggedParagraph
from .keeping import WithPrevious
from .tagging import Element

if TYPE_CHECKING:
    from .story import StoryBuilder

CAPTION_ROOM = 0.15  # of the frame's height kept free above a tallest image, for its caption


class FigureImage(Tagged, Flowable):
    """An image drawn as the content of its Figure element, which learns its box on the page."""

    def __init__(self, image: blocks.Image, width_percent: int, element: Element) -> None:
        super().__init__()
        self.image = image
        self.share = max(1, min(width_percent, 100)) / 100
        self.element = element

    def wrap(self, available_width, available_height):
        frame = self._doctemplateAttr("frame")
        tallest = getattr(frame, "_height", available_height) * (1 - CAPTION_ROOM)
        aspect = self.image.height_px / self.image.width_px
        self.width = available_width * self.share
        self.height = self.width * aspect
        if self.height > tallest:
            self.height, self.width = tallest, tallest / aspect
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        reader = ImageReader(pillow_image(self.image))
        canvas.drawImage(reader, 0, 0, self.width, self.height, mask="auto")
        record_box(canvas, self.element, self.width, self.height)


def record_box(canvas, element: Element, width: float, height: float) -> None:
    """A Figure's /BBox: where the flowable drawing it is on the page (drawn once: it never splits)."""
    if element.bbox is None:
        (left, bottom), (right, top) = canvas.absolutePosition(0, 0), canvas.absolutePosition(width, height)
        element.bbox = (left, bottom, right, top)


def figure(builder: "StoryBuilder", figure: blocks.FigureBlock, parent: Element) -> list[Flowable]:
    return captioned(builder, figure, parent,
                     lambda element: FigureImage(figure.image, figure.width_percent, element))


def captioned(builder: "StoryBuilder", block: blocks.FigureBlock | blocks.ChartBlock, parent: Element,
              drawn: Callable[[Element], Flowable]) -> list[Flowable]:
    """A figure or chart: Div > Caption, Figure (what `drawn` makes for its element), P (source)."""
    structure = builder.structure
    group = structure.add("Div", parent)
    builder._check(block.caption, block.caption_span or block.span, bold=True)
    caption_style = builder.typography["caption"]
    # (the anchor: `@fig-NAME` links here, pdf/notes.note_destinations)
    caption = TaggedParagraph(builder.markup.anchor(block.anchor) + builder.markup.inlines(block.caption, group),
                              caption_style, element=structure.add("Caption", group))
    figure_flowable = drawn(structure.add("Figure", group, alt=block.alt))
    if block.source:
        figure_flowable = WithPrevious(figure_flowable, source_line(builder, block.source, block.span, group))
    return [caption, figure_flowable]


def source_line(builder: "StoryBuilder", source, span, parent: Element) -> TaggedParagraph:
    """"Source: ..." under a table or a figure, small and muted."""
    builder._check(source, span)
    element = builder.structure.add("P", parent)
    style = builder.typography["source"]
    text, frags = builder.markup.paragraph_source(source, style, element)
    return TaggedParagraph(text, style, frags=frags, element=element)
