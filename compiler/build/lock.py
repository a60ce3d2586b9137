"""One build at a time per output folder: an exclusive flock on OUT/.reportc.lock.

Two builds into one folder (two CI jobs sharing a workspace, a watcher and a manual build)
would otherwise delete each other's temporary files at start-up and record each other's half
of the cache and manifest. The lock is held for the whole build: leftover cleanup, planning,
writing and recording. A second build waits, after one line on stderr, as `cargo` and `apt`
do: it then finds the first one's work in the cache and skips it. It waits without a timeout:
CI jobs have their own, and a build that gave up after N seconds would fail at random under
load. The kernel drops a flock when its holder dies (even killed with SIGKILL), and forked
workers close their copy at once, so a lock file left behind never blocks anyone.

`verify` and `manifest merge` only read, or write one file atomically: they take no lock.
The lock file is a dot file like the build cache: never an artefact, never in the manifest.
"""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Callable

from .safefile import NotRegularFile

LOCK_NAME = ".reportc.lock"
_ATTEMPTS = 50  # a holder removing the folder it made, again and again: give up then
_FLAGS = (os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
          | getattr(os, "O_CLOEXEC", 0))
_HELD: set[int] = set()  # lock descriptors of this process


def _close_in_child() -> None:
    """A forked worker must not hold the lock: workers orphaned by a build whose main process
    was killed live on, idle, and every later build would wait for them forever. (The lock
    belongs to the open file: the parent's own descriptor still holds it.)"""
    for handle in _HELD:
        try:
            os.close(handle)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class FolderLock:
    """`with FolderLock(out_dir):` creates the folder if needed and holds its lock. OSError
    when the folder cannot be made or the lock file is not a regular file (a symlink planted
    there is never followed). Where the file system has no locks, the build goes on unlocked
    and `unsupported` says why."""

    def __init__(self, out_dir: Path, say: Callable[[str], None] = _say) -> None:
        self.out_dir = out_dir
        self.path = out_dir / LOCK_NAME
        self.say = say
        self.created: list[Path] = []  # folders this build made, deepest first
        self.unsupported: str | None = None
        self._handle: int | None = None

    def __enter__(self) -> "FolderLock":
        return self.acquire()

    def __exit__(self, *exc_info) -> None:
        self.release()

    def acquire(self) -> "FolderLock":
        waited = False
        for _ in range(_ATTEMPTS):
            self.created = _missing_folders(self.out_dir)
            self.out_dir.mkdir(parents=True, exist_ok=True)
            handle = _open_lock_file(self.path)
            if handle is None:  # the folder was removed by the holder as we opened: again
                continue
            try:
                waited = self._wait(handle, waited)
            except BaseException:
                os.close(handle)
                raise
            if self.unsupported or _is_current(handle, self.path):
                self._handle = handle
                _HELD.add(handle)
                return self
            os.close(handle)  # locked a file its holder removed on leaving: take the new one
        raise OSError(f"the lock file {self.path} keeps being replaced")

    def _wait(self, handle: int, waited: bool) -> bool:
        try:
            import fcntl
        except ImportError:  # Windows
            self.unsupported = "this system has no flock"
            return waited
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return waited
        except BlockingIOError:
            pass
        except OSError as error:  # ENOLCK, EOPNOTSUPP: some network file systems
            self.unsupported = error.strerror or str(error)
            return waited
        if not waited:
            self.say(f"reportc: waiting for another build writing {self.out_dir}/ ...")
        fcntl.flock(handle, fcntl.LOCK_EX)
        return True

    def untouched(self) -> bool:
        """True when this build made the folder and left nothing in it but the lock."""
        try:
            return bool(self.created) and os.listdir(self.out_dir) == [LOCK_NAME]
        except OSError:
            return False

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            if self.untouched():  # a build that wrote nothing leaves no folder behind
                self.path.unlink(missing_ok=True)
                for folder in self.created:
                    _remove_empty(folder)
        finally:
            _HELD.discard(self._handle)
            os.close(self._handle)  # releases the lock
            self._handle = None


def _missing_folders(folder: Path) -> list[Path]:
    missing = []
    while not os.path.lexists(folder) and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return missing


def _open_lock_file(path: Path) -> int | None:
    try:
        handle = os.open(path, _FLAGS, 0o644)
    except FileNotFoundError:
        return None
    except OSError as error:
        if os.path.islink(path):  # O_NOFOLLOW met a symlink: ELOOP
            raise NotRegularFile(path) from None
        raise error
    if not stat.S_ISREG(os.fstat(handle).st_mode):  # a FIFO or socket planted under the name
        os.close(handle)
        raise NotRegularFile(path)
    return handle


def _is_current(handle: int, path: Path) -> bool:
    """The locked file is still the one at `path` (not unlinked by a holder leaving)."""
    try:
        here, there = os.fstat(handle), os.lstat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:  # another build's files arrived, or a parent still holds something
        pass
