"""Images from styles and reports: checked, decoded once by Pillow and cleaned.

Every renderer shows the same pixels: EXIF orientation is applied, transparency kept, CMYK and
16-bit images converted. The PDF draws them; the DOCX and HTML embed them as a PNG, encoded from
them (`png_of`). Hostile files are refused before Pillow decodes them: the declared size
bounds memory, and a walk of the file's own structure (JPEG segments and scans, PNG chunks) bounds
the decoding work, which a small file can otherwise multiply (100,000 empty progressive scans made
a 1 MB JPEG take minutes). Whatever Pillow still raises becomes an error at the style's logo line.
"""
from __future__ import annotations

import io
import re
import warnings
import weakref
from pathlib import Path

from ..diagnostics import Diagnostics, Span, excerpt
from .types import Image
from ..records import dataclass

MAX_PIXELS = 25_000_000
MAX_SIDE = 10_000
PRINT_SIDE = 3_000  # pixels, the longest side kept: 300 dpi over an A4 text column's full height
MAX_FILE_BYTES = 20 * 1024 * 1024
FORMATS = ("PNG", "JPEG")

# libjpeg decodes every scan over the whole image, so scans multiply the work a file may ask for.
# Encoders write 1 scan (baseline) or about 10 (libjpeg's progressive script; mozjpeg and
# jpegtran stay near 20); 100 is five times what any real image has.
MAX_JPEG_SCANS = 100
# Pixels times scans: 40 full scans at the 25 MP maximum, four times libjpeg's own progressive
# script, about a second of decoding at worst.
MAX_SCAN_PIXELS = 1_000_000_000
# Segments (APPn, DQT, DHT, SOS...) and stray bytes between them are parsed one by one in Python
# by Pillow, a few microseconds each: millions of 4-byte comments took seconds. Real files have a
# few dozen segments (a progressive one with 100 scans and their tables, a few hundred) and no
# stray bytes.
MAX_JPEG_SEGMENTS = 1_000
MAX_JPEG_STRAY_BYTES = 64 * 1024
# Pillow reads chunks one by one in Python: 1.5 million empty chunks took 9 s. libpng splits
# pixel data into 8 KB IDAT chunks, so a 20 MB PNG from it has about 2,600 chunks.
MAX_PNG_CHUNKS = 10_000

JPEG_SIGNATURE = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A marker is 0xFF then a code. 0x00 (a stuffed 0xFF in scan data), 0xFF (fill) and the restart
# and other codes without a length segment do not end the entropy-coded data of a scan; libjpeg
# skips anything else that does not start with 0xFF between segments.
_MARKER = re.compile(rb"\xff[^\x00\x01\xd0-\xd8\xff]")
_SOS, _EOI = 0xDA, 0xD9
_ORIENTATION_TAG = 0x0112
RE_EXPORT = "re-export it as PNG or JPEG"


@dataclass(frozen=True)
class JpegLayout:
    """What a walk of a JPEG's marker segments found; the counts stop just past their limits."""

    segments: int = 0
    scans: int = 0
    stray_bytes: int = 0


def load_image(path: Path, alt: str, span: Span, diagnostics: Diagnostics) -> Image | None:
    """The image at `path` decoded and cleaned, or None with an error naming the file at `span`."""
    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            diagnostics.error(span, f"image '{name}' is over {MAX_FILE_BYTES // 2**20} MB; use a smaller PNG or JPEG")
            return None
        data = path.read_bytes()
    except OSError as error:
        diagnostics.error(span, f"image '{name}' cannot be read: {error.strerror or error}")
        return None
    # Pillow warns (on stderr) about things such as corrupt EXIF data; reportc prints only its
    # own diagnostics, and what matters here is whether the pixels decode.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        decoded = _decode(data, name, span, diagnostics)
    if decoded is None:
        return None
    pixels, mode, (width, height), icc_profile = decoded
    return Image(pixels, mode, width, height, alt, icc_profile)


def pillow_image(image: Image):
    """The image's pixels as a Pillow image, for a renderer that draws pixels (the PDF's)."""
    from PIL import Image as Pillow

    return Pillow.frombytes(image.mode, (image.width_px, image.height_px), image.pixels)


def png_of(image: Image) -> bytes:
    """The image as a clean PNG, for the formats that embed an image file: encoded the first time
    one asks, and kept while the image lives (the DOCX and the HTML embed the same bytes)."""
    png = _PNGS.get(image)
    if png is None:
        png = _PNGS[image] = png_bytes(image)
    return png


_PNGS: "weakref.WeakKeyDictionary[Image, bytes]" = weakref.WeakKeyDictionary()


