"""The report's own flowables: badges, headings, contents lines, shaded callouts.

Everything here draws through `ReportCanvas`. A flowable with a structure `element` draws
inside `canvas.tagged(element)`, so its text becomes that element's content; shapes, rules
and shading are artifacts (see tagging).
"""
from __future__ import annotations

import copy
import math

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import _nbspCount

from ...layout import blocks
from ...layout.design import BADGE_PADDING_EM
from .canvas import DeferredText
from .linebreak import simple_lines
from .markup import LinkTarget
from .tagging import Context, Element
from ...records import dataclass


class Tagged:
    """Mixin: draws the flowable as the content of its structure element."""

    element: Element | None = None
    label: Element | None = None  # a list item's Lbl: receives the bullet
    whole = False  # one marked-content sequence for all of it (see HeadingBlock)

    def drawOn(self, canvas, x, y, _sW=0):
        if self.element is None:
            return super().drawOn(canvas, x, y, _sW)
        canvas.enter(Context(self.element, label=self.label, whole=self.whole))
        try:
            return super().drawOn(canvas, x, y, _sW)
        finally:
            canvas.leave()


class TaggedParagraph(Tagged, Paragraph):
    """A paragraph whose parts, when split across pages, stay one structure element."""

    def __init__(self, text, style, bulletText=None, frags=None, element: Element | None = None,
                 label: Element | None = None, **kwargs) -> None:
        super().__init__(text, style, bulletText=bulletText, frags=frags, **kwargs)
        self.element = element
        self.label = label

    _wrapped_width: float | None = None

    def wrap(self, available_width, available_height):
        # Line breaking depends on the width alone; keep-with-next measures a paragraph just
        # before the frame places it, and this saves breaking its lines twice. (reportlab drops
        # blPara when widow and orphan control moves a paragraph on whole: wrap again then.)
        if available_width != self._wrapped_width or not hasattr(self, "blPara"):
            super().wrap(available_width, available_height)
            self._wrapped_width = available_width
        return self.width, self.height

    def breakLines(self, width):
        lines = simple_lines(self, width)
        return lines if lines is not None else super().breakLines(width)

    whole = False  # a table cell in a row kept on one page (tables.keep_rows_whole)
    goes_on = False  # its text goes on after its last line: on the next page, or in a heading's badge

    def split(self, available_width, available_height):
        parts = [] if self.whole else super().split(available_width, available_height)
        for index, part in enumerate(parts):
            part.element = self.element
            part.label = self.label if index == 0 else None  # the bullet is drawn on the first part
            part.goes_on = index < len(parts) - 1 or self.goes_on
        return parts

    def draw(self):
        # Each wrapped line ends with the space it was broken at, as text: a reader of the
        # structure (a screen reader, copy and paste, reflow) gets "the force" not "theforce".
        # Drawn after the line's last glyph, it moves nothing on the page.
        laid_out = self.blPara
        self.blPara = spaced_lines(laid_out, self.goes_on) if self.style.alignment != TA_JUSTIFY else laid_out
        try:
            super().draw()
        finally:
            self.blPara = laid_out


_DRAWN_ALONG = ("link", "underline", "strike", "backColor", "cbDefn", "us_lines")  # would widen with a space


def spaced_lines(laid_out, goes_on: bool):
    """`laid_out` (a paragraph's `blPara`) with a space at the end of every line that a line
    follows (and of its last one when `goes_on`), where the space adds no mark to the page."""
    lines = laid_out.lines
    ended = len(lines) if goes_on else len(lines) - 1
    if ended <= 0:
        return laid_out
    if laid_out.kind == 0:
        if any(getattr(laid_out, name, None) for name in _DRAWN_ALONG):
            return laid_out
        spaced = [(_same_word_space(extra, words), [*words, ""]) for extra, words in lines[:ended]]
    else:
        spaced = [_frag_line_spaced(line) for line in lines[:ended]]
    return laid_out.clone(lines=spaced + list(lines[ended:]))


def _same_word_space(extra: float, words: list[str]) -> float:
    """A squeezed line's shortfall (negative) shared by one more space, so each of its spaces
    shrinks as before and no glyph moves."""
    spaces = len(words) + _nbspCount(" ".join(words)) - 1
    return extra * (spaces + 1) / spaces if extra < 0 and spaces > 0 else extra


