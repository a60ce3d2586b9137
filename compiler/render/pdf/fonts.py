"""The style's four TrueType faces, registered with reportlab once per process.

Only embedded TrueType fonts ever reach the PDF: every text-drawing call names one of these
faces, and the canvas starts on the regular face so reportlab never writes its Helvetica
preamble. The style's fallback fonts are registered beside them: a run of characters the four
faces lack is set in the first fallback font that has them (`FontSet.runs`), in paragraphs
(`markup.text_markup`) and in what is drawn straight onto the page (`FontSet.draw_text`). A
character no font has is reported, never drawn as a silent box: an error unless the build allows it.
"""
from __future__ import annotations

import hashlib
import weakref
from dataclasses import field
from typing import Iterable
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...diagnostics import Diagnostics, Span
from ...style.glyphcoverage import (FORMAT_CONTROLS, FallbackRuns, is_drawn, is_right_to_left,
                                    is_right_to_left_message, missing_glyph_message, reported_character,
                                    right_to_left_message)
from ...style.types import Fonts
from ...records import dataclass


@dataclass(frozen=True)
class FontSet:
    """reportlab's names for the four faces of one family."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallbacks: tuple[str, ...] = ()  # the fallback fonts' names, in the style's order
    splitter: FallbackRuns = field(default_factory=lambda: FallbackRuns((), ()), compare=False, repr=False)

    def face(self, bold: bool = False, italic: bool = False) -> str:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        return self.italic if italic else self.regular

    def runs(self, text: str) -> Iterable[tuple[str, str | None]]:
        """`text` in runs, each with the fallback font it is set in (`glyphcoverage.FallbackRuns`),
        or None for the family's own faces."""
        return self.splitter.named(text, self.fallbacks)

    def width(self, text: str, face: str, size: float) -> float:
        return sum(pdfmetrics.stringWidth(run, font or face, size) for run, font in self.runs(text))

    def draw_text(self, canvas, x: float, y: float, text: str, face: str, size: float,
                  align: str = "left") -> None:
        """`text` drawn straight onto the canvas, each run in its font; `align` says where `x` is."""
        x -= {"left": 0, "right": 1, "centre": 0.5}[align] * self.width(text, face, size)
        for run, font in self.runs(text):
            canvas.setFont(font or face, size)
            canvas.drawString(x, y, run)
            x += pdfmetrics.stringWidth(run, font or face, size)
        canvas.setFont(face, size)


_MEASURED_TEXTS = 200_000  # per face and size; about 20 MB at most


class SubsetFont(TTFont):
    """reportlab's TTFont, with its commonest case made fast: text whose every character already
    has a code in the font's first subset is mapped in one C call (`str.translate`) instead of a
    Python loop over its characters, the largest single cost of drawing text. Anything else (a
    character seen for the first time, or coded in a later subset) goes through reportlab's own
    `splitString`, which assigns the codes: the PDF's bytes are the same either way."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._widths: dict[float, dict[str, float]] = {}  # see widths_at
        self._last_state: tuple | None = None  # see _state_of
        # Format controls the font has no glyph for are not drawn, nor measured: reportlab
        # would print each as an empty box (PDF/UA forbids them) the width of one.
        self._unprinted = {ord(char): None for char in FORMAT_CONTROLS if ord(char) not in self.face.charToGlyph}

    def _printed(self, text):
        return text.translate(self._unprinted) if isinstance(text, str) and not text.isascii() else text

    def stringWidth(self, text, size, encoding="utf8"):
        widths = self.widths_at(size)
        width = widths.get(text)
        if width is None:
            width = widths[text] = super().stringWidth(self._printed(text), size, encoding)
        return width

    def widths_at(self, size: float) -> dict[str, float]:
        """Every text measured at `size` so far, and its width: line breaking measures each word
        of a paragraph, and most words come again and again (a report's 1.7 million characters
        are some 20,000 different words). Emptied when it grows past its bound, as in `watch`."""
        widths = self._widths.get(size)
        if widths is None or len(widths) > _MEASURED_TEXTS:
            widths = self._widths[size] = {}
        return widths

    def splitString(self, text, doc, encoding="utf-8"):
        text = self._printed(text)
        coded = self._first_subset_codes(text, doc)
        if coded is not None:
            return [(0, coded)]
        return super().splitString(text, doc, encoding)

    def first_subset_codes(self, text: str, doc) -> bytes | None:
        """`text`'s codes when every character of it is coded in the first subset already (what
        `splitString` gives as its one piece), else None."""
        return self._first_subset_codes(self._printed(text), doc)

    def _first_subset_codes(self, text, doc) -> bytes | None:
        if not text or not isinstance(text, str):
            return None
        state = self._state_of(doc)
        if state is None:
            return None
        first = getattr(state, "reportc_first_subset", None)
        if first is None or first.assigned != len(state.assignments):
            first = state.reportc_first_subset = _FirstSubset(state.assignments)
        if first.characters.issuperset(text):
            return text.translate(first.codes).encode("latin-1")
        return None

    def _state_of(self, doc):
        """reportlab's codes for this font in `doc` (None before its first text there). The last
        document's is kept beside it, weakly: looking it up in reportlab's weak dictionary on
        every line drawn made a weak reference each time."""
        last = self._last_state
        if last is not None and last[0]() is doc:
            return last[1]
        state = self.state.get(doc)
        if state is not None:
            self._last_state = (weakref.ref(doc), state)
        return state


class _FirstSubset:
    """The characters with a code in subset 0 of one font in one document, and those codes."""

    def __init__(self, assignments: dict[int, int]) -> None:
        self.assigned = len(assignments)
        self.codes = {char: chr(code) for char, code in assignments.items() if code < 256}
        if 32 in self.codes:  # reportlab draws a no-break space as a space
            self.codes[0xA0] = self.codes[32]
        self.characters = frozenset(map(chr, self.codes))


@dataclass(frozen=True)
class FontFailure:
    """A face reportlab could not read, and why, in words for the person who chose the font."""

    path: Path
    reason: str


def register_fonts(fonts: Fonts, diagnostics: Diagnostics, style_files: tuple[Path, ...] = ()) -> FontSet | None:
    """The style's faces registered, or None with an error naming the font file and the style.

    The style loader checks every font whole first (`style.fontcheck`), so this is the last
    guard: whatever reportlab still fails on is the font's fault, never "internal error"."""
    registered = _register(fonts.regular.resolve(), fonts.bold.resolve(), fonts.italic.resolve(),
                           fonts.bold_italic.resolve(), tuple(font.path.resolve() for font in fonts.fallback))
    if isinstance(registered, FontSet):
        return registered
    named_in = f" (named in the style '{_shown(style_files[0])}')" if style_files else ""
    diagnostics.error(Span(_shown(registered.path)),
                      f"font '{registered.path.name}'{named_in} cannot be read by the PDF renderer "
                      f"({registered.reason}); replace it with a complete copy of the font")
    return None


