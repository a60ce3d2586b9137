"""Layout roles -> reportlab paragraph styles, sized from the style's body font size.

Role names are the layout's ("question-heading"); each becomes one named ParagraphStyle, so
the PDF and the DOCX share one vocabulary of styles.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from ...layout.design import HEADING_SCALES, heading_role
from ...style.types import Style
from .fonts import FontSet
from ...records import dataclass


@dataclass(frozen=True)
class Typography:
    styles: Mapping[str, ParagraphStyle]
    badge_size: float
    running_size: float
    marking_size: float

    def __getitem__(self, role: str) -> ParagraphStyle:
        return self.styles.get(role) or self.styles["body"]

    def heading(self, role: str, level: int) -> ParagraphStyle:
        return self.styles.get(heading_role(role, level)) or self.styles["subheading"]


def build_typography(style: Style, fonts: FontSet) -> Typography:
    size = style.fonts.size
    colours = style.colours
    text = HexColor(colours.text)
    primary = HexColor(colours.primary)
    muted = HexColor(colours.muted)
    base = ParagraphStyle(
        "body", fontName=fonts.regular, fontSize=size, leading=size * 1.4, textColor=text,
        alignment=TA_LEFT, spaceAfter=size * 0.65, bulletFontName=fonts.regular,
        # No single line of a paragraph alone at the foot or head of a page.
        allowWidows=0, allowOrphans=0,
        # Long words and URLs break rather than run off the page. (Not uriWasteReduce: reportlab
        # then breaks a URL at its slashes only, and a longer piece ran off the page.)
        splitLongWords=1,
    )

    def derive(name: str, **changes) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    def heading(name: str, before: float, after: float, colour=primary, scale: float | None = None,
                **extra) -> ParagraphStyle:
        scale = scale or HEADING_SCALES[name]
        return derive(name, fontName=fonts.bold, fontSize=size * scale, leading=size * scale * 1.22,
                      textColor=colour, spaceBefore=before, spaceAfter=after, **extra)

    styles = {
        "body": base,
        "summary": derive("summary"),
        "question-lead": derive("question-lead", fontName=fonts.bold, fontSize=size * 1.15,
                                leading=size * 1.15 * 1.35, textColor=primary),
        "last-updated": derive("last-updated", fontSize=size * 0.85, leading=size * 0.85 * 1.4,
                               textColor=muted),
        "carried-over": derive("carried-over", fontName=fonts.italic),
        "lead-in": derive("lead-in", fontName=fonts.bold, spaceAfter=size * 0.35),
        "cause-of-concern": derive("cause-of-concern", fontName=fonts.bold),
        "detailed-findings": derive("detailed-findings", spaceBefore=size * 0.3),
        "pillar-heading": heading("pillar-heading", 0, size * 0.9),
        "section-heading": heading("section-heading", 0, size * 0.9),
        # A section heading below level 1 ("Questions for Effectiveness") introduces questions.
        "section-heading-2": heading("section-heading-2", size * 1.6, size * 0.4),
        "question-heading": heading("question-heading", size * 1.3, size * 0.6),
        "subsection-heading": heading("subsection-heading", size * 0.9, size * 0.35),
        "subheading": heading("subheading", size * 0.7, size * 0.25, colour=text),
        # `####` under a `###`: a step below it, in bold italic at body size
        "subheading-2": derive("subheading-2", fontName=fonts.bold_italic, fontSize=size * HEADING_SCALES["subheading-2"],
                               leading=size * HEADING_SCALES["subheading-2"] * 1.22, textColor=text,
                               spaceBefore=size * 0.6, spaceAfter=size * 0.25),
        # "Table 1: ..." and "Figure 1: ...": in the brand colour, as the DOCX's Caption style and
        # the HTML's caption set them; kept with what they caption
        "caption": heading("caption", size * 0.7, size * 0.25, scale=1.02, keepWithNext=1),
        "list-item": derive("list-item", spaceAfter=size * 0.35),
        # Under a table or figure: where its data comes from, and what to know about it.
        "source": derive("source", fontSize=size * 0.85, leading=size * 0.85 * 1.4, textColor=muted),
        "table-note": derive("table-note", fontSize=size * 0.85, leading=size * 0.85 * 1.4),
        "callout-heading": heading("callout-heading", 0, size * 0.4, colour=text),
        # A glossary's term, bold, above its definition, which hangs in under it.
        "term": derive("term", fontName=fonts.bold, spaceAfter=size * 0.15),
        "definition": derive("definition", leftIndent=size * 1.6),
        "contents-1": derive("contents-1", fontName=fonts.bold, spaceBefore=size * 0.5,
                             spaceAfter=size * 0.15),
        "contents-2": derive("contents-2", fontSize=size * 0.95, leftIndent=size * 1.6,
                             spaceAfter=size * 0.15),
        "glance-1": derive("glance-1", fontName=fonts.bold, fontSize=size * 0.95,
                           leading=size * 0.95 * 1.3, spaceAfter=0),
        "glance-2": derive("glance-2", fontSize=size * 0.92, leading=size * 0.92 * 1.3, spaceAfter=0,
                           leftIndent=size * 1.2),
        "glance-header": derive("glance-header", fontName=fonts.bold, fontSize=size * 0.92,
                                leading=size * 0.92 * 1.3, spaceAfter=0, textColor=HexColor("#FFFFFF")),
        "cover-title": derive("cover-title", fontName=fonts.bold, fontSize=style.cover.title_size,
                              leading=style.cover.title_size * 1.15,
                              textColor=HexColor(style.cover.text_colour), spaceAfter=0),
        "cover-subject": derive("cover-subject", fontName=fonts.bold, fontSize=style.cover.title_size * 0.62,
                                leading=style.cover.title_size * 0.62 * 1.2,
                                textColor=HexColor(style.cover.text_colour), spaceAfter=0),
        "cover-programme": derive("cover-programme", fontSize=size * 1.15, leading=size * 1.15 * 1.35,
                                  textColor=HexColor(style.cover.text_colour), spaceAfter=0),
        "cover-detail": derive("cover-detail", fontSize=size * 1.1, leading=size * 1.1 * 1.4, spaceAfter=0),
        "cover-status": derive("cover-status", fontName=fonts.bold, fontSize=size * 1.8,
                               leading=size * 1.8 * 1.25, textColor=HexColor(colours.callout_rule),
                               spaceAfter=0),
    }
    return Typography(MappingProxyType(styles), badge_size=size * 0.8, running_size=size * 0.75,
                      marking_size=size * 0.82)
