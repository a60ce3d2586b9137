"""The build cache is a hint, never an authority, and one build at a time writes a folder.

OUT/.reportc-cache.json may come from a restored CI cache or a shared folder: a crafted or
damaged one costs a rebuild and one `warning:` line, never a deleted or opened file outside the
project, a hang, or a traceback. Files planted under the cache's, the manifest's or an output's
name (a symlink to /dev/zero, a FIFO) are never read without bound or waited on. Two builds
into one output folder run one after the other: neither deletes the other's files in flight.
"""
from __future__ import annotations

import contextlib
import fcntl
import io
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compiler.build.cache import engine_fingerprint
from compiler.cli import main

from .test_files import TRACED  # the child that records every file `python -m compiler` opens

GOOD = "title: T {n}\nsubject: S\npillars:\n  - title: P\n    grade: good\n    summary: Report {n}.\n"
CACHE = ".reportc-cache.json"
DAMAGED = f"build/{CACHE}:1:1: warning: the build cache is damaged ("
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def make_project(root: Path, count: int = 1) -> Path:
    (root / "sources").mkdir(parents=True)
    for n in range(1, count + 1):
        (root / "sources" / f"r{n}.yaml").write_text(GOOD.format(n=n))
    return root


@pytest.fixture
def build(monkeypatch, capsys):
    """reportc build in this process: (exit code, statuses by source, stderr)."""

    def run(project: Path, *args: str):
        # reportc's code as it is on disk now, as a child process would fingerprint it
        engine_fingerprint.cache_clear()
        monkeypatch.chdir(project)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
        code = main(["build", "--json", "--jobs", "1", "--format", "pdf", *args])
        captured = capsys.readouterr()
        summary = json.loads(captured.out) if captured.out else {"reports": []}
        return code, {r["source"]: r["status"] for r in summary["reports"]}, captured.err

    return run


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("template") / "project", 3)
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(io.StringIO()):
        patch.chdir(project)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
        assert main(["build", "--jobs", "1", "--format", "pdf"]) == 0
    return project


@pytest.fixture
def built(tmp_path, template) -> Path:
    """A project with sources/r1.yaml .. r3.yaml, built into build/ (a copy of one build, mtimes
    kept: as a CI cache restores it)."""
    project = Path(shutil.copytree(template, tmp_path / "project", symlinks=True))
    write_cache(project, read_cache(project))
    return project


def limited_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))


