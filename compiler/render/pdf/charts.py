"""A report's charts (layout ChartBlock) -> caption, vector drawing and source line, tagged as a
figure is: Div > Caption, Figure (with /Alt and its /BBox on the page), P.

The drawing is layout's (`ChartDrawing`), mapped onto reportlab's graphics shapes and drawn as
one marked-content sequence of its Figure: vectors and real text, no raster image. Its value
labels are text, so they can be found and copied.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab import rl_config

# reportlab checks every attribute set on a graphics shape when `shapeChecking` is on as its
# classes are created, a debugging aid that cost a tenth of a data-heavy report's PDF time; layout
# has already made every value. It must be off before reportlab.graphics.shapes is first imported.
rl_config.shapeChecking = 0

from reportlab.graphics import renderPDF  # noqa: E402
from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, PolyLine, Rect, String  # noqa: E402
from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from ...layout import blocks, chartshapes
from ...model import Text
from .figures import captioned, record_box
from .flowables import Tagged
from .tagging import Element

if TYPE_CHECKING:
    from .story import StoryBuilder


class ChartFigure(Tagged, Flowable):
    """The chart's drawing as the content of its Figure element, which learns its box on the page."""

    whole = True  # shapes and labels together: one sequence, read as the figure's alt text

    def __init__(self, drawing: Drawing, element: Element) -> None:
        super().__init__()
        self.drawing = drawing
        self.element = element
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        record_box(self.canv, self.element, self.width, self.height)


def chart(builder: "StoryBuilder", block: blocks.ChartBlock, parent: Element) -> list[Flowable]:
    """Tagged as a figure is (figures.captioned); its labels are checked against the fonts."""
    builder._check(tuple(Text(label.text) for label in block.drawing.labels()), block.span)
    drawing = reportlab_drawing(block.drawing, builder.fonts.regular, builder.fonts.bold)
    return captioned(builder, block, parent, lambda element: ChartFigure(drawing, element))


def reportlab_drawing(chart: chartshapes.ChartDrawing, regular: str, bold: str) -> Drawing:
    """Layout's primitives (y down) as reportlab shapes (y up)."""
    drawing = Drawing(chart.width, chart.height)
    # reportlab's graphics state starts in its base-14 Times-Roman, which PDF/UA forbids (every
    # font embedded): start it in the style's face instead.
    drawing.initialFontName = regular
    flip = chart.height
    for shape in chart.shapes:
        if isinstance(shape, chartshapes.Rect):
            drawing.add(Rect(shape.x, flip - shape.y - shape.height, shape.width, shape.height,
                             fillColor=HexColor(shape.fill), strokeColor=_colour(shape.stroke),
                             strokeWidth=0.5 if shape.stroke else 0))
        elif isinstance(shape, chartshapes.Line):
            points = [value for x, y in shape.points for value in (x, flip - y)]
            drawing.add(PolyLine(points, strokeColor=HexColor(shape.colour), strokeWidth=shape.width,
                                 strokeDashArray=list(shape.dash) or None, strokeLineJoin=1, strokeLineCap=0))
        elif isinstance(shape, chartshapes.Marker):
            drawing.add(_marker(shape, flip))
        else:
            drawing.add(_label(shape, flip, bold if shape.bold else regular))
    return drawing


def _label(label: chartshapes.Label, flip: float, font: str):
    """Real text; a rotated label turned a quarter anticlockwise about its anchor, reading upwards."""
    if not label.rotated:
        return String(label.x, flip - label.y, label.text, fontName=font, fontSize=label.size,
                      fillColor=HexColor(label.colour), textAnchor=label.anchor)
    turned = Group(String(0, 0, label.text, fontName=font, fontSize=label.size, fillColor=HexColor(label.colour),
                          textAnchor=label.anchor))
    turned.translate(label.x, flip - label.y)
    turned.rotate(90)
    return turned


def _marker(marker: chartshapes.Marker, flip: float):
    fill = HexColor(marker.colour)
    if marker.shape == "circle":
        return Circle(marker.x, flip - marker.y, marker.size / 2, fillColor=fill, strokeColor=None)
    points = [value for x, y in marker.polygon() for value in (x, flip - y)]
    return Polygon(points, fillColor=fill, strokeColor=None)


def _colour(value: str | None):
    return HexColor(value) if value else None
