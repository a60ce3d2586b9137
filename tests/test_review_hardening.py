"""`reportc review` on hostile DOCX files: bounded work, clean errors, output that cannot be forged.

Each file is a real draft (built by the CLI from the eastmoor sample) edited the way an attacker
would: thousands of unclosed comment ranges or bookmarks, deep nesting, a flood of markup, zip
entries that are encrypted or use an unknown compression method, reviewer names carrying line
breaks and bidi controls, a bookmark with a 5,000-digit line. The command runs in a subprocess
with its address space capped at 1 GB and a timeout: bounded memory and time are measured, not
assumed."""
from __future__ import annotations

import io
import json
import re
import resource
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from tests.conftest import ROOT, run_reportc

DRAFT = ROOT / "sources" / "eastmoor-fire-2026-draft" / "report.yaml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAP = "urn:reportc:sourcemap:1"
MEMORY = 2**30  # address space of each review run: 1 GB
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def review(path: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """`reportc review` with 1 GB of address space: running out (or the timeout) fails the test."""
    def cap_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run([sys.executable, "-m", "compiler", "review", *args, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=cap_memory)


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hardening")
    result = run_reportc("build", str(DRAFT), "--format", "docx", "--out", str(out),
                         env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    return out / "eastmoor-fire-2026-draft.docx"


@pytest.fixture(scope="module")
def commented(draft, tmp_path_factory) -> Path:
    """The draft with one comment (so it has a comments part) on the first marked paragraph."""
    word = docx.Document(draft)
    first = next(p for p in word.paragraphs if p._p.find(w("bookmarkStart")) is not None and p.runs)
    made = word.add_comment(first.runs, text="Check this", author="Jane Smith", initials="JS")
    made._comment_elm.set(qn("w:date"), "2026-05-01T10:00:00Z")
    out = tmp_path_factory.mktemp("commented") / "commented.docx"
    word.save(out)
    return out


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_docx(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def edited(source: Path, target: Path, part: str, edit) -> Path:
    """`source` with `edit(root)` applied to the XML tree of `part`."""
    parts = parts_of(source)
    root = etree.fromstring(parts[part])
    edit(root)
    parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return write_docx(target, parts)


def marked_paragraph(root: etree._Element) -> etree._Element:
    return next(p for p in root.iter(w("p")) if p.find(w("bookmarkStart")) is not None)


def injected(source: Path, target: Path, before: bytes = b"", after: bytes = b"", at_end: bytes = b"",
             move_range_end: bool = False) -> Path:
    """`source` with raw XML put around the first bookmark of its document: `before` it, `after`
    it (in the same paragraph), and `at_end` of the body as a paragraph of its own. Written as
    bytes: building tens of thousands of elements with lxml would take most of a test's time."""
    parts = parts_of(source)
    document = parts["word/document.xml"]
    start = document.index(b"<w:bookmarkStart ")
    end = document.index(b"/>", start) + 2
    if move_range_end:  # the first comment's range then runs to the end of the document
        range_end = re.search(rb"<w:commentRangeEnd [^>]*/>", document)
        at_end += range_end.group()
        document = document[:range_end.start()] + document[range_end.end():]
    body_end = document.rindex(b"<w:sectPr")
    parts["word/document.xml"] = (document[:start] + before + document[start:end] + after + document[end:body_end]
                                  + b"<w:p>" + at_end + b"</w:p>" + document[body_end:])
    return write_docx(target, parts)


def first_mark_name(path: Path) -> bytes:
    document = parts_of(path)["word/document.xml"]
    return re.search(rb'<w:bookmarkStart [^>]*w:name="([^"]+)"', document).group(1)


def repeat(template: bytes, count: int, first: int = 100_000) -> bytes:
    return b"".join(template % (first + i) for i in range(count))


# ---- bounded work ------------------------------------------------------------------------------


def test_thousands_of_unclosed_comment_ranges_take_linear_time(commented, tmp_path):
    # Each open range kept its own copy of all the text after it: 9,000 ranges over 60,000 runs
    # were 540 million appends and several GB.
    path = injected(commented, tmp_path / "ranges.docx", before=repeat(b'<w:commentRangeStart w:id="%d"/>', 9000),
                    at_end=b"<w:r><w:t>x</w:t></w:r>" * 60_000, move_range_end=True)
    result = review(path, "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    [remark] = json.loads(result.stdout)["remarks"]
    assert remark["text"] == "Check this"
    assert len(remark["anchor"]) == 1000 and remark["anchor"].endswith("\u2026")  # cut, not whole
    lines = review(path).stdout.splitlines()
    assert len(lines) == 1 and lines[0].endswith('\u2026"') and len(lines[0].split(' on "')[1]) == 81


def test_more_comment_ranges_than_any_draft_has_is_a_clear_error(commented, tmp_path):
    path = injected(commented, tmp_path / "ranges.docx", before=repeat(b'<w:commentRangeStart w:id="%d"/>', 10_001))
    result = review(path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"{path}:1:1: error: this draft has more than 10,000 comment ranges; a reportc draft "
                             f"never has that many (that is 16 comments on every page of a 600-page report)\n")


def test_thousands_of_open_bookmarks_take_linear_time(draft, tmp_path):
    # Every remark's position copied the list of open bookmarks: 45,000 of them under 40,000
    # tracked insertions were 1.8 billion copies.
    bookmark = b'<w:bookmarkStart w:id="%%d" w:name="%s"/>' % first_mark_name(draft)
    changes = b"".join(b'<w:ins w:id="%d" w:author="%s"><w:r><w:t>x</w:t></w:r></w:ins>' % (i, b"AB"[i % 2:i % 2 + 1])
                       for i in range(40_000))
    path = injected(draft, tmp_path / "bookmarks.docx", before=repeat(bookmark, 45_000), after=changes)
    result = review(path, timeout=20)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 40_000 and lines[0].endswith(': change: A: insert "x"')


def test_more_bookmarks_than_any_draft_has_is_a_clear_error(draft, tmp_path):
    bookmarks = repeat(b'<w:bookmarkStart w:id="%d" w:name="b"/>', 50_001)
    path = injected(draft, tmp_path / "bookmarks.docx", before=bookmarks)
    result = review(path)
    assert result.returncode == 1
    assert "error: this draft has more than 50,000 bookmarks; a reportc draft never has that many" in result.stderr


def test_more_tracked_changes_than_any_draft_has_is_a_clear_error(draft, tmp_path):
    # each is a remark: 180,000 of them were 650 MB of JSON
    path = injected(draft, tmp_path / "changes.docx", after=b"<w:del/>" * 25_000 + b"<w:ins/>" * 25_001)
    result = review(path)
    assert result.returncode == 1
    assert "error: this draft has more than 50,000 tracked changes; a reportc draft never has that many" \
        in result.stderr


def nest(parent: etree._Element, depth: int, text: str) -> None:
    for level in range(depth):
        parent = etree.SubElement(parent, w("p"))
        etree.SubElement(etree.SubElement(parent, w("r")), w("t")).text = f"{text}{level}"


def test_a_comment_nested_thousands_deep_is_refused(commented, tmp_path):
    # Each nested paragraph gathered the text of all those inside it: 1,500 levels of 1,000
    # characters were over a GB of strings.
    def edit(root):
        nest(next(root.iter(w("comment"))), 1500, "y" * 1000)

    path = edited(commented, tmp_path / "deep.docx", "word/comments.xml", edit)
    result = review(path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (f"{path}:1:1: error: this draft's part word/comments.xml nests elements more than "
                             f"100 deep; a reportc draft never does (a 600-page report is 12 deep)\n")


def test_nested_paragraphs_of_a_comment_are_read_once(commented, tmp_path):
    def edit(root):
        comment = next(root.iter(w("comment")))
        for child in list(comment):
            comment.remove(child)
        nest(comment, 50, "n")

    result = review(edited(commented, tmp_path / "nested.docx", "word/comments.xml", edit), "--json")
    assert result.returncode == 0, result.stderr
    [remark] = json.loads(result.stdout)["remarks"]
    assert remark["text"] == " ".join(f"n{level}" for level in range(50))


def attribute_flood() -> bytes:
    element = b"<w:p %s/>" % b" ".join(b'w:a%d=""' % i for i in range(1000))
    return element * 1600


@pytest.mark.parametrize("make, message", [
    # 60 MB of empty paragraphs: 10 million elements, 1.5 GB as a tree; refused from its declared size
    (lambda: b"<w:p/>" * 10_000_000, "its part word/document.xml is 60,000,"),
    (lambda: b"<w:p/>" * 1_600_000, "more than 1,500,000 XML tags and attributes in its part word/document.xml"),
    (attribute_flood, "more than 1,500,000 XML tags and attributes in its part word/document.xml"),
], ids=["60MB-of-paragraphs", "1.6M-paragraphs", "1.6M-attributes"])
def test_a_flood_of_markup_is_refused_before_it_is_parsed(draft, tmp_path, make, message):
    parts = parts_of(draft)
    parts["word/document.xml"] = b'<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (W.encode(), make())
    path = write_docx(tmp_path / "flood.docx", parts)
    result = review(path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert message in result.stderr


# ---- damaged zip entries -----------------------------------------------------------------------


def patch_entry(data: bytes, name: str, flags: int = 0, method: int | None = None,
                name_byte: tuple | None = None) -> bytes:
    """`data` (a zip) with the entry `name`'s flag bits or compression method changed in both its
    local header and its central directory record, or one byte of its name replaced."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    central = out.index(b"PK\x01\x02" + out[local + 4:local + 6])  # first record: find by name below
    while out[central + 46:central + 46 + len(name)] != name.encode():
        central = out.index(b"PK\x01\x02", central + 4)
    for offset, flag_at, method_at in ((local, 6, 8), (central, 8, 10)):
        struct.pack_into("<H", out, offset + flag_at, struct.unpack_from("<H", out, offset + flag_at)[0] | flags)
        if method is not None:
            struct.pack_into("<H", out, offset + method_at, method)
        if name_byte is not None:
            index, byte = name_byte
            out[offset + (30 if offset == local else 46) + index] = byte
    return bytes(out)


def corrupt_stream(data: bytes, name: str) -> bytes:
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    out[start:start + 64] = bytes(range(64, 128))  # garbage where the deflate stream starts
    return bytes(out)


@pytest.mark.parametrize("damage, reason", [
    (lambda data: patch_entry(data, "word/document.xml", flags=0x1), "a part is encrypted"),
    (lambda data: patch_entry(data, "word/document.xml", method=99), "a compression method Word does not write"),
    (lambda data: corrupt_stream(data, "word/document.xml"), "its part word/document.xml"),
    (lambda data: patch_entry(data, "word/styles.xml", flags=0x800, name_byte=(5, 0xFF)), "utf-8"),
], ids=["encrypted", "compression-99", "corrupt-deflate", "name-not-utf8"])
def test_damaged_zip_entries_are_refused_cleanly(draft, tmp_path, damage, reason):
    path = tmp_path / "damaged.docx"
    path.write_bytes(damage(draft.read_bytes()))
    result = review(path)
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"{path}:1:1: error: cannot read this file as a DOCX (")
    assert reason in result.stderr


# ---- output that cannot be forged -------------------------------------------------------------


FORGED = "sources/eastmoor-fire-2026-draft/report.yaml:1:1: comment: Boss: \"approved\""


def test_names_and_texts_from_the_file_cannot_forge_lines_or_drive_the_terminal(commented, tmp_path):
    def edit_comments(root):
        comment = next(root.iter(w("comment")))
        comment.set(w("author"), f"Eve\n{FORGED}\r\u2028\x85")
        next(comment.iter(w("t"))).text = "looks \u202eevil\u2066 \x9b31m red \u200f\u061c"

    def edit_map(root):
        for mark in root.iter(f"{{{MAP}}}mark"):
            mark.set("file", "report.yaml\nreport.yaml:9:9: change: Mallory: delete \"x\"")

    path = edited(commented, tmp_path / "forged.docx", "word/comments.xml", edit_comments)
    custom = next(n for n in parts_of(path) if n.startswith("customXml/item"))
    path = edited(path, tmp_path / "forged2.docx", custom, edit_map)
    text = review(path)
    assert text.returncode == 0, text.stderr
    [line] = text.stdout.splitlines()  # one remark, one line: no forged ones
    assert not UNSAFE.search(text.stdout.rstrip("\n"))
    assert "comment: Eve\\nsources/" in line and "\\u202e" in line and "\\x9b" in line
    assert line.startswith("report.yaml\\nreport.yaml:9:9")
    data = review(path, "--json")
    assert not UNSAFE.search(data.stdout.replace("\n", ""))
    [remark] = json.loads(data.stdout)["remarks"]  # still valid JSON, values unchanged
    assert remark["author"] == f"Eve\n{FORGED}\r\u2028\x85"
    assert remark["text"] == "looks \u202eevil\u2066 \x9b31m red \u200f\u061c"


def test_a_damaged_file_name_in_an_error_is_escaped(tmp_path):
    path = tmp_path / "a\nb\u202e.docx"
    path.write_text("not a zip")
    result = review(path)
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert "a\\nb\\u202e.docx:1:1: error: cannot read this file as a DOCX" in result.stderr


# ---- source marks that are not numbers ---------------------------------------------------------


def without_custom_xml(path: Path, target: Path) -> Path:
    return write_docx(target, {n: d for n, d in parts_of(path).items() if not n.startswith("customXml/")})


def test_a_bookmark_with_a_5000_digit_line_is_skipped_with_a_warning(commented, tmp_path):
    # int() refuses over 4,300 digits: the whole draft was unreadable. An unknown kind letter
    # was a KeyError traceback.
    def edit(root):
        first = marked_paragraph(root)
        first.insert(0, etree.Element(w("bookmarkStart"), {w("id"): "90001", w("name"): "_rc1p_" + "9" * 5000 + "_1"}))
        first.insert(0, etree.Element(w("bookmarkStart"), {w("id"): "90002", w("name"): "_rc2z_3_4"}))

    bare = without_custom_xml(commented, tmp_path / "bare.docx")
    path = edited(bare, tmp_path / "digits.docx", "word/document.xml", edit)
    result = review(path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1 and '"Check this"' in result.stdout
    [warning, summary] = result.stderr.splitlines()
    assert summary == f"reportc: 1 comment in {path}"
    assert warning.startswith(f"{path}:1:1: warning: skipped 2 source marks whose line or column is not a number")
    assert len(warning) < 400


def test_a_source_map_entry_with_a_5000_digit_line_is_skipped_with_a_warning(commented, tmp_path):
    def edit(root):
        mark = next(root.iter(f"{{{MAP}}}mark"))
        mark.set("line", "9" * 5000)

    custom = next(n for n in parts_of(commented) if n.startswith("customXml/item"))
    result = review(edited(commented, tmp_path / "map.docx", custom, edit), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["remarks"]) == 1
    assert data["warnings"] == [w_ for w_ in data["warnings"] if w_.startswith("skipped 1 source mark ")]
    assert len(data["warnings"]) == 1 and "warning: skipped 1 source mark" in result.stderr


# ---- the returned file itself ----------------------------------------------------------------

def test_a_fifo_or_a_folder_is_refused_without_waiting(tmp_path):
    import os

    fifo = tmp_path / "draft.docx"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path):
        result = review(path, timeout=20)
        assert result.returncode == 1
        assert "not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_a_zip_directory_listing_more_parts_than_any_draft_is_refused_before_it_is_read(draft, tmp_path):
    from compiler.review.limits import MAX_PARTS

    crowded = tmp_path / "crowded.docx"
    with zipfile.ZipFile(crowded, "w") as archive:
        for name, data in parts_of(draft).items():
            archive.writestr(name, data)
        for number in range(MAX_PARTS):
            archive.writestr(f"x/{number}", b"")
    result = review(crowded)
    assert result.returncode == 1
    assert f"more than {MAX_PARTS:,} parts" in result.stderr and "Traceback" not in result.stderr


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    from compiler.review import limits

    monkeypatch.setattr(limits, "MAX_DOCX_BYTES", 1000)
    big = tmp_path / "big.docx"
    big.write_bytes(b"PK" + b"\0" * 2000)
    with pytest.raises(limits.ReviewError, match="over 0 MB"):
        limits.read_docx(big)
