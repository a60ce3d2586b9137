"""Walking a returned draft: the body in reading order, then the footnotes -> remarks (comments and
tracked changes), each at the source bookmark it falls in.

    walk_document    the body, then the footnotes -> remarks, each at the source bookmark it falls in
    group changes    adjacent deletions and insertions by one author -> insert, delete or replace

A remark on text that carries no source bookmark (a paragraph the reviewer pasted in, or text
whose paragraph was deleted without tracking) is listed under the nearest traceable heading
before it, with a warning: it is never dropped.
"""
from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Iterator

from ..diagnostics import Span
from .limits import MAX_ANCHOR
from .package import FALLBACK, Package, day, one_line, shown_text
from .wordml import w
from ..records import dataclass

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
    untraced_why: str = ""  # for an untraced remark not under a heading: why and where it is listed


@dataclass
class Review:
    docx: str
    report_id: str
    source: str
    remarks: list[Remark] = field(default_factory=list)
    warnings: tuple[str, ...] = ()  # about the file, not about one remark

    def sorted(self) -> list[Remark]:
        return sorted(self.remarks, key=lambda r: (r.span.file, r.span.line, r.span.col, r.order))




_P, _T, _DEL_TEXT, _TAB, _RPR = w("p"), w("t"), w("delText"), w("tab"), w("rPr")
_BOOKMARK_START, _BOOKMARK_END, _ID, _NAME = w("bookmarkStart"), w("bookmarkEnd"), w("id"), w("name")
_RANGE_START, _RANGE_END, _REFERENCE = w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")
_FOOTNOTE, _FOOTNOTE_REFERENCE = w("footnote"), w("footnoteReference")
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


class _RangeText:
    """The text inside open comment ranges: one running log of text pieces, each open range holding
    the index where it starts. Text is kept once however many ranges are open (a buffer per range
    made thousands of unclosed ranges quadratic), and a closed range reads at most MAX_ANCHOR
    characters of it."""

    def __init__(self):
        self.pieces: list[str] = []
        self.starts: dict[str, int] = {}  # open comment range id -> index of its first piece

    def start(self, comment_id: str) -> None:
        self.starts[comment_id] = len(self.pieces)

    def add(self, text: str) -> None:
        if self.starts and text:
            self.pieces.append(text)

    def paragraph(self) -> None:
        if self.starts and self.pieces and self.pieces[-1] != " ":
            self.pieces.append(" ")

    def end(self, comment_id: str) -> str:
        """The range's text on one line, cut at MAX_ANCHOR characters; "" for a range never started."""
        start = self.starts.pop(comment_id, None)
        text = "" if start is None else _anchor(self.pieces, start)
        if not self.starts:
            self.pieces.clear()  # no range open: nothing before here can be asked for again
        return text


def _anchor(pieces: list[str], start: int) -> str:
    # Whitespace collapses on one_line, so read some more raw text than is kept.
    wanted, taken, size = 4 * MAX_ANCHOR, [], 0
    for index in range(start, len(pieces)):
        taken.append(pieces[index][: wanted - size])
        size += len(taken[-1])
        if size >= wanted:
            break
    text = one_line("".join(taken))
    if size >= wanted or len(text) > MAX_ANCHOR:
        return text[: MAX_ANCHOR - 1] + "\u2026"
    return text


