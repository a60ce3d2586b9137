"""WordprocessingML element builders for what python-docx has no API for, or no fast one.

Everything here builds lxml elements through python-docx's own parser, so python-docx reads
them back as its usual classes. Text reaches the XML only through `text_run`, as element text:
lxml escapes it, so `<`, `&` and quotes in a report are printed literally.
"""
from __future__ import annotations

import hashlib
import re
from typing import Iterable, Iterator

from functools import lru_cache

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.ns import qn as _qn
from docx.oxml.parser import oxml_parser
from lxml import etree

qn = lru_cache(maxsize=None)(_qn)  # 'w:p' -> '{uri}p', asked tens of thousands of times


def OxmlElement(tag: str) -> etree._Element:
    """A detached element that python-docx reads back as its own class (CT_P, CT_R, ...).

    Cheaper than python-docx's OxmlElement: no namespace map; lxml declares the namespace on
    the element only until it is appended to a tree that already declares it.
    """
    return oxml_parser.makeelement(qn(tag))


W_T = qn("w:t")
W_VAL = qn("w:val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

TWIPS_PER_MM = 1440 / 25.4
PT_PER_MM = 72 / 25.4


def twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


def half_points(pt: float) -> str:
    return str(round(pt * 2))


def hex_colour(colour: str) -> str:
    """'#1a2b3c' -> '1A2B3C', the form OOXML colour attributes take."""
    return colour.lstrip("#").upper()


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """A new element; `attrs` keys are prefixed names such as 'w:val'."""
    node = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        node.set(qn(key), value)
    for child in children:
        node.append(child)
    return node


def sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None) -> etree._Element:
    node = etree.SubElement(parent, qn(tag))
    for key, value in (attrs or {}).items():
        node.set(qn(key), value)
    return node


# ---- paragraphs and runs ---------------------------------------------------------------


def paragraph(style_id: str | None) -> etree._Element:
    p = OxmlElement("w:p")
    if style_id:
        ppr = etree.SubElement(p, qn("w:pPr"))
        etree.SubElement(ppr, qn("w:pStyle")).set(W_VAL, style_id)
    return p


def paragraph_properties(p: etree._Element) -> etree._Element:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        p.insert(0, ppr)
    return ppr


# How a run looks: (character style id or None, bold, italic). Runs get fresh properties each,
# since an lxml element can have only one parent.
RunFormat = tuple


def run_properties(fmt: RunFormat | None) -> etree._Element | None:
    if not fmt or not any(fmt):
        return None
    char_style, bold, italic = fmt
    rpr = OxmlElement("w:rPr")
    if char_style:
        etree.SubElement(rpr, qn("w:rStyle")).set(W_VAL, char_style)
    if bold:
        etree.SubElement(rpr, qn("w:b"))
    if italic:
        etree.SubElement(rpr, qn("w:i"))
    return rpr


def new_run(fmt: RunFormat | None = None) -> etree._Element:
    r = OxmlElement("w:r")
    rpr = run_properties(fmt)
    if rpr is not None:
        r.append(rpr)
    return r


_BREAKS = re.compile(r"(\t|\n)")


def text_run(text: str, fmt: RunFormat | None = None) -> etree._Element:
    """One run of literal text; tabs and line breaks become w:tab and w:br, as Word writes them."""
    r = new_run(fmt)
    for piece in _BREAKS.split(text):
        if piece == "\t":
            etree.SubElement(r, qn("w:tab"))
        elif piece == "\n":
            etree.SubElement(r, qn("w:br"))
        elif piece:
            t = etree.SubElement(r, W_T)
            t.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                t.set(XML_SPACE, "preserve")
    return r


def font_runs(runs: Iterable[tuple[str, str | None]], fmt: RunFormat | None = None) -> Iterator[etree._Element]:
    """A text run per piece; a piece with a family names it (w:rFonts), so Word sets the characters
    the style's own font lacks in the fallback font the PDF sets them in."""
    for text, family in runs:
        r = text_run(text, fmt)
        if family:
            rpr = r.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                r.insert(0, rpr)
            fonts = el("w:rFonts", {"w:ascii": family, "w:hAnsi": family, "w:cs": family, "w:eastAsia": family})
            rpr.insert(1 if rpr.find(qn("w:rStyle")) is not None else 0, fonts)
        yield r


def tab_run(fmt: RunFormat | None = None) -> etree._Element:
    r = new_run(fmt)
    etree.SubElement(r, qn("w:tab"))
    return r


# ---- fields, bookmarks, links ----------------------------------------------------------


def field_runs(instruction: str, result: str, fmt: RunFormat | None = None) -> list[etree._Element]:
    """A complex field (begin, instruction, separate, cached result, end) as runs."""
    return field_start(instruction, fmt) + [text_run(result, fmt), field_end(fmt)]


def field_start(instruction: str, fmt: RunFormat | None = None) -> list[etree._Element]:
    instr = new_run(fmt)
    text = etree.SubElement(instr, qn("w:instrText"))
    text.text = f" {instruction} "
    text.set(XML_SPACE, "preserve")
    return [_field_char("begin", fmt), instr, _field_char("separate", fmt)]


