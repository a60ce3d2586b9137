"""In a worker process: one job -> its source loaded, built and written -> a ReportResult."""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..diagnostics import Diagnostic, Span, escape_untrusted, internal_error
from ..source.paths import Roots
from . import cache as buildcache
from .jobs import BUILT, FAILED, Job, ReportResult
from .load import Loaded, load_report
from .report import Artefact, BuildOptions, build_report

if TYPE_CHECKING:
    from ..style.loader import StyleLoader
    from ..style.types import Style

_styles: StyleLoader | None = None  # one per worker process: each style and logo is loaded once
# The style chain's hashes, taken when a style is first used: the StyleLoader keeps that version
# for the whole build, so that is the version the cache must record, even if the file changes.
_style_hashes: dict[tuple[Path, ...], dict] = {}


def init_worker(roots: Roots, formats: tuple[str, ...]) -> None:
    """Pay the imports (and the renderers' module-level set-up) once per worker, before its
    first report, and start a fresh style cache for this build."""
    global _styles
    from ..layout import compose  # noqa: F401
    from ..render import renderer_for
    from ..style.loader import StyleLoader

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
            Diagnostic("error", Span(job.file), internal_error(error, "building")),))
    return replace(result, reason=job.reason, seconds=time.perf_counter() - started)


def _build_job(job: Job) -> ReportResult:
    options = job.options
    if _styles is None:
        init_worker(options.roots, options.formats)
    # Hashed before loading: a source edited while it builds is rebuilt next time.
    source_sha256 = buildcache.sha256_input(job.path) or ""
    with _collector_paused():
        loaded = load_report(job.path, options.roots, _styles, options.strict)
    if loaded.ok and loaded.report.id != job.expected_id:
        loaded.diagnostics.error(Span(loaded.file), f"the id read before building ({job.expected_id}) is not the "
                                                    f"id '{loaded.report.id}'; please report this")
    the_id = loaded.report.id if loaded.report else job.expected_id
    if not loaded.ok or loaded.diagnostics.has_errors:
        return ReportResult(job.file, FAILED, the_id, diagnostics=tuple(loaded.diagnostics.sorted()))
    inputs = buildcache.input_hashes(job.path, source_sha256, _hashes_of(loaded.style, options.roots), options.roots,
                                     loaded.report.data_files)
    artefacts = _write(loaded, options)
    diagnostics = tuple(loaded.diagnostics.sorted())
    if not artefacts or loaded.diagnostics.has_errors:
        return ReportResult(job.file, FAILED, the_id, diagnostics=diagnostics)
    outputs = tuple(buildcache.Output(a.path.name, a.format, a.size, a.pages or None, a.sha256,
                                      a.path.stat().st_mtime_ns) for a in artefacts)
    return ReportResult(job.file, BUILT, the_id, outputs=outputs, diagnostics=diagnostics, inputs=inputs,
                        dated_by_source_date=loaded.report.published is None)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading builds one long-lived tree (positions on every node, the model): Python's collector
    would scan it, and everything imported, again and again and free next to nothing. Paused, the
    large benchmark report loaded in 0.20 s instead of 0.30 s (issue 18, measured in turns); what
    loading leaves behind is collected as usual once it runs again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _hashes_of(style: Style, roots: Roots) -> dict:
    if style.files not in _style_hashes:
        _style_hashes[style.files] = buildcache.style_hashes(style, roots)
    return _style_hashes[style.files]


def _write(loaded: Loaded, options: BuildOptions) -> list[Artefact]:
    try:
        return build_report(loaded, options)
    except OSError as error:
        target = error.filename2 or error.filename  # (a rename names its target second)
        where = f" {escape_untrusted(str(target))}" if target else " the output"
        loaded.diagnostics.error(Span(loaded.file), f"cannot write{where}: {error.strerror or error}; "
                                                    "make room for the file there, or build into another --out")
    return []

