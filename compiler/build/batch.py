"""The only module that knows the stage order.

One source:  load (parse, validate) -> compose the layout -> render each format -> write
A batch:     discover -> shard -> plan (what is up to date) -> claim ids -> build the rest in a
             worker pool -> record (build cache, manifest)

    discover_sources   PATH arguments -> source files
    load_report        source -> (Report, Style), all diagnostics collected
    check_id_clashes   one id per build, both files named
    build_report       Report + Style -> Document -> bytes per format -> files, atomically
    build_batch        a whole build: incremental, in parallel, recorded in a manifest

YAML, validation, layout and the renderers are imported where they are first needed: a no-op
rebuild only reads the build cache and hashes a few files, and must not pay for them.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import __version__, buildcache, manifest
from .diagnostics import Diagnostic, Diagnostics, Span
from .paths import Roots, is_dir, is_file, resolve_file
from .shard import Shard, select

if TYPE_CHECKING:
    from datetime import date

    from .model import Report
    from .style import StyleLoader
    from .styletypes import Style

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
    from datetime import datetime, timezone

    value = environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    return datetime.fromtimestamp(int(value), tz=timezone.utc).date()


def discover_sources(arguments: list[str], roots: Roots, diagnostics: Diagnostics) -> list[Path]:
    """Source files named on the command line: files, or folders of `*.yaml` and `*/report.yaml`."""
    found: list[Path] = []
    for argument in arguments or ["sources"]:
        path = Path(argument)
        if is_dir(path):
            found += sorted(path.glob("*.yaml")) + sorted(path.glob("*/report.yaml"))
        elif is_file(path):
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
    from .schema import REPORT_SCHEMA
    from .schemacheck import check
    from .style import display_name
    from .validate import ReportBuilder, report_id
    from .yamltree import Mapping, Scalar, load_file

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
        report = ReportBuilder(loaded.file, loaded.style, diagnostics).report(tree, the_id or "")
        loaded.report = None if diagnostics.has_errors else report
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
    from .style import StyleLoader

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
    sha256: str = ""


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
        artefacts.append(Artefact(target, fmt, len(result.data), result.pages, buildcache.sha256_bytes(result.data)))
    return artefacts


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder and rename it into place: readers see the
    previous complete file or the new complete file, never a partial one."""
    import tempfile

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


def remove_leftovers(out_dir: Path) -> None:
    """Temporary files of a build that was killed before it could clean up (a clean exit never
    leaves any). Only names write_atomic makes for our own outputs are touched."""
    if out_dir.is_dir():
        for path in out_dir.glob(".*.tmp"):
            if _LEFTOVER.match(path.name):
                path.unlink(missing_ok=True)


_LEFTOVER = re.compile(r"\..+\.(pdf|docx|json)\.[A-Za-z0-9_]{8}\.tmp\Z")

# ---- a batch ------------------------------------------------------------------------------

BUILT, SKIPPED, FAILED, NOT_BUILT = "built", "skipped", "failed", "not built"


@dataclass(frozen=True)
class BatchOptions:
    build: BuildOptions
    jobs: int | None = None  # worker processes; None: one per CPU
    force: bool = False
    fail_fast: bool = False
    shard: Shard | None = None


@dataclass(frozen=True)
class Job:
    """One source for a worker: plain, picklable data."""

    path: Path
    file: str
    expected_id: str | None  # claimed before building; the worker refuses any other
    reason: str  # why it is rebuilt
    options: BuildOptions


@dataclass(frozen=True)
class ReportResult:
    file: str
    status: str  # BUILT, SKIPPED, FAILED or NOT_BUILT
    id: str | None = None
    reason: str = ""  # why it was rebuilt (built) or left alone (not built)
    seconds: float = 0.0
    outputs: tuple[buildcache.Output, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    inputs: dict = field(default_factory=dict)  # file -> SHA-256, what it was built from
    dated_by_source_date: bool = True  # False when `published` dates it, whatever SOURCE_DATE_EPOCH says

    @property
    def pages(self) -> int:
        return max((output.pages or 0 for output in self.outputs), default=0)

    def records(self) -> list[manifest.Record]:
        return [manifest.Record(output.name, output.format, self.file, self.id or "", output.size, output.pages,
                                output.sha256) for output in self.outputs]


@dataclass
class BatchResult:
    reports: list[ReportResult] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)  # discovery, cache, manifest
    seconds: float = 0.0
    workers: int = 0  # processes that built reports (1: this one; 0: nothing to build)

    def count(self, status: str) -> int:
        return sum(report.status == status for report in self.reports)

    @property
    def pages(self) -> int:
        return sum(report.pages for report in self.reports if report.status in (BUILT, SKIPPED))

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors and all(report.status in (BUILT, SKIPPED) for report in self.reports)


