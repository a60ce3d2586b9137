"""How wide a text is in one of the style's TrueType faces, without a renderer.

The DOCX renderer must shorten its running header as the PDF does (an ellipsis where the text
would overrun its room), and python-docx measures nothing: this reads the advance widths from the
font's own `hmtx` table through its Windows Unicode `cmap`, which is what a word processor lays the
text out with. Kerning is left out (the PDF's `stringWidth` leaves it out too). The font was
checked whole by `fontcheck` when the style was loaded; a font that still cannot be read here
gives None, and the caller falls back to an estimate.
"""
from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

from .fontcheck import MAX_FONT_BYTES, _Refused, _table_directory


class Advances:
    """A face's advance widths per code point, in em units (so any size is one multiplication)."""

    def __init__(self, per_code: dict[int, float], missing: float) -> None:
        self._per_code = per_code
        self._missing = missing  # the .notdef glyph's, which is what an unmapped character shows

    def width_pt(self, text: str, size_pt: float) -> float:
        per_code, missing = self._per_code, self._missing
        return sum(per_code.get(ord(char), missing) for char in text) * size_pt


def advances(path: Path) -> Advances | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return _advances(path.resolve(), status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=16)
def _advances(path: Path, mtime_ns: int, size: int) -> Advances | None:
    if size > MAX_FONT_BYTES:
        return None
    try:
        return _read(path.read_bytes())
    except (OSError, _Refused, struct.error, KeyError, ValueError):
        return None


def _read(data: bytes) -> Advances | None:
    tables = _table_directory(data)
    units_per_em, = struct.unpack_from(">H", data, tables["head"][0] + 18)
    metrics_count, = struct.unpack_from(">H", data, tables["hhea"][0] + 34)
    hmtx_at = tables["hmtx"][0]
    widths = [width for width, _ in struct.iter_unpack(">Hh", data[hmtx_at:hmtx_at + 4 * metrics_count])]
    glyphs = _unicode_glyphs(data, tables["cmap"][0])
    if glyphs is None or not widths or not units_per_em:
        return None
    scale = 1.0 / units_per_em
    per_code = {code: widths[min(glyph, len(widths) - 1)] * scale for code, glyph in glyphs.items()}
    return Advances(per_code, widths[0] * scale)


def _unicode_glyphs(data: bytes, cmap_at: int) -> dict[int, int] | None:
    """Code point -> glyph id from the Windows Unicode subtable (full repertoire first)."""
    _, count = struct.unpack_from(">HH", data, cmap_at)
    offsets = {(platform, encoding): offset
               for platform, encoding, offset in struct.iter_unpack(">HHI", data[cmap_at + 4:cmap_at + 4 + 8 * count])}
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        if key in offsets:
            at = cmap_at + offsets[key]
            fmt, = struct.unpack_from(">H", data, at)
            if fmt == 4:
                return _format4(data, at)
            if fmt == 12:
                return _format12(data, at)
    return None


def _format4(data: bytes, at: int) -> dict[int, int]:
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    range_at = at + 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", data, range_at)
    glyphs: dict[int, int] = {}
    for i, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets)):
        for code in range(start, min(end, 0xFFFE) + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:  # the offset is from the idRangeOffset entry itself, per the OpenType spec
                glyph, = struct.unpack_from(">H", data, range_at + 2 * i + range_offset + 2 * (code - start))
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                glyphs[code] = glyph
    return glyphs


def _format12(data: bytes, at: int) -> dict[int, int]:
    count, = struct.unpack_from(">I", data, at + 12)
    glyphs: dict[int, int] = {}
    for start, end, first in struct.iter_unpack(">III", data[at + 16:at + 16 + 12 * count]):
        for code in range(start, min(end, 0x10FFFF) + 1):
            glyphs[code] = first + code - start
    return glyphs