def _shown(path: Path) -> str:
    """A path as diagnostics show files: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@lru_cache(maxsize=None)
def _register(regular: Path, bold: Path, italic: Path, bold_italic: Path,
              fallback: tuple[Path, ...]) -> FontSet | FontFailure:
    # The family name is derived from the paths, so two styles that name different
    # files never share a registration, and the same files are parsed once per process
    # (a font that fails is remembered too, so it is not parsed again for every report).
    paths = (regular, bold, italic, bold_italic, *fallback)
    digest = hashlib.sha1("\0".join(map(str, paths)).encode()).hexdigest()[:8]
    family = f"rc{digest}"
    names = FontSet(family, f"{family}-R", f"{family}-B", f"{family}-I", f"{family}-BI",
                    tuple(f"{family}-F{index}" for index in range(len(fallback))),
                    FallbackRuns((regular, bold, italic, bold_italic), fallback))
    for name, path in zip((names.regular, names.bold, names.italic, names.bold_italic, *names.fallbacks), paths):
        try:
            pdfmetrics.registerFont(SubsetFont(name, str(path)))
        except Exception as error:  # TTFError, struct.error, IndexError, MemoryError...: a bad font
            return FontFailure(path, _reason(error))
    # <b> and <i> in paragraph markup map onto the family's own faces, never a base-14 one.
    addMapping(family, 0, 0, names.regular)
    addMapping(family, 1, 0, names.bold)
    addMapping(family, 0, 1, names.italic)
    addMapping(family, 1, 1, names.bold_italic)
    for name in (names.regular, names.bold, names.italic, names.bold_italic):
        addMapping(name, 0, 0, names.regular)
        addMapping(name, 1, 0, names.bold)
        addMapping(name, 0, 1, names.italic)
        addMapping(name, 1, 1, names.bold_italic)
    for name in names.fallbacks:  # one face each: bold and italic text in it stays in that face
        for bold_flag, italic_flag in ((1, 1), (0, 1), (1, 0), (0, 0)):  # (0, 0) last: what <font> reads back
            addMapping(name, bold_flag, italic_flag, name)
    return names


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    text = text if len(text) <= 120 else text[:119] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@lru_cache(maxsize=None)
def _coverage(face: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(face).face.charToGlyph)


class GlyphCheck:
    """Reports once per character, face and source span a glyph no font of the style has (an
    error, as PDF/UA forbids the empty box, unless the build allows it), and right-to-left text,
    which the PDF cannot lay out (always an error).

    The source stage (`source.glyphs`) already reported the source's own characters where they
    were written; a character it (or an earlier check) reported is not reported again, so what
    is left is text the source did not hold as written: labels, and faces the layout chooses (a
    heading set in bold)."""

    def __init__(self, fonts: FontSet, diagnostics: Diagnostics, allow_missing_glyphs: bool = False) -> None:
        self._fonts = fonts
        self._diagnostics = diagnostics
        self._report = diagnostics.warning if allow_missing_glyphs else diagnostics.error
        self._reported: set[tuple[str, str, Span]] = set()
        self._fine: dict[str, set[str]] = {}  # per face: characters that need no report
        self._already = {reported_character(item.message) for item in diagnostics.items} - {None}
        self._right_to_left_reported = any(is_right_to_left_message(item.message) for item in diagnostics.items)

    def check(self, text: str, span: Span, bold: bool = False, italic: bool = False) -> None:
        face = self._fonts.face(bold, italic)
        covered, splitter = _coverage(face), self._fonts.splitter
        fine = self._fine.setdefault(face, set())  # known to print: most text is only these
        for char in sorted(set(text).difference(fine)):
            if is_right_to_left(char):
                if not self._right_to_left_reported:
                    self._right_to_left_reported = True
                    self._diagnostics.error(span, right_to_left_message(char))
                continue
            if (ord(char) in covered or splitter.font_of(char) is not None or not is_drawn(char)
                    or char in self._already):
                fine.add(char)
                continue
            key = (char, face, span)
            if key in self._reported:
                continue
            self._reported.add(key)
            self._report(span, missing_glyph_message(char))
