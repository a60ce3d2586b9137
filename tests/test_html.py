"""The HTML edition (issue 12), read back with a parser: structure, self-containment, escaping,
and html as a format like the others (manifest, cache, verify, --json, --shard). The browser
checks (axe, reflow, hostile text running or not) are in test_html_browser.py."""
from __future__ import annotations

import json
import re
import struct
import zlib

import pytest

from compiler.diagnostics import Diagnostics
from compiler.model import Link, Strong, Text
from compiler.render.html.fonts import FontProblem, woff_from_truetype
from compiler.render.html.inline import inlines, safe_href

from .conftest import ROOT, SOURCES, run_reportc, sample_sources
from .htmlpage import built_html, parse

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@pytest.fixture(scope="module")
def html_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    result = run_reportc("build", "sources", "--format", "pdf,docx,html", "--out", str(out), env=EPOCH)
    assert result.returncode == 0, result.stderr
    return out


def pages(folder):
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.html"))}


def test_every_sample_gets_one_html_file_beside_its_pdf_and_docx(html_build):
    ids = {path.stem for path in html_build.glob("*.pdf")}
    assert len(ids) == len(sample_sources())
    assert {path.stem for path in html_build.glob("*.html")} == ids
    assert {path.stem for path in html_build.glob("*.docx")} == ids


def test_the_page_is_valid_html5_with_language_title_charset_and_viewport(html_build):
    for name, html in pages(html_build).items():
        root, doctype = parse(html)
        assert doctype == "DOCTYPE html", name
        [page] = root.iter("html")
        assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", page.attrs["lang"]), name
        metas = list(root.iter("meta"))
        assert any(m.attrs.get("charset") == "utf-8" for m in metas)
        assert any(m.attrs.get("name") == "viewport" and "width=device-width" in m.attrs["content"] for m in metas)
        [title] = next(root.iter("head")).iter("title")  # (an SVG chart has a <title> of its own)
        assert title.text()


def test_it_is_self_contained_with_no_script(html_build):
    for name, html in pages(html_build).items():
        root, _ = parse(html)
        assert not list(root.iter("script")) and not list(root.iter("link")) and not list(root.iter("iframe"))
        for img in root.iter("img"):
            assert img.attrs["src"].startswith("data:image/png;base64,") and img.attrs["alt"]
        for link in root.iter("a"):
            assert re.match(r"(#|https?://|mailto:)", link.attrs["href"]), link.attrs
        css = "".join(style.text() for style in root.iter("style"))
        assert re.findall(r"url\(([^)]{0,20})", css) and all(
            u.startswith("data:") for u in re.findall(r"url\(([^)]{0,20})", css)), name
        assert not [attr for node in root.iter() for attr in node.attrs if attr.startswith("on")], name


def test_one_h1_and_headings_never_skip_a_level(html_build):
    for name, html in pages(html_build).items():
        root, _ = parse(html)
        levels = [int(node.tag[1]) for node in root.iter() if node.tag in HEADINGS]
        assert levels.count(1) == 1 and levels[0] == 1, name
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, (name, before, after)
        [h1] = root.iter("h1")
        assert [a.tag for a in h1.ancestors()][0] in ("div", "header")
        assert any(a.tag == "header" for a in h1.ancestors())


def test_landmarks_skip_link_and_contents_linking_every_section(html_build):
    for name, html in pages(html_build).items():
        root, _ = parse(html)
        body = next(root.iter("body"))
        [header], [nav], [main], [footer] = (list(body.iter(t)) for t in ("header", "nav", "main", "footer"))
        first_link = next(body.iter("a"))
        assert first_link.attrs["href"] == f"#{main.attrs['id']}" and "skip-link" in first_link.attrs["class"]
        targets = {a.attrs["href"][1:] for a in nav.iter("a")}
        sections = {h.attrs["id"] for h in main.iter() if h.tag in HEADINGS and "id" in h.attrs}
        top = {h.attrs["id"] for h in main.iter("h2") if "id" in h.attrs}
        assert top and top <= targets and targets <= sections, name
        ids = [node.attrs["id"] for node in root.iter() if "id" in node.attrs]
        assert len(ids) == len(set(ids)), name
        marking = [p for p in root.iter("p") if "marking" in (p.attrs.get("class") or "")]
        if marking:  # top and bottom
            assert any(a.tag == "header" for a in marking[0].ancestors())
            assert any(a.tag == "footer" for a in marking[-1].ancestors())


def test_questions_have_the_seed_pages_ids(html_build):
    html = pages(html_build)["city-of-london-peel-2018"]
    root, _ = parse(html)
    ids = {h.attrs.get("id") for h in root.iter("h3")}
    assert {"question-2", "question-3", "question-4", "question-5"} <= ids
    assert "pillar-1" in {h.attrs.get("id") for h in root.iter("h2")}


