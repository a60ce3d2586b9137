"""Where every paragraph of a draft came from, carried invisibly in the DOCX for the review round trip.

Two carriers, so that either survives a word processor on its own:
  bookmarks   a hidden bookmark ("_rc<n><kind>_<line>_<col>") around every traced paragraph; the
              leading underscore hides it from Word's bookmark list, and Word and LibreOffice
              keep bookmarks through editing, comments and tracked changes
  custom XML  customXml/itemN.xml, a reportc:sourcemap listing every bookmark with its file,
              line, column, field path (such as pillars[0].questions[2].findings) and what kind of
              text it marks (a custom XML data part, which Word
              keeps untouched and LibreOffice carries through a save), and, in a redline draft, the
              author and date of the tracked changes reportc wrote itself (review/redline.py)
The source file is also a custom document property, so a draft whose custom XML was lost still
names its source. Nothing here is printed; the pages are the same with or without it.

Standard library and lxml only on the reading side: `reportc review` imports this module
without python-docx.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from ...diagnostics import Span
from ...records import dataclass

if TYPE_CHECKING:
    from ...layout.blocks import Document

NAMESPACE = "urn:reportc:sourcemap:1"
BOOKMARK_PREFIX = "_rc"
SOURCE_PROPERTY = "reportc.source"
ID_PROPERTY = "reportc.id"
_NAME = re.compile(r"_rc([0-9]+)([a-z])_([0-9]+)_([0-9]+)")  # what looks like a mark; fullmatch
# One letter of the bookmark name says what it marks, so the nearest heading can still be found
# when only the bookmarks survived.
_KIND_CODES = {"heading": "h", "list item": "l", "glance row": "g", "glance grade": "g", "contents entry": "c",
               "grade": "b", "footnote": "n"}
_CODE_KINDS = {"h": "heading", "l": "list item", "g": "glance row", "c": "contents entry", "b": "grade",
               "n": "footnote", "p": "paragraph"}


@dataclass(frozen=True)
class Mark:
    name: str  # the bookmark name
    span: Span
    kind: str  # "heading", "list item", "body", ... what the marked paragraph is


class SourceMap:
    """Collects marks while the renderer writes paragraphs (render side)."""

    def __init__(self, document: "Document"):
        self.report_id = document.id
        self._source = document.source
        self.source = property_text(document.source)  # the custom property's text (package.py)
        self.marks: list[Mark] = []
        self.inputs = document.inputs  # (file, sha256): what a review checks is unchanged
        self.redline: tuple[str, str] | None = None  # (author, date) of the redline's own tracked changes

    def mark(self, p: etree._Element, bookmark_id: int, span: Span, kind: str) -> None:
        from .ooxml import bookmark_around  # python-docx only on the render side

        code = _KIND_CODES.get(kind, "p")
        name = f"{BOOKMARK_PREFIX}{len(self.marks) + 1}{code}_{span.line}_{span.col}"
        bookmark_around(p, bookmark_id, name)
        self.marks.append(Mark(name, span, kind))

    def xml(self) -> bytes:
        root = etree.Element(f"{{{NAMESPACE}}}sourcemap", nsmap={None: NAMESPACE})
        root.set("id", self.report_id)
        set_name(root, "source", self._source)
        for mark in self.marks:
            node = etree.SubElement(root, f"{{{NAMESPACE}}}mark")
            node.set("name", mark.name)
            set_name(node, "file", mark.span.file)
            node.set("line", str(mark.span.line))
            node.set("col", str(mark.span.col))
            node.set("kind", mark.kind)
            if mark.span.path:
                node.set("path", mark.span.path)
        for name, digest in self.inputs:
            node = etree.SubElement(root, f"{{{NAMESPACE}}}input")
            set_name(node, "file", name)
            node.set("sha256", digest)
        if self.redline is not None:
            etree.SubElement(root, f"{{{NAMESPACE}}}redline", author=self.redline[0], date=self.redline[1])
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def item_id(self) -> str:
        # Derived from the report id, not random: rebuilding gives the same bytes.
        import uuid  # here: with the platform module it imports, 15 ms that only drafts need

        return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"reportc:{self.report_id}")).upper() + "}"


# ---- reading side ----------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedMap:
    report_id: str
    source: str
    marks: dict[str, Mark]  # bookmark name -> mark
    skipped: tuple[str, ...] = ()  # names of entries whose line or column is not a number
    inputs: tuple[tuple[str, str], ...] = ()  # (file, sha256) the draft was built from
    redline: tuple[str, str] | None = None  # (author, date) of the tracked changes reportc wrote itself


# Line and column as reportc writes them: at most 9 ASCII digits, so a 5,000-digit entry cannot
# reach int() (which refuses over 4,300 digits) and a number is never some other script's digits.
_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def parse_map(data: bytes) -> LoadedMap | None:
    """A reportc:sourcemap custom XML part, or None when `data` is some other XML."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    return map_from_tree(root)


