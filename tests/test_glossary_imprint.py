"""Source format v2: the glossary annex and the imprint page, built in every format and read back.

The glossary is an annex sorted as a reader looks terms up (case and accents ignored): a definition
list in HTML, term and definition paragraphs in the DOCX and the PDF. The imprint is the page after
the cover in the PDF and the DOCX (before the contents), the end of the HTML page; each edition
prints its own ISBN and no other's.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import docx
import pdfplumber
import pypdf
import pytest

from .conftest import run_reportc
from .test_pdf_tagging import read_tree, squash

PDF_ISBN, HTML_ISBN, DOCX_ISBN = "978-1-78655-001-9", "978-1-78655-000-2", "978-1-78655-002-6"

REPORT = f"""\
title: PEEL 2023
subject: Northshire Police
style: hmicfrs
glossary:
  - term: Fox
    definition: A **red** animal
  - term: éclair
    definition: A pastry
  - term: Eagle
    definition: A bird
  - term: ASB
    definition: Anti-social behaviour
imprint:
  isbn: {{pdf: {PDF_ISBN}, html: {HTML_ISBN}}}
  reference: HC 1234
pillars:
  - title: Effectiveness
    grade: good
annexes:
  - title: About the data
    body: Where the numbers come from.
"""
SORTED_TERMS = ["ASB", "Eagle", "éclair", "Fox"]
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14: `{year}` without `published:`


def build(project, name: str, text: str, *formats: str):
    (project / "sources").mkdir(exist_ok=True)
    (project / "sources" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return run_reportc("build", "--root", str(project), "--out", str(project / "out"),
                       "--format", ",".join(formats or ("pdf", "docx", "html")), f"sources/{name}.yaml",
                       cwd=project, env=EPOCH)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    project = tmp_path_factory.mktemp("glossary")
    result = build(project, "peel", REPORT)
    assert result.returncode == 0, result.stderr
    return project / "out"


def pdf_pages(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


# ---- the PDF ------------------------------------------------------------------------------------

def test_pdf_imprint_is_page_two_before_the_contents_with_the_pdf_isbn_only(out):
    pages = pdf_pages(out / "peel.pdf")
    imprint = " ".join(pages[1].split())  # lines joined
    assert "© Crown copyright 2023" in imprint  # {year}: the build date's year, as nothing is published
    assert "Open Government Licence v3.0" in imprint and "another" in imprint  # imprint, alternative formats
    assert "HC 1234" in imprint and f"ISBN {PDF_ISBN}" in imprint
    assert "Contents" not in imprint and pages[2].splitlines()[1] == "Contents"
    assert all(HTML_ISBN not in page for page in pages)
    order = [imprint.index(text) for text in ("Crown copyright", "another format", "HC 1234", "ISBN")]
    assert order == sorted(order)


def test_pdf_glossary_is_the_last_annex_sorted_and_in_the_outline(out):
    pages = pdf_pages(out / "peel.pdf")
    glossary = pages[-1]
    assert glossary.splitlines()[1] == "Glossary"
    positions = [glossary.index(term) for term in SORTED_TERMS]
    assert positions == sorted(positions)
    assert "A red animal" in glossary
    assert re.search(r"About the data \d+\nGlossary \d+", pages[2])  # the contents list it after the annexes
    reader = pypdf.PdfReader(out / "peel.pdf")
    assert [item.title for item in reader.outline if not isinstance(item, list)][-1] == "Glossary"


def test_pdf_tags_the_imprint_and_the_glossary_as_paragraphs_and_passes_the_checker(out):
    tagged = read_tree(out / "peel.pdf")
    roles = [node.role for node in tagged.root.children()]
    first = tagged.root.children()[roles.index("Div")]  # after the cover's elements, before the contents' Sect
    assert roles.index("Div") == roles.index("Sect") - 1 and {node.role for node in first.children()} == {"P"}
    assert squash(tagged.text(first)).startswith(squash("© Crown copyright 2023"))
    glossary = [div for div in tagged.nodes("Div") if squash(tagged.text(div)).startswith("ASB")]
    assert len(glossary) == 1
    paragraphs = [squash(tagged.text(node)) for node in glossary[0].children("P")]
    assert paragraphs[:4] == ["ASB", "Anti-socialbehaviour", "Eagle", "Abird"]
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(out / "peel.pdf")],
                            capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert report["summary"]["findings"] == 0, report["findings"]


# ---- the DOCX -----------------------------------------------------------------------------------

def test_docx_imprint_comes_before_the_contents_on_a_page_of_its_own_with_no_other_isbn(out):
    paragraphs = docx.Document(out / "peel.docx").paragraphs
    styles = [p.style.name for p in paragraphs]
    contents = styles.index("TOC Heading")
    imprint = [p for p in paragraphs[:contents] if not p.style.name.startswith("Cover")]
    texts = [p.text for p in imprint]
    assert texts[0] == "© Crown copyright 2023" and "w:pageBreakBefore" in imprint[0]._p.xml
    assert "HC 1234" in texts and "w:pageBreakBefore" in paragraphs[contents]._p.xml
    everything = "\n".join(p.text for p in paragraphs)
    assert "ISBN" not in everything  # the report gives no `docx` ISBN: the PDF's and HTML's are not this edition's


def test_docx_glossary_is_sorted_terms_above_their_definitions(out):
    paragraphs = docx.Document(out / "peel.docx").paragraphs
    heading = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text == "Glossary")
    entries = [(p.style.name, p.text) for p in paragraphs[heading + 1:]]
    assert [text for style, text in entries if style == "Glossary Term"] == SORTED_TERMS
    assert entries[:2] == [("Glossary Term", "ASB"), ("Glossary Definition", "Anti-social behaviour")]
    assert "w:keepNext" in docx.Document(out / "peel.docx").styles["Glossary Term"].element.xml


# ---- the HTML -----------------------------------------------------------------------------------

class _Reader(HTMLParser):
    """The `dl` terms, and the text of the footer."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.terms: list[str] = []
        self.footer = ""
        self.main_ended = False

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        if tag == "dt":
            self.terms.append("")

    def handle_endtag(self, tag):
        while self.open and self.open.pop() != tag:
            pass
        self.main_ended |= tag == "main"

    def handle_data(self, data):
        if "dt" in self.open:
            self.terms[-1] += data
        if "footer" in self.open:
            self.footer += data


