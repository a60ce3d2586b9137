"""A redline: two layout Documents (an older version of a report and the current one) merged into
one, format-neutral, whose every difference is marked as an insertion or a deletion.

The merged Document has the current report's metadata, running text and style; its body holds
(the vocabulary is in layout/tracked.py)
  Tracked(change, block)       a whole block (or list entry, glance row or contents entry) only one side has
  Change(change, children)     inside inline content: words only one side has, at word level
  BadgeChange(old, new)        in place of a Badge whose grade differs
A renderer that supports tracked changes maps these; accepting every change gives the current
report, rejecting every change gives the old one.

Blocks are aligned by difflib (in bounded time, layout/diffing.py): first on their kind and
plain text, so unchanged blocks match even when questions are inserted before them (anchors are
positional, so they cannot be the key); then, among what did not match, on their kind alone, so
an edited paragraph is paired with its old version and diffed word by word. (v2) A note mark or a
cross-reference is one word of its own; a table, figure, chart or quotation that changed is
replaced whole; the notes of both versions are one Notes block at the end, paired by number as
their marks are.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import replace
from typing import Callable, Sequence

from ..model import Emph, Inlines, Link, Strong, Text
from .blocks import (Badge, Block, Callout, ChartBlock, Contents, ContentsEntry, Cover, DataTable, DefinitionList,
                     Document, FigureBlock, GlanceRow, GlanceTable, Heading, Imprint, ListBlock, ListEntry, NoteEntry,
                     NoteMark, Notes, Para, Quote, RefLink)
from .diffing import opcodes
from .tracked import DELETE, INSERT, BadgeChange, Change, Tracked

_WORD = re.compile(r"\w+|\s+|[^\w\s]")  # words, runs of white space, single punctuation marks


def redline(old: Document, new: Document) -> Document:
    """The current Document with every difference from `old` marked."""
    body = _blocks(_without_notes(old.body), _without_notes(new.body)) + _notes(old.body, new.body)
    return replace(new, cover=_cover(old.cover, new.cover), body=tuple(body), imprint=_imprint(old, new))


def _imprint(old: Document, new: Document) -> Imprint | None:
    """The imprint's lines aligned like blocks. A redline is a DOCX: the DOCX edition's lines
    (its own ISBN among them) are the imprint's blocks."""
    before, after = (document.imprint.for_edition("docx") if document.imprint else () for document in (old, new))
    return Imprint(tuple(_blocks(before, after)), ()) if before or after else None


# ---- block sequences ---------------------------------------------------------------------


def _blocks(old: Sequence[Block], new: Sequence[Block]) -> list:
    return _aligned(old, new, _block_key, _block_kind, _merge_block)


def _aligned(old: Sequence, new: Sequence, key: Callable, kind: Callable, merge: Callable) -> list:
    """Both sequences merged: pairs merged, the rest Tracked. Matched first on `key` (kind and
    text), then, inside each stretch that did not match, on `kind` alone."""
    merged: list = []
    for tag, i1, i2, j1, j2 in opcodes([key(b) for b in old], [key(b) for b in new]):
        if tag == "equal":
            merged += _merged_pairs(old[i1:i2], new[j1:j2], merge)
        else:
            merged += _paired_by_kind(old[i1:i2], new[j1:j2], kind, merge)
    return merged


def _paired_by_kind(old: Sequence, new: Sequence, kind: Callable, merge: Callable) -> list:
    merged: list = []
    for tag, i1, i2, j1, j2 in opcodes([kind(b) for b in old], [kind(b) for b in new]):
        if tag == "equal":
            merged += _merged_pairs(old[i1:i2], new[j1:j2], merge)
        else:  # deletions first: rejecting keeps the old order, accepting the new
            merged += [Tracked(DELETE, b) for b in old[i1:i2]] + [Tracked(INSERT, b) for b in new[j1:j2]]
    return merged


def _merged_pairs(old: Sequence, new: Sequence, merge: Callable) -> list:
    merged: list = []
    for a, b in zip(old, new):
        result = merge(a, b)
        merged += list(result) if isinstance(result, tuple) else [result]  # a tuple: replaced whole
    return merged


def _block_kind(block) -> tuple:
    return (type(block).__name__, getattr(block, "role", ""), getattr(block, "level", 0))


def _block_key(block) -> tuple:
    content = getattr(block, "content", None)
    return _block_kind(block) + (plain(content) if content is not None else "",)


