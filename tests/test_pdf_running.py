"""The running header and footer are drawn once for each width of page number and written again
on every later page (`ReportCanvas.repeated`, issue 18): each page must still show them whole,
with its own page number, and only artifacts may be repeated, since marked content is numbered
page by page."""
from __future__ import annotations

import io

import pdfplumber
from reportlab.lib.pagesizes import A4

from compiler.render.pdf.canvas import CanvasSetup, ReportCanvas
from compiler.render.pdf.markup import LinkTable
from compiler.render.pdf.tagging import Element, Structure, Tagger, XmpFacts



def _text(page) -> str:
    return " ".join(page.extract_text().split())


def test_every_page_shows_the_whole_header_and_footer_and_its_own_number(built_samples, documents):
    widths = set()
    for report_id, document in documents.items():
        path = built_samples / f"{report_id}.pdf"
        if not path.exists():  # the PDF stress fixture is built elsewhere
            continue
        running = document.running
        with pdfplumber.open(path) as pdf:
            total = len(pdf.pages)
            for number, page in enumerate(pdf.pages[1:], 2):
                text = _text(page)
                assert running.page_x_of_y.format(page=number, pages=total) in text, (report_id, number)
                for part in (running.header_left, running.header_right, running.footer_left):
                    assert " ".join(part.split())[:30] in text, (report_id, number, part)
                widths.add(len(str(number)))
    assert widths == {1, 2}, "the samples must have page numbers of two widths"


def _canvas() -> tuple[ReportCanvas, Tagger, Structure]:
    structure = Structure()
    tagger = Tagger(structure)
    facts = XmpFacts("t", "a", "s", "", "en", "c", "p", None)
    setup = CanvasSetup(None, LinkTable(), {}, None, "D:20260101000000Z", tagger, facts, "Cover")
    return ReportCanvas(io.BytesIO(), setup=setup, pagesize=A4), tagger, structure


def test_only_artifacts_are_repeated():
    canvas, tagger, structure = _canvas()
    calls = []

    def draw():
        calls.append(1)
        canvas.drawString(72, 72, "text")

    with canvas.artifact():
        canvas.repeated("header", draw)
        canvas.repeated("header", draw)
    assert len(calls) == 1
    paragraph = structure.add("P", structure.root)
    with canvas.tagged(paragraph):
        canvas.repeated("body", draw)
        canvas.repeated("body", draw)
    assert len(calls) == 3  # each drawn anew, with its own marked-content number
    assert len(paragraph.kids) == 2


def test_a_shortened_footer_is_the_same_on_every_page_and_in_the_docx(tmp_path):
    import docx

    from compiler.build.load import load_all
    from compiler.build.report import BuildOptions, build_report
    from compiler.source.paths import Roots

    title = "Inspection of the Llanfairpwllgwyngyll Residential Care Home for Older People and Adults"
    findings = "".join(f"          Paragraph {n} of the findings, long enough to fill a line or two of text.\n\n"
                       for n in range(12))
    questions = "".join(f"      - title: Question {n}?\n        grade: good\n        findings: |\n{findings}"
                        for n in range(12))
    (tmp_path / "sources").mkdir()
    path = tmp_path / "sources" / "r.yaml"
    path.write_text(f"title: {title}\nsubject: S\nstatus: draft\nversion: '0.2'\npublished: 2025-03-05\n"
                    f"pillars:\n  - title: P\n    grade: good\n    questions:\n{questions}", encoding="utf-8")
    [loaded] = load_all([path], Roots.at(tmp_path))
    build_report(loaded, BuildOptions(Roots.at(tmp_path), tmp_path / "out", formats=("pdf", "docx")))
    with pdfplumber.open(tmp_path / "out" / "r.pdf") as pdf:
        assert len(pdf.pages) >= 10
        footers = set()
        for page in pdf.pages[1:]:
            foot = page.crop((0, page.height - 60, page.width, page.height)).extract_text()
            footers.add(" ".join(foot.split()).split(" Page ")[0])
    [footer] = footers  # one text on pages 2 to 9 and from 10 on
    assert "\u2026" in footer, footer  # it was shortened
    word = docx.Document(tmp_path / "out" / "r.docx").sections[0].footer.paragraphs[0].text
    assert " ".join(word.split("\t")[0].split()) == footer
