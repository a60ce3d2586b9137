"""`reportc build FILE -o OUTPUT`: one source to one named file, and `--out` that names a file."""
from __future__ import annotations

import os

import pytest

from compiler.render import RENDERERS

from .conftest import run_reportc

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
SOURCE = ("title: Harbour inspection\nsubject: Westport Harbour Authority\npillars:\n  - title: Safety\n"
          "    grade: good\n    questions:\n      - title: How safe is the harbour?\n        grade: good\n"
          "        findings: |\n          The harbour is **safe**.\n")


@pytest.fixture
def project(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "harbour.yaml").write_text(SOURCE)
    return tmp_path


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The same source built by an ordinary batch build, for comparison."""
    folder = tmp_path_factory.mktemp("batch")
    (folder / "sources").mkdir()
    (folder / "sources" / "harbour.yaml").write_text(SOURCE)
    result = run_reportc("build", cwd=folder, env=EPOCH)
    assert result.returncode == 0, result.stderr
    return folder / "build"


def everything_in(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_o_writes_the_same_bytes_as_a_batch_build(project, batch, fmt):
    result = run_reportc("build", "sources/harbour.yaml", "-o", f"out/report.{fmt}", cwd=project, env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert (project / "out" / f"report.{fmt}").read_bytes() == (batch / f"harbour.{fmt}").read_bytes()
    # one file and nothing else: no cache, manifest, lock or temporary file, no build/ folder
    assert everything_in(project) == ["out", f"out/report.{fmt}", "sources", "sources/harbour.yaml"]


def test_a_docx_built_alone_has_the_contents_page_numbers_of_a_full_build(project, batch):
    """`build --format docx` wrote a contents without page numbers (the PDF that gives them was
    not rendered), where `-o x.docx` and a full build have them: the same DOCX in all three."""
    result = run_reportc("build", "--format", "docx", "--out", "alone", cwd=project, env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert (project / "alone" / "harbour.docx").read_bytes() == (batch / "harbour.docx").read_bytes()
    assert not (project / "alone" / "harbour.pdf").exists()


def test_the_extension_picks_the_format_in_any_case(project):
    result = run_reportc("build", "sources/harbour.yaml", "-o", "Report.PDF", cwd=project, env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert (project / "Report.PDF").read_bytes().startswith(b"%PDF")
    assert "Report.PDF" in result.stderr


@pytest.mark.skipif("html" not in RENDERERS, reason="the HTML renderer is not registered")
def test_o_html_writes_the_html_edition(project):
    result = run_reportc("build", "sources/harbour.yaml", "-o", "report.html", cwd=project, env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert b"Harbour inspection" in (project / "report.html").read_bytes()


@pytest.mark.parametrize("output", ["report.txt", "report", "report.yaml"])
def test_an_extension_no_renderer_writes_is_a_usage_error(project, output):
    result = run_reportc("build", "sources/harbour.yaml", "-o", output, cwd=project)
    assert result.returncode == 2
    assert "the extension picks the format" in result.stderr and ".pdf" in result.stderr
    assert everything_in(project) == ["sources", "sources/harbour.yaml"]


@pytest.mark.parametrize("extra, said", [
    (["--out", "build"], "cannot go with --out;"), (["--format", "pdf"], "cannot go with --format;"),
    (["--shard", "1/2"], "cannot go with --shard;"), (["--json"], "cannot go with --json;"),
    (["sources/harbour.yaml"], "-o builds exactly one source FILE; 2 given"),
    (["sources"], "-o builds exactly one source FILE; 2 given"),
])
def test_o_with_batch_options_or_several_sources_is_a_usage_error(project, extra, said):
    result = run_reportc("build", "sources/harbour.yaml", *extra, "-o", "report.pdf", cwd=project)
    assert result.returncode == 2 and said in result.stderr and "Traceback" not in result.stderr
    assert everything_in(project) == ["sources", "sources/harbour.yaml"]


def test_o_takes_a_file_not_a_folder(project):
    for argv, said in ((["sources", "-o", "report.pdf"], "sources is a folder; name one .yaml file"),
                       (["-o", "report.pdf"], "-o builds exactly one source FILE; 0 given")):
        result = run_reportc("build", *argv, cwd=project)
        assert result.returncode == 2 and said in result.stderr
    (project / "taken.pdf").mkdir()
    result = run_reportc("build", "sources/harbour.yaml", "-o", "taken.pdf", cwd=project)
    assert result.returncode == 2 and "is a folder" in result.stderr


def test_an_invalid_source_writes_nothing_and_leaves_the_old_file(project):
    (project / "report.pdf").write_bytes(b"the previous good file")
    (project / "sources" / "harbour.yaml").write_text(SOURCE.replace("grade: good\n    questions", "grade: godd\n    questions"))
    result = run_reportc("build", "sources/harbour.yaml", "-o", "report.pdf", cwd=project)
    assert result.returncode == 1
    assert "sources/harbour.yaml:5:12: error: unknown grade 'godd'" in result.stderr
    assert (project / "report.pdf").read_bytes() == b"the previous good file"
    assert sorted(os.listdir(project)) == ["report.pdf", "sources"]  # no temporary file left


def test_a_missing_source_is_an_error_naming_it(project):
    result = run_reportc("build", "sources/nope.yaml", "-o", "report.pdf", cwd=project)
    assert result.returncode == 1 and "sources/nope.yaml:1:1: error: no such file" in result.stderr
    assert not (project / "report.pdf").exists()


@pytest.mark.parametrize("out", ["report.pdf", "report.DOCX", "site/report.html"])
def test_out_that_names_a_file_is_refused_with_a_pointer_to_o(project, out):
    result = run_reportc("build", "--out", out, cwd=project)
    assert result.returncode == 2
    assert "--out is the output folder" in result.stderr and f"-o {os.path.basename(out)}" in result.stderr
    assert everything_in(project) == ["sources", "sources/harbour.yaml"]  # no folder named report.pdf


def test_out_with_an_ordinary_folder_name_still_builds(project):
    result = run_reportc("build", "--out", "release.v2", "--format", "pdf", cwd=project, env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert (project / "release.v2" / "harbour.pdf").is_file()