def _merge_block(old, new):
    """A block both sides have, with its differences marked inside."""
    if isinstance(new, Heading):
        return _heading(old, new)
    if isinstance(new, Para):
        return replace(new, content=words(old.content, new.content))
    if isinstance(new, ListBlock):
        return replace(new, items=tuple(_aligned(old.items, new.items, _block_key, _block_kind, _entry)))
    if isinstance(new, Callout) and _frame(old) == _frame(new):
        return replace(new, blocks=tuple(_blocks(old.blocks, new.blocks)))
    if isinstance(new, (Callout, DataTable, FigureBlock, ChartBlock, Quote)):  # replaced whole when changed
        return new if shown(old) == shown(new) else (Tracked(DELETE, old), Tracked(INSERT, new))
    if isinstance(new, GlanceTable):
        return replace(new, rows=tuple(_aligned(old.rows, new.rows, _block_key, _block_kind, _row)))
    if isinstance(new, DefinitionList) and shown(old) != shown(new):  # the glossary: re-sorted, so replaced whole
        return Tracked(DELETE, old), Tracked(INSERT, new)
    if isinstance(new, Contents) and old != new:
        return _contents(old, new)
    return new  # PageBreak, or unchanged Contents


def _contents(old: Contents, new: Contents):
    """The contents with its entries aligned like blocks: an entry only one side has, or whose
    number or text changed, is Tracked whole (a renderer keeps them all inside one contents)."""
    if not old.entries or not new.entries:  # nothing to align with: replaced whole
        return Tracked(DELETE, old), Tracked(INSERT, new)
    title = new.title if old.title == new.title else words((Text(old.title),), (Text(new.title),))
    entries = _aligned(old.entries, new.entries, _entry_key, lambda entry: entry.level, _contents_entry)
    return replace(new, title=title, entries=tuple(entries))


def _entry_key(entry: ContentsEntry) -> tuple:
    return entry.level, entry.number_text, entry.text  # not the anchor: anchors are positional


def _contents_entry(old: ContentsEntry, new: ContentsEntry):
    same = (old.number_text, old.text) == (new.number_text, new.text)
    return new if same else (Tracked(DELETE, old), Tracked(INSERT, new))


def _heading(old: Heading, new: Heading) -> Heading:
    content = words(old.content, new.content)
    if old.number != new.number:  # renumbered: the number becomes tracked text before a tab
        content = _text_change(_shown_number(old), _shown_number(new)) + (Text("\t"),) + tuple(content)
        new = replace(new, number=None)
    return replace(new, content=tuple(content), badge=_badge(old.badge, new.badge))


def _entry(old: ListEntry, new: ListEntry) -> ListEntry:
    return replace(new, content=words(old.content, new.content), children=tuple(_blocks(old.children, new.children)))


def _row(old: GlanceRow, new: GlanceRow) -> GlanceRow:
    content = words(old.content, new.content)
    if old.number != new.number:
        content = _text_change(_shown_number(old), _shown_number(new)) + (Text("\t"),) + tuple(content)
        new = replace(new, number=None)
    return replace(new, content=tuple(content), badge=_badge(old.badge, new.badge))


def _badge(old: Badge | None, new: Badge | None):
    same = old is not None and new is not None and (old.label, old.fill) == (new.label, new.fill)
    return new if same or (old is None and new is None) else BadgeChange(old, new)


def _shown_number(block) -> str | None:
    """The number as printed ("2."), where layout says how it prints."""
    return getattr(block, "number_text", block.number)


def _text_change(old: str | None, new: str | None) -> tuple:
    return tuple(Change(change, (Text(text),)) for change, text in ((DELETE, old), (INSERT, new)) if text)


def _cover(old: Cover, new: Cover) -> Cover:
    """Cover texts as inline content with their changes (None stays None when both lack it)."""
    fields = ("title", "subject", "programme", "date_text", "marking", "status_text", "version_text", "purpose_text")
    changed = {}
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changed[name] = words((Text(before),) if before else (), (Text(after),) if after else ())
    return replace(new, **changed)


# ---- notes and rich blocks ---------------------------------------------------------------


def _frame(box: Callout) -> tuple:
    """What a box is, apart from what it holds: a `callout:` block whose kind or title changed is
    another box (its fill and accessible name)."""
    return box.role, box.kind, box.fill, box.name, box.rule


