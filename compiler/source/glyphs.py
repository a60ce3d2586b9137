"""Characters the style's fonts lack, and right-to-left text, warned about where they were written.

A character neither its face nor any of the style's fallback fonts has a glyph for prints as an
empty box (a PDF build turns the warning into an error: `glyphcoverage.pdf_refuses`). The source
stage knows where each character of a text was written (`Scalar.position`), so it warns here, at
the character's own LINE:COL, once per character and text field; `reportc validate` reports it, not only `build`.
Each character is judged against the face its markup sets it in: `**bold**` in the bold face,
`*italic*` in the italic one, the rest in the regular face. (Where the layout sets a whole text
in bold, as a heading, the PDF renderer checks that face and reports what is left.)
Right-to-left text (Arabic, Hebrew) is warned about once per text field, at its first letter: the
PDF renderer cannot order and join it, so a PDF build refuses it; its letters are not also
reported as missing glyphs.

Fast path: the distinct characters of a text are looked up once per report; only a text holding
a character some face lacks is walked character by character.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from ..diagnostics import Diagnostics
from ..model import Block, Emph, Inline, Inlines, Link, Strong, Text, text_parts
from ..style.glyphcoverage import (Coverage, coverage, fallback_runs, is_drawn, is_right_to_left,
                                   missing_glyph_message, right_to_left_message)
from ..style.types import Fonts
from .yamltree import Scalar

Face = tuple[bool, bool]  # (bold, italic)
REGULAR: Face = (False, False)
_NOT_DRAWN = None  # markup syntax and link targets: in the source, never printed


class SourceGlyphs:
    """Checks the source's text fields against the style's four faces and its fallback fonts."""

    def __init__(self, fonts: Fonts, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        self.faces: dict[Face, Coverage] = {}
        for face, path in (((False, False), fonts.regular), ((True, False), fonts.bold),
                           ((False, True), fonts.italic), ((True, True), fonts.bold_italic)):
            covered = coverage(path)
            if covered is not None:  # unknown coverage: the renderer's check speaks for it
                self.faces[face] = covered
        self.fallback = fallback_runs(fonts)  # sets what a face lacks in a fallback font that has it
        self._lacking: dict[str, frozenset[Face]] = {}
        self._fine: set[str] = set()  # characters every face prints, left to right: one set difference per field

    def lacking(self, char: str) -> frozenset[Face]:
        """The faces that have no glyph for `char` (none for characters never drawn)."""
        found = self._lacking.get(char)
        if found is None:
            code = ord(char)
            drawn = is_drawn(char) and not is_right_to_left(char)  # right to left: reported as such
            found = frozenset(face for face, covered in self.faces.items() if drawn and code not in covered)
            if found and self.fallback.font_of(char) is not None:
                found = frozenset()
            self._lacking[char] = found
        return found

    def plain(self, node: Scalar) -> None:
        """A field printed as written, in the regular face."""
        self._check(node, lambda: ((char, REGULAR) for char in node.value))

    def inline(self, node: Scalar, content: Inlines) -> None:
        """A one-paragraph field, parsed from its value with line breaks made spaces."""
        self._check(node, lambda: _characters(content, REGULAR))

    def blocks(self, node: Scalar, blocks: Iterable[Block]) -> None:
        """Block text: paragraphs, list items and sub-headings, in the order written."""
        def characters() -> Iterator[tuple[str, Face | None]]:
            for block in blocks:
                for part in text_parts(block):
                    yield from _characters(part.content, REGULAR)
        self._check(node, characters)

    def _check(self, node: Scalar, characters) -> None:
        distinct = set(node.value) - self._fine
        if not distinct:
            return
        missing = {char for char in distinct if self.lacking(char)}
        right_to_left = {char for char in distinct if is_right_to_left(char)}
        self._fine |= distinct - missing - right_to_left
        if not missing and not right_to_left:
            return
        watched = missing | right_to_left
        occurrences = _occurrences(node.value, watched)
        seen: dict[str, int] = dict.fromkeys(watched, 0)
        reported: set[str] = set()
        for char, face in characters():
            if char not in watched or char in reported:
                continue
            index, seen[char] = seen[char], seen[char] + 1
            if face is _NOT_DRAWN:
                continue
            if char in right_to_left:  # once per field: the first letter printed
                reported |= right_to_left
                self.diagnostics.warning(node.position(_offset(occurrences[char], index)),
                                         right_to_left_message(char))
            elif face in self.lacking(char):
                reported.add(char)
                self.diagnostics.warning(node.position(_offset(occurrences[char], index)),
                                         missing_glyph_message(char))


def _occurrences(value: str, chars: set[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {char: [] for char in chars}
    for offset, char in enumerate(value):
        if char in found:
            found[char].append(offset)
    return found


def _offset(offsets: list[int], index: int) -> int:
    """The value offset of a character's `index`-th use in the parsed text. Parsing keeps every
    character of the value but markers, white space and the joins between lines, so the uses line
    up; where they cannot (a marker made of the character itself), the first use is shown."""
    return offsets[index] if index < len(offsets) else offsets[0]


def _characters(content: Inlines, face: Face) -> Iterator[tuple[str, Face | None]]:
    """Every character of the parsed text in order, markup syntax included, with the face it
    is printed in (None for syntax and link targets, which are never printed)."""
    for node in content:
        yield from _node_characters(node, face)


def _node_characters(node: Inline, face: Face) -> Iterator[tuple[str, Face | None]]:
    if isinstance(node, Text):
        for char in node.text:
            yield char, face
    elif isinstance(node, Strong):
        yield from _syntax("**")
        yield from _characters(node.children, (True, face[1]))
        yield from _syntax("**")
    elif isinstance(node, Emph):
        yield from _syntax("*")
        yield from _characters(node.children, (face[0], True))
        yield from _syntax("*")
    elif isinstance(node, Link):
        yield from _syntax("[")
        yield from _characters(node.children, face)
        yield from _syntax("](" + node.target + ")")


def _syntax(text: str) -> Iterator[tuple[str, None]]:
    for char in text:
        yield char, _NOT_DRAWN
