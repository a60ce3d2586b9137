"""The watch loop: build the HTML editions, serve them, and rebuild on every save.

    bind 127.0.0.1:PORT -> build -> start watching -> build what changed meanwhile -> serve
    -> on each batch of saves: build (the build cache rebuilds only what is stale) -> swap the
       served edition -> open pages see the new version and reload

The whole project folder is watched (sources, styles, logos, fonts, data files: whatever a
source or style can name lives in it), except the watch output folder itself, whose writes
would otherwise start another build. Deciding what a change affects is the build cache's job,
not the watcher's: a save that touches no input is a no-op build of a few milliseconds.

Builds after the first run in this process (`jobs=1`): the server's threads are running by
then, and forking worker processes from a threaded process can deadlock. A save rebuilds one
report in a fraction of a second, so nothing is lost.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

from ..build.batch import BatchOptions, build_batch
from ..build.jobs import BUILT, FAILED
from ..build.report import BuildOptions
from ..source.paths import Roots
from .edition import Edition, changed_reports, next_edition
from .server import PreviewServer, open_server
from ..records import dataclass

STEP_MS = 50  # a save is acted on once the folder has been quiet this long
DEBOUNCE_MS = 400  # at most this long gathering one batch of saves (a checkout writing many files)
POLL_MS = 300  # only where the system gives no file events
WAKE_MS = 200  # how often the watcher wakes with nothing to report (Ctrl-C is seen at least this often)


@dataclass(frozen=True)
class WatchOptions:
    paths: tuple[str, ...]
    roots: Roots
    out_dir: Path
    port: int
    strict: bool = False
    quiet: bool = False
    source_date: object = None


class Live:
    """The edition being served: replaced whole after each build (readers need no lock)."""

    def __init__(self) -> None:
        self.edition = Edition()


def watch(options: WatchOptions) -> bool:
    """Serve and rebuild until Ctrl-C; True then. False (with a message) when it cannot start."""
    try:
        import watchfiles
    except ImportError:
        _say("reportc: error: `reportc watch` needs the watchfiles package: pip install watchfiles")
        return False
    live = Live()
    server, problem = open_server(options.port, lambda: live.edition)
    if server is None:
        _say(f"reportc: error: --port {options.port}: {problem}")
        return False
    serving = None
    try:
        _build(options, live, jobs=None, url=server.url)  # before any thread exists: worker processes are safe
        changes = _watching(watchfiles, options)  # running from here on: no save is missed
        _build(options, live, jobs=1, url=server.url)  # saves made during the first build
        serving = threading.Thread(target=server.serve_forever, name="reportc-watch-server", daemon=True)
        serving.start()
        print(f"reportc: serving {server.url} (Ctrl-C to stop)", flush=True)
        for batch in changes:
            if batch:
                _build(options, live, jobs=1, url=server.url)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(server, serving)
    _say("reportc: stopped")
    return True


def _watching(watchfiles, options: WatchOptions):
    """The watcher's stream of saves, started (its first, empty, wake-up taken). Where the system
    cannot give file events (the inotify watch limit reached, some network file systems), it
    polls instead, and says so."""
    def started(**polling):
        changes = watchfiles.watch(options.roots.project, watch_filter=_Filter(options.out_dir), step=STEP_MS,
                                   debounce=DEBOUNCE_MS, rust_timeout=WAKE_MS, yield_on_timeout=True,
                                   raise_interrupt=True, **polling)
        next(changes)
        return changes

    try:
        return started()
    except OSError as error:
        _say(f"reportc: warning: no file events from the system ({error}); looking for saves every "
             f"{POLL_MS} ms instead")
        return started(force_polling=True, poll_delay_ms=POLL_MS)


def _stop(server: PreviewServer, serving: threading.Thread | None) -> None:
    if serving is not None:
        server.shutdown()  # waits for serve_forever to return; open connections are daemon threads
    server.server_close()


def _build(options: WatchOptions, live: Live, jobs: int | None, url: str) -> None:
    build = BuildOptions(options.roots, options.out_dir, ("html",), options.strict, False, options.source_date)
    try:
        result = build_batch(list(options.paths), BatchOptions(build, jobs=jobs))
    except OSError as error:  # the output folder vanished or the disk is full: keep serving what was built
        _say(f"reportc: error: {options.out_dir}: cannot build there ({error.strerror or error}); "
             "the last good editions are still served")
        return
    old, new = live.edition, next_edition(live.edition, result, options.out_dir)
    live.edition = new  # one assignment: a request sees the old edition or the new, never a mix
    _tell(old, new, result, options.quiet, url)


def _tell(old: Edition, new: Edition, result, quiet: bool, url: str) -> None:
    """What changed, in the terminal: each report whose state changed, with its diagnostics
    (a source that keeps failing is not repeated on every save), and the batch's problems."""
    seconds = {report.file: report.seconds for report in result.reports if report.status in (BUILT, FAILED)}
    for state in changed_reports(old, new):
        _print_diagnostics(state.diagnostics, quiet)
        took = f" ({seconds[state.file]:.2f} s)" if state.file in seconds else ""
        if state.ok and not quiet:
            _say(f"reportc: {state.file} -> {url}{state.id}.html{took}")
        elif not state.ok:
            kept = "the last good edition is still served" if state.html is not None else "no edition to serve yet"
            _say(f"reportc: {state.file} does not build; {kept}{took}")
    if new.diagnostics != old.diagnostics:
        _print_diagnostics(new.diagnostics, quiet)


def _print_diagnostics(diagnostics, quiet: bool) -> None:
    for diagnostic in diagnostics:
        if not (quiet and diagnostic.severity == "warning"):
            _say(diagnostic.format())


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class _Filter:
    """watchfiles' default filter (version control, caches, editor swap files) and the output
    folder, whose writes are ours."""

    def __init__(self, out_dir: Path) -> None:
        from watchfiles import DefaultFilter

        self.default = DefaultFilter()
        self.out_dir = out_dir.resolve()

    def __call__(self, change, path: str) -> bool:
        return self.default(change, path) and not Path(path).is_relative_to(self.out_dir)
