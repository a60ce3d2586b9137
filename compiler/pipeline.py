"""The only module that knows the stage order: load -> validate -> layout -> render -> write.

    discover_sources   PATH arguments -> source files
    load_report        source -> (Report, Style), all diagnostics collected
    check_id_clashes   one id per build, both files named
    build_report       Report + Style -> Document -> bytes per format -> files, atomically
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostics, Span
from .model import Report
from .paths import Roots, resolve_file
from .schema import REPORT_SCHEMA
from .schemacheck import check
from .style import StyleLoader, display_name
from .styletypes import Style
from .validate import ReportBuilder, report_id
from .yamltree import Mapping, Scalar, load_bytes

DEFAULT_STYLE = "default"
CREATOR = f"reportc {__version__}"


@dataclass(frozen=True)
class BuildOptions:
    roots: Roots
    out_dir: Path
    formats: tuple[str, ...] = ("pdf", "docx")
    strict: bool = False
    print_marks: bool = False
    source_date: date | None = None


@dataclass
class Loaded:
    """One source after loading and validation."""

    path: Path
    file: str  # as diagnostics name it
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    report: Report | None = None
    style: Style | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None and not self.diagnostics.has_errors


def source_date_from_env(environ=os.environ) -> date | None:
    """SOURCE_DATE_EPOCH as a date; None when unset. ValueError when it is not an integer."""
    value = environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    return datetime.fromtimestamp(int(value), tz=timezone.utc).date()


def discover_sources(arguments: list[str], roots: Roots, diagnostics: Diagnostics) -> list[Path]:
    """Source files named on the command line: files, or folders of `*.yaml` and `*/report.yaml`."""
    found: list[Path] = []
    for argument in arguments or ["sources"]:
        path = Path(argument)
        if path.is_dir():
            found += sorted(path.glob("*.yaml")) + sorted(path.glob("*/report.yaml"))
        elif path.is_file():
            found.append(path)
        else:
            diagnostics.error(Span(argument, 1, 1), "no such file or folder")
    unique: dict[Path, Path] = {}
    for path in found:
        resolved, problem = resolve_file(str(path), Path.cwd(), roots)
        if resolved is None:
            diagnostics.error(Span(str(path), 1, 1), f"source {problem}")
        else:
            unique.setdefault(resolved, resolved)
    return sorted(unique)


def load_report(path: Path, roots: Roots, styles: StyleLoader, strict: bool = False) -> Loaded:
    loaded = Loaded(path, display_name(path, roots))
    diagnostics = loaded.diagnostics
    tree = load_bytes(path.read_bytes(), loaded.file, diagnostics)
    if tree is None:
        return loaded
    check(tree, REPORT_SCHEMA, diagnostics)
    if not isinstance(tree, Mapping):
        return loaded
    style_node = tree.get("style")
    style_name = style_node.value if isinstance(style_node, Scalar) and not style_node.is_null else DEFAULT_STYLE
    origin = style_node.span if style_node is not None else tree.span
    loaded.style = styles.load(style_name, path.parent, origin, diagnostics)
    the_id = report_id(tree, path, loaded.file, diagnostics)
    if loaded.style is not None:
        report = ReportBuilder(loaded.file, loaded.style, diagnostics).report(tree, the_id or "")
        loaded.report = None if diagnostics.has_errors else report
    if strict:
        diagnostics.promote_warnings()
    return loaded


def check_id_clashes(loaded: list[Loaded]) -> None:
    """Two sources with one id would overwrite each other's outputs: an error naming both."""
    first: dict[str, Loaded] = {}
    for item in loaded:
        if item.report is None:
            continue
        other = first.setdefault(item.report.id, item)
        if other is not item:
            item.diagnostics.error(Span(item.file, 1, 1), f"id '{item.report.id}' is also the id of "
                                                          f"{other.file}; give one of them another `id:`")


def load_all(paths: list[Path], roots: Roots, strict: bool = False) -> list[Loaded]:
    styles = StyleLoader(roots)
    loaded = [load_report(path, roots, styles, strict) for path in paths]
    check_id_clashes(loaded)
    return loaded


@dataclass(frozen=True)
class Artefact:
    path: Path
    format: str
    size: int
    pages: int


def compose_document(loaded: Loaded, source_date: date | None):
    from .layout.compose import compose

    return compose(loaded.report, loaded.style, source_date, CREATOR)


def build_report(loaded: Loaded, options: BuildOptions) -> list[Artefact]:
    """Render every format in memory first, then write them all: an invalid source writes nothing."""
    from .render import RenderOptions, renderer_for

    document = compose_document(loaded, options.source_date)
    rendered = {}
    anchor_pages: dict[str, int] = {}
    print_marks = options.print_marks or loaded.style.print.crop_marks
    for fmt in ("pdf", "docx"):
        if fmt in options.formats:
            result = renderer_for(fmt)(document, RenderOptions(print_marks, anchor_pages), loaded.diagnostics)
            anchor_pages = dict(result.anchor_pages) or anchor_pages
            rendered[fmt] = result
    if options.strict:
        loaded.diagnostics.promote_warnings()
    if loaded.diagnostics.has_errors:
        return []
    options.out_dir.mkdir(parents=True, exist_ok=True)
    artefacts = []
    for fmt, result in rendered.items():
        target = options.out_dir / f"{document.id}.{fmt}"
        write_atomic(target, result.data)
        artefacts.append(Artefact(target, fmt, len(result.data), result.pages))
    return artefacts


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder and rename it into place: readers see the
    previous complete file or the new complete file, never a partial one."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(handle, 0o666 & ~_umask())  # mkstemp makes 0600; artefacts are ordinary files
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
