"""Word styles generated from the resolved Style: one brand file drives the PDF and the DOCX.

The stylesheet replaces python-docx's template styles whole, so a document carries only the
styles it was designed with. Layout roles become named styles ("lead-in" -> "Lead In"); heading
levels use Word's built-in Heading 1-4 so the navigation pane and the TOC field work. Style ids
are known here, so the renderer never asks python-docx to look a style up by name (a scan of
every style per paragraph).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from docx.oxml.ns import qn
from lxml import etree

from ...style.types import Style
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

# Word's internal names for built-in styles it localises (python-docx shows "Heading 1" for "heading 1").
_BUILTIN_NAMES = {"Heading 1": "heading 1", "Heading 2": "heading 2", "Heading 3": "heading 3",
                  "Heading 4": "heading 4", "Header": "header", "Footer": "footer", "TOC 1": "toc 1",
                  "TOC 2": "toc 2", "TOC 3": "toc 3", "Caption": "caption"}

BULLET_NUM_ID = 1  # the one bullet list instance every bulleted paragraph shares
NUMBER_NUM_ID = 2  # the default numbered list instance; each ordered list gets its own restart


@lru_cache(maxsize=None)
def style_id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", name)


_SMALL_WORDS = frozenset({"a", "an", "and", "at", "for", "of", "the", "to"})


def role_style_name(role: str) -> str:
    """'lead-in' -> 'Lead In', 'cause-of-concern' -> 'Cause of Concern': a role as a style name."""
    words = role.split("-")
    return " ".join(w if i and w in _SMALL_WORDS else w.capitalize() for i, w in enumerate(words))


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


def spacing(before_pt: float = 0, after_pt: float = 0, line: float | None = None) -> etree._Element:
    attrs = {"w:before": str(round(before_pt * 20)), "w:after": str(round(after_pt * 20))}
    if line is not None:
        attrs.update({"w:line": str(round(line * 240)), "w:lineRule": "auto"})
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


# ---- the stylesheet --------------------------------------------------------------------


@dataclass(frozen=True)
class StyleDef:
    kind: str  # "paragraph" | "character" | "table"
    name: str
    based_on: str | None = None
    next: str | None = None
    ppr: tuple[etree._Element, ...] = ()
    rpr: tuple[etree._Element, ...] = ()
    extra: tuple[etree._Element, ...] = ()  # tblPr, tcPr, tblStylePr for table styles
    primary: bool = True  # shown in Word's style gallery


class StyleSheet:
    """The document's styles, built from the Style once; role and grade styles added on demand."""

    def __init__(self, style: Style, language: str):
        self.style = style
        self.language = language  # the report's, which may differ from the style's default
        self._defs: dict[str, StyleDef] = {}
        for definition in base_styles(style):
            self._add(definition)

    def _add(self, definition: StyleDef) -> str:
        self._defs.setdefault(definition.name, definition)
        return style_id(definition.name)

    def id(self, name: str) -> str:
        if name not in self._defs:
            raise KeyError(name)
        return style_id(name)

    def paragraph_role(self, role: str) -> str:
        """The paragraph style id for a layout role; unknown roles get a plain body style."""
        name = ROLE_STYLES.get(role) or role_style_name(role)
        if name not in self._defs:
            self._add(StyleDef("paragraph", name, based_on="Body Text", next="Body Text"))
        return style_id(name)

    def list_role(self, role: str, ordered: bool) -> str:
        """The style of a top-level list item for a layout role (numbering comes from the style)."""
        name = ROLE_STYLES.get(role) or role_style_name(role)
        if name not in self._defs:
            self._add(StyleDef("paragraph", name, based_on="List Number" if ordered else "List Bullet"))
        return style_id(name)

    def unlisted_heading(self, role: str, level: int) -> str:
        """A heading that looks like Heading N but has no outline level: kept out of the contents."""
        return self._add(StyleDef("paragraph", role_style_name(role), based_on=f"Heading {level}",
                                  next="Body Text", ppr=(value("outlineLvl", "9"),)))

    def subheading(self, level: int) -> str:
        """A `###` in running text: bold, at body size, in the text colour, as the PDF and the HTML
        set it. It keeps a heading's keep-with-next and outline level (levels 1 and 2 stay out of
        the contents), but not Heading 2's hanging indent, which is there for question numbers."""
        outline = (value("outlineLvl", "9" if level < 3 else str(level - 1)),) if level < 3 or level > 4 else ()
        return self._add(StyleDef("paragraph", f"Subheading {level}", based_on=f"Heading {min(max(level, 3), 4)}",
                                  next="Body Text", ppr=outline,
                                  rpr=(*size(self.style.fonts.size), colour(self.style.colours.text))))

    def grade(self, label: str, fill_value: str, text_colour: str) -> str:
        """A character style per grade: shading and contrast colour chosen by layout."""
        return self._add(StyleDef("character", f"Grade {label}", based_on="Grade Badge Text",
                                  rpr=(colour(text_colour), fill(fill_value))))

    def element(self) -> etree._Element:
        root = el("w:styles")
        root.append(_doc_defaults(self.style, self.language))
        for definition in self._defs.values():
            root.append(_style_element(definition))
        return root


