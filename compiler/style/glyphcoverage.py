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
from functools import lru_cache
from pathlib import Path

from .fontcheck import (MAX_FONT_BYTES, _Refused, _Subtable, _format4_segments, _groups,
                        _reportlab_choice, _table_directory)

# Characters never drawn as glyphs: layout turns line breaks into spaces, and a tab or a
# soft hyphen has no visible form of its own.
INVISIBLE = frozenset("\t\n\r\u00ad\u200b\u200c\u200d\u2060\ufeff")
_MISSING = re.compile(r"^the font has no glyph for .* \(U\+([0-9A-F]{4,6})\); it prints as an empty box$")


def missing_glyph_message(char: str) -> str:
    return f"the font has no glyph for {char!r} (U+{ord(char):04X}); it prints as an empty box"


def reported_character(message: str) -> str | None:
    """The character a missing-glyph message is about, or None for any other message."""
    match = _MISSING.match(message)
    return chr(int(match.group(1), 16)) if match else None


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
