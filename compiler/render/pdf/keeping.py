"""Keeping flowables together across a page break: a heading with the start of what follows it
(`KeepWithNext`, put before every run of headings by `keep_headings_with_next`), and the end of
a text with what ends it (`WithPrevious`). reportlab's own keepWithNext moves whole flowables.
"""
from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import CondPageBreak, UseUpSpace

from .flowables import HeadingBlock, Shaded, moved_on_in_vain


class KeepWithNext(CondPageBreak):
    """Starts a new page unless the headings and the first lines after them fit here.

    reportlab's keepWithNext would move a heading together with the whole of the next
    paragraph; a heading only needs to carry the start of it: two lines, or all of a
    paragraph too short to split (widow and orphan control keep three lines together).
    """

    def __init__(self, headings: list[Flowable], follower: Flowable | None, follower_room: float,
                 carried: tuple[Flowable, ...] = ()) -> None:
        super().__init__(0)
        self.headings = headings
        self.follower = follower
        self.follower_room = follower_room
        # What comes between the headings and the follower and goes with the follower whole
        # (a table's caption): it moves with the heading too.
        self.carried = carried

    def wrap(self, available_width, available_height):
        frame = self._doctemplateAttr("frame")
        need = self._space_above(frame)
        for index, heading in enumerate(self.headings):
            need += heading.wrap(available_width, available_height)[1] + heading.getSpaceAfter()
            if index:
                need += heading.getSpaceBefore()
        for flowable in self.carried:
            need += flowable.getSpaceBefore() + flowable.wrap(available_width, available_height)[1]
        if self.follower is not None:
            need += self.follower.getSpaceBefore() + self._follower_start(available_width, available_height)
        full = frame._aH if frame is not None else available_height
        # A follower taller than this moves on alone: better than a page left mostly empty. A
        # box kept whole is not: the heading goes with all of it.
        self.height = min(need, full if getattr(self.follower, "kept", False) else full * 0.6)
        return super().wrap(available_width, available_height)

    def _space_above(self, frame) -> float:
        """The first heading's space before, as the frame will leave it: none at the top of a
        frame, else all of it (this flowable, placed between, leaves no space after of its own
        for the frame to overlap the heading's space before with)."""
        if frame is None or getattr(frame, "_atTop", True):
            return 0.0
        return self.headings[0].getSpaceBefore()

    def _follower_start(self, available_width: float, available_height: float) -> float:
        height = self.follower.wrapOn(self.canv, available_width, available_height)[1]
        inner = self.follower.inner if isinstance(self.follower, Shaded) else self.follower
        if isinstance(inner, Paragraph):
            lines = len(inner.blPara.lines)
            return height if lines <= 3 else height - (lines - 2) * inner.style.leading
        start = getattr(inner, "start_height", None)  # a captioned table: its caption and first rows
        return min(height, start() if start else self.follower_room)


class WithPrevious(Flowable):
    """A flowable that ends the one before it (a "Detailed findings" link) drawn together with it.

    reportlab's keepWithNext would move the whole of the text above to the next page; here only
    its end goes along: the text above splits as it would alone (widow control leaves at least
    two lines for the next page) and its last part carries the follower."""

    def __init__(self, previous: Flowable, follower: Flowable) -> None:
        super().__init__()
        self.previous = previous
        self.follower = follower

    def _gap(self) -> float:
        # What a frame puts between two flowables: the larger of the two spaces.
        return max(self.previous.getSpaceAfter(), self.follower.getSpaceBefore())

    def wrap(self, available_width, available_height):
        _, self.previous_height = self.previous.wrap(available_width, available_height)
        _, follower_height = self.follower.wrap(available_width, available_height)
        self.width = available_width
        self.height = self.previous_height + self._gap() + follower_height
        return self.width, self.height

    def getSpaceBefore(self):
        return self.previous.getSpaceBefore()

    def getSpaceAfter(self):
        return self.follower.getSpaceAfter()

    def split(self, available_width, available_height):
        parts = self.previous.split(available_width, available_height)
        if len(parts) < 2:
            # Moves on whole; only what fits on no page at all is let go as two flowables.
            return [self.previous, self.follower] if moved_on_in_vain(self) else []
        return [*parts[:-1], WithPrevious(parts[-1], self.follower)]

    def drawOn(self, canvas, x, y, _sW=0):
        self.previous.drawOn(canvas, x, y + self.height - self.previous_height, _sW)
        self.follower.drawOn(canvas, x, y, _sW)


class LeadIn(WithPrevious):
    """A paragraph that introduces a list ("... by:") drawn together with the list's first item,
    so that it never ends a page with its list overleaf. In a box, the two are its slices
    (`Shaded`), kept together as they are drawn apart; they abut there, as slices do."""

    def _gap(self) -> float:
        return self.previous.getSpaceAfter() + self.follower.getSpaceBefore()

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        return [*parts[:-1], type(self)(parts[-1].previous, parts[-1].follower)] if (
            parts and isinstance(parts[-1], WithPrevious)) else parts

    def start_height(self) -> float:
        """What a heading above must carry along (`KeepWithNext`): the paragraph's first two lines
        when it is long enough to split, else all of it with the item."""
        inner = self.previous.inner if isinstance(self.previous, Shaded) else self.previous
        lines = getattr(getattr(inner, "blPara", None), "lines", None)
        if isinstance(inner, Paragraph) and lines and len(lines) > 3:
            return self.previous_height - (len(lines) - 2) * inner.style.leading
        return self.height