ROLE_STYLES = {
    "body": "Body Text",
    "bullets": "List Bullet",
    "numbers": "List Number",
    "areas-for-improvement": "Area for Improvement",
    "recommendations": "Recommendation",
}


def _doc_defaults(style: Style, language: str) -> etree._Element:
    rpr = _ordered("w:rPr", [font(style.fonts.family), *size(style.fonts.size), colour(style.colours.text),
                             el("w:lang", {"w:val": language, "w:eastAsia": language, "w:bidi": language})],
                   _RPR_ORDER)
    ppr = _ordered("w:pPr", [spacing(0, 6, 1.15)], _PPR_ORDER)
    return el("w:docDefaults", {}, el("w:rPrDefault", {}, rpr), el("w:pPrDefault", {}, ppr))


def _style_element(d: StyleDef) -> etree._Element:
    attrs = {"w:type": d.kind, "w:styleId": style_id(d.name)}
    if d.name in ("Normal", "Default Paragraph Font", "Normal Table", "No List"):
        attrs["w:default"] = "1"
    node = el("w:style", attrs, value("name", _BUILTIN_NAMES.get(d.name, d.name)))
    if d.based_on:
        node.append(value("basedOn", style_id(d.based_on)))
    if d.next:
        node.append(value("next", style_id(d.next)))
    if d.primary:
        node.append(flag("qFormat"))
    if d.ppr:
        node.append(_ordered("w:pPr", list(d.ppr), _PPR_ORDER))
    if d.rpr:
        node.append(_ordered("w:rPr", list(d.rpr), _RPR_ORDER))
    for extra in d.extra:
        node.append(extra)
    return node


def text_width_mm(style: Style) -> float:
    return style.page.width_mm - style.page.margin_left_mm - style.page.margin_right_mm


