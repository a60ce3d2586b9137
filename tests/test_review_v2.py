"""`reportc review` on v2 content (issue 13 item 8): a reviewer's comments and tracked changes in
Word footnotes, table cells and callouts are placed at their source lines; `--apply` writes a
tracked change in a footnote's text back to its `[^NAME]: TEXT` line.

A draft is built from a small source, then edited as Word writes such edits (w:ins / w:del runs,
comment ranges and references) in word/footnotes.xml and word/document.xml."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from compiler.review.report import review_docx

from .conftest import run_reportc
from .docx_fixtures import paragraphs
from .test_review_apply import project  # noqa: F401  (a fresh copy of this module's `built` per test)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR, DATE = "Jane Smith", "2026-05-01T10:00:00Z"

SOURCE = """title: Notes review
subject: Eastmoor
status: draft
pillars:
  - title: Efficiency
    summary: |
      Calls rose again[^calls] this year.

      [^calls]: Counted from the force's own data.
    grade: good
    questions:
      - title: How well?
        findings:
          - |
            The table shows it (@tbl-calls).
          - table:
              name: calls
              caption: Calls by year
              columns: [Year, Calls]
              rows:
                - [2021, "10"]
          - callout:
              kind: innovative-practice
              title: Using drones
              body: |
                Drones help[^drones].

                [^drones]: Two drones since 2024.
        grade: good
"""
NOTE_LINE = "      [^calls]: Counted from the force's own data."


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("review-v2")
    (project / "sources").mkdir()
    (project / "sources" / "r.yaml").write_text(SOURCE, encoding="utf-8")
    result = run_reportc("build", "--format", "docx", "--out", "build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


# ---- editing the parts as Word does ----------------------------------------------------------------


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def rewrite(path: Path, out: Path, **edits) -> Path:
    """`path` with each named part (word/footnotes.xml as footnotes=...) passed through its edit."""
    names = {"footnotes": "word/footnotes.xml", "document": "word/document.xml"}
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        roots = {name: etree.fromstring(source.read(part)) for name, part in names.items()}
        for name, edit in edits.items():
            edit(roots)
        for item in source.infolist():
            part = next((name for name, value in names.items() if value == item.filename), None)
            data = etree.tostring(roots[part], xml_declaration=True, encoding="UTF-8", standalone=True) \
                if part in edits or part in ("footnotes", "document") else source.read(item.filename)
            target.writestr(item, data)
    return out


def note_text_run(roots, text: str) -> etree._Element:
    """The run of a footnote's text holding `text`."""
    return next(r for r in roots["footnotes"].iter(w("r")) if text in "".join(r.itertext()))


def revision(kind: str, number: int) -> etree._Element:
    return etree.Element(w(kind), {w("id"): str(number), w("author"): AUTHOR, w("date"): DATE})