def _frag_line_spaced(line):
    words = getattr(line, "words", None)
    last = words[-1] if words else None
    if last is None or not isinstance(getattr(last, "text", None), str) or last.text.endswith(" ") or any(
            getattr(last, name, None) for name in _DRAWN_ALONG):
        return line
    spaced = line.clone() if hasattr(line, "clone") else copy.copy(line)
    spaced.words = [*words[:-1], last.clone(text=last.text + " ")]
    return spaced


@dataclass(frozen=True)
class BadgeLook:
    face: str
    size: float

    @property
    def height(self) -> float:
        return self.size * 1.9

    @property
    def padding(self) -> float:
        return self.size * BADGE_PADDING_EM

    @property
    def leading(self) -> float:
        return self.size * 1.2

    def width(self, label: str) -> float:
        return stringWidth(label, self.face, self.size) + 2 * self.padding

    def lines(self, label: str, width: float) -> list[str]:
        """The label broken into lines that fit a badge `width` wide: at word spaces, and inside
        a word only when the word alone is too wide. One line when the label fits."""
        room = max(width - 2 * self.padding, 0.0)
        if stringWidth(label, self.face, self.size) <= room + _SLACK:
            return [label]
        lines: list[str] = []
        for word in label.split():
            for piece in self._pieces(word, room):
                joined = f"{lines[-1]} {piece}" if lines else piece
                if lines and stringWidth(joined, self.face, self.size) <= room:
                    lines[-1] = joined
                else:
                    lines.append(piece)
        return lines or [label]

    def _pieces(self, word: str, room: float) -> list[str]:
        """`word`, cut into pieces no wider than `room` (each at least one character)."""
        pieces, current, current_width = [], "", 0.0
        for char in word:
            char_width = stringWidth(char, self.face, self.size)
            if current and current_width + char_width > room:
                pieces.append(current)
                current, current_width = "", 0.0
            current, current_width = current + char, current_width + char_width
        return [*pieces, current] if current else pieces


# Widths are sums of floats: a label measured into a column made from its own width can come
# back a rounding error wider, and must not wrap for that.
_SLACK = 1e-6


class Badge(Tagged, Flowable):
    """A grade: a filled rounded shape in the grade's colour with its label as real text.

    A badge is as wide as its label, but never wider than the room it is given: a longer label
    wraps onto more lines and the badge grows taller instead."""

    def __init__(self, badge: blocks.Badge, look: BadgeLook, min_width: float = 0,
                 element: Element | None = None) -> None:
        super().__init__()
        self.element = element
        self.badge = badge
        self.look = look
        self.min_width = min_width
        self._fit(math.inf)

    def _fit(self, available_width: float) -> None:
        natural = max(self.look.width(self.badge.label), self.min_width)
        self.width = natural if natural <= available_width + _SLACK else max(available_width, 0.0)
        self.lines = self.look.lines(self.badge.label, self.width)
        self.height = self.look.height + (len(self.lines) - 1) * self.look.leading

    def wrap(self, available_width, available_height):
        self._fit(available_width)
        return self.width, self.height

    def draw(self) -> None:
        canvas, look = self.canv, self.look
        canvas.saveState()
        canvas.setFillColor(HexColor(self.badge.fill))
        canvas.decoration(lambda: canvas.roundRect(0, 0, self.width, self.height, look.height * 0.22,
                                                    stroke=0, fill=1))
        canvas.setFillColor(HexColor(self.badge.text_colour))
        canvas.setFont(look.face, look.size)
        # Optically centred: the baseline sits a third of the cap height below the middle (of
        # the block of lines, when the label wraps).
        baseline = self.height / 2 + (len(self.lines) - 1) * look.leading / 2 - look.size * 0.35
        for line in self.lines:
            canvas.drawCentredString(self.width / 2, baseline, line)
            baseline -= look.leading
        canvas.restoreState()


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    level: int  # 0 = top