def test_html_glossary_is_a_sorted_definition_list_and_the_imprint_ends_the_page(out):
    page = (out / "peel.html").read_text(encoding="utf-8")
    reader = _Reader()
    reader.feed(page)
    assert reader.terms == SORTED_TERMS
    assert '<dl class="glossary"><dt>ASB</dt><dd>Anti-social behaviour</dd>' in page
    assert "<dd>A <strong>red</strong> animal</dd>" in page
    assert page.index("</main>") < page.index("© Crown copyright 2023") < page.index(f"ISBN {HTML_ISBN}")
    assert "HC 1234" in reader.footer and f"ISBN {HTML_ISBN}" in reader.footer
    assert PDF_ISBN not in page and DOCX_ISBN not in page


def test_each_edition_prints_its_own_isbn_the_docx_too_when_given(tmp_path):
    report = REPORT.replace(f"html: {HTML_ISBN}}}", f"html: {HTML_ISBN}, docx: {DOCX_ISBN}}}")
    assert build(tmp_path, "all", report, "docx", "html").returncode == 0
    text = "\n".join(p.text for p in docx.Document(tmp_path / "out" / "all.docx").paragraphs)
    assert f"ISBN {DOCX_ISBN}" in text and PDF_ISBN not in text and HTML_ISBN not in text
    assert DOCX_ISBN not in (tmp_path / "out" / "all.html").read_text(encoding="utf-8")


def test_no_imprint_key_prints_no_imprint_page_and_published_gives_the_year(tmp_path):
    (tmp_path / "sources").mkdir()
    plain = REPORT.split("imprint:")[0] + "pillars:" + REPORT.split("pillars:")[1]
    (tmp_path / "sources" / "plain.yaml").write_text(plain, encoding="utf-8")
    dated = REPORT.replace("style: hmicfrs", "style: hmicfrs\npublished: 2019-05-02")
    (tmp_path / "sources" / "dated.yaml").write_text(dated, encoding="utf-8")
    assert run_reportc("build", "--root", str(tmp_path), "--out", "out", "--format", "pdf", "sources",
                       cwd=tmp_path, env=EPOCH).returncode == 0
    assert pdf_pages(tmp_path / "out" / "plain.pdf")[1].splitlines()[1] == "Contents"
    assert "© Crown copyright 2019" in pdf_pages(tmp_path / "out" / "dated.pdf")[1]


