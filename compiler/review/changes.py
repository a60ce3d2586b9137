"""`reportc review REVIEWED.docx`: every comment and tracked change in a returned draft, at the
source line it concerns.

    open_package     the DOCX zip -> main document, comments and the draft's source map
    walk_document    the body in reading order -> remarks, each at the source bookmark it falls in
    group_changes    adjacent deletions and insertions by one author -> insert, delete or replace
    format_*         one line per remark in compiler style, or JSON

A remark on text that carries no source bookmark (a paragraph the reviewer pasted in, or text
whose paragraph was deleted without tracking) is listed under the nearest traceable heading
before it, with a warning: it is never dropped. Only the standard library and lxml are used, so
the command reads files saved by any word processor without python-docx's expectations.
"""
from __future__ import annotations

import json
import posixpath
import re
import sys
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, TextIO

from .diagnostics import Span

if TYPE_CHECKING:
    from lxml import etree

    from .render.docx_sourcemap import LoadedMap, Mark

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_ANCHOR_LIMIT = 80  # characters of commented text quoted in a text line; JSON has it whole


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class ReviewError(Exception):
    """The file cannot be reviewed: unreadable, not a DOCX, or not a reportc draft."""


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


# ---- the command ---------------------------------------------------------------------------


def add_review_parser(subparsers) -> None:
    parser = subparsers.add_parser("review", help="list a reviewed draft's comments and tracked changes "
                                                  "at their source lines")
    parser.add_argument("docx", type=Path, metavar="REVIEWED.docx", help="a draft DOCX returned by a reviewer")
    parser.add_argument("--json", action="store_true", help="print the remarks as JSON")


