"""`reportc review` of drafts edited by someone who knows the format: a source map naming a FIFO
in the project, a part compressed with LZMA or bzip2 and then damaged, a field path with a
5,000-digit list index, and file names XML cannot hold. Each is a clear answer or an error
naming the file, within seconds: never a hang or a traceback."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import ROOT

MAP = "urn:reportc:sourcemap:1"


def reportc(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """The command line with a short timeout: a hang fails the test instead of stalling it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A new project whose sample is a draft, built to d.docx beside it."""
    folder = tmp_path_factory.mktemp("hostile-review") / "p"
    assert reportc("init", str(folder), cwd=ROOT).returncode == 0
    sample = (folder / "sources" / "kestrel-valley-2025.yaml").read_text()
    (folder / "sources" / "kestrel-valley-2025.yaml").unlink()
    (folder / "sources" / "d.yaml").write_text(sample.replace("status: final", "status: draft"))
    result = reportc("build", "sources/d.yaml", "--format", "docx", "--out", "../out", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def changed(project):
    """The draft's source changed since the build (so each mark is looked for again), for one test."""
    source = project / "sources" / "d.yaml"
    original = source.read_text()
    source.write_text(original.replace("This report sets out our findings", "This report gives our findings"))
    yield source
    source.write_text(original)


def draft(project: Path) -> Path:
    return project.parent / "out" / "d.docx"


def rewritten(project: Path, name: str, map_edit=None, compress: dict | None = None) -> Path:
    """The draft with its source map edited (bytes -> bytes) and parts compressed as given."""
    target = project.parent / name
    with zipfile.ZipFile(draft(project)) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if map_edit and info.filename.startswith("customXml/item") and b"sourcemap" in data:
                data = map_edit(data)
            out.writestr(info.filename, data, compress_type=(compress or {}).get(info.filename, zipfile.ZIP_DEFLATED))
    return target


def assert_clean(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-3000:]


# ---- H2: a FIFO named by the source map -------------------------------------------------------


def test_a_source_map_input_naming_a_fifo_is_not_opened(project, changed):
    path = rewritten(project, "fifo.docx", lambda data: data.replace(b'<input file="styles/house.yaml"',
                                                                     b'<input file="pipe.yaml"', 1))
    os.mkfifo(project / "pipe.yaml")  # opening it to read would wait for a writer forever
    try:
        for args in ((), ("--apply", "--dry-run")):
            result = reportc("review", *args, str(path), cwd=project, timeout=30)
            assert result.returncode == 0 and "pipe.yaml" not in result.stderr, result.stderr
            assert_clean(result)
            assert "sources/d.yaml changed since the draft was built" in result.stderr
    finally:
        (project / "pipe.yaml").unlink()


def test_fingerprints_of_a_fifo_a_folder_and_a_missing_file_are_none(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "file").write_bytes(b"x")
    script = ("import sys; from pathlib import Path; from compiler.build.fingerprints import sha256_of; "
              "print([sha256_of(Path(name)) for name in sys.argv[1:]] + [sha256_of(None)])")
    # in a subprocess: a regression would block on the FIFO, and the timeout ends it
    result = subprocess.run([sys.executable, "-c", script, *(str(tmp_path / name) for name in ("fifo", "", "missing", "file"))],
                            cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == ("[None, None, None, "
                                     "'2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881', None]")


# ---- T2: a damaged part under any compression zipfile reads -----------------------------------


def _damaged(data: bytes, name: str, start: int = 40, length: int = 160) -> bytes:
    """`data` with bytes of part `name`'s compressed stream flipped."""
    buffer = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for index in range(at + start, at + start + length):
        buffer[index] ^= 0x55
    return bytes(buffer)


def _unknown_method(data: bytes, name: str) -> bytes:
    """Part `name` marked with compression method 97, which zipfile does not know."""
    buffer = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    buffer[info.header_offset + 8:info.header_offset + 10] = (97).to_bytes(2, "little")
    central = data.find(b"PK\x01\x02", data.rfind(b"PK\x03\x04"))
    while central >= 0:
        size = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + size] == name.encode():
            buffer[central + 10:central + 12] = (97).to_bytes(2, "little")
        central = data.find(b"PK\x01\x02", central + 46)
    return bytes(buffer)


@pytest.mark.parametrize("case", ["lzma data", "lzma properties", "bzip2", "deflate", "unknown method"])
def test_a_damaged_part_is_an_unreadable_docx_not_a_traceback(project, case):
    part = "word/document.xml"
    method = {"lzma data": zipfile.ZIP_LZMA, "lzma properties": zipfile.ZIP_LZMA,
              "bzip2": zipfile.ZIP_BZIP2}.get(case, zipfile.ZIP_DEFLATED)
    data = rewritten(project, f"{case}.docx", compress={part: method}).read_bytes()
    if case == "lzma properties":
        data = _damaged(data, part, start=4, length=1)  # the lc/lp/pb byte: "Invalid or unsupported options"
    elif case == "unknown method":
        data = _unknown_method(data, part)
    else:
        data = _damaged(data, part)
    path = project.parent / f"{case}-bad.docx"
    path.write_bytes(data)
    result = reportc("review", str(path), cwd=project)
    assert_clean(result)
    assert result.returncode == 1
    assert f"{path.name}:1:1: error: cannot read this file as a DOCX (its part {part}" in result.stderr