class HeadingBlock(Tagged, Flowable):
    """A heading paragraph with its badge below it; a bookmark, outline entry and link target.
    The badge's label is drawn inside the heading element, so it is read with the heading.

    Below, not beside: the DOCX and the HTML put the badge on a line of its own under the
    heading (a badge inside a Word heading would be read into the contents and the navigation
    pane), and one design serves all three formats. The heading's text keeps the full width."""

    GAP_EM = 0.3  # space between the heading's last line and the badge, in the heading's size
    # Number, text and badge in one sequence: the heading's /K is a single MCID, which is how
    # heading checkers (pdfua's among them) expect to find a heading's text.
    whole = True
    stuck = False  # set by a Shaded slice around it, which reportlab marks instead

    def __init__(self, paragraph: Paragraph, badge: Badge | None, anchor: str | None,
                 outline: OutlineEntry | None, element: Element | None = None) -> None:
        super().__init__()
        self.element = element
        self.paragraph = paragraph
        self.badge = badge
        self.anchor = anchor
        self.outline = outline

    def wrap(self, available_width, available_height):
        _, text_height = self.paragraph.wrap(available_width, available_height)
        self.width = available_width
        self.height = text_height
        if self.badge:
            self.badge.wrap(available_width, available_height)
            self.height += self._gap() + self.badge.height
        return self.width, self.height

    def _gap(self) -> float:
        return self.paragraph.style.fontSize * self.GAP_EM

    def getSpaceBefore(self):
        return self.paragraph.getSpaceBefore()

    def getSpaceAfter(self):
        return self.paragraph.getSpaceAfter()

    def split(self, available_width, available_height):
        # A heading moves to the next page whole; only one that has already started a page and
        # still does not fit (taller than the page) is split, as a paragraph would be: reportlab
        # stops with a LayoutError when a flowable moved on once fits nowhere and will not split.
        if not (self.stuck or moved_on_in_vain(self)):
            return []
        # Room for the badge too: the last part carries it, and may be the only part on its page.
        badge_room = self._gap() + self.badge.height if self.badge else 0
        parts = self.paragraph.split(available_width, available_height - badge_room)
        if len(parts) < 2:
            return []
        # The anchor and outline entry belong to where the heading starts, the badge to its end.
        last = len(parts) - 1
        return [HeadingBlock(part, self.badge if index == last else None, self.anchor if index == 0 else None,
                             self.outline if index == 0 else None, self.element)
                for index, part in enumerate(parts)]

    def draw(self) -> None:
        canvas = self.canv
        if self.anchor is not None:
            canvas.mark_anchor(self.anchor, self.height)
            if self.outline is not None:
                canvas.addOutlineEntry(self.outline.title, canvas.setup.destinations[self.anchor],
                                       self.outline.level, closed=False)
        self.paragraph.drawOn(canvas, 0, self.height - self.paragraph.height)
        if self.badge:
            # Under the heading, at the margin, as the DOCX and HTML place it.
            self.badge.drawOn(canvas, 0, 0)


def moved_on_in_vain(flowable: Flowable) -> bool:
    """Whether the flowable is at the top of a frame, or was moved on to a new one already, so
    that moving on again cannot make room (reportlab's own marks: `_atTop`, `_postponed`)."""
    frame = getattr(flowable, "_frame", None)
    return bool(getattr(flowable, "_postponed", False) or (frame is not None and frame._atTop))


class LinkedParagraph(Tagged, Flowable):
    """A paragraph that is one internal link as a whole (a glance table's row, a contents line):
    its text drawn as the content of its Link element, and one link annotation over it. Written
    as a link in the paragraph's markup instead, every such paragraph took reportlab's slowest
    way to break and draw lines (issue 18), with an annotation for every line."""

    def __init__(self, paragraph: Paragraph, anchor: str, description: str, element: Element | None) -> None:
        super().__init__()
        self.element = element
        self.paragraph = paragraph
        self.anchor = anchor
        self.description = description

    def wrap(self, available_width, available_height):
        self.width, self.height = self.paragraph.wrap(available_width, available_height)
        return self.width, self.height

    def getSpaceBefore(self):
        return self.paragraph.getSpaceBefore()

    def getSpaceAfter(self):
        return self.paragraph.getSpaceAfter()

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, 0)
        self._link()

    def _link(self) -> None:
        self.canv.link(LinkTarget(None, self.anchor, self.description), (0, 0, self.width, self.height),
                       relative=1, element=self.element)


