"""Inline content (Text | Strong | Emph | Link) -> reportlab paragraph markup.

This is the one place user text meets reportlab's markup parser, so it is the one place
that escapes: `escape` turns &, < and > into entities and nothing else ever builds markup
from user text. Link targets never enter the markup at all: each link is numbered in a
`LinkTable` and reportlab sees only `rcl:N`; the canvas looks the real target up when it
writes the annotation (so it can also describe and tag it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..model import Emph, Inline, Inlines, Link, Strong, Text, plain_text

LINK_SCHEME = "rcl:"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class LinkTarget:
    uri: str | None  # external target (http, https, mailto)
    destination: str | None  # internal named destination
    description: str  # the annotation's /Contents: what a screen reader announces


class LinkTable:
    """Every link of one document, numbered in source order."""

    def __init__(self) -> None:
        self.targets: list[LinkTarget] = []

    def add(self, target: LinkTarget) -> str:
        self.targets.append(target)
        return f"{LINK_SCHEME}{len(self.targets) - 1}"

    def lookup(self, token: str) -> tuple[int, LinkTarget] | None:
        if not token.startswith(LINK_SCHEME):
            return None
        index = int(token[len(LINK_SCHEME):])
        return index, self.targets[index]


@dataclass(frozen=True)
class LinkStyle:
    colour: str  # "#RRGGBB"


class MarkupWriter:
    """Converts inlines for one document; knows its link table and link colour."""

    def __init__(self, links: LinkTable, link_style: LinkStyle) -> None:
        self.links = links
        self.link_style = link_style

    def inlines(self, content: Inlines) -> str:
        return "".join(self._inline(node) for node in content)

    def text(self, text: str) -> str:
        return escape(text)

    def link(self, token: str, inner_markup: str) -> str:
        # Links are underlined as well as coloured: colour alone must never carry meaning.
        return (f'<a href="{escape(token)}" color="{self.link_style.colour}" underline="1">'
                f"{inner_markup}</a>")

    def internal_link(self, destination: str, description: str, inner_markup: str) -> str:
        token = self.links.add(LinkTarget(None, destination, description))
        return f'<a href="{escape(token)}">{inner_markup}</a>'

    def _inline(self, node: Inline) -> str:
        if isinstance(node, Text):
            return escape(node.text)
        if isinstance(node, Strong):
            return f"<b>{self.inlines(node.children)}</b>"
        if isinstance(node, Emph):
            return f"<i>{self.inlines(node.children)}</i>"
        if isinstance(node, Link):
            label = plain_text(node.children)
            description = label if label == node.target else f"{label} ({node.target})"
            token = self.links.add(LinkTarget(node.target, None, description))
            return self.link(token, self.inlines(node.children))
        raise TypeError(f"unknown inline {node!r}")


def text_runs(content: Inlines, bold: bool = False, italic: bool = False) -> Iterator[tuple[str, bool, bool]]:
    """(text, bold, italic) for every run, for checking glyph coverage per face."""
    for node in content:
        if isinstance(node, Text):
            yield node.text, bold, italic
        elif isinstance(node, Strong):
            yield from text_runs(node.children, True, italic)
        elif isinstance(node, Emph):
            yield from text_runs(node.children, bold, True)
        else:
            yield from text_runs(node.children, bold, italic)
