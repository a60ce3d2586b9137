"""Issue 14, item 5: body lines are a readable length, 65 to 80 characters (readability guidance
recommends 60 to 80; GOV.UK's own pages hold about 75), in the PDF and in the DOCX.

Measured as a reader meets it: in each sample's PDF, the body-size lines that are not the last
of their paragraph (a full line runs to the measure; a last line stops anywhere), characters
counted with their spaces. The DOCX shares the style's page, margins and body size, which is what
sets its measure: asserted from its section properties and styles.
"""
from __future__ import annotations

import io
import statistics

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from tests.conftest import run_reportc, sample_sources

BODY_LEADING = 1.4  # the PDF's body leading, in body sizes (render/pdf/styles.py)
TWIPS_PER_MM = 1440 / 25.4


def full_body_lines(pdf_path, body_size: float) -> list[str]:
    """Every line at the body size followed, one leading below, by another of its paragraph."""
    lines_out = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages[1:]:  # not the cover
            lines = [line for line in page.extract_text_lines(return_chars=True, strip=True)
                     if line["chars"] and all(abs(c["size"] - body_size) < 0.05 for c in line["chars"])]
            for line, following in zip(lines, lines[1:]):
                if abs(following["top"] - line["top"] - body_size * BODY_LEADING) < 0.5:
                    lines_out.append(line["text"])
    return lines_out


def samples(documents) -> list[str]:
    """The report ids of the samples in sources/ (not the PDF stress fixture)."""
    return [report_id for report_id in documents if report_id != "pdf-stress"]


def test_median_full_body_line_is_65_to_80_characters(built_samples, documents):
    medians = {}
    for source in samples(documents):
        lines = full_body_lines(built_samples / f"{source}.pdf", documents[source].style.fonts.size)
        assert len(lines) >= 20, (source, len(lines))  # enough text to measure
        medians[source] = statistics.median(len(line) for line in lines)
    assert len(medians) == len(sample_sources())
    assert all(65 <= median <= 80 for median in medians.values()), medians


@pytest.fixture(scope="module")
def samples_docx(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    result = run_reportc("build", "sources", "--out", str(out), "--format", "docx",
                         env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    return out


def test_docx_has_the_pdfs_page_margins_and_body_size(samples_docx, documents):
    for source in samples(documents):
        _assert_docx_page_matches_style(samples_docx / f"{source}.docx", documents[source].style, source)


def _assert_docx_page_matches_style(path, style, source: str) -> None:
    word = docx.Document(io.BytesIO(path.read_bytes()))
    sect = word.element.body.find(qn("w:sectPr"))
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    assert abs(int(size.get(qn("w:w"))) - style.page.width_mm * TWIPS_PER_MM) <= 1
    for side, mm in (("left", style.page.margin_left_mm), ("right", style.page.margin_right_mm)):
        assert abs(int(margins.get(qn(f"w:{side}"))) - mm * TWIPS_PER_MM) <= 1, (source, side)
    # The body size comes from the document defaults (w:docDefaults), which Body Text keeps.
    defaults = word.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:sz"))
    assert int(defaults.get(qn("w:val"))) == round(style.fonts.size * 2), source
    assert word.styles["Body Text"].font.size is None, source
