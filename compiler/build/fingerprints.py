"""The SHA-256 of every file a draft was built from (its source and its style chain), recorded in
the draft's source map and checked again by `reportc review`.

Files are named as diagnostics name them: relative to the project root (`--root`, by default
the current folder); shipped styles as `<shipped>/NAME`, so a draft never carries a
machine's absolute paths and rebuilding gives the same bytes. A file named otherwise (outside
the project) is not recorded. Computed when the layout document is composed
(build/report.py); the DOCX renderer only writes them.
"""
from __future__ import annotations

from pathlib import Path

from ..source.paths import SHIPPED_STYLES

SHIPPED = "<shipped>"
_MAX_BYTES = 4 * 2**20  # sources and styles are at most 2 MB; a larger file is not a build input


def recorded_name(path: Path, base: Path) -> str | None:
    resolved = path.resolve()
    if resolved.is_relative_to(SHIPPED_STYLES):
        return f"{SHIPPED}/{resolved.relative_to(SHIPPED_STYLES).as_posix()}"
    if resolved.is_relative_to(base.resolve()):
        return resolved.relative_to(base.resolve()).as_posix()
    return None


def located(name: str, base: Path) -> Path | None:
    """Where a recorded name is now; None when it would lie outside the project or shipped styles."""
    if name.startswith(SHIPPED + "/"):
        path, within = (SHIPPED_STYLES / name[len(SHIPPED) + 1:]).resolve(), SHIPPED_STYLES
    else:
        path, within = (base / name).resolve(), base.resolve()
    return path if path.is_relative_to(within) else None


def sha256_of(path: Path | None) -> str | None:
    """The file's SHA-256 in hex; None when it cannot be read, is not a regular file (a FIFO
    would block the read forever, a device never ends) or is too large to be an input. A
    recorded name comes from a returned draft, so anything may be planted under it."""
    from .safefile import sha256_regular

    if path is None:
        return None
    return sha256_regular(path, _MAX_BYTES, follow=True)  # `located` resolved it: no link is left


def build_inputs(source: str, style_files: tuple[Path, ...], base: Path) -> list[tuple[str, str]]:
    """(recorded name, sha256) of the source and each style file, in that order."""
    found = []
    for path in (Path(source), *style_files):
        name = recorded_name(path if path.is_absolute() else base / path, base)
        digest = sha256_of(located(name, base)) if name else None
        if name and digest and name not in dict(found):
            found.append((name, digest))
    return found
