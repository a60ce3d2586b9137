"""A chart (layout ChartBlock) as a native Word chart part, `word/charts/chartN.xml`: a
`c:chartSpace` whose series carry their categories and values as cached data (`c:strCache`,
`c:numCache`), so Word and LibreOffice draw it from the numbers and a reader can see them (and
the data labels print each value with its unit). No workbook is embedded: the chart shows its
cached values; editing its data in Word starts from them.

The looks follow layout's: the series' colours (3:1 on white), white stripes on every other
series' bars, a marker shape and a dash of its own on every line, the value axis at layout's
nice ticks, from zero for bars and columns.
"""
from __future__ import annotations

import math

from lxml import etree

from ...layout.blocks import ChartBlock
from ...layout.charts import CURRENCY_SIGNS, decimal_places
from ...layout.chartscale import DASHES, HATCHES, MARKERS, Measure, measure_for, nice_ticks
from ...style.types import Style

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMES = {"c": C, "a": A, "r": R}
WORD_PATTERNS = {"/": "ltUpDiag", "\\": "ltDnDiag", "x": "diagCross"}
WORD_DASHES = dict(zip(DASHES, ("solid", "dash", "sysDot", "dashDot")))
LABEL_SIZE = 900  # hundredths of a point


def _e(parent: etree._Element | None, tag: str, **attributes: str) -> etree._Element:
    prefix, name = tag.split(":")
    qualified = f"{{{NAMES[prefix]}}}{name}"
    node = etree.Element(qualified, nsmap=NAMES) if parent is None else etree.SubElement(parent, qualified)
    for key, value in attributes.items():
        node.set(key, value)
    return node


def _val(parent: etree._Element, tag: str, value) -> etree._Element:
    return _e(parent, tag, val=str(value))


def chart_xml(block: ChartBlock, style: Style) -> bytes:
    font_family, text_colour = style.fonts.family, style.colours.text
    space = _e(None, "c:chartSpace")
    _val(space, "c:roundedCorners", 0)
    chart = _e(space, "c:chart")
    _val(chart, "c:autoTitleDeleted", 1)
    plot = _e(chart, "c:plotArea")
    _plot_layout(_e(plot, "c:layout"), block)
    # Where layout turned the value labels to read upwards (columns too thin for them across),
    # Word and LibreOffice turn theirs too.
    rotated = any(label.rotated for label in block.drawing.labels())
    text_look = (font_family, text_colour, style.language)
    kind = _plotted(plot, block, text_look if rotated else None)
    _axes(plot, block, kind, measure_for(style))
    legend = _e(chart, "c:legend")
    _val(legend, "c:legendPos", "t")
    _val(legend, "c:overlay", 0)
    _val(chart, "c:plotVisOnly", 1)
    _val(chart, "c:dispBlanksAs", "gap")
    outline = _e(space, "c:spPr")  # no frame around the chart: the other formats draw none
    _e(outline, "a:noFill")
    _e(_e(outline, "a:ln"), "a:noFill")
    _text_properties(space, *text_look)
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _plot_layout(layout: etree._Element, block: ChartBlock) -> None:
    """A bar chart's plot where the drawing has it: Word and LibreOffice otherwise leave the
    category names a narrow strip, wrap them into tall blocks and hide the names beside those."""
    box = block.drawing.plot_box if block.drawing else None
    if box is None or block.drawing.width <= 0 or block.drawing.height <= 0:
        return  # where Word puts it
    left, top, right, bottom = box
    width, height = block.drawing.width, block.drawing.height
    manual = _e(layout, "c:manualLayout")
    _val(manual, "c:layoutTarget", "inner")
    _val(manual, "c:xMode", "edge")
    _val(manual, "c:yMode", "edge")
    for tag, value in (("c:x", left / width), ("c:y", top / height), ("c:w", (right - left) / width),
                       ("c:h", (bottom - top) / height)):
        _val(manual, tag, f"{value:.4f}")


def _plotted(plot: etree._Element, block: ChartBlock, rotated: tuple[str, str, str] | None) -> etree._Element:
    if block.kind == "line":
        kind = _e(plot, "c:lineChart")
        _val(kind, "c:grouping", "standard")
    else:
        kind = _e(plot, "c:barChart")
        _val(kind, "c:barDir", "bar" if block.kind == "bar" else "col")
        _val(kind, "c:grouping", "clustered")
    _val(kind, "c:varyColors", 0)
    for index, series in enumerate(block.series):
        _series(kind, block, index, rotated)
    if block.kind == "line":
        _val(kind, "c:marker", 1)
    else:
        _val(kind, "c:gapWidth", 60)
    _val(kind, "c:axId", 1)
    _val(kind, "c:axId", 2)
    return kind


