"""The DOCX renderer, read back as Word would: styles, contents field, running header and footer,
watermark, numbering, language, alt text, literal text, stable bytes, LibreOffice conversion."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from compiler.layout.blocks import (Callout, ChartBlock, Contents, DataTable, DefinitionList, FigureBlock, GlanceTable,
                                    Heading, ListBlock, Notes, PageBreak, Para, Quote)
from compiler.layout.design import heading_role
from compiler.model import plain_text
from tests.conftest import run_reportc, sample_sources
from tests.docx_fixtures import (FIXTURES, NS, W, compose, convert_with_libreoffice, open_docx, paragraphs,
                                 part_names, part_xml, render_docx, soffice, style_and_text)

LITERAL = FIXTURES / "literal.yaml"
SOURCES = sample_sources() + [LITERAL]

# The specification of the mapping, written out: layout role -> Word style name.
PARA_STYLES = {"body": "Body Text", "question-lead": "Question Lead", "last-updated": "Last Updated",
               "carried-over": "Carried Over", "lead-in": "Lead In", "cause-of-concern": "Cause of Concern",
               "detailed-findings": "Detailed Findings", "summary": "Summary", "imprint": "Imprint"}
LIST_STYLES = {"areas-for-improvement": "Area for Improvement", "recommendations": "Recommendation",
               "bullets": "List Bullet", "numbers": "List Number"}


@pytest.fixture(scope="session")
def built() -> dict[str, tuple]:
    """Every sample (and the literal-text fixture) composed and rendered once: id -> (document, bytes)."""
    out = {}
    for source in SOURCES:
        document = compose(source)
        out[document.id] = (document, render_docx(document))
    return out


def each(built):
    return [pytest.param(key, id=key) for key in built]


# ---- paragraph by paragraph ----------------------------------------------------------


def expected_body(blocks, depth: int = 0) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for block in blocks:
        if isinstance(block, Heading):
            style = f"Heading {block.level}" if block.in_outline or block.level > 2 else None
            # A section heading below level 1 ("Questions for ...") is its own, smaller style (layout/design.py)
            role = heading_role(block.role, block.level)
            style = style or " ".join(w if w == "of" else w.capitalize() for w in role.split("-"))
            if block.role == "subheading":  # bold body text in every format (issue 14, item 7)
                style = f"Subheading {block.level}"
            elif block.role == "callout-heading":  # a box's title: kept out of the contents
                style = "Callout Heading"
            text = plain_text(block.content)
            # Question numbers read "2." in every format (issue 14, item 7).
            out.append((style, f"{block.number}.\t{text}" if block.number else text))
            if block.badge:
                out.append(("Grade Badge", f"\u00a0{block.badge.label}\u00a0"))
        elif isinstance(block, Para):
            out.append(("List Continue" if depth else PARA_STYLES[block.role], plain_text(block.content)))
        elif isinstance(block, ListBlock):
            kind = "List Number" if block.ordered else "List Bullet"
            style = LIST_STYLES[block.role] if depth == 0 else f"{kind} {depth + 1}"
            for item in block.items:
                out.append((style, plain_text(item.content)))
                out += expected_body(item.children, depth + 1)
        elif isinstance(block, Callout):
            out += expected_body(block.blocks, depth)
        elif isinstance(block, GlanceTable):
            out += [("Table Header", block.header[0]), ("Table Header", block.header[1])]
            for row in block.rows:
                text = plain_text(row.content)
                out.append(("Glance Pillar" if row.level == 1 else "Glance Question",
                            f"{row.number}.\t{text}" if row.number else text))
                out.append(("Glance Grade", row.badge.label if row.badge else ""))  # no grade: empty cell
        elif isinstance(block, Contents):
            out.append(("TOC Heading", block.title))
            for entry in block.entries:
                prefix = f"{entry.number}.\t" if entry.number else ""
                out.append((f"toc {entry.level}", f"{prefix}{entry.text}\t"))
        elif isinstance(block, DataTable):  # caption, header cells, body cells, source line, notes
            out.append(("Caption", plain_text(block.caption)))
            out += [("Table Header", plain_text(cell)) for cell in block.header]
            out += [("Table Text", plain_text(cell)) for row in block.rows for cell in row]
            out += [("Source", plain_text(block.source))] if block.source else []
            out += [("Table Note", plain_text(note.content)) for note in block.notes]
        elif isinstance(block, (FigureBlock, ChartBlock)):  # caption, the picture's paragraph, source line
            out += [("Caption", plain_text(block.caption)), ("Figure", "")]
            out += [("Source", plain_text(block.source))] if block.source else []
        elif isinstance(block, Quote):  # Word's Quote style, the attribution after a dash
            out += [("Quote", plain_text(paragraph.content)) for paragraph in block.paragraphs]
            out += [("Quote", "\u2014 " + plain_text(block.attribution.content))] if block.attribution else []
        elif isinstance(block, Notes):
            pass  # a Word footnote each, in footnotes.xml (tests/test_footnotes_refs.py)
        elif isinstance(block, DefinitionList):  # the glossary: a term above its definition
            for entry in block.entries:
                out += [("Glossary Term", plain_text(entry.term.content)),
                        ("Glossary Definition", plain_text(entry.definition.content))]
        else:
            assert isinstance(block, PageBreak)
    return out


def expected_cover(document) -> list[tuple[str, str]]:
    cover = document.cover
    out = [("Cover Logo", "")] if cover.logo else []
    out += [("Title", cover.title), ("Cover Subject", cover.subject)]
    out += [("Cover Programme", cover.programme)] if cover.programme else []
    out += [("Cover Details", cover.date_text)] if cover.date_text else []  # the marking: header and footer
    out += [("Cover Status", cover.status_text)] if cover.status_text else []
    out += [("Cover Details", text) for text in (cover.purpose_text, cover.version_text) if text]
    if cover.grade:  # (v2) the overall judgment: its label, then its badge
        out += [("Cover Details", cover.grade_label), ("Grade Badge", f"\u00a0{cover.grade.label}\u00a0")]
    return out


@pytest.mark.parametrize("key", ["city-of-london-peel-2018", "northshire-peel-2021", "eastmoor-fire-2026-draft",
                                 "literal"])
def test_every_paragraph_has_its_style_and_text_in_source_order(built, key):
    document, data = built[key]
    # (the empty paragraphs between two boxes in a row: test_no_two_tables_touch)
    actual = [item for item in style_and_text(open_docx(data)) if item != ("Box Gap", "")]
    imprint = expected_body(document.imprint.for_edition("docx")) if document.imprint else []
    assert actual == expected_cover(document) + imprint + expected_body(document.body)


def test_city_of_london_reads_as_the_inspectorate_wrote_it(built):
    actual = style_and_text(open_docx(built["city-of-london-peel-2018"][1]))
    headings = [(s, t) for s, t in actual if s.startswith("Heading")]
    assert headings[:4] == [
        ("Heading 1", "Judgments at a glance"),
        ("Heading 1", "Effectiveness"),
        ("Heading 2", "2.\tHow effective is the force at investigating crime and reducing re-offending?"),
        ("Heading 3", "Areas for improvement"),
    ]
    assert ("Body Text", "But the force is good at catching criminals. Since 2016, the force has almost "
                         "halved its number of \u2018wanted\u2019 persons.") in actual
    assert ("Question Lead", "How effectively does the force reduce crime and keep people safe?") in actual


def test_literal_text_prints_exactly_as_written(built):
    document, data = built["literal"]
    texts = [t for _, t in style_and_text(open_docx(data))]
    assert 'R&D <img src="/etc/passwd"/> &copy;' in texts
    assert "Summary with <script>alert(1)</script> and R&D and &copy; and &amp; kept as typed." in texts
    assert "a bullet with ŵ ŷ and עברית" in texts
    assert open_docx(data).core_properties.title.startswith('R&D <img src="/etc/passwd"/> &copy;')


def test_inline_markup_uses_character_styles_and_real_links(built):
    word = open_docx(built["literal"][1])
    para = next(p for p in paragraphs(word) if p.text.startswith("A second paragraph"))
    runs = [(r.style.name, r.text, r.bold, r.italic) for r in para.iter_inner_content() if hasattr(r, "style")]
    assert ("Strong", "bold and ", None, None) in runs
    assert ("Strong", "italic", None, True) in runs  # emphasis inside strong: one style, one toggle
    link = next(h for h in para.hyperlinks)
    assert link.address == "https://example.org/?a=1&b=2"
    assert link.runs[0].style.name == "Hyperlink"


# ---- styles ----------------------------------------------------------------------------


def test_styles_are_generated_from_the_brand(built):
    document, data = built["northshire-peel-2021"]
    word = open_docx(data)
    style = document.style
    heading = word.styles["Heading 2"]
    assert heading.font.name is None  # inherited from the document defaults: one place to change it
    assert str(heading.font.color.rgb) == style.colours.primary.lstrip("#").upper()
    # the PDF's question heading (pdf/styles.py): the same size, so the same lines and pages
    assert heading.font.bold and heading.font.size.pt == pytest.approx(style.fonts.size * 1.35, abs=0.5)
    defaults = part_xml(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(f"{{{W}}}ascii") == style.fonts.family
    names = {s.name for s in word.styles}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number", "Grade Badge",
            "Cause of Concern", "Recommendation", "Area for Improvement", "toc 1", "toc 2"} <= names
    assert len(names) < 90  # the template's hundreds of unused styles are gone


def test_headings_carry_outline_levels_for_the_navigation_pane(built):
    styles = part_xml(built["northshire-peel-2021"][1], "word/styles.xml")
    for level in (1, 2, 3):
        node = styles.find(f"w:style[@w:styleId='Heading{level}']/w:pPr/w:outlineLvl", NS)
        assert node.get(f"{{{W}}}val") == str(level - 1)


def test_headings_kept_out_of_the_contents_are_still_headings_in_the_navigation_pane(built):
    """"Questions for Effectiveness" and a `###` at those levels had outline level 9 (body text) to
    keep them out of the contents: screen readers and the navigation pane did not see them as
    headings. The contents field is built from the Heading 1 and 2 styles instead."""
    document, styles = (part_xml(built["northshire-peel-2021"][1], name)
                        for name in ("word/document.xml", "word/styles.xml"))
    outline = {}
    for style in styles.findall("w:style", NS):
        level = style.find("w:pPr/w:outlineLvl", NS)
        outline[style.get(f"{{{W}}}styleId")] = None if level is None else level.get(f"{{{W}}}val")
    unlisted = [p for p in document.iter(f"{{{W}}}p") if "".join(p.itertext()).startswith("Questions for ")]
    assert unlisted
    for paragraph in unlisted:
        style = paragraph.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val")
        assert style not in ("Heading1", "Heading2") and outline[style] in ("0", "1"), (style, outline[style])
    assert all(value != "9" for name, value in outline.items() if name.startswith(("Heading", "Subheading"))), outline
    callout = styles.find("w:style[@w:styleId='CalloutHeading']", NS)
    assert callout is not None and callout.find("w:pPr/w:outlineLvl", NS) is None  # Heading 4's level, inherited


def test_no_direct_formatting_where_a_style_belongs(built):
    for key, (_, data) in built.items():
        body = part_xml(data, "word/document.xml")
        for tag in ("rFonts", "sz", "color", "spacing", "ind", "jc"):
            found = body.findall(f".//w:p/w:pPr/w:{tag}", NS) + body.findall(f".//w:r/w:rPr/w:{tag}", NS)
            assert not [node for node in found if not _space_set_by_a_neighbour(node)
                        and not _column_alignment(node) and not _glance_grade_colour(node)], (key, tag)


def _glance_grade_colour(node) -> bool:
    """A glance grade's contrast colour and size, on its run as well as in its character style:
    LibreOffice sets text in a table in the table style's over a character style's."""
    run_style = node.getparent().find("w:rStyle", NS)
    paragraph_style = node.getparent().getparent().getparent().find("w:pPr/w:pStyle", NS)
    return (node.tag in (f"{{{W}}}color", f"{{{W}}}sz") and run_style is not None and run_style.get(f"{{{W}}}val").startswith("Grade")
            and paragraph_style is not None and paragraph_style.get(f"{{{W}}}val") == "GlanceGrade")


def _column_alignment(node) -> bool:
    """A data table cell's alignment: the source's `align:` (or `--:`) for its column is content."""
    style = node.getparent().find("w:pStyle", NS)
    return (node.tag == f"{{{W}}}jc" and style is not None
            and style.get(f"{{{W}}}val") in ("TableHeader", "TableText"))


def _space_set_by_a_neighbour(node) -> bool:
    """A paragraph's own space before, where it depends on what is above it rather than on what
    the paragraph is: under a callout box or the cover band (a Word table has no space after),
    or first in a box (whose padding is all the space the PDF leaves there)."""
    if node.tag != f"{{{W}}}spacing" or set(node.attrib) != {f"{{{W}}}before"}:
        return False
    p = node.getparent().getparent()
    above = p.getprevious()
    in_cell_first = p.getparent().tag == f"{{{W}}}tc" and p.getparent().find("w:p", NS) is p
    return (above is not None and above.tag == f"{{{W}}}tbl") or in_cell_first


def test_no_two_tables_touch(built):
    """Two boxes in a row (areas for improvement, then a cause of concern) are two tables: with
    nothing between them Word joins them into one and LibreOffice draws them fused. A paragraph
    exactly the PDF's margin between boxes tall stands between them."""
    touching = gaps = 0
    for _, data in built.values():
        for table in part_xml(data, "word/document.xml").iter(f"{{{W}}}tbl"):
            after = table.getnext()
            touching += after is not None and after.tag == f"{{{W}}}tbl"
            if after is not None and after.tag == f"{{{W}}}p" and after.getnext() is not None \
                    and after.getnext().tag == f"{{{W}}}tbl" and not "".join(after.itertext()):
                assert after.find(f"{{{W}}}pPr/{{{W}}}pStyle").get(f"{{{W}}}val") == "BoxGap"
                gaps += 1
    assert touching == 0
    assert gaps, "a sample has two boxes in a row"


