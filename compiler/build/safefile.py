"""Reading files that anyone with write access to a folder may have planted: the build cache,
the old cache and manifest compared before a write, outputs checked for changes, and the
inputs a (possibly restored or shared) cache names.

Every read here opens without following a final symlink (O_NOFOLLOW), without waiting for a
writer (O_NONBLOCK: opening a FIFO for reading otherwise blocks until someone writes), refuses
anything fstat does not call a regular file (a FIFO, /dev/zero, a socket), and reads at most
the limit plus one byte: a planted file costs at most one bounded read, never a hang.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from pathlib import Path

from ..diagnostics import excerpt

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CHUNK = 1 << 20


class NotRegularFile(OSError):
    """A symlink, FIFO, device or socket where reportc expects a file it could have written."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EINVAL, "not a regular file", str(path))


def open_regular(path: Path, follow: bool = False) -> int:
    """A read-only descriptor on `path`, which must be a regular file (and, unless `follow`,
    not a symlink). OSError otherwise."""
    flags = os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        # A device is never opened (opening one can have effects); fstat below catches a swap.
        if not stat.S_ISREG((os.stat if follow else os.lstat)(path).st_mode):
            raise NotRegularFile(path)
        handle = os.open(path, flags | (0 if follow else _NOFOLLOW))
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW met a symlink
            raise NotRegularFile(path) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise NotRegularFile(path)
    except BaseException:
        os.close(handle)
        raise
    return handle


def read_regular(path: Path, limit: int, follow: bool = False) -> bytes | None:
    """The bytes of a regular file; None when it is over `limit` bytes. OSError when it is
    missing, unreadable, a symlink (unless `follow`) or not a regular file."""
    with os.fdopen(open_regular(path, follow), "rb") as stream:
        data = stream.read(limit + 1)  # a file growing while it is read is still bounded
    return None if len(data) > limit else data


def sha256_regular(path: Path, limit: int | None = None, follow: bool = False) -> str | None:
    """SHA-256 of a regular file; None when it is missing, unreadable, not a regular file, a
    symlink (unless `follow`) or over `limit` bytes."""
    digest = hashlib.sha256()
    try:
        with os.fdopen(open_regular(path, follow), "rb") as stream:
            if limit is not None and os.fstat(stream.fileno()).st_size > limit:
                return None
            read = 0
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                read += len(chunk)
                if limit is not None and read > limit:  # grew since fstat
                    return None
                digest.update(chunk)
    except (OSError, ValueError):  # ValueError: a name with NUL or an unencodable character
        return None
    return digest.hexdigest()


def lstat_regular(path: Path) -> os.stat_result | None:
    """The status of `path` itself when it is a regular file (not a symlink); else None."""
    try:
        status = os.lstat(path)
    except (OSError, ValueError):
        return None
    return status if stat.S_ISREG(status.st_mode) else None


class UntrustedJSON(ValueError):
    """JSON refused before or while parsing; the message says why, for a reader to pass on, and
    `line` and `col` where, when the parser knows."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.line, self.col = line, col


_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)  # linear: possessive; an unclosed one ends the text
MAX_DIGITS = 20  # sizes, pages and mtimes; int() refuses 4,300 digits and builds huge ones below


def parse_json(data: bytes, max_containers: int, too_many: str) -> object:
    """JSON from a file anyone may have written, bounded: arrays and objects are counted before
    parsing (16 MB of `[]` would be millions of lists), nesting deeper than Python's recursion
    limit, numbers of more than MAX_DIGITS digits, NaN and Infinity and a key repeated in one
    object are refused. UntrustedJSON says why; `too_many` is its message for too many containers."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UntrustedJSON("not valid JSON: the file is not UTF-8") from None
    if _containers(text, max_containers) > max_containers:
        raise UntrustedJSON(too_many)
    try:
        return json.loads(text, parse_int=_small_int, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except RecursionError:  # the C decoder stops cleanly at Python's recursion limit
        raise UntrustedJSON("nested too deeply") from None
    except json.JSONDecodeError as error:
        raise UntrustedJSON(f"not valid JSON: {error.msg}", error.lineno, error.colno) from None


def _containers(text: str, bound: int) -> int:
    """Arrays and objects in JSON text. Brackets inside strings are only removed (slower) when
    the plain count is over the bound: real files rarely have any."""
    count = text.count("[") + text.count("{")
    if count <= bound:
        return count
    bare = _STRING.sub("", text)
    return bare.count("[") + bare.count("{")


def _small_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise UntrustedJSON(f"a number of {len(digits):,} digits; no size or count has more than {MAX_DIGITS}")
    return int(digits)


def _no_constant(name: str) -> None:
    raise UntrustedJSON(f"not valid JSON: {name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """Two values for one key: which one a reader takes is not defined, so neither is trusted."""
    found: dict = {}
    for key, value in pairs:
        if key in found:
            raise UntrustedJSON(f"the key {excerpt(key)!r} appears twice in one object")
        found[key] = value
    return found
