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
