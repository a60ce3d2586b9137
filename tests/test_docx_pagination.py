"""The DOCX in the brand font and on the PDF's pages (issue 14, item 4).

The style's faces travel inside the package, obfuscated as ECMA-376 Part 1, 17.8.1 says, and
the DOCX is set like the PDF (sizes, leading, spacing, keeps, page breaks), so the contents'
page numbers, which are the PDF's, hold in LibreOffice's layout of the DOCX: measured here by
converting every sample with LibreOffice and reading each heading's page from its PDF outline.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pypdf
import pytest
from lxml import etree

from compiler.diagnostics import Diagnostics
from compiler.render import RenderOptions, renderer_for
from compiler.render.docx.fontembed import OBFUSCATED_FONT, faces_used, font_key, obfuscated

from .conftest import run_reportc, sample_sources
from .docx_fixtures import NS, W, compose, convert_with_libreoffice, part_xml, render_docx, soffice

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMBEDS = {"embedRegular": "regular", "embedBold": "bold", "embedItalic": "italic", "embedBoldItalic": "bold_italic"}


def _archive(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


@pytest.fixture(scope="module")
def northshire():
    document = compose(next(path for path in sample_sources() if path.stem == "northshire-peel-2021"))
    return document, render_docx(document)


# ---- the brand font, embedded ------------------------------------------------------------


def test_the_style_faces_are_embedded_and_deobfuscate_to_the_font_files(northshire):
    """The system may have the font installed (CI installs Liberation), so a rendering cannot
    tell an embedded face from an installed one: each part must give back the style's own file."""
    document, data = northshire
    fonts = document.style.fonts
    table = part_xml(data, "word/fontTable.xml")
    family = table.find(f"w:font[@w:name='{fonts.family}']", NS)
    assert family.find("w:altName", NS).get(f"{{{W}}}val") == "Arial"  # for a reader without it
    assert table.find("w:font[@w:name='Arial']", NS) is not None
    rels = {rel.get("Id"): rel.get("Target")
            for rel in part_xml(data, "word/_rels/fontTable.xml.rels")}
    embedded = [child for child in family if etree.QName(child).localname in EMBEDS]
    assert [etree.QName(e).localname for e in embedded][:2] == ["embedRegular", "embedBold"]
    with _archive(data) as archive:
        for embed in embedded:
            key = embed.get(f"{{{W}}}fontKey")
            assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", key)
            stored = archive.read("word/" + rels[embed.get(f"{{{R}}}id")])
            original = getattr(fonts, EMBEDS[etree.QName(embed).localname]).read_bytes()
            assert stored != original and stored[32:] == original[32:]  # only the first 32 bytes differ
            assert obfuscated(stored, key) == original
            assert key == font_key(original)  # from the bytes: the same report, the same package
        types = etree.fromstring(archive.read("[Content_Types].xml"))
    assert any(d.get("Extension") == "odttf" and d.get("ContentType") == OBFUSCATED_FONT for d in types)
    settings = part_xml(data, "word/settings.xml")
    assert settings.find("w:embedTrueTypeFonts", NS) is not None  # a reviewer's Word keeps them


def test_the_xor_key_is_the_guid_read_from_its_end():
    # ECMA-376 Part 1, 17.8.1: key byte i is GUID string byte 15 - i (as hex pairs, braces and
    # dashes dropped), applied to bytes 0-15 and again to 16-31.
    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    out = obfuscated(bytes(40), key)
    assert out[:16] == bytes.fromhex("FFEEDDCCBBAA99887766554433221100") == out[16:32]
    assert out[32:] == bytes(8)


def test_only_the_faces_the_text_uses_are_embedded():
    w = f'xmlns:w="{W}"'
    styles = etree.fromstring(
        f'<w:styles {w}><w:style w:styleId="Plain"/><w:style w:styleId="Strong"><w:rPr><w:b/></w:rPr></w:style>'
        f'<w:style w:styleId="Quote"><w:basedOn w:val="Plain"/><w:rPr><w:i/></w:rPr></w:style></w:styles>')
    plain = etree.fromstring(f'<w:body {w}><w:p><w:r><w:t>a</w:t></w:r>'
                             f'<w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>b</w:t></w:r></w:p></w:body>')
    assert faces_used(styles, [plain]) == {(False, False), (True, False)}
    quoted = etree.fromstring(f'<w:body {w}><w:p><w:pPr><w:pStyle w:val="Quote"/></w:pPr>'
                              f'<w:r><w:rPr><w:b/></w:rPr><w:t>c</w:t></w:r>'
                              f'<w:r><w:rPr><w:i w:val="0"/></w:rPr><w:t>d</w:t></w:r></w:p></w:body>')
    assert faces_used(styles, [quoted]) == {(True, True), (False, False)}


