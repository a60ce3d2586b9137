"""Issue 13: rich blocks (`table:` with its source and notes, `figure:`, `callout:`). Every error
in them at its own FILE:LINE:COL in one run; then the PDF, the DOCX and the HTML read back: a
figure with its alt text (tagged Figure with /Alt and /BBox, a picture whose docPr carries the
alt, an img with alt in a figure), captions numbered by SEQ fields, a callout box that is a
named grouping of its heading and text, CSV cells printed as written; and a reviewer's comment
on a table cell traced back to the cell's line."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pytest
from docx.oxml.ns import qn
from PIL import Image

from tests.conftest import SOURCES, copy_sample_data, run_reportc, sample_without_data_section
from tests.htmlpage import parse
from tests.test_html_browser import AXE_TAGS
from tests.test_pdf_tagging import read_tree

SAMPLE = SOURCES / "northshire-peel-2021.yaml"
FINDINGS = "        findings: |\n"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
ALT = "Map of the force area showing its three command units"


def with_findings(items: str) -> str:
    """The sample report with its first question's findings replaced by a rich block list."""
    source = sample_without_data_section()
    start = source.index(FINDINGS)
    rest = source[start + len(FINDINGS):].split("\n")
    end = next(index for index, line in enumerate(rest) if line and not line.startswith("          "))
    return source[:start] + "        findings:\n" + items + "\n".join(rest[end:])


def line_of(text: str, marker: str) -> int:
    return text[:text.index(marker)].count("\n") + 1


def picture(path: Path, size=(400, 200)) -> None:
    image = Image.new("RGB", size, (30, 90, 160))
    image.paste((240, 200, 40), (size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4))
    image.save(path)


# ---- errors ---------------------------------------------------------------------------------------

BAD = """\
          - table:
              caption: Ragged rows
              columns: [Year, Calls]
              rows:
                - [2019, 100]
                - [2020, 100, 7]
          - table:
              caption: Alignment
              columns: [Year, Calls]
              align: [left, right, right]
              rows:
                - [2019, 100]
          - table:
              caption: Both
              columns: [Year, Calls]
              csv: ragged.csv
          - table:
              caption: Outside
              csv: ../outside.csv
          - table:
              caption: Not UTF-8
              csv: latin1.csv
          - table:
              caption: Too big
              csv: big.csv
          - table:
              caption: Ragged CSV
              csv: ragged.csv
          - table:
              caption: Too many rows
              csv: rows.csv
          - figure:
              image: pic.png
              caption: No alt
          - figure:
              image: pic.png
              alt: " "
              caption: Empty alt
          - chart:
              type: bar
              caption: Short series
              categories: ["2019", "2020", "2021"]
              series:
                - {name: Northshire, values: [1, 2]}
                - {name: England, values: [1, two, 3]}
          - callout:
              kind: innovative-practise
              body: |
                Text.
"""


