"""A returned draft's tracked changes, paragraph by paragraph, for `reportc review --apply`.

For each paragraph holding a tracked change this gives the text BEFORE the changes (deletions
kept, insertions left out), each change as an offset range of that text with the text put in its
place, and the source mark the paragraph carries. What cannot be written back as text (a
formatting-only change, a paragraph split or joined, a text box) is recorded as a problem of the
paragraph. Text one reviewer inserted and another deleted is in neither text.

Only lxml, like the rest of the review side.
"""
from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Iterator

from .package import Package
from .wordml import MC, W, w
from ..records import dataclass

if TYPE_CHECKING:
    from lxml import etree

    from ..render.docx.sourcemap import Mark

_INSERTED = {w("ins"), w("moveTo")}
_DELETED = {w("del"), w("moveFrom")}
_CHANGES = _INSERTED | _DELETED
# Not the paragraph's own text: a text box's paragraphs, and alternate renderings of a drawing
# (Word writes a text box twice, in mc:Choice and again in mc:Fallback).
_NOT_TEXT = {w("txbxContent"), f"{{{MC}}}AlternateContent", f"{{{MC}}}Fallback"}
_FORMAT_CHANGES = {w("rPrChange"), w("pPrChange"), w("tblPrChange"), w("trPrChange"), w("tcPrChange"),
                   w("sectPrChange"), w("numberingChange")}
_TEXT = {w("t"): "", w("delText"): "", w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}
_WRITTEN_TEXT = {w("t"), w("delText")}  # their text is the element's own; the rest stand for one character
_RPR, _INSTRUCTION, _AUTHOR = w("rPr"), w("instrText"), w("author")


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
    """Every paragraph of the body, then of the footnotes, then of the headers and footers, with
    a tracked change or a problem, in reading order."""
    for root in package.stories():
        yield from _story_edits(root, package.map.marks)
    for name, root in package.furniture:
        for found in _story_edits(root, {}):
            found.problems = [f"a change in the header or footer {name} (headers and footers are made from "
                              f"the report's title and style, not source text; edit those by hand)"]
            yield found


def _story_edits(root: "etree._Element", marks: dict) -> Iterator[ParagraphEdits]:
    open_marks: dict[str, str] = {}  # bookmark id -> mark name, in start order
    joined = False
    in_text_boxes = set(_TEXT_BOX_PARAGRAPHS(root))  # read with the paragraph holding the box
    for node in root.iter(w("p"), w("bookmarkStart"), w("bookmarkEnd")):
        if node.tag == w("bookmarkStart") and node.get(w("name"), "") in marks:
            open_marks[node.get(w("id"), "")] = node.get(w("name"), "")
        elif node.tag == w("bookmarkEnd"):
            open_marks.pop(node.get(w("id"), ""), None)
        elif node.tag == w("p") and node not in in_text_boxes:
            mark = _own_mark(node, marks) or (marks[next(reversed(open_marks.values()))] if open_marks else None)
            found = _read_paragraph(node, mark)
            if joined:  # the paragraph before ends in a deleted (or inserted) mark: this one is in the join
                _problem(found, _JOINED)
            joined = _mark_changed(node)
            if found.edits or found.problems:
                yield found


def _own_mark(p: "etree._Element", marks: dict) -> "Mark | None":
    """The innermost source mark started in the paragraph itself (a heading also carries its anchor)."""
    found = None
    for start in p.iter(w("bookmarkStart")):
        if start.get(w("name"), "") in marks:
            found = marks[start.get(w("name"), "")]
    return found


