"""The command line: exit codes, every problem in one run, schema output, nothing written for bad input."""
from __future__ import annotations

import json

from .conftest import run_reportc


def make_project(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


GOOD = "title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"


def test_validate_samples_passes():
    result = run_reportc("validate")
    assert result.returncode == 0, result.stderr


def test_validate_lists_every_problem_with_position_and_exits_1(tmp_path):
    project = make_project(tmp_path, {"sources/a.yaml": "title: T\nsubjet: S\npillars:\n  - title: P\n    grade: meh\n"
                                                       "    updated: 2019/05/02\n"})
    result = run_reportc("validate", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "sources/a.yaml:1:1: error: missing required key `subject` in the file",
        "sources/a.yaml:2:1: error: unknown key `subjet`; did you mean `subject`?",
        "sources/a.yaml:5:12: error: unknown grade 'meh'; the style 'default' has: Outstanding, Good, "
        "Requires improvement, Inadequate, Ungraded",
        "sources/a.yaml:6:14: error: pillar 1 (P), `updated`: '2019/05/02' is not an ISO date; use YYYY-MM-DD",
    ]
    assert "Traceback" not in result.stderr


def test_strict_turns_warnings_into_errors(tmp_path):
    text = GOOD + "    questions:\n      - {number: 3, title: A}\n      - {number: 2, title: B}\n"
    project = make_project(tmp_path, {"sources/a.yaml": text})
    relaxed = run_reportc("validate", cwd=project)
    assert relaxed.returncode == 0 and ": warning: question 2 comes after question 3" in relaxed.stderr
    strict = run_reportc("validate", "--strict", cwd=project)
    assert strict.returncode == 1 and ": error: question 2 comes after question 3" in strict.stderr


def test_usage_errors_exit_2():
    assert run_reportc().returncode == 2
    assert run_reportc("build", "--format", "epub").returncode == 2  # html is a format since issue 12
    assert run_reportc("frobnicate").returncode == 2


def test_ids_that_clash_name_both_files(tmp_path):
    project = make_project(tmp_path, {"sources/a.yaml": "id: same\n" + GOOD, "sources/b.yaml": "id: same\n" + GOOD})
    result = run_reportc("validate", cwd=project)
    assert result.returncode == 1
    assert "sources/b.yaml:1:1: error: id 'same' is also the id of sources/a.yaml" in result.stderr


def test_paths_outside_the_project_are_refused_without_opening(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("brand: {name: X}\n")
    project = make_project(tmp_path / "proj", {
        "sources/a.yaml": "style: ../../outside.yaml\n" + GOOD,
        "sources/b.yaml": "style: /etc/passwd\n" + GOOD,
    })
    (project / "styles").mkdir()
    (project / "styles" / "link.yaml").symlink_to(outside)
    (project / "sources" / "c.yaml").write_text("style: link\n" + GOOD)
    result = run_reportc("validate", cwd=project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("sources/a.yaml:1:8: error: style '../../outside.yaml' is outside the project root")
    assert lines[1].startswith("sources/b.yaml:1:8: error: style '/etc/passwd' is outside the project root")
    assert lines[2].startswith("sources/c.yaml:1:8: error: style ")
    assert "outside the project root" in lines[2]


def test_style_found_by_name_from_any_folder(tmp_path):
    project = make_project(tmp_path, {"sources/a.yaml": "style: hmicfrs\n" + GOOD.replace("good", "adequate")})
    assert run_reportc("validate", cwd=project).returncode == 0


def test_style_errors_are_reported_with_their_position(tmp_path):
    project = make_project(tmp_path, {
        "sources/a.yaml": "style: mine\n" + GOOD,
        "styles/mine.yaml": "extends: hmicfrs\ncolours:\n  primray: '#000000'\n  text: red\n",
    })
    result = run_reportc("validate", cwd=project)
    assert result.stderr.splitlines() == [
        "styles/mine.yaml:3:3: error: unknown key `primray`; did you mean `primary`?",
        "styles/mine.yaml:4:9: error: `colours.text`: 'red' is not valid; a colour is #RRGGBB, e.g. #1D70B8",
    ]


def test_extends_loop_is_an_error(tmp_path):
    project = make_project(tmp_path, {
        "sources/a.yaml": "style: one\n" + GOOD,
        "styles/one.yaml": "extends: two\n",
        "styles/two.yaml": "extends: one\n",
    })
    result = run_reportc("validate", cwd=project)
    assert result.returncode == 1 and "extends: styles extend each other in a loop" in result.stderr


def test_schema_is_json_schema_covering_every_key():
    from jsonschema import Draft202012Validator

    result = run_reportc("schema")
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    keys = set(schema["properties"])
    assert {"id", "title", "subject", "programme", "published", "language", "status", "marking", "version",
            "style", "summary", "front_matter", "pillars", "annexes", "numbered_questions", "grade", "glossary",
            "imprint"} == keys
    question = schema["properties"]["pillars"]["items"]["properties"]["questions"]["items"]
    assert {"number", "title", "grade", "carried_over", "areas_for_improvement", "causes_of_concern",
            "findings", "detailed_findings"} == set(question["properties"])


def test_invalid_source_writes_nothing(tmp_path):
    project = make_project(tmp_path, {"sources/bad.yaml": "title: T\n"})
    result = run_reportc("build", cwd=project)
    assert result.returncode == 1
    assert not (project / "build").exists() or not any((project / "build").iterdir())


def test_an_empty_out_folder_is_a_usage_error_not_the_project_root(tmp_path):
    result = run_reportc("build", "--out", "", cwd=tmp_path)
    assert result.returncode == 2 and "argument --out: is empty; name a file or folder" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written where it was run


def test_sources_that_cannot_be_loaded_are_counted_as_refused(tmp_path):
    import json

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.yaml").symlink_to("a.yaml")  # a loop
    (tmp_path / "sources" / "b.yaml").symlink_to("missing.yaml")  # dangling
    result = run_reportc("build", "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("reportc: 0 built, 0 skipped, 0 failed, 2 refused;")
    summary = json.loads(run_reportc("build", "--jobs", "1", "--json", cwd=tmp_path).stdout)
    assert summary["refused"] == 2


def test_a_source_date_epoch_that_is_no_date_says_which_way_it_is_wrong(tmp_path):
    """-99999999999 is a whole number: it was called "not a whole number" (it is out of range)."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text("title: T\nsubject: S\npillars:\n  - title: P\n")
    for value, problem in (("abc", "must be a whole number of seconds since 1970"),
                           ("-99999999999", "is out of range: give the seconds since 1970 of a date from year 1"),
                           ("9" * 30, "is out of range")):
        result = run_reportc("validate", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": value})
        assert result.returncode == 2 and f"SOURCE_DATE_EPOCH {problem}" in result.stderr, result.stderr