BOX_THEN_NEW_PAGE = """id: box-then-page
title: Box then a new page
subject: Test Force
published: 2025-01-01
pillars:
  - title: Effectiveness
    grade: good
    summary: The force is good.
    questions:
      - title: How well does it work?
        grade: good
        areas_for_improvement:
          - The force should do better.
  - title: Efficiency
    grade: good
    summary: The force is efficient.
"""


def test_a_paragraph_that_starts_a_page_gets_no_space_for_a_box_above(tmp_path):
    """A heading that starts a page after a box has no box above it on its page: it gets no
    extra space for one (it sat a line lower than every other heading starting a page)."""
    (tmp_path / "report.yaml").write_text(BOX_THEN_NEW_PAGE, encoding="utf-8")
    result = run_reportc("build", "report.yaml", "--format", "docx", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    body = part_xml((tmp_path / "out" / "box-then-page.docx").read_bytes(), "word/document.xml")
    starts = [p for p in body.iterfind(".//w:p", NS) if p.find("w:pPr/w:pageBreakBefore", NS) is not None]
    after_box = [p for p in starts if p.getprevious() is not None and p.getprevious().tag == f"{{{W}}}tbl"]
    assert after_box and all(p.find("w:pPr/w:spacing", NS) is None for p in starts)


def test_every_style_used_is_defined(built):
    for key, (_, data) in built.items():
        defined = {s.get(f"{{{W}}}styleId") for s in part_xml(data, "word/styles.xml").findall("w:style", NS)}
        used = {n.get(f"{{{W}}}val") for n in part_xml(data, "word/document.xml").iter(
            f"{{{W}}}pStyle", f"{{{W}}}rStyle", f"{{{W}}}tblStyle")}
        assert used <= defined, (key, used - defined)


# ---- contents ----------------------------------------------------------------------------


def test_contents_is_a_toc_field_with_cached_entries_and_pdf_page_numbers():
    document = compose(sorted(sample_sources())[1])  # northshire: pillars, questions, sections
    pages = {entry.anchor: 3 + i for i, entry in enumerate(document.body[0].entries)}
    data = render_docx(document, pages)
    body = part_xml(data, "word/document.xml")
    instructions = [t.text.strip() for t in body.iter(f"{{{W}}}instrText")]
    assert instructions[0] == 'TOC \\h \\z \\t "Heading 1,1,Heading 2,2"'
    word = open_docx(data)
    toc = [p.text for p in paragraphs(word) if p.style.name.startswith("toc ")]
    expected = [f"{e.number}.\t{e.text}\t{pages[e.anchor]}" if e.number else f"{e.text}\t{pages[e.anchor]}"
                for e in document.body[0].entries]
    assert toc == expected
    bookmarks = {b.get(f"{{{W}}}name") for b in body.iter(f"{{{W}}}bookmarkStart")}
    links = [h.get(f"{{{W}}}anchor") for h in body.iter(f"{{{W}}}hyperlink") if h.get(f"{{{W}}}anchor")]
    assert links and set(links) <= bookmarks
    pagerefs = [i for i in instructions if i.startswith("PAGEREF")]
    assert len(pagerefs) == len(expected)
    assert {i.split()[1] for i in pagerefs} <= bookmarks
    fld = [c.get(f"{{{W}}}fldCharType") for c in body.iter(f"{{{W}}}fldChar")]
    assert fld.count("begin") == fld.count("end") == fld.count("separate")


def test_contents_link_targets_are_bookmarks_on_the_headings(built):
    word = open_docx(built["northshire-peel-2021"][1])
    body = word.element.body
    for start in body.iter(f"{{{W}}}bookmarkStart"):
        name = start.get(f"{{{W}}}name")
        if name.startswith("_Toc_"):
            style = start.getparent().find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val")
            assert style.startswith("Heading"), name


def test_contents_without_page_numbers_keeps_the_field(built):
    word = open_docx(built["city-of-london-peel-2018"][1])
    toc = [p.text for p in paragraphs(word) if p.style.name.startswith("toc ")]
    assert toc and all(t.endswith("\t") for t in toc)


# ---- header, footer, watermark -------------------------------------------------------------


def running_parts(data: bytes, kind: str) -> list:
    return [part_xml(data, n) for n in part_names(data) if re.fullmatch(rf"word/{kind}\d+\.xml", n)]


def shows(full: str, text: str) -> bool:
    """Whether a running line's `text` (read from its start) shows `full`: whole, or as the PDF
    shortens a line too long for its room, its start, an ellipsis, and the end it keeps."""
    if full in text:
        return True
    head, ellipsis, rest = text.partition("\u2026")
    return (bool(ellipsis) and len(head) > 5 and full.startswith(head)
            and any(rest.startswith(full[cut:]) for cut in range(len(head), len(full))))


def all_text(node) -> str:
    return "".join(t.text or "" for t in node.iter(f"{{{W}}}t"))


def test_footer_says_page_x_of_y_with_fields(built):
    for key, (document, data) in built.items():
        footers = running_parts(data, "footer")
        instructions = [" ".join(t.text.split()) for f in footers for t in f.iter(f"{{{W}}}instrText")]
        assert instructions == ["PAGE", "NUMPAGES"], key
        assert any(shows(document.running.footer_left, all_text(f)) for f in footers)
        # the label (in the report's language) with cached field results
        assert any(document.running.page_x_of_y.format(page=1, pages=1) in all_text(f) for f in footers)


def test_marking_is_centred_at_top_and_bottom(built):
    document, data = built["eastmoor-fire-2026-draft"]
    assert document.running.marking
    word = open_docx(data)
    section = word.sections[0]
    for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
        marking = [p for p in part.paragraphs if p.text == document.running.marking]
        assert marking and marking[0].style.name == "Marking"
        assert marking[0].style.paragraph_format.alignment == 1  # centre
    assert not [p for p in paragraphs(open_docx(built["city-of-london-peel-2018"][1])) if p.style.name == "Marking"]


@pytest.mark.parametrize("key,draft", [("eastmoor-fire-2026-draft", True), ("literal", True),
                                       ("northshire-peel-2021", False), ("city-of-london-peel-2018", False)])
def test_drafts_have_a_watermark_in_every_header(built, key, draft):
    document, data = built[key]
    headers = running_parts(data, "header")
    assert len(headers) == 2  # first page (cover) and the rest
    strings = [t.get("string") for h in headers for t in h.iterfind(".//v:shape/v:textpath", NS)]
    assert strings == ([document.running.watermark] * 2 if draft else [])  # "DRAFFT" in Welsh (literal)
    footer_text = " ".join(all_text(f) for f in running_parts(data, "footer"))
    if draft:
        assert "0.3" in footer_text and shows(document.running.footer_left, footer_text)


# ---- badges, glance table ---------------------------------------------------------------


def test_badges_are_shaded_runs_with_the_label_as_text(built):
    document, data = built["eastmoor-fire-2026-draft"]
    word = open_docx(data)
    badges = [p for p in paragraphs(word) if p.style.name == "Grade Badge"]
    assert badges
    for p in badges:
        run = p.runs[0]
        label = p.text.strip("\u00a0")
        grade = next(g for g in document.style.grades if g.label == label) if label != "Ungraded" else None
        assert run.style.name == f"Grade {label}"
        shading = run.style.element.find("w:rPr/w:shd", NS)
        if grade:
            assert shading.get(f"{{{W}}}fill") == grade.colour.lstrip("#").upper()


def test_glance_table_has_a_repeating_header_row(built):
    document, data = built["northshire-peel-2021"]
    word = open_docx(data)
    table = next(t for t in word.tables if t.style.name == "Judgments Table")
    header = table.rows[0]
    assert header._tr.trPr.find(f"{{{W}}}tblHeader") is not None
    assert [c.text for c in header.cells] == ["Area inspected", "Judgment"] or header.cells[0].text
    assert table._tbl.tblPr.find(f"{{{W}}}tblCaption") is not None
    glance = next(b for b in document.body if isinstance(b, GlanceTable))
    assert len(table.rows) == len(glance.rows) + 1
    for row, spec in zip(table.rows[1:], glance.rows):
        assert row.cells[1].text == spec.badge.label
        fill = row.cells[1]._tc.tcPr.find(f"{{{W}}}shd").get(f"{{{W}}}fill")
        assert fill == spec.badge.fill.lstrip("#").upper()
        # the contrast colour set on the run itself: LibreOffice prints a table cell's text in the
        # table style's colour over a character style's, so white on dark green came out black
        colour = row.cells[1].paragraphs[0].runs[0]._r.rPr.find(f"{{{W}}}color").get(f"{{{W}}}val")
        assert colour == spec.badge.text_colour.lstrip("#").upper()


# ---- numbering ---------------------------------------------------------------------------


def test_numbered_lists_use_numbering_definitions_that_restart(built):
    document, data = built["literal"]
    numbering = part_xml(data, "word/numbering.xml")
    formats = {a.get(f"{{{W}}}abstractNumId"): a.find("w:lvl[@w:ilvl='0']/w:numFmt", NS).get(f"{{{W}}}val")
               for a in numbering.findall("w:abstractNum", NS)}
    assert sorted(formats.values()) == ["bullet", "decimal"]
    starts = {n.get(f"{{{W}}}numId"): n.find("w:lvlOverride/w:startOverride", NS)
              for n in numbering.findall("w:num", NS)}
    word = open_docx(data)
    recommendations = [p for p in paragraphs(word) if p.style.name == "Recommendation"]
    assert [p.text for p in recommendations] == ["do the first thing;", "do the second thing.",
                                                "do a third thing;", "do a fourth thing."]
    num_ids = [p._p.pPr.numPr.numId.val for p in recommendations]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]  # one list instance per cause of concern
    for num_id in (num_ids[0], num_ids[2]):
        assert starts[str(num_id)].get(f"{{{W}}}val") == "1"
    numbered = [p for p in paragraphs(word) if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["third item", "fourth item"]
    assert starts[str(numbered[0]._p.pPr.numPr.numId.val)].get(f"{{{W}}}val") == "3"
    body_text = part_xml(data, "word/document.xml")
    assert not any(re.match(r"\d+\.\s", all_text(p)) for p in body_text.iter(f"{{{W}}}p"))  # no typed digits


def test_bullets_come_from_the_list_style(built):
    word = open_docx(built["literal"][1])
    bullets = [p for p in paragraphs(word) if p.style.name in ("Area for Improvement", "List Bullet")]
    assert bullets
    list_bullet = word.styles["List Bullet"].element
    assert list_bullet.find("w:pPr/w:numPr/w:numId", NS).get(f"{{{W}}}val") == "1"
    assert all(p._p.pPr.numPr is None for p in bullets)


# ---- accessibility and metadata ----------------------------------------------------------------


def test_language_is_declared(built):
    for key, (document, data) in built.items():
        lang = part_xml(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        assert lang.get(f"{{{W}}}val") == document.metadata.language, key
        assert open_docx(data).core_properties.language == document.metadata.language
    assert built["literal"][0].metadata.language == "cy-GB"


def test_logo_has_alt_text(built):
    for key, (document, data) in built.items():
        pictures = [p for p in part_xml(data, "word/document.xml").iter(f"{{{NS['wp']}}}docPr")
                    if not p.get("name", "").startswith("Figure")]  # (figures and charts: tests/test_rich_blocks.py)
        if document.cover.logo:
            assert [p.get("descr") for p in pictures] == [document.cover.logo.alt], key
            assert document.cover.logo.alt


def test_core_properties_come_from_the_report(built):
    document, data = built["northshire-peel-2021"]
    core = open_docx(data).core_properties
    meta = document.metadata
    assert (core.title, core.subject, core.author) == (meta.title, meta.subject, meta.author)
    assert core.keywords == ", ".join(meta.keywords)
    assert core.created.date() == meta.date == core.modified.date()
    assert core.revision == 1 and core.comments == ""
    app = part_xml(data, "docProps/app.xml")
    assert app.findtext("{*}Application") == meta.creator
    assert "docProps/thumbnail.jpeg" not in part_names(data)


# ---- determinism, validity -----------------------------------------------------------------


def test_rebuild_gives_identical_bytes(built):
    for key, (document, data) in built.items():
        assert render_docx(document) == data, key


def test_zip_entries_have_fixed_timestamps(built):
    import io
    import zipfile

    for _, data in built.values():
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


@pytest.fixture(scope="session")
def libreoffice_pdfs(built, tmp_path_factory) -> dict[str, Path]:
    if not soffice():
        pytest.skip("LibreOffice is not installed (CI installs libreoffice-writer-nogui)")
    out = tmp_path_factory.mktemp("docx-lo")
    files = []
    for key, (_, data) in built.items():
        path = out / f"{key}.docx"
        path.write_bytes(data)
        files.append(path)
    convert_with_libreoffice(files, out)
    return {key: out / f"{key}.pdf" for key in built}


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.mark.parametrize("key,low,high", [("city-of-london-peel-2018", 4, 10), ("northshire-peel-2021", 12, 30),
                                          ("eastmoor-fire-2026-draft", 7, 16), ("literal", 3, 6)])
def test_libreoffice_converts_with_a_sane_page_count(libreoffice_pdfs, key, low, high):
    path = libreoffice_pdfs[key]
    assert path.exists(), f"LibreOffice did not convert {key}"
    assert low <= pdf_pages(path) <= high


def test_libreoffice_draws_the_cover_band_without_a_gap(libreoffice_pdfs, built, tmp_path):
    """Down the band's left edge, from the paper's top to the band's foot, every pixel is the
    band's colour (LibreOffice once left a white line between the strip and the band's table)."""
    from PIL import Image

    document, _ = built["northshire-peel-2021"]
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(libreoffice_pdfs["northshire-peel-2021"]), str(tmp_path / "cover")], check=True)
    page = Image.open(tmp_path / "cover.png").convert("RGB")
    band = tuple(int(document.style.cover.band_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    foot = int(page.height * document.style.cover.band_height_mm / document.style.page.height_mm) - 2
    x = page.width // 30  # inside the left margin: no text there
    off = [y for y in range(1, foot) if max(abs(a - b) for a, b in zip(page.getpixel((x, y)), band)) > 24]
    assert not off, f"not the band's colour at rows {off[:5]}...{off[-3:]} of {foot}"


def test_libreoffice_output_shows_the_text(libreoffice_pdfs, built):
    text = subprocess.run(["pdftotext", str(libreoffice_pdfs["city-of-london-peel-2018"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "City of London PEEL 2018" in text
    assert "Page 2 of" in text
    # Whitespace folded: a heading may wrap in the 146 mm measure (issue 14, item 5).
    assert "How effective is the force at investigating crime and reducing re-offending?" in " ".join(text.split())


def test_rebuild_in_another_process_gives_identical_bytes(tmp_path):
    """Set and dict order must not leak into the file: two processes, two hash seeds, one result."""
    from tests.conftest import run_reportc

    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        result = run_reportc("build", "sources", "--format", "docx", "--out", str(out), "-q",
                             env={"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"})
        assert result.returncode == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.glob("*.docx"))})
    assert len(outputs[0]) == 3 and outputs[0] == outputs[1]


def test_tables_and_boxes_stand_on_the_text_column_edge_as_in_the_pdf(built):
    """In Word 2010 compatibility mode (and LibreOffice) a table's indent places its first cell's
    text: an indent of one cell margin puts the table's edge on the column's, as the PDF has it."""
    document, data = built["northshire-peel-2021"]
    body = part_xml(data, "word/document.xml")
    size_twips = str(round(document.style.fonts.size * 20))
    indents = {}
    for table in body.iterfind(".//w:body/w:tbl", NS):
        if table.find("w:tblPr/w:tblStyle", NS) is None:  # the cover's band spans the paper
            continue
        style = table.find("w:tblPr/w:tblStyle", NS).get(f"{{{W}}}val")
        indents.setdefault(style, set()).add(table.find("w:tblPr/w:tblInd", NS).get(f"{{{W}}}w"))
    assert indents["JudgmentsTable"] == {"120"}  # the PDF's 6 pt cell padding
    assert indents["AreasforImprovementBox"] == {size_twips}
    assert indents.get("DataTable", {"120"}) <= {str(n) for n in range(60, 121)}  # scaled in wide tables


PADDED_TABLES = """title: Padding
subject: S
language: en-GB
pillars:
  - title: Efficiency
    findings:
      - table:
          caption: Calls
          columns: [Year, Emergency calls answered, Share]
          rows:
            - [2019, "12,400", 91%]
      - table:
          caption: Wide
          columns: [Financial year of the report, Emergency calls answered, Non-emergency calls answered,
                    Abandoned calls overall, Average answer time in seconds, Proportion within ten seconds,
                    Staff on duty per shift]
          rows:
            - [2019, "12,400", "45,000", "1,200", "8.5", 91%, "42"]
"""


def test_table_cells_are_padded_as_the_pdf_pads_them_so_columns_and_wrapping_match(tmp_path):
    """The PDF pads a data table's cells and the glance table's 6 pt either side (pdf/tables.py,
    CELL_PADDING; pdf/story.py, glance) and 4 pt (5 pt) above and below. The DOCX padded 5.4 pt
    (Word's default 108 twentieths) and fitted its columns with that: other widths, headings
    wrapped elsewhere, and the contents' page numbers (the PDF's) drifted on long reports."""
    from compiler.diagnostics import Diagnostics
    from compiler.render.docx.styles import TABLE_TEXT_SCALE, text_width_mm
    from compiler.render.pdf.fonts import register_fonts
    from compiler.render.pdf.tables import CELL_PADDING, VERTICAL_PADDING, fitted_widths

    source = tmp_path / "padding.yaml"
    source.write_text(PADDED_TABLES, encoding="utf-8")
    document = compose(source)
    data = render_docx(document)
    styles = part_xml(data, "word/styles.xml")
    twentieths = {"DataTable": (("TableText", "TableHeader"), VERTICAL_PADDING),
                  "JudgmentsTable": (("GlancePillar", "GlanceQuestion", "GlanceGrade"), 5)}  # the glance's vertical_pad
    for table_style, (text_styles, vertical) in twentieths.items():
        margins = {node.tag.split("}")[1]: int(node.get(f"{{{W}}}w")) for node in
                   styles.find(f"w:style[@w:styleId='{table_style}']/w:tblPr/w:tblCellMar", NS)}
        assert margins["left"] == margins["right"] == round(CELL_PADDING * 20), table_style
        for text_style in text_styles:  # the cell's margin and its text's own space
            space = styles.find(f"w:style[@w:styleId='{text_style}']/w:pPr/w:spacing", NS)
            assert margins["top"] + int(space.get(f"{{{W}}}before")) == vertical * 20, text_style
            assert margins["bottom"] + int(space.get(f"{{{W}}}after")) == vertical * 20, text_style
    # Each table's columns as wide as the PDF's, and a wide table's smaller padding the PDF's too
    style = document.style
    fonts = register_fonts(style.fonts, Diagnostics(), style.files)
    size = style.fonts.size * TABLE_TEXT_SCALE
    blocks = [block for block in document.body if isinstance(block, DataTable)]
    tables = [t for t in part_xml(data, "word/document.xml").iter(f"{{{W}}}tbl")
              if t.find("w:tblPr/w:tblStyle", NS) is not None
              and t.find("w:tblPr/w:tblStyle", NS).get(f"{{{W}}}val") == "DataTable"]
    assert len(blocks) == len(tables) == 2
    scales = []
    for block, table in zip(blocks, tables):
        fit = fitted_widths(block, text_width_mm(style) * 72 / 25.4, fonts, size, size)
        columns = [int(col.get(f"{{{W}}}w")) / 20 for col in table.iterfind("w:tblGrid/w:gridCol", NS)]
        assert columns == pytest.approx(list(fit.widths), abs=0.3), block.caption
        scales.append(fit.scale)
        if fit.scale != 1.0:
            margins = {node.tag.split("}")[1]: int(node.get(f"{{{W}}}w"))
                       for node in table.find("w:tblPr/w:tblCellMar", NS)}
            assert margins["left"] == margins["right"] == round(fit.padding(CELL_PADDING) * 20)
            text_space = int(styles.find("w:style[@w:styleId='TableText']/w:pPr/w:spacing", NS).get(f"{{{W}}}before"))
            assert margins["top"] + text_space == pytest.approx(VERTICAL_PADDING * fit.scale * 20, abs=1)
    assert scales[0] == 1.0 and scales[1] < 1.0
