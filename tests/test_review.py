"""`reportc review`: comments and tracked changes in a returned draft, traced to FILE:LINE:COL.

A draft is built, then edited the way reviewers edit: comments through python-docx's own API
(`Document.add_comment`), tracked changes as Word writes them (w:ins / w:del with author and
date), then saved again by LibreOffice. Every remark must come back at the exact span of the
field it falls in."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.text.run import Run

from compiler.diagnostics import Span
from compiler.layout.blocks import Callout, GlanceTable, Heading, ListBlock, Para
from compiler.model import plain_text
from compiler.review.report import review_docx
from tests.conftest import ROOT, run_reportc
from tests.docx_fixtures import FIXTURES, compose, convert_with_libreoffice, paragraphs, render_docx, soffice

DRAFT = ROOT / "sources" / "eastmoor-fire-2026-draft" / "report.yaml"
JANE, DATE = "Jane Smith", "2026-05-01T10:00:00Z"


def walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, Callout):
            yield from walk(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield item
                yield from walk(item.children)


def span_of(document, text: str) -> Span:
    """The span layout gave the block whose text starts with `text`."""
    for block in walk(document.body):
        content = getattr(block, "content", None)
        if content is not None and plain_text(content).startswith(text):
            return block.span
    raise AssertionError(f"no block starts with {text!r}")


def heading_span(document, anchor: str) -> Span:
    return next(b.span for b in walk(document.body) if isinstance(b, Heading) and b.anchor == anchor)


# ---- editing like a reviewer -------------------------------------------------------------------


def find(word, prefix: str, style: str | None = None):
    return next(p for p in paragraphs(word) if p.text.startswith(prefix) and (style is None or p.style.name == style))


def runs_of(paragraph) -> list[Run]:
    """Every run, those inside links too (python-docx's Paragraph.runs skips them)."""
    out = []
    for item in paragraph.iter_inner_content():
        out += [item] if isinstance(item, Run) else item.runs
    return out


def comment(word, runs, text: str, author: str = JANE):
    made = word.add_comment(runs, text=text, author=author, initials="JS")
    made._comment_elm.set(qn("w:date"), DATE)
    return made


def split_run(paragraph, word_text: str):
    """Split the run holding `word_text` into before / word / after; returns the word's run."""
    for run in paragraph.runs:
        if word_text in run.text:
            before, _, after = run.text.partition(word_text)
            run.text = before
            middle = OxmlElement("w:r")
            if run._r.rPr is not None:
                middle.append(OxmlElement("w:rPr"))
            t = OxmlElement("w:t")
            t.text = word_text
            t.set(qn("xml:space"), "preserve")
            middle.append(t)
            tail = OxmlElement("w:r")
            t2 = OxmlElement("w:t")
            t2.text = after
            t2.set(qn("xml:space"), "preserve")
            tail.append(t2)
            run._r.addnext(middle)
            middle.addnext(tail)
            return Run(middle, paragraph)
    raise AssertionError(word_text)


def revision(kind: str, change_id: int, author: str = JANE):
    node = OxmlElement(f"w:{kind}")
    node.set(qn("w:id"), str(change_id))
    node.set(qn("w:author"), author)
    node.set(qn("w:date"), DATE)
    return node


def track_replace(paragraph, old: str, new: str, change_id: int) -> None:
    run = split_run(paragraph, old)._r
    t = run.find(qn("w:t"))
    t.tag = qn("w:delText")
    deletion = revision("del", change_id)
    run.addprevious(deletion)
    deletion.append(run)
    insertion = revision("ins", change_id + 1)
    new_run = OxmlElement("w:r")
    new_t = OxmlElement("w:t")
    new_t.text = new
    new_run.append(new_t)
    insertion.append(new_run)
    deletion.addnext(insertion)


def track_insert_at_end(paragraph, text: str, change_id: int) -> None:
    insertion = revision("ins", change_id)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    insertion.append(run)
    paragraph._p.append(insertion)  # after the bookmark's end, where Word puts text typed at the end


def track_delete(paragraph, old: str, change_id: int) -> None:
    run = split_run(paragraph, old)._r
    run.find(qn("w:t")).tag = qn("w:delText")
    deletion = revision("del", change_id)
    run.addprevious(deletion)
    deletion.append(run)


@pytest.fixture(scope="session")
def draft():
    return compose(DRAFT)


@pytest.fixture(scope="session")
def reviewed(draft, tmp_path_factory) -> Path:
    """The draft with a reviewer's comments and tracked changes, saved by python-docx."""
    word = docx.Document(io.BytesIO(render_docx(draft)))
    comment(word, runs_of(find(word, "Effectiveness", "Heading 1")), "Is this pillar graded fairly?")
    body = find(word, "The service has a good understanding")
    comment(word, split_run(body, "high-risk buildings"), "Only two high-risk buildings")
    track_replace(find(word, "The service has a thorough community"), "2024 to 2028", "2024 to 2027", 100)
    track_insert_at_end(find(word, "Crews visit high-risk premises"), " (since April)", 110)
    item = find(word, "The service should make sure that the risk information", "Area for Improvement")
    comment(word, item.runs, "We did this in March")
    track_delete(item, "high-risk ", 120)
    cell = find(word, "1.\tHow well does the service understand", "Glance Question")
    comment(word, runs_of(cell), "Grade disputed", author="Sam Patel")
    first, second = find(word, "The service has a thorough community"), find(word, "Crews visit high-risk premises")
    comment(word, [first.runs[0], second.runs[0]], "Both paragraphs repeat the 2023 report")
    pasted = find(word, "Crews visit high-risk premises").insert_paragraph_before("A paragraph the reviewer pasted in.")
    comment(word, pasted.runs, "Please add this")
    recommendation = next(p for p in paragraphs(word) if p.style.name == "Recommendation")
    comment(word, runs_of(recommendation), "Timescale too short")
    out = tmp_path_factory.mktemp("review") / "reviewed.docx"
    word.save(out)
    return out


def remark_tuples(review):
    return [(str(r.span), r.kind, r.author, r.date, r.text, r.anchor, r.change, r.deleted, r.inserted, r.traced)
            for r in review.sorted()]


def expected_remarks(draft):
    effectiveness = next(b for b in walk(draft.body) if isinstance(b, Heading) and plain_text(b.content) == "Effectiveness")
    glance = next(b for b in draft.body if isinstance(b, GlanceTable))
    first_question = next(r for r in glance.rows if r.number == "1")
    thorough = span_of(draft, "The service has a thorough community")
    crews = span_of(draft, "Crews visit high-risk premises")
    area = span_of(draft, "The service should make sure that the risk information")
    recommendation = next(b for b in walk(draft.body) if isinstance(b, ListBlock) and b.role == "recommendations").items[0]
    question_one = heading_span(draft, first_question.anchor)
    for block in walk(draft.body):  # the nearest heading before the paragraph the pasted one precedes
        if isinstance(block, Heading):
            heading_before_pasted = block
        if isinstance(block, Para) and plain_text(block.content).startswith("Crews visit high-risk premises"):
            break
    return {
        ("comment", "Is this pillar graded fairly?"): (effectiveness.span, "Effectiveness", True),
        ("comment", "Only two high-risk buildings"): (span_of(draft, "The service has a good understanding"),
                                                      "high-risk buildings", True),
        ("change", "replace"): (thorough, ("2024 to 2028", "2024 to 2027"), True),
        ("change", "insert"): (crews, ("", " (since April)"), True),
        ("change", "delete"): (area, ("high-risk ", ""), True),
        ("comment", "We did this in March"): (area, None, True),
        ("comment", "Grade disputed"): (question_one, None, True),
        ("comment", "Both paragraphs repeat the 2023 report"): (thorough, None, True),
        ("comment", "Please add this"): (heading_before_pasted.span, "A paragraph the reviewer pasted in.", False),
        ("comment", "Timescale too short"): (recommendation.span, plain_text(recommendation.content), True),
    }


def check_review(review, draft, dates: bool = True):
    expected = expected_remarks(draft)
    assert len(review.remarks) == len(expected)
    for remark in review.remarks:
        key = (remark.kind, remark.text) if remark.kind == "comment" else (remark.kind, remark.change)
        span, detail, traced = expected[key]
        assert (remark.span, remark.traced) == (span, traced), key
        assert remark.author == ("Sam Patel" if remark.text == "Grade disputed" else JANE)
        if dates:
            assert remark.date == "2026-05-01"
        if remark.kind == "change":
            assert (remark.deleted, remark.inserted) == detail
        elif isinstance(detail, str):
            assert remark.anchor == detail


def test_every_remark_is_traced_to_its_field(reviewed, draft):
    check_review(review_docx(reviewed), draft)


def test_the_command_prints_one_line_per_remark_sorted_by_source_position(reviewed, draft):
    result = run_reportc("review", str(reviewed))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    source = "sources/eastmoor-fire-2026-draft/report.yaml"
    thorough = span_of(draft, "The service has a thorough community")
    assert f'{thorough}: change: Jane Smith: replace "2024 to 2028" with "2024 to 2027"' in lines
    body = span_of(draft, "The service has a good understanding")
    assert f'{body}: comment: Jane Smith (2026-05-01): "Only two high-risk buildings" on "high-risk buildings"' in lines
    remark_lines = [line for line in lines if ": warning: " not in line]
    positions = [tuple(int(n) for n in line.split(":")[1:3]) for line in remark_lines]
    assert positions == sorted(positions)
    assert all(line.startswith(source + ":") for line in lines)
    pasted = next(i for i, line in enumerate(lines) if '"Please add this"' in line)
    assert ": warning: the comment above is on text that carries no source position" in lines[pasted + 1]


def test_json_gives_the_same_remarks_as_data(reviewed):
    result = run_reportc("review", "--json", str(reviewed))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"] == "sources/eastmoor-fire-2026-draft/report.yaml"
    assert data["report"] == "eastmoor-fire-2026-draft"
    text = {r["text"]: r for r in data["remarks"] if r["kind"] == "comment"}
    assert text["Grade disputed"]["author"] == "Sam Patel"
    assert {"file", "line", "col", "path", "author", "date", "anchor", "traced", "field"} <= set(text["Grade disputed"])
    assert text["Grade disputed"]["path"].startswith("pillars[")
    assert len(data["remarks"]) == len(review_docx(reviewed).remarks)


@pytest.fixture(scope="session")
def saved_by_libreoffice(reviewed, tmp_path_factory) -> Path:
    if not soffice():
        pytest.skip("LibreOffice is not installed (CI installs libreoffice-writer-nogui)")
    out = tmp_path_factory.mktemp("review-lo")
    source = out / "reviewed-lo.docx"
    source.write_bytes(reviewed.read_bytes())
    convert_with_libreoffice([source], out / "saved", to="docx:MS Word 2007 XML")
    return out / "saved" / "reviewed-lo.docx"


def test_a_round_trip_through_libreoffice_keeps_the_mapping(saved_by_libreoffice, reviewed, draft):
    before = review_docx(reviewed)
    after = review_docx(saved_by_libreoffice)
    check_review(after, draft)
    assert [(r.span, r.kind, r.text, r.change) for r in after.sorted()] == \
           [(r.span, r.kind, r.text, r.change) for r in before.sorted()]


def test_the_source_map_survives_losing_the_custom_xml_part(reviewed, draft, tmp_path):
    stripped = tmp_path / "stripped.docx"
    with zipfile.ZipFile(reviewed) as source, zipfile.ZipFile(stripped, "w") as target:
        for name in source.namelist():
            if not name.startswith("customXml/"):
                target.writestr(name, source.read(name))
    check_review(review_docx(stripped), draft)


def test_an_unrelated_docx_is_refused_clearly(tmp_path):
    plain = tmp_path / "letter.docx"
    docx.Document().save(plain)
    result = run_reportc("review", str(plain))
    assert result.returncode == 1
    assert result.stderr.strip() == f"{plain}:1:1: error: not a reportc draft: it carries no source map " \
                                    f"(only drafts built by reportc can be reviewed)"
    assert result.stdout == ""


def test_a_file_that_is_not_a_docx_is_refused(tmp_path):
    bogus = tmp_path / "notes.docx"
    bogus.write_text("not a zip")
    result = run_reportc("review", str(bogus))
    assert result.returncode == 1
    assert "error: cannot read this file as a DOCX" in result.stderr
    missing = run_reportc("review", str(tmp_path / "missing.docx"))
    assert missing.returncode == 1 and "error: cannot read this file as a DOCX" in missing.stderr


def test_a_draft_without_remarks_gives_no_lines_and_says_so(draft, tmp_path):
    clean = tmp_path / "clean.docx"
    clean.write_bytes(render_docx(draft))
    result = run_reportc("review", str(clean))
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == f"reportc: no comments or tracked changes in {clean}\n"


def test_every_traced_paragraph_of_the_draft_has_a_source_mark(draft):
    word = docx.Document(io.BytesIO(render_docx(draft)))
    marked = set()
    for start in word.element.body.iter(qn("w:bookmarkStart")):
        if start.get(qn("w:name")).startswith("_rc"):
            marked.add(start.getparent())
    body = [p for p in paragraphs(word) if p.style.name not in ("Title", "Cover Subject", "Cover Programme",
                                                                 "Cover Details", "Cover Status", "Cover Logo",
                                                                 "TOC Heading", "Table Header",
                                                                 "Box Gap")]  # (between two boxes: no text)
    body = [p for p in body if p.text or p.style.name != "Glance Grade"]  # no grade: an empty, unmarked cell
    assert body and all(p._p in marked for p in body), [p.text for p in body if p._p not in marked][:3]


# ---- reviewed in LibreOffice itself -------------------------------------------------------------


def uno_python() -> str | None:
    """A Python that can drive LibreOffice (Debian's python3-uno); None when there is none."""
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and soffice() and subprocess.run([candidate, "-c", "import uno"],
                                                      capture_output=True).returncode == 0:
            return candidate
    return None


@pytest.fixture(scope="session")
def reviewed_in_libreoffice(draft, tmp_path_factory) -> Path:
    python = uno_python()
    if python is None:
        pytest.skip("LibreOffice with python3-uno is not installed")
    out = tmp_path_factory.mktemp("lo-uno")
    source, target = out / "draft.docx", out / "reviewed.docx"
    source.write_bytes(render_docx(draft))
    pipe = f"reportc_test_{os.getpid()}"
    office = subprocess.Popen([soffice(), f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
                               "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    actions = [["comment", "high-risk buildings", "Only two high-risk buildings"],
               ["comment", "Areas for improvement", "Heading comment"],
               ["replace", "2024 to 2028", "2024 to 2027"]]
    try:
        subprocess.run([python, str(FIXTURES / "lo_review.py"), pipe, str(source), str(target), "Lee Office",
                        json.dumps(actions)], check=True, capture_output=True, timeout=120)
    finally:
        office.terminate()
        office.wait(timeout=30)
    return target


def test_comments_and_changes_made_in_libreoffice_are_traced(reviewed_in_libreoffice, draft):
    remarks = {(r.kind, r.text or r.change): r for r in review_docx(reviewed_in_libreoffice).remarks}
    assert len(remarks) == 3
    body = remarks[("comment", "Only two high-risk buildings")]
    assert (body.span, body.author, body.date, body.anchor, body.traced) == \
           (span_of(draft, "The service has a good understanding"), "Lee Office", "2026-05-01",
            "high-risk buildings", True)
    heading = remarks[("comment", "Heading comment")]
    first_areas = next(b for b in walk(draft.body) if isinstance(b, Heading)
                       and plain_text(b.content) == "Areas for improvement")
    assert (heading.span, heading.anchor, heading.field) == (first_areas.span, "Areas for improvement", "heading")
    change = remarks[("change", "replace")]
    assert (change.span, change.author, change.deleted, change.inserted) == \
           (span_of(draft, "The service has a thorough community"), "Lee Office", "2024 to 2028", "2024 to 2027")
