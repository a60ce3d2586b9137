"""Inputs that once crashed or hung reportc, found by the property tests and the fuzz target.

Each case is the smallest input that showed the bug; it must now end in diagnostics with a
position, quickly, and never in an exception.
"""
from __future__ import annotations

import time
from pathlib import Path

from compiler.source.paths import Roots
from compiler.build.load import load_all

GOOD = "title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"


def validate(tmp_path: Path, text: str, files: dict[str, str] | None = None) -> list[str]:
    """Diagnostics of one source written into a fresh project, as the command line prints them."""
    for name, content in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    source = tmp_path / "sources" / "r.yaml"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    [loaded] = load_all([source], Roots.at(tmp_path))
    return [d.format() for d in loaded.diagnostics]


def test_a_path_too_long_for_the_file_system_is_an_error_not_a_crash(tmp_path):
    # ENAMETOOLONG from stat() escaped Path.is_file()
    [message] = validate(tmp_path, f"style: {'x' * 300}\n" + GOOD)
    assert message.startswith("sources/r.yaml:1:8: error: style ")
    [message] = validate(tmp_path, f"style: {'a/' * 3000}s.yaml\n" + GOOD)
    assert message.startswith("sources/r.yaml:1:8: error: style ") and "does not exist" in message


def test_a_number_with_thousands_of_digits_is_out_of_range(tmp_path):
    # int() refuses over 4,300 digits (ValueError) and the message quoted all of them
    text = GOOD + f"    questions:\n      - number: {'9' * 5000}\n        title: Q\n"
    [message] = validate(tmp_path, text)
    assert message.startswith("sources/r.yaml:7:17: error: pillar 1 (P), question 1 (Q), `number`: '99999")
    assert message.endswith("…' is out of range; use 1 to 9999")
    assert len(message) < 200


def test_a_style_number_with_thousands_of_digits_is_out_of_range(tmp_path):
    [message] = validate(tmp_path, "style: big\n" + GOOD, {"styles/big.yaml": f"fonts:\n  size: {'1' * 5000}.5\n"})
    assert message.startswith("styles/big.yaml:2:9: error: `fonts.size`: '1111") and "out of range" in message


def test_messages_quote_long_values_shortened(tmp_path):
    long = "x" * 100_000
    messages = validate(tmp_path, f"title: T\nsubject: S\n{long[:1000]}: 1\npublished: {long}\n"
                                  f"pillars:\n  - title: '[a](ftp://{long})'\n    grade: {long}\n")
    for kind in ("unknown key", "is not a valid date", "link 'ftp://", "unknown grade", "characters long"):
        assert any(kind in message for message in messages), (kind, messages)
    assert all(len(message) < 300 for message in messages), messages


def test_label_templates_allow_only_their_placeholders(tmp_path):
    # labels went to str.format: "{" raised ValueError while loading the style (logo_alt) or
    # composing (carried_over), "{year:>999999999}" asked for a gigabyte, "{year.__class__}"
    # read attributes
    style = ("labels:\n"
             "  logo_alt: 'Logo of {'\n"
             "  carried_over: '{year:>999999999}'\n"
             "  questions_for: '{pillar.__class__}'\n"
             "  detailed_findings: 'See {0}'\n"
             "  page_x_of_y: '{page} of {total}'\n"
             "  version: 'v{version}'\n"
             "  contents: 'Contents {'\n")
    assert validate(tmp_path, "style: s\n" + GOOD, {"styles/s.yaml": style}) == [
        "styles/s.yaml:2:13: error: `labels.logo_alt`: braces may only enclose a placeholder ({brand}); "
        "remove the others",
        "styles/s.yaml:3:17: error: `labels.carried_over`: braces may only enclose a placeholder ({year}); "
        "remove the others",
        "styles/s.yaml:4:18: error: `labels.questions_for`: braces may only enclose a placeholder ({pillar}); "
        "remove the others",
        "styles/s.yaml:5:22: error: `labels.detailed_findings`: braces may only enclose a placeholder "
        "({number}); remove the others",
        "styles/s.yaml:6:16: error: `labels.page_x_of_y`: unknown placeholder {total}; this label may use "
        "{page} and {pages}",
    ]


