"""A box short enough (a cause of concern up to most of a page, areas for improvement or a
`callout:` up to 40% of one) is kept on one page: it moves on whole, with its heading, rather
than leave its last recommendation overleaf (`keeping.KeptTogether`). A taller box splits where
it is."""
from __future__ import annotations

import io

import pdfplumber
import pytest

from compiler.build.load import load_all
from compiler.build.report import compose_document
from compiler.diagnostics import Diagnostics
from compiler.render import RenderOptions
from compiler.render.pdf import keeping
from compiler.render.pdf.document import render_pdf
from compiler.source.paths import Roots

SENTENCE = "The force should improve how it records and investigates crime reported by victims. "
LAST = "report its progress to the police and crime commissioner every quarter"


def source(filler_lines: int, recommendations: int = 3) -> str:
    """A question whose findings are `filler_lines` paragraphs, then one holding a cause of concern."""
    filler = "".join(f"          {SENTENCE * 2}\n\n" for _ in range(filler_lines))
    items = "".join(f"              - make sure that the force does thing number {n} well and on time;\n"
                    for n in range(recommendations - 1))
    return ("title: T\nsubject: S\npillars:\n  - title: Effectiveness\n    grade: good\n    questions:\n"
            "      - title: How well does the force record crime?\n        grade: good\n"
            "        findings: |\n" + filler +
            "      - title: How effective is the force at investigating crime?\n        grade: good\n"
            "        causes_of_concern:\n          - text: The force does not investigate crime well enough.\n"
            "            recommendations:\n" + items + f"              - {LAST}.\n")


def pages_of(tmp_path, text: str) -> list[str]:
    (tmp_path / "sources").mkdir(exist_ok=True)
    path = tmp_path / "sources" / "r.yaml"
    path.write_text(text)
    [loaded] = load_all([path], Roots.at(tmp_path))
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    rendered = render_pdf(compose_document(loaded, None), RenderOptions(), Diagnostics())
    with pdfplumber.open(io.BytesIO(rendered.data)) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def box_pages(pages: list[str]) -> set[int]:
    """The pages the box's first line and its last recommendation are on."""
    first = next(index for index, text in enumerate(pages) if "does not investigate crime well enough" in text)
    last = next(index for index, text in enumerate(pages) if LAST in text)
    return {first, last}


FILLERS = range(8, 20)  # the box starts lower on the page each time: some reach the page's foot


def test_a_short_box_is_never_split_nor_left_by_its_heading(tmp_path, monkeypatch):
    placed = {lines: pages_of(tmp_path, source(lines, recommendations=8)) for lines in FILLERS}
    for lines, pages in placed.items():
        [page] = box_pages(pages)
        assert "2. How effective is the force at investigating crime?" in pages[page], lines
    monkeypatch.setitem(keeping.KEPT_SHARE, "cause-of-concern", 0.0)  # none kept: the fillers do reach the foot
    assert [lines for lines in FILLERS if len(box_pages(pages_of(tmp_path, source(lines, recommendations=8)))) > 1]


@pytest.mark.parametrize("lines", [2, 4])
def test_a_box_taller_than_its_share_of_a_page_splits_where_it_is(tmp_path, lines):
    pages = pages_of(tmp_path, source(lines, recommendations=30))
    first, last = sorted(box_pages(pages))
    assert last == first + 1
    findings_end = max(index for index, text in enumerate(pages) if SENTENCE.strip()[:40] in text)
    assert first == findings_end  # it starts right after the findings (and its heading), on their page


@pytest.mark.parametrize("recommendations, kept", [(8, True), (30, False)])
def test_the_docx_keeps_the_boxes_the_pdf_kept(tmp_path, recommendations, kept):
    import zipfile

    from lxml import etree

    from compiler.build.report import BuildOptions, build_report

    (tmp_path / "sources").mkdir()
    path = tmp_path / "sources" / "r.yaml"
    path.write_text(source(2, recommendations))
    [loaded] = load_all([path], Roots.at(tmp_path))
    build_report(loaded, BuildOptions(Roots.at(tmp_path), tmp_path / "out", formats=("pdf", "docx")))
    with zipfile.ZipFile(tmp_path / "out" / "r.docx") as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    [box] = [table for table in body.iter(f"{w}tbl") if "does not investigate crime" in "".join(table.itertext())]
    paragraphs = list(box.iter(f"{w}p"))
    kept_with_next = [p.find(f"{w}pPr/{w}keepNext") is not None for p in paragraphs]
    assert kept_with_next == ([True] * (len(paragraphs) - 1) + [False] if kept else [False] * len(paragraphs))
