"""Pipe tables in block text (GitHub's): a header row, a delimiter row, body rows, and an
optional `Table: CAPTION {#tbl-NAME}` line under them.

Cells are inline text; `\\|` is a literal bar. The inline parser is passed in (markup.py calls
this module), so there is no import cycle. Everything is linear in the table's text.
"""
from __future__ import annotations

import re
from typing import Callable

from ..diagnostics import Diagnostics, Span, excerpt
from ..model import Inlines, Table, TableCell
from ..records import dataclass

from .richschema import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS  # one limit for every kind of table
_DELIMITER_CELL = re.compile(r":?-+:?\Z")
_CAPTION = re.compile(r"Table:\s*(?P<caption>.*)\Z", re.S)
_NAME = re.compile(r"\s*\{#tbl-([A-Za-z0-9_-]+)\}\Z")
# a caption line in the writer's own language ("Tabl: ... {#tbl-x}"): its name shows what it is
_OTHER_CAPTION = re.compile(r"(?P<word>[^\s:|]{1,20}):\s*(?P<caption>.*\{#tbl-[A-Za-z0-9_-]+\})\Z", re.S)

# (text, offset in the block text, span of its line) -> inline content; the offset lets a
# problem inside the cell be reported at its own LINE:COL
InlineParser = Callable[[str, int, Span], Inlines]


@dataclass(frozen=True)
class Lines:
    """The lines of one block text with the offset each starts at and its span."""

    texts: list[str]
    starts: list[int]
    span_at: Callable[[int, int], Span]  # (line index, offset in the text) -> where it was written

    def stripped(self, index: int) -> tuple[int, str]:
        raw = self.texts[index]
        return self.starts[index] + len(raw) - len(raw.lstrip()), raw.strip()


def starts_table(lines: Lines, index: int) -> bool:
    """A line with a bar followed by a delimiter row (`|---|:--:|`)."""
    if index + 1 >= len(lines.texts) or "|" not in lines.texts[index]:
        return False
    return _is_delimiter(lines.texts[index + 1].strip())


def parse_table(lines: Lines, index: int, inline: InlineParser,
                diagnostics: Diagnostics) -> tuple[Table, int]:
    """The table starting at line `index`, and the index of the first line after it."""
    header_offset, header_line = lines.stripped(index)
    header_span = lines.span_at(index, header_offset)
    header_cells = _cells(header_line, header_offset)
    width = len(header_cells)
    if width > MAX_TABLE_COLUMNS:
        diagnostics.error(header_span, f"this table has {width} columns; at most {MAX_TABLE_COLUMNS} are "
                                       "allowed (split it into several tables)")
        width = MAX_TABLE_COLUMNS
    header = tuple(_cell(text, offset, lines.span_at(index, offset), inline) for offset, text in header_cells[:width])
    delimiter_offset, delimiter_line = lines.stripped(index + 1)
    delimiter = _cells(delimiter_line, delimiter_offset)
    if len(delimiter) != len(header_cells):
        diagnostics.error(lines.span_at(index + 1, delimiter_offset),
                          f"this delimiter row has {len(delimiter)} cells but the table's header has "
                          f"{len(header_cells)}; write one `---` (or `:--`, `--:`, `:-:`) per column")
    align = tuple(_alignment(text) for _, text in delimiter[:width])
    align += ("left",) * (width - len(align))
    rows: list[tuple[TableCell, ...]] = []
    end = index + 2
    while end < len(lines.texts) and "|" in lines.texts[end] and lines.texts[end].strip():
        row = _row(lines, end, width, len(header_cells), inline, diagnostics, len(rows))
        if row is not None:
            rows.append(row)
        end += 1
    caption_span = lines.span_at(end, lines.stripped(end)[0]) if end < len(lines.texts) else None
    caption, name, end = _caption(lines, end, inline, diagnostics)
    return Table(caption, name, header, align, tuple(rows), header_span,
                 caption_span=caption_span if caption else None), end


def _row(lines: Lines, index: int, width: int, header_count: int, inline: InlineParser,
         diagnostics: Diagnostics, count: int) -> tuple[TableCell, ...] | None:
    offset, line = lines.stripped(index)
    span = lines.span_at(index, offset)
    if count == MAX_TABLE_ROWS:
        diagnostics.error(span, f"this table has more than {MAX_TABLE_ROWS:,} rows; split it into "
                                "several tables")
    if count >= MAX_TABLE_ROWS:
        return None
    cells = _cells(line, offset)
    if len(cells) != header_count:
        diagnostics.error(span, f"this table row has {len(cells)} cells but the header has {header_count}; "
                                f"give every row {header_count} (an empty cell is `| |`, a bar inside a "
                                "cell is written `\\|`)")
    # each cell at its own column: a reviewer's change to "400" in `| 2023 | 400 | 400 |` is found in its cell
    made = [_cell(text, cell_offset, lines.span_at(index, cell_offset), inline) for cell_offset, text in cells[:width]]
    made += [TableCell((), span)] * (width - len(made))
    return tuple(made)


def _caption(lines: Lines, index: int, inline: InlineParser,
             diagnostics: Diagnostics) -> tuple[Inlines | None, str | None, int]:
    if index >= len(lines.texts):
        return None, None, index
    offset, line = lines.stripped(index)
    match = _CAPTION.match(line)
    if not match:
        match = _OTHER_CAPTION.match(line)
        if not match:
            return None, None, index
        diagnostics.error(lines.span_at(index, offset),
                          f"a table's caption line starts with `Table:` in every language, not `{match.group('word')}:` "
                          "(the style's `table_caption` label prints it in the report's language); write "
                          f"`Table: {excerpt(match.group('caption'))}`")
    text = match.group("caption").strip()
    named = _NAME.search(text)
    name = named.group(1) if named else None
    if named:
        text = text[:named.start()].rstrip()
    start = offset + match.start("caption") + len(match.group("caption")) - len(match.group("caption").lstrip())
    return inline(text, start, lines.span_at(index, offset)) or None, name, index + 1


def _cell(text: str, offset: int, span: Span, inline: InlineParser) -> TableCell:
    return TableCell(inline(text, offset, span), span)


def _is_delimiter(line: str) -> bool:
    if "|" not in line or "-" not in line:
        return False
    return all(_DELIMITER_CELL.match(text) for _, text in _cells(line, 0))


def _alignment(text: str) -> str:
    if text.startswith(":") and text.endswith(":") and len(text) > 1:
        return "center"
    return "right" if text.endswith(":") else "left"


def _cells(line: str, offset: int) -> list[tuple[int, str]]:
    """The cells of a stripped row: (offset of the cell's text, its text with `\\|` as `|`)."""
    start, end = (1 if line.startswith("|") else 0), len(line)
    if end > start and line.endswith("|") and not line.endswith("\\|"):
        end -= 1
    cells: list[tuple[int, str]] = []
    cell_start = position = start
    while position < end:
        if line[position] == "\\" and position + 1 < end and line[position + 1] == "|":
            position += 2
            continue
        if line[position] == "|":
            cells.append(_trimmed(line, cell_start, position, offset))
            cell_start = position + 1
        position += 1
    cells.append(_trimmed(line, cell_start, end, offset))
    return cells


def _trimmed(line: str, start: int, end: int, offset: int) -> tuple[int, str]:
    raw = line[start:end]
    stripped = raw.lstrip()
    return offset + start + len(raw) - len(stripped), stripped.rstrip().replace("\\|", "|")
