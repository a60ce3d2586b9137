"""Which characters a font can draw: the code points its character map gives glyphs.

The source stage warns about a character the style's fonts lack where it was written (its own
LINE:COL), so it needs each face's coverage without loading a renderer. This reads the one
`cmap` subtable reportlab reads (`fontcheck._reportlab_choice`), the way reportlab reads it, so
a character is "covered" here exactly when the PDF renderer finds it in `charToGlyph`. The
font was checked whole by `fontcheck` when the style was loaded; a font that still cannot be
read gives None (coverage unknown: the renderer's own check then speaks for it).

The wording of the warning and which characters are never drawn live here too, so the source
stage and the PDF renderer say the same thing about the same character, and the renderer can
tell which characters the source stage already reported.
"""
from __future__ import annotations

import bisect
import os
import re
import struct
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from .fontcheck import (MAX_FONT_BYTES, _Refused, _Subtable, _format4_segments, _groups, _names,
                        _reportlab_choice, _table_directory)

if TYPE_CHECKING:
    from .types import Fonts

# Unicode's invisible format controls (category Cf) that text pasted from Word or the web carries:
# joiners, direction marks and isolates, the word joiner, a byte order mark. They have no visible
# form; the PDF drops those its font has no glyph for (render/pdf/fonts.SubsetFont), which would
# otherwise print as empty boxes.
FORMAT_CONTROLS = frozenset(map(chr, (0x00AD, 0x061C, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F),
                                      *range(0x2060, 0x2065), *range(0x2066, 0x2070), 0xFEFF,
                                      *range(0xFFF9, 0xFFFC))))
# Characters never drawn as glyphs: layout turns line breaks into spaces, and a tab has no
# visible form of its own.
INVISIBLE = frozenset("\t\n\r") | FORMAT_CONTROLS
_MISSING = re.compile(r"^the style's fonts have no glyph for .* \(U\+([0-9A-F]{4,6})\);")
_RIGHT_TO_LEFT = re.compile(r"^[A-Za-z' -]+ text is written right to left;")
_STRONG_RIGHT_TO_LEFT = ("R", "AL")  # Unicode bidirectional classes of Hebrew, Arabic, Syriac...


def missing_glyph_message(char: str) -> str:
    return (f"the style's fonts have no glyph for {char!r} (U+{ord(char):04X}); it prints as an empty box, "
            "which a PDF build refuses unless run with --allow-missing-glyphs: add a font that has it to "
            "the style's `fonts.fallback`")


def reported_character(message: str) -> str | None:
    """The character a missing-glyph message is about, or None for any other message."""
    match = _MISSING.match(message)
    return chr(int(match.group(1), 16)) if match else None


def is_right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in _STRONG_RIGHT_TO_LEFT


def right_to_left_message(char: str) -> str:
    script = (unicodedata.name(char, "").split(" ")[0] or "Right-to-left").title()
    return (f"{script} text is written right to left; the PDF renderer cannot lay out {char!r} and the text "
            "around it (it would print the letters in the wrong order, and unjoined where they join), so a "
            "PDF build refuses it: build this report as DOCX or HTML (--format docx,html), whose readers "
            "lay it out")


def is_right_to_left_message(message: str) -> bool:
    return _RIGHT_TO_LEFT.match(message) is not None


def pdf_refuses(message: str, allow_missing_glyphs: bool) -> bool:
    """Whether a warning of the source stage is about text a PDF cannot print: right-to-left text
    always, a character no font has unless the build allows empty boxes (PDF/UA forbids them)."""
    if is_right_to_left_message(message):
        return True
    return not allow_missing_glyphs and reported_character(message) is not None


def is_drawn(char: str) -> bool:
    """Whether a character is drawn as a glyph of its own (so a font must have one for it)."""
    return char not in INVISIBLE and ord(char) >= 32


class Coverage:
    """The code points a face maps, as sorted disjoint ranges (a font maps a few hundred)."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __contains__(self, code: int) -> bool:
        at = bisect.bisect_right(self._starts, code) - 1
        return at >= 0 and code <= self._ends[at]


class FallbackRuns:
    """Splits printed text into runs, each with the fallback font it is set in: a character one
    of the family's four faces lacks goes to the first fallback that has it. Every renderer splits
    text this way, so the PDF sets a character in the font the DOCX and HTML name for it."""

    def __init__(self, faces: tuple[Path, ...], fallbacks: tuple[Path, ...]) -> None:
        self._faces = [covered for covered in map(coverage, faces) if covered is not None]
        self._fallbacks = [coverage(path) for path in fallbacks]
        self._font: dict[str, int | None] = {}
        # The characters found set in the family's own faces: most text is only these, and is
        # told so in one C call (a long report's 4,000 paragraphs took 50 ms a character at a time)
        self._in_faces: set[str] = set()

    def font_of(self, char: str) -> int | None:
        """The index of the fallback font `char` is set in, or None for the family's own faces."""
        if char not in self._font:
            code = ord(char)
            found = None
            if any(code not in covered for covered in self._faces):
                found = next((index for index, covered in enumerate(self._fallbacks)
                              if covered is not None and code in covered), None)
            self._font[char] = found
            if found is None:
                self._in_faces.add(char)
        return self._font[char]

    def runs(self, text: str) -> Iterator[tuple[str, int | None]]:
        if (not self._fallbacks or self._in_faces.issuperset(text)
                or all(self.font_of(char) is None for char in set(text))):
            yield text, None
            return
        start, current = 0, None
        for index, char in enumerate(text):
            font = self.font_of(char)
            if font != current and index > start:
                yield text[start:index], current
                start = index
            current = font
        yield text[start:], current

    def used(self, text: str) -> set[int]:
        """The indices of the fallback fonts some character of `text` is set in."""
        return {self.font_of(char) for char in set(text)} - {None}

    def named(self, text: str, names: tuple[str, ...]) -> Iterator[tuple[str, str | None]]:
        """The runs with each fallback font's index replaced by its name in `names`."""
        for run, index in self.runs(text):
            yield run, None if index is None else names[index]


