"""Hostile logos: files small on disk that ask for huge decoding work, and malformed headers or
EXIF that made Pillow raise. Each is refused with one error at the style's logo line, quickly and
in bounded memory, or (broken metadata on good pixels) shown with a warning. Files are made here."""
from __future__ import annotations

import io
import random
import resource
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from compiler.diagnostics import Diagnostics, Span
from compiler.style.images import (MAX_JPEG_SCANS, MAX_JPEG_SEGMENTS, MAX_PNG_CHUNKS, MAX_SCAN_PIXELS,
                                   load_image, png_of)

from .conftest import ROOT
from .test_images import encoded, halves, load, png_chunk, project

LOGO_LINE = "styles/s.yaml:4:9"
MEMORY_LIMIT = 1536 * 2**20


def validate(root: Path, timeout: float = 20) -> tuple[subprocess.CompletedProcess, float]:
    """The real command line, in bounded memory and time; returns the result and its seconds."""
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "compiler", "validate", "sources/r.yaml"], cwd=root,
                            capture_output=True, text=True, timeout=timeout, preexec_fn=limit_memory,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return result, time.monotonic() - started


# --- JPEG structure ---------------------------------------------------------------------------

def progressive(size=(64, 32)) -> bytes:
    return encoded(halves("RGB", (255, 0, 0), (0, 0, 255), size), "JPEG", progressive=True, quality=90)


def first_scan_header(jpeg: bytes) -> bytes:
    start = jpeg.index(b"\xff\xda")
    length = struct.unpack(">H", jpeg[start + 2:start + 4])[0]
    return jpeg[start:start + 2 + length]


def with_empty_scans(jpeg: bytes, count: int) -> bytes:
    """`count` more scans before EOI, each a repeated scan header with no data: libjpeg warns
    and still walks the whole image for each one."""
    end = jpeg.rindex(b"\xff\xd9")
    return jpeg[:end] + first_scan_header(jpeg) * count + jpeg[end:]


def with_size(jpeg: bytes, width: int, height: int) -> bytes:
    """The frame header (SOF2) claiming another size; the few real bytes then decode as missing."""
    sof = jpeg.index(b"\xff\xc2")
    return jpeg[:sof + 5] + struct.pack(">HH", height, width) + jpeg[sof + 9:]


def after_app0(jpeg: bytes, inserted: bytes) -> bytes:
    """`inserted` after the first segment (JFIF), where Pillow still parses in Python."""
    end = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:end] + inserted + jpeg[end:]


def test_thousands_of_empty_scans_are_refused_fast(tmp_path):
    # 100,000 such scans on 25 MP took 126 s; 20,000 on 4 MP took about 5 s and passed
    data = with_empty_scans(progressive((2000, 2000)), 20_000)
    assert len(data) < 400_000
    result, seconds = validate(project(tmp_path, "scans.jpg", data))
    assert result.returncode == 1, result.stderr
    assert f"{LOGO_LINE}: error: image 'scans.jpg' has over {MAX_JPEG_SCANS} JPEG scans" in result.stderr
    assert "re-export it as PNG or JPEG" in result.stderr and "Traceback" not in result.stderr
    assert seconds < 5


def test_scans_times_pixels_is_bounded(tmp_path):
    # 50 scans is under the scan limit, but 50 scans of 25 MP is too much work
    data = with_size(with_empty_scans(progressive(), 40), 5000, 5000)
    loaded = load(tmp_path, "work.jpg", data)
    [error] = [d.format() for d in loaded.diagnostics]
    assert error.startswith(f"{LOGO_LINE}: error: image 'work.jpg' needs 1,250,000,000 pixels of decoding "
                            f"(50 scans of 5000x5000); at most {MAX_SCAN_PIXELS:,} are allowed")


def test_real_progressive_jpegs_are_accepted(tmp_path):
    loaded = load(tmp_path, "photo.jpg", with_empty_scans(progressive(), MAX_JPEG_SCANS - 10))
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    assert (loaded.style.logo.width_px, loaded.style.logo.height_px) == (64, 32)


FLOODS = {  # name -> (bytes inserted after APP0, message)
    "comments.jpg": (b"\xff\xfe\x00\x02" * 100_000, f"has over {MAX_JPEG_SEGMENTS:,} JPEG segments"),
    "markers.jpg": (b"\xff\xe5\x00\x02" * 100_000, f"has over {MAX_JPEG_SEGMENTS:,} JPEG segments"),
    "fill.jpg": (b"\xff" * 1_000_000, "has over 64 KB of stray bytes between its JPEG segments"),
    "garbage.jpg": (b"\x01" * 1_000_000, "has over 64 KB of stray bytes between its JPEG segments"),
}


