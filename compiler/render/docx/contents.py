"""The contents page of the DOCX: its heading, then one TOC field whose cached result is a
paragraph per entry, each a link to its heading with a PAGEREF field for the page (Word fills
the numbers in when it updates the fields; LibreOffice turns the field into an index of its own).

In a redline the entries only one side has are tracked paragraphs inside that one field, whose
begin and end stay untracked, so accepting or rejecting every change leaves one whole contents
(Tracker.share_last_mark keeps its last paragraph mark for both sides).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from docx.oxml.ns import qn
from lxml import etree

from ...layout.blocks import Contents, ContentsEntry
from ...layout.tracked import DELETE, Tracked
from .ooxml import bookmark_name, field_end, field_runs, field_start, internal_link, tab_run, text_run

if TYPE_CHECKING:
    from .document import DocxBuilder, _Target

# Built from the two styles the contents lists (pillars, sections and annexes in Heading 1,
# questions in Heading 2), not from outline levels: the headings kept out of the contents
# ("Questions for ...", a `###` at those levels) keep their outline levels, so Word's navigation
# pane and screen readers see them as headings, and "Update field" still gives the cached list
TOC_INSTRUCTION = 'TOC \\h \\z \\t "Heading 1,1,Heading 2,2"'


def add_contents(builder: DocxBuilder, block: Contents, target: _Target) -> None:
    title = builder.new_paragraph(builder.styles.id("TOC Heading"))
    if isinstance(block.title, str):
        title.append(text_run(block.title))
    else:  # a redline's changed title: inline content with its changes
        builder.add_inlines(title, block.title)
    builder.emit(title, target, None, "contents")
    if not block.entries:
        p = builder.new_paragraph(builder.styles.id("TOC 1"))
        p.extend(field_start(TOC_INSTRUCTION))
        p.append(field_end())
        builder.emit(p, target, None, "contents")
        return
    paragraphs, spans = [], {}
    for item in block.entries:
        entry, change = (item.block, item.change) if isinstance(item, Tracked) else (item, None)
        p = _entry_paragraph(builder, entry)
        if change is not None:
            builder.tracker.track_paragraph(p, change)
        if change != DELETE:  # a deleted entry is no source of the draft
            spans[p] = builder._anchor_spans.get(entry.anchor)
        paragraphs.append((p, change))
    if builder.tracker is not None:
        paragraphs = builder.tracker.share_last_mark(paragraphs)
    first, last = paragraphs[0][0], paragraphs[-1][0]
    at = first.find(qn("w:pPr"))
    for run in reversed(field_start(TOC_INSTRUCTION)):  # begin and end of the field: never tracked
        at.addnext(run)
    last.append(field_end())
    for p, _ in paragraphs:
        builder.emit(p, target, spans.get(p), "contents entry")


def _entry_paragraph(builder: DocxBuilder, entry: ContentsEntry) -> etree._Element:
    p = builder.new_paragraph(builder.styles.id(f"TOC {min(entry.level, 3)}"))
    p.append(contents_link(builder, entry.anchor, entry.number_text, entry.text))
    return p


def contents_link(builder: DocxBuilder, anchor: str, number: str | None, text: str) -> etree._Element:
    bookmark = builder._anchors.get(anchor, bookmark_name(anchor))
    page = builder.options.anchor_pages.get(anchor)
    runs = [text_run(number), tab_run()] if number else []
    runs += [text_run(text), tab_run()]
    runs += field_runs(f"PAGEREF {bookmark} \\h", str(page) if page is not None else "")
    return internal_link(bookmark, runs)
