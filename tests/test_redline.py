"""`reportc build --redline-from OLD`: the DOCX shows every difference from OLD as tracked changes;
accepting them all gives the current report, rejecting them all the old one: checked here by
applying the changes to the XML as Word does, and in LibreOffice itself through UNO, paragraph by
paragraph (text and style), the contents included, whether it changed or not."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from .conftest import run_reportc

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}

OLD = """title: T
subject: S
pillars:
  - title: Efficiency
    summary: The force is **good** at answering calls quickly.
    grade: good
    areas_for_improvement:
      - text: Improve the call handling.
    questions:
      - title: How well?
        findings: Fine in most areas.
        grade: requires improvement
"""

NEW = """title: T
subject: S
pillars:
  - title: Efficiency
    summary: The force is **very good** at answering most calls quickly.
    grade: outstanding
    questions:
      - title: New question?
        findings: Brand new.
        grade: good
      - title: How well?
        findings: Fine in most areas.
        grade: requires improvement
"""

# A pillar renamed and one added at the end: the contents' last entry changes its level.
RENAMED_OLD = """title: T
subject: S
pillars:
  - title: Efficiency
    summary: Quick.
    grade: good
    questions:
      - title: How well?
        findings: Fine.
        grade: good
"""
RENAMED_NEW = RENAMED_OLD.replace("Efficiency", "Effectiveness") + """  - title: Leadership
    summary: A new pillar.
    grade: requires improvement
"""
# Words and grades changed, no heading: the same contents.
SAME_CONTENTS = OLD.replace("good** at", "**good** at almost all calls and").replace("grade: good", "grade: inadequate")

# name: (old source, current source); "gone" is "renamed" the other way round: a pillar removed.
VERSIONS = {"question": (OLD, NEW), "renamed": (RENAMED_OLD, RENAMED_NEW), "gone": (RENAMED_NEW, RENAMED_OLD),
            "same": (OLD, SAME_CONTENTS)}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project whose sources/r.yaml is NEW, OLD in old/, built three ways: redlined, from the new
    source only (new/) and from the old source only (was/)."""
    project = tmp_path_factory.mktemp("redline")
    (project / "sources").mkdir()
    (project / "old").mkdir()
    (project / "sources" / "r.yaml").write_text(NEW, encoding="utf-8")
    (project / "old" / "r.yaml").write_text(OLD, encoding="utf-8")
    for args in (("--out", "red", "--redline-from", "old"), ("--out", "new"), ("old/r.yaml", "--out", "was")):
        result = run_reportc("build", "--format", "docx", *args, cwd=project, env=EPOCH)
        assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> Path:
    """Every pair of VERSIONS built three ways, as `built` builds one: red/, new/ and was/."""
    project = tmp_path_factory.mktemp("versions")
    for folder in ("sources", "old"):
        (project / folder).mkdir()
    for name, (old, new) in VERSIONS.items():
        (project / "sources" / f"{name}.yaml").write_text(new, encoding="utf-8")
        (project / "old" / f"{name}.yaml").write_text(old, encoding="utf-8")
    return built_three_ways(project)


def built_three_ways(project: Path) -> Path:
    """The project's sources redlined against old/ (red/), plainly (new/) and old/ itself (was/)."""
    for args in (("--out", "red", "--redline-from", "old"), ("--out", "new"), ("old", "--out", "was")):
        result = run_reportc("build", "--format", "docx", *args, cwd=project, env=EPOCH)
        assert result.returncode == 0, result.stderr
    return project


def body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")


def accepted(root: etree._Element) -> etree._Element:
    return _applied(root, keep="ins", drop="del")


def rejected(root: etree._Element) -> etree._Element:
    for text in root.iter(f"{W}delText"):
        text.tag = f"{W}t"
    for text in root.iter(f"{W}delInstrText"):
        text.tag = f"{W}instrText"
    return _applied(root, keep="del", drop="ins")


