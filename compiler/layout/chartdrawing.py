"""A chart's geometry, computed once for every format: axes with nice ticks, bars from zero
(negative values the other way), lines with a marker shape and dash per series, every value
labelled with its unit, category labels wrapped or shortened, and a legend whose keys repeat
each series' hatch or marker. Points, y down (see `chartshapes`).
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable

from . import chartlabels
from .blocks import ChartSeries
from .chartscale import Measure, SeriesLook, nice_ticks, wrapped
from .chartshapes import ChartDrawing, Label, Line, Marker, Rect, Shape
from ..records import dataclass

GRID = "#D9DCDE"  # gridlines: a guide, not content
HATCH_GAP = 4.0
COLUMN_HEIGHT_RATIO = 0.5  # a column or line chart's height, of its width
BAR_BAND = 0.72  # of a category's room taken by its bars


@dataclass(frozen=True)
class Frame:
    """What every chart shares: size, the text's size and colour, measuring."""

    width: float
    size: float  # label size in points
    text: str  # colour
    measure: Measure
    unit_text: Callable[[float], str]  # value -> "91%"
    max_height: float  # a chart never runs past a page: bars get thinner instead


    def width_of(self, text: str, size: float | None = None) -> float:
        return self.measure(text, size or self.size)


def draw_chart(kind: str, categories: tuple[str, ...], series: tuple[ChartSeries, ...],
               looks: tuple[SeriesLook, ...], frame: Frame) -> ChartDrawing:
    shapes: list[Shape] = []
    unnamed_single = len(series) == 1 and not series[0].name  # nothing for a legend to tell apart
    legend_bottom = _legend(shapes, kind, series, looks, frame) if series and not unnamed_single else 0.0
    if kind == "bar":
        height, category_lines, plot_box = _bars(shapes, categories, series, looks, frame, legend_bottom)
        return ChartDrawing(round(frame.width, 2), round(height, 2), tuple(shapes), plot_box=plot_box,
                            category_labels=tuple("\n".join(lines) for lines in category_lines))
    height, sides = _columns_or_lines(shapes, kind, categories, series, looks, frame, legend_bottom)
    return ChartDrawing(round(frame.width, 2), round(height, 2), tuple(shapes), label_sides=sides)


# ---- legend -----------------------------------------------------------------------------------


def _legend(shapes: list[Shape], kind: str, series: tuple[ChartSeries, ...], looks: tuple[SeriesLook, ...],
            frame: Frame) -> float:
    """Keys across the top, wrapping into rows; returns where the plot may begin."""
    size, row_height = frame.size, frame.size * 1.7
    key_width = size * 2.2 if kind == "line" else size * 1.1
    x, y = 0.0, row_height / 2
    for entry, look in zip(series, looks):
        name = entry.name or "\u2014"
        item = key_width + size * 0.5 + frame.width_of(name) + size * 1.5
        if x > 0 and x + item > frame.width:
            x, y = 0.0, y + row_height
        if kind == "line":
            shapes.append(Line(((x, y), (x + key_width, y)), look.colour, 2.0, look.dash))
            shapes.append(Marker(x + key_width / 2, y, look.marker, size * 0.6, look.colour))
        else:
            _bar(shapes, x, y - size * 0.55, key_width, size * 1.1, look)
        shapes.append(Label(round(x + key_width + size * 0.5, 2), round(y + size * 0.35, 2), name, "start", size,
                            frame.text))
        x += item
    return y + row_height / 2 + size * 0.4


def _bar(shapes: list[Shape], x: float, y: float, width: float, height: float, look: SeriesLook) -> None:
    x, y, width, height = (round(v, 2) for v in (x, y, width, height))
    shapes.append(Rect(x, y, width, height, look.colour))
    if min(width, height) < HATCH_GAP:
        return  # too thin to show stripes: the legend, labels and data table still tell series apart
    for direction in {"/": (1,), "\\": (-1,), "x": (1, -1)}.get(look.hatch, ()):
        shapes.extend(Line(segment, "#FFFFFF", 1.0) for segment in _stripes(x, y, width, height, direction))


def _stripes(x: float, y: float, width: float, height: float, direction: int):
    """45-degree lines every HATCH_GAP points, cut to the rectangle."""
    count = int((width + height) / HATCH_GAP) + 1
    for i in range(1, count):
        offset = i * HATCH_GAP  # along the bottom edge, then up the far side
        if direction > 0:  # "/": from lower left to upper right
            start = (x + offset, y + height) if offset <= width else (x + width, y + height - (offset - width))
            end = (x, y + height - offset) if offset <= height else (x + offset - height, y)
        else:  # "\": from upper left to lower right
            start = (x + offset, y) if offset <= width else (x + width, y + offset - width)
            end = (x, y + offset) if offset <= height else (x + offset - height, y + height)
        yield tuple((round(px, 2), round(py, 2)) for px, py in (start, end))


