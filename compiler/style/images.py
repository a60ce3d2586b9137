"""Images from styles: checked, decoded once by Pillow and re-encoded as a clean PNG.

Both renderers embed the same bytes, EXIF orientation is applied, transparency kept, CMYK and
16-bit images converted. Decompression bombs are refused from the header, before decoding.
"""
from __future__ import annotations

import io
import warnings
from pathlib import Path

from ..diagnostics import Diagnostics, Span
from .types import Image

MAX_PIXELS = 25_000_000
MAX_SIDE = 10_000
MAX_FILE_BYTES = 20 * 1024 * 1024
FORMATS = ("PNG", "JPEG")


def load_image(path: Path, alt: str, span: Span, diagnostics: Diagnostics) -> Image | None:
    """The image at `path` as a clean PNG, or None with an error naming the file at `span`."""
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
        clean = _decode(data, name, span, diagnostics)
    if clean is None:
        return None
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=False, compress_level=6)
    return Image(out.getvalue(), clean.width, clean.height, alt)


def _decode(data: bytes, name: str, span: Span, diagnostics: Diagnostics):
    from PIL import Image as PILImage, ImageOps, UnidentifiedImageError

    try:
        with PILImage.open(io.BytesIO(data), formats=FORMATS) as picture:
            problem = _size_problem(picture.size)
            if problem:
                diagnostics.error(span, f"image '{name}' {problem}")
                return None
            picture.load()  # an animated PNG keeps its first frame
            return _normalise(ImageOps.exif_transpose(picture))
    except UnidentifiedImageError:
        diagnostics.error(span, f"image '{name}' is not a PNG or JPEG (SVG, GIF and others are refused); "
                                "export it as PNG")
    except PILImage.DecompressionBombError:  # Pillow's own limit, checked as it opens
        diagnostics.error(span, f"image '{name}' has over {MAX_PIXELS:,} pixels; use a smaller image")
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        diagnostics.error(span, f"image '{name}' cannot be read ({error}); it may be corrupt or truncated")
    return None


def _size_problem(size: tuple[int, int]) -> str | None:
    width, height = size
    if width > MAX_SIDE or height > MAX_SIDE:
        return f"is {width}x{height} pixels; at most {MAX_SIDE:,} a side are allowed"
    if width * height > MAX_PIXELS:
        return f"has {width * height:,} pixels; at most {MAX_PIXELS:,} are allowed"
    return None


def _normalise(picture):
    """RGB or RGBA 8-bit, whatever came in (CMYK, 16-bit grey, palette)."""
    if picture.mode in ("RGB", "RGBA"):
        return picture
    if picture.mode in ("P", "PA", "LA", "La") or "transparency" in picture.info:
        return picture.convert("RGBA")
    if picture.mode.startswith("I;16") or picture.mode == "I":
        return picture.point(lambda v: v / 256).convert("L").convert("RGB")
    return picture.convert("RGB")
