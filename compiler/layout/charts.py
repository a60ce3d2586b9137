"""Charts (source format v2) -> ChartBlock: series colours and looks, values as printed, the text
alternative, and the drawing every renderer maps (`chartdrawing`)."""
from __future__ import annotations

from ..model import Chart, Inlines, plain_text
from ..style.types import Style
from .blocks import ChartBlock, ChartSeries
from .chartdrawing import Frame, draw_chart
from .chartscale import measure_for, series_looks

POINTS_PER_MM = 72 / 25.4
LABEL_SIZE_RATIO = 0.8  # chart labels, of the body size


def chart_block(chart: Chart, number: int, caption: Inlines, anchor: str, source: Inlines | None,
                style: Style) -> ChartBlock:
    looks = series_looks(style, len(chart.series))
    places = max((decimal_places(v) for s in chart.series for v in s.values), default=0)
    series = tuple(ChartSeries(s.name, s.values, tuple(value_text(v, chart.unit, places) for v in s.values),
                               look.colour)
                   for s, look in zip(chart.series, looks))
    alt = chart.alt or generated_alt(chart, series)
    frame = Frame(text_column_pt(style), round(style.fonts.size * LABEL_SIZE_RATIO, 2), style.colours.text,
                  measure_for(style), lambda v: value_text(v, chart.unit), text_column_height_pt(style) * 0.75)
    drawing = draw_chart(chart.kind, chart.categories, series, looks, frame)
    return ChartBlock(number, caption, anchor, chart.kind, chart.categories, series, chart.unit, alt, source,
                      chart.span, drawing=drawing, caption_span=chart.caption_span, decimals=places)


def text_column_pt(style: Style) -> float:
    return round(style.page.text_width_mm * POINTS_PER_MM, 2)


def text_column_height_pt(style: Style) -> float:
    return round(style.page.text_height_mm * POINTS_PER_MM, 2)


CURRENCY_SIGNS = frozenset("£$€¥")  # units written before a value, not after it


def decimal_places(value: float) -> int:
    """The decimals `value` needs (at most 10): 44.1 needs one, 41.0 none."""
    digits = f"{value:.10f}".rstrip("0")
    return len(digits) - digits.index(".") - 1


def value_text(value: float, unit: str | None, places: int | None = None) -> str:
    """A value as printed: digits grouped; `places` decimals (a chart prints all its values with
    as many as the most precise needs: "41.0%" beside "44.1%"), else no trailing zeros. A
    currency sign goes before the digits ("£1,250"); another one-character unit ("%") follows
    without a space, a longer one ("calls", " min") after one."""
    text = f"{value:,.{places}f}" if places is not None else f"{value:,.10f}".rstrip("0").rstrip(".")
    text = text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no "-0"
    unit = (unit or "").strip()
    if not unit:
        return text
    if unit in CURRENCY_SIGNS:  # "£1,250", "-£40": a sign goes before the digits
        return f"-{unit}{text[1:]}" if text.startswith("-") else f"{unit}{text}"
    return f"{text}{unit}" if len(unit) == 1 else f"{text} {unit}"


def generated_alt(chart: Chart, series: tuple[ChartSeries, ...]) -> str:
    """The caption, then every value by category, series by series: words of the report's own (no
    fixed wording, so a Welsh report's alt text is Welsh)."""
    parts = []
    for entry in series:
        values = ", ".join(f"{category} {text}" for category, text in zip(chart.categories, entry.value_texts))
        parts.append(f"{entry.name}: {values}" if entry.name else values)
    caption = plain_text(chart.caption).rstrip(". ")
    return (f"{caption}. " if caption else "") + "; ".join(parts) + "."
