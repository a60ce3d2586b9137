"""The resolved style: a brand, a grade scale, labels and the page design, frozen.

Produced by `loader.py` from style files (with `extends` merged and every path resolved);
consumed by layout (labels, grades, colours) and by renderers (fonts, page, cover design).
"""
from __future__ import annotations

from dataclasses import field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from ..records import dataclass


@dataclass(frozen=True)
class Image:
    """An image decoded once by Pillow and cleaned (EXIF orientation applied, transparency kept,
    CMYK and 16-bit converted, at most `images.PRINT_SIDE` pixels a side): its pixels, 8-bit RGB
    or RGBA. The PDF draws the pixels; the formats that embed an image file take it as a PNG
    (`images.png_of`), encoded the first time one asks, once: a PDF alone never needs it, and
    encoding the default style's logo took a typical report's PDF build 16 ms."""

    pixels: bytes = field(repr=False)
    mode: str  # "RGB" or "RGBA"
    width_px: int
    height_px: int
    alt: str
    icc_profile: bytes | None = field(default=None, repr=False)  # the colour profile the file named


@dataclass(frozen=True)
class Grade:
    key: str
    label: str
    colour: str  # "#RRGGBB"


@dataclass(frozen=True)
class Fonts:
    family: str  # the family name written into DOCX styles
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path
    size: float = 11.0  # body size in points
    # Faces for characters the four lack, tried in order, each with the family name its file
    # gives (what Word and browsers are told to look for).
    fallback: tuple[FallbackFont, ...] = ()


@dataclass(frozen=True)
class FallbackFont:
    path: Path
    family: str


@dataclass(frozen=True)
class Colours:
    primary: str  # headings, cover band, table header
    accent: str  # rules, links
    text: str
    muted: str  # running header and footer
    callout: str  # cause-of-concern fill
    callout_rule: str
    watermark: str
    table_stripe: str


@dataclass(frozen=True)
class CalloutKind:
    """A kind of callout box (v2): its label, printed before the box's title, and its fill."""

    key: str
    label: str
    colour: str  # "#RRGGBB"


@dataclass(frozen=True)
class Page:
    size: str  # "A4" | "letter"
    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float

    @property
    def text_width_mm(self) -> float:
        """The text column's width: the page less its side margins."""
        return self.width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def text_height_mm(self) -> float:
        return self.height_mm - self.margin_top_mm - self.margin_bottom_mm


@dataclass(frozen=True)
class Cover:
    band_colour: str
    band_height_mm: float
    text_colour: str  # text on the band
    logo_width_mm: float
    title_size: float


@dataclass(frozen=True)
class Print:
    crop_marks: bool
    bleed_mm: float


@dataclass(frozen=True)
class Style:
    name: str
    files: tuple[Path, ...]  # the style chain, child first: what a rebuild depends on
    brand_name: str
    logo: Image | None  # decoded once per style, shared by every report using it
    logo_alt: str
    language: str
    date_format: str
    grades: tuple[Grade, ...]  # best first; "ungraded" is added by the validator, not listed
    labels: Mapping[str, str]
    fonts: Fonts
    colours: Colours
    page: Page
    cover: Cover
    print: Print
    callouts: Mapping[str, CalloutKind] = field(default_factory=lambda: MappingProxyType({}))
    # (v2) the `imprint:` and `alternative_formats:` block texts, parsed (model blocks, spans in
    # the style file); `{year}` is left in the imprint's text for layout to fill in per report
    imprint: tuple = ()
    alternative_formats: tuple = ()
    # The language brand_name and logo_alt are written in, when a report in another language
    # prints this style (style.labels.localised): they are the style's own words, not translated.
    brand_language: str | None = None

    def label(self, key: str, **values: object) -> str:
        text = self.labels[key]
        return text.format(**values) if values else text

    def grade(self, key: str) -> Grade:
        for grade in self.grades:
            if grade.key == key:
                return grade
        raise KeyError(key)


def frozen_mapping(items: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(items))
