"""A pool of worker processes for a batch of independent jobs.

Processes, not threads: reportlab is not thread-safe and rendering is CPU-bound. Each worker
runs the initializer once (imports, font registration, style cache), then takes jobs until
none are left, so those costs are paid once per worker, not once per report. With one worker
(or one job) everything runs in this process: no pool to start, nothing to pickle.

Results come back in completion order. A job that fails is the task's business (it returns a
failed result); the pool only reports jobs whose worker died (killed, out of memory). Stopping
early (fail-fast, Ctrl-C) cancels the jobs not yet started and waits for the running ones, so
their atomic writes complete or never happen.
"""
from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from ..records import dataclass

if TYPE_CHECKING:
    from concurrent.futures import Future


@dataclass(frozen=True)
class Outcome:
    job: Any
    result: Any = None
    lost: str | None = None  # why a worker produced no result for this job


def cpu_count() -> int:
    """CPUs this process may use (a CI container's quota, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def pool_size(requested: int | None, jobs: int) -> int:
    """Worker processes for `jobs` jobs: as requested (default: one per CPU), never more than
    jobs; 1 means this process."""
    return max(1, min(requested or cpu_count(), jobs))


def run(task: Callable[[Any], Any], jobs: Sequence[Any], workers: int, initializer: Callable[..., None],
        initargs: tuple = (), stop: Callable[[Outcome], bool] = lambda outcome: False) -> Iterator[Outcome]:
    """Run task(job) for every job in `workers` processes (see pool_size); yield an Outcome per
    finished job until `stop` says so."""
    if not jobs:
        return
    if workers <= 1:
        yield from _run_here(task, jobs, initializer, initargs, stop)
    else:
        yield from _run_pool(task, jobs, workers, initializer, initargs, stop)


def _run_here(task, jobs, initializer, initargs, stop) -> Iterator[Outcome]:
    initializer(*initargs)
    for job in jobs:
        outcome = Outcome(job, task(job))
        yield outcome
        if stop(outcome):
            return


def _run_pool(task, jobs, workers, initializer, initargs, stop) -> Iterator[Outcome]:
    # Imported here: multiprocessing and its company cost a single report's build 30 ms
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(initializer, initargs))
    pending: dict[Future, tuple[int, Any]] = {}
    try:
        pending = {pool.submit(task, job): (index, job) for index, job in enumerate(jobs)}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: pending[f][0]):  # same order for a tie, every run
                outcome = _outcome(pending.pop(future)[1], future)
                yield outcome
                if stop(outcome):
                    return
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(job: Any, future: Future) -> Outcome:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return Outcome(job, future.result())
    except BrokenProcessPool:
        # The pool cannot tell which job's worker died, and every job still queued is lost with it.
        return Outcome(job, lost="not built: a worker process stopped unexpectedly (killed, or out of memory)")


def _worker_init(initializer: Callable[..., None], initargs: tuple) -> None:
    # Ctrl-C reaches every process of the terminal's group: the main process handles it (cancels
    # what has not started, waits for what has), so workers finish their current report.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's handler (batch.py): TERM ends a worker
    initializer(*initargs)
