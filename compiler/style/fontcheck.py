"""A bounded structural check of a TrueType font, before any renderer reads it.

reportlab parses a font whole when it is registered and trusts every count and offset in it:
a `cmap` group spanning all of Unicode becomes a dict entry per code point (gigabytes), and a
`loca` offset past `glyf` fails only when the PDF is saved, as an "internal error". So every
table reportlab reads is checked here, with `struct`, against what reportlab will do with it
(reportlab is not imported: validation never loads a renderer). The check reads each table's
header fields once and never a glyph's outline, so it costs milliseconds on a 400 KB font.
"""
from __future__ import annotations

import os
import struct
from pathlib import Path

MAX_FONT_BYTES = 20 * 2**20
# reportlab keeps ~250 bytes per mapped code point for each of the four faces; 2**18 is more
# than every assigned Unicode character (about 150,000), and at most ~65 MB a face.
MAX_MAPPED_CODE_POINTS = 2**18
MAX_CMAP_SUBTABLES = 64
LAST_CODE_POINT = 0x10FFFF
TRUETYPE_HEADERS = (b"\x00\x01\x00\x00", b"true")
# The tables a TrueType font cannot be embedded without (reportlab reads every one of them).
REQUIRED_TABLES = ("cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post")
HEAD_MAGIC = 0x5F0F3CF5
UNITS_PER_EM = range(16, 16385)
_OFFSET_TABLE = struct.Struct(">4sHHHH")  # sfnt version, table count, three search hints
_TABLE_RECORD = struct.Struct(">4sIII")  # tag, checksum, offset, length
_DAMAGED = "is damaged or cut short ({}); replace it with a complete copy of the font"


class _Refused(Exception):
    """The one problem found in a font; ends the check (a font is usable or it is not)."""


def font_problem(path: Path) -> str | None:
    """Why a file cannot be the TrueType font reportc embeds, judged from its size, header,
    table directory and the tables reportlab reads; None when it can be embedded."""
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_FONT_BYTES:
                return f"is over {MAX_FONT_BYTES // 2**20} MB; a TrueType font is rarely over 2 MB"
            data = stream.read(MAX_FONT_BYTES + 1)
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if data[:4] == b"OTTO":
        return "has PostScript (CFF) outlines; reportc embeds TrueType fonts (.ttf) only"
    if data[:4] not in TRUETYPE_HEADERS:
        return _not_truetype(data)
    try:
        _check_font(data)
    except _Refused as refused:
        return str(refused)
    return None


# What a file named as a font often is instead, by its first bytes: the message names it, as
# "not a TrueType font" alone leaves the writer guessing why a `.ttf` file is refused.
_WEB_FONTS = {b"wOFF": "WOFF", b"wOF2": "WOFF2"}
_OTHER_FILES = ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"%PDF", "a PDF document"),
                (b"PK\x03\x04", "a ZIP archive"), (b"ttcf", "a TrueType collection (.ttc) of several fonts"))
_REPLACE = "replace it with the font's TrueType (.ttf) file"


def _not_truetype(data: bytes) -> str:
    """Why a file with no TrueType header is refused: what it is, when its first bytes say, and
    what to do about it."""
    web_font = _WEB_FONTS.get(data[:4])
    if web_font:  # the same font compressed for web pages: converting it gives the .ttf back
        return (f"is a {web_font} web font, not a TrueType font (.ttf); convert it to .ttf with a font "
                "converter, or use the .ttf the font is published as")
    what = next((f"is {name}, not" for signature, name in _OTHER_FILES if data.startswith(signature)), "is not")
    return f"{what} a TrueType font (.ttf); {_REPLACE}"


def _check_font(data: bytes) -> None:
    tables = _table_directory(data)
    font = _Font(data, tables)
    for tag, check in _TABLE_CHECKS:
        if tag in tables:
            try:
                check(font)
            except struct.error:  # a read past the table's end: its counts claim more than it holds
                raise _Refused(_DAMAGED.format(f"its '{tag}' table is shorter than its contents say"))