def test_the_default_style_prints_neutral_wording(tmp_path):
    assert build(tmp_path, "neutral", REPORT.replace("style: hmicfrs", "style: default"), "html").returncode == 0
    footer = (tmp_path / "out" / "neutral.html").read_text(encoding="utf-8").split("<footer>")[1]
    assert "First published 2023" in footer and "Crown" not in footer and "force" not in footer.casefold()


# ---- errors -------------------------------------------------------------------------------------

def test_duplicate_terms_and_wrong_isbns_are_errors_at_their_positions_in_one_run(tmp_path):
    source = REPORT.replace("  - term: Eagle\n", "  - term: ECLAIR\n    definition: Again\n  - term: Eagle\n")
    source = source.replace(PDF_ISBN, "978-1-78655-001-8").replace(HTML_ISBN, "978-1-78655")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "bad.yaml").write_text(source, encoding="utf-8")
    result = run_reportc("validate", "--root", str(tmp_path), "sources/bad.yaml", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("sources/bad.yaml:9:11: error: the glossary defines 'ECLAIR' twice "
                               "(first at sources/bad.yaml:7:11)") for line in lines), result.stderr
    assert any(line.startswith("sources/bad.yaml:16:15: error: `imprint.isbn.pdf`: '978-1-78655-001-8' is not "
                               "a valid ISBN-13") and "check digit 9" in line for line in lines), result.stderr
    assert any(line.startswith("sources/bad.yaml:16:40: error: `imprint.isbn.html`: '978-1-78655' is not valid; "
                               "an ISBN is 13 digits") for line in lines), result.stderr


def test_a_style_imprint_with_an_unknown_placeholder_is_an_error_at_the_style(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "house.yaml").write_text("extends: hmicfrs\nimprint: |\n  © {yaer} Us\n", encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text(REPORT.replace("style: hmicfrs", "style: house"), encoding="utf-8")
    result = run_reportc("validate", "--root", str(tmp_path), "sources/r.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "styles/house.yaml:2:10: error: `imprint`: unknown placeholder {yaer}; this text may use {year}" \
        in result.stderr


def test_a_drafts_glossary_and_imprint_paragraphs_are_marked_with_their_source_positions(tmp_path):
    import zipfile

    from compiler.render.docx.sourcemap import parse_map

    assert build(tmp_path, "draft", REPORT + "status: draft\n", "docx").returncode == 0
    with zipfile.ZipFile(tmp_path / "out" / "draft.docx") as package:
        maps = [parse_map(package.read(name)) for name in package.namelist() if name.startswith("customXml/item")]
    marks = {(mark.span.file, mark.span.line, mark.span.col) for found in maps if found for mark in found.marks.values()}
    source = "sources/draft.yaml"
    assert {(source, 5, 11), (source, 6, 17), (source, 11, 11), (source, 15, 14)} <= marks  # Fox, its definition, ASB, HC 1234


def test_a_welsh_glossary_is_in_the_welsh_alphabet():
    """ch, dd, ff, ng, ll, ph, rh and th are letters of their own in Welsh, each after the letter
    it starts with; an English glossary keeps the English order."""
    from compiler.layout.backmatter import glossary_order

    terms = ["Lori", "Llesiant", "Chwarter", "Cynllun", "Ceidwad", "Ddoe", "Dydd", "Rhagorol", "Rwy", "éclair"]
    welsh = ["Ceidwad", "Cynllun", "Chwarter", "Dydd", "Ddoe", "éclair", "Lori", "Llesiant", "Rwy", "Rhagorol"]
    assert sorted(terms, key=lambda term: glossary_order(term, "cy-GB")) == welsh
    assert sorted(terms, key=lambda term: glossary_order(term, "en-GB")) == [
        "Ceidwad", "Chwarter", "Cynllun", "Ddoe", "Dydd", "éclair", "Llesiant", "Lori", "Rhagorol", "Rwy"]