def test_every_rich_block_error_at_its_own_position_in_one_run(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "outside.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # exists: refused all the same
    (project / "latin1.csv").write_bytes("Year,Name\n2019,Caf\xe9\n".encode("latin-1"))
    (project / "ragged.csv").write_text("a,b\n1,2\n3\n4,5\n", encoding="utf-8")
    (project / "big.csv").write_text("a,b\n" + "1,2\n" * 600_000, encoding="utf-8")
    (project / "rows.csv").write_text("a,b\n" + "".join(f"{n},x\n" for n in range(2_005)), encoding="utf-8")
    picture(project / "pic.png", (10, 10))
    text = with_findings(BAD)
    (project / "report.yaml").write_text(text, encoding="utf-8")
    copy_sample_data(project)

    result = run_reportc("validate", "report.yaml", cwd=project)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert "Traceback" not in result.stderr

    def error_at(position: str, *words: str) -> None:
        found = [line for line in errors if line.startswith(position + ":") or line.startswith(position + " ")]
        assert found, (position, errors)
        assert all(any(word in line for line in found) for word in words), (position, words, found)

    def at(marker: str, column: int) -> str:
        return f"report.yaml:{line_of(text, marker)}:{column}"

    error_at(at("- [2020, 100, 7]", 19), "3 cells", "2 columns")
    error_at(at("align: [left, right, right]", 22), "align", "one per column")
    error_at(at("caption: Both", 15), "not both")  # (at the table's mapping)
    error_at(at("../outside.csv", 20), "outside the project root")
    error_at("latin1.csv:2:9", "not UTF-8")
    error_at(at("csv: big.csv", 20), "2,097,152")
    error_at("ragged.csv:3:1", "1 cell", "2 columns")
    error_at("rows.csv:2002:1", "2,000 rows")
    error_at(at("image: pic.png\n              caption: No alt", 15), "`alt`")
    error_at(at('alt: " "', 20), "`alt` is empty")
    error_at(at("[1, 2]}", 46), "2 values for 3 categories")
    error_at(at("[1, two, 3]", 47), "not a number")
    error_at(at("innovative-practise", 21), "did you mean 'innovative-practice'")
    # one error for each, and nothing read outside the project
    assert len(errors) == 13, errors


# ---- outputs --------------------------------------------------------------------------------------

GOOD = f"""\
          - |
            Calls for service rose again this year.
          - table:
              name: calls
              caption: Calls for service, 2019 to 2022
              csv: calls.csv
              align: [left, right, right]
              source: Force data return, 2022
              notes: |
                Figures are rounded to the nearest 50.
          - table:
              caption: Cases reviewed
              columns: [Year, Cases]
              rows:
                - [2019, "1,240"]
                - [2020, "1,310"]
          - figure:
              name: map
              image: map.png
              alt: {ALT}
              caption: The force area
              source: Force, 2022
              width: 60
          - figure:
              image: map.png
              alt: The same map again
              caption: The force area again
          - callout:
              kind: innovative-practice
              title: Using drones to find missing people
              body: |
                The force uses drones to search large areas quickly.

                It found 14 people this way.
          - |
            Our victim service assessment continues.
"""
CALLOUT_NAME = "Innovative practice: Using drones to find missing people"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("rich")
    (project / "calls.csv").write_text('Year,999 calls,Answered\n2019,"12,400",91%\n'
                                       '2020,"<b>13,050</b> &amp; more",88%\n', encoding="utf-8")
    picture(project / "map.png")
    text = with_findings(GOOD).replace("status: final", "status: draft", 1)
    (project / "report.yaml").write_text(text, encoding="utf-8")
    copy_sample_data(project)
    result = run_reportc("build", "report.yaml", "--format", "pdf,docx,html", "-j", "1", "--out", "out",
                         cwd=project, env=EPOCH)
    assert result.returncode == 0, result.stderr
    return project


def output(project: Path, ext: str) -> Path:
    [path] = (project / "out").glob(f"*.{ext}")
    return path


def test_pdf_tags_the_figure_with_alt_and_box_and_the_callout_as_a_group(built):
    pdf_path = output(built, "pdf")
    tree = read_tree(pdf_path)
    figures = [node for node in tree.nodes("Figure") if node.alt == ALT]
    assert len(figures) == 1
    with pikepdf.open(pdf_path) as pdf:
        boxes = [element.A.BBox for element in _struct_elements(pdf.Root.StructTreeRoot)
                 if element.get("/S") == "/Figure" and str(element.get("/Alt", "")) == ALT]
        assert len(boxes) == 1 and len(boxes[0]) == 4
        left, bottom, right, top = (float(value) for value in boxes[0])
        width = float(pdf.pages[0].MediaBox[2])
        assert 0 < left < right < width and 0 < bottom < top
        # the picture used twice is embedded once
        images = {obj.objgen for page in pdf.pages for obj in page.Resources.get("/XObject", {}).values()
                  if obj.get("/Subtype") == "/Image" and obj.get("/Width") == 400}
        assert len(images) == 1
    figure_group = next(node for node in tree.nodes("Div") if any(kid.role == "Figure" and kid.alt == ALT
                                                                  for kid in node.children()))
    assert [kid.role for kid in figure_group.children()] == ["Caption", "Figure", "P"]
    assert tree.text(figure_group.children("Caption")[0]).startswith("Figure 1: The force area")
    box = next(node for node in tree.nodes("Div")
               if node.children() and node.children()[0].role.startswith("H")
               and tree.text(node.children()[0]).startswith("Innovative practice:"))
    assert [kid.role for kid in box.children()][1:] == ["P", "P"]
    tables = [node for node in tree.nodes("Table") if "Calls for service" in tree.text(node)]
    assert len(tables) == 1
    with pdfplumber.open(pdf_path) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    for expected in ("Table 1: Calls for service, 2019 to 2022", "Source: Force data return, 2022",
                     "Figures are rounded to the nearest 50.", "Figure 1: The force area", "Source: Force, 2022",
                     "Figure 2: The force area again", "<b>13,050</b> &amp; more"):
        assert expected in text, expected


def _struct_elements(node):
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]) if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _struct_elements(kid)


def test_pdf_stays_pdfua_clean(built):
    checked = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(output(built, "pdf"))],
                             capture_output=True, text=True, timeout=120)
    report = json.loads(checked.stdout)
    assert report["summary"]["findings"] == 0, report["findings"]


