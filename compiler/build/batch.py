"""A whole build: discover -> shard -> plan (what is up to date) -> claim ids -> build the rest
in a worker pool -> record (build cache, manifest).

    build_batch   source paths + options -> BatchResult (every report's status, diagnostics)

The stage order of one report is in `worker` (load, then `report`: compose, render, write).
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import field, replace
from pathlib import Path
from typing import Callable

from ..diagnostics import Diagnostic, Diagnostics, Span
from . import cache as buildcache, manifest
from .jobs import BUILT, FAILED, NOT_BUILT, SKIPPED, Job, ReportResult
from .load import discover_sources, id_clashes, peek_id
from .lock import LOCK_NAME, FolderLock
from .output import remove_leftovers, write_if_changed
from .safefile import lstat_regular, sha256_regular
from .report import BuildOptions
from .shard import Shard, select
from .worker import build_job, init_worker
from ..records import dataclass

@dataclass(frozen=True)
class BatchOptions:
    build: BuildOptions
    jobs: int | None = None  # worker processes; None: one per CPU
    force: bool = False
    fail_fast: bool = False
    shard: Shard | None = None


@dataclass
class BatchResult:
    reports: list[ReportResult] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)  # discovery, cache, manifest
    seconds: float = 0.0
    workers: int = 0  # processes that built reports (1: this one; 0: nothing to build)
    refused: int = 0  # sources named but not built at all: outside the project, a loop, not a file

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
    result.refused = len({item.span.file for item in result.diagnostics.errors})
    folder = _locked(build.out_dir, result.diagnostics)
    if folder is not None:
        try:  # cleanup, plan, write and record: one build at a time per folder
            with _sigterm_as_interrupt():
                _locked_build(sources, names, options, result, on_report, folder)
        finally:
            folder.release()
    result.seconds = time.perf_counter() - started
    return result


@contextmanager
def _sigterm_as_interrupt():
    """SIGTERM (a cancelled CI job, `timeout`, `docker stop`) stops a build as Ctrl-C does: the
    running reports finish, the others are cancelled, what was built is recorded, and no worker
    is left behind (killed at once, the main process would orphan its idle workers for good)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():  # only the main thread may
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)  # None: set outside Python


def _locked(out_dir: Path, diagnostics: Diagnostics) -> FolderLock | None:
    """The output folder's lock, taken (waiting for another build to finish); None, with an
    error, when it cannot be."""
    folder = FolderLock(out_dir)
    span = Span(str(out_dir / LOCK_NAME))
    try:
        folder.acquire()
    except OSError as error:
        diagnostics.error(span, f"cannot lock the output folder ({error.strerror or error}); it must be a folder "
                                f"reportc can write, and {LOCK_NAME} in it a plain file (remove it if it is not)")
        return None
    if folder.unsupported:
        diagnostics.warning(span, f"cannot lock the output folder ({folder.unsupported}); do not run two builds "
                                  "into it at once")
    return folder


def _locked_build(sources: list[Path], names: list[str], options: BatchOptions, result: BatchResult,
                  on_report: Callable[[ReportResult], None], folder: FolderLock) -> None:
    build = options.build
    remove_leftovers(build.out_dir)
    loaded = buildcache.load(build.out_dir)
    if loaded.problem:
        result.diagnostics.warning(Span(str(build.out_dir / buildcache.CACHE_NAME)),
                                   f"the build cache is damaged ({loaded.problem}); rebuilding "
                                   f"{'everything' if not loaded.entries else 'those sources'}")
    cache = loaded.entries
    done, jobs = _plan(sources, names, cache, loaded.absent, options)
    if options.fail_fast and (result.diagnostics.has_errors or any(r.status == FAILED for r in done)):
        done += [_not_built(job) for job in jobs]
        jobs = []
    for report in done:
        on_report(report)
    result.reports = done
    try:
        _run(jobs, options, result, on_report)
    finally:  # Ctrl-C too: what was built is recorded, so the next build skips it
        if not folder.untouched():
            _record(result, cache, build)


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
        reason = "--force" if options.force else "--redline-from" if build.redline_from else buildcache.stale_reason(cache.get(name), key, hasher, build.out_dir,
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
                                  build.source_date if dated else buildcache.NOT_DATED_BY_SOURCE_DATE,
                                  build.allow_missing_glyphs)


