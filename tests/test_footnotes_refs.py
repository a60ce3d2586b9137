"""Issue 13, source format v2: footnotes (`[^NAME]` and `[^NAME]: TEXT`), cross-references
(`@tbl-NAME`, `@fig-NAME`) and warnings for Markdown that is not markup. Errors at their own
FILE:LINE:COL in one run; the outputs read back: Word footnotes in the DOCX, linked and tagged
marks and notes in the PDF, links both ways in the HTML."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pypdf
import pytest

from compiler.diagnostics import Diagnostics, Span
from compiler.model import CrossRef, FootnoteDefinition, NoteRef, Paragraph, Text, plain_text
from compiler.source import markup
from tests.conftest import ROOT, run_reportc
from tests.test_pdf_tagging import read_tree

FIXTURE = ROOT / "tests" / "notes_fixtures" / "notes.yaml"


def parse(text: str) -> tuple[tuple, Diagnostics]:
    diagnostics = Diagnostics()

    def locate(offset: int) -> Span:  # LINE:COL of an offset, counting from line 1
        line = text.count("\n", 0, offset)
        return Span("t.yaml", line + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)

    return markup.parse_blocks(text, lambda index: Span("t.yaml", index + 1, 1), diagnostics, locate), diagnostics


def where(diagnostic) -> str:
    return f"{diagnostic.span.line}:{diagnostic.span.col}"


# ---- parsing ----------------------------------------------------------------------------------


def test_marks_references_and_note_texts_parse_with_their_positions():
    blocks, diagnostics = parse("Calls rose[^calls] (@tbl-calls, @fig-map.)\n\n[^calls]: From *force* data\n  on two lines.")
    assert not diagnostics.items
    paragraph, note = blocks
    assert isinstance(paragraph, Paragraph) and isinstance(note, FootnoteDefinition)
    marks = [node for node in paragraph.content if isinstance(node, (NoteRef, CrossRef))]
    assert [(type(m).__name__, getattr(m, "kind", ""), m.name, m.span.col) for m in marks] == [
        ("NoteRef", "", "calls", 11), ("CrossRef", "tbl", "calls", 21), ("CrossRef", "fig", "map", 33)]
    assert note.name == "calls" and plain_text(note.content) == "From force data on two lines."
    assert (note.span.line, note.span.col) == (3, 1)


def test_a_note_text_directly_under_a_paragraph_starts_its_own_block():
    blocks, _ = parse("Text[^a] here.\n[^a]: The note.")
    assert [type(block).__name__ for block in blocks] == ["Paragraph", "FootnoteDefinition"]


def test_at_signs_and_angle_brackets_in_prose_stay_text_without_warnings():
    text = "Write to bob@tbl-corp.uk or <bob@example.org>, a < b, fewer than <5%, @someone and @tbl- alone."
    (paragraph,), diagnostics = parse(text)
    assert not diagnostics.items
    assert paragraph.content == (Text(text),)


def test_markdown_that_is_not_markup_prints_as_written_with_a_warning_at_its_position():
    text = "Intro\n\n## Results\n\nSee ![map](images/map.png) and <b>this</b><br/> and <img src=\"x.png\">."
    blocks, diagnostics = parse(text)
    assert not diagnostics.errors
    found = [(where(d), d.message.split("'")[1]) for d in diagnostics.warnings]
    assert found == [("3:1", "## "), ("5:5", "![map](images/map.png)"), ("5:32", "<b>"), ("5:39", "</b>"),
                     ("5:43", "<br/>"), ("5:53", '<img src="x.png">')]
    messages = [d.message for d in diagnostics.warnings]
    assert "`figure:` block" in messages[1] and "### " in messages[0] and "**bold**" in messages[2]
    assert plain_text(blocks[2].content) == text.split("\n\n")[2]  # as written: no link, no markup


# ---- the whole report's checks -------------------------------------------------------------------


def test_reference_errors_come_all_in_one_run_at_their_positions(tmp_path):
    source = FIXTURE.read_text(encoding="utf-8")
    source = (source.replace("twice[^calls]", "twice[^call]")  # a mark with no note
                    .replace("@tbl-staff[^method]", "@tbl-stuff[^method]")  # an unknown table
                    .replace("{#tbl-staff}", "{#tbl-calls}")  # two tables, one name
                    + "\n      [^method]: Again.\n\n      [^spare]: Never marked.\n")  # two notes, one name
    (tmp_path / "bad.yaml").write_text(source, encoding="utf-8")
    result = run_reportc("validate", "--root", str(tmp_path), str(tmp_path / "bad.yaml"))
    assert result.returncode == 1
    lines = result.stderr.splitlines()

    def line_of(text: str, occurrence: int = 0) -> int:
        return [i for i, line in enumerate(source.splitlines(), 1) if text in line][occurrence]

    expected = [
        f"bad.yaml:{line_of('@tbl-staff')}:48: error: @tbl-staff refers to no table",
        f"bad.yaml:{line_of('twice[^call]')}:35: error: the note [^call] has no text (did you mean 'calls'?)",
        f"bad.yaml:{line_of('@tbl-stuff')}:66: error: @tbl-stuff refers to no table",
        f"bad.yaml:{line_of('| Role')}:7: error: the name 'tbl-calls' is used twice (first at bad.yaml:{line_of('| Year')}:7)",
        f"bad.yaml:{line_of('[^method]: Again')}:7: error: note [^method] is used twice (first at "
        f"bad.yaml:{line_of('[^method]: See')}:7)",
        f"bad.yaml:{line_of('[^spare]')}:7: warning: the note [^spare] is never referred to",
    ]
    for wanted in expected:
        assert any(line.startswith(wanted) for line in lines), (wanted, lines)


def test_a_note_mark_or_reference_in_text_printed_as_written_is_a_warning_at_it(tmp_path):
    """A series name, category, unit or alt text prints as written: `[^c]` there printed
    literally ("S[^c]" in a chart's legend), silently."""
    source = ("title: T\nsubject: S\npillars:\n  - title: P\n    summary:\n      - |\n        A note[^c].\n\n"
              "        [^c]: The note.\n      - chart:\n          type: column\n          caption: Calls\n"
              "          categories: [A, see @tbl-x]\n          series:\n"
              "            - {name: \"S[^c]\", values: [1, 2]}\n")
    (tmp_path / "s.yaml").write_text(source, encoding="utf-8")
    result = run_reportc("validate", "--root", str(tmp_path), str(tmp_path / "s.yaml"))
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if "is not read as a note mark or reference" in line]
    assert [line.split(": warning: ")[0].rsplit("s.yaml:", 1)[1] for line in warned] == ["13:31", "15:24"], warned
    assert "'@tbl-x'" in warned[0] and "'[^c]'" in warned[1] and "put it in the caption instead" in warned[1]


