"""Word styles generated from the resolved Style: one brand file drives the PDF and the DOCX.

The stylesheet replaces python-docx's template styles whole, so a document carries only the
styles it was designed with. Layout roles become named styles ("lead-in" -> "Lead In"); heading
levels use Word's built-in Heading 1-4 so the navigation pane and the TOC field work. Style ids
are known here, so the renderer never asks python-docx to look a style up by name (a scan of
every style per paragraph).
"""
from __future__ import annotations

import re
from functools import lru_cache

from docx.oxml.ns import qn
from lxml import etree

from ...layout.design import HEADING_SCALES, heading_role
from ...style.types import Style
from .ooxml import el, twips
from .properties import (_PPR_ORDER, _RPR_ORDER, _ordered, bold, border, colour, fill, flag, font, indent, italic,
                         numbering, size, spacing, tabs, value)
from ...records import dataclass

# Below a callout box, in body sizes: the PDF's margin under its panel (one body size) plus what
# its bottom padding has over the DOCX cell's (story.py, callout; measured in LibreOffice).
BOX_MARGIN_EM = 1.3

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
        """A heading that looks like Heading N and has its outline level (a heading in Word's
        navigation pane and to screen readers), but another style, so the contents field (built
        from Heading 1 and 2 only: contents.TOC_INSTRUCTION) leaves it out; at its role's size in
        every format (layout/design.py)."""
        role = heading_role(role, level)
        scale = HEADING_SCALES.get(role)
        # (no hanging indent: Heading 2 has one for question numbers, which these headings lack)
        return self._add(StyleDef("paragraph", role_style_name(role), based_on=f"Heading {level}",
                                  next="Body Text", ppr=(el("w:ind", {"w:left": "0", "w:hanging": "0"}),
                                                         value("outlineLvl", str(level - 1))),
                                  rpr=tuple(size(self.style.fonts.size * scale)) if scale else ()))

    def subheading(self, level: int, minor: bool = False) -> str:
        """A `###` in running text: bold, at body size, in the text colour, as the PDF and the HTML
        set it. It keeps a heading's keep-with-next and outline level (out of the contents all the
        same: contents.TOC_INSTRUCTION), but not Heading 2's hanging indent, which is there for
        question numbers. `minor`: a `####` under a `###`, a step below it in bold italic."""
        if minor:
            body = self.style.fonts.size
            self.subheading(level)  # its outline level, keep-with-next and colour
            return self._add(StyleDef("paragraph", f"Minor Subheading {level}", based_on=f"Subheading {level}",
                                      next="Body Text", ppr=(spacing(space_before(body * 0.6, body * 0.65), body * 0.25,
                                                                     leading_pt=body * HEADING_SCALES["subheading-2"] * 1.22),),
                                      rpr=(*italic(), *size(body * HEADING_SCALES["subheading-2"]))))
        outline = (value("outlineLvl", str(min(level, 9) - 1)),) if level < 3 or level > 4 else ()
        body = self.style.fonts.size  # the PDF's subheading: 1.02 of it, its spacing (pdf/styles.py)
        return self._add(StyleDef("paragraph", f"Subheading {level}", based_on=f"Heading {min(max(level, 3), 4)}",
                                  next="Body Text",
                                  ppr=(spacing(space_before(body * 0.7, body * 0.65), body * 0.25,
                                               leading_pt=body * 1.02 * 1.22),
                                                         *outline),
                                  rpr=(*size(body * 1.02), colour(self.style.colours.text))))

    def sized(self, name: str, size_pt: float, ppr: tuple = ()) -> str:
        """Paragraph style `name` at another size: a wide table's smaller cells (`ppr`: their spacing)."""
        return self._add(StyleDef("paragraph", f"{name} {size_pt:g} pt", based_on=name, ppr=ppr, rpr=(*size(size_pt),)))

    def grade(self, label: str, fill_value: str, text_colour: str) -> str:
        """A character style per grade: shading and contrast colour chosen by layout."""
        return self._add(StyleDef("character", f"Grade {label}", based_on="Grade Badge Text",
                                  rpr=(colour(text_colour), fill(fill_value))))

    def callout_box(self, kind: str, fill_value: str, rule: str) -> str:
        """A table style per kind of `callout:` box ("Innovative Practice Box"): its colour, and a
        rule down its left edge, as the PDF draws it."""
        size_pt = self.style.fonts.size
        return self._add(StyleDef("table", f"{role_style_name(kind)} Box", based_on="Normal Table",
                                  extra=_callout_table_properties(fill_value, rule, size_pt, size_pt * 0.35)))

    def before_twips(self, style_id_value: str | None) -> int:
        """The space before a paragraph of this style, followed through w:basedOn."""
        by_id = {style_id(name): d for name, d in self._defs.items()}
        for _ in range(20):  # basedOn chains are short; a bound keeps a cycle harmless
            definition = by_id.get(style_id_value or "")
            if definition is None:
                return 0
            for node in definition.ppr:
                if node.tag == qn("w:spacing") and node.get(qn("w:before")) is not None:
                    return int(node.get(qn("w:before")))
            style_id_value = style_id(definition.based_on) if definition.based_on else None
        return 0

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


