"""A section's notes (layout Notes) -> tagged paragraphs at the section's end.

Each note is a Note element (with the /ID PDF/UA asks for) whose number links back to the
note's first mark; the marks in the text are Reference > Link elements (markup.py). Notes print
at the end of the section, not at the foot of the page: reportlab lays a page out in one pass,
and a note's room at the foot depends on where its mark falls on the page.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.platypus import Flowable

from ...layout import blocks
from .flowables import TaggedParagraph
from .markup import text_markup
from .tagging import Element

if TYPE_CHECKING:
    from .story import StoryBuilder

NOTE_SIZE = 0.85  # of the body text


def notes_block(builder: "StoryBuilder", block: blocks.Notes, parent: Element) -> list[Flowable]:
    structure, markup = builder.structure, builder.markup
    body = builder._indented("body", 0)
    style = builder._derived(body, fontSize=body.fontSize * NOTE_SIZE, leading=body.leading * NOTE_SIZE,
                             spaceBefore=0)
    builder.glyphs.check(block.title, builder._document_span(), bold=True)
    title = TaggedParagraph(f"<b>{text_markup(block.title, builder.fonts)}</b>", builder._derived(body, keepWithNext=1),
                            element=structure.add("P", parent))
    out: list[Flowable] = [title]
    for entry in block.entries:
        builder._check(entry.content, entry.span)
        note = structure.add("Note", parent, ident=entry.anchor)
        back = markup.internal_link(entry.back_anchor, str(entry.number), f"{entry.number}.", note)
        out.append(TaggedParagraph(f"{markup.anchor(entry.anchor)}{back} {markup.inlines(entry.content, note)}",
                                   style, element=note))
    return out


def note_destinations(body) -> dict[str, str]:
    """The link targets besides headings: named tables and figures, notes and their first marks
    (each destination named as its anchor, which reportlab's `<a name>` sets)."""
    names: dict[str, str] = {}
    for block in blocks.walk_blocks(body):
        anchor = getattr(block, "anchor", None)
        if isinstance(block, (blocks.DataTable, blocks.FigureBlock, blocks.ChartBlock)) and anchor:
            names[anchor] = anchor
        elif isinstance(block, blocks.Notes):
            for entry in block.entries:
                names[entry.anchor] = entry.anchor
                names[entry.back_anchor] = entry.back_anchor
    return names
