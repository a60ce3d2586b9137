"""Path rules: every file reportc opens is checked here first.

A path resolves relative to the folder of the file that names it, symlinks followed, and must
land inside the project root or reportc's shipped styles; anything else is refused without
being opened.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SHIPPED_STYLES = (Path(__file__).resolve().parent.parent / "style" / "shipped").resolve()
_BARE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")


@dataclass(frozen=True)
class Roots:
    """Where files may be read from."""

    project: Path  # resolved

    @classmethod
    def at(cls, project: Path) -> "Roots":
        return cls(project.resolve())

    def allows(self, path: Path) -> bool:
        return path.is_relative_to(self.project) or path.is_relative_to(SHIPPED_STYLES)


def resolve_file(text: str, base: Path, roots: Roots) -> tuple[Path | None, str | None]:
    """(resolved path, None) or (None, why it is refused). Nothing is opened here."""
    if "\x00" in text or not text.strip():
        return None, "is not a usable path"
    candidate = Path(text)
    if not candidate.is_absolute():
        candidate = base / candidate
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError) as error:  # symlink loops
        return None, f"cannot be resolved ({error.__class__.__name__})"
    if not roots.allows(resolved):
        return None, f"'{text}' is outside the project root {roots.project}; keep files inside the project"
    if not is_file(resolved):
        return None, f"'{text}' does not exist (looked for {resolved})"
    return resolved, None


def is_file(path: Path) -> bool:
    """Path.is_file, but a name too long for the file system (ENAMETOOLONG) or any other
    error in asking is "no such file", never an exception: paths come from untrusted text."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    """Path.is_dir, with the same tolerance as is_file."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def resolve_style(text: str, base: Path, roots: Roots) -> tuple[Path | None, str | None]:
    """A style by bare name (project styles/ first, then shipped) or by path."""
    if _BARE_NAME.match(text):
        for folder in (roots.project / "styles", SHIPPED_STYLES):
            candidate = folder / f"{text}.yaml"
            if is_file(candidate):
                return resolve_file(str(candidate), base, roots)
        known = sorted({p.stem for folder in (roots.project / "styles", SHIPPED_STYLES)
                        if folder.is_dir() for p in folder.glob("*.yaml")})
        return None, f"no style named '{text}'; known styles: {', '.join(known)}"
    return resolve_file(text, base, roots)
