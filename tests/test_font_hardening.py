"""Fonts whose tables lie are refused at the style's font line, quickly and in bounded memory.

A cmap group spanning all of Unicode made reportlab build a dict entry per code point (6 to
12 GB); a `loca`, `hmtx` or `maxp` that disagreed with the font failed the build as "internal
error" at the source's 1:1. Each case here is a shipped Liberation font with one table patched.
"""
from __future__ import annotations

import resource
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compiler.diagnostics import Diagnostics
from compiler.style.fontcheck import font_problem
from compiler.style.types import Fonts

from .conftest import run_reportc

FONTS = Path(__file__).resolve().parent.parent / "styles" / "fonts"
LIBERATION = (FONTS / "LiberationSans-Regular.ttf").read_bytes()
GOOD = "title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"
MEMORY_LIMIT = 1024 * 2**20


def table_records(font: bytes) -> dict[str, tuple[int, int, int]]:
    """tag -> (index in the table directory, offset, length)."""
    count, = struct.unpack_from(">H", font, 4)
    records = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", font, 12 + 16 * index)
        records[tag.decode("latin-1")] = (index, offset, length)
    return records


def with_table(font: bytes, tag: str, table: bytes) -> bytes:
    """The font with one table replaced by new bytes appended at its end (checksums are not
    checked by reportlab, nor by reportc)."""
    index, _, _ = table_records(font)[tag]
    padded = bytearray(font + b"\0" * (-len(font) % 4))
    struct.pack_into(">II", padded, 12 + 16 * index + 8, len(padded), len(table))
    return bytes(padded) + table


def patched(font: bytes, tag: str, at: int, fmt: str, *values: int) -> bytes:
    """The font with values packed into one table, `at` bytes from its start."""
    _, offset, _ = table_records(font)[tag]
    data = bytearray(font)
    struct.pack_into(fmt, data, offset + at, *values)
    return bytes(data)


def with_table_length(font: bytes, tag: str, length: int) -> bytes:
    index, _, _ = table_records(font)[tag]
    data = bytearray(font)
    struct.pack_into(">I", data, 12 + 16 * index + 12, length)
    return bytes(data)


def format12_cmap(groups: list[tuple[int, int, int]], records: int = 1) -> bytes:
    """A cmap whose every record (Windows, full Unicode) points at one format 12 subtable."""
    subtable = struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups))
    subtable += b"".join(struct.pack(">III", *group) for group in groups)
    header = struct.pack(">HH", 0, records) + struct.pack(">HHI", 3, 10, 4 + 8 * records) * records
    return header + subtable


def first_composite_glyph(font: bytes) -> int:
    """Where the first composite glyph starts in the file."""
    records = table_records(font)
    _, head, _ = records["head"]
    _, maxp, _ = records["maxp"]
    _, loca, _ = records["loca"]
    _, glyf, _ = records["glyf"]
    long_offsets, = struct.unpack_from(">h", font, head + 50)
    count, = struct.unpack_from(">H", font, maxp + 4)
    offsets = struct.unpack_from(f">{count + 1}{'I' if long_offsets else 'H'}", font, loca)
    offsets = offsets if long_offsets else [offset * 2 for offset in offsets]
    for start, end in zip(offsets, offsets[1:]):
        if end > start and struct.unpack_from(">h", font, glyf + start)[0] < 0:
            return glyf + start
    raise AssertionError("no composite glyph in the font")


def broken_component() -> bytes:
    data = bytearray(LIBERATION)
    struct.pack_into(">H", data, first_composite_glyph(LIBERATION) + 12, 65000)
    return bytes(data)


