"""Bookmark names for the DOCX's headings, chosen before any output so the contents and the
glance table can link forward (moved out of document.py, which is at its size limit)."""
from __future__ import annotations

from ...diagnostics import Span
from ...layout.blocks import Block, headings
from .ooxml import bookmark_name


def collect_anchors(blocks: tuple[Block, ...]) -> tuple[dict[str, str], dict[str, Span]]:
    """Every heading anchor -> its unique bookmark name and its source span."""
    names: dict[str, str] = {}
    spans: dict[str, Span] = {}
    used: set[str] = set()
    for heading in headings(blocks):
        if heading.anchor and heading.anchor not in names:
            name = bookmark_name(heading.anchor)
            if name in used:
                name = bookmark_name(f"{heading.anchor}-{len(used)}")
            used.add(name)
            names[heading.anchor] = name
            spans[heading.anchor] = heading.span
    return names, spans
