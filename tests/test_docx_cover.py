"""Issue 14, item 3: the DOCX cover is the PDF's: a band in the brand colour across the whole top of
the page (a page-anchored strip above the top margin, then a shaded full-width cell), with the
logo, title, subject and programme on it, and its texts inset by the page margins."""
from __future__ import annotations

from docx.oxml.ns import qn

from tests.conftest import ROOT
from tests.docx_fixtures import compose, open_docx, render_docx

TWIPS_PER_MM = 1440 / 25.4
V = "{urn:schemas-microsoft-com:vml}"


def test_the_cover_band_spans_the_page_in_the_brand_colour_and_holds_the_cover_texts():
    document = compose(ROOT / "sources" / "northshire-peel-2021.yaml")
    word = open_docx(render_docx(document))
    style = document.style
    band = word.element.body[0]
    assert band.tag == qn("w:tbl")  # the first thing on page 1
    cell = band.find(f"{qn('w:tr')}/{qn('w:tc')}")
    assert cell.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) == style.cover.band_colour.lstrip("#").upper()
    width = int(band.find(f"{qn('w:tblPr')}/{qn('w:tblW')}").get(qn("w:w")))
    assert abs(width - style.page.width_mm * TWIPS_PER_MM) <= 1
    margins = band.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    left = int(margins.find(qn("w:left")).get(qn("w:w")))
    assert abs(left - style.page.margin_left_mm * TWIPS_PER_MM) <= 1  # texts line up with the body
    texts = ["".join(t.text for t in p.iter(qn("w:t"))) for p in cell.iter(qn("w:p"))]
    assert texts == ["", document.cover.title, document.cover.subject, document.cover.programme]
    assert cell.find(".//" + qn("w:drawing")) is not None  # the logo, on the band
    strip = word.sections[0].first_page_header._element.find(f".//{V}rect")
    assert strip is not None and strip.get("fillcolor") == style.cover.band_colour.upper()
    assert "mso-position-vertical-relative:page" in strip.get("style")
