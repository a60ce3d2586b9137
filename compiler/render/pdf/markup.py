"""Inline content (Text | Strong | Emph | Link) -> reportlab paragraph markup.

This is the one place user text meets reportlab's markup parser, so it is the one place
that escapes: `escape` turns &, < and > into entities and nothing else ever builds markup
from user text. Link targets never enter the markup at all: each link is numbered in a
`LinkTable` and reportlab sees only `rcl:N`; the canvas looks the real target up when it
writes the annotation (so it can also describe and tag it).

A link with a structure element is bracketed by two zero-width `onDraw` callbacks, so the
canvas can switch marked content to the Link element exactly where its text is drawn.

Paragraphs of text, bold and italic alone (most of a report) skip the markup: `FragmentMaker`
makes the fragments reportlab's parser would have made from it, which saves writing markup and
parsing it again (issue 18); tests/test_pdf_fragments.py holds the two ways equal.
"""
from __future__ import annotations

import re
from typing import Iterator

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from ...layout.blocks import NoteMark, RefLink
from ...model import Emph, Inline, Inlines, Link, Strong, Text, plain_text
from .fonts import FontSet
from .tagging import Element, Structure
from ...records import dataclass

LINK_SCHEME = "rcl:"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_markup(text: str, fonts: FontSet | None) -> str:
    """Printed text, escaped, its runs of characters the family lacks set in a fallback font."""
    if fonts is None:
        return escape(text)
    return "".join(f'<font face="{font}">{escape(run)}</font>' if font else escape(run)
                   for run, font in fonts.runs(text))


# Where reportlab's parser ends one fragment and starts the next inside a run of text: at each
# entity, so each of &, < and > is a fragment of its own.
_ENTITY_SPLIT = re.compile("([&<>])")
_BOUNDARY = "\x00"  # stands for a tag while whitespace is cleaned; never in text that gets here


# Python's str.split() and reportlab's cleaner take the same characters for white space but these
# two: Python splits at a no-break space and reportlab does not; reportlab strips a zero-width space.
_SPACES_TAKEN_APART = ("\xa0", "\u200b")


def _white_space_cleaned(text: str) -> str:
    """What reportlab's `cleanBlockQuotedText` makes of `text` (every run of white space one
    space, none at either end), in one `str.split` where the two agree: its line-by-line
    Python loop took a long report 45 ms."""
    if any(char in text for char in _SPACES_TAKEN_APART):
        return cleanBlockQuotedText(text)
    return " ".join(text.split())


class FragmentMaker:
    """reportlab's paragraph fragments, made as its parser makes them from `MarkupWriter.inlines`'
    markup: the text cleaned of runs of white space as Paragraph cleans the markup (a tag is
    not white space), cut at every tag and entity, each piece a copy of the fragment the parser
    makes for its tags in that style. Text is never parsed, so nothing in it is ever markup."""

    def __init__(self) -> None:
        self._templates: dict[tuple[int, tuple[str, ...]], tuple[ParagraphStyle, ParaFrag]] = {}

    def build(self, pieces: list[tuple[tuple[str, ...], str] | None],
              style: ParagraphStyle) -> tuple[str, list] | None:
        """(text, frags) for `pieces` (see MarkupWriter._plain_pieces); None for text that holds
        the boundary character itself."""
        if any(piece is not None and _BOUNDARY in piece[1] for piece in pieces):
            return None
        segments: list[tuple[tuple[str, ...], list[str]]] = [((), [])]
        for piece in pieces:
            if piece is None:
                segments.append(((), []))
            else:
                segments[-1] = (piece[0], segments[-1][1] + [piece[1]])
        skeleton = _BOUNDARY.join("".join(parts) for _, parts in segments)
        cleaned = _white_space_cleaned(skeleton).split(_BOUNDARY)
        frags = []
        for (tags, _), text in zip(segments, cleaned):
            if text:
                template = self._template(style, tags)
                for part in _ENTITY_SPLIT.split(text):
                    if part:
                        frag = _copied(template)
                        frag.text = part
                        frags.append(frag)
        if style.textTransform:
            textTransformFrags(frags, style)
        return "".join(cleaned), frags

    def _template(self, style: ParagraphStyle, tags: tuple[str, ...]) -> ParaFrag:
        key = (id(style), tags)
        if key not in self._templates:  # the style is kept with it, so its id stays its own
            closing = "".join(f"</{tag.split()[0]}>" for tag in reversed(tags))
            markup = "".join(f"<{tag}>" for tag in tags) + "x" + closing
            _, [frag], _ = ParaParser().parse(markup, style)
            self._templates[key] = (style, frag)
        return self._templates[key][1]


