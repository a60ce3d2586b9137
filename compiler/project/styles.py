"""`reportc styles`: the styles a source can name, where each lives and what it extends.

A bare name (`style: brand`) finds `styles/brand.yaml` in the project first, then the shipped
style of that name: a project style with a shipped style's name hides it, and the listing says
so. Each style is loaded as a build would load it, so a broken one is listed with its problems.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..diagnostics import Diagnostics, Span, escape_untrusted
from ..source.paths import SHIPPED_STYLES, Roots, is_dir, resolve_file, resolve_style
from ..records import dataclass

PROJECT, SHIPPED = "project", "shipped"
# A styles/ folder is read whole; past this many files the rest are counted, not loaded, so a
# folder of generated files cannot make a listing take minutes.
MAX_LISTED = 500


@dataclass(frozen=True)
class StyleEntry:
    name: str
    origin: str  # PROJECT or SHIPPED
    file: str  # as diagnostics name it
    extends: str  # as written, with where it resolves; "" when it extends nothing
    notes: tuple[str, ...] = ()


@dataclass
class Listing:
    entries: list[StyleEntry]
    diagnostics: Diagnostics
    not_listed: int = 0


def list_styles(roots: Roots) -> Listing:
    """Project styles first, then shipped ones, each sorted by name."""
    from ..style.loader import StyleLoader

    loader, diagnostics = StyleLoader(roots), Diagnostics()
    shipped = _style_files(SHIPPED_STYLES)
    # run inside reportc's own tree, the project's styles/ is the shipped folder: list it once
    project = [path for path in _style_files(roots.project / "styles") if _folder(path) != SHIPPED_STYLES]
    project_names = {path.stem: path for path in project}
    entries = []
    listed = project + shipped
    for path in listed[:MAX_LISTED]:
        origin = PROJECT if path in project_names.values() else SHIPPED
        entries.append(_entry(path, origin, project_names, loader, roots, diagnostics))
    return Listing(entries, diagnostics, max(0, len(listed) - MAX_LISTED))


def _folder(path: Path) -> Path:
    """The folder `path` resolves into; its own folder when it cannot be resolved (a loop)."""
    try:
        return path.resolve().parent
    except (OSError, RuntimeError):
        return path.parent


def _style_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml"), key=lambda path: path.stem) if is_dir(folder) else []


def _unreadable(path: Path) -> str | None:
    """Why `path` is not a style file that can be read (a FIFO would block the listing forever,
    a symlink loop cannot be resolved), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    return None if stat.S_ISREG(mode) else "is not a regular file"


def _entry(path: Path, origin: str, project_names: dict[str, Path], loader, roots: Roots,
           diagnostics: Diagnostics) -> StyleEntry:
    from ..style.loader import display_name

    file = display_name(path, roots) if origin == PROJECT else str(path)
    problem = _unreadable(path)
    if problem:
        diagnostics.error(Span(file), f"style file {problem}; a style is a YAML file: replace or remove it")
        return StyleEntry(path.stem, origin, file, "", (f"not loaded: it {problem}",))
    # As a build resolves a style: a symbolic link out of the project (or a name no output can
    # hold) is refused, and nothing of the file it leads to is read, not even its `extends`.
    resolved, refused = resolve_file(path.name, path.parent, roots)
    if resolved is None:
        link = "; it is a symbolic link: copy the style into styles/ instead" if path.is_symlink() else ""
        diagnostics.error(Span(file), f"style file {refused}{link}")
        return StyleEntry(path.stem, origin, file, "", (f"refused: {_first_clause(refused)}",))
    own = Diagnostics()
    style = loader.load(str(resolved), path.parent, Span(file), own)
    diagnostics.extend(own)
    notes = []
    shadowing = project_names.get(path.stem)
    if origin == SHIPPED and shadowing is not None:
        notes.append(f"hidden by {display_name(shadowing, roots)}: `style: {path.stem}` names the project's")
    if origin == PROJECT and (SHIPPED_STYLES / path.name).is_file() and resolved != (SHIPPED_STYLES / path.name).resolve():
        notes.append(f"hides the shipped style '{path.stem}'")
    named, _ = resolve_style(path.stem, roots.project, roots)
    if named is None or named != resolved:
        if origin == PROJECT:
            notes.append("not a name a source can give: name it by its path")
    if style is None:
        notes.append(f"invalid: {own.error_count} error(s), listed below")
    return StyleEntry(path.stem, origin, file, _extends(path, resolved, roots), tuple(notes))


def _first_clause(problem: str) -> str:
    return problem.split(";")[0]


def _extends(path: Path, resolved: Path, roots: Roots) -> str:
    """`extends:` as written, with where it resolves: "hmicfrs (shipped)". `resolved` is the
    file as resolve_file allowed it; it is read only while still a regular file."""
    from ..build.safefile import read_regular
    from ..source.yamltree import MAX_SOURCE_BYTES, Mapping, Scalar, load_bytes

    try:
        data = read_regular(resolved, MAX_SOURCE_BYTES, follow=True)
    except (OSError, ValueError):
        return ""
    # its problems are the loader's to report
    tree = load_bytes(data, str(path), Diagnostics()) if data is not None else None
    node = tree.get("extends") if isinstance(tree, Mapping) else None
    if not isinstance(node, Scalar) or node.is_null:
        return ""
    resolved, _ = resolve_style(node.value, path.parent, roots)
    if resolved is None:
        return f"{node.value} (not found)"
    where = SHIPPED if resolved.is_relative_to(SHIPPED_STYLES) else PROJECT
    return f"{node.value} ({where})"


def format_listing(listing: Listing) -> str:
    """A table: name, origin, file, what it extends, notes."""
    rows = [("NAME", "FROM", "EXTENDS", "FILE")]
    rows += [(escape_untrusted(e.name), e.origin, escape_untrusted(e.extends) or "-",
              escape_untrusted(e.file) + "".join(f"  ({escape_untrusted(note)})" for note in e.notes))
             for e in listing.entries]  # file names are shown escaped: a name may hold control characters
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + "  " + row[3]
             for row in rows]
    if listing.not_listed:
        lines.append(f"... and {listing.not_listed} more style files not listed (at most {MAX_LISTED} are)")
    return "\n".join(lines)
