"""Reading a returned DOCX: the zip -> main document, footnotes, comments and the draft's source map.

Only the standard library and lxml are used, so files saved by any word processor are read
without python-docx's expectations; every part is read under the bounds of `limits`.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import excerpt
from .limits import (MAX_BOOKMARKS, MAX_CHANGE_NESTING, MAX_COMMENT_TEXT, MAX_COMMENTS, MAX_REVISIONS, ZIP_ERRORS,
                     MalformedPart, PartReader, ReviewError, count, read_docx, too_many, unreadable)
from .wordml import MC, W, w
from ..records import dataclass

if TYPE_CHECKING:
    from lxml import etree

    from ..render.docx.sourcemap import LoadedMap

_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


@dataclass(frozen=True)
class Comment:
    id: str  # as the document's comment ranges name it; two comments may share one
    author: str
    date: str
    text: str


@dataclass(frozen=True)
class Package:
    document: "etree._Element"
    comments: list[Comment]
    map: "LoadedMap"
    warnings: tuple[str, ...] = ()  # about the file itself, such as source marks that were skipped
    notes: "etree._Element | None" = None  # the footnotes part (w:footnotes), when there is one
    # Header and footer parts (part name, root): made from the title and style, never source text,
    # but a remark in them is still listed.
    furniture: tuple[tuple[str, "etree._Element"], ...] = ()

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
        document = _story_part(reader, main)
        rels = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")
        comments_name = _target(reader, rels, posixpath.dirname(main), _COMMENTS, names)
        comments = read_comments(reader.parse(comments_name)) if comments_name else []
        notes_name = _target(reader, rels, posixpath.dirname(main), _FOOTNOTES, names)
        notes = _story_part(reader, notes_name) if notes_name else None
        furniture = tuple((name, _story_part(reader, name))
                          for name in _targets(reader, rels, posixpath.dirname(main), (_HEADER, _FOOTER), names))
        for root in (document, notes):
            if root is not None:
                _undo_renamed_marks(root)
        source_map = find_source_map(reader, names, document, notes)
    if source_map.redline is not None:  # the draft's own redline is the source's text, not a remark
        from .redline import accept_redline

        for root in (document, notes, *(root for _, root in furniture)):
            if root is not None:
                accept_redline(root, source_map.redline)
    return Package(document, comments, source_map, _skipped_warnings(source_map.skipped), notes, furniture)


_RENAMED_MARK = re.compile(r"(_rc[0-9]+[a-z]_[0-9]+_[0-9]+)_Copy_[0-9]+")


def _undo_renamed_marks(root: "etree._Element") -> None:
    """LibreOffice renames a bookmark it meets twice on import ("_rc12n_17_7_Copy_1"), as it does
    a footnote's: the mark is the name before the suffix."""
    for start in root.iter(w("bookmarkStart")):
        renamed = _RENAMED_MARK.fullmatch(start.get(w("name"), ""))
        if renamed:
            start.set(w("name"), renamed.group(1))


def _story_part(reader: PartReader, name: str) -> "etree._Element":
    """A part holding text (the document, footnotes, a header), refused when no draft looks like it."""
    root = reader.parse(name)
    _check_counts(root)
    _check_nesting(root, name)
    return root


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


_CHANGES = "*[self::w:ins or self::w:del or self::w:moveFrom or self::w:moveTo]"
# At C speed, each element's ancestors looked at once: a paragraph whose nearest enclosing
# paragraph or text box is a paragraph, and a tracked change inside MAX_CHANGE_NESTING others.
_NESTED_PARAGRAPH = "boolean(//w:p[ancestor::*[self::w:p or self::w:txbxContent][1][self::w:p]])"
_NESTED_CHANGE = (f"boolean(//{_CHANGES}[count(ancestor::w:ins | ancestor::w:del | ancestor::w:moveFrom "
                  f"| ancestor::w:moveTo) >= {MAX_CHANGE_NESTING}])")
_RESAVE = "open it in Word and save it again, or ask the reviewer for the file as their word processor saved it"


