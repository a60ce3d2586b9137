"""A placeholder logo for a new project: a wordmark in the brand colour, drawn with Pillow.

Deterministic: fixed size, the shipped font, no metadata in the PNG, so two runs of
`reportc init` (with one Pillow) write the same bytes.
"""
from __future__ import annotations

import io

from ..source.paths import SHIPPED_STYLES

WIDTH, HEIGHT = 900, 240  # 3.75:1, about the shape of the shipped logo
FONT = SHIPPED_STYLES / "fonts" / "LiberationSans-Bold.ttf"


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def logo_png(brand_name: str, colour: str) -> bytes:
    """A white card with rounded, transparent corners (it sits on the cover's colour band in the
    PDF and on white in the DOCX): a mark (the brand's initial in a square) and the brand name."""
    from PIL import Image, ImageDraw, ImageFont

    ink = _rgb(colour)
    image = Image.new("RGBA", (WIDTH, HEIGHT), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, WIDTH - 1, HEIGHT - 1), radius=36, fill=(255, 255, 255, 255))
    draw.rounded_rectangle((20, 20, 220, 220), radius=28, fill=ink)
    initial = ImageFont.truetype(str(FONT), 150)
    draw.text((120, 122), brand_name[:1].upper(), font=initial, fill=(255, 255, 255), anchor="mm")
    words = brand_name.split()
    lines = [" ".join(words[: len(words) // 2 or 1]), " ".join(words[len(words) // 2 or 1:])]
    wordmark = ImageFont.truetype(str(FONT), _fitting_size(lines, ImageFont, WIDTH - 280))
    for row, line in enumerate(line for line in lines if line):
        draw.text((260, 70 + row * 100), line, font=wordmark, fill=ink, anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _fitting_size(lines: list[str], fonts, width: int) -> int:
    """The largest size, at most 80 px, at which every line fits `width`."""
    size = 80
    while size > 12 and any(fonts.truetype(str(FONT), size).getlength(line) > width for line in lines):
        size -= 4
    return size
