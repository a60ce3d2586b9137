"""Inline content (Text | Strong | Emph | Link, and layout's NoteMark | RefLink) -> HTML, and the escaping every text goes through.

This is the one place user text becomes markup. `text` escapes &, <, > and both quotes, so the
same function is safe in element content and in double-quoted attribute values; nothing else
ever builds markup from user text. A link's target is checked again here, whatever validation
let through: only http, https and mailto become links; anything else is shown as plain text.
"""
from __future__ import annotations

import html
import re

from ...layout.blocks import NoteMark, RefLink
from ...model import Emph, Inline, Inlines, Link, Strong, Text

LINK_SCHEMES = ("http", "https", "mailto")  # as compiler.source.markup.LINK_SCHEMES
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Characters a browser drops or reads specially in a URL attribute (controls, spaces and the
# bidi controls): a target holding one is not a link reportc writes.
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def text(value: str) -> str:
    """Escaped for element content and for double-quoted attribute values."""
    return html.escape(value, quote=True)


def safe_href(target: str) -> str | None:
    """The target, when it is an http, https or mailto URL a browser reads the way it looks."""
    match = _SCHEME.match(target)
    if not match or match.group(1).lower() not in LINK_SCHEMES or _UNSAFE_IN_URL.search(target):
        return None
    return target


def inlines(content: Inlines, links: bool = True) -> str:
    """`links=False` keeps a link's words but not the link: for text that is itself a link
    target (a link may not hold another)."""
    return "".join(_inline(node, links) for node in content)


def _inline(node: Inline, links: bool) -> str:
    if isinstance(node, Text):
        return text(node.text)
    if isinstance(node, Strong):
        return f"<strong>{inlines(node.children, links)}</strong>"
    if isinstance(node, Emph):
        return f"<em>{inlines(node.children, links)}</em>"
    if isinstance(node, Link):
        inner = inlines(node.children, links=False)  # a link's own text holds no further links
        href = safe_href(node.target) if links else None
        return f'<a href="{text(href)}">{inner}</a>' if href else inner
    if isinstance(node, NoteMark):  # the note's text links back to each mark by this id
        name = f' aria-label="{text(node.label)}"' if node.label else ""
        return (f'<sup class="note-mark"><a href="#{text(node.anchor)}" id="{text(node.ref_anchor)}" '
                f'role="doc-noteref"{name}>{node.number}</a></sup>')
    if isinstance(node, RefLink):
        inner = inlines(node.children, links=False)
        return f'<a class="cross-ref" href="#{text(node.anchor)}">{inner}</a>' if links else inner
    if hasattr(node, "children"):  # a mark or reference layout did not resolve: as written
        return inlines(node.children, links)
    raise TypeError(f"unknown inline {node!r}")
