"""A redline draft's own tracked changes, accepted before a review reads the document.

A draft built with `--redline-from OLD` shows, as tracked changes, how the source differs from
the older draft: its insertions are the source's text, its deletions text the source no longer
has. Those are not a reviewer's remarks. The source map records their author and date
(render/docx/sourcemap.py); here every change with that identity is accepted, as Word's "Accept"
would: an insertion keeps its content as plain text, a deletion goes, a formatting or
paragraph-mark record goes. A reviewer's change inside one of them (a deletion of text the
redline inserted) stays, and reads as a change to the source's own text.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .wordml import w

if TYPE_CHECKING:
    from lxml import etree


_KEPT = {w("ins"), w("moveTo")}  # accepted: their content stays, unwrapped
_RANGE_MARKS = (w("bookmarkStart"), w("bookmarkEnd"), w("commentRangeStart"), w("commentRangeEnd"),
                w("permStart"), w("permEnd"))
_REMOVED = {w("del"), w("moveFrom"), w("rPrChange"), w("pPrChange"), w("tblPrChange"), w("trPrChange"),
            w("tcPrChange"), w("sectPrChange"), w("numberingChange")}


def accept_redline(root: "etree._Element", identity: tuple[str, str]) -> int:
    """Accepts, in place, every tracked change under `root` made by `identity` (author, date);
    returns how many there were."""
    author, date = identity
    own = [node for node in root.iter(*_KEPT, *_REMOVED)
           if node.get(w("author")) == author and _same_time(node.get(w("date"), ""), date)]
    joined = []  # paragraphs whose mark the redline deleted: gone once their deleted text is
    for node in reversed(own):  # innermost first: an outer one's children are final when it goes
        parent = node.getparent()
        if parent is None:
            continue
        if parent.tag == w("rPr") and node.tag in _REMOVED and parent.getparent().tag == w("pPr"):
            joined.append(parent.getparent().getparent())
        if node.tag in _KEPT and parent.tag != w("rPr"):
            _unwrap(node)
        else:  # a deletion, a formatting record, or the mark of an inserted paragraph
            _remove(node)
    for paragraph in joined:  # a paragraph the new version no longer has, now empty
        if paragraph.getparent() is not None and all(child.tag == w("pPr") for child in paragraph):
            _remove(paragraph)
    return len(own)


def _same_time(written: str, recorded: str) -> bool:
    """The redline's changes are all stamped at midnight of the build date; a reviewer's change
    made that day, under the same name (`--redline-author` may name a person), has its own time.
    Word and LibreOffice keep the stamp, perhaps without its "Z" or with fractions of a second."""
    return written[:19] == recorded[:19]


def _unwrap(node: "etree._Element") -> None:
    parent, index = node.getparent(), node.getparent().index(node)
    for offset, child in enumerate(list(node)):
        parent.insert(index + offset, child)
    _remove(node)


def _remove(node: "etree._Element") -> None:
    """Removes `node`, keeping the text after it (lxml keeps an element's tail with it) and the
    range marks inside it: LibreOffice moves a paragraph's source bookmark, or a comment's range,
    into a deletion that starts the paragraph."""
    for mark in [mark for mark in node.iter(*_RANGE_MARKS) if mark is not node]:
        mark.tail = None
        node.addprevious(mark)
    parent = node.getparent()
    previous = node.getprevious()
    if node.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