def build_batch(paths: list[str], options: BatchOptions,
                on_report: Callable[[ReportResult], None] = lambda report: None) -> BatchResult:
    """Build every source named by `paths`; `on_report` sees each report as it finishes."""
    started = time.perf_counter()
    build = options.build
    result = BatchResult()
    sources, names = _sources(paths, options, result.diagnostics)
    remove_leftovers(build.out_dir)
    cache, absent = buildcache.load(build.out_dir)
    done, jobs = _plan(sources, names, cache, absent, options)
    if options.fail_fast and (result.diagnostics.has_errors or any(r.status == FAILED for r in done)):
        done += [_not_built(job) for job in jobs]
        jobs = []
    for report in done:
        on_report(report)
    result.reports = done
    try:
        _run(jobs, options, result, on_report)
    finally:  # Ctrl-C too: what was built is recorded, so the next build skips it
        _record(result, cache, build)
        result.seconds = time.perf_counter() - started
    return result


def _sources(paths: list[str], options: BatchOptions, diagnostics: Diagnostics) -> tuple[list[Path], list[str]]:
    """The sources of this build (this shard's part), and their names relative to the project."""
    roots = options.build.roots
    sources = discover_sources(paths, roots, diagnostics)
    names = [buildcache.file_key(path, roots) for path in sources]
    if options.shard is None:
        return sources, names
    # A shard's job always leaves a manifest, even an empty one, for the merge.
    options.build.out_dir.mkdir(parents=True, exist_ok=True)
    return select(sources, names, options.shard), select(names, names, options.shard)


def _plan(sources: list[Path], names: list[str], cache: dict, absent: str, options: BatchOptions
          ) -> tuple[list[ReportResult], list[Job]]:
    """Up-to-date reports (skipped), reports whose id is taken (failed), and jobs for the rest."""
    build = options.build
    key = _options_key(build)
    hasher = buildcache.Hasher(build.roots)
    stale: dict[str, str] = {}
    for path, name in zip(sources, names):
        reason = "--force" if options.force else buildcache.stale_reason(cache.get(name), key, hasher, build.out_dir,
                                                                           absent)
        if reason:
            stale[name] = reason
    ids = {name: peek_id(path) if name in stale else cache[name].id for path, name in zip(sources, names)}
    clashes = id_clashes([(name, ids[name]) for name in names])
    done, jobs = [], []
    for path, name in zip(sources, names):
        if name in clashes:
            clash = Diagnostic("error", Span(name), clashes[name])
            done.append(ReportResult(name, FAILED, ids[name], diagnostics=(clash,)))
        elif name in stale:
            jobs.append(Job(path, name, ids[name], stale[name], build))
        else:
            done.append(_skipped(cache[name], build.out_dir))
    return done, jobs


def _options_key(build: BuildOptions, report: ReportResult | None = None) -> dict:
    dated = report is None or report.dated_by_source_date
    return buildcache.options_key(build.formats, build.print_marks, build.strict,
                                  build.source_date if dated else buildcache.NOT_DATED_BY_SOURCE_DATE)


def _skipped(entry: buildcache.Entry, out_dir: Path) -> ReportResult:
    # The outputs were just found intact; their current mtimes spare the next run a re-hash.
    outputs = tuple(replace(output, mtime_ns=_mtime(out_dir / output.name, output.mtime_ns)) for output in entry.outputs)
    dated = entry.options.get("source_date") != buildcache.NOT_DATED_BY_SOURCE_DATE
    return ReportResult(entry.source, SKIPPED, entry.id, "up to date", outputs=outputs, inputs=dict(entry.inputs),
                        dated_by_source_date=dated)