def run_review(path: Path, as_json: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> bool:
    """Print the remarks of `path`; False (and a message) when it cannot be read as a reportc draft."""
    try:
        review = review_docx(path)
    except ReviewError as error:
        print(f"{Span(str(path), 1, 1)}: error: {error}", file=err)
        return False
    if as_json:
        out.write(format_json(review) + "\n")
    else:
        for line in format_lines(review):
            out.write(line + "\n")
    return True


def review_docx(path: Path) -> Review:
    package = open_package(path)
    review = Review(str(path), package.map.report_id, package.map.source)
    review.remarks = list(walk_document(package))
    return review


# ---- reading the package ----------------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    document: "etree._Element"
    comments: dict[str, tuple[str, str, str]]  # comment id -> (author, date, text)
    map: "LoadedMap"


def open_package(path: Path) -> Package:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ReviewError(f"cannot read this file as a DOCX ({_reason(error)})") from None
    with archive:
        try:
            names = set(archive.namelist())
            main = _target(archive, "_rels/.rels", "", _OFFICE_DOCUMENT, names) or "word/document.xml"
            if main not in names:
                raise ReviewError("not a Word document (no main document part)")
            document = _parse(_read(archive, main))
            rels = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")
            comments_name = _target(archive, rels, posixpath.dirname(main), _COMMENTS, names)
            comments = read_comments(_parse(_read(archive, comments_name))) if comments_name else {}
            source_map = find_source_map(archive, names, document)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise ReviewError(f"cannot read this file as a DOCX ({_reason(error)})") from None
    return Package(document, comments, source_map)


# A part bigger than any Word writes for a report: a zip bomb (a 1.5 GB document.xml compresses
# to 1.5 MB) is refused from the size the archive declares, before anything is decompressed.
MAX_PART_BYTES = 64 * 2**20


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part of the package; zipfile stops at the declared size, so it bounds what is read."""
    size = archive.getinfo(name).file_size
    if size > MAX_PART_BYTES:
        raise ValueError(f"its part {name} is {size:,} bytes uncompressed, over the "
                         f"{MAX_PART_BYTES // 2**20} MB a report's DOCX needs")
    return archive.read(name)


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _parse(data: bytes) -> "etree._Element":
    from lxml import etree

    try:
        return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                             huge_tree=True))
    except etree.XMLSyntaxError as error:
        raise ValueError(f"malformed XML: {error}") from None


def _target(archive: zipfile.ZipFile, rels_name: str, base: str, reltype: str, names: set[str]) -> str | None:
    if rels_name not in names:
        return None
    for rel in _parse(_read(archive, rels_name)).iter(f"{{{_REL}}}Relationship"):
        if rel.get("Type") == reltype and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            if name in names:
                return name
    return None


def read_comments(root: "etree._Element") -> dict[str, tuple[str, str, str]]:
    comments = {}
    for comment in root.iter(w("comment")):
        paragraphs = [_text_of(p) for p in comment.iter(w("p"))]
        text = " ".join(p for p in paragraphs if p.strip())
        comments[comment.get(w("id"), "")] = (comment.get(w("author"), ""), _day(comment.get(w("date"), "")),
                                              _one_line(text))
    return comments


def find_source_map(archive: zipfile.ZipFile, names: set[str], document: "etree._Element") -> "LoadedMap":
    """The draft's source map: the custom XML part, else the bookmark names and the custom property."""
    from .render.docx_sourcemap import SOURCE_PROPERTY, LoadedMap, mark_from_name, parse_map

    for name in sorted(n for n in names if n.startswith("customXml/") and n.count("/") == 1):
        loaded = parse_map(_read(archive, name))
        if loaded is not None:
            return loaded
    # The custom XML part can be lost by an editor; the bookmarks still say line and column.
    source = _custom_property(archive, names, SOURCE_PROPERTY)
    marks = {}
    for start in document.iter(w("bookmarkStart")):
        mark = mark_from_name(start.get(w("name"), ""), source or "")
        if mark is not None:
            marks[mark.name] = mark
    if not source or not marks:
        raise ReviewError("not a reportc draft: it carries no source map (only drafts built by reportc "
                          "can be reviewed)")
    return LoadedMap("", source, marks)


def _custom_property(archive: zipfile.ZipFile, names: set[str], wanted: str) -> str | None:
    name = _target(archive, "_rels/.rels", "", _CUSTOM_PROPERTIES, names)
    if name is None:
        return None
    for prop in _parse(_read(archive, name)):
        if prop.get("name") == wanted:
            return "".join(prop.itertext()).strip() or None
    return None


# ---- walking the document --------------------------------------------------------------------

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
                self.anchors[comment_id] = _one_line("".join(self.ranges.pop(comment_id, [])))
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
            current = _Change(node, author, _day(node.get(w("date"), "")), self.position(node))
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


def _text_of(node: "etree._Element") -> str:
    return "".join(t.text or "" for t in node.iter(w("t")))


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _day(stamp: str) -> str:
    return stamp[:10] if re.match(r"\d{4}-\d{2}-\d{2}", stamp) else ""


# ---- output -------------------------------------------------------------------------------------


def format_lines(review: Review) -> list[str]:
    lines = []
    for remark in review.sorted():
        lines.append(f"{remark.span}: {remark.kind}: {describe(remark)}")
        if not remark.traced:
            lines.append(f"{remark.span}: warning: the {remark.kind} above is on text that carries no "
                         f"source position (pasted, moved or untracked text); listed under the nearest "
                         f"heading before it")
    return lines


def describe(remark: Remark) -> str:
    if remark.kind == "comment":
        who = f"{remark.author} ({remark.date})" if remark.date else remark.author
        on = f' on "{_shorten(remark.anchor)}"' if remark.anchor else ""
        return f'{who}: "{remark.text}"{on}'
    if remark.change == "replace":
        return f'{remark.author}: replace "{_shorten(remark.deleted)}" with "{_shorten(remark.inserted)}"'
    if remark.change == "insert":
        return f'{remark.author}: insert "{_shorten(remark.inserted)}"'
    return f'{remark.author}: delete "{_shorten(remark.deleted)}"'


def _shorten(text: str) -> str:
    text = _one_line(text)
    return text if len(text) <= _ANCHOR_LIMIT else text[: _ANCHOR_LIMIT - 1] + "\u2026"


def format_json(review: Review) -> str:
    remarks = []
    for remark in review.sorted():
        item = asdict(remark)
        item.pop("order")
        span = item.pop("span")
        remarks.append({"file": span["file"], "line": span["line"], "col": span["col"], "path": span["path"],
                        **item})
    return json.dumps({"docx": review.docx, "report": review.report_id, "source": review.source,
                       "remarks": remarks}, indent=2, ensure_ascii=False)
