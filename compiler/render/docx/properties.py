"""Word XML properties, built: the pieces of paragraph, run and table properties the stylesheet
and the renderer write, in the order the schema asks (Word refuses files that break it)."""
from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

from .ooxml import el, half_points, hex_colour, twips

# Schema order of the children of w:pPr, w:rPr and w:style: Word refuses files that break it.
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
_RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()


def _ordered(parent_tag: str, children: list[etree._Element], order: list[str]) -> etree._Element:
    parent = el(parent_tag)
    rank = {qn("w:" + name): i for i, name in enumerate(order)}
    for child in sorted(children, key=lambda c: rank[c.tag]):
        parent.append(child)
    return parent


# ---- property builders -----------------------------------------------------------------


def font(family: str) -> etree._Element:
    return el("w:rFonts", {"w:ascii": family, "w:hAnsi": family, "w:cs": family, "w:eastAsia": family})


def size(pt: float) -> list[etree._Element]:
    return [el("w:sz", {"w:val": half_points(pt)}), el("w:szCs", {"w:val": half_points(pt)})]


def colour(value: str) -> etree._Element:
    return el("w:color", {"w:val": hex_colour(value)})


def bold() -> list[etree._Element]:
    return [el("w:b"), el("w:bCs")]


def italic() -> list[etree._Element]:
    return [el("w:i"), el("w:iCs")]


def spacing(before_pt: float = 0, after_pt: float = 0, line: float | None = None,
            leading_pt: float | None = None) -> etree._Element:
    """Space around a paragraph; its lines at `line` times the font's own line height, or at least
    `leading_pt` apart (the PDF's leading: taller content such as a badge still gets its room)."""
    attrs = {"w:before": str(round(before_pt * 20)), "w:after": str(round(after_pt * 20))}
    if line is not None:
        attrs.update({"w:line": str(round(line * 240)), "w:lineRule": "auto"})
    elif leading_pt is not None:
        attrs.update({"w:line": str(round(leading_pt * 20)), "w:lineRule": "atLeast"})
    return el("w:spacing", attrs)


def indent(left_mm: float = 0, hanging_mm: float = 0) -> etree._Element:
    attrs = {"w:left": twips(left_mm)}
    if hanging_mm:
        attrs["w:hanging"] = twips(hanging_mm)
    return el("w:ind", attrs)


def tabs(*stops: tuple[str, float, str]) -> etree._Element:
    """Tab stops as (alignment, position in mm, leader)."""
    node = el("w:tabs")
    for align, pos_mm, leader in stops:
        node.append(el("w:tab", {"w:val": align, "w:pos": twips(pos_mm), "w:leader": leader}))
    return node


def fill(value: str) -> etree._Element:
    return el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": hex_colour(value)})


def border(side: str, colour_value: str, eighths: int = 4, space: int = 1) -> etree._Element:
    return el(f"w:{side}", {"w:val": "single", "w:sz": str(eighths), "w:space": str(space),
                            "w:color": hex_colour(colour_value)})


def numbering(num_id: int, level: int = 0) -> etree._Element:
    return el("w:numPr", {}, el("w:ilvl", {"w:val": str(level)}), el("w:numId", {"w:val": str(num_id)}))


def flag(tag: str) -> etree._Element:
    return el(f"w:{tag}")


def value(tag: str, v: str) -> etree._Element:
    return el(f"w:{tag}", {"w:val": v})
