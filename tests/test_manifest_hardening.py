"""Hostile manifests and command lines: `verify` and `manifest merge` read a manifest only if it is a
small regular file, parse it without tracebacks and check every field against bounds; verify opens
only regular files inside its folder. Path arguments and --shard are checked before any work: a
wrong one is a usage error (exit 2) with a message, never a traceback."""
from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.build import manifest
from compiler.build.shard import parse
from compiler.cli import main

from .conftest import ROOT, run_reportc

MEMORY_LIMIT = 1536 * 2**20  # 1.5 GB: reading /dev/zero whole took 4 GB


def run_bounded(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real command line with at most MEMORY_LIMIT of address space and 20 s."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=20, preexec_fn=limit, env={**os.environ, "PYTHONPATH": str(ROOT)})


def record(**changes) -> dict:
    data = b"%PDF-1.7 a"
    good = {"path": "a.pdf", "format": "pdf", "source": "sources/a.yaml", "id": "a", "size": len(data),
            "pages": 1, "sha256": hashlib.sha256(data).hexdigest()}
    return {**good, **changes}


def manifest_text(*records: dict, **top) -> str:
    return json.dumps({"format": 1, "reportc": "0.1.0", "artefacts": list(records), **top})


def folder_with(tmp_path: Path, text: str | bytes) -> Path:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "manifest.json").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    (out / "a.pdf").write_bytes(b"%PDF-1.7 a")
    return out


def test_a_good_manifest_still_verifies(tmp_path, capsys):
    assert main(["verify", str(folder_with(tmp_path, manifest_text(record())))]) == 0
    assert "all 1 artefacts match" in capsys.readouterr().err


# ---- the manifest file itself ----------------------------------------------------------------