class _ParagraphReader:
    """One paragraph read in one pass, knowing at each point which tracked changes and which field
    instruction it is inside (looking up each text node's ancestors cost text x depth)."""

    def __init__(self, mark: "Mark | None"):
        self.result = ParagraphEdits(mark)
        self.before: list[str] = []
        self.size = 0
        self.changes: list["etree._Element"] = []  # the tracked changes open here, outermost first
        self.open = {"inserted": 0, "deleted": 0}  # how many of them insert, how many delete
        self.instructions = 0  # field instructions open here: their text is not shown
        self.current: list | None = None  # [start, end, inserted pieces, author] of the change being read

    def enter(self, node: "etree._Element") -> None:
        if node.tag in _FORMAT_CHANGES:
            _problem(self.result, "a formatting change (only text can be written back to the source)")
        elif node.tag in _CHANGES and node.getparent().tag == _RPR:
            _problem(self.result, _JOINED)
        elif node.tag in _CHANGES:
            self.changes.append(node)
            self.open[_kind(node)] += 1
        elif node.tag == _INSTRUCTION:
            self.instructions += 1
        elif node.tag in _TEXT and not self.instructions:
            self.text((node.text or "") if node.tag in _WRITTEN_TEXT else _TEXT[node.tag])

    def leave(self, node: "etree._Element") -> None:
        if self.changes and node is self.changes[-1]:
            self.open[_kind(self.changes.pop())] -= 1
        elif node.tag == _INSTRUCTION:
            self.instructions -= 1

    def not_text(self, node: "etree._Element") -> None:
        """A text box or other alternate content: never the paragraph's text; a change to it or in
        it cannot be written back."""
        if self.changes or _has_change(node):
            _problem(self.result, "a text box or drawing added, removed or changed (its text is not source "
                                  "text; edit the source by hand)")

    def text(self, text: str) -> None:
        inserted, deleted = self.open["inserted"], self.open["deleted"]
        if inserted and deleted:
            return  # inserted, then deleted by a later reviewer: neither before nor after
        if not self.changes:
            self.close()
            self.before.append(text)
            self.size += len(text)
            return
        if self.current is None:
            self.current = [self.size, self.size, [], self.changes[-1].get(_AUTHOR, "")]
        if deleted:
            self.before.append(text)
            self.size += len(text)
            self.current[1] = self.size
        else:
            self.current[2].append(text)

    def close(self) -> None:
        if self.current is not None:
            start, end, inserted, author = self.current
            self.result.edits.append(Edit(start, end, "".join(inserted), author))
            self.current = None

    def finish(self) -> ParagraphEdits:
        self.close()
        self.result.before = "".join(self.before)
        return self.result


def _read_paragraph(p: "etree._Element", mark: "Mark | None") -> ParagraphEdits:
    from lxml import etree

    reader = _ParagraphReader(mark)
    walker = etree.iterwalk(p, events=("start", "end"))
    for event, node in walker:
        if event == "end":
            reader.leave(node)
        elif node.tag in _NOT_TEXT:
            reader.not_text(node)
            walker.skip_subtree()
        else:
            reader.enter(node)
    return reader.finish()


_JOINED = ("a paragraph split, joined, added or removed (only text inside one paragraph can be written back; "
           "edit the source by hand)")


def _mark_changed(p: "etree._Element") -> bool:
    """Whether the paragraph's own mark (its end) is a tracked deletion or insertion: the next
    paragraph is then joined to it, or split from it."""
    marks = p.find(f"{w('pPr')}/{_RPR}")
    return marks is not None and any(child.tag in _CHANGES for child in marks)


def _kind(change: "etree._Element") -> str:
    return "inserted" if change.tag in _INSERTED else "deleted"


def _problem(result: ParagraphEdits, text: str) -> None:
    if text not in result.problems:
        result.problems.append(text)


def _has_change(node: "etree._Element") -> bool:
    return bool(_ANY_CHANGE(node))


def _xpath(expression: str):
    from lxml import etree

    return etree.XPath(expression, namespaces={"w": W})


_TEXT_BOX_PARAGRAPHS = _xpath("//w:p[ancestor::w:txbxContent]")
_ANY_CHANGE = _xpath("boolean(.//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo)")
