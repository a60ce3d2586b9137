"""The PDF read back as a reader, a print shop and a checker would: outline, labels, page numbers,
metadata, badges, fonts, links, marks, and bytes that do not change on a rebuild.

Every sample is built once per session (conftest's `built_samples`); the stress fixture in
tests/pdf_fixtures/ once per module, plain and with print marks.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest

from compiler import __version__
from compiler.diagnostics import Diagnostics
from compiler.layout import blocks
from compiler.model import plain_text
from compiler.render import RenderOptions
from compiler.render import pdf as pdf_renderer
from compiler.render.pdf.story import destinations

from .conftest import ROOT, STRESS, run_reportc

MM = 72 / 25.4
BASE14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
          "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
          "Times-BoldItalic", "Symbol", "ZapfDingbats"}


# ---- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stress(tmp_path_factory) -> dict[str, object]:
    """The stress fixture built plainly and with print marks."""
    out = tmp_path_factory.mktemp("stress")
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    # --allow-missing-glyphs: the fixture's emoji is in no font (without the flag the build refuses it)
    plain = run_reportc("build", str(STRESS.relative_to(ROOT)), "--format", "pdf", "--out", str(out / "plain"),
                        "--allow-missing-glyphs", env=env)
    assert plain.returncode == 0, plain.stderr
    printed = run_reportc("build", str(STRESS.relative_to(ROOT)), "--format", "pdf", "--print", "--out",
                          str(out / "print"), "--allow-missing-glyphs", env=env)
    assert printed.returncode == 0, printed.stderr
    return {"plain": out / "plain" / "pdf-stress.pdf", "print": out / "print" / "pdf-stress.pdf",
            "stderr": plain.stderr + plain.stdout}


@pytest.fixture(scope="module")
def pdfs(built_samples, stress, documents) -> dict[str, Path]:
    paths = {report_id: built_samples / f"{report_id}.pdf" for report_id in documents if report_id != "pdf-stress"}
    paths["pdf-stress"] = stress["plain"]
    return paths


class Page:
    """What pdfplumber reads off one page, read once for every test."""

    def __init__(self, page) -> None:
        self.number = page.page_number
        self.width = float(page.width)
        self.height = float(page.height)
        # The diagonal DRAFT watermark would interleave its letters with the text it crosses.
        level = page.filter(lambda o: o.get("object_type") != "char" or abs(o["matrix"][1]) < 1e-6)
        self.text = level.extract_text() or ""
        self.words = level.extract_words(extra_attrs=["size", "fontname"])
        self.chars = [{**{k: c[k] for k in ("text", "x0", "x1", "top", "bottom", "size", "fontname")},
                       # pdfminer calls 45-degree text upright; only an unrotated matrix is level.
                       "level": abs(c["matrix"][1]) < 1e-6}
                      for c in page.chars]
        self.rects = [{"fill": r.get("fill"), "colour": r.get("non_stroking_color")} for r in page.rects]
        self.lines = [{k: line[k] for k in ("x0", "x1", "top", "bottom")} for line in page.lines]


@pytest.fixture(scope="module")
def pages(pdfs) -> dict[str, list[Page]]:
    read = {}
    for report_id, path in pdfs.items():
        with pdfplumber.open(path) as pdf:
            read[report_id] = [Page(page) for page in pdf.pages]
    return read


# ---- helpers ---------------------------------------------------------------------------------


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def outline_of(reader: pypdf.PdfReader) -> list[tuple[str, int, int]]:
    """(title, depth, page index) for every outline item, in order."""
    items: list[tuple[str, int, int]] = []

    def walk(nodes, depth):
        for node in nodes:
            if isinstance(node, list):
                walk(node, depth + 1)
            else:
                items.append((node.title, depth, reader.get_destination_page_number(node)))

    walk(reader.outline, 0)
    return items


def outlined_headings(document: blocks.Document) -> list[blocks.Heading]:
    return [block for block in document.body if isinstance(block, blocks.Heading) and block.in_outline
            and block.anchor]


def heading_title(heading: blocks.Heading) -> str:
    text = plain_text(heading.content)
    return f"{heading.number}. {text}" if heading.number else text


# ---- navigation ------------------------------------------------------------------------------


def test_outline_is_pillars_with_their_questions_in_source_order(documents, pdfs):
    for report_id, document in documents.items():
        reader = pypdf.PdfReader(pdfs[report_id])
        actual = [(title, depth) for title, depth, _ in outline_of(reader)]
        expected = [(heading_title(h), h.level - 1) for h in outlined_headings(document)]
        assert actual == expected, report_id
        assert any(depth == 1 for _, depth in actual), "questions nest under their pillar"
        assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
        assert all(node.get("/Count", 0) >= 0 for node in _outline_nodes(reader)), "every entry opened"


def _outline_nodes(reader):
    def walk(nodes):
        for node in nodes:
            if isinstance(node, list):
                yield from walk(node)
            else:
                yield node
    return list(walk(reader.outline))


def test_outline_entries_land_on_their_heading(pdfs, pages):
    for report_id, path in pdfs.items():
        for title, _, page_index in outline_of(pypdf.PdfReader(path)):
            text = squash(pages[report_id][page_index].text)
            assert squash(" ".join(title.split()[:4])) in text, (report_id, title, page_index + 1)


def test_page_labels_name_the_cover_and_number_the_rest(pdfs):
    for report_id, path in pdfs.items():
        reader = pypdf.PdfReader(path)
        count = len(reader.pages)
        assert reader.page_labels == ["Cover"] + [str(n) for n in range(2, count + 1)], report_id


def test_page_x_of_y_on_every_page_after_the_cover(pages, documents):
    for report_id, read in pages.items():
        template = documents[report_id].running.page_x_of_y
        total = len(read)
        for page in read[1:]:
            assert template.format(page=page.number, pages=total) in page.text, (report_id, page.number)
        assert template.format(page=1, pages=total) not in read[0].text


def test_contents_numbers_are_the_pages_their_links_reach(pdfs, pages, documents):
    for report_id, path in pdfs.items():
        reader = pypdf.PdfReader(path)
        page_index = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
        contents = next(b for b in documents[report_id].body if isinstance(b, blocks.Contents))
        checked = 0
        for number in range(1, len(reader.pages)):
            annotations = reader.pages[number].get("/Annots") or []
            words = pages[report_id][number].words
            for annotation in (a.get_object() for a in annotations):
                if "/Dest" not in annotation:
                    continue
                if checked == len(contents.entries):
                    break  # the contents come first; later links (the glance table) are not its own
                assert annotation["/Contents"] == _entry_text(contents.entries[checked])
                target = page_index[annotation["/Dest"][0].idnum] + 1
                x0, y0, x1, y1 = [float(v) for v in annotation["/Rect"]]
                height = pages[report_id][number].height
                inside = [w for w in words if w["x0"] >= x0 - 1 and w["x1"] <= x1 + 1
                          and height - w["bottom"] >= y0 - 1 and height - w["top"] <= y1 + 1]
                assert inside and inside[-1]["text"] == str(target), (report_id, annotation["/Contents"])
                checked += 1
        assert checked == len(contents.entries), report_id


def test_each_glance_row_is_one_link_to_its_section(pdfs, pages, documents):
    """A glance row links from the whole of its text (one annotation, however many lines it takes)
    to the page its question's heading is on."""
    for report_id, path in pdfs.items():
        reader = pypdf.PdfReader(path)
        page_index = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
        glance = next(b for b in documents[report_id].body if isinstance(b, blocks.GlanceTable))
        links: dict[str, list[int]] = {}
        for page in reader.pages:
            for annotation in (a.get_object() for a in page.get("/Annots") or []):
                if "/Dest" in annotation:
                    links.setdefault(str(annotation["/Contents"]), []).append(
                        page_index[annotation["/Dest"][0].idnum])
        contents = next(b for b in documents[report_id].body if isinstance(b, blocks.Contents))
        in_contents = [_entry_text(entry) for entry in contents.entries]
        linked = [row for row in glance.rows if row.anchor in destinations(documents[report_id].body)]
        assert len(linked) >= len(glance.rows) - 1, report_id  # all but the overall judgment
        for row in linked:
            text = (f"{row.number}. " if row.number else "") + plain_text(row.content)
            heading = " ".join(plain_text(row.content).split())[:40]
            assert len(links[text]) == 1 + in_contents.count(text), (report_id, text)  # and the contents line
            for target in links[text]:
                assert heading in " ".join(pages[report_id][target].text.split()), (report_id, text)