def run_of(text: str, deleted: bool = False) -> etree._Element:
    run = etree.Element(w("r"))
    t = etree.SubElement(run, w("delText" if deleted else "t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def track_in_note(roots, old: str, new: str, number: int = 700) -> None:
    """`old` (inside one run of a footnote) replaced by `new` with changes tracked."""
    run = note_text_run(roots, old)
    t = run.find(w("t"))
    before, _, after = t.text.partition(old)
    t.text = before
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    deletion, insertion = revision("del", number), revision("ins", number + 1)
    deletion.append(run_of(old, deleted=True))
    insertion.append(run_of(new))
    run.addnext(deletion)
    deletion.addnext(insertion)
    if after:
        insertion.addnext(run_of(after))


def commented(project: Path, note_text: str, comment: str, cell: str | None = None) -> Path:
    """The draft with a comment (made by python-docx on the body's first run, then moved) round
    `note_text` in a footnote; with `cell`, a second comment on that table cell's text."""
    word = docx.Document(str(project / "build" / "r.docx"))
    first = next(p for p in paragraphs(word) if p.runs)
    made = word.add_comment(first.runs[0], text=comment, author=AUTHOR, initials="JS")
    made._comment_elm.set(w("date"), DATE)
    if cell is not None:
        target = next(p for p in paragraphs(word) if p.text == cell and p.style.name == "Table Text")
        word.add_comment(target.runs, text="Is this 2021's?", author=AUTHOR, initials="JS")
    saved = project / "commented.docx"
    word.save(saved)

    def move(roots) -> None:
        document, notes = roots["document"], roots["footnotes"]
        start = next(document.iter(w("commentRangeStart")))
        comment_id = start.get(w("id"))
        end = next(e for e in document.iter(w("commentRangeEnd")) if e.get(w("id")) == comment_id)
        reference = next(r for r in document.iter(w("commentReference")) if r.get(w("id")) == comment_id)
        run = note_text_run(roots, note_text)
        run.addprevious(start)
        run.addnext(end)
        end.addnext(reference.getparent())  # the reference's run

    return rewrite(saved, project / "reviewed.docx", document=move, footnotes=lambda roots: None)


def line_of(text: str) -> int:
    return next(number for number, line in enumerate(SOURCE.split("\n"), 1) if text in line)


# ---- the draft carries the notes' positions ------------------------------------------------------


def test_each_footnote_paragraph_carries_the_source_mark_of_its_note(built):
    with zipfile.ZipFile(built / "build" / "r.docx") as archive:
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    marked = {"".join(t.text for t in footnote.iter(w("t"))).strip(): start.get(w("name"))
              for footnote in notes.iter(w("footnote")) for start in footnote.iter(w("bookmarkStart"))}
    assert {text: re.sub(r"^_rc[0-9]+", "", name) for text, name in marked.items()} == {
        "Counted from the force's own data.": f"n_{line_of('[^calls]:')}_7",
        "Two drones since 2024.": f"n_{line_of('[^drones]:')}_17"}


# ---- review lists remarks made in footnotes at the note's line -------------------------------------


def test_a_tracked_change_in_a_footnote_is_listed_at_the_notes_line(project):
    reviewed = rewrite(project / "build" / "r.docx", project / "reviewed.docx",
                       footnotes=lambda roots: track_in_note(roots, "own data", "records"))
    (remark,) = review_docx(reviewed, project).remarks
    assert (remark.kind, remark.change, remark.deleted, remark.inserted) == ("change", "replace", "own data", "records")
    assert (remark.span.line, remark.span.col, remark.traced, remark.field) == (line_of("[^calls]:"), 7, True, "footnote")
    assert remark.author == AUTHOR and remark.date == "2026-05-01"


def test_a_comment_anchored_in_a_footnote_is_listed_at_the_notes_line(project):
    reviewed = commented(project, "Two drones", "Three, surely?", cell="10")
    result = run_reportc("review", "reviewed.docx", cwd=project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    drones = next(line for line in lines if "Three, surely?" in line)
    assert drones.startswith(f"sources/r.yaml:{line_of('[^drones]:')}:17: ")
    assert '"Two drones since 2024."' in drones
    cell = next(line for line in lines if "Is this 2021's?" in line)  # a table cell: at its own cell
    assert cell.startswith(f"sources/r.yaml:{line_of('- [2021')}:26: ")
    assert "2 comments" in result.stderr and "without a source position" not in result.stderr
    assert reviewed.exists()


def test_text_in_a_footnote_without_a_source_mark_goes_under_the_heading_before_its_reference(project):
    def unmark(roots):
        for node in [*roots["footnotes"].iter(w("bookmarkStart")), *roots["footnotes"].iter(w("bookmarkEnd"))]:
            node.getparent().remove(node)
        track_in_note(roots, "Two drones", "Three drones")

    reviewed = rewrite(project / "build" / "r.docx", project / "reviewed.docx", footnotes=unmark)
    (remark,) = review_docx(reviewed, project).remarks
    assert not remark.traced
    assert remark.span.line == line_of("title: Using drones")  # the callout's heading, not the body's last


# ---- --apply writes a footnote's change back to its line -------------------------------------------


def test_apply_writes_a_change_in_a_footnote_back_to_the_note_line(project):
    rewrite(project / "build" / "r.docx", project / "reviewed.docx",
            footnotes=lambda roots: track_in_note(roots, "own data", "records"))
    result = run_reportc("review", "reviewed.docx", "--apply", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "sources" / "r.yaml").read_text(encoding="utf-8")
    assert text == SOURCE.replace(NOTE_LINE, "      [^calls]: Counted from the force's records.")
    assert "applied 1 changed text" in result.stderr


def test_apply_writes_a_change_in_a_callouts_note_back_to_its_line(project):
    rewrite(project / "build" / "r.docx", project / "reviewed.docx",
            footnotes=lambda roots: track_in_note(roots, "2024", "2023"))
    result = run_reportc("review", "reviewed.docx", "--apply", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "sources" / "r.yaml").read_text(encoding="utf-8") == SOURCE.replace(
        "[^drones]: Two drones since 2024.", "[^drones]: Two drones since 2023.")


# ---- a change in a quotation (`> ` lines) -------------------------------------------------------

QUOTED = ("As one victim told us:\n\n> The officer was kind.\n> But after that I heard nothing for six weeks, "
          "and I had to ring them to find out\n> that the case had been closed.\n> -- A victim\n")
QUOTE = ("The officer was kind. But after that I heard nothing for six weeks, and I had to ring them to find out "
         "that the case had been closed.")


def quote_edited(old: str, new: str) -> str:
    from compiler.review.edits import Edit
    from compiler.review.locate import locate
    from compiler.review.splice import edited_value

    start = QUOTE.index(old)
    return edited_value(QUOTED, locate(QUOTE, [Edit(start, start + len(old), new, AUTHOR)], QUOTED, lambda at: 0))


def test_a_change_in_a_quotation_written_over_several_lines_is_applied():
    """The `>` starting each line of the quotation was taken for text: the draft's paragraph was
    "not in the source" and the change was refused."""
    assert quote_edited("six weeks", "seven weeks") == QUOTED.replace("six weeks", "seven weeks")


def test_a_change_across_two_lines_of_a_quotation_keeps_them_quoted():
    """Replacing "find out that" (over a line break and the next line's `>`) wrote
    "to learn that>  the case": the `>` ended up inside the text."""
    wanted = QUOTED.replace("find out\n> that the", "learn that the")
    assert quote_edited("find out that", "learn that") == wanted
    assert quote_edited("kind. But", "kind, but") == QUOTED.replace("kind.\n> But", "kind, but")
