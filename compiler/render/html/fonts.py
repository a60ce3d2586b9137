"""The style's TrueType faces as `@font-face` rules with WOFF data URIs.

WOFF 1.0 is the TrueType file with each table zlib-compressed: a lossless wrapping (the browser
gets back the very bytes of the file), which the SIL Open Font License and its FAQ allow for a
font with a Reserved Font Name such as Liberation; subsetting or dropping tables would make a
Modified Version that may not keep that name. It halves the size, using only the standard
library.

Which faces: the regular one is embedded, so body text looks the same everywhere. A bold face
is another 280 KB of data URI, which would take a typical report (25 pages, 66 KB of page) to
about 670 KB, over the 600 KB a web page should stay under; so bold text uses the reader's
installed bold of the family (or of its metric-compatible twin: Arial for Liberation Sans, on
every Windows and macOS) and, where there is none, the browser emboldens the regular face.
Italic text is slanted from the regular face the same way.

A face is embedded only when its OS/2 `fsType` allows embedding (not "restricted licence");
otherwise, or when the file cannot be read as TrueType, the page falls back to the system fonts
named in the stylesheet, and the build warns.
"""
from __future__ import annotations

import base64
import struct
import zlib
from functools import lru_cache
from pathlib import Path

from ...diagnostics import Diagnostics, Span
from ...style.glyphcoverage import fallback_runs
from ...style.types import Fonts
from .css import css_string
from ...records import dataclass

WOFF_SIGNATURE = b"wOFF"
ZLIB_LEVEL = 9  # fixed: the same input always gives the same bytes
MAX_TABLES = 64  # a real font has 10 to 30; bounds the directory read from an untrusted file
RESTRICTED_LICENCE = 0x0002  # fsType bit 1: must not be embedded...
EMBEDDABLE_BITS = 0x000C  # ...unless preview & print (bit 2) or editable (bit 3) embedding is also set


class FontProblem(ValueError):
    """Why a face is not embedded: the file is not TrueType, or its licence bits forbid it."""


# Families whose widths match another's glyph for glyph, so a reader's copy of the twin lays
# text out exactly as the style's own face would.
METRIC_TWINS = {"liberation sans": ("Arial",), "liberation serif": ("Times New Roman",),
                "liberation mono": ("Courier New",)}


def font_faces(fonts: Fonts, family: str, family_css: str, diagnostics: Diagnostics) -> str:
    """`@font-face` rules: the regular face embedded, bold from the reader's installed fonts."""
    rules = []
    path = fonts.regular
    try:
        woff = _woff_base64(path, *_file_identity(path))
        rules.append(f"@font-face{{font-family:{family_css};font-style:normal;font-weight:400;"
                     f"src:url(data:font/woff;base64,{woff}) format(\"woff\")}}")
    except (OSError, FontProblem) as error:
        diagnostics.warning(Span(str(path)), f"this font is not embedded in the HTML edition ({error}); "
                                             "readers see a system font instead")
    installed = [family, *METRIC_TWINS.get(family.casefold(), ())]
    local_bold = ",".join(f"local({css_string(name + ' Bold')})" for name in installed)
    rules.append(f"@font-face{{font-family:{family_css};font-style:normal;font-weight:700;src:{local_bold}}}")
    return "\n".join(rules)


@dataclass(frozen=True)
class FallbackFaces:
    families: tuple[str, ...]  # CSS strings, for the font stack after the style's family
    rules: str  # `@font-face` rules of those the page uses


def fallback_faces(fonts: Fonts, page_text: str, diagnostics: Diagnostics) -> FallbackFaces:
    """The style's fallback fonts: each named in the font stack (a reader who has it installed
    uses it), and embedded when the page has a character the PDF sets in it; one the page does
    not need is left out, so a broad fallback font does not weigh down every report."""
    used = fallback_runs(fonts).used(page_text)
    rules = []
    for index in sorted(used):
        path, family = fonts.fallback[index].path, css_string(fonts.fallback[index].family)
        try:
            woff = _woff_base64(path, *_file_identity(path))
            rules.append(f"@font-face{{font-family:{family};src:url(data:font/woff;base64,{woff}) format(\"woff\")}}")
        except (OSError, FontProblem) as error:
            diagnostics.warning(Span(str(path)), f"this fallback font is not embedded in the HTML edition ({error}); "
                                                 "readers see one of their own fonts instead")
    return FallbackFaces(tuple(css_string(font.family) for font in fonts.fallback), "\n".join(rules))


def _file_identity(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


@lru_cache(maxsize=16)
def _woff_base64(path: Path, size: int, mtime_ns: int) -> str:
    """Cached per file version: a batch build wraps each face once per process, not per report."""
    return base64.b64encode(woff_from_truetype(path.read_bytes())).decode("ascii")


def woff_from_truetype(data: bytes) -> bytes:
    """The WOFF 1.0 wrapping of a TrueType (or OpenType CFF) file, tables in tag order."""
    flavour, tables = _tables(data)
    _check_licence(tables)
    directory, blobs = [], []
    offset = 44 + 20 * len(tables)
    sfnt_size = 12 + 16 * len(tables)
    for tag, checksum, raw in tables:
        packed = zlib.compress(raw, ZLIB_LEVEL)
        stored = packed if len(packed) < len(raw) else raw  # WOFF stores a table raw when that is smaller
        directory.append(struct.pack(">4sIIII", tag, offset, len(stored), len(raw), checksum))
        padded = stored + b"\0" * (-len(stored) % 4)
        blobs.append(padded)
        offset += len(padded)
        sfnt_size += len(raw) + (-len(raw) % 4)
    header = struct.pack(">4sIIHHIHHIIIII", WOFF_SIGNATURE, flavour, offset, len(tables), 0, sfnt_size,
                         1, 0, 0, 0, 0, 0, 0)
    return header + b"".join(directory) + b"".join(blobs)


def _tables(data: bytes) -> tuple[int, list[tuple[bytes, int, bytes]]]:
    if len(data) < 12:
        raise FontProblem("the file is too short to be a TrueType font")
    flavour, count = struct.unpack(">IH", data[:6])
    if flavour not in (0x00010000, 0x4F54544F, 0x74727565):  # TrueType, 'OTTO', 'true'
        raise FontProblem("it is not a TrueType or OpenType font")
    if not 0 < count <= MAX_TABLES or len(data) < 12 + 16 * count:
        raise FontProblem("its table directory is damaged")
    tables = []
    for index in range(count):
        tag, checksum, start, length = struct.unpack(">4sIII", data[12 + 16 * index:28 + 16 * index])
        if start + length > len(data):
            raise FontProblem(f"its table {tag.decode('latin-1')!r} runs past the end of the file")
        tables.append((tag, checksum, data[start:start + length]))
    return flavour, sorted(tables)


def _check_licence(tables: list[tuple[bytes, int, bytes]]) -> None:
    os2 = next((raw for tag, _, raw in tables if tag == b"OS/2"), None)
    if os2 is None or len(os2) < 10:
        raise FontProblem("it has no OS/2 table saying whether it may be embedded")
    fs_type = struct.unpack(">H", os2[8:10])[0]
    if fs_type & RESTRICTED_LICENCE and not fs_type & EMBEDDABLE_BITS:
        raise FontProblem("its licence bits (OS/2 fsType) forbid embedding")
