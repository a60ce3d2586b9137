"""Reading a returned DOCX: the zip -> main document, comments and the draft's source map.

Only the standard library and lxml are used, so files saved by any word processor are read
without python-docx's expectations; every part is read under a size bound.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

    from ..render.docx.sourcemap import LoadedMap

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class ReviewError(Exception):
    """The file cannot be reviewed: unreadable, not a DOCX, or not a reportc draft."""


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
        comments[comment.get(w("id"), "")] = (comment.get(w("author"), ""), day(comment.get(w("date"), "")),
                                              one_line(text))
    return comments


def find_source_map(archive: zipfile.ZipFile, names: set[str], document: "etree._Element") -> "LoadedMap":
    """The draft's source map: the custom XML part, else the bookmark names and the custom property."""
    from ..render.docx.sourcemap import SOURCE_PROPERTY, LoadedMap, mark_from_name, parse_map

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



def _text_of(node: "etree._Element") -> str:
    return "".join(t.text or "" for t in node.iter(w("t")))


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def day(stamp: str) -> str:
    return stamp[:10] if re.match(r"\d{4}-\d{2}-\d{2}", stamp) else ""