def _check_nesting(root: "etree._Element", name: str) -> None:
    """Refuse nesting no word processor writes: reading it cost text x depth (95 paragraphs in
    paragraphs around 1.4 million runs took 100 minutes)."""
    if root.xpath(_NESTED_PARAGRAPH, namespaces={"w": W}):
        raise ReviewError(f"its part {name} has a paragraph inside another paragraph (outside a text box), "
                          f"which no word processor writes; {_RESAVE}")
    if root.xpath(_NESTED_CHANGE, namespaces={"w": W}):
        raise ReviewError(f"its part {name} has tracked changes nested more than {MAX_CHANGE_NESTING} deep "
                          f"(Word nests at most a deletion inside an insertion); {_RESAVE}")


def _target(reader: PartReader, rels_name: str, base: str, reltype: str, names: set[str]) -> str | None:
    return next(iter(_targets(reader, rels_name, base, (reltype,), names)), None)


def _targets(reader: PartReader, rels_name: str, base: str, reltypes: tuple[str, ...], names: set[str]) -> list[str]:
    """The parts `rels_name` links with one of `reltypes`, in its order, each once."""
    if rels_name not in names:
        return []
    found = []
    for rel in reader.parse(rels_name).iter(f"{{{_REL}}}Relationship"):
        if rel.get("Type") in reltypes and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            if name in names and name not in found:
                found.append(name)
    return found


def read_comments(root: "etree._Element") -> list[Comment]:
    """Every comment, in the part's order; two with one id are both kept (a dict kept the last)."""
    comments = []
    for comment in root.iter(w("comment")):
        if len(comments) >= MAX_COMMENTS:
            raise too_many(MAX_COMMENTS, "comments", _MANY_COMMENTS)
        comments.append(Comment(comment.get(w("id"), ""), comment.get(w("author"), ""),
                                day(comment.get(w("date"), "")), _comment_text(comment)))
    return comments


def _comment_text(comment: "etree._Element") -> str:
    """The comment's text on one line, its paragraphs joined by spaces, cut at MAX_COMMENT_TEXT
    characters with a note. One pass, so nested paragraphs do not gather their text again at
    every level; reading stops once enough is read (whitespace collapses, so a little more)."""
    pieces, size, wanted = [], 0, 4 * MAX_COMMENT_TEXT
    for node in comment.iter(w("p"), w("t")):
        piece = " " if node.tag == w("p") else (node.text or "")[: wanted - size]
        pieces.append(piece)
        size += len(piece)
        if size >= wanted:
            break
    text = one_line("".join(pieces))
    if size < wanted and len(text) <= MAX_COMMENT_TEXT:
        return text
    return (text[: MAX_COMMENT_TEXT - 1] + f"\u2026 [shortened: the comment is over {MAX_COMMENT_TEXT:,} "
            f"characters; read it whole in Word]")


FALLBACK, _T, _DEL_TEXT = f"{{{MC}}}Fallback", w("t"), w("delText")  # (a drawing's second copy)


def shown_text(node: "etree._Element") -> str:
    """The text of w:t and w:delText under `node`, once: a drawing's mc:Fallback repeats its
    mc:Choice (a text box written twice, for old and new Word) and is left out."""
    from lxml import etree

    pieces = []
    walker = etree.iterwalk(node, events=("start",))
    for _, element in walker:
        if element.tag == FALLBACK:
            walker.skip_subtree()
        elif element.tag in (_T, _DEL_TEXT):
            pieces.append(element.text or "")
    return "".join(pieces)



def find_source_map(reader: PartReader, names: set[str], document: "etree._Element",
                    notes: "etree._Element | None" = None) -> "LoadedMap":
    """The draft's source map: the custom XML part, else the bookmark names and the custom property."""
    from ..render.docx.sourcemap import (SOURCE_PROPERTY, LoadedMap, from_property, is_mark_name, map_from_tree,
                                         mark_from_name)

    for name in sorted(n for n in names if n.startswith("customXml/") and n.count("/") == 1):
        try:
            loaded = map_from_tree(reader.parse(name))
        except MalformedPart:
            continue  # some other tool's custom XML, not ours
        if loaded is not None:
            return loaded
    # The custom XML part can be lost by an editor; the bookmarks still say line and column.
    source = _custom_property(reader, names, SOURCE_PROPERTY)
    source = from_property(source) if source else source  # a name XML cannot hold is written quoted
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
