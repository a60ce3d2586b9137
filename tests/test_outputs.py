"""Outputs under faults: with a fault injected at each writing stage (an exception in a renderer,
a full disk at each step of writing each file, a kill at each step), the output folder holds
only complete files from this run or the untouched files of the run before, and no temporary
files once reportc has exited (or, after a kill, once the next build has run).

tests/test_batch.py covers the batch machinery's own kills (a process group killed part-way
through a parallel build); here every single write is targeted in turn.
"""
from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from compiler import cli

from .conftest import ROOT

OLD = "title: Old title\nsubject: S\npillars:\n  - title: P\n    grade: good\n"
NEW = OLD.replace("Old title", "New title")
ARTEFACTS = ("r.pdf", "r.docx")
RECORDS = ("manifest.json", ".reportc-cache.json")


def build(project: Path, out: str = "out") -> tuple[int, str]:
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["build", "--root", str(project), "--jobs", "1", "--out", str(project / out),
                         str(project / "sources" / "r.yaml")])
    return code, stderr.getvalue()


@pytest.fixture
def project(tmp_path) -> dict:
    """A project built once with the old source (into out/), then given a new source whose
    complete outputs are built into ref/ for comparison."""
    (tmp_path / "sources").mkdir()
    source = tmp_path / "sources" / "r.yaml"
    source.write_text(OLD)
    assert build(tmp_path)[0] == 0
    old = {name: (tmp_path / "out" / name).read_bytes() for name in ARTEFACTS}
    source.write_text(NEW)
    assert build(tmp_path, "ref")[0] == 0
    new = {name: (tmp_path / "ref" / name).read_bytes() for name in ARTEFACTS}
    assert all(old[name] != new[name] for name in ARTEFACTS)
    return {"root": tmp_path, "out": tmp_path / "out", "old": old, "new": new}


def assert_only_complete_files(project: dict, temporary_allowed: bool = False) -> dict[str, str]:
    """Every artefact is the old or the new complete file; records parse; nothing else is there.
    Returns which version each artefact is."""
    versions = {}
    for path in project["out"].iterdir():
        if path.name in ARTEFACTS:
            data = path.read_bytes()
            assert data in (project["old"][path.name], project["new"][path.name]), f"{path.name} is neither"
            versions[path.name] = "old" if data == project["old"][path.name] else "new"
        elif path.name in RECORDS:
            json.loads(path.read_text())
        elif path.name == ".reportc.lock":  # one build at a time (compiler/build/lock.py): empty, no artefact
            assert path.stat().st_size == 0
        else:
            assert temporary_allowed and path.name.endswith(".tmp"), f"unexpected {path.name}"
    assert set(versions) == set(ARTEFACTS)
    return versions


