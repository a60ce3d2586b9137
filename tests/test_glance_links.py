"""A glance table row links to its question as a whole (layout/compose.py): a link or a
cross-reference written in a question's title is its words in the row, in every format, since
one link may not hold another. At the question's heading the title still links."""
from __future__ import annotations

import re
import zipfile

import pypdf

from .conftest import run_reportc

GLANCE_LINKS = """title: Glance link 2026
subject: Testshire Police
published: 2026-01-15
style: hmicfrs
pillars:
  - title: Effectiveness
    grade: good
    questions:
      - title: "How well does the force use [its crime data](https://example.org/data) to plan?"
        grade: good
        findings: Findings.
      - title: "Is use of force recorded, as @tbl-force shows?"
        grade: adequate
        findings:
          - table:
              name: force
              caption: Use of force
              columns: [Year, Count]
              rows:
                - [2020, "1"]
"""


def built(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text(GLANCE_LINKS, encoding="utf-8")
    result = run_reportc("build", "sources/r.yaml", "--format", "pdf,docx,html", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "out"


def test_the_pdf_row_is_one_link_to_its_question_and_the_heading_keeps_its_links(tmp_path):
    """Before, the title's own annotation lay on top of the row's: a click on 'its crime data' in
    the glance table went to the web page, not the question."""
    reader = pypdf.PdfReader(built(tmp_path) / "r.pdf")
    glance = next(index for index, page in enumerate(reader.pages) if "at a glance" in page.extract_text()
                  and "Is use of force recorded" in page.extract_text() and index > 1)
    annotations = [a.get_object() for a in reader.pages[glance].get("/Annots") or []]
    contents = sorted(str(a["/Contents"]) for a in annotations)
    assert contents == ["1. How well does the force use its crime data to plan?",
                        "2. Is use of force recorded, as Table 1 shows?", "Effectiveness"], contents
    assert all("/Dest" in a and "/A" not in a for a in annotations)
    elsewhere = [str(a.get_object()["/Contents"]) for page in reader.pages[glance + 1:]
                 for a in page.get("/Annots") or []]
    assert "its crime data (https://example.org/data)" in elsewhere and "Table 1" in elsewhere


def test_the_docx_row_holds_no_hyperlink_inside_its_own(tmp_path):
    """Word repairs a document with a hyperlink inside a hyperlink; the glance rows had two."""
    with zipfile.ZipFile(built(tmp_path) / "r.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    for link in re.findall(r"<w:hyperlink\b.*?</w:hyperlink>", document, re.S):
        assert "<w:hyperlink" not in link[1:], link[:200]
    assert 'r:id="' in document  # the title's web link is still there, at the question's heading


def test_the_html_row_links_once_and_the_heading_keeps_its_links(tmp_path):
    page = (built(tmp_path) / "r.html").read_text(encoding="utf-8")
    glance = page[page.index('<table class="glance"'):page.index("</table>", page.index('<table class="glance"'))]
    assert "https://example.org/data" not in glance and "cross-ref" not in glance
    assert glance.count("<a ") == 3  # the pillar and its two questions
    assert 'href="https://example.org/data"' in page and 'class="cross-ref"' in page


def test_the_docx_glance_grade_column_is_as_wide_as_the_pdfs(built_samples, documents):
    """One grade column width in both formats (layout.design.glance_grade_column_pt), so a
    question wraps, and a page breaks, alike: the DOCX's fixed 28% made its questions narrower."""
    import pdfplumber

    for report_id in ("northshire-peel-2021", "city-of-london-peel-2018"):
        style = documents[report_id].style
        with pdfplumber.open(built_samples / f"{report_id}.pdf") as pdf:
            header = next(word for page in pdf.pages for word in page.extract_words() if word["text"] == "Judgment")
        with zipfile.ZipFile(built_samples / f"{report_id}.docx") as package:
            body = package.read("word/document.xml").decode()
        [glance] = [table for table in re.findall(r"<w:tbl>.*?</w:tbl>", body, re.S) if "JudgmentsTable" in table]
        question_pt = int(re.findall(r'<w:gridCol w:w="(\d+)"', glance)[0]) / 20
        margin_pt = style.page.margin_left_mm * 72 / 25.4
        assert abs(margin_pt + question_pt + 6 - header["x0"]) < 1.0, report_id
