"""Round 3 of the red team's findings: each message names what is wrong and how to fix it, and
`verify` refuses what a build never writes."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from compiler.build import manifest
from compiler.cli import main
from compiler.style.fontcheck import font_problem

SOURCE = ("title: Harbour inspection\nsubject: Westport Harbour Authority\npillars:\n  - title: Safety\n"
          "    grade: good\n    questions:\n      - title: How safe is the harbour?\n        grade: good\n"
          "        findings: |\n          The harbour is **safe**.\n")


# ---- 1. `-o` naming a folder -------------------------------------------------------------------

@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "harbour.yaml").write_text(SOURCE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_o_naming_a_folder_says_it_is_a_folder_and_offers_out(project, capsys):
    (project / "release").mkdir()
    assert main(["build", "sources/harbour.yaml", "-o", "release"]) == 2
    err = capsys.readouterr().err
    assert "-o release is a folder; -o names the one file to write" in err and "release/report.pdf" in err
    assert "use --out release instead of -o" in err and "has no extension" not in err
    assert sorted(p.name for p in (project / "release").iterdir()) == []


def test_o_naming_a_folder_with_an_extension_does_not_offer_out(project, capsys):
    # --out refuses a folder named like a file, so suggesting it would only fail again
    (project / "taken.pdf").mkdir()
    assert main(["build", "sources/harbour.yaml", "-o", "taken.pdf"]) == 2
    err = capsys.readouterr().err
    assert "-o taken.pdf is a folder" in err and "--out" not in err


def test_o_naming_no_folder_still_asks_for_an_extension(project, capsys):
    assert main(["build", "sources/harbour.yaml", "-o", "release"]) == 2
    err = capsys.readouterr().err
    assert "-o release: has no extension; the extension picks the format" in err
    assert "to build into a folder release, use --out instead of -o" in err
    # a path is named whole (`-o /tmp/x/o1/` was named "o1")
    assert main(["build", "sources/harbour.yaml", "-o", str(project / "deep" / "o1")]) == 2
    assert f"-o {project / 'deep' / 'o1'}: has no extension" in capsys.readouterr().err


# ---- 2. a font file that is not TrueType -------------------------------------------------------

FIX = "replace it with the font's TrueType (.ttf) file"


@pytest.mark.parametrize("start, said", [
    (b"\x89PNG\r\n\x1a\n", f"is a PNG image, not a TrueType font (.ttf); {FIX}"),
    (b"\xff\xd8\xff\xe0", f"is a JPEG image, not a TrueType font (.ttf); {FIX}"),
    (b"%PDF-1.7", f"is a PDF document, not a TrueType font (.ttf); {FIX}"),
    (b"PK\x03\x04", f"is a ZIP archive, not a TrueType font (.ttf); {FIX}"),
    (b"no font at all", f"is not a TrueType font (.ttf); {FIX}"),
])
def test_a_file_that_is_no_font_says_what_it_is_and_how_to_fix_it(tmp_path, start, said):
    (tmp_path / "x.ttf").write_bytes(start + b"\x00" * 100)
    assert font_problem(tmp_path / "x.ttf") == said


@pytest.mark.parametrize("signature, name", [(b"wOFF", "WOFF"), (b"wOF2", "WOFF2")])
def test_a_web_font_is_to_be_converted_to_ttf(tmp_path, signature, name):
    (tmp_path / "x.ttf").write_bytes(signature + b"\x00" * 100)
    problem = font_problem(tmp_path / "x.ttf")
    assert problem.startswith(f"is a {name} web font, not a TrueType font (.ttf); convert it to .ttf")


# ---- 3 and 4. manifests ------------------------------------------------------------------------

ARTEFACT = b"%PDF-1.7 a"


def record(**changes) -> dict:
    good = {"path": "a.pdf", "format": "pdf", "source": "sources/a.yaml", "id": "a", "size": len(ARTEFACT),
            "pages": 1, "sha256": hashlib.sha256(ARTEFACT).hexdigest()}
    return {**good, **changes}


def folder_with(tmp_path: Path, data: bytes) -> Path:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "manifest.json").write_bytes(data)
    (out / "a.pdf").write_bytes(ARTEFACT)
    return out


def manifest_bytes(*records: dict) -> bytes:
    return json.dumps({"format": 1, "reportc": "0.1.0", "artefacts": list(records)}).encode()


def test_a_manifest_saved_with_a_utf8_bom_still_verifies(tmp_path, capsys):
    out = folder_with(tmp_path, b"\xef\xbb\xbf" + manifest_bytes(record()))
    assert main(["verify", str(out)]) == 0
    assert "all 1 artefacts match" in capsys.readouterr().err


def test_a_manifest_saved_as_utf16_says_so_with_a_fix(tmp_path, capsys):
    out = folder_with(tmp_path, manifest_bytes(record()).decode().encode("utf-16"))
    assert main(["verify", str(out)]) == 1
    assert (f"{out}/manifest.json:1:1: error: not valid JSON: the file is saved as UTF-16; save it as UTF-8; "
            "build again to rewrite it (reportc build)") in capsys.readouterr().err


def test_broken_manifest_json_says_where_and_how_to_fix_it(tmp_path, capsys):
    out = folder_with(tmp_path, manifest_bytes(record()) + b"\n{}")
    assert main(["verify", str(out)]) == 1
    assert (f"{out}/manifest.json:2:1: error: not valid JSON: Extra data; build again to rewrite it "
            "(reportc build), or restore the manifest the build wrote") in capsys.readouterr().err


def test_an_unlisted_artefact_is_named_with_what_to_do(tmp_path, capsys):
    # a warning, not an error: a build of some sources or formats leaves others' files in place
    out = folder_with(tmp_path, manifest_bytes())
    assert main(["verify", str(out)]) == 0
    assert (f"{out}/a.pdf:1:1: warning: not in the manifest, so not checked (left over from another build?); "
            "delete it before shipping the folder") in capsys.readouterr().err


def test_an_unlisted_artefact_is_found_in_any_case(tmp_path, capsys):
    out = folder_with(tmp_path, manifest_bytes(record()))
    (out / "B.PDF").write_bytes(b"%PDF")
    assert main(["verify", str(out)]) == 0
    assert f"{out}/B.PDF:1:1: warning: not in the manifest" in capsys.readouterr().err


@pytest.mark.parametrize("source", ["../../../../etc/shadow", "/etc/shadow", "sources/../../x.yaml",
                                    "C:\\reports\\a.yaml", "sources//a.yaml", "./sources/a.yaml"])
def test_a_source_outside_the_project_is_refused(tmp_path, capsys, source):
    out = folder_with(tmp_path, manifest_bytes(record(source=source)))
    assert main(["verify", str(out)]) == 1
    assert 'not a reportc manifest: artefact 1 has no valid "source"' in capsys.readouterr().err


def test_sources_in_sub_folders_are_still_accepted():
    assert manifest.source_problem("sources/eastmoor-fire-2026-draft/report.yaml") is None


@pytest.mark.parametrize("changes, expected", [
    (dict(id="other"), "other.pdf"),  # the id changed
    (dict(path="manifest.json", size=0), "a.pdf"),  # a file the build never wrote as an artefact
    (dict(path="a.docx", format="docx", id="b"), "b.docx"),
])
def test_a_path_that_is_not_its_id_and_format_is_refused(tmp_path, capsys, changes, expected):
    out = folder_with(tmp_path, manifest_bytes(record(**changes)))
    assert main(["verify", str(out)]) == 1
    assert f"is not its id and format ('{expected}'); a build names every artefact <id>.<format>" in \
        capsys.readouterr().err


# ---- 5. places inside lists, from the outside in -----------------------------------------------

CHART = ("title: T\nsubject: S\npillars:\n  - title: Pillar\n    grade: good\n    questions:\n"
         "      - title: Q1\n        findings:\n          - chart:\n              type: line\n"
         "              caption: tiny\n              categories: [a, b]\n              series:\n"
         "                - name: s1\n                  values: [1, 0.00000000002]\n")


def test_a_chart_value_is_placed_from_the_outside_in(tmp_path, monkeypatch, capsys):
    (tmp_path / "r.yaml").write_text(CHART)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "r.yaml"]) == 1
    assert ("r.yaml:15:31: error: pillar 1 (Pillar), question 1 (Q1), `findings` item 1, `chart.series` item 1, "
            "`values` item 2: '0.00000000002' has 11 decimal places") in capsys.readouterr().err


def test_an_item_of_a_list_in_a_list_follows_its_list():
    from compiler.source.schemacheck import _at_item
    from compiler.source.yamltree import Scalar

    item = Scalar.__new__(Scalar)  # a title-less item: only its kind is looked at
    assert _at_item(("`rows` item 1",), 1, item) == ("`rows` item 1", "item 2")
    assert _at_item((), 0, item) == ("item 1",)