# ---- T3: a list index no int() should parse -------------------------------------------------


def test_a_5000_digit_index_in_a_field_path_is_a_path_that_does_not_resolve(project, changed):
    huge = b'kind="body" path="pillars[' + b"1" * 5000 + b']"/>'
    path = rewritten(project, "bigidx.docx", lambda data: data.replace(b'kind="body" path="summary"/>', huge, 1))
    for args in ((), ("--apply", "--dry-run")):
        result = reportc("review", *args, str(path), cwd=project)
        assert_clean(result)
        assert result.returncode == 0, result.stderr


def test_field_paths_resolve_only_when_every_part_does():
    from compiler.diagnostics import Diagnostics
    from compiler.review.apply import _at_path
    from compiler.source.yamltree import load_bytes

    tree = load_bytes(b"pillars:\n  - title: A\n  - title: B\n", "t.yaml", Diagnostics())
    assert _at_path(tree, "pillars[1].title").value == "B"
    for path in ("pillars[" + "1" * 5000 + "]", "pillars[1234567890]", "pillars[x].title", "pillars[1]]",
                 "pillars[2].title", "pillars[١]"):
        assert _at_path(tree, path) is None, path


# ---- I5: file names XML cannot hold ---------------------------------------------------------


class _Document:
    id = "x"
    source = "sources/a\x01b.yaml"
    inputs = (("sources/a\x01b.yaml", "a" * 64), ("styles/caf\udce9.yaml", "b" * 64), ("styles/100%.yaml", "c" * 64))


def test_names_xml_cannot_hold_make_the_round_trip_through_the_source_map():
    from compiler.diagnostics import Span
    from compiler.render.docx.sourcemap import Mark, SourceMap, from_property, parse_map

    written = SourceMap(_Document())
    written.marks.append(Mark("_rc1h_3_1", Span("sources/a\x01b.yaml", 3, 1, "title"), "heading"))
    data = written.xml()  # lxml refused the name: "All strings must be XML compatible"
    assert b"\x01" not in data
    loaded = parse_map(data)
    assert loaded.source == "sources/a\x01b.yaml"
    assert loaded.marks["_rc1h_3_1"].span.file == "sources/a\x01b.yaml"
    assert loaded.inputs == _Document.inputs  # the name that is not UTF-8, and a plain '%', as they were
    assert from_property(written.source) == "sources/a\x01b.yaml"  # the custom property, when the map is lost
    assert from_property("styles/100%.yaml") == "styles/100%.yaml"


def test_an_ordinary_name_is_written_as_before():
    from compiler.render.docx.sourcemap import SourceMap

    class Plain(_Document):
        source = "sources/d.yaml"
        inputs = (("sources/d.yaml", "a" * 64),)

    assert b'source="sources/d.yaml"' in SourceMap(Plain()).xml()
    assert b'<input file="sources/d.yaml" sha256="' in SourceMap(Plain()).xml()


def test_a_draft_naming_its_source_quoted_is_reviewed_against_that_file(project):
    # The draft's map names the source `sources/d<U+0001>.yaml`, as the renderer now writes a name
    # XML cannot hold; review finds that file (changed since: it says so, naming it escaped).
    text = (project / "sources" / "d.yaml").read_text()
    odd = project / "sources" / "d\x01.yaml"
    odd.write_text(text.replace("This report sets out our findings", "This report gives our findings"))
    try:
        path = rewritten(project, "quoted.docx", lambda data: data.replace(
            b'file="sources/d.yaml"', b'file-quoted="sources/d%01.yaml"').replace(
            b'source="sources/d.yaml"', b'source-quoted="sources/d%01.yaml"'))
        result = reportc("review", "--json", str(path), cwd=project)
        assert_clean(result)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["source"] == "sources/d\x01.yaml"
        assert "sources/d\\x01.yaml changed since the draft was built" in result.stderr
    finally:
        odd.unlink()


def test_a_draft_document_whose_source_name_xml_cannot_hold_renders_and_reads_back(project, tmp_path):
    from compiler.build.load import load_all
    from compiler.diagnostics import Diagnostics
    from compiler.build.report import compose_document
    from compiler.render import RenderOptions, renderer_for
    from compiler.render.docx.sourcemap import from_property, parse_map
    from compiler.source.paths import Roots
    from tests.conftest import SOURCE_DATE

    loaded = load_all([project / "sources" / "d.yaml"], Roots.at(project))[0]
    document = compose_document(loaded, SOURCE_DATE)
    odd = "sources/d\x01\udce9.yaml"
    document = replace(document, source=odd, inputs=((odd, "a" * 64),))
    diagnostics = Diagnostics()
    data = renderer_for("docx")(document, RenderOptions(), diagnostics).data  # was an internal error
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        item = next(archive.read(n) for n in names if n.startswith("customXml/item") and "Props" not in n)
        custom = etree.fromstring(archive.read("docProps/custom.xml"))
    assert parse_map(item).source == odd and parse_map(item).inputs == ((odd, "a" * 64),)
    prop = next(node for node in custom if node.get("name") == "reportc.source")
    assert from_property("".join(prop.itertext())) == odd  # the custom property, read when the map is lost