def fallback_runs(fonts: Fonts) -> FallbackRuns:
    return FallbackRuns((fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic),
                        tuple(font.path for font in fonts.fallback))


def coverage(path: Path) -> Coverage | None:
    """What the font at `path` maps, or None when that cannot be read. Cached per file version,
    so `reportc watch` sees a replaced font."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return _coverage(path, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=32)
def _coverage(path: Path, mtime_ns: int, size: int) -> Coverage | None:
    if size > MAX_FONT_BYTES:
        return None
    try:
        data = path.read_bytes()
        ranges = _mapped_ranges(data)
    except (OSError, _Refused, struct.error, ValueError):
        return None
    return Coverage(ranges) if ranges is not None else None


def family_name(path: Path) -> str:
    """The family name a font file gives itself (what Word and browsers look an installed font
    up by), or the file's name when it gives none that can be read."""
    try:
        data = path.read_bytes()[:MAX_FONT_BYTES]
        offset, length = _table_directory(data)["name"]
        table = data[offset:offset + length]
        _, count, strings = struct.unpack_from(">HHH", table)
        family = _names(table, count, strings).get(1, "")
    except (OSError, _Refused, struct.error, ValueError):
        family = ""
    family = " ".join(family.split())
    return family if family.isprintable() and 0 < len(family) <= 100 else path.stem


def _mapped_ranges(data: bytes) -> list[tuple[int, int]] | None:
    tables = _table_directory(data)
    cmap_offset, cmap_length = tables["cmap"]
    cmap = data[cmap_offset:cmap_offset + cmap_length]
    num_glyphs, = struct.unpack_from(">H", data, tables["maxp"][0] + 4)
    _, count = struct.unpack_from(">HH", cmap)
    read = None
    for platform, encoding, offset in struct.iter_unpack(">HHI", cmap[4:4 + 8 * count]):
        read = _reportlab_choice(read, platform, encoding, offset)
    subtable = _Subtable.at(cmap, read[1]) if read else None
    reader = _RANGE_READERS.get(subtable.format) if subtable else None
    if reader is None:
        return None  # format 2 (legacy CJK encodings) or one reportlab cannot read
    ranges = reader(subtable.data, num_glyphs)
    codes = Coverage(ranges)
    if 0x20 in codes or 0xA0 in codes:  # reportlab draws the no-break space with the space
        ranges += [(0x20, 0x20), (0xA0, 0xA0)]
    return ranges


def _format0_ranges(data: bytes, num_glyphs: int) -> list[tuple[int, int]]:
    count = min(256, num_glyphs, len(data) - 6)
    return [(0, count - 1)] if count > 0 else []


def _format4_ranges(data: bytes, num_glyphs: int) -> list[tuple[int, int]]:
    seg_count = _format4_segments(data)
    ends = struct.unpack_from(f">{seg_count}H", data, 14)
    starts = struct.unpack_from(f">{seg_count}H", data, 16 + 2 * seg_count)
    return [(start, end) for start, end in zip(starts, ends) if end >= start]


def _listed_codes(data: bytes, at: int, count: int) -> list[tuple[int, int]]:
    """Formats 6 and 10: reportlab reads one 16-bit code per glyph of the counted range."""
    return [(code, code) for code in struct.unpack_from(f">{count}H", data, at)]


def _format6_ranges(data: bytes, num_glyphs: int) -> list[tuple[int, int]]:
    _, count = struct.unpack_from(">HH", data, 6)
    return _listed_codes(data, 10, count)


def _format10_ranges(data: bytes, num_glyphs: int) -> list[tuple[int, int]]:
    _, count = struct.unpack_from(">II", data, 12)
    return _listed_codes(data, 20, count)


def _group_ranges(data: bytes, num_glyphs: int) -> list[tuple[int, int]]:
    return [(start, end) for start, end, _ in _groups(data) if end >= start]


_RANGE_READERS = {0: _format0_ranges, 4: _format4_ranges, 6: _format6_ranges, 10: _format10_ranges,
                  12: _group_ranges, 13: _group_ranges}