@pytest.mark.parametrize("name", FLOODS)
def test_segment_floods_are_refused_before_pillow_parses_them(tmp_path, name):
    inserted, message = FLOODS[name]
    # Pillow reads these one by one in Python: 5 MB of fill bytes took 6 s
    result, seconds = validate(project(tmp_path, name, after_app0(progressive(), inserted)))
    assert result.returncode == 1
    assert f"{LOGO_LINE}: error: image '{name}' {message}; re-export it as PNG or JPEG" in result.stderr
    assert seconds < 5


# --- PNG structure ----------------------------------------------------------------------------

def test_png_chunk_floods_are_refused(tmp_path):
    # 1.5 million empty chunks took Pillow 9 s and 200 MB
    good = encoded(halves("RGB", (1, 2, 3), (4, 5, 6)), "PNG")
    iend = good.rindex(b"IEND") - 4
    data = good[:iend] + png_chunk(b"tEXt", b"k\x00v") * (MAX_PNG_CHUNKS * 2) + good[iend:]
    result, seconds = validate(project(tmp_path, "chunks.png", data))
    assert result.returncode == 1
    assert (f"{LOGO_LINE}: error: image 'chunks.png' has over {MAX_PNG_CHUNKS:,} PNG chunks; "
            "re-export it as PNG or JPEG") in result.stderr
    assert seconds < 5


def adam7_rows(width: int, height: int, channels: int) -> bytes:
    """Zero pixel data for an interlaced image: each of the seven passes is a small image."""
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
    compressor, parts = zlib.compressobj(), []
    for x0, y0, dx, dy in passes:
        columns, rows = -(-(width - x0) // dx), -(-(height - y0) // dy)
        row = bytes(1 + channels * columns)
        parts += [compressor.compress(row) for _ in range(rows)]
    return b"".join(parts) + compressor.flush()


def test_a_large_interlaced_png_decodes_in_bounded_memory(tmp_path):
    # Adam7 at the largest allowed size: seven passes, still one image's worth of memory
    width, height = 5000, 5000
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)
    data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", adam7_rows(width, height, 3))
            + png_chunk(b"IEND", b""))
    result, seconds = validate(project(tmp_path, "adam7.png", data), timeout=60)
    assert result.returncode == 0, result.stderr
    assert seconds < 15


# --- Malformed headers and EXIF ---------------------------------------------------------------

def tiff(entries: list[tuple[int, int, int, bytes]]) -> bytes:
    """An EXIF block by hand (big-endian TIFF, one IFD), for tags of the wrong type."""
    head = b"Exif\x00\x00MM\x00*" + struct.pack(">IH", 8, len(entries))
    data_at, extra, body = 8 + 2 + 12 * len(entries) + 4, b"", b""
    for tag, kind, count, value in entries:
        if len(value) <= 4:
            body += struct.pack(">HHI", tag, kind, count) + value.ljust(4, b"\x00")
        else:
            body += struct.pack(">HHII", tag, kind, count, data_at + len(extra))
            extra += value
    return head + body + b"\x00\x00\x00\x00" + extra


ORIENTATION_6 = (0x0112, 3, 1, b"\x00\x06")
ASCII, SHORT, LONG, RATIONAL, UNDEFINED = 2, 3, 4, 5, 7


@pytest.mark.parametrize("name, tag", [
    ("ascii-xresolution.jpg", (0x011A, ASCII, 6, b"72/1x\x00")),      # was TypeError
    ("undefined-xresolution.jpg", (0x011A, UNDEFINED, 5, b"\x00Habc")),  # was TypeError
    ("ascii-width.jpg", (0x0100, ASCII, 4, b"abc\x00")),                # was struct.error
    ("rational-make.jpg", (0x010F, RATIONAL, 1, struct.pack(">II", 1, 2))),  # was AttributeError
])
def test_wrongly_typed_exif_tags_do_not_stop_the_logo(tmp_path, name, tag):
    # Pillow's exif_transpose rewrote the whole EXIF block and raised on these; only the
    # orientation matters to reportc, and it is read and applied
    data = encoded(halves("RGB", (255, 0, 0), (0, 0, 255)), "JPEG", exif=tiff([ORIENTATION_6, tag]), quality=95)
    loaded = load(tmp_path, name, data)
    assert loaded.ok and not loaded.diagnostics.items, [d.format() for d in loaded.diagnostics]
    upright = Image.open(io.BytesIO(png_of(loaded.style.logo))).convert("RGB")
    assert upright.size == (32, 64)
    assert upright.getpixel((16, 4))[0] > 200 and upright.getpixel((16, 60))[2] > 200


