"""Files: reportc opens nothing outside the project root, its own package (the shipped styles and
fonts) and Python's installation, whatever sources and styles name: path traversal, absolute
paths and symlinks for the style, `extends`, the logo and the fonts, and the sources themselves.

Every `open` is traced with an audit hook (sys.addaudithook) in a child process running the
real command line in-process, so nothing is missed by reading the code instead.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

GOOD = "title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"
SHIPPED = ROOT / "styles"

# The child: record the path of every open (builtins.open, io.open, os.open), run
# `python -m compiler` as a user would, print what was opened as JSON on the last line.
# (Directory listings are not traced: reportlab lists the system font folders when imported.)
TRACED = """
import json, os, runpy, sys
opened = []
def hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append((event, os.fsdecode(args[0])))
sys.addaudithook(hook)
sys.argv = ["reportc", *sys.argv[1:]]
try:
    runpy.run_module("compiler", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "opened": opened}))
"""
# Code that must never run: planted in the project root (the import path of `python -m`) and
# in the home folder, where reportlab looks for settings when imported.
PLANTED = 'open({marker!r}, "w").write("ran")\n'



def allowed_roots(project: Path) -> list[Path]:
    import site
    import sysconfig

    import compiler

    roots = [project, Path(compiler.__file__).resolve().parent, SHIPPED.resolve()]
    roots += [Path(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)]
    roots += [Path(p) for p in sysconfig.get_paths().values()]
    roots += [Path(p) for p in site.getsitepackages() + [site.getusersitepackages()]]
    return [root.resolve() for root in roots]


def traced(project: Path, *args: str) -> tuple[int, list[tuple[str, Path]], str]:
    home = project.parent / "home"
    result = subprocess.run([sys.executable, "-c", TRACED, *args], cwd=project, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(home)})
    report = json.loads(result.stdout.strip().splitlines()[-1])
    opened = [(event, (project / path).resolve()) for event, path in report["opened"]]
    return report["code"], opened, result.stderr


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> tuple[Path, Path]:
    """A project whose sources and styles reach for files in a sibling folder, `outside`, which
    holds a perfectly good style, logo, font and source: refusing them is the only defence."""
    base = tmp_path_factory.mktemp("files")
    outside, project = base / "outside", base / "project"
    (outside / "nested").mkdir(parents=True)
    (outside / "style.yaml").write_text("extends: default\n")
    shutil.copy(SHIPPED / "hmicfrs-logo.png", outside / "logo.png")
    shutil.copy(SHIPPED / "fonts" / "LiberationSans-Regular.ttf", outside / "font.ttf")
    (outside / "source.yaml").write_text(GOOD)
    (outside / "nested" / "report.yaml").write_text(GOOD)
    for folder in ("sources", "styles", "build"):
        (project / folder).mkdir(parents=True)
    out = outside.resolve()
    styles = {
        "link.yaml": None,  # a symlink, below
        "extends-up.yaml": "extends: ../../outside/style.yaml\n",
        "extends-abs.yaml": f"extends: {out}/style.yaml\n",
        "extends-link.yaml": "extends: link\n",
        "logo-abs.yaml": f"extends: default\nbrand:\n  logo: {out}/logo.png\n",
        "logo-up.yaml": "extends: default\nbrand:\n  logo: ../../outside/logo.png\n",
        "logo-link.yaml": "extends: default\nbrand:\n  logo: logo-link.png\n",
        "font-abs.yaml": f"extends: default\nfonts:\n  regular: {out}/font.ttf\n",
        "font-up.yaml": "extends: default\nfonts:\n  bold: ../../outside/font.ttf\n",
        "font-link.yaml": "extends: default\nfonts:\n  italic: font-link.ttf\n",
    }
    for name, text in styles.items():
        if text is not None:
            (project / "styles" / name).write_text(text)
    (project / "styles" / "link.yaml").symlink_to(outside / "style.yaml")
    (project / "styles" / "logo-link.png").symlink_to(outside / "logo.png")
    (project / "styles" / "font-link.ttf").symlink_to(outside / "font.ttf")
    sources = {
        "good.yaml": GOOD,
        "style-up.yaml": "style: ../../outside/style.yaml\n" + GOOD,
        "style-abs.yaml": f"style: {out}/style.yaml\n" + GOOD,
        "style-etc.yaml": "style: /etc/passwd\n" + GOOD,
        "style-proc.yaml": "style: /proc/self/environ\n" + GOOD,
        "style-dev.yaml": "style: /dev/zero\n" + GOOD,
        **{f"{name[:-5]}.yaml": f"style: {name[:-5]}\n" + GOOD for name in styles},
    }
    for name, text in sources.items():
        (project / "sources" / name).write_text(text)
    home = base / "home"
    home.mkdir()
    for folder, name in ((project, "yaml.py"), (project, "reportlab_mods.py"), (project, "reportlab_settings.py"),
                         (home, ".reportlab_mods"), (home, ".reportlab_settings")):
        (folder / name).write_text(PLANTED.format(marker=str(base / f"ran-{folder.name}-{name}")))
    (project / "sources" / "source-link.yaml").symlink_to(outside / "source.yaml")
    (project / "sources" / "folder-link").symlink_to(outside / "nested", target_is_directory=True)
    return project, outside


@pytest.mark.parametrize("command", [["validate"], ["build", "--jobs", "1", "--out", "build"]])
def test_nothing_outside_the_project_is_opened(hostile_project, command):
    project, outside = hostile_project
    code, opened, stderr = traced(project, *command)
    assert code == 1, stderr
    roots = allowed_roots(project)
    strays = sorted({str(path) for _, path in opened if not any(path.is_relative_to(r) for r in roots)})
    assert strays == [], strays
    assert not [path for _, path in opened if path.is_relative_to(outside.resolve())]
    assert not list(project.parent.glob("ran-*")), "planted code ran"
    assert not [path for _, path in opened if path.name in ("yaml.py", "reportlab_mods.py", ".reportlab_mods",
                                                            ".reportlab_settings", "reportlab_settings.py")]
    # the build went on for the one good source, so the trace covers rendering too
    if command[0] == "build":
        assert (project / "build" / "good.pdf").exists() and (project / "build" / "good.docx").exists()


def test_every_reach_outside_is_refused_with_its_position(hostile_project):
    project, _ = hostile_project
    code, _, stderr = traced(project, "validate")
    refused = {line.split(":", 1)[0] for line in stderr.splitlines() if "outside the project root" in line}
    assert refused >= {"sources/style-up.yaml", "sources/style-abs.yaml", "sources/style-etc.yaml",
                       "sources/style-proc.yaml", "sources/style-dev.yaml", "sources/link.yaml",
                       "styles/extends-up.yaml", "styles/extends-abs.yaml", "styles/logo-abs.yaml",
                       "styles/logo-up.yaml", "styles/logo-link.yaml", "styles/font-abs.yaml",
                       "styles/font-up.yaml", "styles/font-link.yaml", "sources/source-link.yaml",
                       "sources/folder-link/report.yaml"}, stderr
    for line in stderr.splitlines():
        if ": error: " in line:
            file, line_number, col = line.split(":")[:3]
            assert line_number.isdigit() and col.isdigit(), line