def _skipped(entry: buildcache.Entry, out_dir: Path) -> ReportResult:
    # The outputs were just found intact; their current mtimes spare the next run a re-hash.
    outputs = tuple(replace(output, mtime_ns=_mtime(out_dir / output.name, output.mtime_ns)) for output in entry.outputs)
    dated = entry.options.get("source_date") != buildcache.NOT_DATED_BY_SOURCE_DATE
    return ReportResult(entry.source, SKIPPED, entry.id, "up to date", outputs=outputs, inputs=dict(entry.inputs),
                        dated_by_source_date=dated)


def _mtime(path: Path, otherwise: int) -> int:
    status = lstat_regular(path)  # None: removed since it was checked; the next build will see it
    return status.st_mtime_ns if status else otherwise


def _not_built(job: Job) -> ReportResult:
    return ReportResult(job.file, NOT_BUILT, job.expected_id, "stopped by --fail-fast")


def _run(jobs: list[Job], options: BatchOptions, result: BatchResult,
         on_report: Callable[[ReportResult], None]) -> None:
    """Build the jobs, adding each report to `result` as it finishes (so an interrupted build
    still records what it built)."""
    if not jobs:
        return
    from . import pool  # the pool's imports (multiprocessing) are not paid when nothing is stale

    def stop(outcome) -> bool:
        return options.fail_fast and (outcome.result is None or outcome.result.status == FAILED)

    def finished(report: ReportResult) -> None:
        result.reports.append(report)
        on_report(report)

    initargs = (options.build.roots, options.build.formats)
    result.workers = pool.pool_size(options.jobs, len(jobs))
    # Biggest sources first: a long report started last would leave the other workers idle.
    biggest_first = sorted(jobs, key=lambda job: -_size(job.path)) if result.workers > 1 else jobs
    for outcome in pool.run(build_job, biggest_first, result.workers, init_worker, initargs, stop):
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
    build that produced nothing into a folder that did not exist."""
    entries = dict(cache)
    records = []
    for report in result.reports:
        if report.status in (BUILT, SKIPPED):
            if build.redline_from is None:
                entries[report.file] = buildcache.Entry(report.file, report.id or "", _options_key(build, report),
                                                        report.inputs, report.outputs)
            else:  # a redlined DOCX is no plain build: the next plain build rebuilds it
                entries.pop(report.file, None)
            records += report.records()
        elif report.status == FAILED:
            entries.pop(report.file, None)
    _remove_replaced_outputs(result, cache, build.out_dir)
    for name, data in ((buildcache.CACHE_NAME, buildcache.dump(entries)),
                       (manifest.MANIFEST_NAME, manifest.dump(manifest.make(records, build.source_date)))):
        try:
            write_if_changed(build.out_dir / name, data)
        except OSError as error:
            result.diagnostics.error(Span(str(build.out_dir / name)), f"cannot write ({error.strerror or error})")


def _remove_replaced_outputs(result: BatchResult, cache: dict, out_dir: Path) -> None:
    """A rebuilt report whose id changed no longer writes the files it wrote before: remove them,
    when no report of this build wrote them, no other source's entry still claims them, and they
    are still the bytes we wrote. Formats not built this time are kept (`--format docx` for a
    quick look must not delete the PDFs). The cache is a hint anyone may have written: only a
    regular file directly in the output folder, named `<id>.<format>`, is ever removed."""
    built = {report.file for report in result.reports if report.status == BUILT}
    kept = {output.name for report in result.reports for output in report.outputs}
    kept |= {output.name for source, entry in cache.items() if source not in built for output in entry.outputs}
    for report in result.reports:
        previous = cache.get(report.file)
        if report.status != BUILT or previous is None:
            continue
        for output in previous.outputs:
            replaced = output.format in {o.format for o in report.outputs} and output.name not in kept
            if replaced and _ours(out_dir, output):
                (out_dir / output.name).unlink(missing_ok=True)


def _ours(out_dir: Path, output: buildcache.Output) -> bool:
    """`output` names a regular file directly in `out_dir` that reportc could have written, and
    it still holds the recorded bytes. (cache.load already dropped other names: checked again
    here because this is the one place a name from the cache leads to a deletion.)"""
    if not buildcache.cachecheck.is_output_name(output.name, output.format):
        return False
    path = out_dir / output.name
    return lstat_regular(path) is not None and sha256_regular(path, output.size) == output.sha256