def shown(node) -> object:
    """What a block prints, for telling an unchanged table, figure or chart from a changed one:
    its fields without the source positions (which move when text above them is edited)."""
    if isinstance(node, tuple):
        return tuple(shown(child) for child in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (type(node).__name__,) + tuple((f.name, shown(getattr(node, f.name))) for f in dataclasses.fields(node)
                                              if f.compare and not f.name.endswith("span"))
    return node


def _without_notes(body: Sequence[Block]) -> list:
    return [block for block in body if not isinstance(block, Notes)]


def _notes(old: Sequence[Block], new: Sequence[Block]) -> list:
    """The notes of both versions as one Notes block at the end, paired by number (as their marks
    are): a note both have with its words' changes, one only one side has Tracked. Where the
    notes print is no matter to a redline (the DOCX makes footnotes of them at their marks)."""
    before, after = _note_entries(old), _note_entries(new)
    titles = [block.title for block in (*new, *old) if isinstance(block, Notes)]
    entries = []
    for number in sorted(before.keys() | after.keys()):
        if number in before and number in after:
            entries.append(replace(after[number], content=words(before[number].content, after[number].content)))
        else:
            entries.append(Tracked(INSERT, after[number]) if number in after else Tracked(DELETE, before[number]))
    return [Notes(titles[0], tuple(entries))] if entries else []


def _note_entries(body: Sequence[Block]) -> dict[int, NoteEntry]:
    return {entry.number: entry for block in body if isinstance(block, Notes) for entry in block.entries}


# ---- words -------------------------------------------------------------------------------


def words(old: Inlines, new: Inlines) -> tuple:
    """`new` with the words only `old` has as Change(DELETE) and those only `new` has as
    Change(INSERT); a word whose formatting changed counts as changed."""
    before, after = _tokens(old), _tokens(new)
    merged: list = []
    for tag, i1, i2, j1, j2 in opcodes(before, after):
        if tag == "equal":
            merged += _inlines(after[j1:j2])
            continue
        if i2 > i1:
            merged.append(Change(DELETE, tuple(_inlines(before[i1:i2]))))
        if j2 > j1:
            merged.append(Change(INSERT, tuple(_inlines(after[j1:j2]))))
    return tuple(merged)


# A token: (text, formatting), formatting being the wrappers around it from the outside in,
# such as (("strong",), ("link", "https://...")).
def _tokens(content: Inlines, wrappers: tuple = ()) -> list[tuple[str, tuple]]:
    tokens: list[tuple[str, tuple]] = []
    for node in content:
        if isinstance(node, Text):
            tokens += [(word, wrappers) for word in _WORD.findall(node.text)]
        elif isinstance(node, Strong):
            tokens += _tokens(node.children, wrappers + (("strong",),))
        elif isinstance(node, Emph):
            tokens += _tokens(node.children, wrappers + (("emph",),))
        elif isinstance(node, Link):
            tokens += _tokens(node.children, wrappers + (("link", node.target),))
        elif isinstance(node, (NoteMark, RefLink)):
            tokens.append((_Atom(node), wrappers))
    return tokens


class _Atom:
    """A note mark or a cross-reference as one token: changed or kept whole, never split."""

    def __init__(self, node) -> None:
        self.node = node

    @property
    def key(self) -> tuple:
        # a mark is its number (a second mark of a note is the same mark); a reference its target and text
        if isinstance(self.node, NoteMark):
            return ("note", self.node.number)
        return ("ref", self.node.anchor, plain(self.node.children))

    def __eq__(self, other) -> bool:
        return isinstance(other, _Atom) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __str__(self) -> str:  # in a block's plain text: a reference's words, no mark
        return "" if isinstance(self.node, NoteMark) else plain(self.node.children)


def _inlines(tokens: Sequence[tuple[str, tuple]]) -> list:
    """Tokens back into inline nodes: neighbours with the same formatting share one node."""
    nodes: list = []
    for text, wrappers in tokens:
        if nodes and nodes[-1][1] == wrappers and isinstance(text, str) and isinstance(nodes[-1][0], str):
            nodes[-1] = (nodes[-1][0] + text, wrappers)
        else:
            nodes.append((text, wrappers))
    return [_wrapped(text.node if isinstance(text, _Atom) else Text(text), wrappers) for text, wrappers in nodes]


def _wrapped(node, wrappers: tuple):
    for wrapper in reversed(wrappers):
        if wrapper[0] == "strong":
            node = Strong((node,))
        elif wrapper[0] == "emph":
            node = Emph((node,))
        else:
            node = Link(wrapper[1], (node,))
    return node


def plain(content: Inlines) -> str:
    return "".join(str(text) for text, _ in _tokens(content))
