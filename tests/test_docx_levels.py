"""Heading levels in the DOCX: every heading has layout's level as its outline level (the PDF's H1 to
H6), so Word's navigation pane and a screen reader skip none. A callout box's title is one level
under the heading it is under, wherever the box is (its style, based on Heading 4, had level 4
everywhere: under a question, Heading 2, it skipped level 3); a sub-heading is as deep as layout
puts it. The contents field still lists Heading 1 and 2 only, in Word and in LibreOffice."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from compiler.layout.blocks import Heading
from compiler.model import plain_text
from compiler.render.docx.contents import TOC_INSTRUCTION
from tests.conftest import sample_sources
from tests.docx_fixtures import NS, W, compose, part_xml, render_docx, soffice

SOURCE = """title: Levels
subject: Testshire Police
language: en-GB
pillars:
  - title: Effectiveness
    grade: good
    summary:
      - |
        A pillar's summary.
      - callout:
          kind: note
          title: Under the pillar
          body: |
            A box right under a Heading 1.
    questions:
      - title: How good is the force at testing?
        grade: good
        areas_for_improvement:
          - text: The force should test more.
            detail:
              - |
                ### Detail heading

                #### Detail sub-heading

                Text.
              - callout:
                  kind: case-study
                  title: In a detail
                  body: |
                    ### Box heading

                    #### Box sub-heading

                    Text.
        findings:
          - |
            Findings.
          - callout:
              kind: innovative-practice
              title: In a question
              body: |
                A box under a Heading 2.