# ---- columns and lines --------------------------------------------------------------------------


def _columns_or_lines(shapes: list[Shape], kind: str, categories: tuple[str, ...], series: tuple[ChartSeries, ...],
                      looks: tuple[SeriesLook, ...], frame: Frame, top: float) -> tuple[float, tuple]:
    """The drawing's height, and where each line label sits by its point (chartlabels.line_labels)."""
    size = frame.size
    values = [v for entry in series for v in entry.values] or [0.0]
    ticks = nice_ticks(min(values), max(values), from_zero=kind == "column")
    tick_texts = [frame.unit_text(t) for t in ticks]
    left = max(frame.width_of(t) for t in tick_texts) + size * 0.6
    right = frame.width - size * 0.5
    band = (right - left) / max(len(categories), 1)
    every = _every(size * 3, band)  # too many categories to name each: every n-th one
    room = band * every - size * 0.4
    named = categories[::every]
    category_size = _category_size(named, frame, room)
    category_lines = [wrapped(c, lambda text: frame.width_of(text, category_size), room, max_lines=3)
                      if index % every == 0 else ()
                      for index, c in enumerate(categories)]
    lines_under = max((len(lines) for lines in category_lines), default=1) or 1
    height = max(frame.width * COLUMN_HEIGHT_RATIO, top + size * 12)
    # Room over the plot for the labels over its highest points, under it for those below its
    # lowest (a negative column's, or a line's lower series), then the category labels.
    above = size * (1.6 if kind == "line" else 1.4)
    below = size * (1.9 if kind == "line" else 1.4) if kind == "line" or min(values) < 0 else 0.0
    under = lines_under * category_size * 1.2 + size * 0.8
    labelling = chartlabels.ColumnLabels(None, False)
    if kind == "column":
        texts = [t for entry in series for t in entry.value_texts]
        labelling = chartlabels.column_labels(texts, band * BAR_BAND / max(len(series), 1), size, frame.width_of)
    if labelling.rotated:
        height, above, below, labelling = _rotated_room(series, ticks, height, top, under, above, below, labelling,
                                                        frame)
    plot_top, plot_bottom = top + above, height - under - below
    scale = _Scale(ticks[0], ticks[-1], plot_bottom, plot_top)
    _value_axis_horizontal_grid(shapes, ticks, tick_texts, scale, left, right, frame)
    sides: tuple = ()
    if kind == "column":
        _columns(shapes, series, looks, frame, scale, left, band, labelling)
    else:
        axis = ((left, round(scale(ticks[0]), 2)), (right, round(scale(ticks[0]), 2)))
        shapes.append(Line(axis, frame.text, 1.0))  # under the labels: those it runs through are on white
        placed = len(shapes)
        sides = _lines(shapes, series, looks, frame, scale, left, band, (left, top, frame.width, plot_bottom + below),
                       axis)
        # The room kept under the plot for labels under the lowest points, less what they left
        # unused: no gap between the axis and the category names
        used = max((chartlabels.label_box(shape, frame.width_of)[3] - plot_bottom for shape in shapes[placed:]
                    if isinstance(shape, Label)), default=0.0)
        unused = below - min(below, max(used, 0.0) + size * 0.2)
        height, below = height - unused, below - unused
    for index, lines in enumerate(category_lines):
        centre = left + band * (index + 0.5)
        for row, text in enumerate(lines):
            shapes.append(Label(round(centre, 2), round(plot_bottom + below + size * 1.2 + category_size * 1.2 * row, 2),
                                text, "middle", category_size, frame.text))
    if kind == "column":
        shapes.append(Line(((left, round(scale(0.0), 2)), (right, round(scale(0.0), 2))), frame.text, 1.0))
    return height, sides


SMALLEST_CATEGORY_SCALE = 0.8  # category names set down to this share of the label size, then cut


def _category_size(named: tuple[str, ...], frame: Frame, room: float) -> float:
    """The size the category names are set at: the labels' own, or smaller (to a bound) so that
    each word of each name fits its column's room, where "Carmarthenshire" was cut "Carmarthe…"."""
    widest = max((frame.width_of(word) for name in named for word in name.split()), default=0.0)
    if widest <= room or widest <= 0:
        return frame.size
    return max(frame.size * SMALLEST_CATEGORY_SCALE, math.floor(frame.size * room / widest * 10) / 10)


