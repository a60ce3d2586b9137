"""Regenerate the shipped hmicfrs logo, styles/hmicfrs-logo.png: `python docs/hmicfrs_logo.py`.

The wordmark is the brand's name as styles/hmicfrs.yaml spells it (the inspectorate's name since
2017), so the logo, the brand name and every running header agree. A white tile with the "HM"
shield in the brand colour, and the name in white on transparent beside it: the logo is drawn on
the cover's colour band.

Deterministic: fixed size, the shipped font, no metadata in the PNG, so every run (with one
Pillow) writes the same bytes.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

STYLES = Path(__file__).resolve().parent.parent / "styles"
OUTPUT = STYLES / "hmicfrs-logo.png"
FONT = STYLES / "fonts" / "LiberationSans-Bold.ttf"
BRAND = (0x2A, 0x1F, 0x5C)  # styles/hmicfrs.yaml: colours.primary and cover.band_colour
WHITE = (255, 255, 255, 255)
# The brand name, broken where the inspectorate breaks it.
WORDMARK = ("HM Inspectorate of", "Constabulary and", "Fire & Rescue Services")
HEIGHT = 240
TILE = 230  # the white tile's side
TEXT_LEFT = TILE + 28
LINE_PITCH = 62
TEXT_SIZE = 50


def draw_logo() -> Image.Image:
    wordmark = ImageFont.truetype(str(FONT), TEXT_SIZE)
    width = TEXT_LEFT + int(max(wordmark.getlength(line) for line in WORDMARK)) + 10
    image = Image.new("RGBA", (width, HEIGHT), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((5, 5, 5 + TILE, 5 + TILE), radius=30, fill=WHITE)
    _shield(draw, centre=(5 + TILE / 2, 5 + TILE / 2))
    initials = ImageFont.truetype(str(FONT), 56)
    draw.text((5 + TILE / 2, 5 + TILE / 2 - 2), "HM", font=initials, fill=WHITE, anchor="mm")
    first_baseline = HEIGHT / 2 - LINE_PITCH  # three lines centred on the tile's middle
    for row, line in enumerate(WORDMARK):
        draw.text((TEXT_LEFT, first_baseline + row * LINE_PITCH), line, font=wordmark, fill=WHITE, anchor="lm")
    return image


def _shield(draw: ImageDraw.ImageDraw, centre: tuple[float, float]) -> None:
    """A hexagonal shield, point down, as on the inspectorate's mark."""
    x, y = centre
    draw.polygon([(x, y - 87), (x + 80, y - 45), (x + 80, y + 27), (x, y + 97), (x - 80, y + 27),
                  (x - 80, y - 45)], fill=BRAND)


def main() -> int:
    draw_logo().save(OUTPUT, format="PNG", optimize=True)
    print(f"{OUTPUT.relative_to(STYLES.parent)}: {' '.join(WORDMARK)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
