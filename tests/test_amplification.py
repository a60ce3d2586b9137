"""Amplification: what a small source or style asks the renderers to produce stays within the
limits README "Security and limits" states, measured on the text as printed (labels filled in),
and sources within them build in time linear in their size."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from compiler.source.validate import (MAX_MARKUP_SPANS, MAX_PARAGRAPH_CHARACTERS, MAX_SECTIONS,
                                      MAX_TEXT_CHARACTERS)

from .conftest import run_reportc

HEAD = "title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
W_HYPERLINK = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink"


def project(tmp_path: Path, source: str, style: str | None = None) -> Path:
    (tmp_path / "sources").mkdir(parents=True, exist_ok=True)
    if style is not None:
        (tmp_path / "styles").mkdir(parents=True, exist_ok=True)
        (tmp_path / "styles" / "s.yaml").write_text("extends: default\n" + style)
        source = "style: s\n" + source
    (tmp_path / "sources" / "r.yaml").write_text(source)
    return tmp_path


def errors_of(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def validate(tmp_path: Path, source: str, style: str | None = None):
    return run_reportc("validate", "sources/r.yaml", cwd=project(tmp_path, source, style))


# ---- item 4: style labels cannot multiply a source's text ------------------------------------

@pytest.mark.parametrize("key, placeholder", [("carried_over", "year"), ("questions_for", "pillar"),
                                              ("version", "version"), ("page_x_of_y", "page"),
                                              ("logo_alt", "brand")])
def test_a_label_uses_each_placeholder_at_most_once(tmp_path, key, placeholder):
    label = f"{{{placeholder}}} " * 3  # 16 `{year}` made a 10,000-character value 160,000
    result = validate(tmp_path, HEAD, f"labels:\n  {key}: '{label}'\n")
    assert result.returncode == 1
    assert errors_of(result) == [f"styles/s.yaml:3:{len(key) + 5}: error: `labels.{key}`: {{{placeholder}}} is "
                                 "used 3 times; each placeholder may appear at most once in a label"]


def test_a_label_with_each_placeholder_once_is_accepted(tmp_path):
    style = "labels:\n  page_x_of_y: '{page} / {pages}'\n  carried_over: 'Carried over from {year}.'\n"
    result = validate(tmp_path, HEAD + "    carried_over: 2017/18\n", style)
    assert result.returncode == 0, result.stderr


def carried_over(characters: int) -> str:
    return HEAD + "    carried_over: " + "y" * characters + "\n"


def test_a_value_filled_into_a_label_counts_against_the_paragraph_limit(tmp_path):
    style = "labels:\n  carried_over: 'Carried over from {year}.'\n"
    overhead = len("Carried over from .")
    result = validate(tmp_path, carried_over(MAX_PARAGRAPH_CHARACTERS - overhead + 1), style)
    assert result.returncode == 1
    assert errors_of(result) == [
        f"sources/r.yaml:7:19: error: filled into the style's `carried_over` label, this text makes a "
        f"paragraph of {MAX_PARAGRAPH_CHARACTERS + 1:,} characters; at most {MAX_PARAGRAPH_CHARACTERS:,} are "
        "allowed (shorten it)"]
    assert validate(tmp_path, carried_over(MAX_PARAGRAPH_CHARACTERS - overhead), style).returncode == 0


def test_labels_count_against_the_report_text_limit(tmp_path):
    # Source text some 9,000 characters under the limit, and 300 causes of concern: with the
    # default heading label ("Cause of concern") they fit, with a 100-character one they do not,
    # and the cause that crosses the limit is named.
    line = "x" * 180
    lines = (MAX_TEXT_CHARACTERS - 20_000) // len(line)
    prose = "".join(f"      {line}\n\n" if i % 20 == 19 else f"      {line}\n" for i in range(lines))
    causes = "    causes_of_concern:\n" + "".join(f"      - text: c{i}\n" for i in range(300))
    source = HEAD + causes + "    findings: |\n" + prose
    assert validate(tmp_path, source, "").returncode == 0
    result = validate(tmp_path, source, f"labels:\n  causes_of_concern: {'C' * 100}\n")
    assert result.returncode == 1
    [error] = errors_of(result)
    assert f"error: the report's text, with the style's labels filled in, passes {MAX_TEXT_CHARACTERS:,}" in error
    file, line, column = error.split(":")[:3]
    assert file == "sources/r.yaml" and 8 + 50 <= int(line) < 8 + 300 and column == "9", error


# ---- item 5c: pillars and sections, each a new page ------------------------------------------

def pillars(count: int) -> str:
    return "title: T\nsubject: S\npillars:\n" + "".join(f"  - title: P{i}\n    grade: good\n" for i in range(count))


def test_pillars_and_sections_together_are_limited_at_the_one_that_crosses(tmp_path):
    front = "front_matter:\n" + "".join(f"  - title: F{i}\n" for i in range(10))
    result = validate(tmp_path, front + pillars(MAX_SECTIONS - 10 + 1))
    assert result.returncode == 1
    line = 1 + 10 + 3 + 2 * (MAX_SECTIONS - 10)  # front matter, head, then two lines per pillar
    assert errors_of(result) == [
        f"sources/r.yaml:{line + 1}:5: error: the report has more than {MAX_SECTIONS:,} pillars, "
        "front-matter sections and annexes; split it into several reports"]
    assert validate(tmp_path, front + pillars(MAX_SECTIONS - 10)).returncode == 0


# ---- item 5b: markup spans -------------------------------------------------------------------

def spans(count: int, per_paragraph: int = 100) -> str:
    paragraphs = [" ".join(["*a* **b**"] * (per_paragraph // 2))] * (count // per_paragraph)
    return HEAD + "    findings: |\n" + "".join(f"      {p}\n\n" for p in paragraphs) + "      [l](https://x.org)\n"


def test_markup_spans_are_limited_at_the_paragraph_that_crosses(tmp_path):
    result = validate(tmp_path, spans(MAX_MARKUP_SPANS))  # the link on the last line is one over
    assert result.returncode == 1
    last_line = 6 + 2 * (MAX_MARKUP_SPANS // 100) + 1
    assert errors_of(result) == [
        f"sources/r.yaml:{last_line}:7: error: the report passes {MAX_MARKUP_SPANS:,} bold, italic and link "
        "spans here; use less markup, or split it into several reports"]
    at_limit = spans(MAX_MARKUP_SPANS).rsplit("      [l]", 1)[0]
    assert validate(tmp_path, at_limit).returncode == 0


# ---- item 5a: DOCX hyperlinks, one relationship per target, found in constant time -----------

def links(count: int) -> str:
    lines = "".join(f"      [l{i}](https://example.org/{i})\n" + ("\n" if i % 20 == 19 else "")
                    for i in range(count))
    return HEAD + "    findings: |\n" + lines + "      [again](https://example.org/0)\n"


def relationship_lookups(tmp_path: Path, count: int, monkeypatch) -> int:
    """How many relationships python-docx looks at while the DOCX renderer adds `count` links."""
    from docx.opc.rel import Relationships

    from compiler.build.load import load_all
    from compiler.build.report import compose_document
    from compiler.diagnostics import Diagnostics
    from compiler.render import RenderOptions, renderer_for
    from compiler.source.paths import Roots

    root = project(tmp_path / str(count), links(count))
    [loaded] = load_all([root / "sources" / "r.yaml"], Roots.at(root))
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    document = compose_document(loaded, None)
    looked = [0]
    values, contains = Relationships.values, Relationships.__contains__

    def counted_values(self):
        for value in values(self):
            looked[0] += 1
            yield value

    def counted_contains(self, key):
        looked[0] += 1
        return contains(self, key)

    with monkeypatch.context() as patch:
        patch.setattr(Relationships, "values", counted_values)
        patch.setattr(Relationships, "__contains__", counted_contains)
        renderer_for("docx")(document, RenderOptions(), Diagnostics())
    return looked[0]


def test_docx_links_cost_linear_relationship_lookups(tmp_path, monkeypatch):
    small = relationship_lookups(tmp_path, 250, monkeypatch)
    large = relationship_lookups(tmp_path, 1_000, monkeypatch)
    assert large < 6 * small, (small, large)  # 4x the links: 4x the lookups, not 16x


def test_docx_with_many_distinct_links_relates_each_target_once(tmp_path):
    root = project(tmp_path, links(2_000))
    result = run_reportc("build", "sources/r.yaml", "--format", "docx", "--out", "out", "-j", "1", cwd=root)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(root / "out" / "r.docx") as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels if rel.get("TargetMode") == "External"}
    assert len(targets) == len(set(targets.values())) == 2_000
    linked = [targets[link.get(R_ID)] for link in body.iter(W_HYPERLINK) if link.get(R_ID)]
    assert linked == [f"https://example.org/{i}" for i in range(2_000)] + ["https://example.org/0"]
