"""Word tracked changes for a redline (compiler/layout/redline.py): insertions as w:ins, deletions
as w:del with w:delText, whole paragraphs by their paragraph mark, whole table rows by w:trPr,
a glance cell's colour by w:tcPrChange. Every change has the same author and the build date, so
rebuilding gives the same bytes.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Callable, Iterator

from lxml import etree

from ...layout.redline import DELETE, INSERT, BadgeChange, Change, Tracked
from .ooxml import el, paragraph_properties, qn

_TAGS = {INSERT: "w:ins", DELETE: "w:del"}


class Tracker:
    def __init__(self, author: str, when: date, ids: Iterator[int]):
        self.author = author
        self.date = f"{when.isoformat()}T00:00:00Z"
        self._ids = ids

    def mark(self, change: str) -> etree._Element:
        return el(_TAGS[change], {"w:id": str(next(self._ids)), "w:author": self.author, "w:date": self.date})

    # ---- runs --------------------------------------------------------------------------

    def wrap(self, elements: list[etree._Element], change: str) -> list[etree._Element]:
        """Runs (and hyperlinks, whose runs are wrapped inside them) as tracked content."""
        out = []
        for element in elements:
            if element.tag == qn("w:r"):
                out.append(self._wrapped_run(element, change))
            else:
                for run in element.findall(qn("w:r")):
                    self._wrapped_run(run, change)
                out.append(element)
        return out

    def _wrapped_run(self, run: etree._Element, change: str) -> etree._Element:
        if change == DELETE:
            for tag, deleted in (("w:t", "w:delText"), ("w:instrText", "w:delInstrText")):
                for text in run.iter(qn(tag)):
                    text.tag = qn(deleted)
        wrapper = self.mark(change)
        if run.getparent() is not None:
            run.addprevious(wrapper)  # in place: the run then moves into its mark
        wrapper.append(run)
        return wrapper

    # ---- whole paragraphs, rows and tables ---------------------------------------------

    def add(self, builder, tracked: Tracked, target, add: Callable) -> None:
        """A block only one side of a redline has, through `add(block, target)`: every paragraph
        and row it writes is tracked; a deleted one is no source of the draft, so not traced."""
        sourcemap = builder.sourcemap
        if tracked.change == DELETE:
            builder.sourcemap = None
        try:
            add(tracked.block, self.target(target, tracked.change))
        finally:
            builder.sourcemap = sourcemap

    def target(self, target, change: str):
        """`target` (a document._Target) whose every appended element is tracked as `change`."""
        return replace(target, append=lambda element: target.append(self.track(element, change)))

    def track(self, element: etree._Element, change: str) -> etree._Element:
        paragraphs = [element] if element.tag == qn("w:p") else list(element.iter(qn("w:p")))
        for tr in element.iter(qn("w:tr")):
            self.track_row(tr, change)
        for p in paragraphs:
            self.track_paragraph(p, change)
        if change == DELETE:  # a deleted block is no link target and no source-map mark
            for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
                for bookmark in list(element.iter(qn(tag))):
                    bookmark.getparent().remove(bookmark)
        return element

    def track_paragraph(self, p: etree._Element, change: str) -> None:
        for child in list(p):
            if child.tag in (qn("w:r"), qn("w:hyperlink")):
                self.wrap([child], change)  # in place
        self.mark_paragraph(p, change)

    def mark_paragraph(self, p: etree._Element, change: str) -> None:
        ppr = paragraph_properties(p)
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, qn("w:rPr"))
        if rpr.find(qn(_TAGS[change])) is None:
            rpr.append(self.mark(change))

    def track_row(self, tr: etree._Element, change: str) -> None:
        tr_pr = tr.find(qn("w:trPr"))
        if tr_pr is None:
            tr_pr = etree.Element(qn("w:trPr"))
            tr.insert(0, tr_pr)
        if tr_pr.find(qn(_TAGS[change])) is None:
            tr_pr.append(self.mark(change))

    def add_line(self, p: etree._Element, content, add_inlines: Callable) -> None:
        """A cover line with its changes; one that only one side has is inserted or deleted
        with its paragraph mark."""
        add_inlines(p, content)
        changes = {node.change if isinstance(node, Change) else None for node in content}
        if len(changes) == 1 and None not in changes:
            self.mark_paragraph(p, changes.pop())

    # ---- grades ------------------------------------------------------------------------

    def badge_paragraph(self, badge: BadgeChange, make: Callable) -> etree._Element:
        """A grade badge whose grade changed: the old label deleted, the new one inserted."""
        if badge.new is None or badge.old is None:
            change = INSERT if badge.old is None else DELETE
            return self.track(make(badge.new or badge.old), change)
        p, old = make(badge.new), make(badge.old)
        self._replace_runs(p, old)
        return p

    def glance_grade(self, cell: etree._Element, badge: BadgeChange, write: Callable) -> None:
        """A glance-table grade cell whose grade changed: its label replaced and its colour
        changed (w:tcPrChange keeps the old fill, so rejecting restores it)."""
        old_cell = el("w:tc", {}, el("w:tcPr"))
        write(old_cell, badge.old)
        write(cell, badge.new)
        self._replace_runs(cell.find(qn("w:p")), old_cell.find(qn("w:p")))
        tc_pr = cell.find(qn("w:tcPr"))
        old_pr = el("w:tcPr", {}, *[_copy(node) for node in tc_pr if node.tag != qn("w:shd")])
        old_pr.extend(old_cell.find(qn("w:tcPr")).findall(qn("w:shd")))
        change = el("w:tcPrChange", {"w:id": str(next(self._ids)), "w:author": self.author, "w:date": self.date})
        change.append(old_pr)
        tc_pr.append(change)

    def _replace_runs(self, p: etree._Element, old: etree._Element) -> None:
        deleted = self.wrap(old.findall(qn("w:r")), DELETE)
        self.wrap(p.findall(qn("w:r")), INSERT)
        first = p.find(qn(_TAGS[INSERT]))
        for node in deleted:
            first.addprevious(node)


def each(builder, items, target, add: Callable) -> None:
    """`add(item, target)` for each of a list's entries or a table's rows; one that only one side
    of a redline has goes through the builder's Tracker."""
    for item in items:
        if isinstance(item, Tracked):
            builder.tracker.add(builder, item, target, add)
        else:
            add(item, target)


def _copy(node: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(node))