def base_styles(s: Style) -> list[StyleDef]:
    c, size_pt = s.colours, s.fonts.size
    width = text_width_mm(s)
    cover = s.cover
    return [
        # Widow and orphan control for every paragraph, as the PDF's styles have it.
        StyleDef("paragraph", "Normal", ppr=(flag("widowControl"),)),
        StyleDef("character", "Default Paragraph Font", primary=False),
        StyleDef("table", "Normal Table", primary=False, extra=(el("w:tblPr", {}, el("w:tblInd", {"w:w": "0", "w:type": "dxa"}), el("w:tblCellMar", {}, el("w:top", {"w:w": "0", "w:type": "dxa"}), el("w:left", {"w:w": "108", "w:type": "dxa"}), el("w:bottom", {"w:w": "0", "w:type": "dxa"}), el("w:right", {"w:w": "108", "w:type": "dxa"}))),)),
        StyleDef("numbering", "No List", primary=False),
        StyleDef("paragraph", "Body Text", "Normal", ppr=(spacing(0, 8, 1.15),)),
        # The cover's band texts sit in the band's shaded cell (cover.py), with the PDF's sizes and
        # gaps: 6 mm between them (17 pt), 16 mm under the logo (45 pt).
        StyleDef("paragraph", "Title", "Normal", "Cover Subject",
                 ppr=(spacing(0, 17, 1.0), indent(0)),
                 rpr=(*bold(), *size(cover.title_size), colour(cover.text_colour))),
        StyleDef("paragraph", "Cover Subject", "Normal",
                 ppr=(spacing(0, 17, 1.0),),
                 rpr=(*bold(), *size(cover.title_size * 0.62), colour(cover.text_colour))),
        StyleDef("paragraph", "Cover Programme", "Normal",
                 ppr=(spacing(0, 0, 1.15),),
                 rpr=(*size(size_pt * 1.15), colour(cover.text_colour))),
        StyleDef("paragraph", "Cover Band End", "Cover Programme", ppr=(spacing(0, 24, 1.0),),
                 rpr=tuple(size(size_pt * 0.5)), primary=False),
        StyleDef("paragraph", "Cover Details", "Normal", ppr=(spacing(6, 6),), rpr=(*size(size_pt * 1.2), colour(c.text))),
        StyleDef("paragraph", "Cover Status", "Normal", ppr=(spacing(18, 6),),
                 rpr=(*bold(), *size(size_pt * 2), colour(c.primary))),
        StyleDef("paragraph", "Cover Logo", "Normal", ppr=(spacing(0, 45, 1.0),)),
        StyleDef("paragraph", "Heading 1", "Normal", "Body Text",
                 ppr=(flag("keepNext"), flag("keepLines"), spacing(18, 8, 1.0), value("outlineLvl", "0")),
                 rpr=(*bold(), *size(size_pt * 1.9), colour(c.primary))),
        StyleDef("paragraph", "Heading 2", "Normal", "Body Text",
                 ppr=(flag("keepNext"), flag("keepLines"), tabs(("left", 12, "none")), spacing(16, 6, 1.0),
                      indent(12, 12), value("outlineLvl", "1")),
                 rpr=(*bold(), *size(size_pt * 1.4), colour(c.primary))),
        StyleDef("paragraph", "Heading 3", "Normal", "Body Text",
                 ppr=(flag("keepNext"), flag("keepLines"), spacing(12, 4, 1.0), value("outlineLvl", "2")),
                 rpr=(*bold(), *size(size_pt * 1.15), colour(c.primary))),
        StyleDef("paragraph", "Heading 4", "Normal", "Body Text",
                 ppr=(flag("keepNext"), flag("keepLines"), spacing(10, 4, 1.0), value("outlineLvl", "3")),
                 rpr=(*bold(), *size(size_pt), colour(c.text))),
        StyleDef("paragraph", "TOC Heading", "Heading 1", "Normal", ppr=(value("outlineLvl", "9"),)),
        StyleDef("paragraph", "TOC 1", "Normal", "Normal",
                 ppr=(tabs(("right", width, "dot")), spacing(8, 2)), rpr=tuple(bold())),
        StyleDef("paragraph", "TOC 2", "Normal", "Normal",
                 ppr=(tabs(("left", 18, "none"), ("right", width, "dot")), spacing(0, 2), indent(18, 12))),
        StyleDef("paragraph", "TOC 3", "Normal", "Normal",
                 ppr=(tabs(("right", width, "dot")), spacing(0, 2), indent(18))),
        StyleDef("paragraph", "Header", "Normal", ppr=(tabs(("right", width, "none")), spacing(0, 0, 1.0)),
                 rpr=(*size(size_pt * RUNNING_SCALE), colour(c.muted)), primary=False),
        StyleDef("paragraph", "Footer", "Normal", ppr=(tabs(("right", width, "none")), spacing(0, 0, 1.0)),
                 rpr=(*size(size_pt * RUNNING_SCALE), colour(c.muted)), primary=False),
        StyleDef("paragraph", "Header Right", "Header", ppr=(value("jc", "right"),), primary=False),
        StyleDef("paragraph", "Footer Right", "Footer", ppr=(value("jc", "right"),), primary=False),
        StyleDef("paragraph", "Marking", "Header", ppr=(value("jc", "center"), spacing(0, 2, 1.0)),
                 rpr=(*bold(), *size(size_pt * 0.9), colour(c.text))),
        StyleDef("paragraph", "List Bullet", "Normal", ppr=(numbering(BULLET_NUM_ID), spacing(0, 4))),
        StyleDef("paragraph", "List Bullet 2", "Normal", ppr=(numbering(BULLET_NUM_ID, 1), spacing(0, 4))),
        StyleDef("paragraph", "List Bullet 3", "Normal", ppr=(numbering(BULLET_NUM_ID, 2), spacing(0, 4))),
        StyleDef("paragraph", "List Number", "Normal", ppr=(numbering(NUMBER_NUM_ID), spacing(0, 4))),
        StyleDef("paragraph", "List Number 2", "Normal", ppr=(numbering(NUMBER_NUM_ID, 1), spacing(0, 4))),
        StyleDef("paragraph", "List Number 3", "Normal", ppr=(numbering(NUMBER_NUM_ID, 2), spacing(0, 4))),
        StyleDef("paragraph", "List Continue", "Body Text", ppr=(indent(LIST_INDENT_MM),)),
        StyleDef("paragraph", "List Continue 2", "Body Text", ppr=(indent(LIST_INDENT_MM * 2),)),
        StyleDef("paragraph", "List Continue 3", "Body Text", ppr=(indent(LIST_INDENT_MM * 3),)),
        StyleDef("paragraph", "Area for Improvement", "List Bullet", ppr=(spacing(0, 6),)),
        StyleDef("paragraph", "Recommendation", "List Number", ppr=(spacing(0, 4),)),
        StyleDef("paragraph", "Summary", "Body Text", rpr=(*size(size_pt * 1.05),)),
        StyleDef("paragraph", "Question Lead", "Body Text", ppr=(spacing(0, 8, 1.1),),
                 rpr=(*size(size_pt * 1.2), colour(c.primary))),
        StyleDef("paragraph", "Last Updated", "Body Text", rpr=(colour(c.muted), *size(size_pt * 0.9))),
        StyleDef("paragraph", "Carried Over", "Body Text", rpr=(*italic(),)),
        StyleDef("paragraph", "Lead In", "Body Text", ppr=(flag("keepNext"),), rpr=(*bold(),)),
        StyleDef("paragraph", "Detailed Findings", "Body Text", ppr=(spacing(4, 12),)),
        StyleDef("paragraph", "Grade Badge", "Normal", "Body Text", ppr=(flag("keepNext"), spacing(0, 8, 1.0))),
        StyleDef("character", "Grade Badge Text", "Default Paragraph Font", rpr=(*bold(),), primary=False),
        StyleDef("paragraph", "Table Header", "Normal", ppr=(flag("keepNext"), spacing(2, 2, 1.0)),
                 rpr=(*bold(), colour(cover.text_colour))),
        StyleDef("paragraph", "Glance Pillar", "Normal", ppr=(spacing(2, 2, 1.0),), rpr=(*bold(),)),
        StyleDef("paragraph", "Glance Question", "Normal",
                 ppr=(tabs(("left", 12, "none")), spacing(2, 2, 1.0), indent(12, 8))),
        StyleDef("paragraph", "Glance Grade", "Normal", ppr=(spacing(2, 2, 1.0),), rpr=(*bold(),)),
        StyleDef("character", "Hyperlink", "Default Paragraph Font", rpr=(colour(c.accent), value("u", "single"))),
        StyleDef("character", "Strong", "Default Paragraph Font", rpr=(*bold(),)),
        StyleDef("character", "Emphasis", "Default Paragraph Font", rpr=(*italic(),)),
        StyleDef("table", "Judgments Table", "Normal Table", extra=_glance_table_properties(s)),
        # A report's data tables: the glance table's header and rules, with the PDF's stripes.
        StyleDef("table", "Data Table", "Normal Table", extra=(*_glance_table_properties(s), el(
            "w:tblStylePr", {"w:type": "band2Horz"}, el("w:tcPr", {}, fill(s.colours.table_stripe))))),
        StyleDef("paragraph", "Table Text", "Normal", ppr=(spacing(2, 2, 1.0),)),
        StyleDef("paragraph", "Caption", "Normal", ppr=(flag("keepNext"), spacing(8, 4)),
                 rpr=(*bold(), colour(c.primary))),
        # Word's own Quote style (block text's `> ` quotations), with the PDF's rule down the left.
        StyleDef("paragraph", "Quote", "Body Text", ppr=(el("w:pBdr", {}, border("left", s.colours.callout_rule, 18, 8)),
                                                        spacing(4, 6), indent(8)), rpr=(*italic(),)),
        StyleDef("table", "Cause of Concern Box", "Normal Table",
                 extra=_callout_table_properties(s.colours.callout, s.colours.callout_rule)),
        # The PDF's panel colours (compiler/render/pdf/story.py, panel_colours).
        StyleDef("table", "Areas for Improvement Box", "Normal Table",
                 extra=_callout_table_properties(s.colours.table_stripe, s.colours.primary)),
        StyleDef("paragraph", "Cause of Concern", "Body Text", ppr=(spacing(0, 8),), rpr=(*bold(),)),
    ]


