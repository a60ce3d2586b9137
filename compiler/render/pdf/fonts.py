"""The style's four TrueType faces, registered with reportlab once per process.

Only embedded TrueType fonts ever reach the PDF: every text-drawing call names one of these
faces, and the canvas starts on the regular face so reportlab never writes its Helvetica
preamble. A character the face lacks is reported as a warning, never drawn as a silent box.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...diagnostics import Diagnostics, Span
from ...style.glyphcoverage import is_drawn, missing_glyph_message, reported_character
from ...style.types import Fonts


@dataclass(frozen=True)
class FontSet:
    """reportlab's names for the four faces of one family."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str

    def face(self, bold: bool = False, italic: bool = False) -> str:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        return self.italic if italic else self.regular


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
                           fonts.bold_italic.resolve())
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
def _register(regular: Path, bold: Path, italic: Path, bold_italic: Path) -> FontSet | FontFailure:
    # The family name is derived from the four paths, so two styles that name different
    # files never share a registration, and the same files are parsed once per process
    # (a font that fails is remembered too, so it is not parsed again for every report).
    digest = hashlib.sha1("\0".join(map(str, (regular, bold, italic, bold_italic))).encode()).hexdigest()[:8]
    family = f"rc{digest}"
    names = FontSet(family, f"{family}-R", f"{family}-B", f"{family}-I", f"{family}-BI")
    for name, path in ((names.regular, regular), (names.bold, bold), (names.italic, italic),
                       (names.bold_italic, bold_italic)):
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
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
    return names


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    text = text if len(text) <= 120 else text[:119] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@lru_cache(maxsize=None)
def _coverage(face: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(face).face.charToGlyph)


class GlyphCheck:
    """Warns once per character, face and source span about glyphs the font lacks.

    The source stage (`source.glyphs`) already warned about the source's own characters where
    they were written; a character it (or an earlier check) reported is not reported again, so
    what is left is text the source did not hold as written: labels, and faces the layout
    chooses (a heading set in bold)."""

    def __init__(self, fonts: FontSet, diagnostics: Diagnostics) -> None:
        self._fonts = fonts
        self._diagnostics = diagnostics
        self._reported: set[tuple[str, str, Span]] = set()
        self._already = {reported_character(item.message) for item in diagnostics.items} - {None}

    def check(self, text: str, span: Span, bold: bool = False, italic: bool = False) -> None:
        face = self._fonts.face(bold, italic)
        covered = _coverage(face)
        for char in sorted(set(text)):
            if ord(char) in covered or not is_drawn(char) or char in self._already:
                continue
            key = (char, face, span)
            if key in self._reported:
                continue
            self._reported.add(key)
            self._diagnostics.warning(span, missing_glyph_message(char))