def test_a_huge_style_is_refused_after_reading_at_most_the_limit(tmp_path):
    # the whole file was read into memory before its size was checked
    (tmp_path / "styles").mkdir()
    with open(tmp_path / "styles" / "huge.yaml", "wb") as stream:
        stream.truncate(8 * 2**30)  # sparse: 8 GB that take no disk
    started = time.perf_counter()
    [message] = validate(tmp_path, "style: huge\n" + GOOD)
    assert message == ("styles/huge.yaml:1:1: error: file is 8,589,934,592 bytes, over the 2,097,152-byte "
                       "limit; split the report or move large text out")
    assert time.perf_counter() - started < 5


def test_a_file_that_cannot_be_read_is_an_error():
    from compiler.diagnostics import Diagnostics
    from compiler.source.yamltree import load_file

    diagnostics = Diagnostics()
    assert load_file(Path(__file__).parent, "tests", diagnostics) is None
    assert [d.format() for d in diagnostics] == ["tests:1:1: error: cannot read the file: Is a directory"]


def test_hostile_nesting_is_refused_quickly_and_never_crashes_a_build(tmp_path):
    # yaml.compose (used to peek at ids before a batch build) recursed once per level in C and
    # the build died with SIGSEGV; libyaml also took a minute on 100,000 levels before the
    # loader's depth check saw them, as it scanned the whole nest.
    from .conftest import run_reportc

    depth = 100_000
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "lists.yaml").write_text("a: " + "[" * depth + "]" * depth + "\n")
    (tmp_path / "sources" / "maps.yaml").write_text("a: " + "{a: " * depth + "}" * depth + "\n")
    (tmp_path / "sources" / "ok.yaml").write_text(GOOD)
    started = time.perf_counter()
    result = run_reportc("build", "--out", "out", cwd=tmp_path)
    assert time.perf_counter() - started < 60
    assert result.returncode == 1, result.stderr
    assert "sources/lists.yaml:1:35: error: nesting deeper than 32 levels" in result.stderr
    assert "sources/maps.yaml:1:" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("ok.*")) == ["ok.docx", "ok.pdf"]


FONTS = Path(__file__).resolve().parent.parent / "styles" / "fonts"


def test_style_fonts_must_be_truetype(tmp_path):
    # a garbage, PNG or CFF font reached reportlab and ended as "internal error" at the source's 1:1
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "noise.ttf").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "styles" / "logo.ttf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (tmp_path / "styles" / "cff.otf").write_bytes(b"OTTO" + b"\x00" * 100)
    style = "extends: default\nfonts:\n  regular: noise.ttf\n  bold: logo.ttf\n  italic: cff.otf\n"
    assert validate(tmp_path, "style: s\n" + GOOD, {"styles/s.yaml": style}) == [
        "styles/s.yaml:3:12: error: font 'noise.ttf' is not a TrueType font (.ttf); replace it with the font's "
        "TrueType (.ttf) file",
        "styles/s.yaml:4:9: error: font 'logo.ttf' is a PNG image, not a TrueType font (.ttf); replace it with the "
        "font's TrueType (.ttf) file",
        "styles/s.yaml:5:11: error: font 'cff.otf' has PostScript (CFF) outlines; reportc embeds TrueType fonts "
        "(.ttf) only",
    ]