def test_glance_is_a_table_with_caption_and_scoped_headers_and_badges_are_text(html_build):
    for name, html in pages(html_build).items():
        root, _ = parse(html)
        [table] = [t for t in root.iter("table") if "glance" in t.attrs.get("class", "")]
        [caption] = table.iter("caption")
        assert caption.text()
        heads = list(table.iter("th"))
        assert {th.attrs.get("scope") for th in heads} == {"col", "row"}
        badges = [s for s in root.iter("span") if "badge" in s.attrs.get("class", "")]
        assert badges and all(b.text() for b in badges)


def test_recommendations_are_an_ordered_list(html_build):
    html = pages(html_build)["eastmoor-fire-2026-draft"]
    root, _ = parse(html)
    lists = [node for node in root.iter("ol") if node.attrs.get("class") == "recommendations"]
    assert lists and all(list(ol.iter("li")) for ol in lists)


def test_a_draft_shows_a_banner_and_its_version(html_build):
    root, _ = parse(pages(html_build)["eastmoor-fire-2026-draft"])
    [banner] = [p for p in root.iter("p") if p.attrs.get("class") == "draft-banner"]
    assert "DRAFT" in banner.text() and "Version" in banner.text()


def test_same_content_in_the_same_order_as_the_pdf(html_build):
    """Every heading of the page appears in the PDF's text, in the same order."""
    from pypdf import PdfReader

    for name, html in pages(html_build).items():
        pdf = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(html_build / f"{name}.pdf").pages)
        root, _ = parse(html)
        main = next(root.iter("main"))
        position = 0
        for heading in (node for node in main.iter() if node.tag in HEADINGS):
            words = heading.text()
            found = pdf.find(words, position)
            assert found >= 0, (name, words)
            position = found + len(words)


def test_default_formats_stay_pdf_and_docx(tmp_path):
    result = run_reportc("build", str(SOURCES / "city-of-london-peel-2018.yaml"), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.suffix for p in tmp_path.iterdir() if not p.name.startswith(".") and p.suffix != ".json") == [
        ".docx", ".pdf"]


def test_manifest_cache_verify_json_and_byte_identical_rebuilds(tmp_path):
    source = str(SOURCES / "city-of-london-peel-2018.yaml")
    first = run_reportc("build", source, "--format", "html,pdf", "--out", str(tmp_path), "--json", env=EPOCH)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert "city-of-london-peel-2018.html" in first.stdout, report
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert {"html", "pdf"} <= {a["format"] for a in manifest["artefacts"]}
    before = (tmp_path / "city-of-london-peel-2018.html").read_bytes()
    again = run_reportc("build", source, "--format", "html,pdf", "--out", str(tmp_path), env=EPOCH)
    assert "1 skipped" in again.stderr, again.stderr  # the cache knows the html output
    forced = run_reportc("build", source, "--format", "html,pdf", "--out", str(tmp_path), "--force", env=EPOCH)
    assert forced.returncode == 0 and (tmp_path / "city-of-london-peel-2018.html").read_bytes() == before
    assert run_reportc("verify", str(tmp_path)).returncode == 0
    (tmp_path / "city-of-london-peel-2018.html").write_bytes(before.replace(b"<main", b"<main ", 1))
    tampered = run_reportc("verify", str(tmp_path))
    assert tampered.returncode != 0 and "city-of-london-peel-2018.html" in tampered.stderr


def test_shard_builds_html_too(tmp_path):
    outs = []
    for k in (1, 2):
        out = tmp_path / f"s{k}"
        result = run_reportc("build", "sources", "--format", "html", "--shard", f"{k}/2", "--out", str(out), env=EPOCH)
        assert result.returncode == 0, result.stderr
        outs += [p.stem for p in out.glob("*.html")]
    assert sorted(outs) == sorted(p.stem if p.name != "report.yaml" else p.parent.name for p in sample_sources())


def test_unknown_format_is_a_usage_error_naming_html():
    result = run_reportc("build", "--format", "pdf,epub")
    assert result.returncode == 2 and "pdf, docx, html" in result.stderr


HOSTILE = '<script>alert(1)</script> " onmouseover="alert(2)" </style><img src=x onerror=alert(3)> &amp;'