def field_end(fmt: RunFormat | None = None) -> etree._Element:
    return _field_char("end", fmt)


def _field_char(kind: str, fmt: RunFormat | None) -> etree._Element:
    r = new_run(fmt)
    etree.SubElement(r, qn("w:fldChar")).set(qn("w:fldCharType"), kind)
    return r


def bookmark_around(p: etree._Element, bookmark_id: int, name: str) -> None:
    """Bookmark the whole content of paragraph `p` (after its properties, and after a footnote's
    own number: LibreOffice drops or renames a bookmark before that number in every note but the
    first)."""
    start = el("w:bookmarkStart", {"w:id": str(bookmark_id), "w:name": name})
    ppr = p.find(qn("w:pPr"))
    at = 0 if ppr is None else p.index(ppr) + 1
    if at < len(p) and p[at].find(qn("w:footnoteRef")) is not None:
        at += 1
    p.insert(at, start)
    p.append(el("w:bookmarkEnd", {"w:id": str(bookmark_id)}))


def internal_link(anchor: str, runs: Iterable[etree._Element]) -> etree._Element:
    link = el("w:hyperlink", {"w:anchor": anchor, "w:history": "1"})
    for r in runs:
        link.append(r)
    return link


def external_link(rel_id: str, runs: Iterable[etree._Element]) -> etree._Element:
    link = el("w:hyperlink", {"r:id": rel_id, "w:history": "1"})
    for r in runs:
        link.append(r)
    return link


class HyperlinkTargets:
    """One part's hyperlink relationships, indexed by target: each target is related once.

    python-docx's `part.relate_to(target, ..., is_external=True)` scans every relationship of
    the part for a match and again for a free rId, so N distinct links cost N² (16,700 links
    took 52 s). Here a dict finds a target and the next free rId only moves forward: O(N).
    """

    def __init__(self, rels) -> None:
        self.rels = rels
        self.ids: dict[str, str] = {}
        self._next = 1

    def rel_id(self, target: str) -> str:
        rel_id = self.ids.get(target)
        if rel_id is None:
            rel_id = self._free_rel_id()
            self.rels.add_relationship(RT.HYPERLINK, target, rel_id, is_external=True)
            self.ids[target] = rel_id
        return rel_id

    def _free_rel_id(self) -> str:
        # rIds taken by python-docx itself (styles, numbering, the logo) are skipped, never reused
        while f"rId{self._next}" in self.rels:
            self._next += 1
        return f"rId{self._next}"


def bookmark_name(anchor: str, prefix: str = "_Toc_") -> str:
    """A Word bookmark name for a layout anchor: letters, digits and _, at most 40 characters.

    The leading underscore makes it a hidden bookmark, so Word's bookmark list stays clean.
    """
    safe = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    name = prefix + safe
    if len(name) > 40:
        digest = hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:8]
        name = prefix + safe[: 40 - len(prefix) - 9] + "_" + digest
    return name


# ---- shapes ----------------------------------------------------------------------------

_WATERMARK = (
    "<w:r %s><w:rPr><w:noProof/></w:rPr><w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    '<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
    '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
    '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>'
    '<v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"'
    ' o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject%d" o:spid="_x0000_s%d" type="#_x0000_t136"'
    ' style="position:absolute;margin-left:0;margin-top:0;width:%.1fpt;height:%.1fpt;rotation:315;'
    "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f"'
    ' fillcolor="#%s" stroked="f"><v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;%s&quot;;font-size:1pt"/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
)


def watermark_run(text: str, font: str, colour: str, width_pt: float, shape_number: int) -> etree._Element:
    """Word's own "DRAFT" watermark: a rotated WordArt shape behind the text, in a header."""
    height = width_pt * 0.6 / max(len(text), 1) * 2
    xml = _WATERMARK % (_VML_NAMESPACES, shape_number, 2048 + shape_number,
                        width_pt, height, hex_colour(colour), _css_string(font))
    r = parse_xml(xml)
    r.find(".//{urn:schemas-microsoft-com:vml}textpath[@style]").set("string", text)
    return r


_VML_NAMESPACES = (nsdecls("w") + ' xmlns:v="urn:schemas-microsoft-com:vml"'
                   ' xmlns:o="urn:schemas-microsoft-com:office:office"'
                   ' xmlns:w10="urn:schemas-microsoft-com:office:word"')


def _css_string(font: str) -> str:
    return re.sub(r'["&<>;]', "", font)


def shading(fill: str) -> etree._Element:
    return el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": hex_colour(fill)})


def set_keep_next(p: etree._Element) -> None:
    """keepNext on a paragraph: Word and LibreOffice keep it on the page of the one after it."""
    ppr = paragraph_properties(p)
    if ppr.find(qn("w:keepNext")) is None:
        # keepNext comes right after pStyle in w:pPr's sequence
        ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, el("w:keepNext"))