# ---- the running header, on one line as in the PDF ---------------------------------------------


def _header_line(data: bytes) -> tuple[str, str]:
    """The body pages' header line: its text before and after its tab."""
    for name in sorted(n for n in _archive(data).namelist() if re.fullmatch(r"word/header\d+\.xml", n)):
        for p in part_xml(data, name).iter(f"{{{W}}}p"):
            if p.find(".//w:tab", NS) is not None:
                text = "".join("\t" if node.tag == f"{{{W}}}tab" else node.text or ""
                               for node in p.iter(f"{{{W}}}t", f"{{{W}}}tab"))
                left, _, right = text.partition("\t")
                return left, right
    raise AssertionError("no header line with a tab")


def _is_shortened(text: str, full: str) -> bool:
    return text.endswith("\u2026") and len(text) > 10 and full.startswith(text[:-1])


def test_a_long_subject_ends_in_an_ellipsis_as_in_the_pdf_and_the_header_keeps_one_line(northshire, tmp_path):
    document, _ = northshire
    subject = "The Chief Constable of the Northshire and Westmoor Combined Police Service Area"
    document = replace(document, running=replace(document.running, header_right=subject))
    data = render_docx(document)
    left, right = _header_line(data)
    assert _is_shortened(right, subject)
    assert left == document.running.header_left or _is_shortened(left, document.running.header_left)
    # the PDF shortens both to the same words (both measure the same face at the same size)
    pdf = renderer_for("pdf")(document, RenderOptions(), Diagnostics()).data
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[2].extract_text()
    assert left in page and right in page
    if not soffice():
        pytest.skip("LibreOffice (soffice) is not installed: the header's one line is unchecked")
    (tmp_path / "header.docx").write_bytes(data)
    convert_with_libreoffice([tmp_path / "header.docx"], tmp_path)
    laid_out = pypdf.PdfReader(tmp_path / "header.pdf").pages[2].extract_text().splitlines()
    assert any(row.startswith(left) and row.endswith(right) for row in laid_out), laid_out[:3]


# ---- the PDF's page numbers, right in LibreOffice's layout --------------------------------------


def _contents(path: Path) -> list[tuple[str, int]]:
    """(entry text, page) of each contents entry, as the DOCX's cached TOC field shows them."""
    entries = []
    for p in docx.Document(path).paragraphs:
        if p.style.name.lower().startswith("toc ") and "\t" in p.text:
            *title, page = p.text.split("\t")
            entries.append((" ".join(" ".join(title).split()), int(page)))
    return entries


def _outline_pages(pdf: Path) -> list[tuple[str, int]]:
    reader = pypdf.PdfReader(pdf)
    found: list[tuple[str, int]] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((" ".join(item.title.split()), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return found


def _laid_out_pages(docx_path: Path, pdf_path: Path) -> list[tuple[str, int, int | None]]:
    """(entry, page the contents says, page LibreOffice puts the heading on), in order."""
    outline, at, out = _outline_pages(pdf_path), 0, []
    for title, page in _contents(docx_path):
        while at < len(outline) and outline[at][0] != title:
            at += 1
        out.append((title, page, outline[at][1] if at < len(outline) else None))
    return out


@pytest.fixture(scope="module")
def laid_out(built_samples, tmp_path_factory):
    if not soffice():
        pytest.skip("LibreOffice (soffice) is not installed: the DOCX's pagination is unmeasured")
    out = tmp_path_factory.mktemp("pagination")
    stress = tmp_path_factory.mktemp("stress")
    result = run_reportc("build", "tests/pdf_fixtures/stress.yaml", "--allow-missing-glyphs", "--out", str(stress),
                         env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    files = sorted(built_samples.glob("*.docx")) + sorted(stress.glob("*.docx"))
    convert_with_libreoffice(files, out)
    return {path.stem: _laid_out_pages(path, out / f"{path.stem}.pdf") for path in files}


def test_every_sample_s_contents_pages_are_right_in_libreoffice(laid_out):
    samples = {key: pages for key, pages in laid_out.items() if key != "pdf-stress"}
    assert len(samples) == len(sample_sources())
    for key, pages in samples.items():
        assert pages, key
        wrong = [(title, said, real) for title, said, real in pages if said != real]
        assert not wrong, (key, wrong)


def test_the_stress_report_s_contents_pages_are_at_most_one_page_out(laid_out):
    """README says why: a box holding a paragraph taller than a page starts on the next page in
    LibreOffice where the PDF splits it in place, and every page after it is one later."""
    pages = laid_out["pdf-stress"]
    assert len(pages) > 40
    assert all(real is not None and 0 <= real - said <= 1 for _, said, real in pages), pages
    assert sum(said == real for _, said, real in pages) >= len(pages) // 3
