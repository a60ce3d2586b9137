"""Inline content (Text | Strong | Emph | Link) -> reportlab paragraph markup.

This is the one place user text meets reportlab's markup parser, so it is the one place
that escapes: `escape` turns &, < and > into entities and nothing else ever builds markup
from user text. Link targets never enter the markup at all: each link is numbered in a
`LinkTable` and reportlab sees only `rcl:N`; the canvas looks the real target up when it
writes the annotation (so it can also describe and tag it).

A link with a structure element is bracketed by two zero-width `onDraw` callbacks, so the
canvas can switch marked content to the Link element exactly where its text is drawn.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ...model import Emph, Inline, Inlines, Link, Strong, Text, plain_text
from .tagging import Element, Structure

LINK_SCHEME = "rcl:"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class LinkTarget:
    uri: str | None  # external target (http, https, mailto)
    destination: str | None  # internal named destination
    description: str  # the annotation's /Contents: what a screen reader announces
    element: Element | None = None  # the Link structure element the annotation belongs to


class LinkTable:
    """Every link of one document, numbered in source order."""

    def __init__(self) -> None:
        self.targets: list[LinkTarget] = []

    def add(self, target: LinkTarget) -> str:
        self.targets.append(target)
        return f"{LINK_SCHEME}{len(self.targets) - 1}"

    def lookup(self, token: str) -> LinkTarget | None:
        if not token.startswith(LINK_SCHEME):
            return None
        return self.targets[int(token[len(LINK_SCHEME):])]


@dataclass(frozen=True)
class LinkStyle:
    colour: str  # "#RRGGBB"


LINK_START = "rcLinkStart"
LINK_END = "rcLinkEnd"


class MarkupWriter:
    """Converts inlines for one document; knows its link table, link colour and structure."""

    def __init__(self, links: LinkTable, link_style: LinkStyle, structure: Structure) -> None:
        self.links = links
        self.link_style = link_style
        self.structure = structure

    def inlines(self, content: Inlines, parent: Element | None = None) -> str:
        """Markup for `content`; its links become Link elements under `parent`."""
        return "".join(self._inline(node, parent) for node in content)

    def internal_link(self, destination: str, description: str, inner_markup: str,
                      parent: Element | None = None) -> str:
        element = self.structure.add("Link", parent) if parent is not None else None
        token = self.links.add(LinkTarget(None, destination, description, element))
        return self._bracket(token, element, f'<a href="{escape(token)}">{inner_markup}</a>')

    def _inline(self, node: Inline, parent: Element | None) -> str:
        if isinstance(node, Text):
            return escape(node.text)
        if isinstance(node, Strong):
            return f"<b>{self.inlines(node.children, parent)}</b>"
        if isinstance(node, Emph):
            return f"<i>{self.inlines(node.children, parent)}</i>"
        if isinstance(node, Link):
            label = plain_text(node.children)
            description = label if label == node.target else f"{label} ({node.target})"
            element = self.structure.add("Link", parent) if parent is not None else None
            token = self.links.add(LinkTarget(node.target, None, description, element))
            inner = self.inlines(node.children)  # a link's own text holds no further links
            # Underlined as well as coloured: colour alone must never carry meaning.
            markup = (f'<a href="{escape(token)}" color="{self.link_style.colour}" underline="1">'
                      f"{inner}</a>")
            return self._bracket(token, element, markup)
        raise TypeError(f"unknown inline {node!r}")

    @staticmethod
    def _bracket(token: str, element: Element | None, markup: str) -> str:
        if element is None:
            return markup
        label = escape(token)
        return (f'<onDraw name="{LINK_START}" label="{label}"/>{markup}'
                f'<onDraw name="{LINK_END}" label="{label}"/>')


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