def test_a_note_marked_in_the_title_or_subject_is_an_error_at_its_mark(tmp_path):
    """The cover texts print where no note can follow: a mark there vanished, note and all."""
    source = FIXTURE.read_text(encoding="utf-8")
    source = (source.replace("title: Eastmoor notes test", "title: Eastmoor notes[^method] test", 1)
                    .replace("subject: Eastmoor Police", "subject: Eastmoor Police[^calls]", 1))
    (tmp_path / "bad.yaml").write_text(source, encoding="utf-8")
    result = run_reportc("validate", "--root", str(tmp_path), str(tmp_path / "bad.yaml"))
    assert result.returncode == 1
    line = next(i for i, text in enumerate(source.splitlines(), 1) if text.startswith("title:"))
    assert f"bad.yaml:{line}:22: error: a note cannot be marked in the report's `title:`" in result.stderr
    assert f"bad.yaml:{line + 1}:25: error: a note cannot be marked in the report's `subject:`" in result.stderr


# ---- the outputs -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notes")
    shutil.copy(FIXTURE, folder / "notes.yaml")
    result = run_reportc("build", "--root", str(folder), str(folder / "notes.yaml"), "--out", str(folder / "out"),
                         "--format", "pdf,docx,html")
    assert result.returncode == 0, result.stderr
    return folder / "out"