def _table_directory(data: bytes) -> dict[str, tuple[int, int]]:
    """Every table's (offset, length), each checked to lie inside the file: a font whose header
    is right can still be cut short, and reportlab would fail reading it, naming no font."""
    if len(data) < _OFFSET_TABLE.size:
        raise _Refused(_DAMAGED.format("it ends inside its header"))
    _, count, *_ = _OFFSET_TABLE.unpack_from(data)
    end = _OFFSET_TABLE.size + count * _TABLE_RECORD.size
    if len(data) < end:
        raise _Refused(_DAMAGED.format("it ends inside its table directory"))
    tables = {}
    for tag, _, offset, length in _TABLE_RECORD.iter_unpack(data[_OFFSET_TABLE.size:end]):
        if not tag.isascii():  # tags are four ASCII letters; reportlab fails on one not UTF-8
            raise _Refused(_DAMAGED.format("its table directory has a table tag that is not ASCII"))
        name = tag.decode("latin-1").strip()
        if offset + length > len(data):
            raise _Refused(_DAMAGED.format(f"its '{name}' table runs past the end of the file"))
        tables[tag.decode("latin-1")] = (offset, length)
    missing = [tag for tag in REQUIRED_TABLES if tag not in tables]
    if missing:
        raise _Refused(_DAMAGED.format("it has no " + ", ".join(f"'{tag}'" for tag in missing) + " table"))
    return tables


class _Font:
    """The font's bytes, its tables, and the counts one table gives the checks of the next."""

    def __init__(self, data: bytes, tables: dict[str, tuple[int, int]]) -> None:
        self.data = data
        self.tables = tables
        self.num_glyphs = 0
        self.loca_format = 0
        self.glyph_offsets: tuple[int, ...] = ()

    def table(self, tag: str, minimum: int) -> bytes:
        offset, length = self.tables[tag]
        if length < minimum:
            raise _Refused(_DAMAGED.format(f"its '{tag}' table is {length} bytes, under the {minimum} it needs"))
        return self.data[offset:offset + length]

    def offset(self, tag: str) -> int:
        return self.tables[tag][0]


def _damaged(tag: str, detail: str) -> _Refused:
    return _Refused(_DAMAGED.format(f"its '{tag}' table {detail}"))


def _check_head(font: _Font) -> None:
    head = font.table("head", 54)
    major, = struct.unpack_from(">H", head, 0)
    magic, = struct.unpack_from(">I", head, 12)
    units_per_em, = struct.unpack_from(">H", head, 18)
    loca_format, glyph_format = struct.unpack_from(">hh", head, 50)
    if major != 1 or magic != HEAD_MAGIC:
        raise _damaged("head", "has a wrong version or magic number")
    if units_per_em not in UNITS_PER_EM:
        raise _damaged("head", f"gives {units_per_em} units per em (a font uses 16 to 16384)")
    if loca_format not in (0, 1) or glyph_format != 0:
        raise _damaged("head", "names an unknown 'loca' or glyph data format")
    font.loca_format = loca_format


def _check_maxp(font: _Font) -> None:
    major, _, num_glyphs = struct.unpack_from(">HHH", font.table("maxp", 6))
    if major != 1:
        raise _damaged("maxp", "has a version for PostScript outlines, not TrueType")
    if num_glyphs == 0:
        raise _damaged("maxp", "says the font has no glyphs")
    font.num_glyphs = num_glyphs


def _check_hhea_hmtx(font: _Font) -> None:
    hhea = font.table("hhea", 36)
    major, = struct.unpack_from(">H", hhea, 0)
    metric_format, metrics = struct.unpack_from(">HH", hhea, 32)
    if major != 1 or metric_format != 0:
        raise _damaged("hhea", "has an unknown version or metric format")
    if not 1 <= metrics <= font.num_glyphs:
        raise _damaged("hhea", f"lists {metrics} glyph metrics for {font.num_glyphs} glyphs")
    needed = 4 * metrics + 2 * (font.num_glyphs - metrics)
    font.table("hmtx", needed)


