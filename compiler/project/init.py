"""`reportc init [DIR]`: a new project that builds as it is.

    sources/<sample>.yaml            a sample report (clean under `reportc validate`)
    styles/house.yaml, house-logo.png a house style extending `default`, with a generated logo
    schema.json, style-schema.json   the editor schemas the sample and style name on line 1
    .gitignore                       build/
    .github/workflows/reports.yml    validate, build, verify and keep the artefacts
    README.md                        what to do next

A folder is refused unless it is empty or holds only dotfiles (`.git` from `git init`), so init
never overwrites a writer's work. An existing `.gitignore` is kept, with `build/` added.

Every path init would write is checked before anything is written: a symbolic link anywhere on
it (a `.github` leading elsewhere would put the workflow wherever it leads) or a file where init
makes a folder refuses the folder, naming that path. A write that fails all the same (no space,
no permission) removes what init had written, so a folder is never left half a project.
"""
from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Callable

from .. import __version__
from . import template

GITIGNORE = ".gitignore"
WORKFLOW = ".github/workflows/reports.yml"
SHOWN_ENTRIES = 5  # of a non-empty folder's entries, named in the refusal
MAX_GITIGNORE_BYTES = 1 * 2**20  # an existing .gitignore is read whole to add a line


def folder_problem(folder: Path) -> str | None:
    """Why `folder` cannot hold a new project (as the end of a sentence naming it), or None."""
    if not folder.exists():
        return None
    if not folder.is_dir():
        return "is not a folder; name a new or empty folder"
    entries = sorted(entry.name for entry in folder.iterdir() if not entry.name.startswith("."))
    if entries:
        shown = ", ".join(entries[:SHOWN_ENTRIES]) + (", ..." if len(entries) > SHOWN_ENTRIES else "")
        return (f"is not empty (it holds {shown}); run `reportc init` in a new or empty folder "
                "(dotfiles such as .git may stay)")
    for relative in project_paths():
        problem = _path_problem(folder, relative)
        if problem:
            return problem
    if os.path.lexists(folder / WORKFLOW):
        return f"already has {WORKFLOW}; move it away first"
    return None


def _path_problem(folder: Path, relative: str) -> str | None:
    """What in `folder` stands in the way of writing `relative`: a symbolic link anywhere on its
    path, a file where a folder goes, or (the .gitignore, kept) something not a regular file."""
    parts = relative.split("/")
    for depth in range(1, len(parts) + 1):
        here, last = "/".join(parts[:depth]), depth == len(parts)
        try:
            mode = os.lstat(folder / here).st_mode
        except FileNotFoundError:
            return None  # nothing below it exists either
        except OSError as error:
            return f"has {here}, which cannot be checked ({error.strerror or error}); move it away first"
        if stat.S_ISLNK(mode):
            return (f"has {here} as a symbolic link; init writes {relative} there and never through a "
                    f"link (it would write wherever the link leads): remove the link, or run init in "
                    "another folder")
        if not last and not stat.S_ISDIR(mode):
            return (f"has {here}, which is not a folder: init makes a folder there for {relative}; "
                    "move it away first")
        if last and not stat.S_ISREG(mode):
            return f"has a {here} that is not a regular file; move it away first"
    return None


def _contents() -> dict[str, Callable[[], bytes]]:
    """Relative path -> what makes its content, for every file a new project gets (but .gitignore)."""
    from ..source.schema import report_json_schema, style_json_schema
    from .logo import logo_png

    def as_json(schema: Callable[[], dict]) -> Callable[[], bytes]:
        return lambda: (json.dumps(schema(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    return {
        f"sources/{template.SAMPLE_NAME}.yaml": lambda: template.SAMPLE_SOURCE.encode("utf-8"),
        f"styles/{template.STYLE_NAME}.yaml": lambda: template.HOUSE_STYLE.encode("utf-8"),
        f"styles/{template.STYLE_NAME}-logo.png": lambda: logo_png(template.BRAND_NAME, template.BRAND_COLOUR),
        template.REPORT_SCHEMA_FILE: as_json(report_json_schema),
        template.STYLE_SCHEMA_FILE: as_json(style_json_schema),
        WORKFLOW: lambda: template.WORKFLOW.replace("{version}", __version__).encode("utf-8"),
        "README.md": lambda: template.PROJECT_README.encode("utf-8"),
    }


def project_paths() -> list[str]:
    """Every path init writes, .gitignore last."""
    return [*_contents(), GITIGNORE]


def project_files() -> dict[str, bytes]:
    """Relative path -> content of every file a new project gets (but .gitignore)."""
    return {relative: make() for relative, make in _contents().items()}


def create_project(folder: Path) -> list[str]:
    """Write a new project into `folder` (checked with folder_problem first); the paths written.
    Each file is written atomically; every content is made before the first write. OSError,
    naming the path, when the folder cannot be written: what was written is removed again."""
    from ..build.output import write_atomic

    files = project_files()
    made: list[Path] = []  # files and folders this run created, to remove on failure
    relative = "."
    try:
        _make_folder(folder, made)
        for relative, data in files.items():
            _make_folders(folder, relative, made)
            target = folder / relative
            write_atomic(target, data)
            made.append(target)
        relative = GITIGNORE
        _ignore_build(folder, made)
    except OSError as error:
        _remove(made)
        where = f" at {relative}" if relative != "." else ""
        raise OSError(error.errno, f"{error.strerror or error}{where}") from None
    return sorted([*files, GITIGNORE])


def _make_folder(folder: Path, made: list[Path]) -> None:
    """The project folder itself and any missing folder above it (named by the writer: links followed)."""
    missing = []
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        os.mkdir(path)
        made.append(path)


def _make_folders(folder: Path, relative: str, made: list[Path]) -> None:
    """The folders above `relative` in the project, each made here or already a real folder; a
    symbolic link or a file met on the way (planted since folder_problem looked) is an OSError."""
    problem = _path_problem(folder, relative)
    if problem:
        raise OSError(errno.EEXIST, f"{problem.split(';')[0]}")
    parts = relative.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        path = folder / "/".join(parts[:depth])
        try:
            os.mkdir(path)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(path).st_mode):  # lstat: a link to a folder is not one
                raise OSError(errno.ENOTDIR, f"{'/'.join(parts[:depth])} is not a folder") from None
        else:
            made.append(path)


def _remove(made: list[Path]) -> None:
    """What a failed init wrote, newest first: files, then the folders they were in."""
    for path in reversed(made):
        try:
            os.rmdir(path) if stat.S_ISDIR(os.lstat(path).st_mode) else os.unlink(path)
        except OSError:
            pass  # not empty (something else was put there): left as it is


def _ignore_build(folder: Path, made: list[Path]) -> None:
    """A .gitignore that ignores build/: written, or the line added to the writer's own."""
    from ..build.output import write_atomic
    from ..build.safefile import read_regular

    path = folder / GITIGNORE
    _make_folders(folder, GITIGNORE, made)  # refuses a link or a folder planted since the check
    existing = b""
    if os.path.lexists(path):
        existing = read_regular(path, MAX_GITIGNORE_BYTES)
        if existing is None:
            raise OSError(errno.EFBIG, f"the existing {GITIGNORE} is over {MAX_GITIGNORE_BYTES // 2**20} MB")
    lines = {line.strip() for line in existing.decode("utf-8", "replace").splitlines()}
    if not lines & {"build/", "build", "/build/", "/build"}:
        separator = b"" if not existing or existing.endswith(b"\n") else b"\n"
        write_atomic(path, existing + separator + template.GITIGNORE.encode("utf-8"))
        if not existing:
            made.append(path)