def run_cli(project: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """The real command line in a child with 1.5 GB of memory and a timeout: a hang or an
    unbounded read fails the test instead of stalling it."""
    return subprocess.run([sys.executable, "-m", "compiler", "build", "--jobs", "1", "--format", "pdf", *args],
                          cwd=project, env={**os.environ, **EPOCH}, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limited_memory)


def read_cache(project: Path) -> dict:
    return json.loads((project / "build" / CACHE).read_text())


def write_cache(project: Path, cache: dict | bytes) -> None:
    """Stamped with reportc's code as it is on disk now: others may edit it while tests run."""
    if isinstance(cache, dict) and isinstance(cache.get("engine"), str):
        cache["engine"] = engine_fingerprint.__wrapped__()
    data = cache if isinstance(cache, bytes) else json.dumps(cache).encode()
    (project / "build" / CACHE).write_bytes(data)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- deleting: only reportc's own outputs, inside the output folder ---------------------------

@pytest.mark.parametrize("name", ["../outside.txt", "ABSOLUTE", "sub/../../outside.txt", "../build/../../outside.txt",
                                  "./r1.pdf", "sub/r1.pdf"])
def test_a_crafted_output_name_never_deletes_a_file_outside(built, build, name):
    out = built / "build"
    (out / "sub").mkdir()
    outside = built.parent / "outside.txt" if name == "ABSOLUTE" else Path(os.path.normpath(out / name))
    outside.write_bytes(b"precious")
    cache = read_cache(built)
    entry = cache["entries"]["sources/r1.yaml"]
    entry["outputs"][0].update(name=str(outside) if name == "ABSOLUTE" else name, sha256=sha256(outside), size=8)
    write_cache(built, cache)
    # r1 is rebuilt (its source changed): the old code removed every output it no longer writes
    (built / "sources/r1.yaml").write_text("id: renamed\n" + GOOD.format(n=1))
    code, status, stderr = build(built)
    assert code == 0, stderr
    assert outside.read_bytes() == b"precious"
    assert status["sources/r1.yaml"] == "built" and DAMAGED in stderr and "Traceback" not in stderr


def test_a_replaced_output_is_removed_only_when_it_is_ours(built, build):
    """The one legitimate deletion still works: r1 took another id, its old r1.pdf goes; a
    symlink under a recorded name is never followed to hash (or delete) what it points at."""
    outside = built.parent / "outside.pdf"
    shutil.copyfile(built / "build/r2.pdf", outside)
    (built / "build/r2.pdf").unlink()
    (built / "build/r2.pdf").symlink_to(outside)
    for n in (1, 2):
        (built / f"sources/r{n}.yaml").write_text(f"id: new{n}\n" + GOOD.format(n=n))
    code, status, stderr = build(built)
    assert code == 0, stderr
    assert not (built / "build/r1.pdf").exists() and (built / "build/new1.pdf").is_file()
    assert (built / "build/r2.pdf").is_symlink() and outside.read_bytes()[:5] == b"%PDF-"


# ---- opening: only regular files inside the project, never waited on ---------------------------

def test_input_keys_outside_the_project_are_never_opened(built):
    """Recorded with their true hashes, the old code opened each one and called r1-r3 up to date."""
    outside = built.parent / "secret.txt"
    outside.write_text("not for reportc")
    (built / "sources/link.txt").symlink_to(outside)
    cache = read_cache(built)
    for source, key in (("r1", str(outside)), ("r2", "../secret.txt"), ("r3", "sources/link.txt")):
        cache["entries"][f"sources/{source}.yaml"]["inputs"][key] = sha256(outside)
    write_cache(built, cache)
    child = subprocess.run([sys.executable, "-c", TRACED, "build", "--json", "--jobs", "1", "--format", "pdf"],
                           cwd=built, env={**os.environ, **EPOCH}, capture_output=True, text=True, timeout=60)
    trace = json.loads(child.stdout.splitlines()[-1])
    assert trace["code"] == 0, child.stderr
    assert not [p for _, p in trace["opened"] if Path(built, p).resolve() == outside.resolve()], trace["opened"]
    statuses = {r["source"]: r["status"] for r in json.loads("\n".join(child.stdout.splitlines()[:-1]))["reports"]}
    assert statuses == {f"sources/r{n}.yaml": "built" for n in (1, 2, 3)}
    assert DAMAGED in child.stderr and "2 entries are unusable" in child.stderr


def test_a_fifo_or_device_as_an_input_is_never_waited_on(built):
    os.mkfifo(built / "sources/pipe")
    cache = read_cache(built)
    cache["entries"]["sources/r1.yaml"]["inputs"]["sources/pipe"] = "0" * 64
    cache["entries"]["sources/r2.yaml"]["inputs"]["/dev/zero"] = "0" * 64
    write_cache(built, cache)
    result = run_cli(built, "sources/r1.yaml", "sources/r2.yaml", "-v", timeout=30)
    assert result.returncode == 0, result.stderr
    assert "built     sources/r1.yaml" in result.stderr and "built     sources/r2.yaml" in result.stderr
    assert DAMAGED in result.stderr and "Traceback" not in result.stderr


# ---- damaged caches: a warning and a rebuild ---------------------------------------------------

def _entry(cache: dict) -> dict:
    return cache["entries"]["sources/r1.yaml"]


def _set(*path, value):
    def change(cache: dict) -> None:
        target = _entry(cache)
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _rename_entry(new: str):
    def change(cache: dict) -> None:
        cache["entries"][new] = cache["entries"].pop("sources/r1.yaml")
    return change


def _raw_size(text: bytes):
    """Replaces r1's pdf size in the cache's bytes (JSON cannot write these values itself)."""
    return lambda data, cache: data.replace(f'"size": {_entry(cache)["outputs"][0]["size"]}'.encode(),
                                            b'"size": ' + text)


MALFORMED = {
    "id is a number": _set("id", value=7),
    "id with a slash": _set("id", value="../r1"),
    "outputs are an object": _set("outputs", value={"name": "r1.pdf"}),
    "size is text": _set("outputs", 0, "size", value="48802"),
    "size is true": _set("outputs", 0, "size", value=True),
    "size is 10**30": _set("outputs", 0, "size", value=10**30),
    "pages are negative": _set("outputs", 0, "pages", value=-1),
    "hash is not hex": _set("outputs", 0, "sha256", value="x" * 64),
    "output name with NUL": _set("outputs", 0, "name", value="r1.pdf\x00"),
    "output name of another format": _set("outputs", 0, "name", value="r1.docx"),
    "input key with NUL": _set("inputs", "sources/r1.yaml\x00", value=None),
    "input key with a lone surrogate": _set("inputs", "sources/\ud800.yaml", value=None),
    "input key with ..": _set("inputs", "sources/../sources/r1.yaml", value=None),
    "input hash is a list": _set("inputs", "sources/r1.yaml", value=["a"]),
    "options hold an unknown format": _set("options", "formats", value=["pdf", "exe"]),
    "missing key": lambda cache: _entry(cache).pop("inputs"),
    "extra key": _set("extra", value=1),
    "source name with ..": _rename_entry("sources/../sources/r1.yaml"),
    "source name is absolute": _rename_entry("/etc/passwd"),
    "5,000-digit integer": _raw_size(b"9" * 5000),
    "1e999": _raw_size(b"1e999"),
    "NaN": _raw_size(b"NaN"),
    "nested 100,000 deep": lambda data, cache: b"[" * 100_000 + b"]" * 100_000,
    "nested deep in an entry": _raw_size(b"[" * 100_000 + b"]" * 100_000),
    "not JSON": lambda data, cache: b"\xff\xfe{",
    "a list": lambda data, cache: b"[]",
    "entries are a list": lambda cache: cache.update(entries=[cache["entries"]]),
    "30,000 entries": lambda cache: cache.update(entries={f"s{n}": {} for n in range(30_000)}),
    "5 million empty arrays": lambda data, cache: b'{"x": [' + b"[]," * 5_000_000 + b"[]]}",
    "over 32 MB": lambda data, cache: data + b" " * (33 * 2**20),
}


@pytest.mark.parametrize("damage", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_damaged_cache_costs_a_rebuild_and_a_warning(built, build, damage):
    cache = read_cache(built)
    if damage.__code__.co_argcount == 2:  # works on the bytes
        write_cache(built, damage(json.dumps(cache, indent=1).encode(), cache))
    else:
        damage(cache)
        write_cache(built, cache)
    code, status, stderr = build(built, "sources/r1.yaml")
    assert code == 0 and "Traceback" not in stderr, stderr
    assert DAMAGED in stderr and status == {"sources/r1.yaml": "built"}, stderr
    assert stderr.count("\n") <= 2 and len(stderr) < 600  # one line, however big the damage
    code, status, stderr = build(built, "sources/r1.yaml")  # the cache it wrote is whole again
    assert code == 0 and status == {"sources/r1.yaml": "skipped"} and "warning" not in stderr, stderr


# ---- planted files under the cache's, manifest's and outputs' names ---------------------------

@pytest.mark.parametrize("cache, manifest", [("dev-zero", "fifo"), ("fifo", "dev-zero")])
def test_planted_cache_and_manifest_are_never_read_without_bound(built, cache, manifest):
    out = built / "build"
    for name, kind in ((CACHE, cache), ("manifest.json", manifest)):
        (out / name).unlink()
        if kind == "fifo":
            os.mkfifo(out / name)
        else:
            (out / name).symlink_to("/dev/zero")
    result = run_cli(built, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert DAMAGED + "it cannot be read: not a regular file); rebuilding everything" in result.stderr
    for name in (CACHE, "manifest.json"):  # replaced by the real thing, never written through
        assert (out / name).is_file() and not (out / name).is_symlink()
        json.loads((out / name).read_text())
    assert main(["verify", str(out)]) == 0


def test_an_output_replaced_by_a_symlink_or_fifo_is_rebuilt(built, build):
    out = built / "build"
    outside = built.parent / "copy.pdf"
    shutil.copyfile(out / "r1.pdf", outside)  # the same bytes: the old code hashed it and called r1 up to date
    (out / "r1.pdf").unlink()
    (out / "r1.pdf").symlink_to(outside)
    (out / "r2.pdf").unlink()
    os.mkfifo(out / "r2.pdf")
    code, status, stderr = build(built, "-v")
    assert code == 0, stderr
    assert status == {"sources/r1.yaml": "built", "sources/r2.yaml": "built", "sources/r3.yaml": "skipped"}
    assert "r1.pdf is not a regular file" in stderr and "r2.pdf is not a regular file" in stderr
    for name in ("r1.pdf", "r2.pdf"):
        assert (out / name).is_file() and not (out / name).is_symlink()
    assert outside.read_bytes() == (out / "r1.pdf").read_bytes()  # untouched


# ---- concurrent builds into one folder ---------------------------------------------------------

def start_build(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "compiler", "build", "--jobs", "2", *args], cwd=project,
                            env={**os.environ, **EPOCH}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


def test_a_second_build_waits_and_leaves_the_first_ones_files_alone(built):
    out = built / "build"
    in_flight = out / ".r1.pdf.abcd1234.tmp"  # another build's write, not finished yet
    in_flight.write_bytes(b"%PDF-1.4 half")
    holder = os.open(out / ".reportc.lock", os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        (built / "sources/r1.yaml").write_text(GOOD.format(n=99))
        child = start_build(built, "--format", "pdf")
        assert child.stderr.readline() == "reportc: waiting for another build writing build/ ...\n"
        assert in_flight.exists() and child.poll() is None
    finally:
        os.close(holder)  # the first build is done (or was killed: the kernel drops its lock)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 0, stderr
    assert not in_flight.exists()  # a dead writer's leftover now: removed under the lock
    assert main(["verify", str(out)]) == 0


def test_two_concurrent_builds_both_succeed_and_record_every_report(tmp_path):
    project = make_project(tmp_path, 6)
    children = [start_build(project, "-q", "--format", "pdf"), start_build(project, "-q", "--format", "pdf")]
    for child in children:
        _, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, stderr
    out = project / "build"
    listed = json.loads((out / "manifest.json").read_text())["artefacts"]
    assert sorted(a["path"] for a in listed) == sorted(f"r{n}.pdf" for n in range(1, 7))
    assert ".reportc.lock" not in {a["path"] for a in listed}
    assert not list(out.glob(".*.tmp"))
    assert main(["verify", str(out)]) == 0


def children_of(pid: int) -> list[int]:
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(status.rsplit(")", 1)[1].split()[1]) == pid:  # the field after the state: the parent
            found.append(int(entry))
    return found


def test_workers_of_a_killed_build_do_not_keep_the_lock(tmp_path):
    """Only the main process is killed: its pool's workers live on, idle, and must not make
    every later build wait for them."""
    project = make_project(tmp_path, 8)
    child = start_build(project, "--format", "pdf")
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while len(workers) < 2 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
        workers = children_of(child.pid)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    try:
        assert len(workers) == 2
        handle = os.open(project / "build/.reportc.lock", os.O_RDWR)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError while a worker holds it
        finally:
            os.close(handle)
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_a_planted_lock_symlink_is_refused_and_never_followed(built, build):
    target = built.parent / "created-through-the-link"
    (built / "build/.reportc.lock").unlink()
    (built / "build/.reportc.lock").symlink_to(target)
    code, _, stderr = build(built)
    assert code == 1
    assert "build/.reportc.lock:1:1: error: cannot lock the output folder (not a regular file)" in stderr
    assert not target.exists()


def test_a_build_that_writes_nothing_leaves_no_folder(tmp_path, build):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources/bad.yaml").write_text("title: [\n")
    code, _, _ = build(tmp_path, "--out", "deep/er/out")
    assert code == 1 and not (tmp_path / "deep").exists()


# ---- found by fuzz/fuzz_validate.py --target cache ---------------------------------------------

def test_an_entry_with_fewer_outputs_than_formats_is_not_up_to_date(built, build):
    cache = read_cache(built)
    cache["entries"]["sources/r1.yaml"]["outputs"] = []
    write_cache(built, cache)
    (built / "build" / "r1.pdf").unlink()
    code, status, stderr = build(built, "sources/r1.yaml")
    assert code == 0 and status == {"sources/r1.yaml": "built"}, stderr
    assert (built / "build" / "r1.pdf").is_file()
    listed = json.loads((built / "build" / "manifest.json").read_text())["artefacts"]
    assert [artefact["path"] for artefact in listed] == ["r1.pdf"]


def test_a_wrong_hash_at_the_right_size_and_mtime_is_rebuilt_not_copied_into_the_manifest(built, build):
    cache = read_cache(built)
    cache["entries"]["sources/r1.yaml"]["outputs"][0]["sha256"] = "0" * 64
    write_cache(built, cache)
    code, status, stderr = build(built, "sources/r1.yaml")
    assert code == 0 and status == {"sources/r1.yaml": "built"}, stderr
    assert main(["verify", str(built / "build")]) == 0
