"""A returned draft's tracked changes, paragraph by paragraph, for `reportc review --apply`.

For each paragraph holding a tracked change this gives the text BEFORE the changes (deletions
kept, insertions left out), each change as an offset range of that text with the text put in its
place, and the source mark the paragraph carries. What cannot be written back as text (a
formatting-only change, a paragraph split or joined) is recorded as a problem of the paragraph.

Only lxml, like the rest of the review side.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from .package import Package, w

if TYPE_CHECKING:
    from lxml import etree

    from ..render.docx.sourcemap import Mark

_INSERTED = {w("ins"), w("moveTo")}
_DELETED = {w("del"), w("moveFrom")}
_FORMAT_CHANGES = {w("rPrChange"), w("pPrChange"), w("tblPrChange"), w("trPrChange"), w("tcPrChange"),
                   w("sectPrChange"), w("numberingChange")}
_TEXT = {w("t"): "", w("delText"): "", w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}


@dataclass(frozen=True)
class Edit:
    start: int  # offsets in the paragraph's BEFORE text
    end: int
    inserted: str
    author: str


@dataclass
class ParagraphEdits:
    mark: "Mark | None"  # the source mark the paragraph carries; None: text without a source position
    before: str = ""
    edits: list[Edit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # changes that are not text, one sentence each

    @property
    def after(self) -> str:
        pieces, position = [], 0
        for edit in self.edits:
            pieces += [self.before[position:edit.start], edit.inserted]
            position = edit.end
        return "".join(pieces + [self.before[position:]])


def paragraph_edits(package: Package) -> Iterator[ParagraphEdits]:
    """Every paragraph of the body, then of the footnotes, with a tracked change or a problem,
    in reading order."""
    for root in package.stories():
        yield from _story_edits(root, package.map.marks)


def _story_edits(root: "etree._Element", marks: dict) -> Iterator[ParagraphEdits]:
    open_marks: dict[str, str] = {}  # bookmark id -> mark name, in start order
    for node in root.iter(w("p"), w("bookmarkStart"), w("bookmarkEnd")):
        if node.tag == w("bookmarkStart") and node.get(w("name"), "") in marks:
            open_marks[node.get(w("id"), "")] = node.get(w("name"), "")
        elif node.tag == w("bookmarkEnd"):
            open_marks.pop(node.get(w("id"), ""), None)
        elif node.tag == w("p"):
            mark = _own_mark(node, marks) or (marks[next(reversed(open_marks.values()))] if open_marks else None)
            found = _read_paragraph(node, mark)
            if found.edits or found.problems:
                yield found


def _own_mark(p: "etree._Element", marks: dict) -> "Mark | None":
    """The innermost source mark started in the paragraph itself (a heading also carries its anchor)."""
    found = None
    for start in p.iter(w("bookmarkStart")):
        if start.get(w("name"), "") in marks:
            found = marks[start.get(w("name"), "")]
    return found


def _read_paragraph(p: "etree._Element", mark: "Mark | None") -> ParagraphEdits:
    result = ParagraphEdits(mark)
    before: list[str] = []
    size = 0
    current: list | None = None  # [start, end, inserted pieces, author] of the change being read
    for node in p.iter():
        if node.tag in _FORMAT_CHANGES:
            _problem(result, "a formatting change (only text can be written back to the source)")
        elif node.tag in _INSERTED | _DELETED and node.getparent().tag == w("rPr"):
            _problem(result, "a paragraph split, joined, added or removed (only text inside one "
                             "paragraph can be written back; edit the source by hand)")
        if node.tag not in _TEXT or _inside(node, p, {w("instrText")}):
            continue
        text = (node.text or "") if node.tag in (w("t"), w("delText")) else _TEXT[node.tag]
        change = _change_of(node, p)
        if change is None:
            if current is not None:
                result.edits.append(Edit(current[0], current[1], "".join(current[2]), current[3]))
                current = None
            before.append(text)
            size += len(text)
            continue
        author = change.get(w("author"), "")
        if current is None:
            current = [size, size, [], author]
        if change.tag in _DELETED:
            before.append(text)
            size += len(text)
            current[1] = size
        else:
            current[2].append(text)
    if current is not None:
        result.edits.append(Edit(current[0], current[1], "".join(current[2]), current[3]))
    result.before = "".join(before)
    return result


def _problem(result: ParagraphEdits, text: str) -> None:
    if text not in result.problems:
        result.problems.append(text)


def _change_of(node: "etree._Element", p: "etree._Element") -> "etree._Element | None":
    for ancestor in node.iterancestors():
        if ancestor is p:
            return None
        if ancestor.tag in _INSERTED or ancestor.tag in _DELETED:
            return ancestor
    return None


def _inside(node: "etree._Element", p: "etree._Element", tags: set[str]) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is p:
            return False
        if ancestor.tag in tags:
            return True
    return False
