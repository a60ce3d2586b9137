"""The DOCX cover's brand band: the PDF cover (render/pdf/page.py) in Word's terms.

The PDF paints a band of `cover.band_colour` across the whole top of page 1, at least
`cover.band_height_mm` deep, with the logo at the top margin and the title, subject and programme
on it; the date and draft status follow below. Word has no page-level painting, so the band is
two pieces that meet at the top margin:

  strip   a rectangle in the cover's header, from the paper's top edge down to the top margin,
          as wide as the paper (a fixed size: it never holds text);
  table   one shaded cell, pulled out to the paper's edges (its edge a cell margin left of its
          text, width = the page), holding the logo and texts; it grows with them as the PDF's band does.

An in-flow table rather than a floating one: LibreOffice 7 places floating tables at the margins,
and a table keeps the band's text selectable and editable. The cell's side margins are the page
margins, so the texts line up with the body's column as in the PDF.
"""
from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from ...style.types import Style
from .ooxml import PT_PER_MM, el, hex_colour, shading, sub, twips
from .spacing import set_space_before

BAND_PADDING_MM = 14  # the PDF's BAND_PADDING under the band's last text


def space_under_band(band: etree._Element) -> None:
    """The PDF's BAND_PADDING between the band and the first text under it (date, status): the
    band's cell margin pads the band's own texts, so the text below it needs its own gap."""
    first = band.getnext()
    if first is not None and first.tag == qn("w:p"):
        set_space_before(first, int(twips(BAND_PADDING_MM)))


def band_table(style: Style, paragraphs: list[etree._Element]) -> etree._Element:
    """The band below the top margin, holding `paragraphs` (logo, title, subject, programme)."""
    page, cover = style.page, style.cover
    tbl = el("w:tbl")
    tbl_pr = sub(tbl, "w:tblPr")
    sub(tbl_pr, "w:tblW", {"w:w": twips(page.width_mm), "w:type": "dxa"})
    # The document is in Word 2010 compatibility mode (settings.xml: compatibilityMode 14), where the
    # indent places the first cell's text, not the table's edge: the edge lies one cell margin (the
    # page's left margin) further left, at the paper's edge. LibreOffice reads it the same way.
    sub(tbl_pr, "w:tblInd", {"w:w": "0", "w:type": "dxa"})
    borders = sub(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub(borders, f"w:{side}", {"w:val": "nil"})
    sub(tbl_pr, "w:tblLayout", {"w:type": "fixed"})
    margins = sub(tbl_pr, "w:tblCellMar")
    for side, mm in (("top", 0), ("left", page.margin_left_mm), ("bottom", BAND_PADDING_MM),
                     ("right", page.margin_right_mm)):
        sub(margins, f"w:{side}", {"w:w": twips(mm), "w:type": "dxa"})
    sub(tbl_pr, "w:tblLook", {"w:val": "0000", "w:firstRow": "0", "w:lastRow": "0", "w:firstColumn": "0",
                              "w:lastColumn": "0", "w:noHBand": "1", "w:noVBand": "1"})
    sub(tbl_pr, "w:tblCaption", {"w:val": style.label("cover")})
    sub(sub(tbl, "w:tblGrid"), "w:gridCol", {"w:w": twips(page.width_mm)})
    row = sub(tbl, "w:tr")
    row_pr = sub(row, "w:trPr")
    sub(row_pr, "w:cantSplit")
    below_margin = max(0.0, cover.band_height_mm - page.margin_top_mm)  # the strip is the rest
    sub(row_pr, "w:trHeight", {"w:val": twips(below_margin), "w:hRule": "atLeast"})
    cell = sub(row, "w:tc")
    cell_pr = sub(cell, "w:tcPr")
    sub(cell_pr, "w:tcW", {"w:w": twips(page.width_mm), "w:type": "dxa"})
    cell_pr.append(shading(cover.band_colour))
    cell.extend(paragraphs)
    return tbl


_STRIP = (
    '<w:r %s><w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:rect id="CoverBandTop" o:spid="_x0000_s1025"'
    ' style="position:absolute;margin-left:0;margin-top:0;width:%.2fpt;height:%.2fpt;'
    'z-index:-251660288;mso-position-horizontal-relative:page;mso-position-vertical-relative:page"'
    ' o:allowincell="f" fillcolor="#%s" stroked="f">'
    '<w10:wrap anchorx="page" anchory="page"/></v:rect></w:pict></w:r>'
)


def band_top_run(style: Style) -> etree._Element:
    """The band above the top margin: a page-anchored rectangle behind the cover's header.

    It reaches down the band's whole height, behind the band's table: LibreOffice starts the
    body below the header's own height, which can be lower than the top margin, and a strip of
    the margin's height alone left a white line across the band there."""
    page = style.page
    namespaces = (nsdecls("w") + ' xmlns:v="urn:schemas-microsoft-com:vml"'
                  ' xmlns:o="urn:schemas-microsoft-com:office:office"'
                  ' xmlns:w10="urn:schemas-microsoft-com:office:word"')
    height_mm = max(page.margin_top_mm, style.cover.band_height_mm)
    return parse_xml(_STRIP % (namespaces, page.width_mm * PT_PER_MM, height_mm * PT_PER_MM,
                               hex_colour(style.cover.band_colour)))


def paint_band_top(header: etree._Element, style: Style) -> None:
    """Put the strip in the cover's header, behind its marking, which then takes the band's text
    colour as the PDF's marking on the band does."""
    first = header.find(qn("w:p"))
    runs = first.findall(qn("w:r"))
    for run in runs:
        if run.find(qn("w:t")) is not None:
            run_pr = run.find(qn("w:rPr"))
            if run_pr is None:
                run_pr = el("w:rPr")
                run.insert(0, run_pr)
            run_pr.append(el("w:color", {"w:val": hex_colour(style.cover.text_colour)}))
    first.insert(1 if first.find(qn("w:pPr")) is not None else 0, band_top_run(style))
