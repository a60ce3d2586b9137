"""Report furniture blocks (issue 13): the report's overall grade. Each report is built once, in
every format, by the real CLI, and read back."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import run_reportc
from .test_furniture import every_format, pdf_text

PILLAR = """
pillars:
  - title: Effectiveness
    grade: good
    questions:
      - title: How well does it answer calls?
        grade: inadequate
"""
SOURCES = {
    "graded": "title: PEEL 2024\nsubject: Riverside Police\nstyle: hmicfrs\ngrade: Requires Improvement\n" + PILLAR,
    "ungraded": "title: PEEL 2024\nsubject: Riverside Police\nstyle: hmicfrs\n" + PILLAR,
    "cymraeg": "title: Adroddiad\nsubject: Heddlu\nstyle: hmicfrs\nlanguage: cy\ngrade: good\n" + PILLAR,
}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    project = tmp_path_factory.mktemp("blocks")
    (project / "sources").mkdir()
    for name, text in SOURCES.items():
        (project / "sources" / f"{name}.yaml").write_text(text)
    result = run_reportc("build", "--root", str(project), "--out", str(project / "out"), "--format",
                         "pdf,docx,html", "sources", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "out"


# ---- 5: overall grade --------------------------------------------------------------------------

def test_overall_grade_on_the_cover_in_every_format(out):
    from pypdf import PdfReader

    cover = PdfReader(out / "graded.pdf").pages[0].extract_text()
    assert "Overall judgment\nRequires improvement" in cover
    import docx

    paragraphs = [p.text.strip("\u00a0") for p in docx.Document(out / "graded.docx").paragraphs]
    at = paragraphs.index("Overall judgment")
    assert paragraphs[at + 1] == "Requires improvement" and paragraphs.index("Contents") > at
    page = (out / "graded.html").read_text()
    header = page[page.index("<header>"):page.index("</header>")]
    assert re.search(r'<p class="overall-grade">Overall judgment <span class="badge grade-requires-improvement">'
                     r"Requires improvement</span></p>", header)
    assert ".grade-requires-improvement{background:" in page  # the badge has its colours


def test_overall_grade_is_the_first_row_of_the_glance_table(out):
    import docx

    glance = next(t for t in docx.Document(out / "graded.docx").tables if t.rows[0].cells[0].text == "Area inspected")
    assert [c.text for c in glance.rows[1].cells] == ["Overall judgment", "Requires improvement"]
    assert glance.rows[2].cells[0].text == "Effectiveness"
    page = (out / "graded.html").read_text()
    rows = re.findall(r"<tr[^>]*><th scope=\"row\">(.*?)</th><td>(.*?)</td></tr>", page)
    assert re.sub(r"<[^>]+>", "", rows[0][0]) == "Overall judgment" and "Requires improvement" in rows[0][1]
    assert "Effectiveness" in rows[1][0]
    text = pdf_text(out / "graded.pdf")
    glance_page = text[text.index("Judgments at a glance\n"):]
    assert re.search(r"Judgment\s*Overall judgment\s*Requires improvement\s*Effectiveness\s*Good", glance_page)


def test_no_overall_grade_prints_no_label(out):
    for fmt, text in every_format(out, "ungraded").items():
        assert "Overall judgment" not in text, fmt


def test_overall_grade_label_follows_the_language(out):
    for fmt, text in every_format(out, "cymraeg").items():
        assert text.count("Dyfarniad cyffredinol") == 2, fmt  # cover and glance table
        assert "Overall judgment" not in text, fmt


def test_overall_grade_pdf_has_no_pdfua_findings(out):
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", str(out / "graded.pdf")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


def test_unknown_overall_grade_is_an_error_with_a_did_you_mean(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "bad.yaml").write_text(
        "title: T\nsubject: S\nstyle: hmicfrs\ngrade: outstandng\n" + PILLAR.replace("grade: good", "grade: godo"))
    result = run_reportc("build", "--root", str(tmp_path), "--out", str(tmp_path / "out"), "sources", cwd=tmp_path)
    assert result.returncode == 1
    assert "sources/bad.yaml:4:8: error: unknown grade 'outstandng'; did you mean 'Outstanding'?" in result.stderr
    assert "did you mean 'Good'?" in result.stderr  # every error in one run
    assert "Traceback" not in result.stderr and not (tmp_path / "out" / "bad.pdf").exists()
