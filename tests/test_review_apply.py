"""`reportc review REVIEWED.docx --apply`: tracked changes written back into the source scalars.

A draft is built from a small source holding every scalar style, edited the way Word writes
tracked changes (w:ins / w:del runs, saved by python-docx), and applied: the edited scalar
changes, every other byte of the file stays, and what cannot be applied is a warning."""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from .conftest import run_reportc
from .docx_fixtures import paragraphs

SOURCE = """# A comment at the top: kept.
title: "A \\"quoted\\" title"
subject: 'Single ''quoted'' subject'
status: draft
pillars:
  - title: Efficiency   # trailing comment
    summary: Plain text that **matters** a lot.
    grade: good
    questions:
      - title: "How \\"well\\"?"
        findings: |
          First line of the literal block
          with a second line.

          Another paragraph here.
        grade: requires-improvement
      - title: 'Folded ''one'''
        findings: >
          Folded text that runs
          over two lines.
        grade: good
"""
AUTHOR, DATE = "Jane Smith", "2026-05-01T10:00:00Z"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("apply-draft")
    (project / "sources").mkdir()
    (project / "sources" / "r.yaml").write_text(SOURCE, encoding="utf-8")
    result = run_reportc("build", "--format", "docx", "--out", "build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A fresh copy of the built project per test: --apply rewrites its source."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy)
    return copy


# ---- editing like a reviewer (Word's markup for tracked changes) ----------------------------------


def _run(text: str, deleted: bool = False):
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    return run


def _revision(kind: str, number: int):
    node = OxmlElement(f"w:{kind}")
    node.set(qn("w:id"), str(number))
    node.set(qn("w:author"), AUTHOR)
    node.set(qn("w:date"), DATE)
    return node


