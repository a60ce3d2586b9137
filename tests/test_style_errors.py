"""Styles: every problem of a style in one run (issue 15, item 3), and a style that is not found
says where it looked and what to write instead (item 4)."""
from __future__ import annotations

from pathlib import Path

from .conftest import run_reportc

SOURCE = "title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"


def project(tmp_path: Path, source: str, files: dict[str, str]) -> Path:
    for name, text in {"sources/x.yaml": source, **files}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def validate(root: Path, *args: str) -> tuple[int, list[str]]:
    result = run_reportc("validate", "sources/x.yaml", *args, cwd=root)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, [line for line in (result.stdout + result.stderr).splitlines() if ": error: " in line]


# Seven different mistakes, one per line: each must be reported by the first run.
BROKEN_STYLE = """\
extends: no-such-parent
brand:
  name: Brand
  logo: missing-logo.png
date_format: "%Q %Y"
colours:
  primary: "#12345"
  acent: "#1D70B8"
fonts:
  regular: fonts/missing.ttf
labels:
  published: "Published {when}"
"""


def test_a_style_with_seven_mistakes_reports_them_all_in_one_run(tmp_path):
    root = project(tmp_path, "style: broken\n" + SOURCE, {"styles/broken.yaml": BROKEN_STYLE})
    code, errors = validate(root)
    assert code == 1
    lines = sorted({int(error.split(":")[1]) for error in errors if error.startswith("styles/broken.yaml:")})
    assert lines == [1, 4, 5, 7, 8, 10, 12], errors


def test_a_style_with_a_wrong_shape_still_reports_its_other_problems(tmp_path):
    style = "brand: just text\ncolours:\n  primary: [1, 2]\nfonts:\n  size: large\n  bold: nope.ttf\n" \
            "labels:\n  version: 'v{x}'\n"
    root = project(tmp_path, "style: odd\n" + SOURCE, {"styles/odd.yaml": style})
    code, errors = validate(root)
    assert code == 1
    lines = sorted({int(error.split(":")[1]) for error in errors if error.startswith("styles/odd.yaml:")})
    assert lines == [1, 3, 5, 6, 8], errors


def test_a_broken_parent_is_reported_with_its_child(tmp_path):
    root = project(tmp_path, "style: child\n" + SOURCE, {
        "styles/child.yaml": "extends: parent\ncolours:\n  primary: red\n",
        "styles/parent.yaml": "date_format: '%Q'\nbrand:\n  nmae: x\n"})
    code, errors = validate(root)
    files = sorted({error.split(":")[0] for error in errors})
    assert code == 1 and files == ["styles/child.yaml", "styles/parent.yaml"], errors
    assert len(errors) == 3, errors


def test_a_path_from_the_project_root_suggests_the_bare_name_and_the_relative_path(tmp_path):
    root = project(tmp_path, "style: styles/brand.yaml\n" + SOURCE, {"styles/brand.yaml": "brand:\n  name: B\n"})
    code, [error] = validate(root)
    assert code == 1
    assert error.startswith("sources/x.yaml:1:8: error: style 'styles/brand.yaml' does not exist"), error
    assert "sources/styles/brand.yaml" in error
    assert "`style: brand`" in error and "`style: ../styles/brand.yaml`" in error, error


def test_an_unknown_name_says_where_it_looked_and_mentions_root(tmp_path):
    root = project(tmp_path, "style: brnad\n" + SOURCE, {"styles/brand.yaml": "brand:\n  name: B\n"})
    code, [error] = validate(root)
    assert code == 1
    assert "style no style" not in error
    assert error.startswith("sources/x.yaml:1:8: error: style 'brnad' not found; did you mean 'brand'?"), error
    assert str(root.resolve() / "styles") in error and "shipped styles" in error, error
    assert "--root" in error, error


def test_a_found_style_by_name_or_relative_path_still_works(tmp_path):
    files = {"styles/brand.yaml": "extends: default\nbrand:\n  name: B\n"}
    for written in ("brand", "../styles/brand.yaml"):
        root = project(tmp_path, f"style: {written}\n" + SOURCE, files)
        assert validate(root) == (0, []), written


def test_a_cover_band_too_tall_to_leave_room_below_it_is_refused_at_its_line(tmp_path):
    """A band of 300 mm (the old limit) is taller than a letter page: the cover's date, status and
    grade had nowhere to go."""
    from tests.conftest import run_reportc

    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "tall.yaml").write_text("extends: default\ncover:\n  band_height_mm: 300\n", encoding="utf-8")
    (tmp_path / "r.yaml").write_text("style: tall\ntitle: T\nsubject: S\npillars:\n  - title: P\n", encoding="utf-8")
    result = run_reportc("validate", "r.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "styles/tall.yaml:3:19: error: `cover.band_height_mm`: 300 is out of range; use 0 to 180" in result.stderr