class _Scale:
    """A value -> a coordinate along the value axis."""

    def __init__(self, low: float, high: float, at_low: float, at_high: float) -> None:
        self.low, self.high, self.at_low, self.at_high = low, high, at_low, at_high

    def __call__(self, value: float) -> float:
        return self.at_low + (value - self.low) / (self.high - self.low) * (self.at_high - self.at_low)


def _value_axis_horizontal_grid(shapes, ticks, tick_texts, scale, left, right, frame: Frame) -> None:
    for tick, text in zip(ticks, tick_texts):
        y = round(scale(tick), 2)
        shapes.append(Line(((left, y), (right, y)), GRID, 0.5))
        shapes.append(Label(round(left - frame.size * 0.4, 2), round(y + frame.size * 0.35, 2), text, "end",
                            frame.size, frame.text))


def _inside(label: Label, frame: Frame) -> Label:
    """A centred label moved to start at the drawing's left edge, or end at its right one, when
    it would pass it (the HTML's SVG cut it off there)."""
    half = frame.width_of(label.text) / 2
    if label.x - half < 0:
        return replace(label, x=0.0, anchor="start")
    if label.x + half > frame.width:
        return replace(label, x=round(frame.width, 2), anchor="end")
    return label


def _every(needed: float, room: float) -> int:
    """1 when each item has the room it needs, else how many items share one label."""
    return max(1, math.ceil(needed / room)) if room > 0 else 1


def _gap(thickness: float) -> float:
    """The white between neighbouring bars: a point, less on a very thin bar."""
    return min(1.0, thickness * 0.2)


def _rotated_room(series, ticks, height, top, under, above, below, labelling, frame: Frame):
    """The chart grown by the room its rotated labels need over and under the plot, which keeps
    its height; (height, above, below, labelling) without labels when that would not fit a page."""
    plot_height = height - top - above - under - below
    pairs = [pair for entry in series for pair in zip(entry.values, entry.value_texts)]
    reach_above, reach_below = chartlabels.rotated_room(
        pairs, lambda v: (v - ticks[0]) / (ticks[-1] - ticks[0]), plot_height, labelling.size, frame.width_of)
    grown_above, grown_below = max(above, reach_above), max(below, reach_below)
    grown = top + grown_above + plot_height + grown_below + under
    if grown > max(height, frame.max_height):  # a unit too long for any column: the data table has them
        return height, above, below, chartlabels.ColumnLabels(None, False)
    return grown, grown_above, grown_below, labelling


def _columns(shapes, series, looks, frame: Frame, scale: _Scale, left: float, band: float,
             labelling: chartlabels.ColumnLabels) -> None:
    """Values are labelled as `labelling` says (chartlabels.column_labels); in a chart too dense
    for that they are left to the data table and the alt text."""
    size, count = frame.size, max(len(series), 1)
    bar_width = band * BAR_BAND / count
    zero = scale(0.0)
    for s_index, (entry, look) in enumerate(zip(series, looks)):
        for c_index, (value, text) in enumerate(zip(entry.values, entry.value_texts)):
            x = left + band * c_index + band * (1 - BAR_BAND) / 2 + bar_width * s_index
            end = scale(value)
            drawn = bar_width - _gap(bar_width)
            _bar(shapes, x, min(zero, end), drawn, abs(end - zero), look)
            if labelling.rotated:
                shapes.append(chartlabels.rotated_column_label(x + drawn / 2, end, value, text, labelling.size,
                                                               frame.text))
            elif labelling.size:
                label_y = end - size * 0.35 if value >= 0 else end + size * 1.05
                shapes.append(Label(round(x + (bar_width - 1.0) / 2, 2), round(label_y, 2), text, "middle",
                                    _fitting(text, chartlabels.across_room(bar_width, size), frame), frame.text))


def _fitting(text: str, room: float, frame: Frame) -> float:
    """The value label's size: the chart's, smaller (to 70%) when the bar is narrower than it."""
    natural = frame.width_of(text)
    return round(frame.size * max(0.7, min(1.0, room / natural if natural else 1.0)), 2)


