"""Colour arithmetic for badges: WCAG 2 relative luminance and contrast ratio."""
from __future__ import annotations

BLACK = "#000000"
WHITE = "#FFFFFF"
WCAG_AA = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour_for(fill: str) -> str:
    """Black or white, whichever contrasts more with `fill`; one of them always reaches 4.5:1."""
    return WHITE if contrast(fill, WHITE) >= contrast(fill, BLACK) else BLACK


NON_TEXT = 3.0  # WCAG 1.4.11: a graphic that identifies something (a box's edge) against its neighbour


def rule_colour_for(fill: str, preferred: tuple[str, ...]) -> str:
    """The first of `preferred` that stands out 3:1 against `fill`, else black or white."""
    return next((colour for colour in preferred if contrast(colour, fill) >= NON_TEXT), text_colour_for(fill))
