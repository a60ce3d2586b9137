"""Report furniture in block text (issue 13, items 1 to 3): nested lists, `####` sub-headings and
quotations with attribution. Parsed, then built once in every format by the real CLI and read back."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import docx
import pytest

from compiler.diagnostics import Diagnostics, Span
from compiler.model import BulletList, NumberedList, Quotation, SubHeading, plain_text
from compiler.source.markup import parse_blocks

from .conftest import run_reportc
from .test_pdf_tagging import read_tree

FINDINGS = """\
Intro paragraph.

- Outer bullet
  1. Inner number one
     - Deepest bullet
  2. Inner number two
- Second outer

### Calls

#### Emergency calls

The force answers most calls.

> Residents told us they felt safe.
>
> They trusted the neighbourhood team.
> -- Jane Smith, chief constable
"""

SOURCE = """title: PEEL 2024
subject: Riverside Police
style: hmicfrs
pillars:
  - title: Effectiveness
    grade: good
    questions:
      - title: How well does it answer calls?
        grade: good
        findings: |
""" + "".join(f"          {line}\n" if line else "\n" for line in FINDINGS.splitlines())


def parse(text: str) -> tuple[tuple, Diagnostics]:
    diagnostics = Diagnostics()
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)

    def locate(offset: int) -> Span:
        line = max(index for index, start in enumerate(offsets) if start <= offset)
        return Span("r.yaml", line + 1, offset - offsets[line] + 1)

    return parse_blocks(text, lambda index: Span("r.yaml", index + 1, 1), diagnostics, locate), diagnostics


# ---- parsing ---------------------------------------------------------------------------------

def test_nested_lists_keep_their_kind_and_position():
    blocks, diagnostics = parse(FINDINGS)
    assert not diagnostics.items
    outer = blocks[1]
    assert isinstance(outer, BulletList) and [plain_text(i.content) for i in outer.items] == ["Outer bullet",
                                                                                             "Second outer"]
    inner = outer.items[0].children[0]
    assert isinstance(inner, NumberedList) and len(inner.items) == 2
    deepest = inner.items[0].children[0]
    assert isinstance(deepest, BulletList) and plain_text(deepest.items[0].content) == "Deepest bullet"
    assert (deepest.items[0].span.line, deepest.items[0].span.col) == (5, 6)  # at its `- `


def test_a_fourth_level_is_an_error_at_its_line_and_column_and_its_text_is_kept():
    blocks, diagnostics = parse("- one\n  - two\n    - three\n      - four\n    - three again\n")
    [error] = diagnostics.errors
    assert (error.span.line, error.span.col) == (4, 7) and "at most 3 levels" in error.message
    third = blocks[0].items[0].children[0].items[0].children[0]
    assert [plain_text(i.content) for i in third.items] == ["three", "four", "three again"]


def test_four_hashes_are_a_subheading_one_level_below_three():
    blocks, _ = parse("### Calls\n\n#### Emergency calls\n")
    assert [(type(b), b.level) for b in blocks] == [(SubHeading, 1), (SubHeading, 2)]


def test_quotation_paragraphs_and_attribution_at_their_positions():
    blocks, diagnostics = parse("> First *line*\n> goes on\n>\n> Second.\n> \u2014 Jane Smith, chief constable\n")
    assert not diagnostics.items
    [quote] = blocks
    assert isinstance(quote, Quotation)
    assert [plain_text(p.content) for p in quote.paragraphs] == ["First line goes on", "Second."]
    assert plain_text(quote.attribution.content) == "Jane Smith, chief constable"
    assert (quote.attribution.span.line, quote.attribution.span.col) == (5, 5)
    assert (quote.paragraphs[1].span.line, quote.paragraphs[1].span.col) == (4, 3)


def test_a_quotation_without_attribution_and_a_lone_dash_line():
    blocks, _ = parse("> -- just a dash line\n\nafter\n")
    assert plain_text(blocks[0].paragraphs[0].content) == "-- just a dash line" and blocks[0].attribution is None


# ---- every format ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def out(tmp_path_factory):
    project = tmp_path_factory.mktemp("text-furniture")
    (project / "sources").mkdir()
    (project / "sources" / "report.yaml").write_text(SOURCE)
    result = run_reportc("build", "--root", str(project), "--out", str(project / "out"), "--format",
                         "pdf,docx,html", "sources/report.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    [page] = (project / "out").glob("*.html")  # outputs are named by reportc, whatever the name
    return {suffix: page.with_suffix(f".{suffix}") for suffix in ("pdf", "docx", "html")}


def test_html_nests_lists_orders_headings_and_quotes_with_a_caption(out):
    page = out["html"].read_text()
    flat = re.sub(r"\s+", " ", page)
    assert re.search(r'<ul class="bullets"><li>Outer bullet<ol class="numbers"><li>Inner number one'
                     r'<ul class="bullets"><li>Deepest bullet</li></ul></li><li>Inner number two</li></ol></li>'
                     r"<li>Second outer</li></ul>", flat)
    levels = [int(level) for level in re.findall(r"<h(\d)", page)]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))  # no skipped level
    calls = re.search(r'<h(\d)[^>]*class="subheading">Calls</h\d><h(\d)[^>]*class="subheading-2">Emergency calls', flat)
    assert calls and int(calls.group(2)) == int(calls.group(1)) + 1
    assert re.search(r'<figure class="quotation"><blockquote class="quote"><p>Residents told us they felt safe.</p>'
                     r"<p>They trusted the neighbourhood team.</p></blockquote>"
                     r'<figcaption class="attribution">\u2014 Jane Smith, chief constable</figcaption></figure>', flat)


def test_docx_uses_numbering_levels_subheading_levels_and_the_quote_style(out):
    document = docx.Document(out["docx"])
    by_text = {p.text: p for p in document.paragraphs}
    # a quotation is a box (a one-column table) as the PDF draws it: its paragraphs are in cells
    by_text.update({p.text: p for table in document.tables for row in table.rows for cell in row.cells
                    for p in cell.paragraphs})

    def ilvl(text):
        p = by_text[text]
        own = p._p.pPr.numPr
        if own is not None and own.ilvl is not None:
            return own.ilvl.val
        style = p.style
        while style is not None:
            numpr = style.element.pPr.numPr if style.element.pPr is not None else None
            if numpr is not None and numpr.ilvl is not None:
                return numpr.ilvl.val
            style = style.base_style
        return 0

    assert [ilvl(t) for t in ("Outer bullet", "Inner number one", "Deepest bullet", "Second outer")] == [0, 1, 2, 0]
    assert by_text["Inner number one"]._p.pPr.numPr is not None  # a real numbered list
    calls, emergency = by_text["Calls"].style, by_text["Emergency calls"].style
    # Subheading N+1 is based on Heading N+1: one outline level lower in Word's navigation pane
    assert (calls.name, emergency.name) == ("Subheading 3", "Minor Subheading 4")  # a step below, in italic
    assert emergency.base_style.name == "Subheading 4" and emergency.base_style.base_style.name == "Heading 4"
    assert emergency.font.italic and not calls.font.italic
    assert by_text["Residents told us they felt safe."].style.name == "Quote"
    assert by_text["\u2014 Jane Smith, chief constable"].style.name == "Quote"


def test_pdf_tags_nested_lists_subheadings_and_the_blockquote(out):
    tree = read_tree(out["pdf"])
    outer = next(n for n in tree.nodes("L") if "Outerbullet" in tree.text(n).replace(" ", ""))
    first = outer.children("LI")[0]
    inner = first.children("LBody")[0].children("L")
    assert inner and inner[0].attributes.get("ListNumbering") == "Decimal"
    assert inner[0].children("LI")[0].children("LBody")[0].children("L")  # the third level
    headings = {tree.text(n): n.role for n in tree.root.walk() if re.fullmatch(r"H\d", n.role)}
    assert int(headings["Emergency calls"][1]) == int(headings["Calls"][1]) + 1
    [quote] = tree.nodes("BlockQuote")
    assert [re.sub(r"\s+", "", tree.text(p)) for p in quote.children("P")] == [
        "Residentstoldustheyfeltsafe.", "Theytrustedtheneighbourhoodteam."]
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(out["pdf"])],
                            capture_output=True, text=True)
    assert json.loads(result.stdout)["summary"]["findings"] == 0, result.stdout


def test_a_text_starting_with_four_hashes_skips_no_heading_level(tmp_path):
    """`#### ` is one level below `### `, but never more than one below the heading before it: a
    summary that opens with `#### ` sits one below the pillar heading in every format."""
    from tests.docx_fixtures import compose
    from compiler.layout.blocks import Heading

    source = tmp_path / "levels.yaml"
    source.write_text("title: Levels\nsubject: S\nlanguage: en-GB\npillars:\n  - title: Effectiveness\n"
                      "    grade: good\n    summary: |\n      #### Opening\n\n      #### Second\n\n      ### Middle\n\n"
                      "      #### Under middle\n\n      Text.\n    questions: []\n")
    document = compose(source)
    headings = [(block.level, plain_text(block.content)) for block in _walk_blocks(document.body)
                if isinstance(block, Heading)]
    subheadings = [pair for pair in headings if pair[1] in ("Opening", "Second", "Middle", "Under middle")]
    pillar = next(level for level, text in headings if text.startswith("Effectiveness"))
    assert subheadings == [(pillar + 1, "Opening"), (pillar + 1, "Second"), (pillar + 1, "Middle"),
                           (pillar + 2, "Under middle")]


def _walk_blocks(blocks):
    for block in blocks:
        yield block
        for child in ("body", "blocks", "children"):
            inner = getattr(block, child, None)
            if isinstance(inner, tuple):
                yield from _walk_blocks(inner)
