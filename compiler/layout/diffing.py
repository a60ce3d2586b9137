"""difflib's opcodes between two sequences, in bounded time.

`difflib.SequenceMatcher` (without its "junk" heuristic, which would make long paragraphs diff
worse) looks at every pair of equal items again for each block it matches, so sequences with many
equal items take time up to cubic in their length: a paragraph of 1,500 repeated words against
another took minutes to redline, 2,000 alternating short paragraphs most of one. Where the pairs
of equal items pass a bound, what the two share at their start and end is matched first, and
only what differs between is diffed (or, when that too passes the bound, replaced whole): a long
paragraph edited in one place still diffs word by word, and every input takes well under a second.
Below the bound the opcodes are difflib's own.
"""
from __future__ import annotations

import difflib
from collections import Counter
from typing import Hashable, Sequence

Opcode = tuple[str, int, int, int, int]

# Pairs of equal items (one from each side): about 0.3 s of matching where all are alike
MAX_EQUAL_PAIRS = 200_000


def opcodes(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[Opcode]:
    if _equal_pairs(old, new) <= MAX_EQUAL_PAIRS:
        return _difflib(old, new)
    start = _common_start(old, new)
    end = _common_start(old[start:][::-1], new[start:][::-1])
    old_end, new_end = len(old) - end, len(new) - end
    middle_old, middle_new = old[start:old_end], new[start:new_end]
    if _equal_pairs(middle_old, middle_new) <= MAX_EQUAL_PAIRS:
        middle = [(tag, i1 + start, i2 + start, j1 + start, j2 + start)
                  for tag, i1, i2, j1, j2 in _difflib(middle_old, middle_new)]
    else:
        middle = [_changed(start, old_end, start, new_end)]
    head = [("equal", 0, start, 0, start)] if start else []
    tail = [("equal", old_end, len(old), new_end, len(new))] if end else []
    return head + [code for code in middle if code[1] < code[2] or code[3] < code[4]] + tail


def _difflib(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[Opcode]:
    return difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


def _equal_pairs(old: Sequence[Hashable], new: Sequence[Hashable]) -> int:
    counts = Counter(new)
    return sum(counts[item] for item in old)


def _common_start(old: Sequence[Hashable], new: Sequence[Hashable]) -> int:
    length = min(len(old), len(new))
    index = 0
    while index < length and old[index] == new[index]:
        index += 1
    return index


def _changed(i1: int, i2: int, j1: int, j2: int) -> Opcode:
    tag = "replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert"
    return tag, i1, i2, j1, j2
