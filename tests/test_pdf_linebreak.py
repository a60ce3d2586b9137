"""The PDF's commonest paragraphs (one font, one size) are broken into lines by
`linebreak.simple_lines` instead of reportlab's general `breakLines` (issue 18): for any text,
width, indent and bullet, the lines, their widths and everything reportlab keeps of them must be
exactly what reportlab makes, so the PDF stays byte for byte what it was."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings, strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from compiler.diagnostics import Diagnostics
from compiler.render.pdf.flowables import TaggedParagraph
from compiler.render.pdf.fonts import register_fonts
from compiler.render.pdf.linebreak import simple_lines
from compiler.style.types import Fonts

ROOT = Path(__file__).resolve().parent.parent
FACES = ROOT / "styles" / "fonts"
FONTS = register_fonts(Fonts("Liberation Sans", *(FACES / f"LiberationSans-{face}.ttf"
                                                  for face in ("Regular", "Bold", "Italic", "BoldItalic"))),
                       Diagnostics(), ())

# Short and long words, every kind of white space reportlab splits at or keeps (no-break space),
# a soft hyphen, characters beyond Latin-1, and words wider than any line.
WORDS = st.sampled_from(["a", "of", "the", "inspection", "force's", "£1,000", "ŵyr", "\u2014", "x" * 40,
                         "counter-terrorism", "co\xadoperation", "\xa0", " ", "\t", "\n", "  "])
TEXT = st.lists(WORDS, max_size=40).map(" ".join)


def style(size: float, indent: float, first_line: float, bold: bool) -> ParagraphStyle:
    return ParagraphStyle("body", fontName=FONTS.bold if bold else FONTS.regular, fontSize=size, leading=size * 1.4,
                          leftIndent=indent, firstLineIndent=first_line, bulletFontName=FONTS.regular,
                          bulletFontSize=size, bulletIndent=0)


def broken(paragraph: Paragraph, width: float, height: float) -> tuple:
    """All that reportlab keeps of a paragraph's lines, after wrapping it and splitting it."""
    paragraph.wrap(width, height)
    kept = (repr(paragraph.blPara), paragraph.width, paragraph.height, paragraph._width_max,
            paragraph._wrapWidths)
    parts = paragraph.split(width, height)
    return kept, tuple(broken(part, width, 10_000)[0] for part in parts[1:])


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(TEXT, st.sampled_from([9, 12, 15.5]), st.floats(40, 400), st.sampled_from([0, 12, 30]),
       st.sampled_from([0, -8, 10]), st.sampled_from([None, "\u2022", "12.", "Q10"]), st.booleans(),
       st.sampled_from([40, 100, 1000]))
@example("  ", 12, 200, 0, 0, None, False, 100)
@example("the " * 30, 12, 150.0, 30, -8, "12.", True, 40)
def test_lines_are_reportlabs(text, size, width, indent, first_line, bullet, bold, height):
    look = style(size, indent, first_line, bold)
    ours = TaggedParagraph(text.replace("&", "&amp;").replace("<", "&lt;"), look, bulletText=bullet)
    theirs = Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), look, bulletText=bullet)
    assert broken(ours, width, height) == broken(theirs, width, height)


def test_the_commonest_paragraph_takes_the_fast_path():
    paragraph = Paragraph("Areas for improvement in how the force " * 5, style(12, 0, 0, False))
    lines = simple_lines(paragraph, [200.0, 200.0])
    assert lines is not None and len(lines.lines) > 2


def test_what_it_leaves_out_is_left_to_reportlab():
    look = style(12, 0, 0, False)
    assert simple_lines(Paragraph("two <b>fonts</b>", look), [200.0]) is None
    assert simple_lines(Paragraph("co\xadoperation", look), [200.0]) is None  # a soft hyphen
    assert simple_lines(Paragraph("x" * 90, look), [200.0]) is None  # a word wider than the line
    hyphenated = ParagraphStyle("h", parent=look, hyphenationLang="en_GB")
    assert simple_lines(Paragraph("words", hyphenated), [200.0]) is None


def test_every_width_breaks_as_reportlab_does():
    """Each width in fine steps: a word that fits only by shrinking the line's spaces a little
    (reportlab's spaceShrinkage) lands on the same line in both."""
    text = "How well does the force protect vulnerable people and support victims of crime? " * 2
    look = style(12, 0, 0, False)
    for step in range(4000):
        width = 60 + step * 0.05
        ours, theirs = TaggedParagraph(text, look), Paragraph(text, look)
        ours.wrap(width, 1000)
        theirs.wrap(width, 1000)
        assert repr(ours.blPara) == repr(theirs.blPara), width
