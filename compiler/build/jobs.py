"""What flows between planning a batch and its workers: jobs out, report results back (plain,
picklable data)."""
from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from . import cache, manifest
from ..records import dataclass

if TYPE_CHECKING:
    from .report import BuildOptions

BUILT, SKIPPED, FAILED, NOT_BUILT = "built", "skipped", "failed", "not built"


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
    outputs: tuple[cache.Output, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    inputs: dict = field(default_factory=dict)  # file -> SHA-256, what it was built from
    dated_by_source_date: bool = True  # False when `published` dates it, whatever SOURCE_DATE_EPOCH says

    @property
    def pages(self) -> int:
        return max((output.pages or 0 for output in self.outputs), default=0)

    def records(self) -> list[manifest.Record]:
        return [manifest.Record(output.name, output.format, self.file, self.id or "", output.size, output.pages,
                                output.sha256) for output in self.outputs]