def _check_loca(font: _Font) -> None:
    """Glyph offsets: one per glyph and one past the last, never going back, all inside `glyf`."""
    width = 4 if font.loca_format else 2
    count = font.num_glyphs + 1
    loca = font.table("loca", count * width)
    offsets = struct.unpack_from(f">{count}{'I' if width == 4 else 'H'}", loca)
    if width == 2:
        offsets = tuple(offset * 2 for offset in offsets)
    if any(later < earlier for earlier, later in zip(offsets, offsets[1:])):
        raise _damaged("loca", "has glyph offsets that go backwards")
    if offsets[-1] > font.tables["glyf"][1]:
        raise _damaged("loca", "points past the end of the 'glyf' table")
    font.glyph_offsets = offsets


# Composite glyph flags (the `glyf` table): what follows each component's glyph index.
_ARGS_ARE_WORDS, _HAS_SCALE, _MORE_COMPONENTS, _HAS_XY_SCALE, _HAS_2X2 = 0x1, 0x8, 0x20, 0x40, 0x80


def _check_glyf(font: _Font) -> None:
    """Each glyph's header, and for a composite glyph its components, lie inside the glyph and
    name glyphs that exist: reportlab follows them when it subsets the font into the PDF."""
    glyf = font.table("glyf", 0)
    offsets = font.glyph_offsets
    for start, end in zip(offsets, offsets[1:]):
        if start == end:
            continue  # an empty glyph, such as the space
        if end - start < 10:
            raise _damaged("glyf", "has a glyph shorter than a glyph header")
        contours, = struct.unpack_from(">h", glyf, start)
        if contours < 0:
            _check_components(glyf, start + 10, end, font.num_glyphs)


def _check_components(glyf: bytes, at: int, end: int, num_glyphs: int) -> None:
    flags = _MORE_COMPONENTS
    while flags & _MORE_COMPONENTS:
        if at + 4 > end:
            raise _damaged("glyf", "has a composite glyph that runs past its end")
        flags, glyph = struct.unpack_from(">HH", glyf, at)
        if glyph >= num_glyphs:
            raise _damaged("glyf", f"has a composite glyph made of glyph {glyph}, which does not exist")
        at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        at += 2 if flags & _HAS_SCALE else 4 if flags & _HAS_XY_SCALE else 8 if flags & _HAS_2X2 else 0
    if at > end:
        raise _damaged("glyf", "has a composite glyph that runs past its end")


def _check_os2(font: _Font) -> None:
    """The fields reportlab reads: weight, licence bits, ascender and descender, cap height."""
    version, = struct.unpack_from(">H", font.table("OS/2", 72), 0)
    if version > 1:
        font.table("OS/2", 90)
    fs_type, = struct.unpack_from(">H", font.data, font.offset("OS/2") + 8)
    if (fs_type == 0x0002 or fs_type & 0x0300) and font.num_glyphs > 0xFF:
        raise _Refused(f"forbids embedding a subset of it in a document (its licence bits, OS/2 fsType "
                       f"{fs_type:#06x}); use a font whose licence allows embedding")


def _check_post(font: _Font) -> None:
    major, = struct.unpack_from(">H", font.table("post", 16), 0)
    if major not in (1, 2, 3, 4):
        raise _damaged("post", f"has an unknown version {major}")


_NAME_IDS = (1, 2, 3, 4, 6)  # family, subfamily, unique id, full name, PostScript name
_NAME_RECORD = struct.Struct(">6H")  # platform, encoding, language, name id, length, offset
_PDF_NAME_DELIMITERS = b"[](){}<>/%"


def _check_name(font: _Font) -> None:
    """The PostScript name reportlab takes, found the way it finds it: it names the font in
    the PDF, and reportlab refuses a font without one, or with one a PDF name cannot hold."""
    table = font.table("name", 6)
    table_format, count, strings = struct.unpack_from(">HHH", table)
    if table_format != 0:
        raise _Refused(f"has a format {table_format} 'name' table, which the PDF renderer cannot read; "
                       "use a font saved with a format 0 'name' table")
    font.table("name", 6 + count * _NAME_RECORD.size)
    names = _names(table, count, strings)
    postscript = names.get(6) or names.get(4) or names.get(1)
    if not postscript:
        raise _damaged("name", "gives the font no PostScript name")
    encoded = postscript.replace(" ", "-").encode("utf-8")
    if any(byte > 126 or byte in _PDF_NAME_DELIMITERS for byte in encoded):
        raise _damaged("name", "gives a PostScript name with characters a PDF font name cannot hold")