def space_before(pdf_before: float, after_above: float) -> float:
    """The space before a paragraph that gives the PDF's gap above it in LibreOffice.

    reportlab adds a paragraph's space before to the space after the one above it; LibreOffice
    (measured: tests/test_docx_pagination.py) sets the larger of the two, so the DOCX asks for
    both, counting the usual paragraph above (`after_above`). None at a page's top (0)."""
    return pdf_before + after_above if pdf_before else 0.0


def text_width_mm(style: Style) -> float:
    return style.page.text_width_mm


def text_height_mm(style: Style) -> float:
    return style.page.text_height_mm


def base_styles(s: Style) -> list[StyleDef]:
    c, size_pt = s.colours, s.fonts.size
    width = text_width_mm(s)
    cover = s.cover
    # The PDF's sizes, leading and spacing (render/pdf/styles.py), so the DOCX breaks its pages
    # where the PDF does and the contents' page numbers (the PDF's) hold.
    lead, gap = size_pt * 1.4, size_pt * 0.65


    def list_spacing() -> etree._Element:  # a new element each time: lxml moves a shared one
        return spacing(0, size_pt * 0.35, leading_pt=lead)

    def heading_spacing(scale: float, pdf_before: float, after: float) -> etree._Element:
        return spacing(space_before(pdf_before, gap), after, leading_pt=size_pt * scale * 1.22)

    return [
        # Widow and orphan control for every paragraph, as the PDF's styles have it.
        StyleDef("paragraph", "Normal", ppr=(flag("widowControl"),)),
        StyleDef("character", "Default Paragraph Font", primary=False),
        StyleDef("table", "Normal Table", primary=False, extra=(el("w:tblPr", {}, el("w:tblInd", {"w:w": "0", "w:type": "dxa"}), el("w:tblCellMar", {}, el("w:top", {"w:w": "0", "w:type": "dxa"}), el("w:left", {"w:w": "108", "w:type": "dxa"}), el("w:bottom", {"w:w": "0", "w:type": "dxa"}), el("w:right", {"w:w": "108", "w:type": "dxa"}))),)),
        StyleDef("numbering", "No List", primary=False),
        StyleDef("paragraph", "Body Text", "Normal", ppr=(spacing(0, gap, leading_pt=lead),)),
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
        # Under the band, the PDF's cover details (pdf/page.py, draw_cover): 3 mm (8.5 pt) apart.
        StyleDef("paragraph", "Cover Details", "Normal", ppr=(spacing(0, 8.5, leading_pt=size_pt * 1.1 * 1.4),),
                 rpr=(*size(size_pt * 1.1), colour(c.text))),
        StyleDef("paragraph", "Cover Status", "Normal", ppr=(spacing(0, 8.5, leading_pt=size_pt * 1.8 * 1.25),),
                 rpr=(*bold(), *size(size_pt * 1.8), colour(c.callout_rule))),
        StyleDef("paragraph", "Cover Logo", "Normal", ppr=(spacing(0, 45, 1.0),)),
        StyleDef("paragraph", "Heading 1", "Normal", "Body Text",
                 ppr=(flag("keepNext"), flag("keepLines"), heading_spacing(HEADING_SCALES["pillar-heading"], 0, size_pt * 0.9),
                      value("outlineLvl", "0")),
                 rpr=(*bold(), *size(size_pt * HEADING_SCALES["pillar-heading"]), colour(c.primary))),
        StyleDef("paragraph", "Heading 2", "Normal", "Body Text",
                 ppr=(flag("keepNext"), flag("keepLines"), tabs(("left", 12, "none")),
                      heading_spacing(HEADING_SCALES["question-heading"], size_pt * 1.3, size_pt * 0.6), indent(12, 12), value("outlineLvl", "1")),
                 rpr=(*bold(), *size(size_pt * HEADING_SCALES["question-heading"]), colour(c.primary))),
        StyleDef("paragraph", "Heading 3", "Normal", "Body Text",
                 ppr=(flag("keepNext"), flag("keepLines"), heading_spacing(HEADING_SCALES["subsection-heading"], size_pt * 0.9, size_pt * 0.35),
                      value("outlineLvl", "2")),
                 rpr=(*bold(), *size(size_pt * HEADING_SCALES["subsection-heading"]), colour(c.primary))),
        StyleDef("paragraph", "Heading 4", "Normal", "Body Text",
                 ppr=(flag("keepNext"), flag("keepLines"), heading_spacing(HEADING_SCALES["subheading"], size_pt * 0.7, size_pt * 0.25),
                      value("outlineLvl", "3")),
                 rpr=(*bold(), *size(size_pt * HEADING_SCALES["subheading"]), colour(c.text))),
        StyleDef("paragraph", "TOC Heading", "Heading 1", "Normal", ppr=(value("outlineLvl", "9"),)),
        StyleDef("paragraph", "TOC 1", "Normal", "Normal",
                 ppr=(tabs(("right", width, "dot")), spacing(space_before(size_pt * 0.5, size_pt * 0.15), size_pt * 0.15, leading_pt=lead)),
                 rpr=tuple(bold())),
        StyleDef("paragraph", "TOC 2", "Normal", "Normal",
                 ppr=(tabs(("left", 18, "none"), ("right", width, "dot")), spacing(0, size_pt * 0.15, leading_pt=lead),
                      indent(18, 12)), rpr=(*size(size_pt * 0.95),)),
        StyleDef("paragraph", "TOC 3", "Normal", "Normal",
                 ppr=(tabs(("right", width, "dot")), spacing(0, size_pt * 0.15, leading_pt=lead), indent(18)),
                 rpr=(*size(size_pt * 0.95),)),
        StyleDef("paragraph", "Header", "Normal", ppr=(tabs(("right", width, "none")), spacing(0, 0, 1.0)),
                 rpr=(*size(size_pt * RUNNING_SCALE), colour(c.muted)), primary=False),
        StyleDef("paragraph", "Footer", "Normal", ppr=(tabs(("right", width, "none")), spacing(0, 0, 1.0)),
                 rpr=(*size(size_pt * RUNNING_SCALE), colour(c.muted)), primary=False),
        StyleDef("paragraph", "Marking", "Header", ppr=(value("jc", "center"), spacing(0, 2, 1.0)),
                 rpr=(*bold(), *size(size_pt * 0.9), colour(c.text))),
        StyleDef("paragraph", "List Bullet", "Normal", ppr=(numbering(BULLET_NUM_ID), list_spacing())),
        StyleDef("paragraph", "List Bullet 2", "Normal", ppr=(numbering(BULLET_NUM_ID, 1), list_spacing())),
        StyleDef("paragraph", "List Bullet 3", "Normal", ppr=(numbering(BULLET_NUM_ID, 2), list_spacing())),
        StyleDef("paragraph", "List Number", "Normal", ppr=(numbering(NUMBER_NUM_ID), list_spacing())),
        StyleDef("paragraph", "List Number 2", "Normal", ppr=(numbering(NUMBER_NUM_ID, 1), list_spacing())),
        StyleDef("paragraph", "List Number 3", "Normal", ppr=(numbering(NUMBER_NUM_ID, 2), list_spacing())),
        StyleDef("paragraph", "List Continue", "Body Text", ppr=(indent(LIST_INDENT_MM),)),
        StyleDef("paragraph", "List Continue 2", "Body Text", ppr=(indent(LIST_INDENT_MM * 2),)),
        StyleDef("paragraph", "List Continue 3", "Body Text", ppr=(indent(LIST_INDENT_MM * 3),)),
        StyleDef("paragraph", "Area for Improvement", "List Bullet"),
        StyleDef("paragraph", "Recommendation", "List Number"),
        StyleDef("paragraph", "Summary", "Body Text"),
        StyleDef("paragraph", "Question Lead", "Body Text", ppr=(spacing(0, gap, leading_pt=size_pt * 1.15 * 1.35),),
                 rpr=(*bold(), *size(size_pt * 1.15), colour(c.primary))),
        StyleDef("paragraph", "Last Updated", "Body Text", ppr=(spacing(0, gap, leading_pt=size_pt * 0.85 * 1.4),),
                 rpr=(colour(c.muted), *size(size_pt * 0.85))),
        StyleDef("paragraph", "Carried Over", "Body Text", rpr=(*italic(),)),
        StyleDef("paragraph", "Lead In", "Body Text", ppr=(flag("keepNext"), spacing(0, size_pt * 0.35, leading_pt=lead)),
                 rpr=(*bold(),)),
        StyleDef("paragraph", "Detailed Findings", "Body Text", ppr=(spacing(0, gap, leading_pt=lead),)),
        # An empty paragraph between two tables (two boxes in a row), exactly the PDF's margin
        # between boxes tall: Word joins tables with nothing between them into one.
        StyleDef("paragraph", "Box Gap", "Normal", ppr=(el("w:spacing", {
            "w:before": "0", "w:after": "0", "w:line": str(round(size_pt * BOX_MARGIN_EM * 20)),
            "w:lineRule": "exact"}),), primary=False),
        # Under a heading, as the PDF sets it: 0.3 of the heading's size above the badge (here
        # the heading's own space after), the heading's space after below it.
        StyleDef("paragraph", "Grade Badge", "Normal", "Body Text",
                 ppr=(flag("keepNext"), spacing(0, size_pt * 0.4, 1.0))),
        # A badge's label at the PDF's badge size (0.8 of the body), in headings and the glance table
        StyleDef("character", "Grade Badge Text", "Default Paragraph Font", rpr=(*bold(), *size(size_pt * BADGE_SCALE)),
                 primary=False),
        # A data table's cells at the PDF's size for them (0.92 of the body's).
        StyleDef("paragraph", "Table Header", "Normal",
                 ppr=(flag("keepNext"), spacing(2, 2, leading_pt=size_pt * TABLE_TEXT_SCALE * TABLE_LEADING)),
                 rpr=(*bold(), colour(cover.text_colour), *size(size_pt * TABLE_TEXT_SCALE))),
        # The PDF's glance rows: 5 pt above and below the text (2 pt cell margin, 3 pt here).
        StyleDef("paragraph", "Glance Pillar", "Normal", ppr=(spacing(3, 3, leading_pt=size_pt * 0.95 * 1.3),),
                 rpr=(*bold(), *size(size_pt * 0.95))),
        StyleDef("paragraph", "Glance Question", "Normal",
                 ppr=(tabs(("left", 12, "none")), spacing(3, 3, leading_pt=size_pt * 0.92 * 1.3), indent(12, 8)),
                 rpr=(*size(size_pt * 0.92),)),
        StyleDef("paragraph", "Glance Grade", "Normal", ppr=(spacing(3, 3, 1.0),), rpr=(*bold(),)),
        StyleDef("character", "Hyperlink", "Default Paragraph Font", rpr=(colour(c.accent), value("u", "single"))),
        # Word's own footnote styles (v2 notes): the mark superscript, the note's text smaller
        StyleDef("character", "Footnote Reference", "Default Paragraph Font", rpr=(value("vertAlign", "superscript"),)),
        StyleDef("paragraph", "Footnote Text", "Normal", ppr=(spacing(0, 0, 1.0),),
                 rpr=(*size(size_pt * 0.85),), primary=False),
        StyleDef("character", "Strong", "Default Paragraph Font", rpr=(*bold(),)),
        StyleDef("character", "Emphasis", "Default Paragraph Font", rpr=(*italic(),)),
        StyleDef("table", "Judgments Table", "Normal Table", extra=_glance_table_properties(s)),
        # A report's data tables: the glance table's header and rules, with the PDF's stripes.
        StyleDef("table", "Data Table", "Normal Table", extra=(*_glance_table_properties(s), el(
            "w:tblStylePr", {"w:type": "band2Horz"}, el("w:tcPr", {}, fill(s.colours.table_stripe))))),
        StyleDef("paragraph", "Table Text", "Normal", ppr=(spacing(2, 2, leading_pt=size_pt * TABLE_TEXT_SCALE * TABLE_LEADING),),
                 rpr=(*size(size_pt * TABLE_TEXT_SCALE),)),
        StyleDef("paragraph", "Caption", "Normal", ppr=(flag("keepNext"), spacing(8, 4)),
                 rpr=(*bold(), colour(c.primary))),
        # Word's own Quote style (block text's `> ` quotations), in a box as the PDF's (render/pdf/
        # story.py, quote): a 3 pt rule down its left and the body size as padding, no fill.
        StyleDef("paragraph", "Quote", "Body Text"),
        StyleDef("table", "Quote Box", "Normal Table",
                 extra=_callout_table_properties(None, s.colours.callout_rule, size_pt, size_pt - gap, rule_eighths=24)),
        StyleDef("table", "Cause of Concern Box", "Normal Table",
                 extra=_callout_table_properties(s.colours.callout, s.colours.callout_rule, size_pt, size_pt - gap)),
        # The PDF's panel colours (compiler/render/pdf/story.py, panel_colours).
        StyleDef("table", "Areas for Improvement Box", "Normal Table",
                 extra=_callout_table_properties(s.colours.table_stripe, s.colours.primary, size_pt, size_pt - gap)),
        StyleDef("paragraph", "Cause of Concern", "Body Text", rpr=(*bold(),)),
        # A glossary (the PDF's "term" and "definition" roles): the term kept with its definition.
        StyleDef("paragraph", "Glossary Term", "Body Text", ppr=(flag("keepNext"), spacing(4, 0)), rpr=(*bold(),)),
        StyleDef("paragraph", "Glossary Definition", "Body Text", ppr=(indent(8),)),
        # (v2) rich blocks: a `callout:` box's title (Heading 4's look, its own outline level one under its
        # heading's: document.add_heading; out of the contents, which lists Heading 1 and 2 only), a figure's
        # picture, and the small lines under a table or figure, as the PDF sets them (render/pdf/styles.py).
        StyleDef("paragraph", "Callout Heading", "Heading 4", "Body Text", rpr=(*size(size_pt * 1.05),)),
        # No keepNext: it chained a chart to the next figure's caption and on, longer than a page
        # (a source line under it sets its own, tables.add_source_line)
        StyleDef("paragraph", "Figure", "Normal", ppr=(spacing(0, 4, 1.0),)),
        StyleDef("paragraph", "Source", "Normal", ppr=(spacing(2, gap, leading_pt=size_pt * 0.85 * 1.4),),
                 rpr=(*size(size_pt * 0.85), colour(c.muted))),
        StyleDef("paragraph", "Table Note", "Normal", ppr=(spacing(0, gap, leading_pt=size_pt * 0.85 * 1.4),),
                 rpr=(*size(size_pt * 0.85),)),
    ]