def map_from_tree(root: etree._Element) -> LoadedMap | None:
    """The source map of a parsed custom XML part, or None when it is some other XML; entries
    without a valid line and column are skipped and named in `skipped`."""
    if root.tag != f"{{{NAMESPACE}}}sourcemap":
        return None
    marks, skipped = {}, []
    for node in root.iter(f"{{{NAMESPACE}}}mark"):
        name = node.get("name", "")
        line, col = _number(node.get("line", "")), _number(node.get("col", ""))
        if line is None or col is None:
            skipped.append(name)
            continue
        marks[name] = Mark(name, Span(get_name(node, "file"), line, col, node.get("path", "")), node.get("kind", ""))
    inputs = tuple((get_name(node, "file"), node.get("sha256", "")) for node in root.iter(f"{{{NAMESPACE}}}input"))
    redline = root.find(f"{{{NAMESPACE}}}redline")
    identity = (redline.get("author", ""), redline.get("date", "")) if redline is not None else None
    return LoadedMap(root.get("id", ""), get_name(root, "source"), marks, tuple(skipped), inputs[:1_000], identity)


def mark_from_name(name: str, source: str) -> Mark | None:
    """Recover a mark from its bookmark name alone, when the custom XML part was lost; None when
    `name` is no mark, or looks like one (see is_mark_name) but gives no valid line and column."""
    match = _NAME.fullmatch(name)
    if not match or match.group(2) not in _CODE_KINDS:
        return None
    line, col = _number(match.group(3)), _number(match.group(4))
    if line is None or col is None:
        return None
    return Mark(name, Span(source, line, col), _CODE_KINDS[match.group(2)])


def is_mark_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def _number(text: str) -> int | None:
    return int(text) if _NUMBER.fullmatch(text) else None


# ---- file names XML cannot hold --------------------------------------------------------------
# A file name may hold any character but NUL and '/': a control character, or a lone surrogate
# standing for a byte that is not UTF-8. XML 1.0 cannot hold those (lxml refuses to write them),
# so such a name is written percent-encoded (its UTF-8 bytes, the original bytes for a surrogate)
# in an attribute of its own, `file-quoted` beside where `file` would be, and decoded on reading.
# A name XML can hold is written as it is: a draft of ordinary names is byte for byte as before.
QUOTED = "-quoted"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def quote_name(name: str) -> str:
    from urllib.parse import quote

    try:
        data = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system name decodes to
        data = name.encode("utf-8", "replace")
    return quote(data, safe="/")


def unquote_name(text: str) -> str:
    """A quoted name as it was; the quoted text itself when it would hold NUL (no file is named
    so: it came from a crafted draft, and a path with NUL cannot even be asked about)."""
    from urllib.parse import unquote_to_bytes

    name = unquote_to_bytes(text).decode("utf-8", "surrogateescape")
    return text if "\x00" in name else name


def set_name(node: etree._Element, attribute: str, name: str) -> None:
    if _NOT_XML.search(name):
        node.set(attribute + QUOTED, quote_name(name))
    else:
        node.set(attribute, name)


def get_name(node: etree._Element, attribute: str) -> str:
    quoted = node.get(attribute + QUOTED)
    return unquote_name(quoted) if quoted is not None else node.get(attribute, "")


def property_text(name: str) -> str:
    """A name as the `reportc.source` custom property holds it: quoted when XML cannot hold it."""
    return quote_name(name) if _NOT_XML.search(name) else name


def from_property(text: str) -> str:
    """The inverse of property_text: text whose decoding XML could not hold was quoted by it."""
    if "%" not in text:
        return text
    name = unquote_name(text)
    return name if _NOT_XML.search(name) else text