def test_pdf_numbers_notes_in_reading_order_with_linked_marks_and_the_texts(built):
    reader = pypdf.PdfReader(built / "notes.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    # the summary's note is 1; the method section marks it again (1) and then its own (2)
    assert "Calls rose again1 (see Table 1 and Table 2)." in text
    assert "We read the calls data twice1 and checked it against Table 22." in text
    assert "1. Counted from the force's own data." in text and "2. See the inspection framework." in text
    assert text.count("Counted from") == 1  # one note, one text, however often it is marked
    links = [str(annotation.get_object()["/Contents"]) for page in reader.pages
             for annotation in page.get("/Annots") or [] if "/Dest" in annotation.get_object()]
    assert links.count("Table 2") == 2 and links.count("Table 1") == 1
    # marks are named "Note N" for screen readers (a bare "1" names nothing); the notes' links back
    # are their numbers
    assert links.count("Note 1") == 2 and links.count("Note 2") == 1
    assert links.count("1") == 1 and links.count("2") == 1


def test_pdf_tags_marks_as_references_and_notes_with_ids_and_stays_pdfua_clean(built):
    tree = read_tree(built / "notes.pdf")
    marks = [tree.text(node) for node in tree.nodes("Reference") if node.children("Link")
             and tree.text(node).strip().isdigit()]  # (the contents' entries are References too)
    assert marks == ["1", "1", "2"]
    notes = tree.nodes("Note")
    assert [tree.text(note).strip() for note in notes] == ["1. Counted from the force's own data.",
                                                          "2. See the inspection framework."]
    with pikepdf.open(built / "notes.pdf") as pdf:
        ids = sorted(str(element.ID) for element in _struct_elements(pdf) if element.get("/S") == "/Note")
    assert ids == ["note-1", "note-2"]
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(built / "notes.pdf")],
                            capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout)["summary"]["findings"] == 0, result.stdout


def _struct_elements(pdf):
    pending = [pdf.Root.StructTreeRoot]
    while pending:
        node = pending.pop()
        if isinstance(node, pikepdf.Array):
            pending += list(node)
        elif isinstance(node, pikepdf.Dictionary) and ("/S" in node or "/K" in node) and "/MCID" not in node:
            yield node
            if "/K" in node:
                pending.append(node.K)


def test_docx_has_word_footnotes_referenced_in_order(built):
    with zipfile.ZipFile(built / "notes.docx") as package:
        names = package.namelist()
        document = package.read("word/document.xml").decode("utf-8")
        footnotes = package.read("word/footnotes.xml").decode("utf-8")
        rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
        types = package.read("[Content_Types].xml").decode("utf-8")
    assert "word/footnotes.xml" in names and "footnotes" in rels and "footnotes+xml" in types
    assert re.findall(r'<w:footnote w:type="(\w+)" w:id="(-?\d)"', footnotes) == [("separator", "-1"),
                                                                                  ("continuationSeparator", "0")]
    notes = re.findall(r'<w:footnote w:id="(\d+)">(.*?)</w:footnote>', footnotes)
    assert [number for number, _ in notes] == ["1", "2"]
    assert "Counted from the" in notes[0][1] and "<w:footnoteRef/>" in notes[0][1] and "Strong" in notes[0][1]
    assert re.findall(r'<w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="(\d+)"/>',
                      document) == ["1", "2"]
    assert "Notes</w:t>" not in document  # the texts are footnotes, not a list in the body
    assert document.count('<w:hyperlink w:anchor="_Ref_tbl_staff"') == 2
    assert '<w:bookmarkStart w:id="' in document and 'w:name="_Ref_tbl_staff"' in document


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[tuple[str, str]] = []  # (href, the link's own id)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href", "").startswith("#"):
            self.hrefs.append((attributes["href"][1:], attributes.get("id", "")))


def test_html_links_marks_to_notes_and_back_and_references_to_tables(built):
    page = (built / "notes.html").read_text(encoding="utf-8")
    links = _Links()
    links.feed(page)
    assert all(target in links.ids for target, _ in links.hrefs)  # every internal link resolves
    marks = [(target, own) for target, own in links.hrefs if target.startswith("note-") and not target.startswith("note-ref")]
    assert marks == [("note-1", "note-ref-1"), ("note-1", "note-ref-1-2"), ("note-2", "note-ref-2")]
    backs = [target for target, _ in links.hrefs if target.startswith("note-ref")]
    assert backs == ["note-ref-1", "note-ref-1-2", "note-ref-2"]  # one link back per mark
    assert [target for target, _ in links.hrefs if target.startswith("tbl-")] == ["tbl-calls", "tbl-staff", "tbl-staff"]
    assert re.search(r'<sup class="note-mark"><a href="#note-1" id="note-ref-1" role="doc-noteref" '
                     r'aria-label="Note 1">1</a></sup>', page)
    assert '>Table 2</a>' in page


def test_html_notes_are_named_by_their_section_and_their_links_back_are_named(built):
    """Every section's notes are a landmark (doc-endnotes, on a <section>: not allowed on <aside>),
    named by the section they end so no two share a name; a link back says where it goes ("↩"
    alone names nothing)."""
    page = (built / "notes.html").read_text(encoding="utf-8")
    names = re.findall(r'<section class="notes" role="doc-endnotes" aria-label="([^"]+)">', page)
    assert names and len(set(names)) == len(names) and all(name.startswith("Notes: ") for name in names), names
    assert "<aside class=\"notes\"" not in page
    backs = re.findall(r'<a class="note-back" href="#(note-ref-[0-9]+)" role="doc-backlink" aria-label="([^"]+)">', page)
    assert backs == [("note-ref-1", "Back to where note 1 is marked"), ("note-ref-2", "Back to where note 2 is marked")]


