"""A line of running text shortened with an ellipsis to fit its room, measured by the caller.

The PDF and the DOCX set the same running header at the same size in the same face, so both
shorten it here, each passing its own way of measuring (reportlab's string widths, or the font's
advance widths read by `style.metrics`): the same text then loses the same end in both.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .blocks import Running

ELLIPSIS = "\u2026"
Measure = Callable[[str], float]  # a text's width, in whatever unit `room` is given in
RUNNING_GAP_PT = 12  # between a running line's left and right texts
RIGHT_SHARE = 0.45  # the most of the column the header's right text may take


def fitted_running(running: "Running", width_of: Measure, column_pt: float) -> tuple[str, str, str]:
    """The header's left and right texts and the footer's left text, each on one line of a
    column `column_pt` wide. The footer leaves room for the widest page number ("Page 9999 of
    9999"), so it reads the same on every page, in the PDF and in the DOCX's one footer."""
    right = shortened(running.header_right, width_of, column_pt * RIGHT_SHARE)
    left = shortened(running.header_left, width_of, column_pt - width_of(right) - RUNNING_GAP_PT)
    widest = re.sub(r"\{pages?\}", "9999", running.page_x_of_y)
    footer = shortened_keeping_end(running.footer_left, running.footer_kept, width_of,
                                   column_pt - width_of(widest) - RUNNING_GAP_PT)
    return left, right, footer


def shortened(text: str, width_of: Measure, room: float) -> str:
    """The text, or its start and an ellipsis when it would run past `room`."""
    if width_of(text) <= room:
        return text
    return text[:_longest_fitting_prefix(text, width_of, room)].rstrip() + ELLIPSIS


def shortened_keeping_end(text: str, kept: str, width_of: Measure, room: float) -> str:
    """The text shortened before its `kept` end (a draft footer's status, version and date):
    only the part before it gets the ellipsis."""
    if not kept or not text.endswith(kept) or width_of(text) <= room:
        return shortened(text, width_of, room)
    head = text[:-len(kept)]
    head_room = room - width_of(kept)
    if head_room <= width_of(ELLIPSIS):
        return shortened(kept.removeprefix(" – "), width_of, room)
    return shortened(head, width_of, head_room) + kept


def _longest_fitting_prefix(text: str, width_of: Measure, room: float) -> int:
    """How many characters of `text` fit before an ellipsis, found by bisection.

    A prefix only gets wider as it grows, so bisection finds what removing one character at a
    time found; that measured once per character removed, on every page: quadratic in the length.
    """
    fits, too_long = 0, len(text)  # the whole text is known not to fit
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if width_of(text[:middle] + ELLIPSIS) <= room:
            fits = middle
        else:
            too_long = middle
    return fits
