"""Sizes of the report's design that every renderer sets alike (issue 14, item 7: one design in
every format), relative to the body's size in the style."""
from __future__ import annotations

from typing import Callable, Iterable

# Each heading role's text size. Level-1 headings (a pillar, a section such as the summary or an
# annex) share one size, as Word's Heading 1 sets them all.
HEADING_SCALES: dict[str, float] = {
    "pillar-heading": 1.8,
    "section-heading": 1.8,
    "section-heading-2": 1.5,  # "Questions for Effectiveness": introduces a pillar's questions
    "question-heading": 1.35,
    "subsection-heading": 1.12,  # "Areas for improvement", "Cause of concern"
    "subheading": 1.02,  # `###` in running text
    "subheading-2": 1.0,  # `####` under a `###`: body size, in bold italic
    "callout-heading": 1.05,  # a box's title
}


def heading_role(role: str, level: int) -> str:
    """The design role of a heading: a section heading below level 1 ("Questions for
    Effectiveness") is set smaller than a level-1 one, above the questions it introduces."""
    return "section-heading-2" if role == "section-heading" and level > 1 else role


BADGE_PADDING_EM = 0.75  # either side of a grade badge's label, in the label's size
GLANCE_PAD_PT = 6  # either side of a judgments-at-a-glance cell's content
GLANCE_BADGE_SHARE = 0.35  # of the text column, at most, for the glance table's grade column


def glance_grade_column_pt(labels: Iterable[str], width_of: Callable[[str], float], label_size: float,
                           text_width_pt: float) -> float:
    """The judgments-at-a-glance table's grade column: as wide as its widest badge (`width_of` a
    label in the badge's bold face and size), but no wider than a share of the text column, where a
    longer label wraps inside its badge and the question column keeps its room. One width for
    every format, so a question wraps, and a page breaks, alike in each."""
    badge = max(width_of(label) + 2 * label_size * BADGE_PADDING_EM for label in labels)
    return min(badge, text_width_pt * GLANCE_BADGE_SHARE - 2 * GLANCE_PAD_PT) + 2 * GLANCE_PAD_PT
