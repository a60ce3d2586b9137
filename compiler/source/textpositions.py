"""Where each character of a scalar's value was written: value offset -> source index.

A scalar's value is not a copy of its source: block scalars drop their indentation, folding
turns line breaks into spaces, quoted scalars drop the quotes and their escapes (`\\t`, `''`)
stand for one character. A problem found at offset 140 of a `findings: >` text must still be
reported at its own LINE:COL, so the raw source of the scalar (from libyaml's start mark to its
end mark) is read again and aligned with the value:

- the source is cut into *segments*, each a run of characters copied into the value unchanged
  (one line's text, without its indentation and trailing blanks) or one escape sequence, which
  stands for exactly one character of the value;
- the segments are found in the value in order; between two of them the value may hold only
  what folding and indentation make: spaces, tabs and line breaks.

The result is one anchor per segment, so the map costs a few integers per source line, and
building it is linear in the scalar's size. Where the alignment fails (a construct not foreseen
here), offsets past that point fall back to the scalar's start: a position is never a crash.
"""
from __future__ import annotations

import bisect
import re
from array import array
from typing import Sequence

# One escape of a double-quoted scalar and how many source characters it spans; an escaped
# line break (a backslash ending the line) stands for no character and is handled apart.
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[^xuU])")
_SEPARATORS = " \t\n"  # what folding, chomping and indentation leave between segments


class TextMap:
    """Value offsets -> source indexes for one scalar, as parallel lists of anchors."""

    __slots__ = ("value_starts", "source_starts", "lengths", "complete")

    def __init__(self) -> None:
        # 4-byte arrays, not lists: a hostile scalar of 600,000 escapes has as many anchors
        self.value_starts = array("i")
        self.source_starts = array("i")
        self.lengths = array("i")
        self.complete = False  # every segment was found in the value

    def add(self, value_start: int, source_start: int, length: int) -> None:
        self.value_starts.append(value_start)
        self.source_starts.append(source_start)
        self.lengths.append(length)

    def source_index(self, offset: int) -> int | None:
        """The source index of the value character at `offset`, or None when unknown."""
        if not self.value_starts:
            return None
        anchor = bisect.bisect_right(self.value_starts, offset) - 1
        if anchor < 0:  # indentation kept in the value before the first segment
            return self.source_starts[0]
        inside = offset - self.value_starts[anchor]
        if inside < self.lengths[anchor]:
            return self.source_starts[anchor] + inside
        if anchor == len(self.value_starts) - 1 and not self.complete:
            return None  # past the last character that could be aligned
        # a folded space, a kept line break or trailing blanks: where the previous segment ends
        return self.source_starts[anchor] + self.lengths[anchor]


def build(value: str, source: str, start: int, end: int, style: str,
          line_starts: Sequence[int]) -> TextMap:
    """Align `value` with `source[start:end]`, the scalar as written (style as libyaml gives it)."""
    text_map = TextMap()
    cursor = 0
    for source_start, text, gap in _segments(source, start, end, style, line_starts):
        if text is None:  # an escape: one character of the value, after what folding made
            cursor += gap
            if cursor >= len(value):
                return text_map
            text_map.add(cursor, source_start, 1)
            cursor += 1
            continue
        found = _find(value, text, cursor)
        if found is None:
            return text_map
        text_map.add(found, source_start, len(text))
        cursor = found + len(text)
    text_map.complete = True
    return text_map


def _find(value: str, text: str, cursor: int) -> int | None:
    """Where `text` continues the value at `cursor`, past nothing but separators."""
    while not value.startswith(text, cursor):
        if cursor >= len(value) or value[cursor] not in _SEPARATORS:
            return None
        cursor += 1
    return cursor


def _segments(source: str, start: int, end: int, style: str, line_starts: Sequence[int]):
    """(source index, text, gap) for each run of the scalar's source copied into the value, in
    order. For an escape sequence text is None (one character of the value) and gap says how many
    characters folding put in the value before it (text finds its own way past them)."""
    end = min(end, len(source))
    first_line = bisect.bisect_right(line_starts, start) - 1
    body_start = start
    if style in ("|", ">"):  # the header line (`|`, `>-`, `|2`, a comment) holds no content
        first_line += 1
        if first_line >= len(line_starts):
            return
        body_start = line_starts[first_line]
    elif style in ("'", '"'):
        body_start, end = start + 1, max(end - 1, start + 1)  # inside the quotes
    blank_lines, escaped_break = 0, False
    for number in range(first_line, len(line_starts)):
        line_start = max(line_starts[number], body_start)
        if line_start >= end:
            break
        line_end = min(line_starts[number + 1] if number + 1 < len(line_starts) else len(source), end)
        raw = source[line_start:line_end].rstrip("\r\n")
        first = number == first_line
        content = raw if first and style in ("'", '"') else raw.lstrip(" \t")  # `" a"` keeps its space
        if not content.strip(" \t"):
            blank_lines += 0 if first else 1
            continue
        offset = line_start + len(raw) - len(content)
        if style == '"':
            gap = 0 if first or escaped_break else (blank_lines or 1)
            escaped_break = _ends_in_escaped_break(content)
            yield from _double_quoted(content, offset, gap, escaped_break)
        elif style == "'":
            yield from _single_quoted(content.rstrip(" \t"), offset)
        else:
            yield offset, content.rstrip(" \t"), 0
        blank_lines = 0


def _single_quoted(content: str, offset: int):
    """`''` in a single-quoted scalar stands for one quote."""
    position = 0
    while position < len(content):
        quote = content.find("''", position)
        stop = len(content) if quote < 0 else quote
        if stop > position:
            yield offset + position, content[position:stop], 0
        if quote < 0:
            break
        yield offset + quote, "'", 0
        position = quote + 2


def _double_quoted(content: str, offset: int, gap: int, escaped_break: bool):
    """The segments of one line: text between escapes, and each escape as one character. A
    generator, as one hostile line may hold a million escapes."""
    position = 0
    first = True
    for match in _ESCAPE.finditer(content):
        if match.start() > position:
            yield offset + position, content[position:match.start()], 0
            first = False
        yield offset + match.start(), None, gap if first else 0
        first = False
        position = match.end()
    rest = content[position:].rstrip(" \t")
    rest = rest[:-1] if escaped_break else rest
    if rest:
        yield offset + position, rest, 0


def _ends_in_escaped_break(content: str) -> bool:
    """A line ending in an odd run of backslashes escapes its line break: no space is folded in."""
    text = content.rstrip(" \t")
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1
