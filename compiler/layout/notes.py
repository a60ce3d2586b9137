"""Notes and cross-references (v2) -> numbered marks and links, once the whole body is laid out.

It runs after composition, so every table and figure already has its number (a reference may
come before its target). Notes are numbered as a reader meets their first mark, across the
report; a note marked twice keeps its number. The note texts are gathered into a `Notes` block
at the end of the section where each is first marked (a section runs to the next page break).
The glance table repeats titles: a note mark there would be a second, earlier mark, so it is left
out; the headings the rows link to carry it.
"""
from __future__ import annotations

import dataclasses

from ..model import (CrossRef, Emph, FootnoteDefinition, Inline, Inlines, Link, NoteRef, Report, Strong, Text,
                     node_fields, walk_nodes)
from ..style.types import Style
from .chartshapes import ChartDrawing
from .blocks import (Block, ChartBlock, DataTable, FigureBlock, GlanceTable, NoteEntry, NoteMark, Notes, PageBreak,
                     RefLink, walk_blocks)

REF_LABELS = {"tbl": "table_ref", "fig": "figure_ref"}
_OPAQUE = (ChartDrawing,)  # holds shapes and labels, never text with marks: not walked
_INLINE_TYPES = (Text, Strong, Emph, Link, NoteRef, CrossRef, NoteMark, RefLink)


def _has_marks(content: Inlines) -> bool:
    """Whether `content` holds a note mark or a reference, at any depth."""
    return any(isinstance(node, (NoteRef, CrossRef)) or (isinstance(node, (Strong, Emph, Link))
                                                         and _has_marks(node.children)) for node in content)


def note_anchor(number: int) -> str:
    return f"note-{number}"


def mark_anchor(number: int, count: int) -> str:
    """The `count`-th mark of note `number`: "note-ref-3", then "note-ref-3-2"."""
    return f"note-ref-{number}" + (f"-{count}" if count > 1 else "")


def targets(body: list[Block]) -> dict[str, int]:
    """Every named table's and figure's anchor ("tbl-NAME", "fig-NAME") -> its number."""
    return {block.anchor: block.number for block in walk_blocks(body)
            if isinstance(block, (DataTable, FigureBlock, ChartBlock)) and block.anchor.startswith(("tbl-", "fig-"))}


class NoteResolver:
    """Resolves one report's marks and references, in reading order."""

    def __init__(self, report: Report, style: Style, numbered: dict[str, int]) -> None:
        self.style = style
        self.numbered = numbered
        self.texts = {node.name: node for node in walk_nodes(report) if isinstance(node, FootnoteDefinition)}
        self.numbers: dict[str, int] = {}
        self.marks: dict[str, int] = {}  # marks made of each note so far
        self.pending: list[str] = []  # notes first marked in the current section

    def body(self, body: list[Block]) -> list[Block]:
        out: list[Block] = []
        for block in body:
            if isinstance(block, PageBreak):
                out += self.flush()
            out.append(self.block(block, keep_marks=not isinstance(block, GlanceTable)))
        return [self.with_marks(block) for block in out + self.flush()]

    def with_marks(self, block: Block) -> Block:
        """A Notes block with each note's marks, a later section's too (known once all is read)."""
        if not isinstance(block, Notes):
            return block
        counts = {self.numbers[name]: count for name, count in self.marks.items()}
        return dataclasses.replace(block, entries=tuple(
            dataclasses.replace(entry, marks=tuple(mark_anchor(entry.number, count)
                                                   for count in range(1, counts.get(entry.number, 1) + 1)))
            for entry in block.entries))

    def flush(self) -> list[Block]:
        """The Notes block of the notes first marked since the last flush (their own marks too)."""
        entries: list[NoteEntry] = []
        while self.pending:
            name = self.pending.pop(0)
            number, definition = self.numbers[name], self.texts[name]
            entries.append(NoteEntry(number, note_anchor(number), mark_anchor(number, 1),
                                     self.inlines(definition.content, True), definition.span,
                                     self.style.label("note_back", n=number)))
        return [Notes(self.style.label("footnotes"), tuple(entries))] if entries else []

    def block(self, node, keep_marks: bool):
        """`node` with every inline text in it resolved (a block, or anything a block holds)."""
        if isinstance(node, tuple):
            if node and isinstance(node[0], _INLINE_TYPES):
                return self.inlines(node, keep_marks)
            resolved = tuple(self.block(child, keep_marks) for child in node)
            return node if all(a is b for a, b in zip(resolved, node)) else resolved
        names = node_fields(type(node))
        if not names or isinstance(node, _OPAQUE):
            return node
        changes = {}
        for name in names:
            value = getattr(node, name)
            if isinstance(value, tuple) or node_fields(type(value)):
                resolved = self.block(value, keep_marks)
                if resolved is not value:
                    changes[name] = resolved
        return dataclasses.replace(node, **changes) if changes else node

    def inlines(self, content: Inlines, keep_marks: bool) -> Inlines:
        if not _has_marks(content):  # (most text: the same tuple back, so its block is kept as it is)
            return content
        out: list = []
        for node in content:
            if isinstance(node, NoteRef):
                if keep_marks and node.name in self.texts:
                    out.append(self.mark(node))
            elif isinstance(node, CrossRef):
                out.append(self.reference(node))
            elif isinstance(node, (Strong, Emph, Link)):
                out.append(dataclasses.replace(node, children=self.inlines(node.children, keep_marks)))
            else:
                out.append(node)
        return tuple(out)

    def mark(self, ref: NoteRef) -> NoteMark:
        if ref.name not in self.numbers:
            self.numbers[ref.name] = len(self.numbers) + 1
            self.pending.append(ref.name)
        number = self.numbers[ref.name]
        self.marks[ref.name] = self.marks.get(ref.name, 0) + 1
        count = self.marks[ref.name]
        return NoteMark(number, note_anchor(number), mark_anchor(number, count), ref.span,
                        self.style.label("note_mark", n=number))

    def reference(self, ref: CrossRef) -> Inline:
        anchor = f"{ref.kind}-{ref.name}"
        number = self.numbered.get(anchor)
        if number is None:  # reported by validation; printed as written
            return ref.children[0]
        return RefLink(anchor, (Text(self.style.label(REF_LABELS[ref.kind], n=number)),))


def resolve_notes(body: list[Block], report: Report, style: Style) -> list[Block]:
    """`body` with note marks numbered, cross-references linked and the notes' texts placed."""
    if not any(isinstance(node, (NoteRef, CrossRef)) for node in walk_nodes(tuple(body))):
        return body  # nothing to resolve (most reports): the resolver would rebuild the same blocks
    return NoteResolver(report, style, targets(body)).body(body)