def png_bytes(image: Image) -> bytes:
    """The image as a clean PNG: its pixels, and the colour profile its file named."""
    pixels = pillow_image(image)
    if image.icc_profile:
        pixels.info["icc_profile"] = image.icc_profile
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def _decode(data: bytes, name: str, span: Span,
            diagnostics: Diagnostics) -> tuple[bytes, str, tuple[int, int], bytes | None] | None:
    """The picture in `data` decoded and cleaned: (pixels, mode, size, colour profile), or None
    with an error."""
    scans, problem = _structure(data)
    if problem:
        diagnostics.error(span, f"image '{name}' {problem}")
        return None
    picture = _open(data, name, span, diagnostics)
    if picture is None:
        return None
    with picture:
        problem = _size_problem(picture.size) or _work_problem(picture.size, scans)
        if problem:
            diagnostics.error(span, f"image '{name}' {problem}")
            return None
        try:
            picture.load()  # an animated PNG keeps its first frame
        except Exception as error:  # whatever Pillow raises on a bad file: never a traceback
            diagnostics.error(span, _undecodable(name, error))
            return None
        turn = _orientation(picture, name, span, diagnostics)
        try:
            clean = _for_print(_normalise(picture if turn is None else picture.transpose(turn)))
            return clean.tobytes(), clean.mode, clean.size, clean.info.get("icc_profile")
        except Exception as error:
            diagnostics.error(span, _undecodable(name, error))
            return None


def _structure(data: bytes) -> tuple[int, str | None]:
    """(JPEG scans to decode, a problem with the file's structure or None), before Pillow runs.
    Files of other formats are left to Pillow, which refuses them."""
    if data.startswith(JPEG_SIGNATURE):
        layout = jpeg_layout(data)
        return layout.scans, _jpeg_problem(layout)
    if data.startswith(PNG_SIGNATURE) and png_chunk_count(data) > MAX_PNG_CHUNKS:
        return 1, f"has over {MAX_PNG_CHUNKS:,} PNG chunks; {RE_EXPORT}"
    return 1, None


def jpeg_layout(data: bytes) -> JpegLayout:
    """Segments, scans and stray bytes of a JPEG, found as libjpeg reads it: segments by their
    lengths, each scan's entropy-coded data up to the next marker, up to EOI. Linear, and it
    stops once a count passes its limit. A truncated file ends the walk; Pillow reports it."""
    segments = scans = stray = 0
    position, in_scan = 2, False
    while segments <= MAX_JPEG_SEGMENTS and scans <= MAX_JPEG_SCANS and stray <= MAX_JPEG_STRAY_BYTES:
        marker = _MARKER.search(data, position)
        if marker is None:
            break
        if not in_scan:  # between segments anything before the marker is stray
            stray += marker.start() - position
        code = data[marker.start() + 1]
        if code == _EOI:
            break
        segments += 1
        length_at = marker.start() + 2
        length = int.from_bytes(data[length_at:length_at + 2], "big")
        position = length_at + max(length, 2)
        in_scan = code == _SOS
        scans += in_scan
    return JpegLayout(segments, scans, stray)


def _jpeg_problem(layout: JpegLayout) -> str | None:
    if layout.scans > MAX_JPEG_SCANS:
        return (f"has over {MAX_JPEG_SCANS} JPEG scans (real images have at most about 20); "
                f"{RE_EXPORT}")
    if layout.segments > MAX_JPEG_SEGMENTS:
        return f"has over {MAX_JPEG_SEGMENTS:,} JPEG segments; {RE_EXPORT}"
    if layout.stray_bytes > MAX_JPEG_STRAY_BYTES:
        return f"has over {MAX_JPEG_STRAY_BYTES // 1024} KB of stray bytes between its JPEG segments; {RE_EXPORT}"
    return None


def png_chunk_count(data: bytes) -> int:
    """Chunks of a PNG up to IEND, a truncated one or one past MAX_PNG_CHUNKS."""
    count, position = 0, len(PNG_SIGNATURE)
    while count <= MAX_PNG_CHUNKS and position + 8 <= len(data):
        length = int.from_bytes(data[position:position + 4], "big")
        kind = data[position + 4:position + 8]
        count += 1
        if kind == b"IEND":
            break
        position += 12 + length  # length, type, data, CRC
    return count


def _open(data: bytes, name: str, span: Span, diagnostics: Diagnostics):
    """Pillow's image, its header read and nothing decoded, or None with an error."""
    from PIL import Image as PILImage, UnidentifiedImageError

    try:
        return PILImage.open(io.BytesIO(data), formats=FORMATS)
    except UnidentifiedImageError:
        diagnostics.error(span, _unidentified(data, name))
    except PILImage.DecompressionBombError:  # Pillow's own limit, checked as it opens
        diagnostics.error(span, f"image '{name}' has over {MAX_PIXELS:,} pixels; use a smaller image")
    except Exception as error:
        diagnostics.error(span, _undecodable(name, error))
    return None