class ContentsLine(LinkedParagraph):
    """One contents entry: its text, dot leaders, and a page number filled in at the end.
    Text, number and link annotation all belong to the entry's Link element."""

    LEADER_GAP = 6

    def __init__(self, paragraph: Paragraph, anchor: str, number_face: str, number_width: float,
                 colour: str, description: str, element: Element | None = None) -> None:
        super().__init__(paragraph, anchor, description, element)
        self.number_face = number_face
        self.number_width = number_width
        self.colour = colour

    def wrap(self, available_width, available_height):
        text_width = available_width - self.number_width - self.LEADER_GAP
        _, self.height = self.paragraph.wrap(text_width, available_height)
        self.width = available_width
        return self.width, self.height

    def draw(self) -> None:
        canvas, style = self.canv, self.paragraph.style
        self.paragraph.drawOn(canvas, 0, 0)
        lines = self.paragraph.blPara.lines
        baseline = self.height - style.fontSize - max(len(lines) - 1, 0) * style.leading
        # (an entry whose heading prints no words, only a note mark, has no line: leaders from the start)
        last_width = self.paragraph.width - style.rightIndent - _extra_space(lines[-1]) if lines else 0.0
        start = last_width + self.LEADER_GAP
        end = self.width - self.number_width - self.LEADER_GAP
        if end > start:
            canvas.saveState()
            canvas.setStrokeColor(HexColor(self.colour))
            canvas.setLineWidth(0.8)
            canvas.setLineCap(1)
            canvas.setDash([0.01, 3.5])
            canvas.decoration(lambda: canvas.line(start, baseline, end, baseline))
            canvas.restoreState()
        anchor = self.anchor
        canvas.draw_deferred(DeferredText(self.width, baseline, "right", self.number_face, style.fontSize,
                                          self.colour, lambda done: done.label(done.anchor_pages[anchor])))
        self._link()


def _extra_space(line) -> float:
    # reportlab keeps simple lines as (extra space, words) and rich ones as objects.
    return line[0] if isinstance(line, tuple) else line.extraSpace


class Shaded(Flowable):
    """One slice of a shaded box with a rule down its left edge.

    A callout is a run of slices, one per inner flowable, that abut with no space between
    them (the inner spacing is drawn inside the slices), so the box splits across pages
    wherever its content can.
    """

    def __init__(self, inner: Flowable, fill: str | None, rule: str, rule_width: float, padding: float,
                 first: bool, last: bool, margin: float = 0) -> None:
        super().__init__()
        self.margin = margin  # space outside the box, above its first slice and below its last
        self.inner = inner
        self.fill = fill
        self.rule = rule
        self.rule_width = rule_width
        self.padding = padding
        self.first = first
        self.last = last

    def _top(self) -> float:
        return self.padding if self.first else self.inner.getSpaceBefore()

    def _bottom(self) -> float:
        return self.padding if self.last else self.inner.getSpaceAfter()

    def _inner_width(self, available_width: float) -> float:
        return available_width - self.rule_width - 2 * self.padding

    def wrap(self, available_width, available_height):
        self.width = available_width
        _, inner_height = self.inner.wrap(self._inner_width(available_width), available_height)
        self.inner_height = inner_height
        self.height = self._top() + inner_height + self._bottom()
        return self.width, self.height

    def getSpaceBefore(self):
        return max(self.margin, self.inner.getSpaceBefore()) if self.first else 0

    def getSpaceAfter(self):
        return max(self.margin, self.inner.getSpaceAfter()) if self.last else 0

    def split(self, available_width, available_height):
        room = available_height - self._top() - self.padding
        if isinstance(self.inner, HeadingBlock):
            # reportlab marks the slice, not what is inside it (see HeadingBlock.split)
            self.inner.stuck = moved_on_in_vain(self)
        parts = self.inner.split(self._inner_width(available_width), room)
        if not parts:
            return []
        return [Shaded(part, self.fill, self.rule, self.rule_width, self.padding,
                       first=self.first and index == 0, last=self.last and index == len(parts) - 1,
                       margin=self.margin)
                for index, part in enumerate(parts)]

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        if self.fill is not None:  # None: a rule alone (a quotation)
            canvas.setFillColor(HexColor(self.fill))
            canvas.decoration(lambda: canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1))
        canvas.setFillColor(HexColor(self.rule))
        canvas.decoration(lambda: canvas.rect(0, 0, self.rule_width, self.height, stroke=0, fill=1))
        canvas.restoreState()
        self.inner.drawOn(canvas, self.rule_width + self.padding, self._bottom())


__all__ = ["Badge", "BadgeLook", "ContentsLine", "HeadingBlock", "LinkedParagraph", "OutlineEntry", "Shaded", "Tagged", "TaggedParagraph",
           "moved_on_in_vain"]
