"""Loading: source paths -> validated reports, each with its style and its diagnostics.

    discover_sources   PATH arguments -> source files
    load_report        source -> (Report, Style), all diagnostics collected
    check_id_clashes   one id per build, both files named
    peek_id            the id a source will have, read before any worker builds it

YAML, validation and styles are imported where they are first needed: a no-op rebuild only
reads the build cache and hashes a few files, and must not pay for them.
"""
from __future__ import annotations

import os
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics, Span, internal_error
from ..source.paths import Roots, is_dir, is_file, resolve_file
from ..records import dataclass

if TYPE_CHECKING:
    from datetime import date

    from ..model import Report
    from ..style.loader import StyleLoader
    from ..style.types import Style

DEFAULT_STYLE = "default"


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
    from datetime import datetime, timezone

    value = environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    return datetime.fromtimestamp(int(value), tz=timezone.utc).date()


def source_date_problem(environ=os.environ) -> str | None:
    """Why SOURCE_DATE_EPOCH is no date a build can use, or None."""
    out_of_range = ("SOURCE_DATE_EPOCH is out of range: give the seconds since 1970 of a date from year 1 to "
                    "9999 (as `date +%s` gives)")
    try:
        source_date_from_env(environ)
    except ValueError as error:  # int() refuses text; a date before year 1 or past 9999 is a range error
        return out_of_range if "year" in str(error) else \
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (as `date +%s` gives)"
    except (OverflowError, OSError):
        return out_of_range
    return None


def discover_sources(arguments: list[str], roots: Roots, diagnostics: Diagnostics) -> list[Path]:
    """Source files named on the command line: files, or folders of `*.yaml` and `*/report.yaml`."""
    found: list[Path] = []
    for argument in arguments or ["sources"]:
        path = Path(argument)
        if is_dir(path):
            found += sorted(path.glob("*.yaml")) + sorted(path.glob("*/report.yaml"))
        elif is_file(path) or os.path.islink(path):  # a broken or looping link: resolve_file says which
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
    from ..source.schema import REPORT_SCHEMA
    from ..source.schemacheck import check
    from ..style.loader import display_name
    from ..source.rich import SourceFiles
    from ..source.validate import ReportBuilder, report_id
    from ..source.yamltree import Mapping, Scalar, load_file

    loaded = Loaded(path, display_name(path, roots))
    diagnostics = loaded.diagnostics
    tree = load_file(path, loaded.file, diagnostics)
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
        files = SourceFiles(path.parent.resolve(), roots)  # where its tables and figures may read files
        report = ReportBuilder(loaded.file, loaded.style, diagnostics, files).report(tree, the_id or "")
        loaded.report = None if diagnostics.has_errors else report
        if loaded.report is not None:  # a report in another language than its style's prints its labels
            from ..style.labels import localised

            loaded.style = localised(loaded.style, loaded.report.language)
    if strict:
        diagnostics.promote_warnings()
    return loaded


def check_id_clashes(loaded: list[Loaded]) -> None:
    """Two sources with one id would overwrite each other's outputs: an error naming both."""
    claims = [(item.file, item.report.id) for item in loaded if item.report is not None]
    clashes = id_clashes(claims)
    for item in loaded:
        if item.file in clashes:
            item.diagnostics.error(Span(item.file, 1, 1), clashes[item.file])


def id_clashes(claims: list[tuple[str, str | None]]) -> dict[str, str]:
    """file -> why it may not have its id. The first file claiming an id keeps it."""
    first: dict[str, str] = {}
    clashes = {}
    for file, the_id in claims:
        if the_id is None:
            continue
        other = first.setdefault(the_id, file)
        if other != file:
            clashes[file] = f"id '{the_id}' is also the id of {other}; give one of them another `id:`"
    return clashes


def load_all(paths: list[Path], roots: Roots, strict: bool = False) -> list[Loaded]:
    from ..style.loader import StyleLoader

    styles = StyleLoader(roots)
    loaded = [_load_guarded(path, roots, styles, strict) for path in paths]
    check_id_clashes(loaded)
    return loaded


def _load_guarded(path: Path, roots: Roots, styles: StyleLoader, strict: bool) -> Loaded:
    """`load_report`, where a bug in reportc is an error of this source, never a traceback."""
    try:
        return load_report(path, roots, styles, strict)
    except Exception as error:  # not the source's fault: said briefly, and the other sources go on
        loaded = Loaded(path, str(path))
        loaded.diagnostics.error(Span(loaded.file), internal_error(error, "checking"))
        return loaded


def peek_id(path: Path) -> str | None:
    """The id a source will have, read without validating it, so that ids are claimed before any
    worker writes <id>.pdf (the worker checks the real id is this one). None when unreadable:
    the worker will then report why."""
    import yaml

    from ..source.validate import default_id
    from ..source.yamltree import MAX_SOURCE_BYTES
    from .safefile import read_regular

    try:
        # A regular file only (a FIFO among an old version's sources would block the build for
        # ever), never more than the loader would read.
        data = read_regular(path, MAX_SOURCE_BYTES, follow=True)
        if data is None:
            return None
        return _top_level_id(yaml.parse(data.decode("utf-8-sig"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
                             default_id(path))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _top_level_id(events, default: str) -> str | None:
    """The top-level `id` scalar from a YAML event stream (the first one), `default` when there is
    none, None when the file is no mapping. Events, not yaml.compose: composing recurses once per
    nesting level in C, and a source nested 100,000 deep crashed the whole build with SIGSEGV."""
    import yaml

    from ..source.yamltree import MAX_DEPTH, NULL_WORDS

    depth, at_key, is_id = 0, True, False
    for event in events:
        opens = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        closes = isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent))
        if not (opens or closes or isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent))):
            continue  # stream and document events
        if depth == 0 and not isinstance(event, yaml.MappingStartEvent):
            return None
        if depth == 1 and closes:
            return default
        if depth == 1 and not at_key and is_id:
            if isinstance(event, yaml.ScalarEvent):
                return default if not event.style and event.value in NULL_WORDS else event.value  # plain: "" or None
            return None
        if depth == 1 and at_key:
            is_id = isinstance(event, yaml.ScalarEvent) and event.value == "id"
        depth += 1 if opens else -1 if closes else 0
        if depth > MAX_DEPTH:  # the loader refuses it; libyaml is quadratic in depth, so stop now
            return None
        if depth == 1 and not opens:  # a key or a value at the top level ended here
            at_key = not at_key
    return default