def _unidentified(data: bytes, name: str) -> str:
    # Pillow says "cannot identify" both for other formats and for a PNG or JPEG whose header it
    # cannot parse (a short SOF, a bad table): the signature tells the designer which it is.
    kind = "JPEG" if data.startswith(JPEG_SIGNATURE) else "PNG" if data.startswith(PNG_SIGNATURE) else None
    if kind:
        return f"image '{name}' is not a PNG or JPEG that can be read: its {kind} header is damaged; {RE_EXPORT}"
    return f"image '{name}' is not a PNG or JPEG (SVG, GIF and others are refused); export it as PNG"


def _size_problem(size: tuple[int, int]) -> str | None:
    width, height = size
    if width > MAX_SIDE or height > MAX_SIDE:
        return f"is {width}x{height} pixels; at most {MAX_SIDE:,} a side are allowed"
    if width * height > MAX_PIXELS:
        return f"has {width * height:,} pixels; at most {MAX_PIXELS:,} are allowed"
    return None


def _work_problem(size: tuple[int, int], scans: int) -> str | None:
    work = size[0] * size[1] * scans
    if work > MAX_SCAN_PIXELS:
        return (f"needs {work:,} pixels of decoding ({scans} scans of {size[0]}x{size[1]}); at most "
                f"{MAX_SCAN_PIXELS:,} are allowed; re-export it as PNG or as a non-progressive JPEG")
    return None


def _undecodable(name: str, error: Exception) -> str:
    if isinstance(error, MemoryError):
        return f"image '{name}' needs more memory to decode than there is; use a smaller PNG or JPEG"
    detail = excerpt(str(error)) or type(error).__name__
    if isinstance(error, (OSError, SyntaxError, ValueError, EOFError)):
        return f"image '{name}' cannot be read ({detail}); it may be corrupt or truncated: {RE_EXPORT}"
    return f"image '{name}' cannot be decoded ({detail}); {RE_EXPORT}"


def _orientation(picture, name: str, span: Span, diagnostics: Diagnostics):
    """The turn that shows the picture upright, from its EXIF (or XMP) orientation, or None.

    Only the orientation is read: Pillow's exif_transpose also rewrites the whole EXIF block, and
    raised TypeError or struct.error on a wrongly typed tag that reportc never uses. A designer
    expects the logo to appear even when its metadata is broken, so an unreadable orientation is
    a warning and the image is shown as stored."""
    from PIL.Image import Transpose

    turns = {2: Transpose.FLIP_LEFT_RIGHT, 3: Transpose.ROTATE_180, 4: Transpose.FLIP_TOP_BOTTOM,
             5: Transpose.TRANSPOSE, 6: Transpose.ROTATE_270, 7: Transpose.TRANSVERSE, 8: Transpose.ROTATE_90}
    try:
        value = picture.getexif().get(_ORIENTATION_TAG)
    except Exception as error:
        problem = f"its EXIF data cannot be read ({excerpt(str(error)) or type(error).__name__})"
    else:
        if value in (None, 0, 1):  # 0: written by some cameras for "unknown"
            return None
        if type(value) is int and value in turns:
            return turns[value]
        problem = f"its EXIF orientation {excerpt(repr(value))} is not a number from 1 to 8"
    diagnostics.warning(span, f"image '{name}': {problem}; it is shown as stored, so if it looks "
                              f"turned, {RE_EXPORT}")
    return None


def _for_print(picture):
    """At most PRINT_SIDE pixels a side, scaled down evenly: more is finer than print shows and
    costs every format memory and bytes (a 25-megapixel photograph took 450 MB to build)."""
    longest = max(picture.size)
    if longest <= PRINT_SIDE:
        return picture
    from PIL.Image import Resampling

    width, height = picture.size
    return picture.resize((max(1, round(width * PRINT_SIDE / longest)), max(1, round(height * PRINT_SIDE / longest))),
                          Resampling.LANCZOS)


def _normalise(picture):
    """RGB or RGBA 8-bit, whatever came in (CMYK, 16-bit grey, palette)."""
    if picture.mode in ("RGB", "RGBA"):
        return picture
    if picture.mode in ("P", "PA", "LA", "La") or "transparency" in picture.info:
        return picture.convert("RGBA")
    if picture.mode.startswith("I;16") or picture.mode == "I":
        return picture.point(lambda v: v / 256).convert("L").convert("RGB")
    return picture.convert("RGB")