def _mtime(path: Path, otherwise: int) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # removed since it was checked: the next build will see it is missing
        return otherwise


def _not_built(job: Job) -> ReportResult:
    return ReportResult(job.file, NOT_BUILT, job.expected_id, "stopped by --fail-fast")


def peek_id(path: Path) -> str | None:
    """The id a source will have, read without validating it, so that ids are claimed before any
    worker writes <id>.pdf (the worker checks the real id is this one). None when unreadable:
    the worker will then report why."""
    import yaml

    from .validate import default_id
    from .yamltree import MAX_SOURCE_BYTES

    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_SOURCE_BYTES + 1)  # never more than the loader would read
        if len(data) > MAX_SOURCE_BYTES:
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

    from .yamltree import MAX_DEPTH, NULL_WORDS

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
                return default if event.style is None and event.value in NULL_WORDS else event.value
            return None
        if depth == 1 and at_key:
            is_id = isinstance(event, yaml.ScalarEvent) and event.value == "id"
        depth += 1 if opens else -1 if closes else 0
        if depth > MAX_DEPTH:  # the loader refuses it; libyaml is quadratic in depth, so stop now
            return None
        if depth == 1 and not opens:  # a key or a value at the top level ended here
            at_key = not at_key
    return default


def _run(jobs: list[Job], options: BatchOptions, result: BatchResult,
         on_report: Callable[[ReportResult], None]) -> None:
    """Build the jobs, adding each report to `result` as it finishes (so an interrupted build
    still records what it built)."""
    if not jobs:
        return
    from . import batch  # the pool's imports (multiprocessing) are not paid when nothing is stale

    def stop(outcome) -> bool:
        return options.fail_fast and (outcome.result is None or outcome.result.status == FAILED)

    def finished(report: ReportResult) -> None:
        result.reports.append(report)
        on_report(report)

    initargs = (options.build.roots, options.build.formats)
    result.workers = batch.pool_size(options.jobs, len(jobs))
    # Biggest sources first: a long report started last would leave the other workers idle.
    biggest_first = sorted(jobs, key=lambda job: -_size(job.path)) if result.workers > 1 else jobs
    for outcome in batch.run(build_job, biggest_first, result.workers, init_worker, initargs, stop):
        finished(outcome.result or ReportResult(outcome.job.file, FAILED, outcome.job.expected_id, diagnostics=(
            Diagnostic("error", Span(outcome.job.file), outcome.lost),)))
    done = {report.file for report in result.reports}
    for job in jobs:
        if job.file not in done:
            finished(_not_built(job))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _record(result: BatchResult, cache: dict, build: BuildOptions) -> None:
    """The build cache and the manifest of this build's good reports. Nothing is written for a
    build that produced nothing into a folder that does not exist."""
    if not build.out_dir.is_dir():
        return
    entries = dict(cache)
    records = []
    for report in result.reports:
        if report.status in (BUILT, SKIPPED):
            entries[report.file] = buildcache.Entry(report.file, report.id or "", _options_key(build, report),
                                                    report.inputs, report.outputs)
            records += report.records()
        elif report.status == FAILED:
            entries.pop(report.file, None)
    _remove_replaced_outputs(result, cache, build.out_dir)
    for name, data in ((buildcache.CACHE_NAME, buildcache.dump(entries)),
                       (manifest.MANIFEST_NAME, manifest.dump(manifest.make(records, build.source_date)))):
        try:
            _write_if_changed(build.out_dir / name, data)
        except OSError as error:
            result.diagnostics.error(Span(str(build.out_dir / name)), f"cannot write ({error.strerror or error})")


def _remove_replaced_outputs(result: BatchResult, cache: dict, out_dir: Path) -> None:
    """A rebuilt report whose id changed no longer writes the files it wrote before: remove them,
    when no report of this build wrote them and they are still the bytes we wrote. Formats not
    built this time are kept (`--format docx` for a quick look must not delete the PDFs)."""
    produced = {output.name for report in result.reports for output in report.outputs}
    for report in result.reports:
        previous = cache.get(report.file)
        if report.status != BUILT or previous is None:
            continue
        for output in previous.outputs:
            path = out_dir / output.name
            replaced = output.format in {o.format for o in report.outputs} and output.name not in produced
            if replaced and buildcache.sha256_file(path) == output.sha256:
                path.unlink(missing_ok=True)


