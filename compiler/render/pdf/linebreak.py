"""Line breaking for the commonest paragraph, done as reportlab does it, with less work per word.

Most of a report is paragraphs of one font and size: reportlab's `Paragraph.breakLines` takes
its "single fragment" path for them, a greedy fill that measures every word through four calls
(`pdfmetrics.stringWidth` -> the font -> its C measure) and checks a dozen options per word
that reportc never sets (hyphenation, bidi, shaping, soft hyphens). `simple_lines` makes the same
lines, the same widths and the same `ParaLines` for that case, measuring each word once per
paragraph font through the font's cache (`fonts.SubsetFont.stringWidth`), and says None for
anything else, which reportlab then breaks itself. Issue 18; tests/test_pdf_linebreak.py holds
the two equal for any text, width, indent and bullet.
"""
from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.platypus.paragraph import _handleBulletWidth, _processed_frags, split, strip
from reportlab.platypus.paraparser import ParaFrag

from .fonts import SubsetFont

_SOFT_HYPHEN = "\xad"


def simple_lines(paragraph, width) -> ParaFrag | None:
    """What `paragraph.breakLines(width)` returns, or None when reportlab must break it itself."""
    style, frags = paragraph.style, paragraph.frags
    if len(frags) != 1 or not _plain_style(style):
        return None
    frag = frags[0]
    if (hasattr(frag, "cbDefn") or hasattr(frag, "backColor") or _processed_frags(frags)
            or getattr(paragraph, "encoding", "utf8") not in ("utf8", "utf-8")):
        return None
    words = _words(frag)
    if words is None:
        return None
    font, size = getFont(frag.fontName), frag.fontSize
    ascent, descent = getAscentDescent(frag.fontName, size)
    paragraph._width_max = paragraph.height = 0
    paragraph._splitLongWordCount = paragraph._hyphenations = 0
    # reportlab narrows the first line for a bullet in the caller's own list: done to a copy,
    # and to that list only once the lines are made here (a fallback does it again itself).
    max_widths = list(width) if isinstance(width, (tuple, list)) else [width]
    _handleBulletWidth(paragraph.bulletText, style, max_widths)
    lines = _fill(paragraph, words, font, size, max_widths, style.spaceShrinkage) if words else []
    if lines is None:
        return None
    if isinstance(width, list):
        width[:] = max_widths
    return frag.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=size)


def _plain_style(style) -> bool:
    """No option the fast path leaves out: reportc sets none of them, a caller might."""
    wrap = style.wordWrap
    return not (style.endDots or style.shaping or getattr(style, "hyphenationLang", "") or style.uriWasteReduce
                or style.embeddedHyphenation or (wrap and wrap.upper() in ("RTL", "LTR")))


def _words(frag) -> list[str] | None:
    """The fragment's words, as reportlab takes them; None for what its fast path cannot hold."""
    if hasattr(frag, "text"):
        text = strip(frag.text)
        if _SOFT_HYPHEN in text:  # (not whitespace: in the text means in one of its words)
            return None
        return split(text) if text else []
    # the rest of a paragraph split across pages: its words, already split
    words = list(frag.words)
    if type(frag.words) is not list or any(type(word) is not str for word in words):
        return None  # bidi lists, split or soft-hyphen words: reportlab's own types
    if _SOFT_HYPHEN in "".join(words):
        return None
    return words if any(strip(word) for word in words) else []


def _fill(paragraph, words: list[str], font, size: float, max_widths: list[float],
          shrinkage: float) -> list[tuple[float, list[str]]] | None:
    """reportlab's greedy fill: each line as (room left, words). None when a word is wider than
    a line, which reportlab cuts inside the word (splitLongWords)."""
    measure = font.stringWidth
    known = font.widths_at(size) if isinstance(font, SubsetFont) else {}
    space = measure(" ", size)
    space_shrink = shrinkage * space
    narrowest = min(max_widths)
    last = len(max_widths) - 1
    lines: list[tuple[float, list[str]]] = []
    line: list[str] = []
    current = -space  # so the first word adds no space before it
    line_number = 0
    max_width = max_widths[0]
    widest = 0
    for word in words:
        word_width = known.get(word)
        if word_width is None:
            word_width = measure(word, size)
        if word_width > narrowest:
            return None
        new_width = current + space + word_width
        if new_width <= max_width + space_shrink * len(line) or not line:
            line.append(word)
            current = new_width
        else:
            if current > widest:
                widest = current
            lines.append((max_width - current, line))
            line = [word]
            current = word_width
            line_number += 1
            max_width = max_widths[min(last, line_number)]
    if line:
        if current > widest:
            widest = current
        lines.append((max_width - current, line))
    paragraph._width_max = widest
    return lines