def _series(kind: etree._Element, block: ChartBlock, index: int, rotated: tuple[str, str, str] | None) -> None:
    series = block.series[index]
    ser = _e(kind, "c:ser")
    _val(ser, "c:idx", index)
    _val(ser, "c:order", index)
    column = chr(ord("B") + index)
    _strings(_e(_e(ser, "c:tx"), "c:strRef"), f"Sheet1!${column}$1", (series.name,))
    properties = _e(ser, "c:spPr")
    if block.kind == "line":
        line = _e(properties, "a:ln", w="25400", cap="flat")
        _fill(line, series.colour)
        _val(line, "a:prstDash", WORD_DASHES.get(DASHES[index % len(DASHES)], "solid"))
        marker = _e(ser, "c:marker")
        _val(marker, "c:symbol", MARKERS[index % len(MARKERS)])
        _val(marker, "c:size", 6)
        marker_properties = _e(marker, "c:spPr")
        _fill(marker_properties, series.colour)
        _e(_e(marker_properties, "a:ln"), "a:noFill")
    else:
        pattern = WORD_PATTERNS.get(HATCHES[index % len(HATCHES)])
        if pattern:  # white stripes over the series' colour, as the other formats draw them
            patterned = _e(properties, "a:pattFill", prst=pattern)
            _e(_e(patterned, "a:fgClr"), "a:srgbClr", val="FFFFFF")
            _e(_e(patterned, "a:bgClr"), "a:srgbClr", val=series.colour.lstrip("#"))
        else:
            _fill(properties, series.colour)
        _val(ser, "c:invertIfNegative", 0)
    _labels(ser, block, index, index == _highest(block), rotated)
    rows = len(block.categories) + 1
    # The names as the other formats show them, wrapped or shortened to fit: Word and LibreOffice
    # wrap full names their own way, and hide the neighbours of a name that grew too tall
    shown = block.drawing.category_labels if block.drawing and block.drawing.category_labels else block.categories
    _strings(_e(_e(ser, "c:cat"), "c:strRef"), f"Sheet1!$A$2:$A${rows}", shown)
    numbers = _e(_e(ser, "c:val"), "c:numRef")
    _e(numbers, "c:f").text = f"Sheet1!${column}$2:${column}${rows}"
    cache = _e(numbers, "c:numCache")
    _e(cache, "c:formatCode").text = "General"
    _val(cache, "c:ptCount", len(series.values))
    for point, value in enumerate(series.values):
        _e(_e(cache, "c:pt", idx=str(point)), "c:v").text = _number(value)
    if block.kind == "line":
        _val(ser, "c:smooth", 0)


def _strings(reference: etree._Element, formula: str, texts) -> None:
    _e(reference, "c:f").text = formula
    cache = _e(reference, "c:strCache")
    _val(cache, "c:ptCount", len(texts))
    for index, value in enumerate(texts):
        _e(_e(cache, "c:pt", idx=str(index)), "c:v").text = value


def _fill(parent: etree._Element, colour: str) -> None:
    _e(_e(parent, "a:solidFill"), "a:srgbClr", val=colour.lstrip("#"))


def _labels(ser: etree._Element, block: ChartBlock, index: int, above: bool, rotated: tuple[str, str, str] | None
            ) -> None:
    """Every value printed by its bar or point, with the unit: on a line chart, the highest
    series' above its points and the others' below, so labels keep off the other lines;
    reading upwards when `rotated` is the (font, colour, language) of text turned (schema order: numFmt,
    spPr, txPr, dLblPos, show...)."""
    labels = _e(ser, "c:dLbls")
    sides = block.drawing.label_sides if block.drawing is not None else ()
    if block.kind == "line" and len(sides) > index:  # each point's label where layout set it
        for point, side in enumerate(sides[index]):
            label = _e(labels, "c:dLbl")
            _val(label, "c:idx", point)
            _e(label, "c:numFmt", formatCode=_number_format(block.unit, block.decimals), sourceLinked="0")
            _val(label, "c:dLblPos", _WORD_SIDES.get(side, "t"))
            for flag, value in _SHOWN:
                _val(label, f"c:{flag}", value)
    _e(labels, "c:numFmt", formatCode=_number_format(block.unit, block.decimals), sourceLinked="0")
    if rotated:
        _text_properties(labels, *rotated, rot="-5400000", vert="horz")
    _val(labels, "c:dLblPos", ("t" if above else "b") if block.kind == "line" else "outEnd")
    for flag, value in _SHOWN:
        _val(labels, f"c:{flag}", value)


_SHOWN = (("showLegendKey", 0), ("showVal", 1), ("showCatName", 0), ("showSerName", 0), ("showPercent", 0),
          ("showBubbleSize", 0))
_WORD_SIDES = {"above": "t", "below": "b", "right": "r", "left": "l"}


def _highest(block: ChartBlock) -> int:
    """The series whose values are highest on average (the first of equals)."""
    means = [sum(series.values) / max(len(series.values), 1) for series in block.series]
    return means.index(max(means)) if means else 0


def _number(value: float) -> str:
    """A value as the chart part stores it: every digit the source can hold (15), where `:g`
    kept six (999,999,999,999 became 1e+12)."""
    return f"{value:.15g}"


