"""Where the value labels of column and line charts go (points, y down, as `chartshapes`).

Columns: over each column's end (under it for a negative value), across when every label fits
over its column, else rotated to read upwards; too thin a column even for that leaves its values
to the data table and the alt text. Lines: see `line_labels`.
"""
from __future__ import annotations

from typing import Callable, Sequence

from .chartshapes import Label, Rect, Shape
from ..records import dataclass

ASCENT, DESCENT = 0.75, 0.25  # of a label's size: its box around the baseline
LINE = 1.1  # of a label's size: the step between labels stacked under one point
MARKER_REACH = 0.42  # of the label size: half a marker's extent (a diamond's, the widest)
ROTATED_GAP = 0.3  # of the label size: between a column's end and its rotated label
ROTATED_THICKNESS = 0.8  # of the label size: the room a rotated label needs across its column
MIN_SIZE = 0.7  # of the chart's label size: a value label is never smaller
ACROSS_GAP = 0.3  # of the label size: between the labels across neighbouring columns

Box = tuple[float, float, float, float]  # left, top, right, bottom
WidthOf = Callable[[str, float], float]


@dataclass(frozen=True)
class ColumnLabels:
    """How a column chart labels its values: `size` None when it cannot."""

    size: float | None
    rotated: bool


def across_room(bar_width: float, size: float) -> float:
    """The width a label across a column may take: its column's, less a gap, so the labels of
    neighbouring columns never touch."""
    return bar_width - size * ACROSS_GAP


def column_labels(texts: Sequence[str], bar_width: float, size: float, width_of: WidthOf) -> ColumnLabels:
    """Across when every label fits over its column at 70% size or more, else rotated (all of a
    chart's alike), at the chart's size or smaller down to 70% for a thin column."""
    if all(width_of(t, size) * MIN_SIZE <= across_room(bar_width, size) for t in texts):
        return ColumnLabels(size, False)
    rotated = min(size, bar_width / ROTATED_THICKNESS)
    return ColumnLabels(round(rotated, 2), True) if rotated >= size * MIN_SIZE else ColumnLabels(None, False)


def rotated_room(values: Sequence[tuple[float, str]], fraction: Callable[[float], float], plot_height: float,
                 size: float, width_of: WidthOf) -> tuple[float, float]:
    """How far rotated labels reach above the plot's top and below its bottom; `fraction` is a
    value's height in the plot (0 at its bottom, 1 at its top)."""
    above = below = 0.0
    for value, text in values:
        reach = width_of(text, size) + size * ROTATED_GAP
        if value >= 0:
            above = max(above, fraction(value) * plot_height + reach - plot_height)
        else:
            below = max(below, reach - fraction(value) * plot_height)
    return above, below


def rotated_column_label(centre: float, end: float, value: float, text: str, size: float, colour: str) -> Label:
    """Reading upwards from just over the column's end (down to just under it, for a negative
    value), its letters centred on the column."""
    y, anchor = (end - size * ROTATED_GAP, "start") if value >= 0 else (end + size * ROTATED_GAP, "end")
    return Label(round(centre + size * 0.35, 2), round(y, 2), text, anchor, size, colour, rotated=True)