def _applied(root: etree._Element, keep: str, drop: str) -> etree._Element:
    """Tracked changes applied as Word applies them: rows whose mark is `drop` go, `drop` runs go,
    `keep` marks are unwrapped; a paragraph whose mark is `drop` joins the next one (what is left
    of it goes before the next one's content); rejecting restores a paragraph's old properties
    (w:pPrChange); a cell's property change is left alone (no text)."""
    for tr in [tr for tr in root.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}{drop}") is not None]:
        tr.getparent().remove(tr)
    for node in list(root.iter(f"{W}{drop}")):
        if node.getparent().tag != f"{W}rPr" and node.getparent().tag != f"{W}trPr":
            node.getparent().remove(node)
    for node in list(root.iter(f"{W}{keep}")):
        parent = node.getparent()
        if parent.tag in (f"{W}rPr", f"{W}trPr"):
            parent.remove(node)
            continue
        for child in list(node):
            node.addprevious(child)
        parent.remove(node)
    for change in list(root.iter(f"{W}pPrChange")):
        properties = change.getparent()
        if drop == "ins":
            for node in [node for node in properties if node.tag != f"{W}rPr"]:
                properties.remove(node)
            for node in reversed(list(change.find(f"{W}pPr"))):
                properties.insert(0, node)
        else:
            properties.remove(change)
    for p in reversed([p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}rPr/{W}{drop}") is not None]):
        left = [child for child in p if child.tag != f"{W}pPr"]
        following = p.getnext()
        if following is not None and following.tag == f"{W}p":
            at = 1 if following.find(f"{W}pPr") is not None else 0
            following[at:at] = left
        else:
            assert not "".join(t.text or "" for node in left for t in node.iter(f"{W}t")), "a dropped mark kept text"
        p.getparent().remove(p)
    return root


def _inside(node: etree._Element, tag: str) -> bool:
    return any(parent.tag == f"{W}{tag}" for parent in node.iterancestors())


def texts(root: etree._Element) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def styled_texts(root: etree._Element) -> list[tuple[str | None, str]]:
    """Every paragraph as (its style id, its text)."""
    styles = [p.find(f"{W}pPr/{W}pStyle") for p in root.iter(f"{W}p")]
    return list(zip([style.get(f"{W}val") if style is not None else None for style in styles], texts(root)))


def unpaginated(styled: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    """`styled_texts` with the contents' page numbers left out. A redline's contents carries the
    current draft's page numbers (the contents is a field Word updates): rejecting every change
    gives the old report's words, not its pagination."""
    return [(style, text.rstrip("0123456789") if style and style.startswith("TOC") else text)
            for style, text in styled]


def changes(root: etree._Element, kind: str) -> list[str]:
    tag = "t" if kind == "ins" else "delText"
    return ["".join(t.text or "" for t in node.iter(f"{W}{tag}")) for node in root.iter(f"{W}{kind}")
            if node.getparent().tag != f"{W}rPr" and node.getparent().tag != f"{W}trPr"]


@pytest.mark.parametrize("name", VERSIONS)
def test_accepting_every_change_gives_the_current_report(versions, name):
    red = body(versions / "red" / f"{name}.docx")
    assert styled_texts(accepted(red)) == styled_texts(body(versions / "new" / f"{name}.docx"))


@pytest.mark.parametrize("name", VERSIONS)
def test_rejecting_every_change_gives_the_old_report(versions, name):
    red = body(versions / "red" / f"{name}.docx")
    assert unpaginated(styled_texts(rejected(red))) == unpaginated(styled_texts(body(versions / "was" / f"{name}.docx")))


def contents(root: etree._Element) -> list[tuple[str | None, str]]:
    return [(style, text) for style, text in styled_texts(root) if style and style.startswith("TOC")]


@pytest.mark.parametrize("name", VERSIONS)
def test_the_contents_is_one_field_whose_changed_entries_are_tracked(versions, name):
    red, new, was = (body(versions / folder / f"{name}.docx") for folder in ("red", "new", "was"))
    assert (contents(new) != contents(was)) == (name != "same")  # each version changes what it says
    assert len([text for text in red.itertext() if text.strip().startswith("TOC ")]) == 1  # one field
    entries = [p for p in red.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") in ("TOC1", "TOC2")]
    # its begin and end are runs of their own paragraphs, no change (not inside w:ins or w:del)
    assert [c.get(f"{W}fldCharType") for c in entries[0].findall(f"{W}r/{W}fldChar")] == ["begin", "separate"]
    assert [c.get(f"{W}fldCharType") for c in entries[-1].findall(f"{W}r/{W}fldChar")] == ["end"]
    tracked = [p for p in entries if p.find(f".//{W}ins") is not None or p.find(f".//{W}del") is not None]
    assert bool(tracked) == (name != "same")
    # a last entry of another level than the old last one: its old style kept for rejecting
    assert (entries[-1].find(f"{W}pPr/{W}pPrChange") is not None) == (name in ("renamed", "gone"))


def test_a_changed_paragraph_is_marked_word_by_word(built):
    root = body(built / "red" / "r.docx")
    assert "very " in changes(root, "ins") and "most " in changes(root, "ins")
    summary = next(p for p in root.iter(f"{W}p") if "answering" in "".join(t.text or "" for t in p.iter(f"{W}t")))
    # the unchanged words stay plain text, and "good" keeps its bold (Strong) style
    plain = [t.text for t in summary.iter(f"{W}t") if not _inside(t, "ins")]
    assert plain == ["The force is ", "good", " at answering ", "calls quickly."]
    assert summary.xpath(".//w:r[w:t='good']/w:rPr/w:rStyle", namespaces={"w": W[1:-1]})


def test_a_changed_grade_is_marked_in_the_badge_and_the_glance_table(built):
    root = body(built / "red" / "r.docx")
    assert changes(root, "del").count("\u00a0Good\u00a0") == 1 and "\u00a0Outstanding\u00a0" in changes(root, "ins")
    assert "Good" in changes(root, "del") and "Outstanding" in changes(root, "ins")  # the glance cell
    assert root.find(f".//{W}tcPrChange/{W}tcPr/{W}shd") is not None  # the old colour is kept


def test_a_removed_area_for_improvement_and_an_added_question_are_whole_changes(built):
    root = body(built / "red" / "r.docx")
    assert "Improve the call handling." in changes(root, "del")
    assert "New question?" in changes(root, "ins") and "Brand new." in changes(root, "ins")
    assert "Fine in most areas." not in changes(root, "ins") + changes(root, "del")  # matched, not renumbered
    deleted_rows = [tr for tr in root.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}del") is not None]
    inserted_rows = [tr for tr in root.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}ins") is not None]
    assert deleted_rows and inserted_rows  # the area's box, the new question's glance row


def test_author_and_date_are_the_brand_and_the_build_date_and_the_bytes_repeat(built):
    root = body(built / "red" / "r.docx")
    marks = list(root.iter(f"{W}ins")) + list(root.iter(f"{W}del"))
    assert {m.get(f"{W}date") for m in marks} == {"2023-11-14T00:00:00Z"}
    assert len({m.get(f"{W}author") for m in marks}) == 1
    result = run_reportc("build", "--format", "docx", "--out", "again", "--redline-from", "old",
                         "--redline-author", "Sam", cwd=built, env=EPOCH)
    assert result.returncode == 0, result.stderr
    again = body(built / "again" / "r.docx")
    assert {m.get(f"{W}author") for m in again.iter(f"{W}ins")} == {"Sam"}
    result = run_reportc("build", "--format", "docx", "--out", "again", "--redline-from", "old",
                         "--redline-author", "Sam", cwd=built, env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert etree.tostring(body(built / "again" / "r.docx")) == etree.tostring(again)


def test_the_pdf_is_unchanged_and_the_next_plain_build_is_not_skipped(built):
    for out, extra in (("p1", ()), ("p2", ("--redline-from", "old"))):
        result = run_reportc("build", "--format", "pdf,docx", "--out", out, *extra, cwd=built, env=EPOCH)
        assert result.returncode == 0, result.stderr
    assert (built / "p1" / "r.pdf").read_bytes() == (built / "p2" / "r.pdf").read_bytes()
    plain = run_reportc("build", "--format", "pdf,docx", "--out", "p2", "-v", cwd=built, env=EPOCH)
    assert plain.returncode == 0 and "1 built" in plain.stderr, plain.stderr
    assert not list(body(built / "p2" / "r.docx").iter(f"{W}ins"))


def test_no_old_version_builds_plainly_with_a_warning(built, tmp_path):
    (tmp_path / "other.yaml").write_text(OLD.replace("title: T", "id: other\ntitle: T", 1), encoding="utf-8")
    result = run_reportc("build", "--format", "docx", "--out", "w", "--redline-from", str(tmp_path),
                         cwd=built, env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert "warning: --redline-from" in result.stderr and "built without a redline" in result.stderr
    assert not list(body(built / "w" / "r.docx").iter(f"{W}ins"))


# ---- in LibreOffice itself: Accept All and Reject All, as a reviewer would ----------------------

def test_a_redline_from_a_path_that_does_not_exist_is_a_usage_error(built):
    """A mistyped checkout path built plainly with a warning and exit 0, dropping the redline in CI."""
    result = run_reportc("build", "--format", "docx", "--out", "typo", "--redline-from", "../no-such-checkout",
                         cwd=built, env=EPOCH)
    assert result.returncode == 2
    assert "--redline-from ../no-such-checkout: no such file or folder" in result.stderr
    assert not (built / "typo").exists()


def test_libreoffice_accept_all_and_reject_all_give_the_new_and_the_old_report(versions, tmp_path):
    """The whole documents, contents included, paragraph by paragraph: text and style."""
    import json
    import os
    import subprocess

    from .test_review import FIXTURES, soffice, uno_python

    python = uno_python()
    if python is None:
        pytest.skip("LibreOffice with python3-uno is not installed")
    pipe = f"reportc_redline_{os.getpid()}"
    office = subprocess.Popen([soffice(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                               "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    readings = [(versions / folder / f"{name}.docx", mode) for name in VERSIONS
                for folder, mode in (("red", "accept"), ("red", "reject"), ("new", "none"), ("was", "none"))]
    try:
        done = subprocess.run([python, str(FIXTURES / "lo_accept.py"), pipe, *[str(a) for r in readings for a in r]],
                              capture_output=True, text=True, timeout=300, cwd=FIXTURES)
    finally:
        office.terminate()
        office.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    read = iter(json.loads(done.stdout))
    for name in VERSIONS:
        accepted_in_office, rejected_in_office, new, old = next(read), next(read), next(read), next(read)
        assert not accepted_in_office["changes_left"] and not rejected_in_office["changes_left"], name
        assert new["paragraphs"][2] == "Contents" and old["paragraphs"][2] == "Contents"  # the contents is read too
        assert accepted_in_office["paragraphs"] == new["paragraphs"], name
        # (the contents' page numbers, after its tabs, are the current draft's: see unpaginated)
        assert ([text.rsplit("\t", 1)[0] for text in rejected_in_office["paragraphs"]]
                == [text.rsplit("\t", 1)[0] for text in old["paragraphs"]]), name
        for side, expected in ((accepted_in_office, new), (rejected_in_office, old)):
            assert side["styles"] == expected["styles"], name


# ---- v2 content: notes, cross-references, tables, callouts, figures, charts -----------------------

RICH_OLD = """title: T
subject: S
pillars:
  - title: Efficiency
    summary: |
      Calls rose again[^calls] this year (see @tbl-calls).

      [^calls]: Counted from the force's own data.
    grade: good
    questions:
      - title: How well?
        findings:
          - |
            Staff numbers[^staff] are in @tbl-staff.

            [^staff]: Full-time equivalent.
          - table:
              name: calls
              caption: Calls by year
              columns: [Year, Calls]
              rows:
                - [2021, "10"]
              source: Force data
          - table:
              name: staff
              caption: Staff
              columns: [Role, Staff]
              rows:
                - [Call handler, "40"]
          - callout:
              kind: innovative-practice
              title: Using drones
              body: Drones help.
          - figure:
              name: map
              image: map.png
              alt: A map of the area
              caption: The area
          - chart:
              name: answered
              type: column
              caption: Calls answered
              categories: ["2021", "2022"]
              series:
                - {name: Force, values: [91, 88]}
        grade: good
glossary:
  - term: ASB
    definition: Anti-social behaviour
  - term: FTE
    definition: Full-time equivalent
"""
RICH_NEW = (RICH_OLD.replace("Calls rose again[^calls] this year", "Calls rose[^new] again[^calls] this year")
            .replace("      [^calls]: Counted from", "      [^new]: A new note.\n\n      [^calls]: Counted from all of")
            .replace('- [2021, "10"]', '- [2021, "12"]').replace("body: Drones help.", "body: Drones help a lot.")
            .replace("values: [91, 88]", "values: [91, 89]").replace("caption: The area", "caption: The whole area")
            .replace("Staff numbers[^staff] are", "Staff numbers are")
            .replace("definition: Anti-social behaviour", "definition: Anti-social behaviour of all kinds"))


def _without_chart(text: str) -> str:
    """LibreOffice does not track a chart object itself (it keeps a deleted one): its check goes without."""
    return re.sub(r"          - chart:\n(?:            .*\n|              .*\n)+", "", text)


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> Path:
    """RICH_OLD and RICH_NEW (r.yaml; lo.yaml without the chart) built as `built` builds OLD and
    NEW: red/, new/ and was/."""
    from PIL import Image

    project = tmp_path_factory.mktemp("redline-rich")
    for folder, text in (("sources", RICH_NEW), ("old", RICH_OLD)):
        (project / folder).mkdir()
        (project / folder / "r.yaml").write_text(text, encoding="utf-8")
        (project / folder / "lo.yaml").write_text(_without_chart(text), encoding="utf-8")
        Image.new("RGB", (40, 30), (20, 90, 160)).save(project / folder / "map.png")
    return built_three_ways(project)


def footnotes(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/footnotes.xml"))


def notes_read(document: etree._Element, notes: etree._Element) -> list[str]:
    """The text of each footnote the body refers to, in the order of its references."""
    texts = {note.get(f"{W}id"): "".join(t.text or "" for t in note.iter(f"{W}t")).strip()
             for note in notes.iter(f"{W}footnote")}
    return [texts[ref.get(f"{W}id")] for ref in document.iter(f"{W}footnoteReference")]


def test_a_redline_of_rich_blocks_accepts_to_the_current_and_rejects_to_the_old_report(rich):
    red = rich / "red" / "r.docx"
    assert styled_texts(accepted(body(red))) == styled_texts(body(rich / "new" / "r.docx"))
    assert styled_texts(rejected(body(red))) == styled_texts(body(rich / "was" / "r.docx"))


def test_footnotes_accept_to_the_current_notes_and_reject_to_the_old_ones(rich):
    red = rich / "red" / "r.docx"
    new = notes_read(body(rich / "new" / "r.docx"), footnotes(rich / "new" / "r.docx"))
    old = notes_read(body(rich / "was" / "r.docx"), footnotes(rich / "was" / "r.docx"))
    assert new == ["A new note.", "Counted from all of the force's own data."]
    assert old == ["Counted from the force's own data.", "Full-time equivalent."]
    assert notes_read(accepted(body(red)), accepted(footnotes(red))) == new
    assert notes_read(rejected(body(red)), rejected(footnotes(red))) == old
    ids = [note.get(f"{W}id") for note in footnotes(red).iter(f"{W}footnote")]
    assert len(ids) == len(set(ids))  # an old note's footnote has an id of its own


def test_note_marks_and_cross_references_stay_in_redlined_text(rich):
    root = body(rich / "red" / "r.docx")
    summary = next(p for p in root.iter(f"{W}p") if "this year" in "".join(t.text or "" for t in p.iter(f"{W}t")))
    # the current marks ([^new] 1, [^calls] 2) inserted, the old mark of [^calls] (1) deleted: none vanished
    references = [(_inside(ref, "ins"), _inside(ref, "del")) for ref in summary.iter(f"{W}footnoteReference")]
    assert references == [(True, False), (False, True), (True, False)]
    assert "".join(t.text for t in summary.iter(f"{W}t")).endswith("(see Table 1).")
    links = summary.findall(f"{W}hyperlink")
    assert [link.get(f"{W}anchor") for link in links] == ["_Ref_tbl_calls"]
    assert not [node for link in links for node in link.iter(f"{W}ins", f"{W}del")]  # unchanged: no change
    # the mark only the old version has is deleted whole, a footnote reference inside w:del
    staff = next(p for p in root.iter(f"{W}p") if "are in" in "".join(t.text or "" for t in p.iter(f"{W}t")))
    assert [_inside(ref, "del") for ref in staff.iter(f"{W}footnoteReference")] == [True]


def test_an_unchanged_table_stays_and_a_changed_table_figure_chart_and_callout_are_tracked(rich):
    root = body(rich / "red" / "r.docx")
    tables = root.findall(f"{W}tbl")
    staff = [t for t in tables if "Call handler" in "".join(t.itertext())]
    assert len(staff) == 1 and not list(staff[0].iter(f"{W}ins", f"{W}del"))
    assert "12" in changes(root, "ins") and "10" in changes(root, "del")
    assert " a lot" in changes(root, "ins") and "Drones help" not in "".join(changes(root, "del"))  # the same box
    assert "Anti-social behaviour of all kinds" in changes(root, "ins")  # the glossary: replaced whole
    assert "Full-time equivalent" in changes(root, "ins") and "Full-time equivalent" in changes(root, "del")
    with zipfile.ZipFile(rich / "red" / "r.docx") as archive:  # the old chart and the new, each its own part
        charts = sorted(name for name in archive.namelist() if name.startswith("word/charts/chart"))
    assert charts == ["word/charts/chart1.xml", "word/charts/chart2.xml"]
    drawings = [(d.find(f".//{{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}}docPr")
                 .get("descr"), _inside(d, "del"), _inside(d, "ins")) for d in root.iter(f"{W}drawing")]
    assert ("A map of the area", True, False) in drawings and ("A map of the area", False, True) in drawings


def test_libreoffice_accepts_and_rejects_a_redline_of_rich_blocks_to_the_new_and_the_old_report(rich, tmp_path):
    """A changed table's caption above it too: a tracked paragraph right before a table shares its
    mark with the one before it, else LibreOffice leaves it behind empty."""
    import json
    import os
    import subprocess

    from .test_review import FIXTURES, soffice, uno_python

    python = uno_python()
    if python is None:
        pytest.skip("LibreOffice with python3-uno is not installed")
    assert "chart" not in (rich / "sources" / "lo.yaml").read_text() and "table:" in (rich / "old" / "lo.yaml").read_text()
    pipe = f"reportc_redline_rich_{os.getpid()}"
    office = subprocess.Popen([soffice(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                               "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    readings = [rich / "red" / "lo.docx", "accept", rich / "red" / "lo.docx", "reject",
                rich / "new" / "lo.docx", "none", rich / "was" / "lo.docx", "none"]
    try:
        done = subprocess.run([python, str(FIXTURES / "lo_accept.py"), pipe, *map(str, readings)],
                              capture_output=True, text=True, timeout=300, cwd=FIXTURES)
    finally:
        office.terminate()
        office.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    accepted_in_office, rejected_in_office, new, old = json.loads(done.stdout)
    assert "Table 1: Calls by year" in new["paragraphs"] and "Source: Force data" in old["paragraphs"]
    for side, expected in ((accepted_in_office, new), (rejected_in_office, old)):
        assert not side["changes_left"]
        assert list(zip(side["styles"], side["paragraphs"])) == list(zip(expected["styles"], expected["paragraphs"]))


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    """The v2 sample (tables from YAML and CSV, a chart, notes, callouts, a glossary, an imprint)
    redlined against a v1 report of another force, as `built` builds OLD and NEW."""
    import shutil

    from .conftest import ROOT

    project = tmp_path_factory.mktemp("redline-samples")
    shutil.copytree(ROOT / "sources", project / "sources")
    (project / "old").mkdir()
    shutil.copy(ROOT / "sources" / "city-of-london-peel-2018.yaml", project / "old" / "northshire-peel-2021.yaml")
    source = "sources/northshire-peel-2021.yaml"
    for args in ((source, "--out", "red", "--redline-from", "old"), (source, "--out", "new"),
                 ("old/northshire-peel-2021.yaml", "--out", "was")):
        result = run_reportc("build", "--format", "docx", *args, cwd=project, env=EPOCH)
        assert result.returncode == 0, result.stderr
    return project


def test_a_redline_against_another_report_accepts_and_rejects_exactly(samples):
    """Every block kind on one side or both, the cover's title and the imprint changed too."""
    name = "northshire-peel-2021.docx"
    red, new, was = (samples / folder / name for folder in ("red", "new", "was"))
    assert styled_texts(accepted(body(red))) == styled_texts(body(new))
    assert unpaginated(styled_texts(rejected(body(red)))) == unpaginated(styled_texts(body(was)))
    assert notes_read(accepted(body(red)), accepted(footnotes(red))) == notes_read(body(new), footnotes(new))
    assert not list(rejected(body(red)).iter(f"{W}footnoteReference"))  # the old report has no notes


def _reviewer_replaces(draft: Path, reviewed: Path, word: str, replacement: str) -> None:
    """`reviewed`: `draft` with one tracked change of a reviewer's own, in the run holding `word`
    outside any of the redline's changes: its text deleted, and inserted again with `word` replaced."""
    with zipfile.ZipFile(draft) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    run = next(t.getparent() for t in root.iter(f"{W}t") if word in (t.text or "")
               and not any(a.tag in (f"{W}ins", f"{W}del") for a in t.iterancestors()))
    text = run.find(f"{W}t").text
    identity = {f"{W}author": "A Reviewer", f"{W}date": "2026-04-01T10:00:00Z"}
    deletion = etree.Element(f"{W}del", {f"{W}id": "9001", **identity})
    insertion = etree.Element(f"{W}ins", {f"{W}id": "9002", **identity})
    run.addprevious(deletion)
    run.addprevious(insertion)
    deleted = etree.fromstring(etree.tostring(run))
    deleted.find(f"{W}t").tag = f"{W}delText"
    deletion.append(deleted)
    run.find(f"{W}t").text = text.replace(word, replacement)
    insertion.append(run)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(reviewed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_redline_drafts_own_changes_are_the_source_and_a_reviewers_apply_beside_them(tmp_path):
    """A redline draft goes to reviewers: `review` lists their changes only (the redline's are
    the source's own text), and --apply writes a reviewer's change in a paragraph the redline
    also changed (it was refused, blamed on the source having been edited)."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "old").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text("status: draft\n" + NEW, encoding="utf-8")
    (tmp_path / "old" / "r.yaml").write_text("status: draft\n" + OLD, encoding="utf-8")
    result = run_reportc("build", "--format", "docx", "--out", "red", "--redline-from", "old", cwd=tmp_path, env=EPOCH)
    assert result.returncode == 0, result.stderr
    draft = tmp_path / "red" / "r.docx"
    assert changes(body(draft), "ins")  # the redline is there
    listed = run_reportc("review", str(draft), cwd=tmp_path)
    assert listed.returncode == 0 and "no comments or tracked changes" in listed.stdout + listed.stderr
    _reviewer_replaces(draft, tmp_path / "reviewed.docx", "quickly", "promptly")
    listed = run_reportc("review", "reviewed.docx", cwd=tmp_path)
    assert "A Reviewer: replace" in listed.stdout and listed.stdout.count("change:") == 1, listed.stdout
    applied = run_reportc("review", "reviewed.docx", "--apply", cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert "summary: The force is **very good** at answering most calls promptly." in \
        (tmp_path / "sources" / "r.yaml").read_text(encoding="utf-8")