def _entry_text(entry: blocks.ContentsEntry) -> str:
    return f"{entry.number}. {entry.text}" if entry.number else entry.text


def test_links_are_web_or_mail_or_reach_a_page(pdfs, documents):
    for report_id, path in pdfs.items():
        reader = pypdf.PdfReader(path)
        uris = []
        for page in reader.pages:
            for annotation in (a.get_object() for a in page.get("/Annots") or []):
                assert annotation["/Subtype"] == "/Link"
                assert str(annotation.get("/Contents", "")).strip(), "every link is described"
                if "/A" in annotation:
                    uri = annotation["/A"]["/URI"]
                    assert uri.split(":", 1)[0] in ("http", "https", "mailto"), uri
                    uris.append(uri)
                else:
                    assert annotation["/Dest"][0].get_object()["/Type"] == "/Page"
        document = documents[report_id]
        imprint = document.imprint.for_edition("pdf") if document.imprint else ()
        expected = [link.target for block in (*imprint, *document.body) for link in _links(block)]
        assert sorted(set(uris)) == sorted(set(expected)), report_id


def _links(block):
    from compiler.model import Link

    def inline_links(content):
        for node in content:
            if isinstance(node, Link):
                yield node
            elif hasattr(node, "children"):
                yield from inline_links(node.children)

    if isinstance(block, (blocks.Heading, blocks.Para)):
        yield from inline_links(block.content)
    elif isinstance(block, blocks.ListBlock):
        for item in block.items:
            yield from inline_links(item.content)
            for child in item.children:
                yield from _links(child)
    elif isinstance(block, blocks.Callout):
        for child in block.blocks:
            yield from _links(child)
    elif isinstance(block, blocks.Notes):
        for entry in block.entries:
            yield from inline_links(entry.content)
    elif isinstance(block, blocks.DataTable):
        for content in (block.caption, *block.header, *(cell for row in block.rows for cell in row),
                        block.source or ()):
            yield from inline_links(content)
        for note in block.notes:
            yield from _links(note)
    elif isinstance(block, (blocks.FigureBlock, blocks.ChartBlock)):
        yield from inline_links(block.caption + (block.source or ()))


