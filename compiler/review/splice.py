"""Byte-exact rewriting of one YAML scalar: edits of its value -> edits of the source text.

A scalar's value is not its source (indentation, folding, quotes and escapes: see
source/textpositions), so each edit of the value is mapped to the source characters that wrote
it, and the new text is written the way the scalar's style needs it: `"` and `\\` escaped in a
double-quoted scalar, `'` doubled in a single-quoted one, a line break indented in a literal
block. Nothing outside the edited characters changes: other lines, comments, key order and the
scalar's own style stay as they were.

Where a precise splice cannot say the new value (a plain scalar that now needs quotes, a line
break in a quoted scalar), `requoted` writes the whole scalar again as one double-quoted line;
the caller parses the result and keeps whichever attempt gives exactly the value wanted.
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from ..source import textpositions

if TYPE_CHECKING:
    from ..source.yamltree import Scalar

ValueEdit = tuple[int, int, str]  # value[start:end] -> text
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[^xuU])")
_DOUBLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


class _Positions:
    """Value offset -> source index for one scalar, telling characters written in the source
    from separators that folding and indentation made."""

    def __init__(self, scalar: "Scalar"):
        lines = scalar.lines
        self.text, self.style = lines.text, scalar.style
        self.map = textpositions.build(scalar.value, lines.text, scalar.start, scalar.end, scalar.style,
                                       lines.starts)

    def written(self, offset: int) -> int | None:
        """The source index of the value character at `offset` when the source wrote it, else None."""
        anchor = bisect.bisect_right(self.map.value_starts, offset) - 1
        if anchor < 0:
            return None
        inside = offset - self.map.value_starts[anchor]
        return self.map.source_starts[anchor] + inside if inside < self.map.lengths[anchor] else None

    def after(self, offset: int) -> int:
        """The source index just after the value character at `offset` (escapes are longer than one)."""
        index = self.written(offset)
        if index is None:
            return self.segment_end(offset)
        if self.style == '"' and self.text[index] == "\\":
            match = _ESCAPE.match(self.text, index)
            return index + (len(match.group()) if match else 1)
        return index + 1

    def segment_end(self, offset: int) -> int:
        """Where the source text before a separator ends (the end of the previous segment)."""
        anchor = max(bisect.bisect_right(self.map.value_starts, offset) - 1, 0)
        return self.map.source_starts[anchor] + self.map.lengths[anchor]

    def start_of(self, offset: int) -> int:
        written = self.written(offset)
        if written is not None:
            return written
        return self.after(offset - 1) if offset > 0 else self.segment_end(offset)

    def end_of(self, offset: int) -> int:
        """The source index where a deletion ending before value offset `offset` ends."""
        written = self.written(offset)
        if written is not None:
            return written  # up to the next written character: the line break between goes too
        return self.after(offset - 1) if offset > 0 else self.segment_end(0)


def spliced(scalar: "Scalar", edits: list[ValueEdit]) -> str | None:
    """The scalar's source text (`text[start:end]`) with `edits` applied in its own style, or None
    when its value cannot be aligned with its source."""
    if scalar.lines is None or not scalar.value:
        return None
    positions = _Positions(scalar)
    if not positions.map.complete or not positions.map.value_starts:
        return None
    source = scalar.lines.text
    pieces, cursor = [], scalar.start
    for start, end, new in sorted(edits):
        if start == end:
            at_start = positions.start_of(start) if start < len(scalar.value) else positions.after(start - 1)
            at_end = at_start
        else:
            at_start = positions.start_of(start)
            at_end = positions.end_of(end) if end < len(scalar.value) else positions.after(end - 1)
        if at_start < cursor or at_end < at_start:
            return None  # overlapping edits
        pieces += [source[cursor:at_start], written_as(new, scalar, source, at_start)]
        cursor = at_end
    pieces.append(source[cursor:scalar.end])
    return "".join(pieces)


def written_as(text: str, scalar: "Scalar", source: str, at: int) -> str:
    """`text` as the scalar's style writes it at source index `at`."""
    if scalar.style == '"':
        return _double_quoted(text)
    if scalar.style == "'":
        return text.replace("'", "''")
    if scalar.style in ("|", ">") and "\n" in text:
        line_start = source.rfind("\n", 0, at) + 1
        line = source[line_start:at]
        indent = line[: len(line) - len(line.lstrip(" "))] or " " * (scalar.content_col - 1)
        newline = "\r\n" if source[at:at + 2] == "\r\n" or source.find("\r\n", line_start) >= 0 else "\n"
        separator = newline + (newline if scalar.style == ">" else "") + indent
        return separator.join(text.split("\n"))
    return text


def requoted(value: str) -> str:
    """`value` as one double-quoted scalar."""
    return '"' + _double_quoted(value) + '"'


def _double_quoted(text: str) -> str:
    """`text` as a double-quoted scalar's source holds it: `"` and `\\` escaped, and every control
    character and the line and paragraph separators as escapes (written raw, editors show those
    as line breaks, and a diff of the file splits its line there)."""
    escaped = []
    for char in text:
        if char in _DOUBLE_ESCAPES:
            escaped.append(_DOUBLE_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            escaped.append(f"\\x{ord(char):02x}")
        elif char in "\u2028\u2029":
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return "".join(escaped)


def edited_value(value: str, edits: list[ValueEdit]) -> str:
    pieces, cursor = [], 0
    for start, end, new in sorted(edits):
        pieces += [value[cursor:start], new]
        cursor = end
    return "".join(pieces + [value[cursor:]])
