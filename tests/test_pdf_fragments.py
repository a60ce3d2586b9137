"""The PDF's paragraphs of text, bold, italic and fallback-font runs are made as reportlab's own
fragments (`markup.FragmentMaker`) instead of markup reportlab parses again (issue 18): the
fragments, and the lines they break into, must be exactly what parsing `MarkupWriter.inlines`'
markup gives, for any text, so the PDF stays byte for byte what it was."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from compiler.diagnostics import Diagnostics
from compiler.model import Emph, Link, Strong, Text
from compiler.render.pdf.fonts import register_fonts
from compiler.render.pdf.markup import LinkStyle, LinkTable, MarkupWriter, _white_space_cleaned
from compiler.render.pdf.tagging import Structure
from compiler.style.types import FallbackFont, Fonts

ROOT = Path(__file__).resolve().parent.parent
FACES = ROOT / "styles" / "fonts"
FACE_FILES = (FACES / f"LiberationSans-{face}.ttf" for face in ("Regular", "Bold", "Italic", "BoldItalic"))
FALLBACK = FallbackFont(ROOT / "tests" / "fonts" / "DejaVuSans-fallback-subset.ttf", "DejaVu Sans")
FONTS = register_fonts(Fonts("Liberation Sans", *FACE_FILES, fallback=(FALLBACK,)), Diagnostics(), ())
STYLE = ParagraphStyle("body", fontName=FONTS.regular, fontSize=11, leading=15, bulletFontName=FONTS.regular)

# White space of every kind reportlab treats apart (tab, newline, no-break, thin and ideographic
# spaces), what markup would escape, and characters only the fallback font has (★, ✓, Armenian).
PIECES = st.sampled_from(list("ab &<>;#\n\t\xa0\u200b\u2009\u3000\u2605\u2713\u0531") + ["&amp;", "  ", "<b>", "word"])
TEXT = st.lists(PIECES, max_size=8).map("".join)
INLINES = st.recursive(st.builds(Text, TEXT),
                       lambda inner: st.one_of(st.builds(Strong, st.lists(inner, max_size=3).map(tuple)),
                                               st.builds(Emph, st.lists(inner, max_size=3).map(tuple))),
                       max_leaves=8)


def writer(fonts=FONTS) -> MarkupWriter:
    return MarkupWriter(LinkTable(), LinkStyle("#0000ff"), Structure(), fonts)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(INLINES, max_size=4).map(tuple), st.booleans())
def test_fragments_are_what_reportlab_parses_from_the_markup(content, with_fallback_fonts):
    markup = writer(FONTS if with_fallback_fonts else None)
    text, frags = markup.paragraph_source(content, STYLE)
    assert frags is not None
    made, parsed = Paragraph(text, STYLE, frags=frags), Paragraph(markup.inlines(content), STYLE)
    assert [vars(frag) for frag in made.frags] == [vars(frag) for frag in parsed.frags]
    made.wrap(70, 1000)
    parsed.wrap(70, 1000)
    assert repr(made.blPara) == repr(parsed.blPara)


def test_text_that_looks_like_markup_stays_text():
    text, frags = writer().paragraph_source((Text("<b>R&amp;D</b> &lt;"), Strong((Text("x"),))), STYLE)
    assert "".join(frag.text for frag in frags) == "<b>R&amp;D</b> &lt;x"
    assert [frag.fontName for frag in frags][-1] == FONTS.bold
    assert {frag.fontName for frag in frags[:-1]} == {FONTS.regular}


def test_links_are_left_to_the_markup():
    markup = writer()
    text, frags = markup.paragraph_source((Text("see "), Link("https://example.org", (Text("here"),))), STYLE,
                                          Structure().root)
    assert frags is None and 'href="rcl:0"' in text


# Characters the first subset holds from the start (ASCII), ones it takes as they come (Latin-1,
# Welsh ŵ ŷ, the no-break space reportlab draws as a space), enough Greek and Cyrillic to fill it
# and spill into a second subset, and one the font lacks.
SUBSET_TEXT = st.lists(st.sampled_from(list("ab \xa0éŵŷ€\u2019") + [chr(c) for c in range(0x391, 0x3A1)]
                                       + [chr(c) for c in range(0x410, 0x450)] + [chr(c) for c in range(0xC0, 0x100)]
                                       + ["\u2605", ""]), max_size=12).map("".join)


class _Document:
    """What reportlab keys a font's codes by (weakly): one PDF being written."""


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(SUBSET_TEXT, min_size=1, max_size=40))
def test_text_is_coded_as_reportlab_codes_it(texts):
    """`SubsetFont.splitString` (the fast path for text already coded) gives reportlab's own
    chunks, in a document where the codes are assigned as the texts come."""
    from reportlab.pdfbase.ttfonts import TTFont

    from compiler.render.pdf.fonts import SubsetFont

    regular = str(FACES / "LiberationSans-Regular.ttf")
    theirs, ours = TTFont("stock", regular), SubsetFont("fast", regular)
    their_document, our_document = _Document(), _Document()
    for text in texts * 2:  # the second time round, every character is already coded
        assert ours.splitString(text, our_document) == theirs.splitString(text, their_document)


def test_format_controls_the_font_lacks_are_neither_drawn_nor_measured():
    """A word joiner, a byte order mark or a directional isolate pasted with text has no visible
    form: where the face has no glyph for it, the PDF must not print reportlab's empty box."""
    from compiler.render.pdf.fonts import SubsetFont

    font = SubsetFont("controls", str(FACES / "LiberationSans-Regular.ttf"))
    pasted = "\ufeffword\u2060joined \u2066isolated\u2069"
    assert not any(ord(char) in font.face.charToGlyph for char in "\ufeff\u2060\u2066\u2069")
    assert font.stringWidth(pasted, 12) == font.stringWidth("wordjoined isolated", 12)
    document = _Document()
    assert font.splitString(pasted, document) == font.splitString("wordjoined isolated", document)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(SUBSET_TEXT, st.sampled_from([9, 12]), st.booleans()), min_size=1, max_size=30))
def test_text_objects_write_what_reportlab_writes(lines):
    """`canvas.TextObject` writes a line whose every character is coded already in one step:
    its operators must be reportlab's own, through font changes and a second subset."""
    import io

    from reportlab.pdfgen.canvas import Canvas
    from reportlab.pdfgen.textobject import PDFTextObject

    from compiler.render.pdf.canvas import TextObject

    def code(kind) -> str:
        canvas = Canvas(io.BytesIO())
        text = kind(canvas, 10, 700)
        face = None
        for line, size, bold in lines * 2:  # the second time round, the characters are coded
            if (size, bold) != face:  # as a paragraph does: a font set once for its lines
                face = (size, bold)
                text.setFont(FONTS.bold if bold else FONTS.regular, size, size * 1.2)
            text._textOut(line, 1)
        return text.getCode()

    assert code(TextObject) == code(PDFTextObject)


# Every character either Python or reportlab takes for white space, and some that neither does
SPACES = sorted({chr(code) for code in range(0x3001) if chr(code).isspace()} | set("\u200b\u205f\x00ab"))


@given(st.lists(st.sampled_from(SPACES), max_size=30).map("".join))
def test_white_space_is_cleaned_as_reportlab_cleans_it(text):
    assert _white_space_cleaned(text) == cleanBlockQuotedText(text)