# ---- document properties ---------------------------------------------------------------------


def test_metadata_names_title_author_subject_keywords_creator_language(pdfs, documents):
    for report_id, path in pdfs.items():
        meta = documents[report_id].metadata
        reader = pypdf.PdfReader(path)
        info = reader.metadata
        assert info["/Title"] == meta.title
        assert info["/Author"] == documents[report_id].style.brand_name
        assert info["/Subject"] == meta.subject
        assert info["/Keywords"] == ", ".join(meta.keywords)
        assert info["/Creator"] == f"reportc {__version__}"
        assert info["/CreationDate"] == f"D:{meta.date:%Y%m%d}000000+00'00'"
        root = reader.trailer["/Root"]
        assert root["/Lang"] == meta.language
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a pypdf BooleanObject)


def test_every_font_is_embedded_truetype_and_none_is_base14(pdfs):
    for report_id, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            fonts = {}
            for page in pdf.pages:
                for name, font in page.obj.Resources.get("/Font", {}).items():
                    fonts[font.objgen] = font
                for xobject in page.obj.Resources.get("/XObject", {}).values():
                    for font in xobject.get("/Resources", {}).get("/Font", {}).values():
                        fonts[font.objgen] = font
            assert fonts, report_id
            for font in fonts.values():
                base = str(font.BaseFont).lstrip("/")
                assert base.split("+")[-1] not in BASE14, (report_id, base)
                descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor, (report_id, base, "not embedded TrueType")


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler's pdffonts not installed")
def test_pdffonts_sees_only_embedded_fonts(pdfs):
    for path in pdfs.values():
        lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert lines
        for line in lines:
            name, *_ = line.split()
            assert " yes yes " in line, line
            assert name.split("+")[-1] not in BASE14, line


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_finds_no_errors(pdfs, stress):
    for path in [*pdfs.values(), stress["print"]]:
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout


