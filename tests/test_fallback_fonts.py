"""Fallback fonts (`fonts.fallback`) and the characters no font has (issue 14, item 9).

The fallback font here is DejaVu Sans cut down to Armenian, Georgian, ★, ✓ and Arabic
(tests/fonts/README.md): characters Liberation Sans lacks. Each test reads the outputs back: the
PDF's fonts per character (pdfplumber, pdffonts), the DOCX's run properties, the HTML's styles.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from compiler.style.glyphcoverage import missing_glyph_message

from .conftest import run_reportc

FALLBACK = Path(__file__).resolve().parent / "fonts" / "DejaVuSans-fallback-subset.ttf"
STYLE = "extends: default\nfonts:\n  fallback:\n    - fallback.ttf\n"
REPORT = """style: wide
title: "Ratings for სკოლა"
subject: Schools
pillars:
  - title: Quality ★
    grade: good
    findings: |
      The Georgian school სკოლა, with **bold ბგდ** and *italic Աբ*, ticks ✓ every box.
"""


def project(root: Path, report: str, style: str = STYLE) -> Path:
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "styles").mkdir(exist_ok=True)
    shutil.copy(FALLBACK, root / "styles" / "fallback.ttf")
    (root / "styles" / "wide.yaml").write_text(style, encoding="utf-8")
    (root / "sources" / "r.yaml").write_text(report, encoding="utf-8")
    return root


def where(text: str, needle: str) -> str:
    """`LINE:COL` of `needle` in `text`."""
    before = text[:text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = project(tmp_path_factory.mktemp("fallback"), REPORT)
    result = run_reportc("build", "sources/r.yaml", "--format", "pdf,docx,html", "--out", "out", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "glyph" not in result.stderr + result.stdout  # the fallback has every character
    return root / "out"


def fonts_of(pdf: Path, chars: str) -> dict[str, set[str]]:
    """For each of `chars`, the fonts pdfplumber reads it in, across the whole PDF."""
    found: dict[str, set[str]] = {char: set() for char in chars}
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for char in page.chars:
                if char["text"] in found:
                    found[char["text"]].add(char["fontname"].split("+")[-1])
    return found


def test_the_pdf_sets_what_the_family_lacks_in_the_fallback_font(built):
    found = fonts_of(built / "r.pdf", "სკბგდԱբ★✓Te")
    for char in "სკბგდԱբ★✓":  # body, bold, italic, heading, cover title and running header
        assert found[char] == {"DejaVuSans"}, (char, found[char])
    assert found["T"] and found["e"] and not {"DejaVuSans"} & (found["T"] | found["e"])  # only what it lacks
    listing = subprocess.run(["pdffonts", str(built / "r.pdf")], capture_output=True, text=True, check=True).stdout
    dejavu = [line.split() for line in listing.splitlines() if "DejaVuSans" in line]
    assert dejavu and all(row[-5:-2] == ["yes", "yes", "yes"] for row in dejavu), listing  # embedded, subset, unicode


def test_the_pdf_with_a_fallback_font_passes_the_pdfua_checker(built):
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(built / "r.pdf")],
                            capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert report["summary"]["findings"] == 0 and report["summary"]["rules_skipped"] == 0, report["findings"]


def test_the_pdf_text_reads_back_in_order(built):
    with pdfplumber.open(built / "r.pdf") as document:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in document.pages)
    assert "The Georgian school სკოლა, with bold ბგდ and italic Աբ, ticks ✓ every box." in text
    assert "Ratings for სკოლა" in text  # the cover title and the running footer


def test_the_running_footer_drawn_on_the_page_switches_fonts_too(built):
    with pdfplumber.open(built / "r.pdf") as document:
        page = document.pages[1]
        footer = [char for char in page.chars if char["top"] > page.height - 60]
    assert "Ratings for სკოლა" in "".join(char["text"] for char in footer)
    assert {char["fontname"].split("+")[-1] for char in footer if char["text"] in "სკოლა"} == {"DejaVuSans"}
    assert {char["fontname"].split("+")[-1] for char in footer if char["text"] in "Ratings"} == {"LiberationSans"}


def test_the_docx_names_the_fallback_font_on_the_runs_it_sets(built):
    with zipfile.ZipFile(built / "r.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    runs = re.findall(r"<w:r>(?:(?!</w:r>).)*</w:r>", xml)
    georgian = [run for run in runs if "<w:t>ბგდ</w:t>" in run]
    assert georgian and all('w:ascii="DejaVu Sans"' in run and 'w:hAnsi="DejaVu Sans"' in run
                            and 'w:rStyle w:val="Strong"' in run for run in georgian), georgian
    latin = [run for run in runs if "The Georgian school " in run]
    assert latin and not any("DejaVu" in run for run in latin), latin


def test_the_html_lists_the_fallback_in_its_font_stack_and_embeds_it(built):
    html = (built / "r.html").read_text(encoding="utf-8")
    assert re.search(r'body\{[^}]*font-family:"Liberation Sans","DejaVu Sans",', html)
    assert re.search(r'@font-face\{font-family:"DejaVu Sans";src:url\(data:font/woff;base64,', html)


def test_the_html_does_not_embed_a_fallback_it_does_not_need(tmp_path):
    root = project(tmp_path, REPORT.replace("სკოლა", "School").replace("ბგდ", "b").replace("Աբ", "i")
                   .replace("★", "").replace("✓", "x"))
    result = run_reportc("build", "sources/r.yaml", "--format", "html", "--out", "out", cwd=root)
    assert result.returncode == 0, result.stderr
    html = (root / "out" / "r.html").read_text(encoding="utf-8")
    assert '"Liberation Sans","DejaVu Sans",' in html  # named, for a reader who has it
    assert '@font-face{font-family:"DejaVu Sans"' not in html


def test_a_character_no_font_has_is_an_error_for_a_pdf_build_at_its_position(tmp_path):
    report = REPORT.replace("every box.", "every box 😀.")
    root = project(tmp_path, report)
    result = run_reportc("build", "sources/r.yaml", "--format", "pdf", "--out", "out", cwd=root)
    assert result.returncode == 1
    assert f"sources/r.yaml:{where(report, '😀')}: error: {missing_glyph_message('😀')}" in result.stderr
    assert not (root / "out" / "r.pdf").exists()
    # DOCX and HTML readers substitute a font of their own: a warning there
    other = run_reportc("build", "sources/r.yaml", "--format", "docx,html", "--out", "out", cwd=root)
    assert other.returncode == 0, other.stderr
    assert f"sources/r.yaml:{where(report, '😀')}: warning: {missing_glyph_message('😀')}" in other.stderr


def test_allow_missing_glyphs_makes_it_a_warning_and_the_cache_remembers_it(tmp_path):
    report = REPORT.replace("every box.", "every box 😀.")
    root = project(tmp_path, report)
    allowed = run_reportc("build", "sources/r.yaml", "--format", "pdf", "--out", "out", "--allow-missing-glyphs",
                          cwd=root)
    assert allowed.returncode == 0, allowed.stderr
    assert f"sources/r.yaml:{where(report, '😀')}: warning: {missing_glyph_message('😀')}" in allowed.stderr
    assert fonts_of(root / "out" / "r.pdf", "ბ")["ბ"] == {"DejaVuSans"}
    # Without the flag the report is not "up to date": it is rebuilt and refused.
    refused = run_reportc("build", "sources/r.yaml", "--format", "pdf", "--out", "out", cwd=root)
    assert refused.returncode == 1 and ": error: " + missing_glyph_message("😀") in refused.stderr, refused.stderr


def test_a_character_only_a_label_holds_is_an_error_too(tmp_path):
    style = STYLE + "labels:\n  contents: \"Contents 😀\"\n"
    root = project(tmp_path, REPORT, style)
    result = run_reportc("build", "sources/r.yaml", "--format", "pdf", "--out", "out", cwd=root)
    assert result.returncode == 1
    assert f"sources/r.yaml:1:1: error: {missing_glyph_message('😀')}" in result.stderr, result.stderr


@pytest.mark.parametrize("text, script", [("مدرسة النور", "Arabic"), ("בית ספר", "Hebrew")])
def test_right_to_left_text_is_refused_by_a_pdf_build_even_with_the_flag(tmp_path, text, script):
    """The fallback has Arabic letters and Liberation Sans has Hebrew ones: fonts are not the
    problem, the order and joining of the letters are, which the PDF renderer cannot do."""
    report = REPORT.replace("The Georgian school სკოლა", f"The school {text}")
    root = project(tmp_path, report)
    for flags in ((), ("--allow-missing-glyphs",)):
        result = run_reportc("build", "sources/r.yaml", "--format", "pdf", "--out", "out", *flags, cwd=root)
        assert result.returncode == 1
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert errors == [f"sources/r.yaml:{where(report, text)}: error: {script} text is written right to left; "
                          f"the PDF renderer cannot lay out {text[0]!r} and the text around it (it would print the "
                          "letters in the wrong order, and unjoined where they join), so a PDF build refuses it: "
                          "build this report as DOCX or HTML (--format docx,html), whose readers lay it out"], errors
        assert not (root / "out" / "r.pdf").exists()
    other = run_reportc("build", "sources/r.yaml", "--format", "docx,html", "--out", "out", cwd=root)
    assert other.returncode == 0, other.stderr
    with zipfile.ZipFile(root / "out" / "r.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert text in "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.mark.parametrize("content, problem", [
    (b"not a font at all", "is not a TrueType font (.ttf)"),
    (FALLBACK.read_bytes()[:4000], "is damaged or cut short"),
])
def test_a_bad_fallback_font_is_refused_at_its_line_in_the_style(tmp_path, content, problem):
    style = STYLE + "    - bad.ttf\n"
    root = project(tmp_path, REPORT, style)
    (root / "styles" / "bad.ttf").write_bytes(content)
    result = run_reportc("validate", "sources/r.yaml", cwd=root)
    assert result.returncode == 1
    assert f"styles/wide.yaml:5:7: error: font 'bad.ttf' {problem}" in result.stderr, result.stderr


def test_a_fallback_outside_the_project_is_refused(tmp_path):
    root = project(tmp_path / "p", REPORT, STYLE.replace("fallback.ttf", "../../outside.ttf"))
    shutil.copy(FALLBACK, tmp_path / "outside.ttf")
    result = run_reportc("validate", "sources/r.yaml", cwd=root)
    assert result.returncode == 1
    assert "styles/wide.yaml:4:7: error: " in result.stderr and "outside" in result.stderr, result.stderr


def test_the_style_may_name_at_most_eight_fallback_fonts(tmp_path):
    style = "extends: default\nfonts:\n  fallback:\n" + "    - fallback.ttf\n" * 9
    result = run_reportc("validate", "sources/r.yaml", cwd=project(tmp_path, REPORT, style))
    assert result.returncode == 1
    assert "styles/wide.yaml:12:7: error: `fonts.fallback` has 9 items; at most 8 are allowed" in result.stderr, \
        result.stderr
