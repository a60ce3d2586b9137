"""A redline: two layout Documents (an older version of a report and the current one) merged into
one, format-neutral, whose every difference is marked as an insertion or a deletion.

The merged Document has the current report's metadata, running text and style; its body holds
  Tracked(change, block)       a whole block (or list entry, or glance row) only one side has
  Change(change, children)     inside inline content: words only one side has, at word level
  BadgeChange(old, new)        in place of a Badge whose grade differs
A renderer that supports tracked changes maps these; accepting every change gives the current
report, rejecting every change gives the old one.

Blocks are aligned by difflib: first on their kind and plain text, so unchanged blocks match
even when questions are inserted before them (anchors are positional, so they cannot be the key);
then, among what did not match, on their kind alone, so an edited paragraph is paired with its
old version and diffed word by word.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from ..model import Emph, Inlines, Link, Strong, Text
from .blocks import (Badge, Block, Callout, Contents, Cover, Document, GlanceRow, GlanceTable, Heading, ListBlock,
                     ListEntry, Para)

INSERT, DELETE = "insert", "delete"
_WORD = re.compile(r"\w+|\s+|[^\w\s]")  # words, runs of white space, single punctuation marks


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


def redline(old: Document, new: Document) -> Document:
    """The current Document with every difference from `old` marked."""
    return replace(new, cover=_cover(old.cover, new.cover), body=tuple(_blocks(old.body, new.body)))


# ---- block sequences ---------------------------------------------------------------------


def _blocks(old: Sequence[Block], new: Sequence[Block]) -> list:
    return _aligned(old, new, _block_key, _block_kind, _merge_block)


def _aligned(old: Sequence, new: Sequence, key: Callable, kind: Callable, merge: Callable) -> list:
    """Both sequences merged: pairs merged, the rest Tracked. Matched first on `key` (kind and
    text), then, inside each stretch that did not match, on `kind` alone."""
    merged: list = []
    matcher = difflib.SequenceMatcher(None, [key(b) for b in old], [key(b) for b in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            merged += _merged_pairs(old[i1:i2], new[j1:j2], merge)
        else:
            merged += _paired_by_kind(old[i1:i2], new[j1:j2], kind, merge)
    return merged


def _paired_by_kind(old: Sequence, new: Sequence, kind: Callable, merge: Callable) -> list:
    merged: list = []
    matcher = difflib.SequenceMatcher(None, [kind(b) for b in old], [kind(b) for b in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
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
    if isinstance(new, Callout):
        return replace(new, blocks=tuple(_blocks(old.blocks, new.blocks)))
    if isinstance(new, GlanceTable):
        return replace(new, rows=tuple(_aligned(old.rows, new.rows, _block_key, _block_kind, _row)))
    if isinstance(new, Contents) and old != new:
        # One field in Word: replaced whole, since tracking single entries would break the field.
        return Tracked(DELETE, old), Tracked(INSERT, new)
    return new  # PageBreak, or unchanged Contents


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


# ---- words -------------------------------------------------------------------------------


def words(old: Inlines, new: Inlines) -> tuple:
    """`new` with the words only `old` has as Change(DELETE) and those only `new` has as
    Change(INSERT); a word whose formatting changed counts as changed."""
    before, after = _tokens(old), _tokens(new)
    merged: list = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
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
    return tokens


def _inlines(tokens: Sequence[tuple[str, tuple]]) -> list:
    """Tokens back into inline nodes: neighbours with the same formatting share one node."""
    nodes: list = []
    for text, wrappers in tokens:
        if nodes and nodes[-1][1] == wrappers:
            nodes[-1] = (nodes[-1][0] + text, wrappers)
        else:
            nodes.append((text, wrappers))
    return [_wrapped(Text(text), wrappers) for text, wrappers in nodes]


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
    return "".join(text for text, _ in _tokens(content))


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
        blocks.append(block)
    return tuple(blocks)
