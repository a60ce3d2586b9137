"""A character the style's fonts lack is warned about where it was written, by `validate` as
well as `build`, once (issue 15, item 5, glyphs)."""
from __future__ import annotations

from pathlib import Path

from compiler.style.glyphcoverage import missing_glyph_message

from .conftest import run_reportc
from .test_font_hardening import format12_cmap, with_table

FONTS = Path(__file__).resolve().parent.parent / "styles" / "fonts"
HEAD = "title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"
MISSING = "it prints as an empty box"


def project(tmp_path: Path, text: str) -> Path:
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "r.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def where(text: str, needle: str, skip: int = 0) -> str:
    """`LINE:COL` of `needle` in `text`, or of the character `skip` characters after it."""
    before = text[:text.index(needle) + skip]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def glyph_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if MISSING in line]


def test_a_literal_block_warns_at_the_characters_own_line_and_column(tmp_path):
    text = HEAD + ("    findings: |\n"
                   "      First line.\n"
                   "      Second line.\n"
                   "      Third line has 😀 in it, and 😀 again.\n")
    result = run_reportc("validate", "sources/r.yaml", cwd=project(tmp_path, text))
    assert result.returncode == 0, result.stderr
    lines = glyph_lines(result.stdout + result.stderr)
    assert lines == [f"sources/r.yaml:{where(text, '😀')}: warning: {missing_glyph_message('😀')}"], lines


def test_folded_and_double_quoted_text_with_an_escape_before_the_character(tmp_path):
    text = HEAD + ("    summary: >\n"
                   "      Folded text\n"
                   "      goes on 中 here.\n"
                   '    question: "Tab\\there \\u00e9 then 字 at last"\n')
    result = run_reportc("validate", "sources/r.yaml", cwd=project(tmp_path, text))
    lines = glyph_lines(result.stdout + result.stderr)
    assert [line.split(": warning")[0] for line in lines] == [
        f"sources/r.yaml:{where(text, '中')}", f"sources/r.yaml:{where(text, '字')}"], lines


def test_strict_makes_a_missing_glyph_an_error(tmp_path):
    text = HEAD + "    findings: |\n      One\n      Two 😀\n"
    result = run_reportc("validate", "--strict", "sources/r.yaml", cwd=project(tmp_path, text))
    assert result.returncode == 1
    assert f"sources/r.yaml:{where(text, '😀')}: error: the style's fonts have no glyph" in result.stdout + result.stderr


def test_the_build_warns_once_per_character_and_place(tmp_path):
    """With --allow-missing-glyphs: without it, a PDF build refuses them (test_fallback_fonts.py)."""
    text = HEAD.replace("title: T", "title: Report 😀") + ("    findings: |\n"
                                                           "      One 中\n"
                                                           "      Two **中 bold** 😀\n")
    result = run_reportc("build", "sources/r.yaml", "--out", "out", "--allow-missing-glyphs",
                         cwd=project(tmp_path, text))
    assert result.returncode == 0, result.stderr
    lines = glyph_lines(result.stdout + result.stderr)
    assert sorted(lines) == sorted([
        f"sources/r.yaml:{where(text, '😀')}: warning: {missing_glyph_message('😀')}",
        f"sources/r.yaml:{where(text, '中')}: warning: {missing_glyph_message('中')}",
        f"sources/r.yaml:{where(text, 'bold** 😀', 7)}: warning: {missing_glyph_message('😀')}",
    ]), lines


def bold_without(char: str) -> bytes:
    """Liberation Sans Bold whose character map leaves out one character."""
    from reportlab.pdfbase.ttfonts import TTFont

    data = (FONTS / "LiberationSans-Bold.ttf").read_bytes()
    mapping = sorted((code, glyph) for code, glyph in TTFont("probe", str(FONTS / "LiberationSans-Bold.ttf"))
                     .face.charToGlyph.items() if code != ord(char) and code != 0xA0)
    groups: list[list[int]] = []
    for code, glyph in mapping:
        if groups and code == groups[-1][1] + 1 and glyph == groups[-1][2] + code - groups[-1][0]:
            groups[-1][1] = code
        else:
            groups.append([code, code, glyph])
    return with_table(data, "cmap", format12_cmap([tuple(group) for group in groups]))


def test_a_character_missing_only_from_the_bold_face_is_warned_about_in_bold_text_only(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "bold.ttf").write_bytes(bold_without("é"))
    (tmp_path / "styles" / "thin.yaml").write_text("extends: default\nfonts:\n  bold: bold.ttf\n")
    text = "style: thin\n" + HEAD + "    findings: |\n      Café is fine here,\n      but **not café** in bold.\n"
    result = run_reportc("validate", "sources/r.yaml", cwd=project(tmp_path, text))
    lines = glyph_lines(result.stdout + result.stderr)
    assert [line.split(": warning")[0] for line in lines] == [
        f"sources/r.yaml:{where(text, 'café', 3)}"], lines
