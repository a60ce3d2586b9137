"""Word tracked changes for a redline (compiler/layout/redline.py): insertions as w:ins, deletions
as w:del with w:delText, whole paragraphs by their paragraph mark, whole table rows by w:trPr,
a glance cell's colour by w:tcPrChange. Every change has the same author and the build date, so
rebuilding gives the same bytes.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Callable, Iterator

from lxml import etree

from ...layout.tracked import DELETE, INSERT, BadgeChange, Change, Tracked
from .ooxml import el, paragraph_properties, qn

_TAGS = {INSERT: "w:ins", DELETE: "w:del"}


class Tracker:
    def __init__(self, author: str, when: date, ids: Iterator[int]):
        self.author = author
        self.date = f"{when.isoformat()}T00:00:00Z"
        self._ids = ids
        self.deleting = 0  # > 0 while writing what only the old version has

    @contextmanager
    def inside(self, change: str) -> Iterator[None]:
        """While writing content tracked as `change` (a deletion's note marks are the old notes')."""
        self.deleting += change == DELETE
        try:
            yield
        finally:
            self.deleting -= change == DELETE

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
            with self.inside(tracked.change):
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

    def close_containers(self, body: etree._Element) -> None:
        """share_last_mark for the body and every table cell, whose last paragraph mark no
        change can remove either (a row only one side has goes whole, so is left alone), and
        likewise for the paragraphs right before each table: no mark can join a table either
        (LibreOffice leaves an empty paragraph there, such as a tracked caption above its table)."""
        for container in [body, *body.iter(qn("w:tc"))]:
            for paragraphs in _paragraph_runs(container):
                self.share_last_mark([(p, change_of(p)) for p in paragraphs])

    def share_last_mark(self, paragraphs: list[tuple[etree._Element, str | None]]) -> list:
        """Paragraphs (each with its change, or None) that end a field's result, such as the
        contents' entries, or a cell or the body, rearranged so their last paragraph mark is
        both sides': else accepting or rejecting every change would leave an empty paragraph
        behind (holding the field's end). Word ends a field it updates with changes tracked so.

        When the last paragraph is tracked, the last one the other side keeps gives up its own
        mark: an unchanged one has its mark tracked like the last one, a changed one joins the
        last one. The shared mark has the current side's properties, the old side's as
        w:pPrChange, so rejecting restores them. (A table in either place is left as it is.)"""
        last, change = paragraphs[-1]
        others = [i for i, (_, other) in enumerate(paragraphs) if other != change]
        if change is None or not others or qn("w:tbl") in (last.tag, paragraphs[others[-1]][0].tag):
            return paragraphs
        at = others[-1]
        kept, kept_change = paragraphs[at]
        new, old = (last, kept) if change == INSERT else (kept, last)
        current, before = _properties_without_mark(new), _properties_without_mark(old)
        if kept_change is None:
            self.mark_paragraph(kept, change)
        else:  # deleted content first, as everywhere in a redline
            content = [child for child in kept if child.tag != qn("w:pPr")]
            if change == INSERT:
                for child in reversed(content):
                    paragraph_properties(last).addnext(child)
            else:
                last.extend(content)
            if kept.getparent() is not None:
                kept.getparent().remove(kept)
            paragraphs = paragraphs[:at] + paragraphs[at + 1:]
        ppr = paragraph_properties(last)
        mark_properties = ppr.find(qn("w:rPr"))
        for child in list(ppr):
            ppr.remove(child)
        ppr.extend(current)
        for tag in _TAGS.values():  # the shared mark is no change
            for mark in mark_properties.findall(qn(tag)) if mark_properties is not None else ():
                mark_properties.remove(mark)
        if mark_properties is not None and len(mark_properties):
            ppr.append(mark_properties)
        if [etree.tostring(node) for node in current] != [etree.tostring(node) for node in before]:
            change_mark = el("w:pPrChange", {"w:id": str(next(self._ids)), "w:author": self.author, "w:date": self.date})
            change_mark.append(el("w:pPr", {}, *before))
            ppr.append(change_mark)
        return paragraphs

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

    def track_gap(self, gap: etree._Element, before: etree._Element, after: etree._Element) -> bool:
        """Tracks the empty paragraph between two tables (callout.gap_between_tables) as the
        version(s) holding both tables have it: inserted where only the current one does, deleted
        where only the old one does. False: no version holds both (one table deleted, the other
        inserted), so no gap belongs there."""
        changes = (change_of(before), change_of(after))
        in_old, in_new = INSERT not in changes, DELETE not in changes
        if in_old != in_new:
            self.mark_paragraph(gap, DELETE if in_old else INSERT)
        return in_old or in_new

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


def _paragraph_runs(container: etree._Element) -> list[list[etree._Element]]:
    """The paragraphs of `container` in runs that its tables separate: each run ends at a table
    or at the container's end, which no paragraph mark can join."""
    runs: list[list[etree._Element]] = [[]]
    for child in container:
        if child.tag == qn("w:p"):
            runs[-1].append(child)
        elif child.tag == qn("w:tbl"):
            runs.append([])
    return [run for run in runs if run]


def change_of(element: etree._Element) -> str | None:
    """A paragraph's tracked change (its mark's), or a table's when every row has the same."""
    if element.tag == qn("w:p"):
        return _change_in(element.find(f"{qn('w:pPr')}/{qn('w:rPr')}"))
    changes = {_change_in(row.find(qn("w:trPr"))) for row in element.findall(qn("w:tr"))}
    return changes.pop() if len(changes) == 1 else None


def _change_in(properties: etree._Element | None) -> str | None:
    for change, tag in _TAGS.items():
        if properties is not None and properties.find(qn(tag)) is not None:
            return change
    return None


def _properties_without_mark(p: etree._Element) -> list[etree._Element]:
    """Copies of a paragraph's properties, without its mark's (w:rPr, where a change is tracked)."""
    return [_copy(node) for node in paragraph_properties(p) if node.tag != qn("w:rPr")]


def _copy(node: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(node))
