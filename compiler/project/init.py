"""`reportc init [DIR]`: a new project that builds as it is.

    sources/<sample>.yaml            a sample report (clean under `reportc validate`)
    styles/house.yaml, house-logo.png a house style extending `default`, with a generated logo
    schema.json, style-schema.json   the editor schemas the sample and style name on line 1
    .gitignore                       build/
    .github/workflows/reports.yml    validate, build, verify and keep the artefacts
    README.md                        what to do next

A folder is refused unless it is empty or holds only dotfiles (`.git` from `git init`), so init
never overwrites a writer's work. An existing `.gitignore` is kept, with `build/` added.
"""
from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from . import template

GITIGNORE = ".gitignore"
WORKFLOW = ".github/workflows/reports.yml"
SHOWN_ENTRIES = 5  # of a non-empty folder's entries, named in the refusal


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
    if (folder / WORKFLOW).exists() or (folder / WORKFLOW).is_symlink():
        return f"already has {WORKFLOW}; move it away first"
    if (folder / GITIGNORE).is_symlink() or ((folder / GITIGNORE).exists() and not (folder / GITIGNORE).is_file()):
        return f"has a {GITIGNORE} that is not a regular file"
    return None


def project_files() -> dict[str, bytes]:
    """Relative path -> content of every file a new project gets (but .gitignore)."""
    from ..source.schema import report_json_schema, style_json_schema
    from .logo import logo_png

    def as_json(schema: dict) -> bytes:
        return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    return {
        f"sources/{template.SAMPLE_NAME}.yaml": template.SAMPLE_SOURCE.encode("utf-8"),
        f"styles/{template.STYLE_NAME}.yaml": template.HOUSE_STYLE.encode("utf-8"),
        f"styles/{template.STYLE_NAME}-logo.png": logo_png(template.BRAND_NAME, template.BRAND_COLOUR),
        template.REPORT_SCHEMA_FILE: as_json(report_json_schema()),
        template.STYLE_SCHEMA_FILE: as_json(style_json_schema()),
        WORKFLOW: template.WORKFLOW.replace("{version}", __version__).encode("utf-8"),
        "README.md": template.PROJECT_README.encode("utf-8"),
    }


def create_project(folder: Path) -> list[str]:
    """Write a new project into `folder` (checked with folder_problem first); the paths written.
    Each file is written atomically. OSError when the folder cannot be written."""
    from ..build.output import write_atomic

    written = []
    for relative, data in project_files().items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
        written.append(relative)
    written.append(_ignore_build(folder / GITIGNORE))
    return sorted(written)


def _ignore_build(path: Path) -> str:
    """A .gitignore that ignores build/: written, or the line added to the writer's own."""
    from ..build.output import write_atomic

    existing = path.read_bytes() if path.is_file() else b""
    lines = {line.strip() for line in existing.decode("utf-8", "replace").splitlines()}
    if not lines & {"build/", "build", "/build/", "/build"}:
        separator = b"" if not existing or existing.endswith(b"\n") else b"\n"
        write_atomic(path, existing + separator + template.GITIGNORE.encode("utf-8"))
    return GITIGNORE