_, LOCA, _ = table_records(LIBERATION)["loca"]
# name -> (the patched font, what the error must say)
CASES = {
    "unicode": (with_table(LIBERATION, "cmap", format12_cmap([(0, 0x10FFFF, 0)])),
                "maps over 262,144 code points in one 'cmap' subtable"),
    "repeated": (with_table(LIBERATION, "cmap", format12_cmap([(0, 0xFFFF, 0)] * 5)),
                 "maps over 262,144 code points in one 'cmap' subtable"),
    "subtables": (with_table(LIBERATION, "cmap", format12_cmap([(0, 0x3FFFF, 0)], records=5)),
                  "maps over 1,114,112 code points in its 'cmap' subtables together"),
    "groups": (with_table(LIBERATION, "cmap", struct.pack(">HHHHI", 0, 1, 3, 10, 12)
                          + struct.pack(">HHIII", 12, 0, 28, 0, 0x7FFFFFFF) + struct.pack(">III", 65, 65, 1)),
               "lists more groups than it holds"),
    "past-unicode": (with_table(LIBERATION, "cmap", format12_cmap([(0x41, 0x7FFFFFFF, 0)])),
                     "maps a code point past U+10FFFF"),
    "glyph-id": (with_table(LIBERATION, "cmap", format12_cmap([(0x41, 0x5A, 60000)])),
                 "maps characters to glyph 60025, past the font's 2620 glyphs"),
    "num-glyphs": (patched(LIBERATION, "maxp", 4, ">H", 65535), "'hmtx' table is 10480 bytes, under the"),
    "no-glyphs": (patched(LIBERATION, "maxp", 4, ">H", 0), "its 'maxp' table says the font has no glyphs"),
    "metrics": (patched(LIBERATION, "hhea", 34, ">H", 9000), "lists 9000 glyph metrics for 2620 glyphs"),
    "hmtx": (with_table_length(LIBERATION, "hmtx", 100), "'hmtx' table is 100 bytes, under the"),
    "loca-back": (patched(LIBERATION, "loca", 400, ">I", 0), "has glyph offsets that go backwards"),
    "loca-past": (patched(LIBERATION, "loca", 4 * 2620, ">I", 0x7FFFFFFF), "points past the end of the 'glyf'"),
    "magic": (patched(LIBERATION, "head", 12, ">I", 0xDEADBEEF), "has a wrong version or magic number"),
    "units": (patched(LIBERATION, "head", 18, ">H", 0), "gives 0 units per em"),
    "loca-format": (patched(LIBERATION, "head", 50, ">h", 7), "names an unknown 'loca' or glyph data format"),
    "component": (broken_component(), "made of glyph 65000, which does not exist"),
    "licence": (patched(LIBERATION, "OS/2", 8, ">H", 0x0002), "forbids embedding"),
    "name-count": (patched(LIBERATION, "name", 2, ">H", 0xFFFF), "'name' table is 2952 bytes, under the 786426"),
    "cmap-count": (patched(LIBERATION, "cmap", 2, ">H", 0xFFFF), "has 65535 character maps"),
    "no-unicode": (with_table(LIBERATION, "cmap", struct.pack(">HHHHI", 0, 1, 7, 0, 12) + struct.pack(">HHH", 6, 10, 0)
                              + struct.pack(">HH", 0, 0)), "has no Unicode character map"),
}


def write_project(root: Path, fonts: dict[str, bytes]) -> dict[str, str]:
    """One style and one source per font; returns name -> where the style names the font."""
    for folder in ("styles", "sources"):
        (root / folder).mkdir(exist_ok=True)
    lines = {}
    for name, font in fonts.items():
        (root / "styles" / f"{name}.ttf").write_bytes(font)
        (root / "styles" / f"{name}.yaml").write_text(f"extends: default\nfonts:\n  bold: {name}.ttf\n")
        (root / "sources" / f"{name}.yaml").write_text(f"style: {name}\n" + GOOD)
        lines[name] = f"styles/{name}.yaml:3:9: error: font '{name}.ttf' "
    return lines


