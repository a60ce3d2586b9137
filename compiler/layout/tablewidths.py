"""Column widths of a data table, decided once for the PDF and the DOCX: each column as wide as its
widest cell on one line, shrunk proportionally towards its longest word when the columns together
are wider than the text column. Text is measured in the bold face, the wider one, as a cell may set
any of its words in bold (and header cells are bold).
"""
from __future__ import annotations

from typing import Callable, Sequence

MEASURED_CHARACTERS = 400  # a cell longer than this wraps anyway: measuring more changes nothing

Measure = Callable[[str, bool], float]  # a text's width on one line in points; True: a header cell


def fitted_widths(rows: Sequence[Sequence[str]], frame_width: float, measure: Measure, padding: float) -> list[float]:
    """Widths in points for `rows` of plain cell text, the header row first; `padding` is the room
    either side of a cell's text."""
    columns = len(rows[0])
    natural, least = [0.0] * columns, [0.0] * columns
    for number, row in enumerate(rows):
        for index, text in enumerate(row):
            text = text[:MEASURED_CHARACTERS]
            natural[index] = max(natural[index], measure(text, number == 0))
            least[index] = max(least[index], measure(max(text.split() or [""], key=len), number == 0))
    pad = 2 * padding + 1
    natural = [width + pad for width in natural]
    squeezed = sum(least) + (pad - 1) * columns > frame_width
    least = [min(width + pad, frame_width / columns) if squeezed else width + pad for width in least]
    if sum(natural) <= frame_width:
        return natural
    spare = frame_width - sum(least)
    stretch = [n - m for n, m in zip(natural, least)]
    total = sum(stretch) or 1.0
    return [m + spare * s / total for m, s in zip(least, stretch)]
