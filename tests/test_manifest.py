"""build/manifest.json: matches the files, is deterministic, `verify` finds every mismatch, and
`manifest merge` joins shards but refuses what cannot be one release."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import pytest

from compiler.build import manifest
from compiler.cli import main
from compiler.diagnostics import Diagnostics

from .test_batch import build, make_project, sources  # noqa: F401 (the fixture)


@pytest.fixture
def built(tmp_path, build) -> Path:  # noqa: F811
    project = make_project(tmp_path, sources(3))
    assert build(project)[0] == 0
    return project


def test_manifest_matches_the_files(built):
    from pypdf import PdfReader

    out = built / "build"
    listed = json.loads((out / "manifest.json").read_text())
    assert listed["format"] == 1 and listed["source_date"] == "2023-11-14"
    paths = [a["path"] for a in listed["artefacts"]]
    assert paths == sorted(paths) == sorted(p.name for p in out.glob("r*.*"))
    for artefact in listed["artefacts"]:
        data = (out / artefact["path"]).read_bytes()
        assert artefact["size"] == len(data) and artefact["sha256"] == hashlib.sha256(data).hexdigest()
        assert artefact["source"] == f"sources/{artefact['id']}.yaml"
        if artefact["format"] == "pdf":
            assert artefact["pages"] == len(PdfReader(out / artefact["path"]).pages)
        else:
            assert artefact["pages"] is None


def test_manifest_is_deterministic_and_reads_back():
    records = [manifest.Record(f"{name}.pdf", "pdf", f"sources/{name}.yaml", name, 10, 2, "ab" * 32)
               for name in ("b", "a", "c")]
    one, two = manifest.make(records, "2023-11-14"), manifest.make(list(reversed(records)), "2023-11-14")
    assert manifest.dump(one) == manifest.dump(two)
    assert [r.path for r in one.artefacts] == ["a.pdf", "b.pdf", "c.pdf"]
    assert json.loads(manifest.dump(one))["artefacts"][0]["path"] == "a.pdf"
    assert "source_date" not in json.loads(manifest.dump(manifest.make(records)))


def test_read_back(tmp_path):
    records = [manifest.Record("a.pdf", "pdf", "sources/a.yaml", "a", 10, None, "ab" * 32)]
    path = tmp_path / "manifest.json"
    path.write_bytes(manifest.dump(manifest.make(records, "2023-11-14")))
    assert manifest.read(path, Diagnostics()) == manifest.make(records, "2023-11-14")


def test_verify_passes_on_a_fresh_build(built, capsys):
    assert main(["verify", str(built / "build")]) == 0
    assert "all 6 artefacts match" in capsys.readouterr().err


def test_verify_names_every_mismatch(built, capsys):
    out = built / "build"
    data = (out / "r1.pdf").read_bytes()
    (out / "r1.pdf").write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same size, other bytes
    (out / "r2.docx").write_bytes(b"short")
    (out / "r3.pdf").unlink()
    (out / "stray.pdf").write_bytes(b"%PDF")
    assert main(["verify", str(out)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"{out}/r1.pdf:1:1: error: SHA-256 is ")
    assert lines[1] == f"{out}/r2.docx:1:1: error: is 5 bytes; the manifest says " + \
        str(next(a["size"] for a in json.loads((out / "manifest.json").read_text())["artefacts"]
                 if a["path"] == "r2.docx"))
    assert lines[2] == f"{out}/r3.pdf:1:1: error: missing: the manifest lists it (built from sources/r3.yaml)"
    assert lines[3] == (f"{out}/stray.pdf:1:1: warning: not in the manifest, so not checked (left over from "
                        "another build?); delete it before shipping the folder")
    assert lines[4] == f"reportc: 3 problem(s) in {out}"


def test_verify_without_a_manifest_or_with_a_broken_one(tmp_path, capsys):
    assert main(["verify", str(tmp_path)]) == 1
    assert "manifest.json:1:1: error: no manifest here" in capsys.readouterr().err
    (tmp_path / "manifest.json").write_text('{\n  "format": 1,\n  oops\n}\n')
    assert main(["verify", str(tmp_path)]) == 1
    assert f"{tmp_path}/manifest.json:3:3: error: not valid JSON" in capsys.readouterr().err
    (tmp_path / "manifest.json").write_text('{"format": 1, "reportc": "0.1.0", "artefacts": [{"path": "a.pdf"}]}')
    assert main(["verify", str(tmp_path)]) == 1
    assert "not a reportc manifest: artefact 1 has no valid \"format\"" in capsys.readouterr().err


def test_verify_refuses_paths_outside_the_folder(tmp_path, capsys):
    (tmp_path / "secret").write_text("x")
    record = manifest.Record("../secret", "pdf", "s.yaml", "s", 1, 1, "00" * 32)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "manifest.json").write_bytes(manifest.dump(manifest.make([record])))
    assert main(["verify", str(tmp_path / "out")]) == 1
    assert "names a file outside its folder" in capsys.readouterr().err


def _write(path: Path, *records: manifest.Record, date: str | None = "2023-11-14", version: str | None = None) -> str:
    made = manifest.make(records, date)
    made = replace(made, reportc=version) if version else made
    path.write_bytes(manifest.dump(made))
    return str(path)


A = manifest.Record("a.pdf", "pdf", "sources/a.yaml", "a", 10, 2, "aa" * 32)
B = manifest.Record("b.pdf", "pdf", "sources/b.yaml", "b", 10, 2, "bb" * 32)


def test_merge_joins_shards(tmp_path):
    one, two = _write(tmp_path / "1.json", B), _write(tmp_path / "2.json", A, B)
    assert main(["manifest", "merge", one, two, "-o", str(tmp_path / "out" / "manifest.json")]) == 0
    assert (tmp_path / "out" / "manifest.json").read_bytes() == manifest.dump(manifest.make([A, B], "2023-11-14"))


@pytest.mark.parametrize("other, message", [
    (dict(records=(replace(A, sha256="cc" * 32),)), "a.pdf (from sources/a.yaml) is also in"),
    (dict(records=(B,), date="2024-01-01"), "built with source_date 2024-01-01, but"),
    (dict(records=(B,), version="9.9"), "built with reportc 9.9, but"),
])
def test_merge_refuses_what_cannot_be_one_release(tmp_path, capsys, other, message):
    one = _write(tmp_path / "1.json", A)
    two = _write(tmp_path / "2.json", *other["records"], date=other.get("date", "2023-11-14"),
                 version=other.get("version"))
    assert main(["manifest", "merge", one, two, "-o", str(tmp_path / "m.json")]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()