def _copied(template: ParaFrag) -> ParaFrag:
    """A shallow copy, as `copy.copy` makes it, in a quarter of its time."""
    frag = ParaFrag.__new__(ParaFrag)
    frag.__dict__.update(template.__dict__)
    return frag


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

    def __init__(self, links: LinkTable, link_style: LinkStyle, structure: Structure,
                 fonts: FontSet | None = None) -> None:
        self.links = links
        self.link_style = link_style
        self.structure = structure
        self.fonts = fonts  # its fallback fonts set what the family lacks
        self._frags = FragmentMaker()

    def inlines(self, content: Inlines, parent: Element | None = None) -> str:
        """Markup for `content`; its links become Link elements under `parent`."""
        return "".join(self._inline(node, parent) for node in content)

    def paragraph_source(self, content: Inlines, style: ParagraphStyle,
                         parent: Element | None = None) -> tuple[str, list | None]:
        """(text, frags) for a Paragraph of `content`. Text in bold, italic and fallback fonts (the
        most of any report) becomes reportlab's fragments directly, as its parser would have made
        them from `inlines`' markup, without writing markup for it to parse again; anything else
        (links, note marks) is markup, and frags is None."""
        pieces: list[tuple[tuple[str, ...], str] | None] = []
        made = self._frags.build(pieces, style) if self._plain_pieces(content, (), pieces) else None
        return made if made is not None else (self.inlines(content, parent), None)

    def _plain_pieces(self, content: Inlines, tags: tuple[str, ...],
                      pieces: list[tuple[tuple[str, ...], str] | None]) -> bool:
        """`content` as (tags, text) pieces, None where `inlines` writes a tag; False when it
        holds anything but text, bold and italic."""
        for node in content:
            if isinstance(node, Text):
                if self.fonts is None:
                    pieces.append((tags, node.text))
                    continue
                for run, font in self.fonts.runs(node.text):
                    if font:
                        pieces += [None, ((*tags, f'font face="{font}"'), run), None]
                    else:
                        pieces.append((tags, run))
            elif isinstance(node, (Strong, Emph)):
                pieces.append(None)
                if not self._plain_pieces(node.children, (*tags, "b" if isinstance(node, Strong) else "i"), pieces):
                    return False
                pieces.append(None)
            else:
                return False
        return True

    def internal_link(self, destination: str, description: str, inner_markup: str,
                      parent: Element | None = None) -> str:
        element = self.structure.add("Link", parent) if parent is not None else None
        token = self.links.add(LinkTarget(None, destination, description, element))
        return self._bracket(token, element, f'<a href="{escape(token)}">{inner_markup}</a>')

    def _inline(self, node: Inline, parent: Element | None) -> str:
        if isinstance(node, Text):
            return text_markup(node.text, self.fonts)
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
        if isinstance(node, NoteMark):  # a Reference holding the Link to the note's text
            reference = self.structure.add("Reference", parent) if parent is not None else None
            mark = self.internal_link(node.anchor, node.label or str(node.number), f"<super>{node.number}</super>",
                                      reference)
            return self.anchor(node.ref_anchor) + mark
        if isinstance(node, RefLink):
            label = plain_text(node.children)
            return self.internal_link(node.anchor, label, self._underlined(self.inlines(node.children)), parent)
        if hasattr(node, "children"):  # a mark or reference layout did not resolve: as written
            return self.inlines(node.children, parent)
        raise TypeError(f"unknown inline {node!r}")

    @staticmethod
    def anchor(name: str) -> str:
        """A link target where the paragraph it begins is drawn (a table's or a note's; the
        destination name is the anchor itself, see story.destinations)."""
        return f'<a name="{escape(name)}"/>'

    def _underlined(self, inner: str) -> str:
        return f'<font color="{self.link_style.colour}"><u>{inner}</u></font>'

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