def track(paragraph, old: str, new: str, number: int = 900) -> None:
    """Replace `old` (inside one run) by `new` as a tracked change; old "" inserts `new` at the end
    of the paragraph's last run, new "" deletes."""
    runs = [r for r in paragraph._p.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
    target = next(r for r in reversed(runs) if old in r.find(qn("w:t")).text)
    t = target.find(qn("w:t"))
    before, _, after = t.text.rpartition(old) if not old else t.text.partition(old)
    if not old:
        before, after = t.text, ""
    t.text = before
    t.set(qn("xml:space"), "preserve")
    anchor = target
    if old:
        deletion = _revision("del", number)
        deletion.append(_run(old, deleted=True))
        anchor.addnext(deletion)
        anchor = deletion
    if new:
        insertion = _revision("ins", number + 1)
        insertion.append(_run(new))
        anchor.addnext(insertion)
        anchor = insertion
    if after:
        anchor.addnext(_run(after))


def find(word, prefix: str, style: str | None = None):
    return next(p for p in paragraphs(word) if p.text.replace("\xa0", " ").strip().startswith(prefix)
                and (style is None or p.style.name == style))


def reviewed(project: Path, *edits: tuple) -> Path:
    """The draft with tracked changes: each edit is (style or None, paragraph prefix, old, new)."""
    word = docx.Document(str(project / "build" / "r.docx"))
    for number, (style, prefix, old, new) in enumerate(edits):
        track(find(word, prefix, style), old, new, 900 + 10 * number)
    out = project / "reviewed.docx"
    word.save(out)
    return out


def apply(project: Path, *extra: str):
    return run_reportc("review", "reviewed.docx", "--apply", *extra, cwd=project)


def source(project: Path) -> str:
    return (project / "sources" / "r.yaml").read_text(encoding="utf-8")


def changed_lines(project: Path) -> list[tuple[str, str]]:
    """(old line, new line) for every line that differs; the line count must not change."""
    new = source(project).split("\n")
    old = SOURCE.split("\n")
    assert len(new) == len(old), source(project)
    return [(a, b) for a, b in zip(old, new) if a != b]


# ---- each scalar style ---------------------------------------------------------------------------


def test_a_plain_scalar_keeps_its_markup_and_every_other_byte(project):
    reviewed(project, ("Body Text", "Plain text that", "a lot", "greatly"))
    result = apply(project)
    assert result.returncode == 0, result.stderr
    assert changed_lines(project) == [("    summary: Plain text that **matters** a lot.",
                                       "    summary: Plain text that **matters** greatly.")]
    assert "applied 1 changed text to sources/r.yaml" in result.stderr


def test_a_change_to_the_cover_title_and_subject_is_written_back_to_their_lines(project):
    """The cover's title and subject carried no source position: a reviewer's change there was
    listed at FILE:1:1 and not applied."""
    reviewed(project, ("Title", "A ", "title", "heading"), ("Cover Subject", "Single", "subject", "topic"))
    listed = run_reportc("review", "reviewed.docx", cwd=project)
    assert "sources/r.yaml:2:" in listed.stdout and "sources/r.yaml:3:" in listed.stdout, listed.stdout
    result = apply(project)
    assert result.returncode == 0, result.stderr
    assert changed_lines(project) == [('title: "A \\"quoted\\" title"', 'title: "A \\"quoted\\" heading"'),
                                      ("subject: 'Single ''quoted'' subject'", "subject: 'Single ''quoted'' topic'")]


def test_a_replacement_inside_bold_stays_bold(project):
    reviewed(project, ("Body Text", "Plain text that", "matters", "counts"))
    assert apply(project).returncode == 0
    assert changed_lines(project) == [("    summary: Plain text that **matters** a lot.",
                                       "    summary: Plain text that **counts** a lot.")]


def test_a_double_quoted_scalar_escapes_quotes_and_backslashes(project):
    reviewed(project, ("Heading 2", '1.\tHow "well"?', "?", ' "x" \\ y?'))
    assert apply(project).returncode == 0
    assert changed_lines(project) == [('      - title: "How \\"well\\"?"', '      - title: "How \\"well\\" \\"x\\" \\\\ y?"')]


def test_a_line_separator_or_a_tab_is_listed_and_written_as_an_escape(project):
    """A raw U+2028 in the source reads as a line break in editors and split the --dry-run diff's
    line; the listing showed it, and an inserted tab, as a plain space."""
    reviewed(project, ("Heading 2", '1.\tHow "well"?', "?", "\u2028now?"), (None, "Plain text", "Plain", "\tPlain"))
    listing = run_reportc("review", "reviewed.docx", cwd=project)
    assert 'insert "\\u2028now"' in listing.stdout or 'with "\\u2028now?"' in listing.stdout, listing.stdout
    assert '"\\tPlain"' in listing.stdout, listing.stdout
    assert apply(project).returncode == 0
    assert ('      - title: "How \\"well\\"?"', '      - title: "How \\"well\\"\\u2028now?"') in changed_lines(project)
    assert "\u2028" not in source(project)


def test_a_change_that_joins_two_paragraphs_is_applied_to_neither(project):
    """A reviewer selected from the end of one paragraph into the next and typed: Word and
    LibreOffice save the first paragraph's mark as deleted and the rest as changes in the second,
    whose half alone was written back (duplicating its text, or leaving "the service" lowercase)."""
    word = docx.Document(str(project / "build" / "r.docx"))
    first = find(word, "First line of the literal block")
    properties = first._p.get_or_add_pPr()
    mark = properties.find(qn("w:rPr"))
    if mark is None:
        mark = OxmlElement("w:rPr")
        properties.append(mark)
    mark.append(_revision("del", 700))
    track(find(word, "Another paragraph here"), "Another", "another", 710)
    word.save(project / "reviewed.docx")
    result = apply(project)
    joined = [line for line in result.stderr.splitlines() if "paragraph split, joined" in line]
    assert len(joined) == 2, result.stderr
    assert source(project) == SOURCE


def test_text_edited_without_tracking_beside_a_tracked_change_is_warned_about(project):
    """A paragraph's tracked change is written back; an edit beside it made with tracking off
    (or another reviewer's change accepted in the draft) was lost without a word."""
    word = docx.Document(str(project / "build" / "r.docx"))
    paragraph = find(word, "First line of the literal block")
    first = next(t for t in paragraph._p.iter(qn("w:t")) if "First" in t.text)
    first.text = first.text.replace("First", "Opening")  # with tracking off
    track(paragraph, "second", "later", 720)
    word.save(project / "reviewed.docx")
    result = apply(project)
    assert result.returncode == 0, result.stderr
    assert "also differs from the source where no tracked change shows it" in result.stderr
    assert changed_lines(project) == [("          with a second line.", "          with a later line.")]
    # Headings (numbered by the draft) and clean paragraphs get no such warning
    assert result.stderr.count("no tracked change shows it") == 1


def test_a_single_quoted_scalar_doubles_quotes(project):
    reviewed(project, ("Heading 2", "2.\tFolded", "Folded", "Bent's"))
    assert apply(project).returncode == 0
    assert changed_lines(project) == [("      - title: 'Folded ''one'''", "      - title: 'Bent''s ''one'''")]


def test_a_literal_block_keeps_its_style_and_indentation(project):
    reviewed(project, ("Body Text", "First line", "second", "2nd"), ("Body Text", "Another paragraph", "here", "there"))
    assert apply(project).returncode == 0
    assert changed_lines(project) == [("          with a second line.", "          with a 2nd line."),
                                      ("          Another paragraph here.", "          Another paragraph there.")]


def test_a_change_across_a_line_break_of_a_folded_block(project):
    reviewed(project, ("Body Text", "Folded text", "runs over", "spans"))
    assert apply(project).returncode == 0
    text = source(project)
    assert "          Folded text that spans two lines.\n        grade: good" in text
    assert text.replace("          Folded text that spans two lines.\n",
                        "          Folded text that runs\n          over two lines.\n") == SOURCE


def test_a_plain_scalar_that_now_needs_quotes_is_requoted(project):
    reviewed(project, ("Body Text", "Plain text that", "a lot.", "a lot: # really"))
    assert apply(project).returncode == 0
    assert changed_lines(project) == [("    summary: Plain text that **matters** a lot.",
                                       '    summary: "Plain text that **matters** a lot: # really"')]


# ---- grades ---------------------------------------------------------------------------------------


def test_replacing_a_grade_badge_changes_the_grade_key(project):
    reviewed(project, ("Grade Badge", "Requires improvement", "Requires improvement", "Outstanding"))
    assert apply(project).returncode == 0
    assert changed_lines(project) == [("        grade: requires-improvement", "        grade: outstanding")]


def test_replacing_a_grade_in_the_glance_table_changes_the_grade(project):
    reviewed(project, ("Glance Grade", "Requires improvement", "Requires improvement", "Inadequate"))
    assert apply(project).returncode == 0
    assert changed_lines(project) == [("        grade: requires-improvement", "        grade: inadequate")]


def test_a_grade_that_is_not_in_the_scale_is_a_warning(project):
    reviewed(project, ("Grade Badge", "Requires improvement", "Requires improvement", "Superb"))
    result = apply(project)
    assert result.returncode == 0
    assert source(project) == SOURCE
    assert '"Superb" is not a grade' in result.stderr and "sources/r.yaml:16:" in result.stderr


# ---- what cannot be applied ----------------------------------------------------------------------


def test_changes_to_generated_text_are_warnings_at_their_position(project):
    reviewed(project, ("Heading 2", "1.\tHow", "1", "7"), ("toc 2", "2.\tFolded", "Folded", "Bent"))
    result = apply(project)
    assert result.returncode == 0, result.stderr
    assert source(project) == SOURCE
    warnings = [line for line in result.stderr.splitlines() if ": warning: not applied:" in line]
    assert len(warnings) == 2, result.stderr
    assert any(line.startswith("sources/r.yaml:10:") and "generates" in line for line in warnings)
    assert any("contents entry" in line for line in warnings)


def test_a_change_in_the_styles_imprint_text_is_refused_as_style_text(project):
    """The imprint's wording comes from the style file: a change in it was refused as "the source
    '<style>' is not valid now; fix it first", pointing the writer at a file that is valid."""
    with_imprint = SOURCE + "imprint:\n  reference: HC 1234\n"
    (project / "sources" / "r.yaml").write_text(with_imprint, encoding="utf-8")
    built = run_reportc("build", "--format", "docx", "--out", "build", cwd=project)
    assert built.returncode == 0, built.stderr
    reviewed(project, (None, "First published", "its publisher", "the inspectorate"))
    result = apply(project)
    assert result.returncode == 0, result.stderr
    assert source(project) == with_imprint
    warning = next(line for line in result.stderr.splitlines() if ": warning: not applied:" in line)
    assert "default.yaml:" in warning.split(": warning:")[0], warning
    assert "from the style file" in warning and "not valid" not in warning, warning


def test_a_change_in_the_styles_lead_in_is_refused_as_generated_text(project):
    """A cause of concern without `lead_in:` prints the style's; a change in it was refused as
    "not in the source (was the source edited since the draft?)"."""
    cause = ("        causes_of_concern:\n          - text: The harbour lacks a plan.\n"
             "            recommendations:\n              - write one.\n")
    with_cause = SOURCE.replace("        grade: requires-improvement\n", "        grade: requires-improvement\n" + cause)
    (project / "sources" / "r.yaml").write_text(with_cause, encoding="utf-8")
    assert run_reportc("build", "--format", "docx", "--out", "build", cwd=project).returncode == 0
    lead_in = next(p for p in paragraphs(docx.Document(str(project / "build" / "r.docx"))) if p.style.name == "Lead In")
    reviewed(project, ("Lead In", lead_in.text[:10], lead_in.text[-7:], "must:"))
    result = apply(project)
    assert result.returncode == 0, result.stderr
    assert source(project) == with_cause
    assert "generates (lead-in)" in result.stderr and "edited since" not in result.stderr, result.stderr


def test_text_changed_in_the_source_since_the_draft_is_a_warning(project):
    (project / "sources" / "r.yaml").write_text(SOURCE.replace("a lot.", "a great deal."), encoding="utf-8")
    reviewed(project, ("Body Text", "Plain text that", "a lot", "greatly"))
    result = apply(project)
    assert result.returncode == 0
    assert "sources/r.yaml:7:" in result.stderr and "the source was edited since the draft" in result.stderr
    assert "a great deal." in source(project)


def test_a_formatting_only_change_is_a_warning(project):
    word = docx.Document(str(project / "build" / "r.docx"))
    run = find(word, "Plain text that", "Body Text").runs[0]._r
    properties = run.get_or_add_rPr()
    change = _revision("rPrChange", 950)
    change.append(OxmlElement("w:rPr"))
    properties.append(OxmlElement("w:b"))
    properties.append(change)
    word.save(project / "reviewed.docx")
    result = apply(project)
    assert result.returncode == 0
    assert source(project) == SOURCE
    assert "sources/r.yaml:7:" in result.stderr and "formatting change" in result.stderr


def test_comments_are_listed_and_never_applied(project):
    word = docx.Document(str(project / "build" / "r.docx"))
    word.add_comment(find(word, "Plain text that", "Body Text").runs, text="Is this right?", author=AUTHOR)
    word.save(project / "reviewed.docx")
    result = apply(project)
    assert result.returncode == 0
    assert source(project) == SOURCE
    assert 'comment: Jane Smith' in result.stdout and "Is this right?" in result.stdout
    assert "no tracked change could be applied" in result.stderr


# ---- --dry-run, atomic write and validation ---------------------------------------------------------


def test_dry_run_prints_a_unified_diff_and_writes_nothing(project):
    reviewed(project, ("Body Text", "Plain text that", "a lot", "greatly"))
    result = apply(project, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert source(project) == SOURCE
    assert result.stdout.startswith("--- a/sources/r.yaml\n+++ b/sources/r.yaml\n")
    assert "\n-    summary: Plain text that **matters** a lot.\n+    summary: Plain text that **matters** greatly.\n" \
        in result.stdout


def test_a_change_that_makes_the_source_invalid_keeps_the_original(project):
    reviewed(project, ("Body Text", "Plain text that", "a lot", "a lot, see [this](ftp://example.org/x)"))
    result = apply(project)
    assert result.returncode == 1
    assert source(project) == SOURCE
    assert "sources/r.yaml:7:" in result.stderr and "must start with" in result.stderr
    assert "left as it was" in result.stderr
    assert sorted(p.name for p in (project / "sources").iterdir()) == ["r.yaml"]  # no temporary file left


def test_dry_run_without_apply_is_a_usage_error(project):
    result = run_reportc("review", "build/r.docx", "--dry-run", cwd=project)
    assert result.returncode == 2 and "--dry-run goes with --apply" in result.stderr


def test_a_source_outside_the_project_root_is_never_touched(project, tmp_path):
    reviewed(project, ("Body Text", "Plain text that", "a lot", "greatly"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_reportc("review", str(project / "reviewed.docx"), "--apply", cwd=elsewhere)
    assert result.returncode == 0
    assert source(project) == SOURCE
    assert "does not exist under" in result.stderr


# ---- CI: a skipped test of a real client fails --------------------------------------------------------


def _pytest_on(tmp_path: Path, ci: str):
    import subprocess
    import sys

    from .conftest import ROOT

    test = tmp_path / "test_skips.py"
    test.write_text("import pytest\n\n"
                    "def test_needs_uno():\n    pytest.skip('LibreOffice with python3-uno is not installed')\n\n"
                    "def test_needs_something_else():\n    pytest.skip('the captured seed page is not on this machine')\n",
                    encoding="utf-8")
    env = {**__import__("os").environ, "CI": ci}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest",
                           str(test)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_in_ci_a_skipped_real_client_test_fails(tmp_path):
    result = _pytest_on(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 skipped" in result.stdout
    assert "may not be skipped in CI" in result.stdout


def test_outside_ci_the_same_test_is_only_skipped(tmp_path):
    result = _pytest_on(tmp_path, "")
    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout


# ---- drafts whose source changed since they were built -----------------------------------------------


def _commented(project: Path) -> Path:
    word = docx.Document(str(project / "build" / "r.docx"))
    word.add_comment(find(word, "Another paragraph", "Body Text").runs, text="Check this", author=AUTHOR)
    word.save(project / "reviewed.docx")
    return project / "reviewed.docx"


def test_the_draft_records_the_sha256_of_its_source_and_style(built):
    import hashlib
    import zipfile

    with zipfile.ZipFile(built / "build" / "r.docx") as archive:
        parts = [archive.read(n) for n in archive.namelist() if n.startswith("customXml/item") and "Props" not in n]
    digest = hashlib.sha256(SOURCE.encode("utf-8")).hexdigest()
    assert any(f'<input file="sources/r.yaml" sha256="{digest}"/>'.encode() in part for part in parts)
    assert any(b'<input file="&lt;shipped&gt;/' in part for part in parts)


def test_a_comment_follows_its_text_when_lines_are_added_above(project):
    _commented(project)
    assert "sources/r.yaml:15:11: comment:" in run_reportc("review", "reviewed.docx", cwd=project).stdout
    (project / "sources" / "r.yaml").write_text("# one\n# two\n# three\n" + SOURCE, encoding="utf-8")
    result = run_reportc("review", "reviewed.docx", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "sources/r.yaml:18:11: comment:" in result.stdout
    assert "warning: sources/r.yaml changed since the draft was built" in result.stderr


def test_apply_writes_into_the_moved_text_of_a_changed_source(project):
    reviewed(project, ("Body Text", "Another paragraph", "here", "there"))
    (project / "sources" / "r.yaml").write_text("# one\n" + SOURCE, encoding="utf-8")
    result = apply(project)
    assert result.returncode == 0, result.stderr
    assert source(project) == "# one\n" + SOURCE.replace("Another paragraph here.", "Another paragraph there.")
    assert "changed since the draft was built" in result.stderr


# ---- a file saved by LibreOffice itself -------------------------------------------------------------

from .test_review import draft, reviewed_in_libreoffice  # noqa: E402,F401  (fixtures: LibreOffice via UNO)


def test_changes_made_in_libreoffice_apply_as_a_diff(reviewed_in_libreoffice):
    from .conftest import ROOT

    result = run_reportc("review", str(reviewed_in_libreoffice), "--apply", "--dry-run", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "-          The service has a thorough community risk management plan for 2024 to 2028. It used a\n" \
           "+          The service has a thorough community risk management plan for 2024 to 2027. It used a\n" \
        in result.stdout
    changed = [line for line in result.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert len(changed) == 2  # exactly one line changes


def test_a_not_applied_change_in_a_long_paragraph_is_shown_where_it_differs():
    from compiler.review.apply import _around_difference

    start = "This report sets out the findings of our inspection of Northshire Police, which took place in "
    before, after = _around_difference(start + "2022, and more.", start + "2023, and more.")
    assert before.startswith("\u2026") and "2022" in before[:40] and "2023" in after[:40]
    assert _around_difference("short one", "short two") == ("short one", "short two")
