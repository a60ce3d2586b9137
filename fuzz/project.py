"""What the fuzz targets share: a tiny project built once, the checks every outcome must pass,
and findings already reported (counted, not failed)."""
from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import stat
import tempfile
from datetime import date
from pathlib import Path

DIAGNOSTIC = re.compile(r"[^\n]+:\d+:\d+: (error|warning): [^\n]+")
# What no line reportc prints may hold raw (diagnostics.escape_untrusted's rule): line breaks,
# C0 and C1 controls, bidi controls.
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
TINY_SOURCE = "title: Fuzz {n}\nsubject: S\n{status}pillars:\n  - title: P\n    grade: good\n    summary: Report {n}.\n"
SOURCE_DATE = date(2023, 11, 14)


class KnownFinding(Exception):
    """An outcome that is wrong but already reported (see the target's KNOWN): counted and
    saved once, not a failure, unless the run is told to fail on it."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


def temporary_folder(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"reportc-fuzz-{prefix}-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


class TinyProject:
    """ROOT/canary.txt beside ROOT/project/ with one valid source, sources/r1.yaml, built
    (DOCX only: the fastest format) into ROOT/project/build in this process, one job."""

    def __init__(self, name: str, draft: bool = False) -> None:
        from compiler.build.batch import BatchOptions
        from compiler.build.report import BuildOptions
        from compiler.source.paths import Roots

        self.root = temporary_folder(name)
        self.canary = self.root / "canary.txt"
        self.canary.write_text("reportc must never change or remove this file\n")
        self.project = self.root / "project"
        (self.project / "sources").mkdir(parents=True)
        (self.project / "sources" / "r1.yaml").write_text(
            TINY_SOURCE.format(n=1, status="status: draft\n" if draft else ""))
        self.out = self.project / "build"
        self.options = BatchOptions(BuildOptions(Roots.at(self.project), self.out, ("docx",),
                                                 source_date=SOURCE_DATE), jobs=1)
        result = self.build()
        if not result.ok:
            raise RuntimeError(f"the tiny project does not build: {[d.format() for d in result.diagnostics]}")

    def build(self):
        from compiler.build.batch import build_batch

        return build_batch([str(self.project / "sources")], self.options)


def check_diagnostics(diagnostics) -> None:
    """Each one a single `FILE:LINE:COL: severity: message` line with real positions."""
    for diagnostic in diagnostics:
        line = diagnostic.format()
        if not DIAGNOSTIC.fullmatch(line) or diagnostic.span.line < 1 or diagnostic.span.col < 1:
            raise AssertionError(f"malformed diagnostic: {line!r}")


def check_printable(line: str, what: str) -> None:
    """A line reportc prints: nothing raw that forges a line or drives the terminal, and
    encodable (a lone surrogate would fail in print())."""
    if RAW_CONTROL.search(line):
        raise AssertionError(f"{what} holds a raw control character: {line!r}")
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as error:
        raise AssertionError(f"{what} cannot be printed ({error}): {line!r}") from None


# ---- files reportc must leave alone -------------------------------------------------------

def snapshot(folder: Path, skip: Path | None = None, hashed: bool = True) -> dict[str, tuple]:
    """Every entry under `folder` (but `skip`): its type, size, mtime and, for small files, hash."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        if skip is not None:
            dirnames[:] = [name for name in dirnames if here / name != skip]
        for name in dirnames + filenames:
            path = here / name
            info = os.lstat(path)
            digest = None
            if hashed and stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns, digest)
    return state


def check_unchanged(before: dict, after: dict, where: Path) -> None:
    if before != after:
        changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
        raise AssertionError(f"files outside the output folder changed under {where}: {changed[:10]}")


class SavedFolder:
    """The files of a folder as they are now, put back exactly (bytes and mtimes) on restore();
    anything added since is removed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = {}
        for path in folder.iterdir():
            info = path.lstat()
            self.files[path.name] = (path.read_bytes(), info.st_mtime_ns)

    def restore(self) -> None:
        for path in list(self.folder.iterdir()):
            if path.name not in self.files:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
        for name, (data, mtime_ns) in self.files.items():
            path = self.folder / name
            if path.is_symlink() or not path.is_file():
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink(missing_ok=True)
            path.write_bytes(data)
            os.utime(path, ns=(mtime_ns, mtime_ns))