def test_libreoffice_prints_the_word_footnotes_at_the_foot_of_their_page(built, tmp_path):
    from tests.docx_fixtures import convert_with_libreoffice, soffice

    if not soffice():
        pytest.skip("LibreOffice (soffice) is not installed")
    convert_with_libreoffice([built / "notes.docx"], tmp_path)  # its own profile: tests run in parallel
    pages = [page.extract_text() for page in pypdf.PdfReader(tmp_path / "notes.pdf").pages]
    summary = next(text for text in pages if "Calls rose again1" in text)
    assert "1 Counted from the force's own data." in summary  # on the page of its mark
    method = next(text for text in pages if "twice1" in text)
    assert "2 See the inspection framework." in method and "Counted from" not in method


def test_a_reviewers_change_in_any_note_is_traced_after_a_libreoffice_save(tmp_path):
    """LibreOffice dropped the source mark of every note but the first (a bookmark before the
    note's own number), or renamed it "..._Copy_1": a change in note 2 was listed at the heading
    above as text without a source position, and never applied."""
    from tests.docx_fixtures import convert_with_libreoffice, soffice

    if not soffice():
        pytest.skip("LibreOffice (soffice) is not installed")
    (tmp_path / "notes.yaml").write_text(FIXTURE.read_text(encoding="utf-8").replace("status: final", "status: draft"),
                                         encoding="utf-8")
    result = run_reportc("build", "notes.yaml", "--format", "docx", "--out", "draft", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (tmp_path / "saved").mkdir()
    convert_with_libreoffice([tmp_path / "draft" / "notes.docx"], tmp_path / "saved", to="docx")
    with zipfile.ZipFile(tmp_path / "saved" / "notes.docx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    notes = parts["word/footnotes.xml"].decode()
    end = notes.index("</w:r>", notes.index("inspection framework")) + len("</w:r>")
    parts["word/footnotes.xml"] = (notes[:end] + '<w:ins w:id="990" w:author="Rev" w:date="2026-05-01T10:00:00Z">'
                                   '<w:r><w:t xml:space="preserve"> Read it first.</w:t></w:r></w:ins>'
                                   + notes[end:]).encode()
    with zipfile.ZipFile(tmp_path / "reviewed.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    note_line = next(i for i, line in enumerate((tmp_path / "notes.yaml").read_text().splitlines(), 1)
                     if "[^method]: See the inspection framework" in line)
    listed = run_reportc("review", "reviewed.docx", cwd=tmp_path)
    assert f"notes.yaml:{note_line}:7: change: Rev: insert" in listed.stdout + listed.stderr, listed.stdout
    applied = run_reportc("review", "reviewed.docx", "--apply", cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert "See the inspection framework. Read it first." in (tmp_path / "notes.yaml").read_text(encoding="utf-8")


CELL_NOTE_SOURCE = """\
title: Notes in cells
subject: Care home
pillars:
  - title: Safe
    grade: good
    questions:
      - title: Medicines
        grade: good
        findings: |
          | Check | Result |
          |:--|--:|
          | Signatures[^cell] | 7 of 18 records had gaps in the signatures for the medicines given to people living in the home over the period we looked at in detail during the inspection visit |

          Table: Audit

          [^cell]: Signatures on the administration records.
"""


def test_a_note_mark_in_a_table_cell_is_measured_with_its_word(tmp_path):
    """A column as narrow as its longest word leaves room for that word's note mark: the mark
    prints on the word's line, not wrapped under it alone."""
    import pdfplumber

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "cells.yaml").write_text(CELL_NOTE_SOURCE, encoding="utf-8")
    result = run_reportc("build", "--out", str(tmp_path / "out"), "--format", "pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(tmp_path / "out" / "cells.pdf") as pdf:
        words = [word for page in pdf.pages for word in page.extract_words(extra_attrs=["size"])]
    at = next(index for index, word in enumerate(words) if word["text"] == "Signatures")
    word, mark = words[at], words[at + 1]
    assert mark["text"] == "1" and mark["size"] < word["size"]
    assert word["top"] - 6 < mark["top"] <= word["top"] and mark["x0"] >= word["x1"] - 0.5