LIST_INDENT_MM = 7.5
RUNNING_SCALE = 0.75  # running header and footer size, relative to the body (the PDF's)
TABLE_TEXT_SCALE = 0.92  # a data table's cells, relative to the body (the PDF's glance-2 and glance-header)
TABLE_LEADING = 1.3  # their lines' distance, relative to their size (the PDF's; Word's single is ~1.15)
BADGE_SCALE = 0.8  # a grade badge's label, relative to the body (the PDF's badge_size)
TABLE_CELL_MARGIN_PT = 6  # either side of a table cell's text: the PDF's (pdf/tables.py CELL_PADDING, its glance pad)


def _glance_table_properties(s: Style) -> tuple[etree._Element, ...]:
    rule = s.colours.primary
    borders = el("w:tblBorders", {}, border("top", rule), border("bottom", rule),
                 border("insideH", s.colours.table_stripe))
    header = el("w:tblStylePr", {"w:type": "firstRow"},
                _ordered("w:rPr", [*bold(), colour(s.cover.text_colour)], _RPR_ORDER),
                el("w:trPr", {}, el("w:tblHeader")),
                el("w:tcPr", {}, fill(s.colours.primary)))
    margin = str(round(TABLE_CELL_MARGIN_PT * 20))
    return (el("w:tblPr", {}, borders, el("w:tblCellMar", {}, el("w:top", {"w:w": "40", "w:type": "dxa"}),
                                          el("w:left", {"w:w": margin, "w:type": "dxa"}),
                                          el("w:bottom", {"w:w": "40", "w:type": "dxa"}),
                                          el("w:right", {"w:w": margin, "w:type": "dxa"}))),
            header)


def _callout_table_properties(fill_colour: str | None, rule: str, padding_pt: float,
                               bottom_pt: float, rule_eighths: int = 28) -> tuple[etree._Element, ...]:
    """The PDF's panel (story.py, callout): a 3.5 pt rule, the body size as padding all round;
    at the bottom less the last paragraph's own space after, which Word keeps inside the cell.
    No fill: a quotation's box, a rule alone."""
    borders = el("w:tblBorders", {}, border("left", rule, rule_eighths, 0))
    margins = el("w:tblCellMar", {}, *(el(f"w:{side}", {"w:w": str(round(pt * 20)), "w:type": "dxa"})
                                       for side, pt in (("top", padding_pt), ("left", padding_pt),
                                                        ("bottom", bottom_pt), ("right", padding_pt))))
    cell = (el("w:tcPr", {}, fill(fill_colour)),) if fill_colour else ()
    return (el("w:tblPr", {}, borders, margins), *cell)