def test_hostile_text_is_escaped_everywhere(tmp_path):
    source = tmp_path / "sources" / "hostile.yaml"
    source.parent.mkdir()
    text = json.dumps(HOSTILE)
    findings = json.dumps('[click](https://example.org/?a=1&b="2") ' + HOSTILE)
    source.write_text(f"title: {text}\nsubject: {text}\nmarking: {json.dumps('OFFICIAL </style>')}\n"
                      f"style: hmicfrs\npillars:\n  - title: {text}\n    grade: good\n    summary: {text}\n"
                      f"    questions:\n      - title: {text}\n        grade: good\n"
                      f"        findings: {findings}\n",
                      encoding="utf-8")
    result = run_reportc("build", "--format", "html", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "hostile.html").read_text()
    root, _ = parse(html)
    assert not list(root.iter("script")) and not [i for i in root.iter("img") if i.attrs.get("src") == "x"]
    assert not [name for node in root.iter() for name in node.attrs if name.startswith("on")]
    assert html.count("</style>") == 1
    assert HOSTILE in next(root.iter("h1")).text()
    [link] = [a for a in root.iter("a") if a.attrs["href"].startswith("https://example.org")]
    assert link.attrs["href"] == 'https://example.org/?a=1&b="2"'


def test_javascript_links_are_refused_by_validation_and_never_written(tmp_path):
    source = tmp_path / "sources" / "js.yaml"
    source.parent.mkdir()
    source.write_text("title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"
                      "    summary: '[x](javascript:alert(1))'\n", encoding="utf-8")
    result = run_reportc("build", "--format", "html", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1 and "js.yaml:6:19:" in result.stderr and "must start with" in result.stderr
    assert not (tmp_path / "out" / "js.html").exists()
    # The renderer checks again, whatever validation let through.
    for target in ("javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "vbscript:x", "java\tscript:x",
                   " https://x", "https://x\u202e"):
        assert safe_href(target) is None, target
        assert "<a" not in inlines((Link(target, (Text("x"),)),))
    assert inlines((Strong((Link("https://ok.example", (Text("<b>"),)),)),)) == (
        '<strong><a href="https://ok.example">&lt;b&gt;</a></strong>')


def test_fonts_are_woff_wrapped_losslessly():
    data = (ROOT / "styles" / "fonts" / "LiberationSans-Regular.ttf").read_bytes()
    woff = woff_from_truetype(data)
    assert woff[:4] == b"wOFF" and len(woff) < len(data) * 0.6
    count = struct.unpack(">H", woff[12:14])[0]
    for index in range(count):
        tag, offset, stored, original, _ = struct.unpack(">4sIIII", woff[44 + 20 * index:64 + 20 * index])
        table = woff[offset:offset + stored]
        table = zlib.decompress(table) if stored < original else table
        start = data.find(table)
        assert start >= 0 and len(table) == original, tag


def test_a_font_whose_licence_forbids_embedding_is_not_embedded(tmp_path):
    data = bytearray((ROOT / "styles" / "fonts" / "LiberationSans-Regular.ttf").read_bytes())
    count = struct.unpack(">H", data[4:6])[0]
    for index in range(count):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * index:28 + 16 * index])
        if tag == b"OS/2":
            data[offset + 8:offset + 10] = struct.pack(">H", 0x0002)
    with pytest.raises(FontProblem, match="forbid"):
        woff_from_truetype(bytes(data))
    with pytest.raises(FontProblem):
        woff_from_truetype(b"\0\1\0\0\0\x10" + b"\0" * 20)


def test_a_typical_report_stays_under_600_kb(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from sources import report
    finally:
        sys.path.remove(str(ROOT / "bench"))
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "typical.yaml").write_text(report("typical force", seed=7), encoding="utf-8")
    result = run_reportc("build", "--format", "html", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "typical.html").stat().st_size < 600_000


def test_welsh_html_prints_no_english_fixed_string(tmp_path):
    from .test_localisation import PROJECT, english_fixed_strings

    result = run_reportc("build", "--root", str(PROJECT), "--out", str(tmp_path), "--format", "html",
                         str(PROJECT / "sources"), cwd=PROJECT)
    assert result.returncode == 0, result.stderr
    root, _ = parse((tmp_path / "heddlu.html").read_text())
    body = next(root.iter("body"))
    text = body.text()
    assert "Neidio" in text and "Meysydd i’w gwella" in text
    assert not {s for s in english_fixed_strings() if s in text}
    assert next(root.iter("html")).attrs["lang"] == "cy-GB"


def test_renderer_maps_every_block_type():
    """A new block type must be added to the HTML renderer too (as to the PDF's and DOCX's)."""
    import typing

    from compiler.layout import blocks
    from compiler.render.html import body

    source = (ROOT / "compiler" / "render" / "html" / "body.py").read_text()
    for kind in typing.get_args(blocks.Block):
        assert f"blocks.{kind.__name__})" in source, kind
    assert body.BodyWriter and Diagnostics


