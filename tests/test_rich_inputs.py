"""The files rich blocks read (source format v2): a table's CSV is a build input, so editing it
rebuilds the report (and only that one); a draft records it for `reportc review`; a CSV outside
the project is refused before it is opened; the list form of block text is checked by the schema.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from compiler.cli import main
from compiler.source.schema import report_json_schema

from .test_batch import build, make_project  # noqa: F401  (build is a fixture)

TABLE_SOURCE = """title: T
subject: S
status: {status}
pillars:
  - title: P
    findings:
      - Calls rose again.
      - table:
          caption: Calls for service
          csv: data/calls.csv
"""
CSV = "Year,Calls\n2021,\"12,400\"\n2022,\"13,050\"\n"


def _project(tmp_path: Path, status: str = "final") -> Path:
    return make_project(tmp_path, {"sources/r.yaml": TABLE_SOURCE.format(status=status),
                                   "sources/other.yaml": "title: O\nsubject: S\npillars:\n  - title: P\n",
                                   "sources/data/calls.csv": CSV})


def test_editing_a_csv_rebuilds_the_report_that_reads_it_and_no_other(tmp_path, build):  # noqa: F811
    project = _project(tmp_path)
    assert build(project)[0] == 0
    assert build(project)[1]["built"] == 0
    (project / "sources/data/calls.csv").write_text(CSV + "2023,\"14,000\"\n", encoding="utf-8")
    code, summary = build(project)
    assert code == 0 and summary["status"] == {"sources/r.yaml": "built", "sources/other.yaml": "skipped"}


def test_a_draft_records_the_csv_it_was_built_from(tmp_path, build):  # noqa: F811
    project = _project(tmp_path, status="draft")
    assert build(project, "--format", "docx")[0] == 0
    with zipfile.ZipFile(project / "build" / "r.docx") as package:
        recorded = "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist()
                           if name.startswith("customXml/") and name.endswith(".xml"))
    assert "sources/data/calls.csv" in recorded


def test_a_csv_outside_the_project_is_refused_before_it_is_opened(tmp_path, monkeypatch, capsys):
    outside = tmp_path / "secret.csv"
    outside.write_text("a,b\n1,2\n", encoding="utf-8")
    project = make_project(tmp_path / "project", {"sources/r.yaml": TABLE_SOURCE.format(status="final").replace(
        "data/calls.csv", "../../secret.csv")})
    opened: list[str] = []
    real_open = open

    def watching_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.chdir(project)
    monkeypatch.setattr("builtins.open", watching_open)
    assert main(["validate", "sources/r.yaml"]) == 1
    err = capsys.readouterr().err
    assert "sources/r.yaml:10:16: error: '../../secret.csv' is outside the project root" in err
    assert str(outside) not in opened


def test_the_schema_describes_block_text_as_text_or_a_list_of_rich_blocks():
    schema = report_json_schema()
    findings = schema["properties"]["pillars"]["items"]["properties"]["findings"]
    kinds = [alternative["type"] for alternative in findings["oneOf"]]
    assert kinds == ["string", "array"]
    rich = next(a for a in findings["oneOf"][1]["items"]["oneOf"] if a["type"] == "object")
    assert sorted(rich["properties"]) == ["callout", "chart", "figure", "table"]
    assert rich["maxProperties"] == 1 and rich["properties"]["figure"]["required"] == ["image", "alt", "caption"]
    json.dumps(schema)  # an editor reads it as JSON


def test_a_csv_that_is_a_symlink_loop_a_fifo_or_a_folder_is_named_for_what_it_is(tmp_path):
    import os

    from tests.conftest import run_reportc

    (tmp_path / "sources").mkdir()
    data = tmp_path / "data"
    data.mkdir()
    (data / "loop.csv").symlink_to("loop.csv")
    os.mkfifo(data / "fifo.csv")  # never opened: reading it would wait for a writer
    (data / "dir.csv").mkdir()
    (tmp_path / "sources" / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "sources" / "r.yaml").write_text(
        "title: T\nsubject: S\npillars:\n  - title: P\n    findings:\n"
        "      - table: {caption: A, csv: ../data/loop.csv}\n"
        "      - table: {caption: B, csv: ../data/fifo.csv}\n"
        "      - table: {caption: C, csv: ../data/dir.csv}\n", encoding="utf-8")
    result = run_reportc("validate", cwd=tmp_path)
    lines = sorted(result.stderr.splitlines())
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert lines[0] == ("sources/loop.yaml:1:1: error: source 'sources/loop.yaml' cannot be resolved "
                        "(a symbolic link that leads back to itself); point it at a file")
    assert lines[1].startswith("sources/r.yaml:6:34: error: '../data/loop.csv' cannot be resolved (a symbolic link")
    assert lines[2].startswith("sources/r.yaml:7:34: error: '../data/fifo.csv' is not a regular file")
    assert lines[3].startswith("sources/r.yaml:8:34: error: '../data/dir.csv' is not a regular file")


def test_utf16_files_and_an_empty_glossary_term_are_named_for_what_they_are(tmp_path):
    from tests.conftest import run_reportc

    (tmp_path / "sources").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_bytes("a,b\n1,2\n".encode("utf-16"))  # Excel's "Unicode text"
    (tmp_path / "sources" / "u.yaml").write_bytes("title: T\n".encode("utf-16"))
    (tmp_path / "sources" / "r.yaml").write_text(
        "title: T\nsubject: S\npillars:\n  - title: P\n    findings:\n"
        "      - table: {caption: A, csv: ../data/x.csv}\nglossary:\n  - {term: '', definition: nothing}\n")
    result = run_reportc("validate", cwd=tmp_path)
    assert sorted(result.stderr.splitlines()) == [
        "data/x.csv:1:1: error: the CSV file is saved as UTF-16; save it as UTF-8 (in Excel: CSV UTF-8)",
        "sources/r.yaml:8:12: error: this glossary term is empty; write the term it defines",
        "sources/u.yaml:1:1: error: the file is saved as UTF-16; save it as UTF-8"]


def test_csv_files_python_cannot_parse_say_where_and_how_to_fix_them(tmp_path):
    """A quote never closed is reported on the row it opens (Python's csv module stops at the
    end of the file), a cell too long and UTF-16 without its byte order mark each say what to do."""
    from tests.conftest import run_reportc

    (tmp_path / "sources").mkdir()
    data = tmp_path / "data"
    data.mkdir()
    (data / "open.csv").write_text('a,b\n1,"2\n3,4\n5,6\n', encoding="utf-8")
    (data / "long.csv").write_text("a\n" + "x" * 140_000 + "\n", encoding="utf-8")
    (data / "wide.csv").write_bytes("a,b\n1,2\n".encode("utf-16-le"))  # no byte order mark
    (data / "after.csv").write_text('a,b\n1,"2"x\n', encoding="utf-8")
    (tmp_path / "sources" / "r.yaml").write_text(
        "title: T\nsubject: S\npillars:\n  - title: P\n    findings:\n"
        + "".join(f"      - table: {{caption: {name}, csv: ../data/{name}.csv}}\n"
                  for name in ("open", "long", "wide", "after")), encoding="utf-8")
    result = run_reportc("validate", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert sorted(result.stderr.splitlines()) == [
        "data/after.csv:2:1: error: a quoted cell on this line has text after its closing quote; write a double "
        'quote inside a quoted cell as "" or quote the whole cell',
        "data/long.csv:2:1: error: a cell on this row is longer than 131,072 characters; shorten it (a table cell "
        "that long cannot fit a page)",
        'data/open.csv:2:1: error: a quoted cell that starts on this row is never closed; add its closing double '
        'quote (") or remove the opening one',
        "data/wide.csv:1:1: error: the CSV file is saved as UTF-16; save it as UTF-8 (in Excel: CSV UTF-8)"]


def test_a_figure_width_that_is_no_whole_number_is_one_error_at_its_line(tmp_path):
    """`width: 50.5` printed the schema's error and then a traceback (the builder read it with int())."""
    from PIL import Image

    from tests.conftest import run_reportc

    (tmp_path / "sources").mkdir()
    Image.new("RGB", (40, 30), "navy").save(tmp_path / "sources" / "map.png")
    widths = ["50.5", "1e9", ".nan", "abc", "0x20", "true", "'٥٠'"]
    (tmp_path / "sources" / "r.yaml").write_text(
        "title: T\nsubject: S\npillars:\n  - title: P\n    findings:\n"
        + "".join(f"      - figure: {{image: map.png, alt: A map, caption: Map, width: {width}}}\n" for width in widths),
        encoding="utf-8")
    for command in ("validate", "build"):
        result = run_reportc(command, cwd=tmp_path)
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert [error.split(":")[1] for error in errors] == [str(6 + n) for n in range(len(widths))], result.stderr
        assert all("`figure.width`" in error for error in errors), errors


