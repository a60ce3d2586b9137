"""`reportc init` (a project that builds as it is), `reportc styles` and `reportc schema --style`."""
from __future__ import annotations

import json
import os

import pytest
import yaml

from .conftest import run_reportc

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """One project made by `reportc init`, shared by the tests that only read it."""
    folder = tmp_path_factory.mktemp("init") / "reports"
    result = run_reportc("init", str(folder), cwd=folder.parent)
    assert result.returncode == 0, result.stderr
    return folder


def files_in(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_init_writes_a_complete_project(project):
    assert set(files_in(project)) == {
        "sources/kestrel-valley-2025.yaml", "styles/house.yaml", "styles/house-logo.png", "schema.json",
        "style-schema.json", ".gitignore", ".github/workflows/reports.yml", "README.md"}
    assert (project / ".gitignore").read_text() == "build/\n"


def test_the_new_project_validates_clean_even_strict(project):
    for strict in ((), ("--strict",)):
        result = run_reportc("validate", *strict, cwd=project)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_new_project_builds_pdf_and_docx_and_verifies(tmp_path, project):
    result = run_reportc("build", "--out", str(tmp_path / "build"), cwd=project, env=EPOCH)
    assert result.returncode == 0, result.stderr
    pdf, docx = tmp_path / "build" / "kestrel-valley-2025.pdf", tmp_path / "build" / "kestrel-valley-2025.docx"
    assert pdf.read_bytes().startswith(b"%PDF") and docx.read_bytes().startswith(b"PK")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Northvale Inspectorate" in text and "the service should:" in text  # the house style applies
    assert run_reportc("verify", str(tmp_path / "build")).returncode == 0


def test_the_logo_is_a_png_in_the_brand_colour(project):
    from PIL import Image

    with Image.open(project / "styles" / "house-logo.png") as logo:
        assert logo.format == "PNG" and logo.size == (900, 240)
        assert logo.convert("RGB").getpixel((60, 60)) == (0x1D, 0x4E, 0x89)


def test_init_is_deterministic(tmp_path, project):
    assert run_reportc("init", "again", cwd=tmp_path).returncode == 0
    assert files_in(tmp_path / "again") == files_in(project)


def test_schemas_are_what_the_schema_command_prints(project):
    assert json.loads((project / "schema.json").read_text()) == json.loads(run_reportc("schema").stdout)
    assert json.loads((project / "style-schema.json").read_text()) == json.loads(run_reportc("schema", "--style").stdout)
    # the first line of each file names its schema by a path that resolves from that file
    for file, schema in (("sources/kestrel-valley-2025.yaml", "schema.json"), ("styles/house.yaml", "style-schema.json")):
        first = (project / file).read_text().splitlines()[0]
        relative = first.removeprefix("# yaml-language-server: $schema=")
        assert first != relative and ((project / file).parent / relative).resolve() == (project / schema).resolve()


def test_the_workflow_builds_verifies_and_uploads(project):
    workflow = yaml.safe_load((project / ".github/workflows/reports.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/checkout@") for u in uses) and any(u.startswith("actions/setup-python@") for u in uses)
    assert 'pip install "$REPORTC"' in runs and workflow["env"]["REPORTC"].startswith("reportc==")
    assert "reportc build" in runs and "reportc verify build" in runs
    assert any(u.startswith("actions/upload-artifact@") for u in uses)


def test_init_defaults_to_the_current_folder_and_keeps_dotfiles(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*.log")
    result = run_reportc("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".git").is_dir() and (tmp_path / "sources" / "kestrel-valley-2025.yaml").is_file()
    assert (tmp_path / ".gitignore").read_text() == "*.log\nbuild/\n"  # added to, not replaced


@pytest.mark.parametrize("existing", ["notes.txt", "sources/"])
def test_init_refuses_a_folder_with_work_in_it_and_writes_nothing(tmp_path, existing):
    (tmp_path / existing.rstrip("/")).mkdir() if existing.endswith("/") else (tmp_path / existing).write_text("mine")
    before = files_in(tmp_path)
    result = run_reportc("init", str(tmp_path))
    assert result.returncode == 2
    assert "is not empty" in result.stderr and existing.rstrip("/") in result.stderr and "Traceback" not in result.stderr
    assert files_in(tmp_path) == before and sorted(os.listdir(tmp_path)) == [existing.rstrip("/")]


def test_init_refuses_a_file_and_an_existing_workflow(tmp_path):
    (tmp_path / "file").write_text("x")
    assert run_reportc("init", "file", cwd=tmp_path).returncode == 2
    (tmp_path / "p" / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / "p" / ".github" / "workflows" / "reports.yml").write_text("mine")
    result = run_reportc("init", "p", cwd=tmp_path)
    assert result.returncode == 2 and "reports.yml" in result.stderr
    assert (tmp_path / "p" / ".github" / "workflows" / "reports.yml").read_text() == "mine"


# ---- reportc styles ---------------------------------------------------------------------------

def listing(result) -> dict[tuple[str, str], str]:
    rows = result.stdout.splitlines()[1:]
    return {(line.split()[0], line.split()[1]): line for line in rows}


def test_styles_lists_project_and_shipped_styles_with_what_they_extend(project):
    result = run_reportc("styles", "--root", str(project))
    assert result.returncode == 0, result.stderr
    rows = listing(result)
    assert set(rows) == {("house", "project"), ("default", "shipped"), ("hmicfrs", "shipped"),
                         ("hmicfrs-peel-2014", "shipped")}
    assert "default (shipped)" in rows["house", "project"] and "styles/house.yaml" in rows["house", "project"]
    assert "hmicfrs (shipped)" in rows["hmicfrs-peel-2014", "shipped"]
    assert result.stdout.splitlines()[0].split() == ["NAME", "FROM", "EXTENDS", "FILE"]


def test_styles_says_which_project_style_hides_a_shipped_one(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "hmicfrs.yaml").write_text("extends: default\nbrand: {name: Ours}\n")
    rows = listing(run_reportc("styles", cwd=tmp_path))
    assert "hides the shipped style 'hmicfrs'" in rows["hmicfrs", "project"]
    assert "hidden by styles/hmicfrs.yaml" in rows["hmicfrs", "shipped"]
    # a shipped style extending it by name now gets the project's: the listing says so
    assert "hmicfrs (project)" in rows["hmicfrs-peel-2014", "shipped"]


def test_styles_lists_a_broken_style_and_its_problems_with_positions(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "broken.yaml").write_text("colours:\n  primary: red\n")
    result = run_reportc("styles", cwd=tmp_path)
    assert result.returncode == 1
    assert "invalid" in listing(result)["broken", "project"]
    assert "styles/broken.yaml:2:12: error:" in result.stderr and "Traceback" not in result.stderr


def test_styles_lists_a_fifo_and_a_symlink_loop_as_unreadable_without_waiting_or_a_traceback(tmp_path):
    import os

    styles = tmp_path / "styles"
    styles.mkdir()
    os.mkfifo(styles / "fifo.yaml")  # reading it would wait for a writer forever
    (styles / "loop.yaml").symlink_to("loop.yaml")
    (styles / "fine.yaml").write_text("extends: default\n")
    result = run_reportc("styles", cwd=tmp_path)  # (a hang ends in the helper's timeout)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    rows = listing(result)
    assert "not loaded: it is not a regular file" in rows["fifo", "project"]
    assert "not loaded: it cannot be read" in rows["loop", "project"]
    assert rows["fine", "project"]
    assert "styles/fifo.yaml:1:1: error: style file is not a regular file" in result.stderr
    assert "styles/loop.yaml:1:1: error: style file cannot be read (Too many levels of symbolic links)" in result.stderr


def test_styles_with_a_root_that_does_not_exist_is_a_usage_error(tmp_path):
    result = run_reportc("styles", "--root", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "does not exist" in result.stderr


# ---- reportc schema --style -------------------------------------------------------------------

def test_style_schema_is_json_schema_that_accepts_the_shipped_styles():
    import jsonschema

    from .conftest import ROOT

    schema = json.loads(run_reportc("schema", "--style").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == "reportc style" and "grades" in schema["properties"]
    for style in sorted((ROOT / "styles").glob("*.yaml")):
        jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(style.read_text()))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({"colours": {"primary": "red"}})


def test_styles_in_reportc_own_tree_lists_the_shipped_styles_once():
    from .conftest import ROOT

    result = run_reportc("styles", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert set(listing(result)) == {("default", "shipped"), ("hmicfrs", "shipped"), ("hmicfrs-peel-2014", "shipped")}
    assert "hidden" not in result.stdout