def test_a_rebuild_gives_identical_bytes(built_samples, tmp_path, documents):
    again = run_reportc("build", "sources", "--format", "pdf", "--out", str(tmp_path),
                        env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert again.returncode == 0, again.stderr
    for path in tmp_path.glob("*.pdf"):
        assert path.read_bytes() == (built_samples / path.name).read_bytes(), path.name
    document = documents["pdf-stress"]
    first = pdf_renderer.render(document, RenderOptions(), Diagnostics()).data
    assert pdf_renderer.render(document, RenderOptions(), Diagnostics()).data == first


# ---- what the page shows -----------------------------------------------------------------------


def test_badge_label_sits_below_every_graded_heading_at_the_margin(pdfs, pages, documents):
    # Below, as in the DOCX and the HTML (issue 14, item 7): it was beside the heading before.
    for report_id, document in documents.items():
        reader = pypdf.PdfReader(pdfs[report_id])
        page_of = {title: index for title, _, index in outline_of(reader)}
        for heading in outlined_headings(document):
            if heading.badge is None:
                continue
            words = pages[report_id][page_of[heading_title(heading)]].words
            start = _find_phrase(words, heading_title(heading).split()[:3])
            assert start is not None, (report_id, heading_title(heading))
            label = heading.badge.label.split()
            # Under the heading's first line, within a few lines of it, near the left margin.
            below = [w for w in words if w["text"] == label[0] and start["bottom"] <= w["top"] < start["bottom"] + 120
                     and w["x0"] < start["x0"] + 20]
            assert below, (report_id, heading_title(heading), heading.badge.label)


def _find_phrase(words: list[dict], phrase: list[str]) -> dict | None:
    """The first word of the first run of words reading `phrase`."""
    for index in range(len(words) - len(phrase) + 1):
        if [w["text"] for w in words[index:index + len(phrase)]] == phrase:
            return words[index]
    return None


def test_glance_table_pairs_every_row_with_its_grade_label(pages, documents):
    for report_id, document in documents.items():
        table = next(b for b in document.body if isinstance(b, blocks.GlanceTable))
        text = " ".join(squash(page.text) for page in pages[report_id][1:])
        text = text[text.index(" ".join(table.header)):]  # the contents list the same titles first
        position = 0
        for row in table.rows:
            number = f"{row.number}. " if row.number else ""
            words = (number + plain_text(row.content)).split()
            at = text.find(" ".join(words[:3]), position)
            assert at >= 0, (report_id, words)
            # The label reads beside its row: before the next row's text starts (no grade: no label).
            if row.badge:
                assert row.badge.label.split()[0] in text[at:at + len(" ".join(words)) + 40], (report_id, words)
            position = at + 1


def test_literal_markup_characters_print_as_written(pages):
    text = squash(" ".join(page.text for page in pages["pdf-stress"]))
    for literal in ["Stress <test> & R&D report", "Programme with <b>not bold</b> & &amp; entities",
                    "a < b & c > d", '<img src="x.png">', "R&D", "&copy;", "keep <people> safe?"]:
        assert literal in text, literal
    assert "©" not in text


def test_protective_marking_is_centred_at_top_and_bottom_of_every_page(pages, documents):
    for report_id, read in pages.items():
        marking = documents[report_id].running.marking
        if not marking:
            continue
        for page in read:
            found = [w for w in page.words if w["text"] == marking]
            centred = [w for w in found if abs((w["x0"] + w["x1"]) / 2 - page.width / 2) < 1]
            assert any(w["top"] < 15 * MM for w in centred), (report_id, page.number)
            assert any(w["bottom"] > page.height - 15 * MM for w in centred), (report_id, page.number)


def test_drafts_carry_a_diagonal_watermark_on_every_page(pages, documents):
    for report_id, read in pages.items():
        watermark = documents[report_id].running.watermark
        for page in read:
            diagonal = "".join(c["text"] for c in page.chars if not c["level"])
            assert diagonal == (watermark or ""), (report_id, page.number)


def test_nothing_runs_off_the_text_column(pages, documents):
    for report_id, read in pages.items():
        page_style = documents[report_id].style.page
        for page in read[1:]:
            right = page.width - page_style.margin_right_mm * MM
            # (a wrapped line's space, drawn after its last glyph, prints nothing)
            beyond = [c["text"] for c in page.chars if c["level"] and c["x1"] > right + 0.5 and not c["text"].isspace()]
            assert not beyond, (report_id, page.number, "".join(beyond))


def test_headings_never_end_a_page(pages, documents):
    for report_id, read in pages.items():
        style = documents[report_id].style
        bottom_margin = style.page.margin_bottom_mm * MM
        for page in read[1:-1]:
            body = [c for c in page.chars if c["level"] and c["bottom"] < page.height - bottom_margin + 1
                    and c["top"] > style.page.margin_top_mm * MM]
            if not body:
                continue
            last_line = max(c["bottom"] for c in body)
            line = [c for c in body if abs(c["bottom"] - last_line) < 2 and c["text"].strip()]
            is_heading = all(c["size"] > style.fonts.size * 1.01 and "Bold" in c["fontname"] for c in line)
            assert not is_heading, (report_id, page.number, "".join(c["text"] for c in line))


def test_a_callout_taller_than_a_page_splits_and_keeps_its_shading(pages, documents):
    callout_fill = documents["pdf-stress"].style.colours.callout
    read = pages["pdf-stress"]
    first = next(p for p in read if "recommendation number 1," in p.text)
    last = next(p for p in read if "recommendation number 60," in p.text)
    assert last.number > first.number
    for page in read[first.number - 1:last.number]:
        fills = {_hex(r["colour"]) for r in page.rects if r["fill"]}
        assert callout_fill.upper() in fills, page.number


def _hex(colour) -> str | None:
    if not colour or len(colour) != 3:
        return None
    return "#" + "".join(f"{round(c * 255):02X}" for c in colour)


def test_a_long_glance_table_repeats_its_header(pages, documents):
    table = next(b for b in documents["pdf-stress"].body if isinstance(b, blocks.GlanceTable))
    assert len([p for p in pages["pdf-stress"] if table.header[0] in p.text]) >= 2


def test_a_missing_glyph_is_a_warning_naming_character_and_line(stress):
    assert re.search(r"tests/pdf_fixtures/stress\.yaml:\d+:\d+: warning: .*'😀' \(U\+1F600\)", stress["stderr"])


# ---- print ------------------------------------------------------------------------------------


def test_print_adds_bleed_and_crop_marks_around_an_unchanged_trim(stress, documents):
    page_style = documents["pdf-stress"].style.page
    width, height = page_style.width_mm * MM, page_style.height_mm * MM
    bleed = 3 * MM
    with pikepdf.open(stress["plain"]) as plain, pikepdf.open(stress["print"]) as printed:
        assert len(plain.pages) == len(printed.pages)
        for page in printed.pages:
            media = [float(v) for v in page.MediaBox]
            trim = [float(v) for v in page.TrimBox]
            bleed_box = [float(v) for v in page.BleedBox]
            assert trim[2] - trim[0] == pytest.approx(width, abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(height, abs=0.01)
            assert bleed_box == pytest.approx([trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed],
                                              abs=0.01)
            assert media[0] < bleed_box[0] and media[2] > bleed_box[2]
        assert "/TrimBox" not in plain.pages[0]
    with pdfplumber.open(stress["print"]) as pdf, pikepdf.open(stress["print"]) as printed:
        page = pdf.pages[3]
        trim = [float(v) for v in printed.pages[3].TrimBox]
        top_y = page.height - trim[3]
        # A crop mark: a hairline outside the bleed, in line with a trim edge.
        marks = [line for line in page.lines if line["x1"] < trim[0] - bleed or line["top"] < top_y - bleed]
        assert len(marks) >= 4


LONG_COVER = """id: long-cover
title: {title}
subject: {subject}
programme: {programme}
published: 2025-01-01
status: draft
version: "0.1"
grade: good
pillars:
  - title: Pillar
    grade: good
    summary: Summary text.
"""


def test_a_cover_too_full_for_its_page_sets_its_band_texts_smaller_and_says_so(tmp_path):
    """Title, subject and programme within their limits pushed the draft's status, version and
    overall grade below the page's edge, silently."""
    source = LONG_COVER.format(title=("Inspection of the effectiveness and efficiency of services " * 4)[:240],
                               subject=("Northshire and Southshire Combined " * 7)[:240],
                               programme=("Programme of inspections " * 9)[:240])
    (tmp_path / "long-cover.yaml").write_text(source, encoding="utf-8")
    result = run_reportc("build", "long-cover.yaml", "--format", "pdf", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning: the cover's title, subject and programme are set at" in result.stderr
    with pdfplumber.open(tmp_path / "out" / "long-cover.pdf") as pdf:
        cover = pdf.pages[0]
        words = {word["text"]: word["bottom"] for word in cover.extract_words()}
    bottom_margin = 25 * 72 / 25.4  # the default style's: the cover's texts stay above it
    for shown in ("DRAFT", "0.1", "judgment", "Good"):
        assert words[shown] <= cover.height - bottom_margin, (shown, words[shown])
