"""A table's CSV file (source format v2): UTF-8, at most 2 MB, the first row the header, every row
as wide as the header. Problems are reported at the CSV's own line (`data/calls.csv:14`), all in
one run; the size is checked before a byte is read.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .richschema import MAX_DATA_FILE_BYTES, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS
from .characters import FORBIDDEN, described
from .yamltree import utf16_byte_order
from ..diagnostics import Diagnostics, Span, counted
from ..records import dataclass

Cell = tuple[str, Span]  # the text as written and where


@dataclass(frozen=True)
class CsvTable:
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]


def read(path: Path, name: str, origin: Span, diagnostics: Diagnostics) -> CsvTable | None:
    """The table in `path` (named `name` in messages); None, with every problem reported, when
    it cannot be used. `origin` is the `csv:` line that named it."""
    data = _bytes(path, origin, diagnostics)
    if data is None:
        return None
    text = _text(data, name, diagnostics)
    if text is None:
        return None
    rows = _rows(text, name, diagnostics)
    if rows is None:
        return None
    if not rows:
        diagnostics.error(Span(name, 1, 1), "the CSV file is empty; its first row is the table's header")
        return None
    return _checked(rows, name, diagnostics)


def _bytes(path: Path, origin: Span, diagnostics: Diagnostics) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_DATA_FILE_BYTES:
            diagnostics.error(origin, f"the CSV file has {size:,} bytes; at most {MAX_DATA_FILE_BYTES:,} are "
                                      "allowed (split the table, or summarise the data)")
            return None
        with open(path, "rb") as stream:
            return stream.read(MAX_DATA_FILE_BYTES + 1)[:MAX_DATA_FILE_BYTES]
    except OSError as error:
        diagnostics.error(origin, f"cannot read the CSV file: {error.strerror or error}")
        return None


def _text(data: bytes, name: str, diagnostics: Diagnostics) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if utf16_byte_order(data):
            diagnostics.error(Span(name, 1, 1), "the CSV file is saved as UTF-16; save it as UTF-8 (in Excel: CSV UTF-8)")
            return None
        line = data[:error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        diagnostics.error(Span(name, line, column), f"the CSV file is not UTF-8 (byte 0x{data[error.start]:02X}); "
                                                    "save it as UTF-8 (in Excel: CSV UTF-8)")
        return None
    if text.count("\x00") * 3 > len(text):  # every other byte zero: UTF-16 saved without its byte order mark
        diagnostics.error(Span(name, 1, 1), "the CSV file is saved as UTF-16; save it as UTF-8 (in Excel: CSV UTF-8)")
        return None
    found = FORBIDDEN.search(text)  # what a source may not hold either (Word's XML cannot hold it)
    if found is not None:
        bad = found.start()
        line = text.count("\n", 0, bad) + 1
        diagnostics.error(Span(name, line, bad - text.rfind("\n", 0, bad)),
                          f"the CSV file holds the {described(found.group())}; remove it")
        return None
    return text


def _rows(text: str, name: str, diagnostics: Diagnostics) -> list[tuple[int, list[str]]] | None:
    """(line the row starts on, cells) for each non-empty row."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            if cells and any(cell.strip() for cell in cells):
                rows.append((line, [cell.strip() for cell in cells]))
            line = reader.line_num + 1
            if len(rows) > MAX_TABLE_ROWS + 1:
                diagnostics.error(Span(name, line - 1, 1), f"the CSV file has more than {MAX_TABLE_ROWS:,} rows; "
                                                           "at most that many are allowed in one table")
                return None
    except csv.Error as error:
        diagnostics.error(*_csv_problem(str(error), name, line, reader.line_num or line))
        return None
    return rows


def _csv_problem(message: str, name: str, row_line: int, error_line: int) -> tuple[Span, str]:
    """Where Python's csv module stopped, and why, in words that say how to fix the file."""
    if message == "unexpected end of data":  # at the end of the file: the quote opened on its row
        return Span(name, row_line, 1), ("a quoted cell that starts on this row is never closed; add its closing "
                                         'double quote (") or remove the opening one')
    if message.startswith("field larger than field limit"):
        return Span(name, row_line, 1), (f"a cell on this row is longer than {csv.field_size_limit():,} characters; "
                                         "shorten it (a table cell that long cannot fit a page)")
    if message.endswith("expected after '\"'"):
        return Span(name, error_line, 1), ('a quoted cell on this line has text after its closing quote; write a '
                                           'double quote inside a quoted cell as "" or quote the whole cell')
    return Span(name, error_line, 1), f"the CSV file cannot be read here: {message}"


def _checked(rows: list[tuple[int, list[str]]], name: str, diagnostics: Diagnostics) -> CsvTable | None:
    header_line, header = rows[0]
    if len(header) > MAX_TABLE_COLUMNS:
        diagnostics.error(Span(name, header_line, 1), f"the CSV file has {len(header)} columns; at most "
                                                      f"{MAX_TABLE_COLUMNS} are allowed in one table")
        return None
    ragged = False
    for line, cells in rows[1:]:
        if len(cells) != len(header):
            diagnostics.error(Span(name, line, 1), f"this row has {counted(len(cells), 'cell')}, but the header "
                                                   f"has {counted(len(header), 'column')}; give every row one cell "
                                                   "per column")
            ragged = True
    if ragged:
        return None
    return CsvTable(tuple((cell, Span(name, header_line, 1)) for cell in header),
                    tuple(tuple((cell, Span(name, line, 1)) for cell in cells) for line, cells in rows[1:]))
