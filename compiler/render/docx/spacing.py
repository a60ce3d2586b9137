"""A paragraph's own space before, where what lies above it decides it rather than what the
paragraph is: under a callout box or the cover band (a Word table has no space after of its
own), or first in a box (whose padding is all the space the PDF leaves there); and its own
outline level, where the place it stands in decides it (a callout box's title)."""
from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

from .ooxml import el
from .properties import _PPR_ORDER
from .styles import StyleSheet


def add_space_before(p: etree._Element, sheet: StyleSheet, extra_pt: float) -> None:
    """`extra_pt` more space before the paragraph `p` than its style (or own spacing) gives it."""
    ppr = p.find(qn("w:pPr"))
    node = ppr.find(qn("w:spacing")) if ppr is not None else None
    if node is not None and node.get(qn("w:before")) is not None:
        before = int(node.get(qn("w:before")))
    else:
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        before = sheet.before_twips(style.get(qn("w:val")) if style is not None else None)
    set_space_before(p, before + round(extra_pt * 20))


def set_space_before(p: etree._Element, twips_value: int) -> None:
    """The paragraph's own space before, in twips, whatever its style says."""
    _property(p, "w:spacing").set(qn("w:before"), str(twips_value))


def set_outline_level(p: etree._Element, level: int) -> None:
    """The paragraph's own outline level (heading `level`, 1 to 9: Word's 0 to 8), over its
    style's: a callout box's title is one level under the heading it is under, wherever that is."""
    _property(p, "w:outlineLvl").set(qn("w:val"), str(min(max(level, 1), 9) - 1))


def _property(p: etree._Element, tag: str) -> etree._Element:
    """The paragraph's `tag` property, made in its place in w:pPr's sequence if it has none."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    node = ppr.find(qn(tag))
    if node is None:
        node = el(tag)
        rank = {qn("w:" + name): i for i, name in enumerate(_PPR_ORDER)}
        later = [child for child in ppr if rank.get(child.tag, -1) > rank[node.tag]]
        if later:
            later[0].addprevious(node)
        else:
            ppr.append(node)
    return node