def _number_format(unit: str | None, decimals: int = 0) -> str:
    """Values as layout prints them (layout/charts.py, value_text): grouped digits ("1,000", where
    Word's General printed "1000"), `decimals` decimals, the unit after them (a sign before)."""
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    unit = (unit or "").strip()
    if not unit:
        return number
    if unit in CURRENCY_SIGNS:  # before the digits, as layout prints it
        return f'"{unit}"{number}'
    shown = unit if len(unit) == 1 else f" {unit}"
    return number + '"' + shown.replace('"', "") + '"'


WORD_PLOT_SHARE = 0.6  # of the chart's height: about what Word leaves the plot under the legend


def _headroom(block: ChartBlock, ticks: tuple[float, ...], width_of: Measure) -> tuple[float, ...]:
    """Steps above the top tick for rotated value labels (layout grows the drawing for them; here
    the axis reaches higher), so the labels of the tallest columns stay clear of the legend."""
    rotated = [label for label in block.drawing.labels() if label.rotated] if block.drawing else []
    if not rotated or len(ticks) < 2:
        return ()
    step = ticks[1] - ticks[0]
    step_pt = block.drawing.height * WORD_PLOT_SHARE / (len(ticks) - 1)
    longest = max(width_of(label.text, label.size) for label in rotated)
    return tuple(ticks[-1] + step * (n + 1) for n in range(math.ceil(longest / step_pt)))


def _axes(plot: etree._Element, block: ChartBlock, kind: etree._Element, width_of: Measure) -> None:
    values = [v for series in block.series for v in series.values] or [0.0]
    ticks = nice_ticks(min(values), max(values), from_zero=block.kind != "line")
    low_labels = block.kind == "line" or min(values) < 0  # labels under the lowest values
    if len(ticks) > 1 and low_labels and min(values) - ticks[0] < (ticks[1] - ticks[0]) * 0.3:
        # Word sets category labels right under the plot: a step more keeps the labels of the
        # lowest points and negative bars off them (layout leaves that room in the other formats).
        ticks = (ticks[0] - (ticks[1] - ticks[0]), *ticks)
    ticks = (*ticks, *_headroom(block, ticks, width_of))
    horizontal_bars = block.kind == "bar"
    categories = _e(plot, "c:catAx")
    _val(categories, "c:axId", 1)
    # Bars list their categories top down, as the source does (and the other formats draw).
    _val(_e(categories, "c:scaling"), "c:orientation", "maxMin" if horizontal_bars else "minMax")
    _val(categories, "c:delete", 0)
    _val(categories, "c:axPos", "l" if horizontal_bars else "b")
    _val(categories, "c:majorTickMark", "none")
    _val(categories, "c:minorTickMark", "none")
    _val(categories, "c:tickLblPos", "low")  # under negative columns too, never across them
    _val(categories, "c:crossAx", 2)
    _val(categories, "c:crosses", "autoZero")
    _val(categories, "c:auto", 1)
    _val(categories, "c:lblAlgn", "ctr")
    _val(categories, "c:lblOffset", 100)
    _val(categories, "c:noMultiLvlLbl", 0)
    axis = _e(plot, "c:valAx")
    _val(axis, "c:axId", 2)
    scaling = _e(axis, "c:scaling")
    _val(scaling, "c:orientation", "minMax")
    _val(scaling, "c:max", _number(ticks[-1]))
    _val(scaling, "c:min", _number(ticks[0]))
    _val(axis, "c:delete", 0)
    _val(axis, "c:axPos", "b" if horizontal_bars else "l")
    _grid = _e(_e(axis, "c:majorGridlines"), "c:spPr")
    _fill(_e(_grid, "a:ln", w="6350"), "#D9DCDE")
    _e(axis, "c:numFmt", formatCode=_number_format(block.unit, _tick_decimals(ticks)), sourceLinked="0")
    _val(axis, "c:majorTickMark", "none")
    _val(axis, "c:minorTickMark", "none")
    _val(axis, "c:tickLblPos", "nextTo")
    _val(axis, "c:crossAx", 1)
    _val(axis, "c:crosses", "max" if horizontal_bars else "autoZero")
    _val(axis, "c:crossBetween", "between")
    _val(axis, "c:majorUnit", _number(ticks[1] - ticks[0]) if len(ticks) > 1 else "1")


def _tick_decimals(ticks: tuple[float, ...]) -> int:
    """The decimals the axis's ticks need (layout prints each with its own: "0.5", "1"; a Word
    format has one number of them for every tick, and `#,##0.#` prints "1,000.")."""
    steps = [b - a for a, b in zip(ticks, ticks[1:])]
    return max(decimal_places(round(value, 9)) for value in (*ticks, *steps))


def _text_properties(parent: etree._Element, font_family: str, text_colour: str, language: str,
                     **body: str) -> None:
    properties = _e(parent, "c:txPr")
    _e(properties, "a:bodyPr", **body)
    _e(properties, "a:lstStyle")
    paragraph = _e(properties, "a:p")
    defaults = _e(_e(paragraph, "a:pPr"), "a:defRPr", sz=str(LABEL_SIZE))
    _fill(defaults, text_colour)
    _e(defaults, "a:latin", typeface=font_family)
    _e(paragraph, "a:endParaRPr", lang=language)
