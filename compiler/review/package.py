"""Reading a returned DOCX: the zip -> main document, footnotes, comments and the draft's source map.

Only the standard library and lxml are used, so files saved by any word processor are read
without python-docx's expectations; every part is read under the bounds of `limits`.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import excerpt
from .limits import (MAX_BOOKMARKS, MAX_COMMENTS, MAX_REVISIONS, ZIP_ERRORS, MalformedPart, PartReader,
                     ReviewError, count, read_docx, too_many, unreadable)

if TYPE_CHECKING:
    from lxml import etree

    from ..render.docx.sourcemap import LoadedMap

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Package:
    document: "etree._Element"
    comments: dict[str, tuple[str, str, str]]  # comment id -> (author, date, text)
    map: "LoadedMap"
    warnings: tuple[str, ...] = ()  # about the file itself, such as source marks that were skipped
    notes: "etree._Element | None" = None  # the footnotes part (w:footnotes), when there is one

    def stories(self) -> list["etree._Element"]:
        """Where the report's text is, in reading order: the body, then the footnotes (each
        footnote's paragraph carries its own source mark)."""
        body = self.document.find(w("body"))
        return [root for root in (body, self.notes) if root is not None]


def open_package(path: Path) -> Package:
    try:
        archive = zipfile.ZipFile(io.BytesIO(read_docx(path)))
    except ZIP_ERRORS as error:
        raise unreadable(error) from None
    with archive:
        reader = PartReader(archive)
        names = set(archive.namelist())
        main = _target(reader, "_rels/.rels", "", _OFFICE_DOCUMENT, names) or "word/document.xml"
        if main not in names:
            raise ReviewError("not a Word document (no main document part)")
        document = reader.parse(main)
        _check_counts(document)
        rels = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")
        comments_name = _target(reader, rels, posixpath.dirname(main), _COMMENTS, names)
        comments = read_comments(reader.parse(comments_name)) if comments_name else {}
        notes_name = _target(reader, rels, posixpath.dirname(main), _FOOTNOTES, names)
        notes = reader.parse(notes_name) if notes_name else None
        if notes is not None:
            _check_counts(notes)
        source_map = find_source_map(reader, names, document, notes)
    return Package(document, comments, source_map, _skipped_warnings(source_map.skipped), notes)


_MANY_COMMENTS = "that is 16 comments on every page of a 600-page report"


def _check_counts(document: "etree._Element") -> None:
    """Refuse what no draft has, before the walk: each bookmark and comment range costs work."""
    if count(document, w("bookmarkStart")) > MAX_BOOKMARKS:
        raise too_many(MAX_BOOKMARKS, "bookmarks", "a 600-page report has about 13,000")
    if count(document, w("commentRangeStart")) > MAX_COMMENTS:
        raise too_many(MAX_COMMENTS, "comment ranges", _MANY_COMMENTS)
    if sum(count(document, w(tag)) for tag in ("ins", "del", "moveFrom", "moveTo")) > MAX_REVISIONS:
        raise too_many(MAX_REVISIONS, "tracked changes", "retyping every paragraph of a 600-page report with "
                                                         "changes tracked makes about 25,000")


def _target(reader: PartReader, rels_name: str, base: str, reltype: str, names: set[str]) -> str | None:
    if rels_name not in names:
        return None
    for rel in reader.parse(rels_name).iter(f"{{{_REL}}}Relationship"):
        if rel.get("Type") == reltype and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            if name in names:
                return name
    return None


def read_comments(root: "etree._Element") -> dict[str, tuple[str, str, str]]:
    comments = {}
    for comment in root.iter(w("comment")):
        if len(comments) >= MAX_COMMENTS:
            raise too_many(MAX_COMMENTS, "comments", _MANY_COMMENTS)
        comments[comment.get(w("id"), "")] = (comment.get(w("author"), ""), day(comment.get(w("date"), "")),
                                              one_line(_comment_text(comment)))
    return comments


def _comment_text(comment: "etree._Element") -> str:
    """The comment's text, its paragraphs joined by spaces: one pass, so nested paragraphs do
    not gather their text again at every level."""
    pieces = []
    for node in comment.iter(w("p"), w("t")):
        pieces.append(" " if node.tag == w("p") else node.text or "")
    return "".join(pieces)


def find_source_map(reader: PartReader, names: set[str], document: "etree._Element",
                    notes: "etree._Element | None" = None) -> "LoadedMap":
    """The draft's source map: the custom XML part, else the bookmark names and the custom property."""
    from ..render.docx.sourcemap import SOURCE_PROPERTY, LoadedMap, is_mark_name, map_from_tree, mark_from_name

    for name in sorted(n for n in names if n.startswith("customXml/") and n.count("/") == 1):
        try:
            loaded = map_from_tree(reader.parse(name))
        except MalformedPart:
            continue  # some other tool's custom XML, not ours
        if loaded is not None:
            return loaded
    # The custom XML part can be lost by an editor; the bookmarks still say line and column.
    source = _custom_property(reader, names, SOURCE_PROPERTY)
    marks, skipped = {}, []
    starts = [start for root in (document, notes) if root is not None for start in root.iter(w("bookmarkStart"))]
    for start in starts:
        name = start.get(w("name"), "")
        mark = mark_from_name(name, source or "")
        if mark is not None:
            marks[mark.name] = mark
        elif is_mark_name(name):
            skipped.append(name)
    if not source or not marks:
        raise ReviewError("not a reportc draft: it carries no source map (only drafts built by reportc "
                          "can be reviewed)")
    return LoadedMap("", source, marks, tuple(skipped))


def _skipped_warnings(skipped: tuple[str, ...]) -> tuple[str, ...]:
    if not skipped:
        return ()
    return (f"skipped {len(skipped):,} source mark{'s' if len(skipped) != 1 else ''} whose line or column is "
            f"not a number of at most 9 digits (such as \"{excerpt(skipped[0])}\"); remarks on their text are "
            f"listed under the nearest heading before it",)


def _custom_property(reader: PartReader, names: set[str], wanted: str) -> str | None:
    name = _target(reader, "_rels/.rels", "", _CUSTOM_PROPERTIES, names)
    if name is None:
        return None
    for prop in reader.parse(name):
        if prop.get("name") == wanted:
            return "".join(prop.itertext()).strip() or None
    return None


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def day(stamp: str) -> str:
    return stamp[:10] if re.match(r"\d{4}-\d{2}-\d{2}", stamp) else ""
