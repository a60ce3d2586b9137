"""What `watch` serves: each report's state after the latest build, and its last good edition.

An Edition is an immutable value: the build loop makes a new one after every build and swaps
it in whole, so a request being served always sees one consistent build (no locks needed for
readers). The HTML bytes are held in memory, read back once after the build that wrote them
and checked against the SHA-256 the build recorded: the server only ever serves bytes that
reportc built, never a file it finds on disk.
"""
from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path

from ..build.cache import sha256_bytes
from ..build.jobs import BUILT, SKIPPED, ReportResult
from ..build.safefile import read_regular
from ..diagnostics import Diagnostic, Span
from ..records import dataclass

# An edition over this is not held in memory (a typical report is under 600 KB; reportc's
# inputs are capped far below this, so only a file swapped behind our back could reach it).
MAX_EDITION_BYTES = 64 * 2**20
_ROUTABLE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}\Z")  # the source format's id rule


@dataclass(frozen=True)
class ReportState:
    """One source: how its latest build went, and the last edition that built."""

    file: str  # the source, as diagnostics name it
    id: str | None  # the id of the served edition (else the id the failing source claims)
    ok: bool  # the latest build succeeded (built, or up to date)
    diagnostics: tuple[Diagnostic, ...] = ()  # of the latest build: errors when it failed, else warnings
    html: bytes | None = None  # the last good edition; kept while the source is invalid
    sha256: str = ""

    @property
    def routable(self) -> bool:
        return self.id is not None and _ROUTABLE_ID.match(self.id) is not None


@dataclass(frozen=True)
class Edition:
    reports: tuple[ReportState, ...] = ()  # sorted by source file
    diagnostics: tuple[Diagnostic, ...] = ()  # of the batch: discovery, cache, id clashes
    version: int = 0  # bumped whenever what is served changes; open pages poll it
    by_id: dict[str, ReportState] = field(default_factory=dict, compare=False)

    def page(self, report_id: str) -> ReportState | None:
        return self.by_id.get(report_id)


def next_edition(previous: Edition, result, out_dir: Path) -> Edition:
    """The edition after `result` (a BatchResult): built and skipped reports with their
    (re-read) HTML, failed ones with their diagnostics and the last good HTML they had."""
    before = {state.file: state for state in previous.reports}
    states = tuple(sorted((_state(report, before.get(report.file), out_dir) for report in result.reports),
                          key=lambda state: state.file))
    diagnostics = tuple(result.diagnostics.sorted())
    same = states == previous.reports and diagnostics == previous.diagnostics
    by_id: dict[str, ReportState] = {}
    for state in states:
        if state.routable:
            by_id.setdefault(state.id, state)  # an id clash is a failed report: the first one keeps it
    return Edition(states, diagnostics, previous.version if same else previous.version + 1, by_id)


def _state(report: ReportResult, before: ReportState | None, out_dir: Path) -> ReportState:
    diagnostics = tuple(report.diagnostics)
    if report.status in (BUILT, SKIPPED):
        output = next((o for o in report.outputs if o.format == "html"), None)
        html = _edition_bytes(out_dir, output, before)
        if html is not None:
            return ReportState(report.file, report.id, True, diagnostics, html, output.sha256)
        diagnostics += (Diagnostic("error", Span(report.file), "the HTML edition could not be read back from "
                                                                 f"{out_dir}; it is rebuilt on the next save"),)
    if before is not None and before.html is not None:  # the last good edition stays
        return ReportState(report.file, before.id, False, diagnostics, before.html, before.sha256)
    return ReportState(report.file, report.id, False, diagnostics)


def _edition_bytes(out_dir: Path, output, before: ReportState | None) -> bytes | None:
    """The bytes of `output` as the build recorded them, or None."""
    if output is None:
        return None
    if before is not None and before.sha256 == output.sha256 and before.html is not None:
        return before.html  # unchanged: not read again
    try:
        data = read_regular(out_dir / output.name, MAX_EDITION_BYTES)
    except OSError:
        return None
    return data if data is not None and sha256_bytes(data) == output.sha256 else None


def changed_reports(old: Edition, new: Edition) -> list[ReportState]:
    """The reports whose state or served bytes differ from the last edition: what the
    terminal reports after a build (a source that still fails is not repeated on every save)."""
    before = {state.file: state for state in old.reports}
    return [state for state in new.reports if before.get(state.file) != state]