def test_docx_has_pictures_with_alt_seq_fields_named_callout_style_and_header_rows(built):
    path = output(built, "docx")
    word = docx.Document(str(path))
    body = word.element.body
    doc_prs = [p for p in body.iter(qn("wp:docPr")) if p.get("name", "").startswith("Figure")]
    assert [p.get("descr") for p in doc_prs] == [ALT, "The same map again"]
    instructions = " ".join(node.text for node in body.iter(qn("w:instrText")))
    assert instructions.count("SEQ Figure") == 2 and instructions.count("SEQ Table") == 2
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert captions[:4] == ["Table 1: Calls for service, 2019 to 2022", "Table 2: Cases reviewed",
                            "Figure 1: The force area", "Figure 2: The force area again"]
    sources = [p.text for p in word.paragraphs if p.style.name == "Source"]
    assert sources == ["Source: Force data return, 2022", "Source: Force, 2022"]
    assert [p.text for p in word.paragraphs if p.style.name == "Table Note"] == ["Figures are rounded to the nearest 50."]
    boxes = [table for table in word.tables if table.style is not None and table.style.name == "Innovative Practice Box"
             and CALLOUT_NAME in table.cell(0, 0).text]  # (the sample has a box of its own)
    assert len(boxes) == 1
    heading, *rest = [p for row in boxes[0].rows for cell in row.cells for p in cell.paragraphs if p.text]
    assert heading.style.name == "Callout Heading" and heading.text == CALLOUT_NAME
    assert [p.text for p in rest] == ["The force uses drones to search large areas quickly.", "It found 14 people this way."]
    calls = next(table for table in word.tables if len(table.columns) == 3 and table.cell(0, 0).text == "Year")
    assert calls.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert calls.cell(2, 1).text == "<b>13,050</b> &amp; more"
    with zipfile.ZipFile(path) as archive:  # the picture used twice is stored once
        assert len([name for name in archive.namelist() if name.startswith("word/media/")]) == 2  # + the logo


def test_html_has_figure_img_alt_figcaption_aside_with_name_and_caption(built):
    root, _ = parse(output(built, "html").read_text(encoding="utf-8"))
    figures = [node for node in root.iter("figure") if "figure" in (node.attrs.get("class") or "").split()]
    assert len(figures) == 2
    first = figures[0]
    assert first.attrs["id"] == "fig-map"
    [caption] = first.iter("figcaption")
    assert caption.text() == "Figure 1: The force area"
    [img] = first.iter("img")
    assert img.attrs["alt"] == ALT and img.attrs["src"].startswith("data:image/png;base64,")
    assert "Source: Force, 2022" in first.text()
    [aside] = [node for node in root.iter("aside") if "callout" in (node.attrs.get("class") or "").split()
               and CALLOUT_NAME in node.text()]  # (the sample has a callout of its own)
    labelled = aside.attrs["aria-labelledby"]
    [heading] = [node for node in aside.iter() if node.attrs.get("id") == labelled]
    assert heading.tag in ("h3", "h4", "h5", "h6") and heading.text() == CALLOUT_NAME
    table = next(node for node in root.iter("table") if node.attrs.get("id") == "tbl-calls")
    [table_caption] = table.iter("caption")
    assert table_caption.text() == "Table 1: Calls for service, 2019 to 2022"
    assert "<b>13,050</b> &amp; more" in [cell.text() for cell in table.iter("td")]
    sources = [node.text() for node in root.iter("p") if node.attrs.get("class") == "source"]
    assert sources == ["Source: Force data return, 2022", "Source: Force, 2022"]


def test_a_comment_on_a_table_cell_is_reported_at_the_cells_line(built, tmp_path):
    word = docx.Document(str(output(built, "docx")))
    data_tables = [table for table in word.tables if len(table.columns) > 1]
    inline = next(table for table in data_tables if table.cell(0, 1).text == "Cases")
    csv_table = next(table for table in data_tables if table.cell(0, 1).text == "999 calls")
    for cell, note in ((inline.cell(2, 1), "Check 2020"), (csv_table.cell(2, 2), "Check the rate"),):
        paragraph = cell.paragraphs[0]
        made = word.add_comment(paragraph.runs, text=note, author="Jane Smith", initials="JS")
        made._comment_elm.set(qn("w:date"), "2026-05-01T10:00:00Z")
    caption = next(p for p in word.paragraphs if p.text == "Figure 1: The force area")
    word.add_comment(caption.runs, text="Better caption?", author="Jane Smith", initials="JS")
    reviewed = tmp_path / "reviewed.docx"
    word.save(str(reviewed))
    result = run_reportc("review", str(reviewed), cwd=built)
    assert result.returncode == 0, result.stderr
    source = (built / "report.yaml").read_text(encoding="utf-8")
    lines = result.stdout.splitlines()
    # each at its own cell's column, not its row's start
    cell_line = line_of(source, '- [2020, "1,310"]')
    cell_col = source.split("\n")[cell_line - 1].index('"1,310"') + 1
    assert any(line.startswith(f"report.yaml:{cell_line}:{cell_col}:") and "Check 2020" in line for line in lines), lines
    # a CSV cell at its line in the CSV file (csvdata.py gives CSV cells their line only)
    assert any(line.startswith("calls.csv:3:") and "Check the rate" in line for line in lines), lines
    caption_line = line_of(source, "caption: The force area\n")
    assert any(line.startswith(f"report.yaml:{caption_line}:") and "Better caption?" in line for line in lines), lines


def test_html_with_rich_blocks_has_no_axe_violations(browser, built, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(output(built, "html").as_uri())
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                       "resultTypes": ["violations"]})
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    page.screenshot(path=str(tmp_path / "rich.png"), full_page=True)
    page.close()
    assert not violations, json.dumps(violations)[:2000]