def _names(table: bytes, count: int, strings: int) -> dict[int, str]:
    names: dict[int, str] = {}
    for platform, encoding, language, name_id, length, offset in _NAME_RECORD.iter_unpack(
            table[6:6 + count * _NAME_RECORD.size]):
        if name_id not in _NAME_IDS:
            continue
        windows = (platform, encoding, language) == (3, 1, 0x409)
        if not windows and (platform, encoding, language) != (1, 0, 0):
            continue
        raw = table[strings + offset:strings + offset + length]
        if len(raw) < length or (windows and length % 2):
            raise _damaged("name", "has a name that runs past its end or is cut in half")
        text = _decoded(raw, "utf_16_be" if windows else "mac_roman")
        if text and name_id not in names:
            names[name_id] = text
            if len(names) == len(_NAME_IDS):
                break
    return names


def _decoded(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # what reportlab falls back to


def _check_cmap(font: _Font) -> None:
    """Every subtable lies inside the table and maps a bounded number of code points (reportlab
    expands the one it reads into a dict entry per code point); the one it reads maps onto
    glyphs that exist."""
    cmap = font.table("cmap", 4)
    version, count = struct.unpack_from(">HH", cmap)
    if version != 0:
        raise _damaged("cmap", f"has an unknown version {version}")
    if count > MAX_CMAP_SUBTABLES:
        raise _Refused(f"has {count} character maps ('cmap' subtables); a font has a few, reportc "
                       f"accepts at most {MAX_CMAP_SUBTABLES}")
    font.table("cmap", 4 + 8 * count)
    total = 0
    read = None
    for platform, encoding, offset in struct.iter_unpack(">HHI", cmap[4:4 + 8 * count]):
        subtable = _Subtable.at(cmap, offset)
        mapped = subtable.code_points(MAX_MAPPED_CODE_POINTS) if subtable else 0
        total += mapped
        if mapped > MAX_MAPPED_CODE_POINTS or total > LAST_CODE_POINT + 1:
            raise _Refused(_too_many_code_points(mapped, total))
        read = _reportlab_choice(read, platform, encoding, offset)
    if read is None:
        raise _Refused("has no Unicode character map (a 'cmap' subtable for platform 0 or 3); "
                       "use a font made for Unicode text")
    _check_read_subtable(cmap, read[1], font)


def _too_many_code_points(mapped: int, total: int) -> str:
    if mapped > MAX_MAPPED_CODE_POINTS:
        return (f"maps over {MAX_MAPPED_CODE_POINTS:,} code points in one 'cmap' subtable, more than "
                f"every assigned Unicode character; reportc accepts at most {MAX_MAPPED_CODE_POINTS:,}: "
                "use a font that covers the scripts you need")
    return (f"maps over {LAST_CODE_POINT + 1:,} code points in its 'cmap' subtables together (every "
            "Unicode code point once); use a font that covers the scripts you need")


def _reportlab_choice(read: tuple[int, int] | None, platform: int, encoding: int,
                      offset: int) -> tuple[int, int] | None:
    """(preference, offset) of the subtable reportlab reads, updated for one more record: the
    last Windows or Unicode one, else the last Mac Roman one (reportlab's own rule)."""
    if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
        return 1, offset
    if platform == 1 and encoding == 0 and (read is None or read[0] != 1):
        return 2, offset
    return read


# Formats whose length is a 32-bit field after a reserved one; format 14 has it right after.
_LONG_FORMATS = (8, 10, 12, 13)
# The smallest header of each format reportc knows; a subtable shorter than it is damaged.
_HEADER_BYTES = {0: 6, 2: 518, 4: 16, 6: 10, 8: 16, 10: 20, 12: 16, 13: 16, 14: 10}
_READABLE_FORMATS = (0, 2, 4, 6, 10, 12, 13)  # the formats reportlab's reader knows


class _Subtable:
    """One `cmap` subtable: its format and its bytes, already checked to lie inside the table."""

    def __init__(self, fmt: int, data: bytes, offset: int) -> None:
        self.format = fmt
        self.data = data
        self.offset = offset  # inside the cmap table

    @classmethod
    def at(cls, cmap: bytes, offset: int) -> "_Subtable | None":
        """None for a format reportc does not know (reportlab reads it only if chosen)."""
        fmt, = struct.unpack_from(">H", cmap, offset)
        if fmt not in _HEADER_BYTES:
            return None
        if fmt in _LONG_FORMATS:
            length, = struct.unpack_from(">I", cmap, offset + 4)
        else:
            length, = struct.unpack_from(">I" if fmt == 14 else ">H", cmap, offset + 2)
        if length < _HEADER_BYTES[fmt] or offset + length > len(cmap):
            raise _damaged("cmap", f"has a format {fmt} subtable that runs past its end")
        return cls(fmt, cmap[offset:offset + length], offset)

    def code_points(self, budget: int) -> int:
        """How many code points reportlab's reader walks through for this subtable (counting a
        repeated one each time), or budget + 1 as soon as that is over the budget."""
        counter = _CODE_POINT_COUNTERS.get(self.format)
        return counter(self.data, budget) if counter else 0


def _format0_code_points(data: bytes, budget: int) -> int:
    return min(256, len(data) - 6)


def _format2_code_points(data: bytes, budget: int) -> int:
    keys = struct.unpack_from(">256H", data, 6)
    headers = struct.unpack_from(f">{4 * (max(keys) + 1)}H", data, 518)  # as reportlab reads them
    return 256 + sum(headers[4 * key + 1] for key in keys if key)


def _format4_code_points(data: bytes, budget: int) -> int:
    seg_count = _format4_segments(data)
    ends = struct.unpack_from(f">{seg_count}H", data, 14)
    starts = struct.unpack_from(f">{seg_count}H", data, 16 + 2 * seg_count)
    return sum(max(0, end - start + 1) for start, end in zip(starts, ends))


def _format4_segments(data: bytes) -> int:
    seg_count_x2, = struct.unpack_from(">H", data, 6)
    if seg_count_x2 == 0 or seg_count_x2 % 2 or 16 + 4 * seg_count_x2 > len(data):
        raise _damaged("cmap", "has a format 4 subtable whose segment count does not fit it")
    return seg_count_x2 // 2


def _format6_code_points(data: bytes, budget: int) -> int:
    _, count = struct.unpack_from(">HH", data, 6)
    if 10 + 2 * count > len(data):
        raise _damaged("cmap", "has a format 6 subtable that lists more codes than it holds")
    return count


def _format10_code_points(data: bytes, budget: int) -> int:
    _, count = struct.unpack_from(">II", data, 12)
    if 20 + 2 * count > len(data):
        raise _damaged("cmap", "has a format 10 subtable that lists more codes than it holds")
    return count


def _group_code_points(data: bytes, budget: int) -> int:
    """Formats 12 and 13: groups of (first code, last code, glyph)."""
    groups = _groups(data)
    if len(groups) > budget:  # each group maps one code point at least: no need to walk them
        return budget + 1
    if any(end < start or end > LAST_CODE_POINT for start, end, _ in groups):
        raise _damaged("cmap", f"maps a code point past U+{LAST_CODE_POINT:X} or a range that ends "
                               "before it starts")
    return sum(end - start + 1 for start, end, _ in groups)


def _groups(data: bytes) -> list[tuple[int, int, int]]:
    count, = struct.unpack_from(">I", data, 12)
    if count > (len(data) - 16) // 12:
        raise _damaged("cmap", "has a subtable that lists more groups than it holds")
    return list(struct.iter_unpack(">III", data[16:16 + 12 * count]))


_CODE_POINT_COUNTERS = {0: _format0_code_points, 2: _format2_code_points, 4: _format4_code_points,
                        6: _format6_code_points, 10: _format10_code_points, 12: _group_code_points,
                        13: _group_code_points}


def _check_read_subtable(cmap: bytes, offset: int, font: _Font) -> None:
    """The subtable reportlab reads maps onto glyphs the font has: reportlab looks each mapped
    glyph up when it subsets the font, and a glyph past the last fails the PDF as it is saved."""
    subtable = _Subtable.at(cmap, offset)
    if subtable is None or subtable.format not in _READABLE_FORMATS:
        fmt, = struct.unpack_from(">H", cmap, offset)
        raise _Refused(f"keeps its Unicode character map in 'cmap' format {fmt}, which the PDF "
                       "renderer cannot read; use a font with a format 4 or 12 character map")
    highest = _HIGHEST_GLYPH[subtable.format](subtable, font)
    if highest >= font.num_glyphs:
        raise _damaged("cmap", f"maps characters to glyph {highest}, past the font's "
                               f"{font.num_glyphs} glyphs")


def _format0_highest(subtable: _Subtable, font: _Font) -> int:
    count = min(256, font.num_glyphs, len(subtable.data) - 6)
    return max(subtable.data[6:6 + count], default=0)


def _format4_highest(subtable: _Subtable, font: _Font) -> int:
    data = subtable.data
    seg_count = _format4_segments(data)
    ends = struct.unpack_from(f">{seg_count}H", data, 14)
    starts = struct.unpack_from(f">{seg_count}H", data, 16 + 2 * seg_count)
    deltas = struct.unpack_from(f">{seg_count}h", data, 16 + 4 * seg_count)
    ranges = struct.unpack_from(f">{seg_count}H", data, 16 + 6 * seg_count)
    # reportlab reads the glyph index array relative to the whole file, up to the subtable's end
    ranges_at = font.offset("cmap") + subtable.offset + 16 + 6 * seg_count
    limit = font.offset("cmap") + subtable.offset + len(data)
    highest = 0
    for n, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, ranges)):
        if end < start:
            continue
        if range_offset == 0:
            first, last = (start + delta) & 0xFFFF, (end + delta) & 0xFFFF
            highest = max(highest, last if first <= last else 0xFFFF)  # a wrap maps 0xFFFF too
            continue
        at = ranges_at + 2 * n + range_offset
        count = min(end - start + 1, max(0, (limit - at + 1) // 2))
        glyphs = struct.unpack_from(f">{count}H", font.data, at) if count else ()
        highest = max(highest, max(((glyph + delta) & 0xFFFF for glyph in glyphs if glyph), default=0))
    return highest


def _counted_range_highest(subtable: _Subtable, font: _Font) -> int:
    """Formats 6 and 10: reportlab takes the first code and the count as a range of glyphs."""
    first, count = (struct.unpack_from(">HH", subtable.data, 6) if subtable.format == 6
                    else struct.unpack_from(">II", subtable.data, 12))
    return first + count - 1 if count else 0


def _groups_highest(subtable: _Subtable, font: _Font) -> int:
    groups = _groups(subtable.data)
    if subtable.format == 13:
        return max((glyph for _, _, glyph in groups), default=0)
    return max((glyph + end - start for start, end, glyph in groups), default=0)


_HIGHEST_GLYPH = {0: _format0_highest, 2: lambda subtable, font: 0, 4: _format4_highest,
                  6: _counted_range_highest, 10: _counted_range_highest, 12: _groups_highest,
                  13: _groups_highest}


# In the order reportlab's reader needs them: counts from `head` and `maxp` bound the rest.
_TABLE_CHECKS = (
    ("head", _check_head), ("maxp", _check_maxp), ("hhea", _check_hhea_hmtx), ("loca", _check_loca),
    ("glyf", _check_glyf), ("OS/2", _check_os2), ("post", _check_post), ("name", _check_name),
    ("cmap", _check_cmap),
)