def test_a_question_number_used_in_two_pillars_keeps_unique_stable_ids(tmp_path):
    source = tmp_path / "sources" / "twice.yaml"
    source.parent.mkdir()
    pillar = "  - title: {0}\n    grade: good\n    questions:\n      - title: Q {0}\n        grade: good\n"
    source.write_text("title: T\nsubject: S\npillars:\n" + pillar.format("A") + pillar.format("B"), encoding="utf-8")
    result = run_reportc("build", "--format", "html", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root, _ = parse((tmp_path / "out" / "twice.html").read_text())
    assert [h.attrs["id"] for h in root.iter("h3") if "id" in h.attrs] == ["question-1", "pillar-2-question-1"]
    links = {a.attrs["href"] for a in root.iter("a")}
    assert {"#question-1", "#pillar-2-question-1", "#pillar-1", "#pillar-2"} <= links


def test_a_killed_html_write_is_cleaned_up_like_the_others(tmp_path):
    from compiler.build.output import remove_leftovers

    leftover = tmp_path / ".r.html.abcd1234.tmp"
    leftover.write_bytes(b"<!DOCTYPE")
    keep = tmp_path / ".notes.txt.abcd1234.tmp"
    keep.write_bytes(b"x")
    remove_leftovers(tmp_path)
    assert not leftover.exists() and keep.exists()


def test_every_scroll_box_tab_stop_says_what_it_is(html_build):
    """A box a keyboard user can focus to scroll is a named region, or a named group where the
    heading above already names its section: the glance table's box was an unnamed tab stop."""
    import re

    for name, html in pages(html_build).items():
        boxes = re.findall(r'<div class="(?:table|chart)-scroll[^"]*"[^>]*>', html)
        assert boxes, name
        for box in boxes:
            assert 'tabindex="0"' in box, box
            assert re.search(r'role="(region|group)"', box) and re.search(r'aria-label="[^"]+"', box), (name, box)


def test_a_note_marked_several_times_links_back_to_every_mark(tmp_path):
    """The notes list linked back to a note's first mark only; a second mark, in the same section
    or a later one (after the notes), had no way back."""
    page = built_html(tmp_path, "notes",
                      "title: T\nsubject: S\nfront_matter:\n  - title: Scope\n    body: |\n"
                      "      What we looked at[^scope] and how[^how], and why[^scope].\n\n"
                      "      [^scope]: The scope of the inspection.\n\n      [^how]: Interviews.\n"
                      "  - title: Method\n    body: |\n      Within the scope again[^scope].\n"
                      "pillars:\n  - title: P\n    grade: good\n")
    root, _ = parse(page.read_text(encoding="utf-8"))
    marks = [a for a in root.iter("a") if a.attrs.get("role") == "doc-noteref"]
    assert [(a.attrs["href"], a.attrs["id"]) for a in marks] == [
        ("#note-1", "note-ref-1"), ("#note-2", "note-ref-2"), ("#note-1", "note-ref-1-2"), ("#note-1", "note-ref-1-3")]
    for note in (node for node in root.iter("li") if node.attrs.get("id", "").startswith("note-")):
        backs = [a for a in note.iter("a") if a.attrs.get("role") == "doc-backlink"]
        wanted = [a.attrs["id"] for a in marks if a.attrs["href"] == f"#{note.attrs['id']}"]
        assert [a.attrs["href"][1:] for a in backs] == wanted, note.attrs  # one per mark, in reading order
        names = [a.attrs["aria-label"] for a in backs]
        assert len(set(names)) == len(names) and all(name.startswith("Back to where note") for name in names)
    [first] = [node for node in root.iter("li") if node.attrs.get("id") == "note-1"]
    assert [a.text() for a in first.iter("a")] == ["\u21a9", "\u21a9 2", "\u21a9 3"]  # (text() splits at the no-break space)
    assert [a.attrs["aria-label"] for a in first.iter("a")] == [
        "Back to where note 1 is marked", "Back to where note 1 is marked (2)", "Back to where note 1 is marked (3)"]


def test_a_chart_caption_with_a_note_mark_and_a_link_gives_every_id_once(tmp_path):
    """A chart's data table repeated its caption, markup and all, as its hidden caption: a note
    mark there gave two elements the id `note-ref-1`, and its link was a tab stop no one could see."""
    page = built_html(tmp_path, "chart",
                      "title: T\nsubject: S\nfront_matter:\n  - title: Calls\n    body:\n"
                      "      - |\n        Calls rose.\n\n        [^calls]: Force data.\n"
                      "      - chart:\n          type: bar\n"
                      "          caption: Calls answered[^calls], see [the data](https://example.org/d)\n"
                      "          categories: [A, B]\n          series:\n            - {name: S, values: [1, 2]}\n"
                      "pillars:\n  - title: P\n    grade: good\n")
    html = page.read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]*)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    root, _ = parse(html)
    [figure] = [node for node in root.iter("figure") if "chart" in node.attrs.get("class", "")]
    [caption] = figure.iter("caption")
    assert caption.text() == "Figure 1: Calls answered, see the data" and not list(caption.iter("a"))
    assert [a.attrs["href"] for a in figure.iter("a")] == ["#note-1", "https://example.org/d"]  # the visible caption's
