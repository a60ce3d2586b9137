"""--redline-from OLD: the older version of a report (a source file, or a folder of sources such
as the last release checked out from git), composed like the current one, for the DOCX to show
the differences as tracked changes. A report OLD has no version of builds normally, with a warning.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..diagnostics import Span

if TYPE_CHECKING:
    from datetime import date

    from ..layout.blocks import Document
    from ..source.paths import Roots
    from .load import Loaded


def redlined(loaded: Loaded, document: Document, old_from: Path, roots: Roots, source_date: date | None,
             compose: Callable) -> Document:
    """`document` with every difference from its version in `old_from` marked; `document` itself
    (and a warning) when there is none or it cannot be read. `compose(loaded, source_date)`
    composes the old version as the build composed the current one."""
    from ..layout.redline import redline
    from ..style.loader import StyleLoader
    from .load import load_report

    old_path = _old_version(old_from, document.id, loaded.path.name)
    if old_path is None:
        loaded.diagnostics.warning(Span(loaded.file), f"--redline-from {old_from}: no report with id "
                                   f"'{document.id}' or file name {loaded.path.name}; built without a redline")
        return document
    old = load_report(old_path, roots, StyleLoader(roots))
    if not old.ok:
        errors = [d for d in old.diagnostics.sorted() if d.severity == "error"]
        why = f" ({errors[0].span.line}:{errors[0].span.col}: {errors[0].message})" if errors else ""
        loaded.diagnostics.warning(Span(loaded.file), f"--redline-from: the old version {old_path} is not valid"
                                   f"{why}; built without a redline")
        return document
    return redline(compose(old, source_date), document)


def _old_version(old_from: Path, report_id: str, file_name: str) -> Path | None:
    """The source in `old_from` with the report's id, else the one with its file name."""
    from .load import peek_id

    if old_from.is_file():
        return old_from
    if not old_from.is_dir():
        return None
    candidates = sorted(old_from.glob("*.yaml")) + sorted(old_from.glob("*/report.yaml"))
    by_id = [path for path in candidates if peek_id(path) == report_id]
    by_name = [path for path in candidates if path.name == file_name and path.name != "report.yaml"]
    return (by_id or by_name or [None])[0]
