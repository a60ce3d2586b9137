"""Sizes of the report's design that every renderer sets alike (issue 14, item 7: one design in
every format), relative to the body's size in the style."""
from __future__ import annotations

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