@pytest.mark.parametrize("kind", ["symlink to /dev/zero", "fifo", "folder"])
def test_a_manifest_that_is_no_regular_file_is_refused_unread(tmp_path, kind):
    """Was: 4 GB of memory for /dev/zero, a hang for a FIFO."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / "manifest.json"
    {"symlink to /dev/zero": lambda: target.symlink_to("/dev/zero"), "fifo": lambda: os.mkfifo(target),
     "folder": lambda: target.mkdir()}[kind]()
    for args in (["verify", str(out)], ["manifest", "merge", str(target), "-o", str(tmp_path / "m.json")]):
        result = run_bounded(*args, cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        refused = "is a symbolic link" if kind.startswith("symlink") and args[0] == "verify" else "not a regular file"
        assert f"{target}:1:1: error: {refused}" in result.stderr
    assert not (tmp_path / "m.json").exists()


def test_verify_never_reads_the_folder_s_manifest_through_a_symlink(tmp_path, capsys):
    """A build folder's manifest.json linking to a file elsewhere (outside the project) was read
    and its artefacts reported as matching; an artefact that is a link was already refused."""
    out = folder_with(tmp_path, manifest_text(record()))
    elsewhere = tmp_path / "elsewhere.json"
    (out / "manifest.json").rename(elsewhere)
    (out / "manifest.json").symlink_to(elsewhere)
    assert main(["verify", str(out)]) == 1
    assert "manifest.json:1:1: error: is a symbolic link" in capsys.readouterr().err
    assert main(["verify", str(out / "manifest.json")]) == 0  # named itself: the user's own choice


def test_a_manifest_over_the_size_limit_is_refused(tmp_path, capsys):
    out = folder_with(tmp_path, b" " * manifest.MAX_MANIFEST_BYTES + b"{}")
    assert main(["verify", str(out)]) == 1
    assert "error: the manifest is over 16 MB" in capsys.readouterr().err


def _bad_json_cases() -> list:
    five_thousand_digits = manifest_text(record()).replace('"size": 10', '"size": ' + "9" * 5000)
    return [
        ("[" * 20_000 + "]" * 20_000, "nested too deeply"),  # RecursionError in the decoder
        ("[" * 200_000 + "]" * 200_000, "lists more than 50,000 artefacts"),  # refused before parsing
        ("[" + "[]," * 60_000 + "[]]", "lists more than 50,000 artefacts"),  # would be 60,000 lists
        (five_thousand_digits, "a number of 5,000 digits"),  # int() raised ValueError
        (manifest_text(record(size=float("nan"))), "NaN is not a JSON number"),
        ('{"format": 1, "format": 1, "reportc": "x", "artefacts": []}', "the key 'format' appears twice"),
        (b"\xff\xfe{}", "not valid JSON: the file is saved as UTF-16; save it as UTF-8"),
        ('{"format": 1, "reportc": "x", "artefacts": [', "not valid JSON: Expecting value"),
    ]


@pytest.mark.parametrize("text, message", _bad_json_cases())
def test_hostile_json_is_a_message_not_a_traceback(tmp_path, capsys, text, message):
    out = folder_with(tmp_path, text)
    assert main(["verify", str(out)]) == 1
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("changes, message", [
    (dict(path="a\0b.pdf"), '"path": holds a control character'),
    (dict(path="a" * 5000 + ".pdf"), '"path": is 5,004 characters long; at most 255'),
    (dict(path="é" * 200 + ".pdf"), '"path": the name is 404 bytes long; file names are at most 255'),
    (dict(path="../a.pdf"), "names a file outside its folder; refused"),
    (dict(path="/etc/passwd"), "names a file outside its folder; refused"),
    (dict(path="C:\\a.pdf"), "names a file outside its folder; refused"),
    (dict(path="sub/a.pdf"), "is not a plain file name"),
    (dict(path=""), "is not a plain file name"),
    (dict(source="\ud800"), '"source": is not valid Unicode'),
    (dict(source="s" * 5000), '"source": is 5,000 characters long'),
    (dict(size=-1), '"size": expected a whole number from 0 to 4,294,967,296 bytes'),
    (dict(size=2**40), '"size": expected a whole number'),
    (dict(size=True), '"size": expected a whole number'),
    (dict(pages="3"), '"pages": expected a whole number from 0 to 100,000'),
    (dict(sha256="AB" * 32), '"sha256": expected 64 lowercase hexadecimal digits'),
    (dict(sha256=["x"]), '"sha256": expected 64 lowercase hexadecimal digits'),
    (dict(format="exe"), '"format": expected "pdf" or "docx"'),
    (dict(extra=1), "artefact 1 has the unknown key 'extra'"),
])
def test_every_field_is_checked_against_its_bounds(tmp_path, capsys, changes, message):
    out = folder_with(tmp_path, manifest_text(record(**changes)))
    assert main(["verify", str(out)]) == 1
    assert f"{out}/manifest.json:1:1: error: not a reportc manifest: " in (err := capsys.readouterr().err)
    assert message in err


def test_every_problem_of_a_manifest_is_listed_at_once(tmp_path, capsys):
    text = manifest_text(record(size=-1), record(), {"path": "b.pdf"}, extra=1, reportc=7)
    assert main(["verify", str(folder_with(tmp_path, text))]) == 1
    err = capsys.readouterr().err
    for message in ('"reportc" expected a string', "unknown key 'extra'", 'artefact 1 has no valid "size"',
                    "artefact 2: a.pdf is listed twice", 'artefact 3 has no valid "sha256": it is missing'):
        assert message in err


def test_the_artefact_count_is_bounded(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(manifest, "MAX_ARTEFACTS", 3)
    records = [record(path=f"r{n}.pdf", id=f"r{n}") for n in range(4)]
    assert main(["verify", str(folder_with(tmp_path, manifest_text(*records)))]) == 1
    assert "lists more than 3 artefacts" in capsys.readouterr().err
    one, two = tmp_path / "1.json", tmp_path / "2.json"
    one.write_text(manifest_text(*records[:2]))
    two.write_text(manifest_text(*records[2:]))
    assert main(["manifest", "merge", str(one), str(two), "-o", str(tmp_path / "m.json")]) == 1
    assert "together the manifests list 4 artefacts; a manifest holds at most 3" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()


def test_merge_refuses_a_hostile_manifest_and_writes_nothing(tmp_path, capsys):
    """Was: a lone surrogate passed read() and broke dump() with UnicodeEncodeError."""
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(manifest_text(record()))
    bad.write_text(manifest_text(record(path="b.pdf", id="\ud800")))
    assert main(["manifest", "merge", str(good), str(bad), "-o", str(tmp_path / "m.json")]) == 1
    assert f"{bad}:1:1: error: not a reportc manifest: artefact 1 has no valid \"id\"" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()


# ---- the artefacts verify opens --------------------------------------------------------------

@pytest.mark.parametrize("kind, message", [
    ("symlink to /dev/zero", "is a symbolic link; reportc writes regular files"),
    ("symlink inside", "is a symbolic link; reportc writes regular files"),
    ("fifo", "is not a regular file (a folder, FIFO or device)"),
    ("folder", "is not a regular file (a folder, FIFO or device)"),
])
def test_verify_opens_only_regular_files_inside_its_folder(tmp_path, kind, message):
    """Was: a FIFO counted as missing, and a link to a same-content copy passed."""
    out = folder_with(tmp_path, manifest_text(record()))
    artefact = out / "a.pdf"
    (out / "copy.bin").write_bytes(artefact.read_bytes())
    artefact.unlink()
    {"symlink to /dev/zero": lambda: artefact.symlink_to("/dev/zero"), "symlink inside": lambda: artefact.symlink_to(
        "copy.bin"), "fifo": lambda: os.mkfifo(artefact), "folder": lambda: artefact.mkdir()}[kind]()
    result = run_bounded("verify", str(out), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{artefact}:1:1: error: {message}" in result.stderr


# ---- path arguments and --shard --------------------------------------------------------------

LONG = "n" * 300


@pytest.mark.parametrize("args, message", [
    (["build", "--out", "file", "--shard", "1/2"], "--out file is not a folder"),
    (["build", "--out", "file/sub"], "--out file/sub is under a file, not a folder"),
    (["build", "--out", LONG], f"--out {LONG[:79]}… has a name of 300 bytes; file and folder names are at most 255"),
    (["build", "--out", "a\0b"], "--out a\\x00b holds a NUL character"),
    (["build", "--out", "dangling"], "--out dangling is a broken symbolic link"),
    (["build", "--root", LONG], "--root nnn"),
    (["build", "--root", "missing"], "--root missing does not exist"),
    (["validate", "--root", "file"], "--root file is not a folder"),
    (["verify", LONG], "DIR nnn"),
    (["verify", "file/sub"], "DIR file/sub is under a file, not a folder"),
    (["manifest", "merge", LONG, "-o", "m.json"], "MANIFEST nnn"),
    (["manifest", "merge", "file", "-o", "folder"], "-o folder is a folder; name the file to write"),
    (["manifest", "merge", "file", "-o", "file/m.json"], "-o file/m.json is under a file, not a folder"),
])
def test_wrong_path_arguments_are_usage_errors(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("keep")
    (tmp_path / "folder").mkdir()
    (tmp_path / "dangling").symlink_to("nowhere")
    before = sorted(tmp_path.iterdir())
    assert main(args) == 2
    assert f"reportc: error: {message}" in capsys.readouterr().err
    assert sorted(tmp_path.iterdir()) == before and (tmp_path / "file").read_text() == "keep"


def test_an_out_file_with_a_shard_is_a_message_in_a_real_process(tmp_path):
    """Was a FileExistsError traceback: a shard made its out folder before anything checked it."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "out").write_text("keep")
    result = run_reportc("build", "--out", "out", "--shard", "1/2", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == "reportc: error: --out out is not a folder\n"


@pytest.mark.parametrize("text", ["١/٢", "１/２", "1/" + "9" * 5000, "1/10001", " 1/2", "1/2\n"],
                         ids=["arabic-indic", "fullwidth", "5000 digits", "over the limit", "space", "newline"])
def test_shard_takes_ascii_digits_only(text, capsys):
    with pytest.raises(ValueError):
        parse(text)
    assert main(["build", "--shard", text]) == 2
    assert "--shard" in capsys.readouterr().err


def test_shard_keeps_leading_zeros_and_the_largest_count():
    assert str(parse("01/0002")) == "1/2" and str(parse("10000/10000")) == "10000/10000"
    assert str(parse("0" * 5000 + "1/2")) == "1/2"  # int() alone refuses over 4,300 digits, zeros too


def test_jobs_takes_ascii_digits_only(capsys):
    assert main(["build", "--jobs", "٣"]) == 2
    assert "--jobs takes a whole number" in capsys.readouterr().err


def test_an_os_error_about_the_out_folder_is_a_message(tmp_path, monkeypatch, capsys):
    """Whatever the build meets in its out folder (read-only, full, removed) ends as a message;
    an OSError about any other file is a bug and still propagates."""
    from compiler.build import batch

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"

    def fails(paths, options, on_report):
        raise PermissionError(13, "Permission denied", str(out / "a.pdf"))

    monkeypatch.setattr(batch, "build_batch", fails)
    assert main(["build", "--out", "out"]) == 1
    assert capsys.readouterr().err == "reportc: error: --out out: cannot use the output folder (Permission denied)\n"

    def bug(paths, options, on_report):
        raise FileNotFoundError(2, "No such file or directory", str(tmp_path / "elsewhere"))

    monkeypatch.setattr(batch, "build_batch", bug)
    with pytest.raises(FileNotFoundError):
        main(["build", "--out", "out"])


def test_read_reports_a_file_name_no_system_call_takes(tmp_path):
    from compiler.diagnostics import Diagnostics

    diagnostics = Diagnostics()
    assert manifest.read(tmp_path / "a\0b.json", diagnostics) is None
    assert [d.message for d in diagnostics] == ["the file name holds a NUL character"]
    assert manifest.read(tmp_path / ("n" * 300), diagnostics) is None
    assert "cannot read the manifest (File name too long)" in [d.message for d in diagnostics]
