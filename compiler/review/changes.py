"""Walking a returned draft: the body in reading order -> remarks (comments and tracked changes),
each at the source bookmark it falls in.

    walk_document    the body in reading order -> remarks, each at the source bookmark it falls in
    group changes    adjacent deletions and insertions by one author -> insert, delete or replace

A remark on text that carries no source bookmark (a paragraph the reviewer pasted in, or text
whose paragraph was deleted without tracking) is listed under the nearest traceable heading
before it, with a warning: it is never dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from ..diagnostics import Span
from .package import Package, day, one_line, w

if TYPE_CHECKING:
    from lxml import etree

    from ..render.docx.sourcemap import Mark

@dataclass(frozen=True)
class Remark:
    kind: str  # "comment" | "change"
    span: Span
    author: str
    date: str  # ISO date (YYYY-MM-DD), "" when the editor wrote none
    text: str = ""  # the comment's text
    anchor: str = ""  # the commented text
    change: str = ""  # "insert" | "delete" | "replace"
    deleted: str = ""
    inserted: str = ""
    traced: bool = True  # False: shown at the nearest heading, the text itself carries no source mark
    field: str = ""  # what the source mark covers: "heading", "body", "list item", ...
    order: int = 0  # position in the document, to keep remarks at one source line in reading order


@dataclass
class Review:
    docx: str
    report_id: str
    source: str
    remarks: list[Remark] = field(default_factory=list)

    def sorted(self) -> list[Remark]:
        return sorted(self.remarks, key=lambda r: (r.span.file, r.span.line, r.span.col, r.order))




_CHANGE_TAGS = {w("ins"): "ins", w("moveTo"): "ins", w("del"): "del", w("moveFrom"): "del"}
# Elements that may sit between the pieces of one edit without ending it.
_TRANSPARENT = {w("bookmarkStart"), w("bookmarkEnd"), w("commentRangeStart"), w("commentRangeEnd"),
                w("proofErr"), w("permStart"), w("permEnd")}


@dataclass
class _Change:
    last: "etree._Element"  # the latest piece, to see whether the next one continues this edit
    author: str
    date: str
    position: tuple["Mark | None", bool, int]
    deleted: list[str] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)


class _Walker:
    """One pass over the body in reading order, knowing at each point which source mark is open."""

    def __init__(self, package: Package):
        self.package = package
        self.marks = package.map.marks
        self.open_marks: dict[str, str] = {}  # bookmark id -> mark name, in start order
        self.last_heading: "Mark | None" = None
        self.first_mark_in: dict["etree._Element", "Mark"] = self._first_marks()
        self.ranges: dict[str, list[str]] = {}  # open comment ranges: id -> text so far
        self.starts: dict[str, tuple] = {}  # comment id -> position where its range starts
        self.anchors: dict[str, str] = {}
        self.order = 0

    def _first_marks(self) -> dict["etree._Element", "Mark"]:
        # Keyed by the element itself: holding it keeps lxml's proxy (and so its hash) alive.
        firsts: dict["etree._Element", Mark] = {}
        for start in self.package.document.iter(w("bookmarkStart")):
            mark = self.marks.get(start.get(w("name"), ""))
            p = _paragraph_of(start)
            if mark is not None and p is not None:
                firsts.setdefault(p, mark)
        return firsts

    def position(self, node: "etree._Element") -> tuple["Mark | None", bool, int]:
        """(mark, traced, order) for a remark at `node`."""
        self.order += 1
        if self.open_marks:
            return self.marks[list(self.open_marks.values())[-1]], True, self.order
        p = _paragraph_of(node)
        if p is not None and p in self.first_mark_in:
            return self.first_mark_in[p], True, self.order  # typed just outside the bookmark
        return self.last_heading, False, self.order

    def walk(self) -> Iterator[Remark]:
        body = self.package.document.find(w("body"))
        changes: list[_Change] = []
        for node in body.iter() if body is not None else ():
            tag = node.tag
            if tag == w("p"):
                for buffer in self.ranges.values():
                    if buffer and buffer[-1] != " ":
                        buffer.append(" ")
            elif tag == w("bookmarkStart"):
                name = node.get(w("name"), "")
                if name in self.marks:
                    self.open_marks[node.get(w("id"), name)] = name
                    if self.marks[name].kind == "heading":
                        self.last_heading = self.marks[name]
            elif tag == w("bookmarkEnd"):
                self.open_marks.pop(node.get(w("id"), ""), None)
            elif tag == w("commentRangeStart"):
                comment_id = node.get(w("id"), "")
                self.ranges[comment_id] = []
                self.starts.setdefault(comment_id, self.position(node))
            elif tag == w("commentRangeEnd"):
                comment_id = node.get(w("id"), "")
                self.anchors[comment_id] = one_line("".join(self.ranges.pop(comment_id, [])))
            elif tag == w("commentReference"):
                self.starts.setdefault(node.get(w("id"), ""), self.position(node))
            elif tag in (w("t"), w("delText")):
                for buffer in self.ranges.values():
                    buffer.append(node.text or "")
            elif tag == w("tab"):
                for buffer in self.ranges.values():
                    buffer.append(" ")
            elif tag in _CHANGE_TAGS and node.getparent().tag != w("rPr"):  # not a paragraph-mark revision
                self.add_change(changes, node)
        for change in changes:
            yield self.change_remark(change)
        yield from self.comment_remarks()

    def add_change(self, changes: list[_Change], node: "etree._Element") -> None:
        """Extend the last edit when `node` follows it directly (a replacement is a deletion and an
        insertion side by side), else start a new one."""
        text = "".join(t.text or "" for t in node.iter(w("t"), w("delText")))
        if not text:
            return
        author = node.get(w("author"), "")
        current = changes[-1] if changes else None
        if current is None or current.author != author or not _follows(current.last, node):
            current = _Change(node, author, day(node.get(w("date"), "")), self.position(node))
            changes.append(current)
        (current.inserted if _CHANGE_TAGS[node.tag] == "ins" else current.deleted).append(text)
        current.last = node

    def change_remark(self, change: _Change) -> Remark:
        mark, traced, order = change.position
        deleted, inserted = "".join(change.deleted), "".join(change.inserted)
        kind = "replace" if deleted and inserted else "insert" if inserted else "delete"
        return Remark("change", _span(mark, self.package.map.source), change.author, change.date,
                      change=kind, deleted=deleted, inserted=inserted, traced=traced,
                      field=mark.kind if mark else "", order=order)

    def comment_remarks(self) -> Iterator[Remark]:
        for comment_id, (author, date, text) in self.package.comments.items():
            position = self.starts.get(comment_id)
            if position is None:
                continue  # anchored outside the body (a header, a footnote): not report text
            mark, traced, order = position
            yield Remark("comment", _span(mark, self.package.map.source), author, date, text=text,
                         anchor=self.anchors.get(comment_id, ""), traced=traced,
                         field=mark.kind if mark else "", order=order)


def walk_document(package: Package) -> Iterator[Remark]:
    return _Walker(package).walk()


def _follows(previous: "etree._Element", node: "etree._Element") -> bool:
    """True when `node` comes straight after `previous` in the same paragraph (markers aside)."""
    sibling = previous.getnext()
    while sibling is not None and sibling.tag in _TRANSPARENT:
        sibling = sibling.getnext()
    return sibling is node


def _paragraph_of(node: "etree._Element") -> "etree._Element | None":
    for ancestor in node.iterancestors(w("p")):
        return ancestor
    return None


def _span(mark: "Mark | None", source: str) -> Span:
    return mark.span if mark is not None else Span(source, 1, 1)
