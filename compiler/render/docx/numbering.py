"""numbering.xml: real list definitions, so Word numbers the items and a reader can renumber.

Two abstract definitions (bullets, decimal numbers) and one list instance per ordered list,
each with a start override: that is how Word itself restarts numbering, so the
recommendations of every cause of concern count from 1 again.
"""
from __future__ import annotations

from lxml import etree

from ...style.types import Style
from .ooxml import el, hex_colour, twips
from .styles import BULLET_NUM_ID, LIST_INDENT_MM, NUMBER_NUM_ID

_BULLET_ABSTRACT = 0
_NUMBER_ABSTRACT = 1
_BULLETS = ("\u2022", "\u2013", "\u25aa")
LEVELS = 3


class Numbering:
    def __init__(self, style: Style):
        self.style = style
        self._restarts: list[tuple[int, int, int]] = []  # (num id, level, start)

    def restart(self, level: int, start: int) -> int:
        """A new list instance counting from `start`; returns its w:numId."""
        num_id = NUMBER_NUM_ID + 1 + len(self._restarts)
        self._restarts.append((num_id, level, start))
        return num_id

    def element(self) -> etree._Element:
        root = el("w:numbering")
        root.append(_abstract(_BULLET_ABSTRACT, "bullet", self.style))
        root.append(_abstract(_NUMBER_ABSTRACT, "decimal", self.style))
        root.append(_num(BULLET_NUM_ID, _BULLET_ABSTRACT))
        root.append(_num(NUMBER_NUM_ID, _NUMBER_ABSTRACT))
        for num_id, level, start in self._restarts:
            num = _num(num_id, _NUMBER_ABSTRACT)
            num.append(el("w:lvlOverride", {"w:ilvl": str(level)},
                          el("w:startOverride", {"w:val": str(start)})))
            root.append(num)
        return root


def _num(num_id: int, abstract_id: int) -> etree._Element:
    return el("w:num", {"w:numId": str(num_id)}, el("w:abstractNumId", {"w:val": str(abstract_id)}))


def _abstract(abstract_id: int, kind: str, style: Style) -> etree._Element:
    # A fixed nsid keeps the output deterministic; Word only needs it unique within the file.
    node = el("w:abstractNum", {"w:abstractNumId": str(abstract_id)},
              el("w:nsid", {"w:val": f"5250{abstract_id:04X}"}),
              el("w:multiLevelType", {"w:val": "hybridMultilevel"}))
    for level in range(LEVELS):
        node.append(_level(level, kind, style))
    return node


def _level(level: int, kind: str, style: Style) -> etree._Element:
    bullet = kind == "bullet"
    text = _BULLETS[level] if bullet else f"%{level + 1}."
    lvl = el("w:lvl", {"w:ilvl": str(level)},
             el("w:start", {"w:val": "1"}),
             el("w:numFmt", {"w:val": "bullet" if bullet else "decimal"}),
             el("w:lvlText", {"w:val": text}),
             el("w:lvlJc", {"w:val": "left"}),
             el("w:pPr", {}, el("w:ind", {"w:left": twips(LIST_INDENT_MM * (level + 1)),
                                          "w:hanging": twips(LIST_INDENT_MM)})))
    if bullet:
        family = style.fonts.family
        lvl.append(el("w:rPr", {}, el("w:rFonts", {"w:ascii": family, "w:hAnsi": family, "w:hint": "default"}),
                      el("w:color", {"w:val": hex_colour(style.colours.accent)})))
    return lvl