@pytest.mark.parametrize("name, orientation, shown", [
    ("ascii-orientation.jpg", (0x0112, ASCII, 2, b"6\x00"), "'6'"),
    ("orientation-9.jpg", (0x0112, SHORT, 1, b"\x00\x09"), "9"),
    ("orientation-65535.jpg", (0x0112, SHORT, 1, b"\xff\xff"), "65535"),
])
def test_an_unreadable_orientation_is_a_warning_and_the_image_is_shown_as_stored(tmp_path, name,
                                                                                orientation, shown):
    data = encoded(halves("RGB", (255, 0, 0), (0, 0, 255)), "JPEG", exif=tiff([orientation]))
    loaded = load(tmp_path, name, data)
    [warning] = [d.format() for d in loaded.diagnostics]
    assert warning == (f"{LOGO_LINE}: warning: image '{name}': its EXIF orientation {shown} is not a "
                       "number from 1 to 8; it is shown as stored, so if it looks turned, re-export it "
                       "as PNG or JPEG")
    assert loaded.ok and loaded.style.logo.width_px == 64


def damaged_headers() -> dict[str, bytes]:
    good = progressive()
    sof, app0 = good.index(b"\xff\xc2"), good.index(b"\xff\xe0")
    return {
        "short-sof.jpg": good[:sof + 2] + b"\x00\x05" + good[sof + 4:],
        "no-components.jpg": good[:sof + 9] + b"\x00" + good[sof + 10:],
        "zero-width.jpg": good[:sof + 7] + b"\x00\x00" + good[sof + 9:],
        "short-dqt.jpg": good.replace(b"\xff\xdb\x00\x43", b"\xff\xdb\x00\x03", 1),
        "huge-app0.jpg": good[:app0 + 2] + b"\xff\xff" + good[app0 + 4:],
        "cut-in-sof.jpg": good[:sof + 6],
    }


@pytest.mark.parametrize("name", damaged_headers())
def test_damaged_jpeg_headers_say_so(tmp_path, name):
    # Pillow turned these into "cannot identify", which read as "not a PNG or JPEG" for a JPEG
    loaded = load(tmp_path, name, damaged_headers()[name])
    [error] = [d.format() for d in loaded.diagnostics]
    assert error.startswith(f"{LOGO_LINE}: error: image '{name}' ")
    assert ("its JPEG header is damaged" in error or "it may be corrupt or truncated" in error), error
    assert error.endswith("re-export it as PNG or JPEG")


def mutants(count: int) -> list[bytes]:
    """A JPEG with EXIF (orientation 6 and typed tags) and an ICC profile, with a few header
    bytes changed at random (seeded): every kind of malformed segment Pillow parses."""
    exif = Image.Exif()
    exif.update({0x0112: 6, 0x011A: 72.0, 0x0110: "camera", 0x8769: {0x9003: "2020:01:01 00:00:00"}})
    base = encoded(Image.new("RGB", (40, 24), "red"), "JPEG", exif=exif.tobytes(), progressive=True,
                   icc_profile=b"x" * 200)
    header_end = base.index(b"\xff\xda")
    rng = random.Random(17)
    out = []
    for _ in range(count):
        data = bytearray(base)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(2, header_end)] = rng.randrange(256)
        out.append(bytes(data))
    return out


def test_any_malformed_header_is_one_positioned_diagnostic_never_an_exception(tmp_path):
    # before: TypeError, struct.error and AttributeError escaped from some of these
    path = tmp_path / "logo.jpg"
    span = Span("styles/s.yaml", 4, 9)
    for data in mutants(1500):
        path.write_bytes(data)
        diagnostics = Diagnostics()
        image = load_image(path, "", span, diagnostics)
        assert all(d.span == span for d in diagnostics), [d.format() for d in diagnostics]
        assert (image is None) == diagnostics.has_errors
        assert len(diagnostics.errors) <= 1
