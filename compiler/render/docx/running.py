"""The running header's and footer's texts, shortened to one line as the PDF shortens them.

A Word header whose left text runs into its right tab wraps to two lines and pushes the body
down; the PDF instead ends the brand name or the subject with an ellipsis (render/pdf/page.py).
Both shorten through `layout.ellipsis.fitted_running`, measuring the same face at the same
size: here with the font's own advance widths (`style.metrics`), since python-docx measures
nothing. A font whose widths cannot be read is measured as half an em a character.
"""
from __future__ import annotations

from ...layout.blocks import Running
from ...layout.ellipsis import fitted_running
from ...style.metrics import advances
from ...style.types import Style
from .styles import RUNNING_SCALE, text_width_mm
from .ooxml import PT_PER_MM


def running_texts(running: Running, style: Style) -> tuple[str, str, str]:
    """The header's left and right texts and the footer's left text, shortened as the PDF's."""
    size = style.fonts.size * RUNNING_SCALE
    font = advances(style.fonts.regular)

    def width(text: str) -> float:
        return len(text) * size * 0.5 if font is None else font.width_pt(text, size)

    return fitted_running(running, width, text_width_mm(style) * PT_PER_MM)
