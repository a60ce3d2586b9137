"""A reviewer's change in a table lands in its own cell: each pipe-table cell and each header
cell carries the place it was written, the caption and the "Source:" line theirs. A change to the
third of `| 2023 | 400 | 400 |` was written into the second (each cell carried its row's start),
and one to a `table:` header cell into the caption (header, caption and source carried the
table's own place)."""
from __future__ import annotations

from pathlib import Path

import docx

from .conftest import run_reportc
from .test_review_apply import track

SOURCE = """title: T
subject: S
status: draft
pillars:
  - title: P
    grade: good
    findings:
      - |
        | Year | Inspected | Target |
        |------|--:|--:|
        | 2023 | 400 | 400 |

        Table: Fire safety inspections of buildings
      - table:
          caption: Inspectors by level
          columns: [Level, Inspectors]
          rows:
            - [Qualified, "30"]
          source: Workforce data, 2025
"""


def _cell(word, row_text: str, column: int):
    for table in word.tables:
        for row in table.rows:
            if row_text in [cell.text for cell in row.cells]:
                return row.cells[column].paragraphs[0]
    raise AssertionError(row_text)


def _paragraph(word, start: str):
    return next(p for p in word.paragraphs if p.text.startswith(start))


def test_changes_in_cells_captions_and_source_lines_land_in_their_own_fields(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text(SOURCE, encoding="utf-8")
    assert run_reportc("build", "--format", "docx", "--out", "build", cwd=tmp_path).returncode == 0
    word = docx.Document(str(tmp_path / "build" / "r.docx"))
    track(_cell(word, "2023", 2), "400", "450", 800)
    track(_cell(word, "Level", 1), "Inspectors", "Inspectors (FTE)", 810)
    track(_paragraph(word, "Table 2"), "level", "qualification level", 820)
    track(_paragraph(word, "Source: Workforce"), "2025", "2024", 830)
    word.save(tmp_path / "reviewed.docx")
    listing = run_reportc("review", "reviewed.docx", cwd=tmp_path)
    places = sorted(line.split(": change")[0] for line in listing.stdout.splitlines())
    assert places == ["sources/r.yaml:11:24", "sources/r.yaml:15:20", "sources/r.yaml:16:28",
                      "sources/r.yaml:19:19"], listing.stdout
    result = run_reportc("review", "reviewed.docx", "--apply", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "sources" / "r.yaml").read_text(encoding="utf-8")
    assert "| 2023 | 400 | 450 |" in text
    assert "columns: [Level, Inspectors (FTE)]" in text
    assert "caption: Inspectors by qualification level" in text
    assert "source: Workforce data, 2024" in text