def _write_if_changed(target: Path, data: bytes) -> None:
    """A no-op build leaves the cache and manifest untouched: no write, no fsync, same mtime."""
    try:
        if target.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(target, data)


# ---- in a worker --------------------------------------------------------------------------

_styles: StyleLoader | None = None  # one per worker process: each style and logo is loaded once
# The style chain's hashes, taken when a style is first used: the StyleLoader keeps that version
# for the whole build, so that is the version the cache must record, even if the file changes.
_style_hashes: dict[tuple[Path, ...], dict] = {}


def init_worker(roots: Roots, formats: tuple[str, ...]) -> None:
    """Pay the imports (and the renderers' module-level set-up) once per worker, before its
    first report, and start a fresh style cache for this build."""
    global _styles
    from .layout import compose  # noqa: F401
    from .render import renderer_for
    from .style import StyleLoader

    _styles = StyleLoader(roots)
    _style_hashes.clear()
    for fmt in formats:
        renderer_for(fmt)


def build_job(job: Job) -> ReportResult:
    """One source, loaded, built and written. Never raises: a bug becomes a diagnostic."""
    started = time.perf_counter()
    try:
        result = _build_job(job)
    except Exception as error:  # a bug in reportc, not in the source: say so, briefly
        result = ReportResult(job.file, FAILED, job.expected_id, diagnostics=(
            Diagnostic("error", Span(job.file), _internal_error(error)),))
    return replace(result, reason=job.reason, seconds=time.perf_counter() - started)


def _build_job(job: Job) -> ReportResult:
    options = job.options
    if _styles is None:
        init_worker(options.roots, options.formats)
    # Hashed before loading: a source edited while it builds is rebuilt next time.
    source_sha256 = buildcache.sha256_input(job.path) or ""
    loaded = load_report(job.path, options.roots, _styles, options.strict)
    if loaded.ok and loaded.report.id != job.expected_id:
        loaded.diagnostics.error(Span(loaded.file), f"the id read before building ({job.expected_id}) is not the "
                                                    f"id '{loaded.report.id}'; please report this")
    the_id = loaded.report.id if loaded.report else job.expected_id
    if not loaded.ok or loaded.diagnostics.has_errors:
        return ReportResult(job.file, FAILED, the_id, diagnostics=tuple(loaded.diagnostics.sorted()))
    inputs = buildcache.input_hashes(job.path, source_sha256, _hashes_of(loaded.style, options.roots), options.roots)
    artefacts = _write(loaded, options)
    diagnostics = tuple(loaded.diagnostics.sorted())
    if not artefacts or loaded.diagnostics.has_errors:
        return ReportResult(job.file, FAILED, the_id, diagnostics=diagnostics)
    outputs = tuple(buildcache.Output(a.path.name, a.format, a.size, a.pages or None, a.sha256,
                                      a.path.stat().st_mtime_ns) for a in artefacts)
    return ReportResult(job.file, BUILT, the_id, outputs=outputs, diagnostics=diagnostics, inputs=inputs,
                        dated_by_source_date=loaded.report.published is None)


def _hashes_of(style: Style, roots: Roots) -> dict:
    if style.files not in _style_hashes:
        _style_hashes[style.files] = buildcache.style_hashes(style, roots)
    return _style_hashes[style.files]


def _write(loaded: Loaded, options: BuildOptions) -> list[Artefact]:
    try:
        return build_report(loaded, options)
    except OSError as error:
        loaded.diagnostics.error(Span(loaded.file), f"cannot write the output: {error.strerror or error}")
    return []


def _internal_error(error: Exception) -> str:
    if os.environ.get("REPORTC_DEBUG"):
        import traceback

        traceback.print_exc()
    return (f"internal error while building ({type(error).__name__}: {error}); please report it "
            "(REPORTC_DEBUG=1 shows details)")
