"""A chart's scale and looks: nice axis ticks, the series' colours (3:1 against the page at
least, WCAG 1.4.11) and what else tells them apart, and text measured in the style's face."""
from __future__ import annotations

import math
from typing import Callable

from ..style.metrics import advances
from ..style.types import Style
from .colour import WHITE, contrast
from .ellipsis import ELLIPSIS, shortened
from ..records import dataclass

NON_TEXT_CONTRAST = 3.0  # WCAG 1.4.11
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ((), (5.0, 2.5), (1.5, 2.0), (6.0, 2.0, 1.5, 2.0))
HATCHES = ("", "/", "\\", "x")  # white stripes over the bar's fill; "" plain
AVERAGE_GLYPH_EM = 0.55  # when the style's face cannot be read


@dataclass(frozen=True)
class SeriesLook:
    colour: str
    marker: str
    dash: tuple[float, ...]
    hatch: str


def nice_ticks(low: float, high: float, from_zero: bool, target: int = 5) -> tuple[float, ...]:
    """Ticks at 1, 2, 2.5 or 5 times a power of ten covering `low`..`high` (and zero, for bars
    and columns, which always start there)."""
    if from_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high, low = (high + 1, low) if from_zero or high == 0 else (high + abs(high) * 0.1, low - abs(low) * 0.1)
    # A step finer than _clean keeps would give equal ticks (values differing in the tenth decimal)
    raw = max((high - low) / target, 1e-9)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in NICE_STEPS if m * magnitude >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return tuple(_clean(i * step) for i in range(first, last + 1))


def _clean(value: float) -> float:
    rounded = round(value, 9)
    return 0.0 if rounded == 0 else rounded


def series_looks(style: Style, count: int) -> tuple[SeriesLook, ...]:
    """One look per series: a colour from the style, darkened until it reaches 3:1 on white,
    and a marker, dash and hatch of its own, so colour is never the only difference."""
    c = style.colours
    palette = [accessible(colour) for colour in (c.primary, c.accent, c.callout_rule, c.text, c.muted)]
    unique = list(dict.fromkeys(palette))
    return tuple(SeriesLook(unique[i % len(unique)], MARKERS[i % len(MARKERS)], DASHES[i % len(DASHES)],
                            HATCHES[i % len(HATCHES)]) for i in range(count))


def accessible(colour: str, background: str = WHITE) -> str:
    """`colour`, or the nearest darker shade of it with 3:1 contrast on `background`."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    factor = 1.0
    while True:
        shade = "#{:02X}{:02X}{:02X}".format(*(round(v * factor) for v in (r, g, b)))
        if contrast(shade, background) >= NON_TEXT_CONTRAST or factor <= 0:
            return shade
        factor = round(factor - 0.05, 2)


Measure = Callable[[str, float], float]  # width in points of a text at a size


def measure_for(style: Style, bold: bool = False) -> Measure:
    face = advances(style.fonts.bold if bold else style.fonts.regular)
    if face is not None:
        return face.width_pt
    return lambda text, size: len(text) * size * AVERAGE_GLYPH_EM


def wrapped(text: str, width_of: Callable[[str], float], room: float, max_lines: int = 2) -> tuple[str, ...]:
    """`text` broken at spaces into lines of at most `room`; the last line that is kept ends
    in an ellipsis when the rest does not fit (a word longer than the room too)."""
    lines: list[str] = []
    words = text.split()
    current, start = "", 0  # the line being filled, and the index of its first word
    for index, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if width_of(trial) <= room or not current:
            current = trial
            continue
        if len(lines) == max_lines - 1:  # the last line: it takes the rest, shortened below
            current = " ".join(words[start:])
            break
        lines.append(current)
        current, start = word, index
    lines.append(current)
    return tuple(_at_a_word(line, width_of, room) for line in lines) if text else ("",)


def _at_a_word(line: str, width_of: Callable[[str], float], room: float) -> str:
    """`line`, or as many of its words as fit with an ellipsis: a label cut inside a word can
    read as another one ("Q4 2025/2…" for "Q4 2025/26 (provisional)"). Inside its first word
    only when even that does not fit."""
    if width_of(line) <= room:
        return line
    words = line.split(" ")
    for count in range(len(words) - 1, 0, -1):
        kept = " ".join(words[:count]).rstrip() + ELLIPSIS
        if width_of(kept) <= room:
            return kept
    return shortened(line, width_of, room)
