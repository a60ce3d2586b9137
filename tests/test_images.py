"""Logos from designers: every odd image either embeds correctly in both formats or is refused
with a message naming the file at the style line. Test images are generated here with Pillow."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from compiler.style.images import MAX_PIXELS, png_of
from compiler.source.paths import Roots
from compiler.build.load import load_all
from compiler.build.report import BuildOptions, build_report

STYLE = "extends: default\nbrand:\n  name: B\n  logo: {name}\n"
SOURCE = "style: s\ntitle: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"


def encoded(picture: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(width: int, height: int, depth: int, colour_type: int, rows: bytes) -> bytes:
    """A PNG written by hand, for what Pillow does not write (16-bit RGB) or refuses (huge sizes)."""
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(rows))
            + png_chunk(b"IEND", b""))


def halves(mode: str, left, right, size=(64, 32)) -> Image.Image:
    """Left half one colour, right half another: orientation and colour are both checkable."""
    picture = Image.new(mode, size, left)
    picture.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return picture


def exif_rotated() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored as landscape, shown rotated 90° clockwise
    return encoded(halves("RGB", (255, 0, 0), (0, 0, 255)), "JPEG", exif=exif.tobytes(), quality=95)


def grey16() -> bytes:
    picture = Image.new("I;16", (64, 32))
    picture.putdata([65535 if x >= 32 else 0 for _ in range(32) for x in range(64)])
    return encoded(picture, "PNG")


def rgb16() -> bytes:
    white, black = b"\xff\xff" * 3, b"\x00\x00" * 3
    return raw_png(64, 32, 16, 2, b"".join(b"\x00" + black * 32 + white * 32 for _ in range(32)))


def animated_png() -> bytes:
    first, second = halves("RGB", (0, 255, 0), (0, 0, 0)), Image.new("RGB", (64, 32), (255, 0, 255))
    return encoded(first, "PNG", save_all=True, append_images=[second], duration=100)


def palette_with_transparency() -> bytes:
    picture = halves("P", 0, 1)
    picture.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    return encoded(picture, "PNG", transparency=0)


def corrupt_pixel_data() -> bytes:
    good = encoded(halves("RGB", (1, 2, 3), (4, 5, 6)), "PNG")
    start = good.index(b"IDAT") + 4
    return good[:start] + bytes(b ^ 0x5A for b in good[start:start + 20]) + good[start + 20:]


# name -> (file bytes, expected left colour, expected right colour, expected (width, height))
ACCEPTED = {
    "cmyk.jpg": (lambda: encoded(halves("CMYK", (255, 0, 0, 0), (0, 0, 0, 255)), "JPEG", quality=95),
                 (0, 255, 255), (0, 0, 0), (64, 32)),
    "grey16.png": (grey16, (0, 0, 0), (255, 255, 255), (64, 32)),
    "rgb16.png": (rgb16, (0, 0, 0), (255, 255, 255), (64, 32)),
    "rotated.jpg": (exif_rotated, None, None, (32, 64)),
    "animated.png": (animated_png, (0, 255, 0), (0, 0, 0), (64, 32)),
    "palette.png": (palette_with_transparency, None, (255, 0, 0), (64, 32)),
}

REFUSED = {
    "truncated.png": (lambda: encoded(Image.effect_noise((64, 32), 50), "PNG")[:1000],
                      "cannot be read (image file is truncated); it may be corrupt or truncated"),
    "truncated.jpg": (lambda: encoded(halves("RGB", (9, 9, 9), (200, 0, 0)), "JPEG")[:300],
                      "it may be corrupt or truncated"),
    "corrupt.png": (corrupt_pixel_data, "it may be corrupt or truncated"),
    "garbage.png": (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "is not a PNG or JPEG"),
    "empty.png": (lambda: b"", "is not a PNG or JPEG"),
    "logo.svg": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
                 "is not a PNG or JPEG (SVG, GIF and others are refused); export it as PNG"),
    "animated.gif": (lambda: encoded(Image.new("RGB", (8, 8)), "GIF", save_all=True,
                                     append_images=[Image.new("RGB", (8, 8), "red")]),
                     "is not a PNG or JPEG (SVG, GIF and others are refused); export it as PNG"),
    "tall.png": (lambda: raw_png(1, 10_001, 8, 0, b""), "is 1x10001 pixels; at most 10,000 a side are allowed"),
    "bomb.png": (lambda: raw_png(6_000, 6_000, 8, 2, b""),
                 f"has 36,000,000 pixels; at most {MAX_PIXELS:,} are allowed"),
    "pillow-bomb.png": (lambda: raw_png(50_000, 50_000, 8, 2, b""), f"has over {MAX_PIXELS:,} pixels"),
}


def project(tmp_path: Path, name: str, data: bytes) -> Path:
    (tmp_path / "styles").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "styles" / name).write_bytes(data)
    (tmp_path / "styles" / "s.yaml").write_text(STYLE.format(name=name))
    (tmp_path / "sources" / "r.yaml").write_text(SOURCE)
    return tmp_path


def load(tmp_path: Path, name: str, data: bytes):
    root = project(tmp_path, name, data)
    [loaded] = load_all([root / "sources" / "r.yaml"], Roots.at(root))
    return loaded


def check_pixels(picture: Image.Image, size, left, right) -> None:
    assert picture.size == size
    middle = size[1] // 2
    for colour, x in ((left, 4), (right, size[0] - 5)):
        if colour is not None:
            actual = picture.convert("RGB").getpixel((x, middle))
            assert all(abs(a - e) <= 8 for a, e in zip(actual, colour)), (actual, colour)


@pytest.mark.parametrize("name", REFUSED)
def test_refused_images_name_the_file_at_the_style_line(tmp_path, name):
    data, message = REFUSED[name]
    loaded = load(tmp_path, name, data())
    [error] = [d.format() for d in loaded.diagnostics]
    assert error.startswith(f"styles/s.yaml:4:9: error: image '{name}' ")
    assert message in error
    assert not loaded.ok


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_images_are_decoded_once_into_a_clean_png(tmp_path, name):
    data, left, right, size = ACCEPTED[name]
    loaded = load(tmp_path, name, data())
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    logo = loaded.style.logo
    clean = Image.open(io.BytesIO(png_of(logo)))
    assert clean.format == "PNG" and clean.mode in ("RGB", "RGBA")
    assert (logo.width_px, logo.height_px) == size
    check_pixels(clean, size, left, right)


def test_exif_rotation_is_applied():
    # stored 64x32 red|blue, orientation 6: shown 32x64 with red on top
    picture = Image.open(io.BytesIO(exif_rotated()))
    from PIL import ImageOps

    upright = ImageOps.exif_transpose(picture)
    assert upright.size == (32, 64)
    assert upright.getpixel((16, 4))[0] > 200 and upright.getpixel((16, 60))[2] > 200


def test_transparency_is_kept(tmp_path):
    loaded = load(tmp_path, "palette.png", palette_with_transparency())
    clean = Image.open(io.BytesIO(png_of(loaded.style.logo)))
    assert clean.mode == "RGBA"
    assert clean.getpixel((4, 16))[3] == 0 and clean.getpixel((60, 16)) == (255, 0, 0, 255)


@pytest.mark.parametrize("name", ["cmyk.jpg", "rgb16.png", "rotated.jpg", "palette.png"])
def test_both_formats_embed_the_same_clean_image(tmp_path, name):
    data, left, right, size = ACCEPTED[name]
    loaded = load(tmp_path, name, data())
    out = tmp_path / "out"
    build_report(loaded, BuildOptions(Roots.at(tmp_path), out))
    assert not loaded.diagnostics.has_errors, [d.format() for d in loaded.diagnostics]
    logo = loaded.style.logo
    with zipfile.ZipFile(out / "r.docx") as docx:
        media = [docx.read(n) for n in docx.namelist() if n.startswith("word/media/")]
    assert png_of(logo) in media
    with pikepdf.open(out / "r.pdf") as pdf:
        cover = pdf.pages[0]
        images = [pikepdf.PdfImage(image) for image in cover.get_images().values()]
        [image] = [i for i in images if (i.width, i.height) == size]
        embedded = image.as_pil_image()
    check_pixels(embedded, size, left, right)
    reference = Image.open(io.BytesIO(png_of(logo))).convert("RGB")
    assert embedded.convert("RGB").tobytes() == reference.tobytes()


def test_the_png_is_encoded_only_for_the_formats_that_embed_a_file_and_once(tmp_path, monkeypatch):
    from compiler.style import images

    encodings = []
    encode = images.png_bytes
    monkeypatch.setattr(images, "png_bytes", lambda image: encodings.append(image) or encode(image))
    data, left, right, size = ACCEPTED["rotated.jpg"]
    loaded = load(tmp_path, "rotated.jpg", data())
    build_report(loaded, BuildOptions(Roots.at(tmp_path), tmp_path / "pdf", formats=("pdf",)))
    assert (tmp_path / "pdf" / "r.pdf").exists() and encodings == []  # the PDF draws the pixels
    build_report(loaded, BuildOptions(Roots.at(tmp_path), tmp_path / "all", formats=("pdf", "docx", "html")))
    assert len(encodings) == 1


def test_pillow_warnings_never_reach_the_output(tmp_path):
    # Pillow warned "Corrupt EXIF data" on stderr, between reportc's FILE:LINE:COL lines
    import warnings

    broken_exif = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\xff\xff\xff\xff"
    data = encoded(halves("RGB", (255, 0, 0), (0, 0, 255)), "JPEG", exif=broken_exif)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = load(tmp_path, "exif.jpg", data)
    assert loaded.ok and not caught


def test_an_image_larger_than_print_needs_is_scaled_down_to_3000_pixels_a_side(tmp_path):
    from compiler.diagnostics import Diagnostics, Span
    from compiler.style.images import PRINT_SIDE, load_image

    path = tmp_path / "photo.png"
    Image.new("RGB", (5000, 4000), (200, 30, 30)).save(path)
    image = load_image(path, "A red field", Span("r.yaml", 1, 1), Diagnostics())
    assert (image.width_px, image.height_px) == (PRINT_SIDE, 2400)
    assert Image.open(io.BytesIO(png_of(image))).size == (PRINT_SIDE, 2400)
    small = tmp_path / "small.png"
    Image.new("RGB", (800, 600), (0, 0, 0)).save(small)
    assert load_image(small, "", Span("r.yaml", 1, 1), Diagnostics()).width_px == 800  # untouched