def test_a_truncated_font_is_reported_at_its_style_line(tmp_path):
    from .conftest import run_reportc

    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "cut.ttf").write_bytes((FONTS / "LiberationSans-Regular.ttf").read_bytes()[:100_000])
    (tmp_path / "styles" / "s.yaml").write_text("extends: default\nfonts:\n  regular: cut.ttf\n")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text("style: s\n" + GOOD)
    result = run_reportc("build", "--out", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "styles/s.yaml:3:12: error: font 'cut.ttf'" in result.stderr, result.stderr


def test_a_font_is_checked_table_by_table(tmp_path):
    import struct

    from compiler.style.loader import font_problem

    whole = (FONTS / "LiberationSans-Regular.ttf").read_bytes()
    assert font_problem(FONTS / "LiberationSans-Regular.ttf") is None
    (tmp_path / "header.ttf").write_bytes(whole[:8])
    (tmp_path / "directory.ttf").write_bytes(whole[:40])
    # the 'glyf' record renamed: every table inside the file, one the font cannot do without missing
    count = struct.unpack(">H", whole[4:6])[0]
    records = [whole[12 + 16 * i: 28 + 16 * i] for i in range(count)]
    renamed = whole[:12] + b"".join(b"glyX" + r[4:] if r[:4] == b"glyf" else r for r in records) + whole[12 + 16 * count:]
    (tmp_path / "noglyf.ttf").write_bytes(renamed)
    assert font_problem(tmp_path / "header.ttf") == ("is damaged or cut short (it ends inside its header); "
                                                      "replace it with a complete copy of the font")
    assert "(it ends inside its table directory)" in font_problem(tmp_path / "directory.ttf")
    assert "(it has no 'glyf' table)" in font_problem(tmp_path / "noglyf.ttf")


def test_noncharacters_are_refused_at_their_position(tmp_path):
    # libyaml refused U+FFFE itself: the error had no position and a message over two lines
    [message] = validate(tmp_path, "title: T\nsubject: '\ufffe'\n" + GOOD.split("\n", 2)[2])
    assert message == ("sources/r.yaml:2:11: error: character U+FFFE (noncharacter) is not allowed; "
                       "delete it (only tab and newline may appear)")


def test_every_diagnostic_is_one_line(tmp_path):
    # a quoted key or value may hold line breaks; tools read diagnostics line by line
    messages = validate(tmp_path, GOOD + '    "a\\nb\\u2028c": 1\n    grade: "x\\ry"\n')
    assert messages and all("\n" not in m and "\r" not in m and "\u2028" not in m for m in messages)
    assert any("unknown key `a\\nb\\u2028c`" in m for m in messages), messages


def test_positions_count_lines_as_editors_do(tmp_path):
    # libyaml ends lines at U+2028 and U+2029 too (YAML 1.1); editors do not, so every position
    # after one was a line too far
    text = "title: 'a\u2028b\u2029c'\nsubject: S\r\npillars:\r  - title: P\n    grade: meh\n"
    assert validate(tmp_path, text) == [
        "sources/r.yaml:5:12: error: unknown grade 'meh'; the style 'default' has: Outstanding, Good, "
        "Requires improvement, Inadequate, Ungraded"]


def test_a_command_line_path_too_long_for_the_file_system_is_an_error():
    from .conftest import run_reportc

    result = run_reportc("validate", "a" * 300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("a" * 300 + ":1:1: error: no such file or folder")


def test_a_source_that_cannot_be_read_is_an_error(tmp_path):
    # sources were read whole with read_bytes(): an OSError escaped, a huge file was read into memory
    (tmp_path / "sources").mkdir()
    with open(tmp_path / "sources" / "huge.yaml", "wb") as stream:
        stream.truncate(4 * 2**30)
    [loaded] = load_all([tmp_path / "sources" / "huge.yaml"], Roots.at(tmp_path))
    assert [d.format() for d in loaded.diagnostics] == [
        "sources/huge.yaml:1:1: error: file is 4,294,967,296 bytes, over the 2,097,152-byte limit; "
        "split the report or move large text out"]


def test_a_huge_source_costs_a_build_no_time(tmp_path):
    # the batch hashed every source before loading it: 4 GB took 9 s, and a bigger file longer
    from .conftest import run_reportc

    (tmp_path / "sources").mkdir()
    with open(tmp_path / "sources" / "huge.yaml", "wb") as stream:
        stream.truncate(64 * 2**30)
    (tmp_path / "sources" / "ok.yaml").write_text(GOOD)
    started = time.perf_counter()
    result = run_reportc("build", "--jobs", "1", "--out", "out", cwd=tmp_path)
    assert time.perf_counter() - started < 10
    assert result.returncode == 1 and "sources/huge.yaml:1:1: error: file is 68,719,476,736 bytes" in result.stderr
    assert (tmp_path / "out" / "ok.pdf").exists()


def test_a_zip_bomb_for_review_is_refused_before_it_is_decompressed(tmp_path):
    # review read every part whole: a 1.5 GB document.xml (1.5 MB zipped) took 8 s and 3 GB
    import zipfile

    from .conftest import run_reportc

    bomb = tmp_path / "returned.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(65):
                part.write(b" " * 2**20)
    started = time.perf_counter()
    result = run_reportc("review", str(bomb))
    assert time.perf_counter() - started < 10
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "its part word/document.xml is 68,157,440 bytes uncompressed, over the 32 MB" in result.stderr
