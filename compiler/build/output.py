"""Writing artefacts: atomically (a reader sees the old file or the new one, never a part)."""
from __future__ import annotations

import os
import re
from pathlib import Path

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
    leaves any). Only names write_atomic makes for our own outputs are touched. A build calls
    this only while holding the folder's lock (see lock.py): no other build is writing there
    then, so every such file is a dead writer's. (A writer's pid in the name would not say
    more: pids repeat across containers sharing a folder, and are reused.)"""
    if out_dir.is_dir():
        for path in out_dir.glob(".*.tmp"):
            if _LEFTOVER.match(path.name):
                path.unlink(missing_ok=True)


_LEFTOVER = re.compile(r"\..+\.(pdf|docx|html|json)\.[A-Za-z0-9_]{8}\.tmp\Z")


def write_if_changed(target: Path, data: bytes) -> None:
    """A no-op build leaves the cache and manifest untouched: no write, no fsync, same mtime.
    The old file is read only if it is a regular file, and never past the new one's length: a
    symlink to /dev/zero or a FIFO planted under its name is replaced, never read or waited on."""
    from .safefile import read_regular

    try:
        if read_regular(target, len(data)) == data:
            return
    except (OSError, ValueError):
        pass
    write_atomic(target, data)
