"""`reportc review` on grades and on clean drafts: a comment on a grade badge belongs to the
`grade:` line (a reviewer disputing a grade wants the grade, not the title); a run always ends
with a summary line on stderr, so a draft without remarks does not look like a silent failure."""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from .conftest import run_reportc

SOURCE = """title: T
subject: S
status: draft
pillars:
  - title: Efficiency
    summary: Some text.
    grade: good
    questions:
      - title: How well?
        findings: Fine.
        grade: requires improvement
"""


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("grades")
    (project / "sources").mkdir()
    (project / "sources" / "r.yaml").write_text(SOURCE, encoding="utf-8")
    result = run_reportc("build", "--format", "docx", "--out", "build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "build" / "r.docx"


def commented(draft: Path, target: Path, comments: dict[tuple[str, str], str]) -> Path:
    """`draft` with a comment on the first paragraph of each (style, text) in `comments`."""
    word = docx.Document(str(draft))
    for (style, start), text in comments.items():
        paragraph = next(p for p in word.paragraphs if p.style.name == style and p.text.startswith(start))
        word.add_comment(paragraph.runs, text=text, author="Sam", initials="S")
    word.save(str(target))
    return target


def test_a_comment_on_a_grade_badge_is_at_the_grade_line(draft, tmp_path):
    reviewed = commented(draft, tmp_path / "reviewed.docx", {("Grade Badge", "\u00a0Requires"): "Really?",
                                                             ("Grade Badge", "\u00a0Good"): "Surely outstanding?",
                                                             ("Heading 1", "Efficiency"): "Rename this"})
    result = run_reportc("review", str(reviewed))
    assert result.returncode == 0, result.stderr
    lines = re.sub(r" \(\d{4}-\d\d-\d\d\)", "", result.stdout).splitlines()  # the date python-docx adds
    assert lines == ['sources/r.yaml:5:12: comment: Sam: "Rename this" on "Efficiency"',
                     'sources/r.yaml:7:12: comment: Sam: "Surely outstanding?" on "Good"',
                     'sources/r.yaml:11:16: comment: Sam: "Really?" on "Requires improvement"']
    assert result.stderr == f"reportc: 3 comments in {reviewed}\n"


def test_a_draft_without_remarks_says_so(draft):
    result = run_reportc("review", str(draft))
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == f"reportc: no comments or tracked changes in {draft}\n"
