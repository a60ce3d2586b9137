"""Column widths of a data table, decided once for the PDF and the DOCX.

Each column is as wide as its widest cell on one line when the table fits the text column. When
it does not, columns shrink towards their longest word. When even the longest words do not fit
(a table of eight or ten columns), the table's text is set smaller, down to `SMALLEST_SCALE` of its
size, as printed reports set wide tables, so that no number and no word is broken inside. Only
then do columns go under their longest word, text columns first: a number is never split while
a column of words can still give way.

Text is measured in the face it prints in: header cells and body cells holding bold text in the
bold face (the wider one), other body cells in the regular face.
"""
from __future__ import annotations

import re
from typing import Callable, Collection, Sequence

from ..model import Inlines, Strong, Text, walk_nodes
from ..records import dataclass
from .blocks import NoteMark

MEASURED_CHARACTERS = 400  # a cell longer than this wraps anyway: measuring more changes nothing
SMALLEST_SCALE = 0.75  # of the table's text size: 11 pt cells go down to 8.25 pt, no smaller
_ROUNDING = 0.01  # points: a sum that equals the frame width but for float rounding fits it

# A text's width on one line in points, set as a cell of `kind`: HEADER (bold, the header's size),
# STRONG (a body cell with bold text: measured bold) or BODY (the regular face).
Measure = Callable[[str, str], float]
HEADER, STRONG, BODY = "header", "strong", "body"

_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class TableFit:
    """Column widths in points, and the scale of the table's text and cell padding (1.0: as
    the style sets them). `broken`: even at the smallest size some word or number is wider
    than its column and breaks inside (too many columns for the page)."""

    widths: tuple[float, ...]
    scale: float = 1.0
    broken: bool = False

    def padding(self, padding: float) -> float:
        """The room either side of a cell's text at this fit: scaled, and less in a column too
        narrow for it, so every cell keeps room for its text."""
        return max(0.0, min(padding * self.scale, (min(self.widths) - 2.0) / 2))


def broken_table_message(columns: int) -> str:
    return (f"the table's {columns} columns do not fit the page even in its smallest table text: words or "
            "numbers in it are broken inside; split it into tables of fewer columns, or shorten its headings")


def table_cells(header: Sequence[Inlines], rows: Sequence[Sequence[Inlines]]) -> tuple[list[list[str]], set]:
    """A table's cells as the fit measures them: their plain text, header row first, and the
    (row, column) of body cells that hold bold text."""
    cells = [list(header), *map(list, rows)]
    strong = {(number, index) for number, row in enumerate(cells) if number
              for index, content in enumerate(row) if any(isinstance(node, Strong) for node in walk_nodes(content))}
    return [[_measured_text(content) for content in row] for row in cells], strong


def _measured_text(content: Inlines) -> str:
    """A cell's text as it prints: with its note marks' numbers, which cling to the word before
    them ("Signatures⁷" is one word to fit)."""
    return "".join(str(node.number) if isinstance(node, NoteMark) else
                   node.text if isinstance(node, Text) else _measured_text(node.children) for node in content)


def fitted_widths(rows: Sequence[Sequence[str]], frame_width: float, measure: Measure, padding: float,
                  strong: Collection[tuple[int, int]] = ()) -> TableFit:
    """The fit of `rows` of plain cell text, the header row first, into `frame_width`; `padding`
    is the room either side of a cell's text (it scales with the text); `strong`: the (row,
    column) of body cells with bold text (`table_cells`)."""
    columns = len(rows[0])
    natural, least, body_least = [0.0] * columns, [0.0] * columns, [0.0] * columns
    for number, row in enumerate(rows):
        for index, text in enumerate(row):
            text = text[:MEASURED_CHARACTERS]
            kind = HEADER if number == 0 else STRONG if (number, index) in strong else BODY
            natural[index] = max(natural[index], measure(text, kind))
            # the widest word, measured: "(FTE)" has more letters than "PSOs" and is narrower
            longest = max((measure(word, kind) for word in text.split()), default=measure("", kind))
            least[index] = max(least[index], longest)
            if number:
                body_least[index] = max(body_least[index], longest)
    pad = 2 * padding + 1
    scale = min(1.0, max(SMALLEST_SCALE, frame_width / (sum(least) + pad * columns)))
    natural, least, body_least = ([(width + pad) * scale for width in widths] for widths in (natural, least, body_least))
    if sum(natural) <= frame_width + _ROUNDING:
        return TableFit(tuple(natural), scale)
    if sum(least) > frame_width + _ROUNDING:
        widths = _under_longest_words(least, body_least, _numeric_columns(rows), frame_width)
        return TableFit(tuple(widths), scale, broken=True)
    spare = frame_width - sum(least)
    stretch = [n - m for n, m in zip(natural, least)]
    total = sum(stretch) or 1.0
    return TableFit(tuple(m + spare * s / total for m, s in zip(least, stretch)), scale)


def _numeric_columns(rows: Sequence[Sequence[str]]) -> list[bool]:
    """Whether each column's body cells hold no letters (numbers, dates, percentages)."""
    body = rows[1:]
    return [bool(body) and not any(_LETTER.search(row[index]) for row in body) for index in range(len(rows[0]))]


def _under_longest_words(least: list[float], body_least: list[float], numeric: list[bool],
                         frame_width: float) -> list[float]:
    """Widths under the longest words' when even those do not fit. A column of numbers keeps
    room for its numbers (its heading's words may break), a column of words for a third of its
    longest; what is left completes the columns that need least first. Only when even the floor
    does not fit does every column shrink alike."""
    floor = [body if is_number else width / 3 for width, body, is_number in zip(least, body_least, numeric)]
    if sum(floor) > frame_width:
        ratio = frame_width / sum(least)
        return [width * ratio for width in least]
    # The rest goes to the columns that need least of it first: more columns keep their longest
    # word whole, and the breaks fall in the few that need most.
    widths, spare = list(floor), frame_width - sum(floor)
    for index in sorted(range(len(least)), key=lambda i: (least[i] - floor[i], i)):
        given = min(least[index] - floor[index], spare)
        widths[index] += given
        spare -= given
    return widths
