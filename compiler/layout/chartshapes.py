"""The vocabulary of a chart's drawing: primitives in points, origin at the top left, y down
(as SVG and images count; the PDF turns it over). Layout (`chartdrawing`) computes them once;
each renderer only maps them onto its library, so a chart is the same picture in every format.
"""
from __future__ import annotations

from ..records import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str  # "#RRGGBB"
    stroke: str | None = None


@dataclass(frozen=True)
class Line:
    """A polyline: axes, gridlines, a line series, the stripes of a hatched bar."""

    points: tuple[Point, ...]
    colour: str
    width: float
    dash: tuple[float, ...] = ()  # on, off, ... in points; () solid


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    shape: str  # "circle" | "square" | "triangle" | "diamond"
    size: float  # across
    colour: str

    def polygon(self) -> tuple[Point, ...]:
        """The outline of a square, triangle or diamond (a circle is drawn as one by each format)."""
        r = self.size / 2
        x, y = self.x, self.y
        if self.shape == "triangle":
            return ((x, y - r * 1.15), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8))
        if self.shape == "diamond":
            r *= 1.25
            return ((x, y - r), (x + r, y), (x, y + r), (x - r, y))
        return ((x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r))


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the baseline
    text: str
    anchor: str  # "start" | "middle" | "end"
    size: float
    colour: str
    bold: bool = False
    rotated: bool = False  # reading upwards, turned a quarter about (x, y): a dense column chart's values


Shape = Rect | Line | Marker | Label


@dataclass(frozen=True)
class ChartDrawing:
    """Everything a chart draws, in drawing order (later over earlier)."""

    width: float
    height: float
    shapes: tuple[Shape, ...]
    background: str = "#FFFFFF"
    # A line chart's value labels, by series and category: "above", "below", "right" or "left"
    # of their point, for a format that places them itself (a Word chart)
    label_sides: tuple[tuple[str, ...], ...] = ()
    # A bar chart's plot (left, top, right, bottom) and each category's name as the drawing shows
    # it beside the plot (its lines joined by a line break; empty where only every n-th category
    # is named): a Word chart is told to put its plot there and show those names, as it would
    # otherwise leave the names a narrow strip, wrap them into tall blocks and hide their neighbours
    plot_box: tuple[float, float, float, float] | None = None
    category_labels: tuple[str, ...] = ()

    def labels(self) -> tuple[Label, ...]:
        return tuple(shape for shape in self.shapes if isinstance(shape, Label))
