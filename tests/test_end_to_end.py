"""Every sample built end to end: the PDF's text and the DOCX's paragraphs carry every title,
question, grade label, area for improvement and recommendation of the source, in source order."""
from __future__ import annotations

import re

import pytest

from compiler.model import Report
from compiler.source.paths import Roots
from compiler.build.load import load_all

from .conftest import ROOT, sample_sources

MM = 72 / 25.4


def expected_in_order(report: Report, style) -> list[str]:
    """What a reader must find, in the order the source gives it."""
    label = {grade.key: grade.label for grade in style.grades}
    wanted = [report.title.plain]
    for pillar in report.pillars:
        wanted += [pillar.title.plain, *([label[pillar.grade]] if pillar.grade else [])]
        wanted += [area.text.plain for area in pillar.areas_for_improvement]
        for cause in pillar.causes_of_concern:
            wanted += [cause.text.plain, *(r.plain for r in cause.recommendations)]
        for question in pillar.questions:
            wanted += [question.title.plain, *([label[question.grade]] if question.grade else [])]
            wanted += [area.text.plain for area in question.areas_for_improvement]
            for cause in question.causes_of_concern:
                wanted += [cause.text.plain, *(r.plain for r in cause.recommendations)]
    return wanted


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(squash(needle), position)
        assert found >= 0, f"missing or out of order: {needle!r} (searched from {haystack[position:position + 80]!r})"
        position = found + 1


@pytest.fixture(scope="module")
def samples():
    loaded = load_all(sample_sources(), Roots.at(ROOT))
    assert all(item.ok for item in loaded), [d.format() for item in loaded for d in item.diagnostics]
    return {item.report.id: item for item in loaded}


def test_there_are_samples_for_every_construct(samples):
    reports = [item.report for item in samples.values()]
    assert len(reports) >= 3
    assert any(r.is_draft and r.marking and r.version for r in reports)
    assert any(r.front_matter for r in reports) and any(r.annexes for r in reports)
    questions = [q for r in reports for p in r.pillars for q in p.questions]
    assert any(q.causes_of_concern and q.causes_of_concern[0].recommendations for q in questions)
    assert any(a.detail for q in questions for a in q.areas_for_improvement)
    assert {item.style.name for item in samples.values()} >= {"hmicfrs", "hmicfrs-peel-2014"}


def body_text_of_pdf(path, style) -> str:
    """The text inside the margins, in content-stream order (the order a tagged reader follows)."""
    from pypdf import PdfReader

    chunks: list[str] = []
    for page in PdfReader(path).pages[1:]:  # after the cover
        low = style.page.margin_bottom_mm * MM * 0.8
        high = float(page.mediabox.height) - style.page.margin_top_mm * MM * 0.8

        def keep(text, cm, tm, font, size):
            y = (tm[5] * cm[3] + cm[5]) if cm else tm[5]
            if low <= y <= high:
                chunks.append(text)

        page.extract_text(visitor_text=keep)
        chunks.append("\n")
    return squash("".join(chunks))


def test_pdf_text_has_everything_in_source_order(samples, built_samples):
    for report_id, item in samples.items():
        text = body_text_of_pdf(built_samples / f"{report_id}.pdf", item.style)
        assert_in_order(text, expected_in_order(item.report, item.style)[1:])


def docx_paragraphs(path) -> list[str]:
    from docx import Document
    from docx.oxml.ns import qn

    body = Document(str(path)).element.body
    texts = []
    for paragraph in body.iter(qn("w:p")):
        texts.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    return [t for t in texts if t.strip()]


def test_docx_paragraphs_have_everything_in_source_order(samples, built_samples):
    for report_id, item in samples.items():
        text = squash(" ".join(docx_paragraphs(built_samples / f"{report_id}.docx")))
        assert_in_order(text, expected_in_order(item.report, item.style))


def test_literal_text_survives_in_both_formats(samples, built_samples):
    tricky = ['<img src="/etc/passwd"/>', "R&D", "&copy;", "a < b & c > d"]
    northshire = next(i for i in samples if i.startswith("northshire"))
    pdf = body_text_of_pdf(built_samples / f"{northshire}.pdf", samples[northshire].style)
    docx = squash(" ".join(docx_paragraphs(built_samples / f"{northshire}.docx")))
    for text in tricky:
        assert text in pdf and text in docx
    # the one © is the style's imprint text ("© Crown copyright 2022"), never the `&copy;` written as text
    assert "©" not in pdf.replace("&copy;", "").replace("© Crown copyright 2022", "", 1)