LIST_INDENT_MM = 7.5
RUNNING_SCALE = 0.8  # running header and footer size, relative to the body


def _glance_table_properties(s: Style) -> tuple[etree._Element, ...]:
    rule = s.colours.primary
    borders = el("w:tblBorders", {}, border("top", rule), border("bottom", rule),
                 border("insideH", s.colours.table_stripe))
    header = el("w:tblStylePr", {"w:type": "firstRow"},
                _ordered("w:rPr", [*bold(), colour(s.cover.text_colour)], _RPR_ORDER),
                el("w:trPr", {}, el("w:tblHeader")),
                el("w:tcPr", {}, fill(s.colours.primary)))
    return (el("w:tblPr", {}, borders, el("w:tblCellMar", {}, el("w:top", {"w:w": "40", "w:type": "dxa"}),
                                          el("w:left", {"w:w": "108", "w:type": "dxa"}),
                                          el("w:bottom", {"w:w": "40", "w:type": "dxa"}),
                                          el("w:right", {"w:w": "108", "w:type": "dxa"}))),
            header)


def _callout_table_properties(fill_colour: str, rule: str) -> tuple[etree._Element, ...]:
    borders = el("w:tblBorders", {}, border("left", rule, 24, 0))
    margins = el("w:tblCellMar", {}, el("w:top", {"w:w": "120", "w:type": "dxa"}),
                 el("w:left", {"w:w": "200", "w:type": "dxa"}), el("w:bottom", {"w:w": "80", "w:type": "dxa"}),
                 el("w:right", {"w:w": "200", "w:type": "dxa"}))
    return (el("w:tblPr", {}, borders, margins), el("w:tcPr", {}, fill(fill_colour)))
