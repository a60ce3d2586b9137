"""The judgments-at-a-glance table's rows, and its grade column as wide as the PDF's
(layout.design.glance_grade_column_pt), so a question wraps, and a page breaks, alike in both."""
from __future__ import annotations

from typing import TYPE_CHECKING

from docx.oxml.ns import qn
from lxml import etree

from ...layout.blocks import Badge, GlanceTable
from ...layout.design import glance_grade_column_pt
from ...layout.tracked import BadgeChange, Tracked
from ...style.metrics import advances
from ...style.types import Style
from .ooxml import PT_PER_MM, el, hex_colour, internal_link, shading, tab_run, text_run
from .styles import BADGE_SCALE

if TYPE_CHECKING:
    from .document import DocxBuilder


def glance_grade_column_mm(style: Style, block: GlanceTable, width_mm: float) -> float:
    """The PDF's grade column (layout.design.glance_grade_column_pt), so questions wrap alike."""
    bold, badge_pt = advances(style.fonts.bold), style.fonts.size * BADGE_SCALE
    if bold is None:  # a font that cannot be measured
        return width_mm * 0.28
    labels = [grade.label for grade in style.grades] + _badge_labels(block.rows)
    return glance_grade_column_pt(labels, lambda label: bold.width_pt(label, badge_pt), badge_pt,
                                  width_mm * PT_PER_MM) / PT_PER_MM


def _badge_labels(rows) -> list[str]:
    """The labels of the rows' badges; in a redline, of both sides of a row or a grade changed."""
    labels = []
    for row in rows:
        badge = (row.block if isinstance(row, Tracked) else row).badge
        for side in ((badge.old, badge.new) if isinstance(badge, BadgeChange) else (badge,)):
            if side is not None:
                labels.append(side.label)
    return labels


def add_glance_row(builder: "DocxBuilder", table: etree._Element, row) -> etree._Element:
    """A row of the judgments at a glance: the question (a link to it), and its grade."""
    question, grade = builder.new_row(table, header=False)
    style = "Glance Pillar" if row.level == 1 else "Glance Question"
    p = builder.new_paragraph(builder.styles.id(style))
    runs = [text_run(row.number_text), tab_run()] if row.number else []
    runs += builder.inline_runs(row.content, False, False, False)
    if row.anchor in builder._anchors:
        p.append(internal_link(builder._anchors[row.anchor], runs))
    else:
        p.extend(runs)
    # (the overall judgment's row has no heading to point at: it points at its `grade:`)
    builder.trace(p, builder._anchor_spans.get(row.anchor) or getattr(row.badge, "span", None), "glance row")
    question.append(p)
    if isinstance(row.badge, BadgeChange):
        builder.tracker.glance_grade(grade, row.badge, lambda cell, badge: glance_grade(builder, cell, badge))
    elif row.badge:
        glance_grade(builder, grade, row.badge)
    else:
        # No grade: an empty cell, unmarked (a bookmark in an empty paragraph drifts in LibreOffice)
        grade.append(builder.new_paragraph(builder.styles.id("Glance Grade")))
        return table.findall(qn("w:tr"))[-1]
    builder.trace(grade.find(qn("w:p")), row.badge.span or builder._anchor_spans.get(row.anchor), "glance grade")
    return table.findall(qn("w:tr"))[-1]


def glance_grade(builder: "DocxBuilder", cell: etree._Element, badge: Badge) -> None:
    """A grade's cell: filled in the grade's colour, its label in the badge's size."""
    cell.find(qn("w:tcPr")).append(shading(badge.fill))  # a cell's fill cannot come from a style per grade
    p = builder.new_paragraph(builder.styles.id("Glance Grade"))
    run = text_run(badge.label, (builder.styles.grade(badge.label, badge.fill, badge.text_colour), False, False))
    # The style's colour and size again, direct: LibreOffice sets a table cell's text in the
    # table style's over a character style's (white on a dark grade printed black)
    half_points = str(round(builder.document.style.fonts.size * BADGE_SCALE * 2))
    run.find(qn("w:rPr")).extend([el("w:color", {"w:val": hex_colour(badge.text_colour)}),
                                  el("w:sz", {"w:val": half_points}), el("w:szCs", {"w:val": half_points})])
    p.append(run)
    cell.append(p)