"""


@pytest.fixture(scope="module")
def levels(tmp_path_factory) -> tuple:
    source = tmp_path_factory.mktemp("levels") / "levels.yaml"
    source.write_text(SOURCE, encoding="utf-8")
    document = compose(source)
    return document, render_docx(document)


def outline(data: bytes) -> list[tuple[int, str, str]]:
    """(outline level 0-8, style id, text) of every paragraph that has one (a paragraph's own
    w:outlineLvl, else its style's, followed through w:basedOn), in reading order."""
    styles = {s.get(f"{{{W}}}styleId"): s for s in part_xml(data, "word/styles.xml").findall("w:style", NS)}

    def style_level(style_id: str | None) -> int | None:
        while style_id in styles:
            level = styles[style_id].find("w:pPr/w:outlineLvl", NS)
            if level is not None:
                return int(level.get(f"{{{W}}}val"))
            based = styles[style_id].find("w:basedOn", NS)
            style_id = based.get(f"{{{W}}}val") if based is not None else None
        return None

    out = []
    for p in part_xml(data, "word/document.xml").iter(f"{{{W}}}p"):
        style = p.find("w:pPr/w:pStyle", NS)
        style_id = style.get(f"{{{W}}}val") if style is not None else None
        own = p.find("w:pPr/w:outlineLvl", NS)
        level = int(own.get(f"{{{W}}}val")) if own is not None else style_level(style_id)
        if level is not None and level < 9:
            out.append((level, style_id, "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))))
    return out


def headings(blocks):
    """Layout's headings in reading order, boxes, list items and table notes included."""
    for block in blocks:
        if isinstance(block, Heading):
            yield block
        for inner in ("blocks", "items", "children", "notes"):
            if isinstance(getattr(block, inner, None), tuple):
                yield from headings(getattr(block, inner))


def test_a_callout_title_is_one_level_under_the_heading_it_is_under(levels):
    _, data = levels
    found = {text: (level, style) for level, style, text in outline(data)}
    assert found["Effectiveness"] == (0, "Heading1")
    assert found["1.How good is the force at testing?"] == (1, "Heading2")
    assert found["Note: Under the pillar"] == (1, "CalloutHeading")  # under a Heading 1 (had 3)
    assert found["Innovative practice: In a question"] == (2, "CalloutHeading")  # under a Heading 2 (had 3)
    assert found["Case study: In a detail"] == (3, "CalloutHeading")  # under "Areas for improvement", level 3


@pytest.mark.parametrize("source", [None, *sample_sources()], ids=lambda s: "levels" if s is None else s.stem)
def test_every_heading_has_layout_s_level_and_none_skips_one(levels, source):
    document, data = levels if source is None else (lambda d: (d, render_docx(d)))(compose(source))
    expected = [(min(h.level, 9) - 1, f"{h.number_text}{plain_text(h.content)}" if h.number else plain_text(h.content))
                for h in headings(document.body)]
    shown = [(level, text) for level, _, text in outline(data)]
    assert shown == expected
    above = -1
    for level, text in shown:
        assert level <= above + 1, (text, level, above)
        above = level
    if source is None:  # a box's sub-headings under its title, as deep as layout puts them (had 4 and 4)
        assert {(4, "Box heading"), (5, "Box sub-heading")} <= set(shown)


def test_the_contents_field_is_built_from_heading_1_and_2_not_outline_levels(levels):
    """\\o or \\u would list every paragraph with an outline level: the callout titles too."""
    instructions = [t.text.strip() for t in part_xml(levels[1], "word/document.xml").iter(f"{{{W}}}instrText")]
    assert instructions[0] == TOC_INSTRUCTION
    switches = TOC_INSTRUCTION.split('"')[0].split()
    assert "\\o" not in switches and "\\u" not in switches


LO_SCRIPT = '''
import json, os, sys, time, uno
from com.sun.star.beans import PropertyValue

pipe, path = sys.argv[1], sys.argv[2]
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(240):
    try:
        context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        break
    except Exception:
        time.sleep(0.5)
desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
hidden = PropertyValue()
hidden.Name, hidden.Value = "Hidden", True
document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (hidden,))


def each(text):
    paragraphs = text.createEnumeration()
    while paragraphs.hasMoreElements():
        item = paragraphs.nextElement()
        if item.supportsService("com.sun.star.text.TextTable"):
            for name in item.getCellNames():
                yield from each(item.getCellByName(name).getText())
        else:
            yield item


outline = [[p.OutlineLevel, p.getString()] for p in each(document.getText()) if p.OutlineLevel]
index = document.getDocumentIndexes().getByIndex(0)
cached = index.getAnchor().getString().splitlines()
index.update()
updated = index.getAnchor().getString().splitlines()
document.close(True)
print(json.dumps({"outline": outline, "cached": cached, "updated": updated}))
sys.stdout.flush()
os._exit(0)  # the UNO bridge's own teardown at exit sometimes crashes this client (SIGSEGV), its work done
'''


def test_libreoffice_sees_the_levels_and_its_updated_contents_leaves_the_boxes_out(levels, tmp_path):
    from tests.test_review import uno_python

    python = uno_python()
    if python is None or not soffice():
        pytest.skip("LibreOffice with python3-uno is not installed")
    (tmp_path / "levels.docx").write_bytes(levels[1])
    (tmp_path / "lo_levels.py").write_text(LO_SCRIPT, encoding="utf-8")
    pipe = f"reportc_levels_{os.getpid()}"
    office = subprocess.Popen([soffice(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                               "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        done = subprocess.run([python, str(tmp_path / "lo_levels.py"), pipe, str(tmp_path / "levels.docx")],
                              capture_output=True, text=True, timeout=180)
    finally:
        office.terminate()
        office.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    levels_in_office = {text: level for level, text in read["outline"]}  # (LibreOffice counts from 1)
    assert levels_in_office["Note: Under the pillar"] == levels_in_office["Effectiveness"] + 1 == 2
    assert levels_in_office["Innovative practice: In a question"] == 3
    entries = [" ".join(line.rsplit("\t", 1)[0].split()) for line in read["updated"]]  # (no page numbers)
    assert entries == [" ".join(line.rsplit("\t", 1)[0].split()) for line in read["cached"]]
    assert not [line for line in read["updated"] if "In a question" in line or "Under the pillar" in line]
    assert len(entries) == 3  # the glance, the pillar and its question
