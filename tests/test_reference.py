"""docs/: the source and style reference is generated from the schemas and must not be stale."""
from __future__ import annotations

import shutil
import subprocess
import sys

from compiler.source.schema import LABEL_DEFAULTS, REPORT_SCHEMA, STYLE_SCHEMA

from .conftest import ROOT

DOCS = ROOT / "docs"
SCRIPT = DOCS / "make_reference.py"


def make_reference(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def test_the_committed_reference_is_up_to_date():
    result = make_reference("--check")
    assert result.returncode == 0, f"{result.stderr}\nThe reference is stale: run `python docs/make_reference.py`"


def test_a_stale_reference_is_found_and_the_fix_is_named(tmp_path):
    for name in ("source-reference.md", "style-reference.md"):
        shutil.copy(DOCS / name, tmp_path / name)
    style = tmp_path / "style-reference.md"
    style.write_text(style.read_text().replace("`\"#1F3864\"`", "`\"#000000\"`", 1))  # a default, edited by hand
    result = make_reference("--check", "--docs", str(tmp_path))
    assert result.returncode == 1
    assert "style-reference.md is stale; regenerate it with: python docs/make_reference.py" in result.stderr
    assert make_reference("--docs", str(tmp_path)).returncode == 0  # regenerating fixes it
    assert style.read_text() == (DOCS / "style-reference.md").read_text()


def keys_of(schema: dict) -> set[str]:
    """Every property name in a schema, at any depth."""
    found = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.update(node.get("properties", {}))
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
    return found


def test_every_key_and_default_is_documented():
    source, style = (DOCS / "source-reference.md").read_text(), (DOCS / "style-reference.md").read_text()
    assert all(f"| `{key}` |" in source for key in keys_of(REPORT_SCHEMA))
    assert all(f"| `{key}` |" in style for key in keys_of(STYLE_SCHEMA))
    assert all(default in style for default in LABEL_DEFAULTS.values())
    assert "`\"#1F3864\"`" in style and "`Liberation Sans`" in style


def test_readme_links_the_reference_and_not_a_spec_outside_the_repository():
    readme = (ROOT / "README.md").read_text()
    assert "docs/source-reference.md" in readme and "docs/style-reference.md" in readme
    assert "shared/spec" not in readme
    for name in ("source-reference.md", "style-reference.md"):
        assert (DOCS / name).is_file()


def test_a_mapping_default_is_shown_as_yaml_a_writer_can_copy():
    # the `callouts` default was printed as a Python repr in quotes, `callouts: "{'note': ...}"`:
    # copied into a style, it is a string where a mapping belongs
    import re

    import yaml

    style = (DOCS / "style-reference.md").read_text()
    [example] = re.findall(r"^\| `callouts` \|.*?\| `(callouts: .*?)` \|", style, re.MULTILINE)
    assert yaml.safe_load(example)["callouts"] == STYLE_SCHEMA["properties"]["callouts"]["default"]


def test_the_prose_describes_grades_and_dates_as_they_are_printed():
    # the reference said an absent grade prints Ungraded (version 1) and that month names are
    # always English, while a Welsh report prints "Mawrth"
    from compiler.style.dates import NAMES

    source, style = (DOCS / "source-reference.md").read_text(), (DOCS / "style-reference.md").read_text()
    assert "without `grade:` is printed as Ungraded" not in " ".join(source.split())
    assert "without `grade:` prints no badge" in " ".join(source.split())
    assert "day names are English" not in " ".join(style.split())
    assert all(f"`{language}`" in style.split("## Dates")[1] for language in NAMES)
