"""Path rules: every file reportc opens is checked here first.

A path resolves relative to the folder of the file that names it, symlinks followed, and must
land inside the project root or reportc's shipped styles; anything else is refused without
being opened.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..diagnostics import escape_untrusted, excerpt, nearest
from .characters import FORBIDDEN
from ..records import dataclass

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
        return None, f"'{excerpt(text)}' is not a usable path; write the path of a file"
    candidate = Path(text)
    if not candidate.is_absolute():
        candidate = base / candidate
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError) as error:  # symlink loops
        detail = "a symbolic link that leads back to itself" if isinstance(error, RuntimeError) else (
            error.strerror or error.__class__.__name__)
        return None, f"'{text}' cannot be resolved ({detail}); point it at a file"
    if not roots.allows(resolved):
        return None, f"'{text}' is outside the project root {roots.project}; keep files inside the project"
    problem = _name_problem(resolved, roots)
    if problem:
        return None, problem
    if not is_file(resolved):
        if os.path.exists(resolved):  # a folder, a FIFO, a device (os.path: a name too long is "no")
            return None, f"'{text}' is not a regular file ({resolved}); point it at a file"
        return None, f"'{text}' does not exist (looked for {resolved}){_file_hint(text, resolved, roots)}"
    return resolved, None


_MAX_LISTED = 1000  # entries of a folder looked through for a "did you mean"


def _file_hint(text: str, resolved: Path, roots: Roots) -> str:
    """"; did you mean 'data/staffing.csv'?" when the folder holds a file named close to the one
    written (a typo in a CSV or image path)."""
    folder = resolved.parent
    if not roots.allows(folder) or not is_dir(folder):
        return ""
    try:
        names = [entry.name for _, entry in zip(range(_MAX_LISTED), os.scandir(folder)) if entry.is_file()]
    except OSError:
        return ""
    close = nearest(resolved.name, names)
    if close is None:
        return ""
    written = Path(text).parent
    return f"; did you mean '{escape_untrusted(str(written / close) if str(written) != '.' else close)}'?"


def _name_problem(path: Path, roots: Roots) -> str | None:
    """Why a file's name within the project cannot be used: outputs, manifests and a draft's
    source map write it, and neither JSON nor Word's XML can hold a control character, or bytes
    that are not UTF-8 (a name from a zip made on another system)."""
    inside = str(path.relative_to(roots.project)) if path.is_relative_to(roots.project) else path.name
    found = FORBIDDEN.search(inside)
    if found is None:
        return None
    what = "bytes that are not UTF-8" if "\ud800" <= found.group() <= "\udfff" else (
        f"the control character U+{ord(found.group()):04X}")
    return f"'{escape_untrusted(inside)}' has {what} in its name; rename it"


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


def resolve_style(text: str, base: Path, roots: Roots, key: str = "style") -> tuple[Path | None, str | None]:
    """A style by bare name (project styles/ first, then shipped) or by path. The problem, when
    not found, says where reportc looked and what the writer may have meant (`key` is the field
    that named the style, `style` or `extends`, for the suggestion)."""
    if _BARE_NAME.match(text):
        for folder in (roots.project / "styles", SHIPPED_STYLES):
            candidate = folder / f"{text}.yaml"
            if os.path.lexists(candidate):  # a folder or broken link of that name: said, not "not found"
                path, problem = resolve_file(candidate.name, folder, roots)
                return path, None if problem is None else f"style {problem}"
        return None, _no_style_named(text, roots)
    path, problem = resolve_file(text, base, roots)
    if path is None and "does not exist" in (problem or ""):
        problem += "; a style's path is relative to the file that names it" + _style_path_hint(text, base, roots, key)
    return path, None if problem is None else f"style {problem}"


def _style_folders(roots: Roots) -> tuple[Path, ...]:
    return roots.project / "styles", SHIPPED_STYLES


def _no_style_named(text: str, roots: Roots) -> str:
    known = sorted({p.stem for folder in _style_folders(roots) if is_dir(folder) for p in folder.glob("*.yaml")
                 if is_file(p)})
    close = nearest(text, known)
    hint = f"; did you mean '{close}'?" if close else ""
    return (f"style '{excerpt(text)}' not found{hint} (looked for {excerpt(text)}.yaml in "
            f"{roots.project / 'styles'} and in reportc's shipped styles; known styles: "
            f"{', '.join(known) or 'none'}); if the project is elsewhere, run reportc there or pass "
            "--root PROJECT")


def _style_path_hint(text: str, base: Path, roots: Roots, key: str) -> str:
    """`style: brand` and `style: ../styles/brand.yaml` when `text` names a style that exists
    from the project root or by its name: the usual slip is a path written from the root."""
    suggestions: list[str] = []
    stem = Path(text).stem
    named, _ = (resolve_style(stem, base, roots) if _BARE_NAME.match(stem) else (None, None))
    from_root = roots.project / text
    if named is not None and (not is_file(from_root) or named == from_root.resolve()):
        where = "the project's styles/" if named.is_relative_to(roots.project) else "reportc's shipped styles"
        suggestions.append(f"`{key}: {stem}` (found in {where})")
    if is_file(from_root) and roots.allows(from_root.resolve()):
        suggestions.append(f"`{key}: {Path(os.path.relpath(from_root, base)).as_posix()}`")
    return f"; write {' or '.join(suggestions)}" if suggestions else ""
