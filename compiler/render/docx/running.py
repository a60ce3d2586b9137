"""The running header's and footer's texts, shortened to one line as the PDF shortens them.

A Word header whose left text runs into its right tab wraps to two lines and pushes the body
down; the PDF instead ends the brand name or the subject with an ellipsis (render/pdf/page.py).
Both now shorten through `layout.ellipsis` with the same rooms, measuring the same face at the
same size: here with the font's own advance widths (`style.metrics`), since python-docx measures
nothing. A font whose widths cannot be read is measured as half an em a character.
"""
from __future__ import annotations

import re

from ...layout.ellipsis import shortened, shortened_keeping_end
from ...style.metrics import advances
from ...style.types import Style
from .styles import RUNNING_SCALE, text_width_mm

RUNNING_GAP_PT = 12  # the PDF's room between a running line's left and right texts
RIGHT_SHARE = 0.45  # the most of the column the header's right text may take, as in the PDF
_PT_PER_MM = 72 / 25.4


class RunningFit:
    def __init__(self, style: Style) -> None:
        self.size = style.fonts.size * RUNNING_SCALE
        self.column_pt = text_width_mm(style) * _PT_PER_MM
        self._advances = advances(style.fonts.regular)

    def width(self, text: str) -> float:
        if self._advances is None:
            return len(text) * self.size * 0.5
        return self._advances.width_pt(text, self.size)

    def header(self, left: str, right: str) -> tuple[str, str]:
        """Brand name and subject, each shortened so both fit one line."""
        right = shortened(right, self.width, self.column_pt * RIGHT_SHARE)
        return shortened(left, self.width, self.column_pt - self.width(right) - RUNNING_GAP_PT), right

    def footer(self, left: str, kept: str, page_x_of_y: str) -> str:
        """The footer's left text, shortened before its kept end, with room for "Page X of Y"."""
        number = re.sub(r"\{pages?\}", "9999", page_x_of_y)
        return shortened_keeping_end(left, kept, self.width, self.column_pt - self.width(number) - RUNNING_GAP_PT)