def label_box(label: Label, width_of: WidthOf) -> Box:
    """The box a label's letters take, near enough: ASCENT over and DESCENT under the baseline."""
    width = width_of(label.text, label.size)
    start = {"start": 0.0, "middle": -width / 2, "end": -width}[label.anchor]
    if label.rotated:  # reading upwards: along y, the letters left of the baseline
        return (label.x - label.size * ASCENT, label.y - start - width, label.x + label.size * DESCENT,
                label.y - start)
    return label.x + start, label.y - label.size * ASCENT, label.x + start + width, label.y + label.size * DESCENT


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def line_labels(points: Sequence[Sequence[tuple[float, float]]], texts: Sequence[Sequence[str]], size: float,
                colour: str, width_of: WidthOf, bounds: Box,
                axis: tuple[tuple[float, float], tuple[float, float]] | None = None,
                ) -> tuple[list[Shape], tuple[tuple[str, ...], ...]]:
    """Each category's labels, its points taken top down: the highest point's label above it,
    the others' under their points, each at least a line under the label before it. A label that
    would then cover another series' marker, another label or leave `bounds` is set beside its
    point instead, centred on it (to the right; to the left at the last category, or where the
    right is taken), on white so the lines it sits on do not cross its letters; where neither
    side is free either, it keeps its place under its point. A label above or under its point
    that a series' line runs through is set on white too. Returns the shapes, and each label's
    side of its point by series and category ("above", "below", "right", "left") for formats that
    place labels themselves. The category `axis` (its ends) counts as a line no label may cover,
    and as one it runs through (on white): its rule struck the labels under the lowest points."""
    markers = [(x, y) for row in points for x, y in row]
    segments = [(a, b) for row in points for a, b in zip(row, row[1:])]
    rules = [(axis[0][0], axis[0][1], axis[1][0], axis[1][1])] if axis else []
    reach = size * MARKER_REACH
    placed: list[Box] = []
    labels: list[Shape] = []
    last = len(points[0]) - 1 if points else -1
    sides = [[""] * (last + 1) for _ in points]
    for c_index in range(last + 1):
        order = sorted(range(len(points)), key=lambda s: (points[s][c_index][1], s))
        previous: float | None = None  # the baseline of the last label stacked under a point here
        for rank, s_index in enumerate(order):
            x, y = points[s_index][c_index]
            text = texts[s_index][c_index]
            if rank == 0:
                baseline = y - size * ASCENT
            else:
                baseline = y + reach + size * (0.3 + ASCENT)
                baseline = baseline if previous is None else max(baseline, previous + size * LINE)
            right = Label(round(x + reach + size * 0.3, 2), round(y + size * 0.35, 2), text, "start", size, colour)
            left = Label(round(x - reach - size * 0.3, 2), right.y, text, "end", size, colour)
            stacked = Label(x, round(baseline, 2), text, "middle", size, colour)
            candidates = (stacked, left, right) if c_index == last else (stacked, right, left)
            others = _marker_boxes(markers, (x, y), reach) + rules
            chosen = next((label for label in candidates
                           if _free(label_box(label, width_of), bounds, placed + others)), stacked)
            box = label_box(chosen, width_of)
            sides[s_index][c_index] = ("above" if rank == 0 else "below") if chosen is stacked else (
                "right" if chosen is right else "left")
            if chosen is stacked:
                previous = baseline
            if chosen is not stacked or crossed(box, segments + ([axis] if axis else [])):  # on white: no line through its letters
                labels.append(Rect(*(round(v, 2) for v in (box[0], box[1], box[2] - box[0], box[3] - box[1])),
                                   "#FFFFFF"))
            placed.append(box)
            labels.append(chosen)
    return labels, tuple(tuple(row) for row in sides)


def crossed(box: Box, segments: Sequence[tuple[tuple[float, float], tuple[float, float]]]) -> bool:
    """Whether a line segment of a series runs through `box` (Liang-Barsky clipping)."""
    return any(_clips((x0, y0), (x1, y1), box) for (x0, y0), (x1, y1) in segments)


def _clips(start: tuple[float, float], end: tuple[float, float], box: Box) -> bool:
    (x0, y0), (dx, dy) = start, (end[0] - start[0], end[1] - start[1])
    low, high = 0.0, 1.0
    for step, distance in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if step == 0:
            if distance < 0:
                return False
            continue
        ratio = distance / step
        if step < 0:
            low = max(low, ratio)
        else:
            high = min(high, ratio)
        if low > high:
            return False
    return True


def _marker_boxes(markers, own: tuple[float, float], reach: float) -> list[Box]:
    return [(mx - reach, my - reach, mx + reach, my + reach) for mx, my in markers if (mx, my) != own]


def _free(box: Box, bounds: Box, taken: list[Box]) -> bool:
    inside = bounds[0] <= box[0] and bounds[1] <= box[1] and box[2] <= bounds[2] and box[3] <= bounds[3]
    return inside and not any(overlap(box, other) for other in taken)