class ListEnd(LeadIn):
    """A list's last item and what comes before it: a one-line last item never heads a page
    alone (a widow); a longer one goes its own way, as if not kept."""

    def _widow(self) -> bool:
        inner = self.follower.inner if isinstance(self.follower, Shaded) else self.follower
        return isinstance(inner, Paragraph) and len(inner.blPara.lines) == 1

    def start_height(self) -> float:
        return super().start_height() if self._widow() else min(super().start_height(), self.previous_height)

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        if self._widow():
            return super().split(available_width, available_height)
        if self.previous_height <= available_height:
            return [self.previous, self.follower]
        parts = self.previous.split(available_width, available_height)
        return [*parts, self.follower] if parts else []


def pieces(flowable: Flowable) -> list[Flowable]:
    """What a LeadIn (or a ListEnd) keeps together, one by one: a box's slices."""
    return pieces(flowable.previous) + pieces(flowable.follower) if isinstance(flowable, LeadIn) else [flowable]


def kept_again(flowable: Flowable, slices) -> Flowable:
    """`flowable` with its `pieces` the next of `slices`, kept together as before."""
    if isinstance(flowable, LeadIn):
        return type(flowable)(kept_again(flowable.previous, slices), kept_again(flowable.follower, slices))
    return next(slices)


# How much of a page a box may fill and still be kept whole. A cause of concern (a concern and
# the recommendations that answer it, read as one) up to most of a page: the rest is room for its
# question's heading, which goes along. Other boxes (areas for improvement, a `callout:`) up to
# 40%, so moving one on never leaves much of a page empty.
KEPT_SHARE = {"cause-of-concern": 0.8}
KEPT_SHARE_OTHERWISE = 0.4


def kept_share(role: str) -> float:
    return KEPT_SHARE.get(role, KEPT_SHARE_OTHERWISE)


class KeptTogether(Flowable):
    """The slices of a box (`flowables.Shaded`) kept on one page when the box is short enough
    (`kept_share`): a cause of concern a third of a page tall is read whole, never with its last
    recommendation overleaf. A taller box splits between (and inside) its slices, where it is, its
    headings kept with what follows them.

    A short box that does not fit where it is moves on whole. A heading before it is kept with
    all of it (`KeepWithNext` takes `start_height`), so the move never leaves the heading behind."""

    def __init__(self, slices: list[Shaded], share: float, follower_room: float, key: object,
                 kept_keys: set) -> None:
        super().__init__()
        self.slices = slices
        self.share = share  # of the frame's height
        self.follower_room = follower_room  # for the headings inside, once split (keep_headings_with_next)
        self.key, self.kept_keys = key, kept_keys  # the box's key goes into kept_keys when it is kept
        self.kept = True

    def wrap(self, available_width, available_height):
        self.heights = [piece.wrap(available_width, available_height)[1] for piece in self.slices]
        self.width, self.height = available_width, sum(self.heights)
        frame = self._doctemplateAttr("frame")  # (wrapped on a canvas: by the frame, or KeepWithNext)
        self.kept = frame is None or self.height <= frame._aH * self.share
        (self.kept_keys.add if self.kept else self.kept_keys.discard)(self.key)
        return self.width, self.height

    def start_height(self) -> float:
        """What must fit below a heading for the box to stay with it: all of a short box."""
        return self.height if self.kept else min(self.height, self.heights[0])

    def getSpaceBefore(self):
        return self.slices[0].getSpaceBefore()

    def getSpaceAfter(self):
        return self.slices[-1].getSpaceAfter()

    def split(self, available_width, available_height):
        if self.kept and not moved_on_in_vain(self):
            return []  # moves on to the next page whole
        return keep_headings_with_next(list(self.slices), self.follower_room)

    def drawOn(self, canvas, x, y, _sW=0):
        top = y + self.height
        for piece, height in zip(self.slices, self.heights):
            top -= height
            piece.drawOn(canvas, x, top, _sW)


def is_heading(flowable: Flowable) -> bool:
    if isinstance(flowable, Shaded):
        return isinstance(flowable.inner, HeadingBlock)
    return isinstance(flowable, HeadingBlock)


def keep_headings_with_next(flowables: list[Flowable], follower_room: float) -> list[Flowable]:
    """Puts a KeepWithNext before every run of headings."""
    out: list[Flowable] = []
    index = 0
    while index < len(flowables):
        if not is_heading(flowables[index]):
            out.append(flowables[index])
            index += 1
            continue
        end = index
        while end < len(flowables) and is_heading(flowables[end]):
            end += 1
        after = end
        while after + 1 < len(flowables) and _has_size(flowables[after]) and flowables[after].getKeepWithNext():
            after += 1  # a caption and what it captions: the heading needs the start of the table
        follower = flowables[after] if after < len(flowables) and _has_size(flowables[after]) else None
        out.append(KeepWithNext(flowables[index:end], follower, follower_room, tuple(flowables[end:after])))
        out.extend(flowables[index:end])
        index = end
    return out


def _has_size(flowable: Flowable) -> bool:
    return not isinstance(flowable, (CondPageBreak, ActionFlowable, UseUpSpace))