class _Walker:
    """One pass over the body in reading order, knowing at each point which source mark is open."""

    def __init__(self, package: Package):
        self.package = package
        self.marks = package.map.marks
        self.open_marks: dict[str, str] = {}  # bookmark id -> mark name, in start order
        self.last_heading: "Mark | None" = None
        self.first_mark_in: dict["etree._Element", "Mark"] = self._first_marks()
        self.ranges = _RangeText()
        self.starts: dict[str, tuple] = {}  # comment id -> position where its range starts
        self.anchors: dict[str, str] = {}
        self.changes: list[_Change] = []
        self.order = 0
        self.note_headings: dict[str, "Mark | None"] = {}  # footnote id -> the heading before its reference
        self.furniture: str = ""  # the header or footer part being walked, "" in the report's text
        self.furniture_orders: set[int] = set()  # orders of the positions taken in a header or footer
        self.warnings: list[str] = []

    def _first_marks(self) -> dict["etree._Element", "Mark"]:
        # Keyed by the element itself: holding it keeps lxml's proxy (and so its hash) alive.
        firsts: dict["etree._Element", Mark] = {}
        for start in (start for root in self.package.stories() for start in root.iter(w("bookmarkStart"))):
            mark = self.marks.get(start.get(w("name"), ""))
            p = _paragraph_of(start)
            if mark is not None and p is not None:
                firsts.setdefault(p, mark)
        return firsts

    def position(self, node: "etree._Element") -> tuple["Mark | None", bool, int]:
        """(mark, traced, order) for a remark at `node`."""
        self.order += 1
        if self.furniture:  # made from the title and style: no source mark can hold it
            self.furniture_orders.add(self.order)
            return None, False, self.order
        if self.open_marks:  # the innermost: the last one started (reversed() on a dict is O(1))
            return self.marks[next(reversed(self.open_marks.values()))], True, self.order
        p = _paragraph_of(node)
        if p is not None and p in self.first_mark_in:
            return self.first_mark_in[p], True, self.order  # typed just outside the bookmark
        return self.last_heading, False, self.order

    def walk(self) -> Iterator[Remark]:
        handlers = {_P: self.on_paragraph, _BOOKMARK_START: self.on_bookmark_start,
                    _BOOKMARK_END: self.on_bookmark_end, _RANGE_START: self.on_range_start,
                    _RANGE_END: self.on_range_end, _REFERENCE: self.on_reference, _T: self.on_text,
                    _DEL_TEXT: self.on_text, _TAB: self.on_tab, _FOOTNOTE_REFERENCE: self.on_footnote_reference,
                    _FOOTNOTE: self.on_footnote, **{tag: self.on_change for tag in _CHANGE_TAGS}}
        for root in self.package.stories():
            self.walk_story(root, handlers)
        for name, root in self.package.furniture:
            self.walk_furniture(name, root, handlers)
        for change in self.changes:
            yield self.change_remark(change)
        yield from self.comment_remarks()

    def walk_story(self, root: "etree._Element", handlers: dict) -> None:
        from lxml import etree

        walker = etree.iterwalk(root, events=("start",))
        for _, node in walker:
            if node.tag == FALLBACK:  # a drawing's second copy (a text box written for old Word)
                walker.skip_subtree()
                continue
            handler = handlers.get(node.tag)
            if handler is not None:
                handler(node)

    def walk_furniture(self, name: str, root: "etree._Element", handlers: dict) -> None:
        """A header or footer: its remarks are listed untraced at the top of the source, with a warning."""
        self.open_marks.clear()
        self.furniture, before = name, self.order
        self.walk_story(root, handlers)
        self.furniture = ""
        if self.order > before:
            self.warnings.append(f"the header or footer {name} has comments or tracked changes; headers and "
                                 f"footers are made from the report's title and style, not source text: they "
                                 f"are listed at the top of the source, and --apply leaves them")

    def on_paragraph(self, node: "etree._Element") -> None:
        self.ranges.paragraph()

    def on_footnote_reference(self, node: "etree._Element") -> None:
        self.note_headings.setdefault(node.get(_ID, ""), self.last_heading)

    def on_footnote(self, node: "etree._Element") -> None:
        """A footnote starts: text in it without a source mark of its own goes under the heading
        before its reference, not the body's last one."""
        self.open_marks.clear()
        self.last_heading = self.note_headings.get(node.get(_ID, ""), self.last_heading)

    def on_bookmark_start(self, node: "etree._Element") -> None:
        name = node.get(_NAME, "")
        if name in self.marks:
            bookmark_id = node.get(_ID, name)
            self.open_marks.pop(bookmark_id, None)  # a reused id moves to the end: started last
            self.open_marks[bookmark_id] = name
            if self.marks[name].kind == "heading":
                self.last_heading = self.marks[name]

    def on_bookmark_end(self, node: "etree._Element") -> None:
        self.open_marks.pop(node.get(_ID, ""), None)

    def on_range_start(self, node: "etree._Element") -> None:
        comment_id = node.get(_ID, "")
        self.ranges.start(comment_id)
        if comment_id not in self.starts:
            self.starts[comment_id] = self.position(node)

    def on_range_end(self, node: "etree._Element") -> None:
        comment_id = node.get(_ID, "")
        self.anchors[comment_id] = self.ranges.end(comment_id)

    def on_reference(self, node: "etree._Element") -> None:
        comment_id = node.get(_ID, "")
        if comment_id not in self.starts:
            self.starts[comment_id] = self.position(node)

    def on_text(self, node: "etree._Element") -> None:
        self.ranges.add(node.text or "")

    def on_tab(self, node: "etree._Element") -> None:
        self.ranges.add(" ")

    def on_change(self, node: "etree._Element") -> None:
        if node.getparent().tag != _RPR:  # not a paragraph-mark revision
            self.add_change(self.changes, node)

    def add_change(self, changes: list[_Change], node: "etree._Element") -> None:
        """Extend the last edit when `node` follows it directly (a replacement is a deletion and an
        insertion side by side), else start a new one."""
        text = shown_text(node)
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
                      field=mark.kind if mark else "", order=order, untraced_why=self.why_untraced(change.position))

    def comment_remarks(self) -> Iterator[Remark]:
        """Every comment, each of two sharing an id at that id's range; one anchored nowhere is
        listed at the top of the source with a warning, never dropped."""
        for comment in self.package.comments:
            position = self.starts.get(comment.id)
            why = self.why_untraced(position) if position else "it is anchored nowhere in the document"
            if position is None:
                self.order += 1
                position = None, False, self.order
            mark, traced, order = position
            yield Remark("comment", _span(mark, self.package.map.source), comment.author, comment.date,
                         text=comment.text, anchor=self.anchors.get(comment.id, ""), traced=traced,
                         field=mark.kind if mark else "", order=order, untraced_why=why)

    def why_untraced(self, position: tuple) -> str:
        return "it is in a header or footer" if position[2] in self.furniture_orders else ""


def walk_document(package: Package) -> tuple[list[Remark], list[str]]:
    """The remarks of `package`, and warnings about the file (remarks in headers, comments anchored nowhere)."""
    walker = _Walker(package)
    remarks = list(walker.walk())
    return remarks, walker.warnings


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