def test_a_bug_met_while_checking_a_source_is_an_error_of_that_source(tmp_path, monkeypatch):
    from compiler.build import load

    (tmp_path / "sources").mkdir()
    for name in ("a", "b"):
        (tmp_path / "sources" / f"{name}.yaml").write_text("title: T\nsubject: S\npillars:\n  - title: P\n")
    real = load.load_report

    def failing(path, *args):
        if path.name == "a.yaml":
            raise ValueError("a bug")
        return real(path, *args)

    monkeypatch.setattr(load, "load_report", failing)
    from compiler.source.paths import Roots

    first, second = load.load_all([tmp_path / "sources" / "a.yaml", tmp_path / "sources" / "b.yaml"],
                                  Roots.at(tmp_path))
    [error] = [d.format() for d in first.diagnostics]
    assert "internal error while checking (ValueError: a bug); please report it" in error
    assert second.ok


def test_a_row_split_by_an_unquoted_comma_in_brackets_says_to_quote_the_cell(tmp_path):
    """`[Care leavers in education, employment or training, 48%]` is three cells in YAML: the row
    error says why (a comma ends a cell in `[...]`); a row of `- ` lines, or one too short, does not."""
    from tests.conftest import run_reportc

    (tmp_path / "r.yaml").write_text(
        "title: T\nsubject: S\npillars:\n  - title: P\n    findings:\n      - table:\n          caption: C\n"
        "          columns: [Measure, '2025']\n          rows:\n"
        "            - [Care leavers in education, employment or training, 55%]\n"
        "            - [Dental checks]\n", encoding="utf-8")
    result = run_reportc("validate", "r.yaml", cwd=tmp_path)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert result.returncode == 1 and len(errors) == 2, result.stderr
    assert errors[0] == ('r.yaml:10:15: error: row 1 has 3 cells, but the table has 2 columns; give every row one '
                         'cell per column (an empty cell is ""); in `[...]` a comma ends a cell: quote a cell that '
                         'holds one ("a, b")')
    assert errors[1].startswith("r.yaml:11:15: error: row 2 has 1 cell,") and "comma" not in errors[1]


def test_a_mistyped_csv_path_is_one_error_that_names_the_file_meant(tmp_path, monkeypatch, capsys):
    # 'data/cals.csv' for data/calls.csv: the message named no file to use, and the table's
    # `name:` was lost with it, so `@tbl-calls` was a second error telling the writer to name it
    source = TABLE_SOURCE.format(status="final").replace("csv: data/calls.csv", "name: calls\n          csv: data/cals.csv")
    source = source.replace("Calls rose again.", "Calls rose again (@tbl-calls).")
    project = make_project(tmp_path, {"sources/r.yaml": source, "sources/data/calls.csv": CSV})
    monkeypatch.chdir(project)
    assert main(["validate", "sources/r.yaml"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert len(errors) == 1, errors
    assert errors[0].startswith("sources/r.yaml:11:16: error: 'data/cals.csv' does not exist")
    assert errors[0].endswith("; did you mean 'data/calls.csv'?")