def fd_name(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


# ---- an exception in a renderer ------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_renderer_that_raises_writes_nothing(project, monkeypatch, fmt):
    from compiler import render

    real = render.renderer_for

    def failing(name):
        if name != fmt:
            return real(name)

        def render_(document, options, diagnostics):
            raise RuntimeError("injected renderer bug")
        return render_

    monkeypatch.setattr(render, "renderer_for", failing)
    code, stderr = build(project["root"])
    assert code == 1 and "internal error while building (RuntimeError: injected renderer bug)" in stderr
    assert assert_only_complete_files(project) == {"r.pdf": "old", "r.docx": "old"}


# ---- a full disk at each step of writing each file ------------------------------------------

def no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class HalfWritten(io.FileIO):
    """A file that takes half of what it is given, then finds the disk full."""

    def write(self, data) -> int:
        super().write(bytes(data)[: len(data) // 2])
        no_space()


def inject_full_disk(monkeypatch, step: str, target: str) -> None:
    """ENOSPC at `step` of writing `target` (a name such as r.docx); every other write works."""
    if step == "create":
        real_mkstemp = tempfile.mkstemp
        monkeypatch.setattr(tempfile, "mkstemp", lambda prefix="", **kw: no_space() if prefix == f".{target}."
                            else real_mkstemp(prefix=prefix, **kw))
    elif step == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda fd, mode="r", *a, **kw: HalfWritten(fd, "wb")
                            if f"/.{target}." in fd_name(fd) else real_fdopen(fd, mode, *a, **kw))
    elif step == "fsync":
        real_fsync = os.fsync
        monkeypatch.setattr(os, "fsync", lambda fd: no_space() if f"/.{target}." in fd_name(fd) else real_fsync(fd))
    elif step == "rename":
        real_replace = os.replace
        monkeypatch.setattr(os, "replace", lambda source, destination, **kw: no_space()
                            if Path(destination).name == target else real_replace(source, destination, **kw))


@pytest.mark.parametrize("step", ["create", "write", "fsync", "rename"])
@pytest.mark.parametrize("target", ["r.pdf", "r.docx"])
def test_a_full_disk_at_any_step_leaves_complete_files(project, monkeypatch, step, target):
    inject_full_disk(monkeypatch, step, target)
    code, stderr = build(project["root"])
    assert code == 1 and "error: cannot write the output: No space left on device" in stderr, stderr
    versions = assert_only_complete_files(project)
    assert versions[target] == "old"
    # the PDF is written first: a DOCX that cannot be written leaves the new PDF beside the old DOCX
    assert versions == ({"r.pdf": "new", "r.docx": "old"} if target == "r.docx" else {"r.pdf": "old", "r.docx": "old"})
    monkeypatch.undo()
    assert build(project["root"])[0] == 0, "the failed report must be rebuilt next time"
    assert assert_only_complete_files(project) == {"r.pdf": "new", "r.docx": "new"}


@pytest.mark.parametrize("record", RECORDS)
def test_a_full_disk_for_the_build_records_keeps_them_whole(project, monkeypatch, record):
    inject_full_disk(monkeypatch, "write", record)
    code, stderr = build(project["root"])
    assert code == 1 and "No space left on device" in stderr
    assert_only_complete_files(project)


# ---- a kill at each step ---------------------------------------------------------------------

# The child builds in-process and SIGKILLs itself at the chosen step of writing the chosen file:
# nothing in reportc runs after that, so whatever is on disk is what a power cut would leave.
KILLED = """
import os, signal, sys, tempfile
from pathlib import Path
step, target = sys.argv[1], sys.argv[2]
def die(*_):
    os.kill(os.getpid(), signal.SIGKILL)
def at(name):
    return f"/.{target}." in name
if step == "write":
    real_fdopen = os.fdopen
    class Dying:
        def __init__(self, stream): self.stream = stream
        def __enter__(self): return self
        def __exit__(self, *exc): return False
        def write(self, data):
            self.stream.write(data[: len(data) // 2]); self.stream.flush(); die()
        def __getattr__(self, name): return getattr(self.stream, name)
    os.fdopen = lambda fd, mode="r", *a, **kw: Dying(real_fdopen(fd, mode, *a, **kw)) \\
        if at(os.readlink(f"/proc/self/fd/{fd}")) else real_fdopen(fd, mode, *a, **kw)
elif step == "fsync":
    real_fsync = os.fsync
    os.fsync = lambda fd: die() if at(os.readlink(f"/proc/self/fd/{fd}")) else real_fsync(fd)
elif step == "rename":
    real_replace = os.replace
    os.replace = lambda a, b, **kw: die() if Path(b).name == target else real_replace(a, b, **kw)
elif step == "renamed":
    real_replace = os.replace
    def replace_then_die(a, b, **kw):
        real_replace(a, b, **kw)
        if Path(b).name == target:
            die()
    os.replace = replace_then_die
from compiler.cli import main
main(sys.argv[3:])
"""


KILLS = [(step, target) for target in ("r.pdf", "r.docx") for step in ("write", "fsync", "rename", "renamed")]
KILLS += [("write", "manifest.json"), ("renamed", "manifest.json")]


@pytest.mark.parametrize("step, target", KILLS)
def test_a_kill_at_any_step_leaves_complete_files(project, step, target):
    root = project["root"]
    args = ["build", "--root", str(root), "--jobs", "1", "--out", str(project["out"]), str(root / "sources" / "r.yaml")]
    child = subprocess.run([sys.executable, "-c", KILLED, step, target, *args], cwd=root, capture_output=True,
                           text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.returncode == -signal.SIGKILL, child.stderr
    versions = assert_only_complete_files(project, temporary_allowed=True)
    if target == "manifest.json" or step == "renamed" and target == "r.docx":
        assert versions == {"r.pdf": "new", "r.docx": "new"}
    elif target == "r.docx":
        assert versions == {"r.pdf": "new", "r.docx": "old"}
    elif step == "renamed":
        assert versions == {"r.pdf": "new", "r.docx": "old"}
    else:
        assert versions == {"r.pdf": "old", "r.docx": "old"}
    # the next build finishes the job and removes what the killed one could not
    assert build(root)[0] == 0
    assert assert_only_complete_files(project) == {"r.pdf": "new", "r.docx": "new"}
