"""Where a draft paragraph's tracked changes fall in a source scalar's value.

The draft shows a value rendered: inline markup gone (`**bold**` shows "bold"), lines of a
paragraph joined by spaces, list markers turned into numbering. So the value is rendered again
here, keeping for each rendered character the value offset it came from (through the markup
parser's own reading of the value), and the paragraph's text before the changes is found in it.
Text the paragraph holds beyond the value (a generated number, a label) is found by taking the
longest stretch both share: a change outside that stretch is on generated text and not applied.

Both texts are compared with white space collapsed and invisible formatting characters (bidi
controls, soft hyphens) dropped, as a word processor may add or drop them.
"""
from __future__ import annotations

import difflib
import re
from typing import Callable, Iterable

from ..diagnostics import Diagnostics, Span
from ..model import CrossRef, Text, walk_nodes
from ..source.markup import parse_inline
from .edits import Edit
from .splice import ValueEdit

_IGNORED = frozenset("\u00ad\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
# find_longest_match is quadratic at worst: beyond this many character pairs a paragraph that is
# not found whole in its value is not searched piece by piece.
_MAX_PAIRS = 20_000_000
_MAX_OCCURRENCES = 1_000
# The `>` that starts each line of a quotation (markup.py): not text the draft shows, so a quoted
# paragraph written over several lines reads as one
_QUOTE_MARKER = re.compile(r"^([ \t]*)>(?= |$)", re.MULTILINE)


_GENERATED = "the change is on text the draft generates (a number, a label, a heading's numbering)"
_ELSEWHERE = ("the changed text is not in the source: the source was edited since the draft, or the draft "
              "generates that text (a number, a label, a heading's numbering)")
_MISSING = "the text in the draft is not in the source (was the source edited since the draft?)"


class NotFound(Exception):
    """Why the changes of a paragraph cannot be placed in the value (one sentence)."""


def normalized(text: str, offsets: Iterable[int]) -> tuple[str, list[int]]:
    """`text` with white space runs as one space and invisible characters dropped, and for each
    character kept its offset (the first of a white space run)."""
    out, kept, space = [], [], False
    for char, offset in zip(text, offsets):
        if char in _IGNORED:
            continue
        if char.isspace():
            if space:
                continue
            char = " "
        space = char == " "
        out.append(char)
        kept.append(offset)
    return "".join(out), kept


def rendered(value: str) -> tuple[str, list[int]]:
    """The value as a draft shows its text (normalized), and each character's value offset."""
    leaves: list[str] = []
    pending = list(reversed(parse_inline(value, Span("", 1, 1), Diagnostics())))
    while pending:
        node = pending.pop()
        if isinstance(node, Text):
            leaves.append(node.text)
        else:
            pending += reversed(node.children)
    chars, offsets, cursor = [], [], 0
    for leaf in leaves:
        at = value.find(leaf, cursor)
        if at < 0:
            break  # cannot happen: leaves are the value's own text in order
        chars.append(leaf)
        offsets.extend(range(at, at + len(leaf)))
        cursor = at + len(leaf)
    shown = _QUOTE_MARKER.sub(lambda marker: marker.group(1) + " ", "".join(chars))  # same length
    return normalized(shown, offsets)


def differs_beyond_changes(before: str, value: str) -> bool:
    """Whether a paragraph that is all source text (no number or label the draft adds) differs
    from its value where no tracked change shows it: its text before the changes is not in the
    value. A value with cross-references is not compared: the draft prints them as "Table 2"."""
    paragraph = normalized(before, range(len(before)))[0].strip()
    return bool(paragraph) and paragraph not in rendered(value)[0] and not _has_cross_reference(value)


def _has_cross_reference(value: str) -> bool:
    return any(isinstance(node, CrossRef) for node in walk_nodes(parse_inline(value, Span("", 1, 1), Diagnostics())))


def locate(before: str, edits: list[Edit], value: str, distance: Callable[[int], int]) -> list[ValueEdit]:
    """The value edits that make the paragraph's changes; raises NotFound. `distance(offset)`
    says how far a value offset is from where the paragraph's source mark points, to choose
    between repeated text."""
    paragraph, kept = normalized(before, range(len(before)))
    to_normal = _inverse(kept, len(before))
    text, offsets = rendered(value)
    start, length, at = _shared_stretch(paragraph, text, offsets, distance)
    out: list[ValueEdit] = []
    for edit in edits:
        first, last = to_normal[edit.start], to_normal[edit.end]
        if first < start or last > start + length:
            raise NotFound(_GENERATED if start == 0 and length == len(paragraph) else _ELSEWHERE)
        out += _value_edits(at + first - start, at + last - start, edit.inserted, value, offsets)
    return out


def _inverse(kept: list[int], size: int) -> list[int]:
    """Offset in the original text -> index of the first kept character at or after it."""
    inverse, index = [0] * (size + 1), 0
    for offset in range(size + 1):
        while index < len(kept) and kept[index] < offset:
            index += 1
        inverse[offset] = index
    return inverse


def _shared_stretch(paragraph: str, text: str, offsets: list[int],
                    distance: Callable[[int], int]) -> tuple[int, int, int]:
    """(start in the paragraph, length, start in the rendered value) of the text both share."""
    found = _occurrences(text, paragraph) if paragraph else []
    if found:
        return 0, len(paragraph), min(found, key=lambda at: distance(offsets[at]) if at < len(offsets) else 0)
    if not paragraph or not text or len(paragraph) * len(text) > _MAX_PAIRS:
        raise NotFound(_MISSING)
    match = difflib.SequenceMatcher(None, paragraph, text, autojunk=False).find_longest_match(
        0, len(paragraph), 0, len(text))
    if match.size < min(len(paragraph), 4) or match.size * 2 < len(text.strip()) and match.size * 2 < len(paragraph):
        raise NotFound(_MISSING)
    return match.a, match.size, match.b


def _occurrences(text: str, wanted: str) -> list[int]:
    found, at = [], text.find(wanted)
    while at >= 0 and len(found) < _MAX_OCCURRENCES:
        found.append(at)
        at = text.find(wanted, at + 1)
    return found


def _value_edits(first: int, last: int, inserted: str, value: str, offsets: list[int]) -> list[ValueEdit]:
    """Rendered characters [first, last) replaced by `inserted` -> value edits. A deletion across
    markup delimiters deletes the text on each side and keeps the delimiters."""
    if first == last:
        at = _after(first - 1, value, offsets) if first > 0 else (offsets[0] if offsets else 0)
        return [(at, at, inserted)]
    runs: list[list[int]] = []
    for index in range(first, last):
        start = offsets[index]
        end = _after(index, value, offsets)
        if runs and _blank(value[runs[-1][1]:start]) and runs[-1][1] <= start:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    whole = _over_emphasis(runs, first, last, inserted, value) if len(runs) > 1 else None
    if whole is not None:
        return [whole]
    return [(start, end, inserted if number == 0 else "") for number, (start, end) in enumerate(runs)]


def _blank(gap: str) -> bool:
    """Whether only white space, and the `>` of a quotation's next line, lie between two runs."""
    return _QUOTE_MARKER.sub(" ", gap).strip() == ""


_EMPHASIS = "*_"


def _over_emphasis(runs: list[list[int]], first: int, last: int, inserted: str, value: str) -> ValueEdit | None:
    """One edit replacing the deleted text and the emphasis markers it crosses, when that gives
    the text the reviewer left: "**inadequate** at" replaced by "poor at" is "poor at", where
    keeping the markers wrote "**poor at**". None when the markers belong to text the change keeps
    (the reviewer's words then go inside them, as before)."""
    gaps = [value[before[1]:after[0]] for before, after in zip(runs, runs[1:])]
    if any(gap.strip(_EMPHASIS + " ") for gap in gaps):
        return None  # a link's target or another construct lies between: not only emphasis
    start, end = runs[0][0], runs[-1][1]
    while start > 0 and value[start - 1] in _EMPHASIS:
        start -= 1
    while end < len(value) and value[end] in _EMPHASIS:
        end += 1
    text = rendered(value)[0]
    wanted = normalized(text[:first] + inserted + text[last:], range(len(text) + len(inserted)))[0]
    return (start, end, inserted) if rendered(value[:start] + inserted + value[end:])[0] == wanted else None


def _after(index: int, value: str, offsets: list[int]) -> int:
    """The value offset just after rendered character `index` (past a whole white space run)."""
    end = offsets[index] + 1
    if value[offsets[index]].isspace():
        while end < len(value) and value[end].isspace():
            end += 1
    return end