def run_bounded(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real command line, in an address space of 1 GB: a font that expands into gigabytes
    fails with MemoryError instead of passing slowly."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, preexec_fn=limit)


def test_fonts_with_lying_tables_are_refused_by_validate_at_the_style_font_line(tmp_path):
    lines = write_project(tmp_path, {name: font for name, (font, _) in CASES.items()})
    started = time.perf_counter()
    result = run_bounded("validate", cwd=tmp_path)
    assert time.perf_counter() - started < 15
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    for name, (_, message) in CASES.items():
        assert lines[name] in result.stderr and message in result.stderr.split(lines[name], 1)[1].split("\n")[0], (
            name, result.stderr)
    assert "sources/" not in result.stderr  # a font problem is never reported at a source


def test_a_lying_cmap_is_refused_by_build_without_writing_anything(tmp_path):
    write_project(tmp_path, {"unicode": CASES["unicode"][0]})
    result = run_bounded("build", "--out", "out", "-j", "1", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "styles/unicode.yaml:3:9: error: font 'unicode.ttf' maps over 262,144 code points" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.pdf"))


def test_a_valid_font_named_by_a_style_still_builds(tmp_path):
    write_project(tmp_path, {"fine": (FONTS / "LiberationSans-Bold.ttf").read_bytes()})
    result = run_reportc("build", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out").glob("*.pdf")
    [pdf] = (tmp_path / "out").glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def with_tag(font: bytes, tag: str, replacement: bytes) -> bytes:
    index, _, _ = table_records(font)[tag]
    changed = bytearray(font)
    changed[12 + 16 * index:12 + 16 * index + 4] = replacement
    return bytes(changed)


def test_a_table_tag_that_is_no_text_is_refused_as_reportlab_cannot_read_it(tmp_path):
    """Found by the font fuzz target: fontcheck read tags as Latin-1, reportlab as UTF-8, and
    failed on a tag byte 0xFF of a font fontcheck had passed."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    font = tmp_path / "tag.ttf"
    font.write_bytes(with_tag(LIBERATION, "post", b"p\xffst"))
    with pytest.raises(TTFError):
        TTFont("TagFuzz", str(font))
    assert "has a table tag that is not ASCII" in font_problem(font)


def test_the_shipped_fonts_pass_in_milliseconds():
    for path in sorted(FONTS.glob("*.ttf")):
        started = time.perf_counter()
        assert font_problem(path) is None, path
        assert time.perf_counter() - started < 0.1, path


def test_a_font_reportlab_cannot_read_is_an_error_naming_the_font_and_style(tmp_path):
    # the last guard, past the style check: reportlab's own failure is the font's, not reportc's
    from compiler.render.pdf.fonts import register_fonts

    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"\0\1\0\0" + b"\0" * 40)
    good = FONTS / "LiberationSans-Regular.ttf"
    diagnostics = Diagnostics()
    fonts = Fonts(family="F", regular=good, bold=bad, italic=good, bold_italic=good)
    assert register_fonts(fonts, diagnostics, (tmp_path / "styles" / "s.yaml",)) is None
    [message] = [d.format() for d in diagnostics]
    assert message.startswith(f"{bad}:1:1: error: font 'bad.ttf' (named in the style '{tmp_path}/styles/s.yaml') "
                              "cannot be read by the PDF renderer ("), message
    assert message.endswith("); replace it with a complete copy of the font")
    assert "\n" not in message


def test_a_chain_of_styles_too_long_is_not_called_a_loop(tmp_path):
    from .test_regressions import validate

    files = {f"styles/s{n}.yaml": f"extends: s{n + 1}\n" for n in range(1, 9)}
    files["styles/s9.yaml"] = "extends: default\n"
    [message] = validate(tmp_path, "style: s1\n" + GOOD, files)
    assert message == ("styles/s8.yaml:1:10: error: extends: the chain of styles is too long: this would be "
                       "style 9 in a row from 'styles/s1.yaml', and a chain may be at most 8 styles; extend a "
                       "style nearer the end of the chain, or merge two of them")
    # eight styles in a row (s3 to s9 and default) are fine, and a real loop keeps its own message
    assert validate(tmp_path, "style: s3\n" + GOOD) == []
    (tmp_path / "styles" / "s9.yaml").write_text("extends: s3\n")
    [loop] = validate(tmp_path, "style: s3\n" + GOOD)
    assert loop == "styles/s9.yaml:1:10: error: extends: styles extend each other in a loop; remove one `extends`"
