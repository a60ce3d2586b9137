"""`reportc init` and `reportc styles` in folders someone prepared: a symbolic link or a file
where init writes must refuse the folder before anything is written, and `reportc styles` must
never read a file outside the project (a style file that is a link out of it)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, run_reportc


def listed(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


# ---- init: links and files on the paths it writes ---------------------------------------------


@pytest.mark.parametrize("link", [".github", ".github/workflows", ".github/workflows/reports.yml", ".gitignore"])
def test_init_refuses_a_symlink_on_any_path_it_writes_and_writes_nothing(tmp_path, link):
    project, elsewhere = tmp_path / "p", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(elsewhere if not link.endswith((".yml", ".gitignore")) else elsewhere / "f")
    before = listed(project)
    result = run_reportc("init", str(project))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"has {link} as a symbolic link" in result.stderr and "remove the link" in result.stderr
    assert listed(elsewhere) == []  # nothing written where the link leads
    assert listed(project) == before  # and nothing beside it


def test_init_refuses_a_file_where_it_makes_a_folder_before_writing_anything(tmp_path):
    # `touch i/.github; reportc init i` wrote schema.json, sources/, styles/... then failed
    # with "Not a directory", naming nothing.
    (tmp_path / "i").mkdir()
    (tmp_path / "i" / ".github").touch()
    result = run_reportc("init", "i", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "i has .github, which is not a folder" in result.stderr and "move it away" in result.stderr
    assert os.listdir(tmp_path / "i") == [".github"]


def test_a_write_that_fails_midway_removes_what_init_wrote(tmp_path):
    # (run as root, a read-only folder does not stop a write: the failure is made in-process)
    script = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from compiler.build import output
from compiler.project import init
real, count = output.write_atomic, [0]
def failing(target, data):
    count[0] += 1
    if count[0] == 4:
        raise OSError(28, "No space left on device")
    real(target, data)
output.write_atomic = failing
try:
    init.create_project(Path({str(tmp_path / "new" / "p")!r}))
except OSError as error:
    print(error.strerror)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No space left on device at ")  # names the file it could not write
    assert os.listdir(tmp_path) == []  # the folders it made went too


def test_init_still_writes_into_a_folder_with_an_empty_github_folder_and_a_gitignore(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".gitignore").write_text("*.log\n")
    result = run_reportc("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".github" / "workflows" / "reports.yml").is_file()
    assert (tmp_path / ".gitignore").read_text() == "*.log\nbuild/\n"


# ---- styles: a style file that leads outside the project ---------------------------------------


def test_styles_refuses_a_style_that_links_outside_the_project_and_shows_none_of_it(tmp_path):
    outside, project = tmp_path / "outside", tmp_path / "p"
    outside.mkdir()
    (outside / "s.yaml").write_text("extends: SECRET-from-outside\n")
    (project / "styles").mkdir(parents=True)
    (project / "styles" / "evil.yaml").symlink_to(outside / "s.yaml")
    (project / "styles" / "fine.yaml").write_text("extends: default\n")
    result = run_reportc("styles", cwd=project)
    assert "SECRET" not in result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert "refused: 'evil.yaml' is outside the project root" in rows["evil"]
    assert rows["evil"].split()[2] == "-"  # what it extends is not read
    assert "styles/evil.yaml:1:1: error: style file 'evil.yaml' is outside the project root" in result.stderr
    assert "symbolic link" in result.stderr
    assert "default (shipped)" in rows["fine"]


def test_styles_lists_a_link_inside_the_project_as_the_build_resolves_it(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "brand.yaml").write_text("extends: hmicfrs\n")
    (tmp_path / "styles" / "brand.yaml").symlink_to(tmp_path / "shared" / "brand.yaml")
    result = run_reportc("styles", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("brand "))
    assert "hmicfrs (shipped)" in row and "refused" not in row
