"""Notes (layout NoteMark and Notes) -> real Word footnotes: a /word/footnotes.xml part with the
separator and continuation separator Word expects (ids -1 and 0), and a `w:footnoteReference`
run in the Footnote Reference style at each note's first mark. Word numbers footnotes in the
order of their references, which is layout's reading order; a second mark of one note prints
its number in the same style (Word gives a footnote one reference).

The notes' own links are related from the footnotes part, as Word requires. Each note's paragraph
carries its source mark (a draft's `reportc review` places remarks on it at its `[^NAME]:` line).

In a redline a note's text shows its changes; a first mark only the old version has refers to a
footnote of its own holding the old text (accepting the deletion removes both, rejecting it keeps
the old note).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree

from ...layout.blocks import Block, NoteEntry, NoteMark, Notes, walk_blocks
from ...layout.tracked import current, former_notes
from .ooxml import HyperlinkTargets, el, new_run, paragraph, sub, text_run

if TYPE_CHECKING:
    from .document import DocxBuilder

_EMPTY = (f'<w:footnotes {nsdecls("w", "r")}>'
          '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
          'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
          '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
          'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
          '</w:footnotes>')


class Footnotes:
    """The footnotes of one document, made as their first marks are written."""

    def __init__(self, builder: "DocxBuilder", body: Iterable[Block]) -> None:
        """`body` is the document's (a redline's merged one: its current and its old notes)."""
        self.builder = builder
        self.entries: dict[int, NoteEntry] = {entry.number: entry for block in walk_blocks(current(tuple(body)))
                                              if isinstance(block, Notes) for entry in block.entries}
        self.former = former_notes(tuple(body)) if builder.tracker is not None else {}
        self._former_base = max(self.entries, default=0)  # ids of the old notes' footnotes start above
        self.part: XmlPart | None = None
        self.links: HyperlinkTargets | None = None

    def mark(self, mark: NoteMark, inline_runs: Callable) -> etree._Element:
        """The run for a mark: a footnote reference at a note's first mark, else its number."""
        style = self.builder.styles.id("Footnote Reference")
        deleted = self.builder.tracker is not None and self.builder.tracker.deleting
        entry = (self.former if deleted else self.entries).get(mark.number)
        if not mark.first or entry is None:
            return text_run(str(mark.number), (style, False, False))
        note_id = entry.number + (self._former_base if deleted else 0)
        self.add(entry, note_id, inline_runs, traced=not deleted)
        run = new_run((style, False, False))
        sub(run, "w:footnoteReference", {"w:id": str(note_id)})
        return run

    def add(self, entry: NoteEntry, note_id: int, inline_runs: Callable, traced: bool = True) -> None:
        part = self._part()
        note = sub(part.element, "w:footnote", {"w:id": str(note_id)})
        p = paragraph(self.builder.styles.id("Footnote Text"))
        note.append(p)
        ref = new_run((self.builder.styles.id("Footnote Reference"), False, False))
        sub(ref, "w:footnoteRef")
        p.append(ref)
        p.append(text_run(" "))
        document_links, self.builder._links = self.builder._links, self.links
        try:  # the note's links are the footnotes part's relationships
            for run in inline_runs(entry.content, False, False, False):
                p.append(run)
        finally:
            self.builder._links = document_links
        if traced:  # an old note's text is no source of the draft
            self.builder.trace(p, entry.span, "footnote")

    def _part(self) -> XmlPart:
        if self.part is None:
            package = self.builder.part.package
            self.part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_EMPTY), package)
            self.builder.part.relate_to(self.part, RT.FOOTNOTES)
            self.links = HyperlinkTargets(self.part.rels)
        return self.part