def _lines(shapes, series, looks, frame: Frame, scale: _Scale, left: float, band: float,
           bounds: chartlabels.Box, axis: tuple) -> tuple:
    """The series' lines and markers, then their labels (chartlabels.line_labels) within `bounds`
    when the widest fits its category."""
    size = frame.size
    rows = []
    for entry, look in zip(series, looks):
        points = tuple((round(left + band * (i + 0.5), 2), round(scale(v), 2)) for i, v in enumerate(entry.values))
        rows.append(points)
        shapes.append(Line(points, look.colour, 2.0, look.dash))
        shapes.extend(Marker(x, y, look.marker, size * 0.65, look.colour) for x, y in points)
    widest = max((frame.width_of(t) for entry in series for t in entry.value_texts), default=0.0)
    if not series or widest > band:
        return ()
    labels, sides = chartlabels.line_labels(rows, [entry.value_texts for entry in series], size, frame.text,
                                            frame.width_of, bounds, axis)
    shapes.extend(labels)
    return sides


# ---- bars (horizontal) ----------------------------------------------------------------------------


def _bars(shapes: list[Shape], categories: tuple[str, ...], series: tuple[ChartSeries, ...],
          looks: tuple[SeriesLook, ...], frame: Frame, top: float) -> tuple[float, list, tuple]:
    """The drawing's height, each category's label lines, and where the plot is."""
    size, count = frame.size, max(len(series), 1)
    values = [v for entry in series for v in entry.values] or [0.0]
    ticks = nice_ticks(min(values), max(values), from_zero=True)
    tick_texts = [frame.unit_text(t) for t in ticks]
    label_room = min(max((frame.width_of(c) for c in categories), default=0.0), frame.width * 0.3)
    category_lines = [wrapped(c, frame.width_of, label_room) for c in categories]
    texts = [t for entry in series for t in entry.value_texts]
    value_room = max((frame.width_of(t) for t in texts), default=0.0) + size * 0.5
    left = label_room + size * 0.8 + (value_room if min(values) < 0 else 0.0)
    right = frame.width - max(value_room, frame.width_of(tick_texts[-1]) / 2)
    plot_top = top + size * 0.4
    room = frame.max_height - plot_top - size * 2.0
    bar_height = min(size * 1.5, room * BAR_BAND / (count * max(len(categories), 1)))
    row = bar_height * count / BAR_BAND
    every = _every(size * 1.2, row)
    if every > 1 or row < size * 2.4:  # one line each, for every n-th category
        category_lines = [wrapped(c, frame.width_of, label_room, max_lines=1) if i % every == 0 else ()
                          for i, c in enumerate(categories)]
    labelled = bar_height >= size * 0.9
    plot_bottom = plot_top + row * len(categories)
    scale = _Scale(ticks[0], ticks[-1], left, right)
    spacing = abs(scale(ticks[1]) - scale(ticks[0])) if len(ticks) > 1 else frame.width
    every = _every(max(frame.width_of(t) for t in tick_texts) + size * 0.8, spacing)  # long ticks: every n-th
    ends_at = -size  # the right end of the last tick label: the next keeps a gap to it
    for index, (tick, text) in enumerate(zip(ticks, tick_texts)):
        x = round(scale(tick), 2)
        shapes.append(Line(((x, plot_top), (x, round(plot_bottom, 2))), GRID, 0.5))
        label = _inside(Label(x, round(plot_bottom + size * 1.3, 2), text, "middle", size, frame.text), frame)
        start, _, end, _ = chartlabels.label_box(label, frame.width_of)
        if index % every == 0 and start >= ends_at + size * 0.5:
            shapes.append(label)
            ends_at = end
    zero = scale(0.0)
    for c_index, lines in enumerate(category_lines):
        middle = plot_top + row * (c_index + 0.5)
        first = middle - (len(lines) - 1) * size * 0.6 + size * 0.35
        for line_index, text in enumerate(lines):
            shapes.append(Label(round(label_room, 2), round(first + line_index * size * 1.2, 2), text, "end", size,
                                frame.text))
        for s_index, (entry, look) in enumerate(zip(series, looks)):
            value, text = entry.values[c_index], entry.value_texts[c_index]
            y = plot_top + row * c_index + row * (1 - BAR_BAND) / 2 + bar_height * s_index
            end = scale(value)
            _bar(shapes, min(zero, end), y, abs(end - zero), bar_height - _gap(bar_height), look)
            if labelled:
                x, anchor = (end + size * 0.3, "start") if value >= 0 else (end - size * 0.3, "end")
                shapes.append(Label(round(x, 2), round(y + bar_height / 2 + size * 0.3, 2), text, anchor, size,
                                    frame.text))
    shapes.append(Line(((round(zero, 2), plot_top), (round(zero, 2), round(plot_bottom, 2))), frame.text, 1.0))
    plot_box = (round(left, 2), round(plot_top, 2), round(right, 2), round(plot_bottom, 2))
    return plot_bottom + size * 2.0, category_lines, plot_box
