"""The vocabulary of a redline (layout/redline.py makes one): what a renderer that supports
tracked changes maps, and the two readings of a merged body that renderers need.

  Tracked(change, block)       a whole block (or list entry, glance row or contents entry) only one side has
  Change(change, children)     inside inline content: words only one side has
  BadgeChange(old, new)        in place of a Badge whose grade differs

Apart from the diff itself, so a report's build never imports the diff's code.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..model import Inlines
from .blocks import Badge, Callout, ListBlock, NoteEntry, Notes
from ..records import dataclass

INSERT, DELETE = "insert", "delete"


@dataclass(frozen=True)
class Change:
    """Inline content only one side has."""

    change: str  # INSERT or DELETE
    children: Inlines


@dataclass(frozen=True)
class Tracked:
    """A whole block, list entry or glance row only one side has."""

    change: str
    block: object  # Block, ListEntry or GlanceRow


@dataclass(frozen=True)
class BadgeChange:
    old: Badge | None
    new: Badge | None

    @property
    def span(self):  # where the current grade is written, as a Badge's span
        return self.new.span if self.new is not None else None


def current(body: Sequence) -> tuple:
    """The current side of a merged body's blocks (inserted kept, deleted dropped), for what
    must see the current report's structure, such as its heading anchors."""
    blocks = []
    for block in body:
        if isinstance(block, Tracked):
            if block.change == DELETE:
                continue
            block = block.block
        if isinstance(block, Callout):
            block = replace(block, blocks=current(block.blocks))
        elif isinstance(block, ListBlock):
            items = [item.block if isinstance(item, Tracked) else item for item in block.items
                     if not (isinstance(item, Tracked) and item.change == DELETE)]
            block = replace(block, items=tuple(replace(item, children=current(item.children)) for item in items))
        elif isinstance(block, Notes):
            block = replace(block, entries=tuple(entry.block if isinstance(entry, Tracked) else entry
                                                 for entry in block.entries
                                                 if not (isinstance(entry, Tracked) and entry.change == DELETE)))
        blocks.append(block)
    return tuple(blocks)


def former_notes(body: Sequence) -> dict[int, NoteEntry]:
    """The old side of a merged body's notes, by number: what a deleted note mark refers to."""
    notes = {}
    for block in body:
        for entry in block.entries if isinstance(block, Notes) else ():
            if isinstance(entry, Tracked):
                if entry.change == DELETE:
                    notes[entry.block.number] = entry.block
            else:
                notes[entry.number] = replace(entry, content=_former(entry.content))
    return notes


def _former(content: Inlines) -> tuple:
    """The old side of inline content with changes (words' output)."""
    out: list = []
    for node in content:
        if isinstance(node, Change):
            out += node.children if node.change == DELETE else ()
        else:
            out.append(node)
    return tuple(out)
