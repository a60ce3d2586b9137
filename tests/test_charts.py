"""Issue 13, charts: `chart:` blocks drawn from their data in every format. The geometry is
computed once in layout (nice ticks, bars from zero, series told apart by more than colour, 3:1
on white); the PDF draws it as vectors inside a tagged Figure with /Alt, the HTML as an inline
SVG with a data table under it, the DOCX as a native Word chart with cached values."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from lxml import etree

from compiler.diagnostics import Diagnostics, Span
from compiler.model import Chart, Series
from compiler.layout import blocks, chartshapes
from compiler.layout.charts import chart_block, text_column_height_pt
from compiler.layout.chartscale import accessible, nice_ticks, series_looks, wrapped
from compiler.layout.colour import WHITE, contrast
from compiler.source.paths import Roots
from compiler.style.loader import StyleLoader
from tests.conftest import ROOT, SOURCE_DATE, SOURCES, copy_sample_data, run_reportc, sample_without_data_section
from tests.htmlpage import parse
from tests.test_html_browser import AXE_TAGS
from tests.test_pdf_tagging import read_tree, squash

SAMPLE = SOURCES / "northshire-peel-2021.yaml"
FINDINGS = "        findings: |"
CHARTS = """        findings:
          - chart:
              name: answered
              type: bar
              caption: 999 calls answered within 10 seconds
              categories: ["2019", "2020", "2021", "Year to March 2022 (provisional)"]
              series:
                - {name: Northshire Police, values: [91, 88, 86, 90]}
                - {name: England and Wales, values: [89, 87, 85, 87]}
              unit: "%"
              source: Home Office, 2022
          - chart:
              name: change
              type: column
              caption: Change in recorded crime
              categories: [Violence, Theft, Burglary, Fraud]
              series:
                - {name: Northshire Police, values: [12, -4, -9.5, 21]}
                - {name: England and Wales, values: [8, -2, -6, 15]}
              unit: "%"
              alt: Violence and fraud rose; theft and burglary fell, in Northshire more than nationally.
          - chart:
              type: line
              caption: Victims satisfied with the service
              categories: ["2018", "2019", "2020", "2021", "2022"]
              series:
                - {name: Northshire Police, values: [72, 75, 74, 78, 80]}
                - {name: England and Wales, values: [70, 71, 73, 73, 74]}
              unit: "%"
          - chart:
              name: waiting
              type: column
              caption: Average wait for an officer to attend
              categories: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday]
              series:
                - {name: Emergency, values: [10.1, 9.2, 12.5, 11.3, 9.8, 13.4]}
                - {name: Priority, values: [21.7, 19.6, 24.8, 22.1, 18.9, 26.3]}
                - {name: Scheduled, values: [31.2, 28.4, 35.6, 30.7, 27.5, 38.9]}
              unit: " min"
          - |"""
WAITING = ("10.1 min", "9.2 min", "12.5 min", "11.3 min", "9.8 min", "13.4 min", "21.7 min", "19.6 min", "24.8 min",
           "22.1 min", "18.9 min", "26.3 min", "31.2 min", "28.4 min", "35.6 min", "30.7 min", "27.5 min", "38.9 min")


def write_report(folder: Path) -> Path:
    """The sample with the charts before the first question's findings (as a list item now)."""
    lines = sample_without_data_section().split("\n")
    at = lines.index(FINDINGS)
    end = next(i for i in range(at + 1, len(lines)) if lines[i].strip() and not lines[i].startswith(" " * 10))
    moved = ["  " + line if line.strip() else line for line in lines[at + 1:end]]
    path = folder / "report.yaml"
    path.write_text("\n".join(lines[:at] + CHARTS.split("\n") + moved + lines[end:]), encoding="utf-8")
    copy_sample_data(folder)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("charts")
    write_report(folder)
    result = run_reportc("build", "report.yaml", "--out", "out", "--format", "pdf,docx,html",
                         cwd=folder, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    return folder / "out"


def output(folder: Path, extension: str) -> Path:
    return next(folder.glob(f"*.{extension}"))


# ---- layout ------------------------------------------------------------------------------------


def test_ticks_are_nice_steps_and_bars_start_at_zero():
    assert nice_ticks(85, 91, from_zero=True) == (0, 20, 40, 60, 80, 100)
    assert nice_ticks(-9.5, 21, from_zero=True) == (-10, 0, 10, 20, 30)
    assert nice_ticks(72, 80, from_zero=False) == (72, 74, 76, 78, 80)
    assert nice_ticks(0, 0.23, from_zero=True) == (0, 0.05, 0.1, 0.15, 0.2, 0.25)
    for low, high in ((3, 7), (-120, 40), (0.4, 9000), (5, 5)):
        ticks = nice_ticks(low, high, from_zero=True)
        step = ticks[1] - ticks[0]
        assert ticks[0] <= min(low, 0) and ticks[-1] >= max(high, 0) and 0 in ticks
        assert round(step / 10 ** math.floor(math.log10(step)), 6) in (1, 2, 2.5, 5)



def test_values_that_differ_in_their_last_decimal_still_get_distinct_ticks():
    """Values as close as ten decimals allow: the axis must still span them (it divided by zero)."""
    for low, high, from_zero in ((5, 5.0000000001, False), (0.0000000001, 0.0000000002, True),
                                 (-0.0000000003, -0.0000000001, False)):
        ticks = nice_ticks(low, high, from_zero)
        assert len(set(ticks)) == len(ticks) >= 2 and ticks[0] <= low and ticks[-1] >= high


@pytest.mark.parametrize("style_file", sorted((ROOT / "styles").glob("*.yaml")))
def test_every_series_colour_reaches_3_to_1_on_white_in_every_shipped_style(style_file):
    diagnostics = Diagnostics()
    style = StyleLoader(Roots.at(ROOT)).load(str(style_file), ROOT, Span("t", 1, 1), diagnostics)
    assert style is not None, [d.format() for d in diagnostics]
    looks = series_looks(style, 5)
    assert all(contrast(look.colour, WHITE) >= 3.0 for look in looks)
    # never colour alone: marker, dash and hatch differ between neighbouring series
    for first, second in zip(looks, looks[1:]):
        assert first.marker != second.marker and first.dash != second.dash and first.hatch != second.hatch


def test_a_light_colour_is_darkened_to_3_to_1():
    assert contrast(accessible("#FFDD00"), WHITE) >= 3.0
    assert accessible("#1D70B8") == "#1D70B8"


def test_long_category_labels_wrap_then_end_in_an_ellipsis():
    width_of = lambda text: len(text) * 5.0  # noqa: E731
    assert wrapped("Year to March 2022", width_of, 60) == ("Year to", "March 2022")
    lines = wrapped("Year to March 2022 provisional and unaudited figures", width_of, 60)
    assert len(lines) == 2 and lines[1].endswith("\u2026") and all(width_of(line) <= 60 for line in lines)


def test_a_label_kept_to_one_line_ends_in_an_ellipsis_when_words_are_left_out():
    """A bar chart's crowded rows keep one line per label: words that do not fit are never
    dropped silently."""
    width_of = lambda text: len(text) * 5.0  # noqa: E731
    assert wrapped("Infection prevention and control", width_of, 125, max_lines=1) == ("Infection prevention and\u2026",)
    assert wrapped("Safe care", width_of, 125, max_lines=1) == ("Safe care",)
    # Cut between words, so a number is never shown cut short ("Q4 2025/2…" reads as another year)
    assert wrapped("Q4 2025/26 (provisional)", width_of, 55, max_lines=1) == ("Q4 2025/26\u2026",)
    assert wrapped("Supercalifragilistic label", width_of, 40, max_lines=1) == ("Superca\u2026",)
    for text in ("a bb ccc dddd eeeee ffffff", "Infection prevention and control", "one"):
        for lines in (1, 2, 3):
            shown = wrapped(text, width_of, 40, max_lines=lines)
            assert len(shown) <= lines and all(width_of(line) <= 40 for line in shown)
            kept = " ".join(shown)
            assert kept == text or kept.endswith("\u2026")


def test_drawing_labels_every_value_with_its_unit_and_tells_series_apart(documents_with_charts):
    charts = documents_with_charts
    assert [c.kind for c in charts] == ["bar", "column", "line", "column"]
    for block in charts:
        labels = {label.text for label in block.drawing.labels()}
        assert {t for s in block.series for t in s.value_texts} <= labels
        assert block.drawing.width > 300 and block.drawing.height > 100
    column = charts[1]
    zero = [label for label in column.drawing.labels() if label.text == "0%"]
    assert zero, "the value axis of a column chart shows its zero"
    line = charts[2]
    markers = [shape for shape in line.drawing.shapes if isinstance(shape, chartshapes.Marker)]
    assert len({m.shape for m in markers}) == 2
    dashes = {shape.dash for shape in line.drawing.shapes if isinstance(shape, chartshapes.Line)
              and shape.colour in {s.colour for s in line.series}}
    assert len(dashes) == 2


def test_a_dense_chart_stays_within_a_page_and_leaves_unreadable_labels_out():
    style = StyleLoader(Roots.at(ROOT)).load("hmicfrs", ROOT, Span("t", 1, 1), Diagnostics())
    span = Span("t", 1, 1)
    categories = tuple(f"Area {i}" for i in range(100))
    series = tuple(Series(f"S{j}", tuple(float((i * 7 + j) % 50 - 10) for i in range(100)), span) for j in range(8))
    for kind in ("bar", "column", "line"):
        block = chart_block(Chart(None, kind, (), categories, series, "%", None, None, span), 1, (), "f", None, style)
        assert block.drawing.height <= text_column_height_pt(style)
        texts = [label.text for label in block.drawing.labels()]
        assert "S7" in texts and "-10%" in texts  # legend and axis stay
        assert len(texts) < 100, "800 value labels would be unreadable: the data table has them"


def _drawn(kind: str, categories, values: dict[str, list[float]], unit: str):
    """A chart's drawing in the house style, and how wide its label texts are."""
    from compiler.layout.chartscale import measure_for

    style = StyleLoader(Roots.at(ROOT)).load("hmicfrs", ROOT, Span("t", 1, 1), Diagnostics())
    span = Span("t", 1, 1)
    series = tuple(Series(name, tuple(v), span) for name, v in values.items())
    block = chart_block(Chart(None, kind, (), tuple(categories), series, unit, None, None, span), 1, (), "f", None,
                        style)
    return block.drawing, measure_for(style)


def _box(label: chartshapes.Label, measure) -> tuple[float, float, float, float]:
    """Near enough the box a label's letters take: 0.75 of its size over the baseline, 0.25 under."""
    width = measure(label.text, label.size)
    start = {"start": 0.0, "middle": -width / 2, "end": -width}[label.anchor]
    if label.rotated:  # reading upwards from its anchor
        return label.x - label.size * 0.75, label.y - start - width, label.x + label.size * 0.25, label.y - start
    return label.x + start, label.y - label.size * 0.75, label.x + start + width, label.y + label.size * 0.25


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _assert_labels_apart_and_inside(drawing: chartshapes.ChartDrawing, measure) -> None:
    boxes = [(label.text, _box(label, measure)) for label in drawing.labels()]
    clashes = [(a, b) for i, (a, box) in enumerate(boxes) for b, other in boxes[i + 1:] if _overlap(box, other)]
    assert not clashes
    edge = 0.01  # points: rounding
    outside = [text for text, box in boxes if box[0] < -edge or box[1] < -edge or box[2] > drawing.width + edge
               or box[3] > drawing.height + edge]
    assert not outside


def test_line_labels_never_overlap_each_other_nor_another_series_marker():
    values = {"Force A": [104, 98, 101, 99, 103], "Force B": [75, 70, 73, 74, 72], "Force C": [80, 76, 74, 75, 73]}
    drawing, measure = _drawn("line", ["2019", "2020", "2021", "2022", "2023"], values, "%")
    texts = [label.text for label in drawing.labels()]
    assert all(f"{v}%" in texts for row in values.values() for v in row), "every value labelled"
    _assert_labels_apart_and_inside(drawing, measure)
    markers = [shape for shape in drawing.shapes if isinstance(shape, chartshapes.Marker)]
    covered = [(label.text, (m.x, m.y)) for label in drawing.labels() for m in markers
               if (box := _box(label, measure))[0] <= m.x <= box[2] and box[1] <= m.y <= box[3]]
    assert not covered


def test_column_labels_too_wide_to_fit_across_are_rotated_and_stay_inside_the_drawing():
    values = {"Emergency": [10.1, 9.2, 12.5, 11.3, 9.8, 13.4], "Priority": [21.7, -19.6, 24.8, 22.1, 18.9, 26.3],
              "Scheduled": [31.2, 28.4, 35.6, 30.7, 27.5, 38.9]}
    drawing, measure = _drawn("column", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], values, " min")
    rotated = {label.text for label in drawing.labels() if label.rotated}
    assert rotated == {f"{v} min" for row in values.values() for v in row}
    _assert_labels_apart_and_inside(drawing, measure)  # clear of the legend, the axis and the categories
    negative = next(label for label in drawing.labels() if label.text == "-19.6 min")
    column = next(shape for shape in drawing.shapes if isinstance(shape, chartshapes.Rect)
                  and shape.x < negative.x < shape.x + shape.width and shape.height > 20)
    assert _box(negative, measure)[1] >= column.y + column.height, "under its negative column"


@pytest.fixture(scope="module")
def documents_with_charts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("charts-layout")
    from compiler.build.load import load_all
    from compiler.build.report import compose_document

    loaded, = load_all([write_report(folder)], Roots.at(ROOT))
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    document = compose_document(loaded, SOURCE_DATE)
    return [block for block in blocks.walk_blocks(document.body) if isinstance(block, blocks.ChartBlock)]


# ---- PDF ----------------------------------------------------------------------------------------


def test_pdf_charts_are_tagged_figures_with_alt_and_vector_text(built):
    path = output(built, "pdf")
    tree = read_tree(path)
    figures = {squash(node.alt or "") for node in tree.nodes("Figure")}
    assert squash("Violence and fraud rose; theft and burglary fell, in Northshire more than nationally.") in figures
    assert any("Northshire Police: 2019 91%" in alt for alt in (node.alt or "" for node in tree.nodes("Figure")))
    with pdfplumber.open(path) as pdf:
        pages = [(page, page.extract_text()) for page in pdf.pages]
    page, text = next((page, text) for page, text in pages if "Figure 1: 999 calls answered" in text)
    assert "91%" in text and "Year to March 2022" in text and "Source: Home Office, 2022" in text
    assert not page.images, "a chart is drawn as vectors, never as an image"
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(path)],
                            capture_output=True, text=True)
    assert json.loads(result.stdout)["summary"]["findings"] == 0, result.stdout[:2000]
    with pikepdf.open(path) as pdf:
        boxes = [node for node in _struct_elements(pdf.Root.StructTreeRoot) if node.get("/S") == "/Figure"]
        assert all("/BBox" in node.get("/A", {}) for node in boxes[1:])


def test_pdf_labels_every_value_of_a_dense_column_chart_in_upward_text(built):
    with pdfplumber.open(output(built, "pdf")) as pdf:
        page = next(page for page in pdf.pages if "Figure 4: Average wait" in (page.extract_text() or ""))
        turned = "".join(char["text"] for char in page.chars if not char["upright"])
        upright = "".join(char["text"] for char in page.chars if char["upright"])
    assert all(text in turned for text in WAITING), turned
    assert not any(text in upright for text in WAITING)


def _struct_elements(node):
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR" and "/S" in kid:
            yield kid
            yield from _struct_elements(kid)


# ---- HTML ---------------------------------------------------------------------------------------


def test_html_chart_is_an_svg_with_title_and_desc_and_its_data_in_a_table(built):
    root, _ = parse(output(built, "html").read_text(encoding="utf-8"))
    figure = next(node for node in root.iter("figure") if node.attrs.get("id") == "fig-change")
    svg = next(figure.iter("svg"))
    assert svg.attrs["role"] == "img"
    title, desc = next(svg.iter("title")), next(svg.iter("desc"))
    assert title.text() == "Figure 2: Change in recorded crime"
    assert desc.text().startswith("Violence and fraud rose")
    assert svg.attrs["aria-labelledby"] == f'{title.attrs["id"]} {desc.attrs["id"]}'
    details = next(figure.iter("details"))
    assert next(details.iter("summary")).text() == "Data for Figure 2"
    rows = [[cell.text() for cell in row.children if hasattr(cell, "tag")] for row in details.iter("tr")]
    assert rows[0] == ["", "Northshire Police", "England and Wales"]
    assert ["Burglary", "-9.5%", "-6.0%"] in rows  # every value with the decimals the most precise has
    assert not list(figure.iter("img"))


def test_html_svg_labels_every_value_of_a_dense_column_chart_rotated(built):
    root, _ = parse(output(built, "html").read_text(encoding="utf-8"))
    figure = next(node for node in root.iter("figure") if node.attrs.get("id") == "fig-waiting")
    texts = list(next(figure.iter("svg")).iter("text"))
    turned = {node.text() for node in texts if node.attrs.get("transform", "").startswith("rotate(-90 ")}
    assert turned == set(WAITING)
    label = next(node for node in texts if node.text() == "12.5 min")
    assert label.attrs["transform"] == f'rotate(-90 {label.attrs["x"]} {label.attrs["y"]})'  # about its anchor


def test_html_chart_page_has_no_axe_violations(browser, built):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(output(built, "html").as_uri())
    page.locator("#fig-answered").scroll_into_view_if_needed()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert not violations, violations
    box = page.locator("#fig-answered svg").bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    if os.environ.get("REPORTC_SCREENSHOTS"):
        page.locator("#fig-change").screenshot(path=str(Path(os.environ["REPORTC_SCREENSHOTS"]) / "chart.png"))
    page.close()


# ---- DOCX ---------------------------------------------------------------------------------------

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def test_docx_charts_are_native_chart_parts_with_cached_values_and_alt_text(built):
    with zipfile.ZipFile(output(built, "docx")) as package:
        names = package.namelist()
        charts = sorted(name for name in names if name.startswith("word/charts/chart"))
        assert charts == [f"word/charts/chart{n}.xml" for n in (1, 2, 3, 4)]
        column = etree.fromstring(package.read("word/charts/chart2.xml"))
        body = package.read("word/document.xml").decode("utf-8")
        types = package.read("[Content_Types].xml").decode("utf-8")
    assert column.find(f".//{C}barChart/{C}barDir").get("val") == "col"
    series = column.findall(f".//{C}ser")
    assert [s.find(f"{C}tx//{C}v").text for s in series] == ["Northshire Police", "England and Wales"]
    assert [v.text for v in series[0].findall(f"{C}cat//{C}pt/{C}v")] == ["Violence", "Theft", "Burglary", "Fraud"]
    assert [v.text for v in series[0].findall(f"{C}val//{C}pt/{C}v")] == ["12", "-4", "-9.5", "21"]
    assert series[0].find(f"{C}dLbls/{C}numFmt").get("formatCode") == '#,##0.0"%"'  # as layout prints them
    assert column.find(f".//{C}valAx/{C}scaling/{C}min").get("val") == "-20"  # room under -9.5
    assert 'descr="Violence and fraud rose; theft and burglary fell' in body
    assert body.count('graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"') == 4
    assert "SEQ Figure" in body
    assert "drawingml.chart+xml" in types


def test_docx_turns_its_value_labels_where_layout_rotated_them(built):
    with zipfile.ZipFile(output(built, "docx")) as package:
        across, turned = (etree.fromstring(package.read(f"word/charts/chart{n}.xml")) for n in (2, 4))
    assert across.find(f".//{C}dLbls/{C}txPr") is None
    for labels in turned.findall(f".//{C}dLbls"):
        assert [etree.QName(child).localname for child in labels][:4] == ["numFmt", "txPr", "dLblPos", "showLegendKey"]
        body = labels.find(f"{C}txPr/{{http://schemas.openxmlformats.org/drawingml/2006/main}}bodyPr")
        assert (body.get("rot"), body.get("vert")) == ("-5400000", "horz")
    assert len(turned.findall(f".//{C}dLbls")) == 3


def test_libreoffice_draws_the_docx_charts_from_their_cached_values(built, tmp_path):
    from tests.docx_fixtures import convert_with_libreoffice, soffice

    if not soffice():
        pytest.skip("LibreOffice is not installed (CI installs libreoffice-writer-nogui)")
    convert_with_libreoffice([output(built, "docx")], tmp_path)
    with pdfplumber.open(next(tmp_path.glob("*.pdf"))) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    # the data labels, category and axis labels LibreOffice drew from the chart parts' caches
    for shown in ("91%", "-9.5%", "Burglary", "Year to March 2022", "80%"):
        assert shown in text


def test_a_chart_prints_its_values_with_one_number_of_decimals_and_its_unit_after_one_space():
    from compiler.layout.charts import decimal_places, value_text

    places = max(decimal_places(v) for v in (41.0, 44.1, 12))
    assert [value_text(v, "%", places) for v in (41.0, 44.1, 12)] == ["41.0%", "44.1%", "12.0%"]
    assert value_text(12.5, " min") == value_text(12.5, "min ") == "12.5 min"  # one space, however written
    assert value_text(-0.001, None, 1) == "0.0" and value_text(1234.5, "calls", 0) == "1,234 calls"


def test_docx_line_labels_sit_where_layout_set_them_and_values_keep_every_digit():
    from compiler.render.docx.chartpart import chart_xml

    values = {"Force A": [104, 98, 101, 99, 103], "Force B": [75, 70, 73, 74, 72], "Force C": [80, 76, 74, 75, 73]}
    drawing, _ = _drawn("line", ["2019", "2020", "2021", "2022", "2023"], values, "%")
    assert {"right", "left"} & {side for row in drawing.label_sides for side in row}  # some set beside
    style = StyleLoader(Roots.at(ROOT)).load("hmicfrs", ROOT, Span("t", 1, 1), Diagnostics())
    span = Span("t", 1, 1)
    series = tuple(Series(name, tuple(v), span) for name, v in values.items())
    block = chart_block(Chart(None, "line", (), ("2019", "2020", "2021", "2022", "2023"), series, "%", None, None,
                              span), 1, (), "f", None, style)
    part = etree.fromstring(chart_xml(block, style))
    word = {"above": "t", "below": "b", "right": "r", "left": "l"}
    for index, ser in enumerate(part.findall(f".//{C}ser")):
        placed = [label.find(f"{C}dLblPos").get("val") for label in ser.findall(f"{C}dLbls/{C}dLbl")]
        assert placed == [word[side] for side in block.drawing.label_sides[index]]
    big = (Series("S", (999999999999.0, 0.123456789), span),)
    block = chart_block(Chart(None, "bar", (), ("A", "B"), big, None, None, None, span), 1, (), "f", None, style)
    cached = [v.text for v in etree.fromstring(chart_xml(block, style)).findall(f".//{C}val//{C}v")]
    assert cached == ["999999999999", "0.123456789"]


def test_docx_keeps_a_chart_with_its_source_line_but_not_with_the_next_figure(built):
    with zipfile.ZipFile(output(built, "docx")) as package:
        styles = package.read("word/styles.xml").decode("utf-8")
        body = etree.fromstring(package.read("word/document.xml"))
    figure_style = styles[styles.index('w:styleId="Figure"'):]
    assert "<w:keepNext/>" not in figure_style[:figure_style.index("</w:style>")]
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paragraphs = list(body.iter(f"{W}p"))
    for index, p in enumerate(paragraphs[:-1]):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is None or style.get(f"{W}val") != "Figure":
            continue
        nxt = paragraphs[index + 1].find(f"{W}pPr/{W}pStyle")
        followed_by_source = nxt is not None and nxt.get(f"{W}val") == "Source"
        assert (p.find(f"{W}pPr/{W}keepNext") is not None) == followed_by_source


def test_a_currency_unit_goes_before_the_digits_in_layout_and_in_the_docx_format():
    from compiler.layout.charts import value_text
    from compiler.render.docx.chartpart import _number_format

    assert [value_text(1250, "£"), value_text(-40.5, "£", 1), value_text(3, "%")] == ["£1,250", "-£40.5", "3%"]
    assert _number_format("£", 1) == '"£"#,##0.0' and _number_format("%", 0) == '#,##0"%"'


@pytest.mark.parametrize("values,unit,axis,labels", [
    ((800, 1000, 2500), " patients", '#,##0" patients"', '#,##0" patients"'),
    ((0.2, 0.5, 0.9), "%", '#,##0.0"%"', '#,##0.0"%"'),
    ((0.01, 0.04, 0.07), None, "#,##0.00", "#,##0.00"),
    ((1200.5, 1000.25, 2500.75), "£", '"£"#,##0', '"£"#,##0.00')])
def test_docx_axis_numbers_group_their_thousands_as_layout_prints_them(values, unit, axis, labels):
    """The value axis's format was `General" patients"`: Word and LibreOffice printed "1000
    patients" where the PDF and the HTML print "1,000 patients" (layout/charts.py, value_text).
    Grouped digits, and as many decimals as the ticks need (one count for them all in Word)."""
    from compiler.render.docx.chartpart import chart_xml

    style = StyleLoader(Roots.at(ROOT)).load("hmicfrs", ROOT, Span("t", 1, 1), Diagnostics())
    span = Span("t", 1, 1)
    chart = Chart(None, "column", (), ("A", "B", "C"), (Series("S", values, span),), unit, None, None, span)
    part = etree.fromstring(chart_xml(chart_block(chart, 1, (), "f", None, style), style))
    assert part.find(f".//{C}valAx/{C}numFmt").get("formatCode") == axis
    assert {node.get("formatCode") for node in part.iterfind(f".//{C}dLbls/{C}numFmt")} == {labels}


def test_libreoffice_prints_the_docx_axis_with_grouped_thousands(tmp_path):
    from tests.docx_fixtures import compose, convert_with_libreoffice, render_docx, soffice

    if not soffice():
        pytest.skip("LibreOffice is not installed (CI installs libreoffice-writer-nogui)")
    source = tmp_path / "patients.yaml"
    source.write_text("title: T\nsubject: S\nlanguage: en-GB\npillars:\n  - title: Effectiveness\n"
                      "    findings:\n      - chart:\n          type: column\n          caption: Patients seen\n"
                      "          categories: [\"2019\", \"2020\", \"2021\"]\n"
                      "          series:\n            - {name: Unit, values: [800, 1000, 2500]}\n"
                      "          unit: patients\n", encoding="utf-8")
    (tmp_path / "patients.docx").write_bytes(render_docx(compose(source)))
    convert_with_libreoffice([tmp_path / "patients.docx"], tmp_path)
    with pdfplumber.open(tmp_path / "patients.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "2,000 patients" in text and "1,000 patients" in text  # an axis tick, and a label and a tick
    assert "2000 patients" not in text and "1000 patients" not in text


@pytest.mark.parametrize("values,unit", [([1000000000000, 999999999999, 500000000000], "£"),
                                         ([10, 3, 7], " incidents per 1,000")])
def test_long_tick_labels_of_a_bar_chart_thin_out_and_stay_in_the_drawing(values, unit):
    drawing, measure = _drawn("bar", ["A", "B", "C"], {"S": values}, unit)
    _assert_labels_apart_and_inside(drawing, measure)


def test_a_line_chart_keeps_no_empty_band_between_its_axis_and_its_category_names():
    # one series: its labels sit over its points, none under the lowest
    drawing, _ = _drawn("line", ["2019", "2020", "2021"], {"A": [50, 80, 95]}, "")
    axis = _axis(drawing)
    names = [label for label in drawing.labels() if label.text in ("2019", "2020", "2021")]
    size = names[0].size
    assert all(label.y - axis.points[0][1] <= size * 1.6 for label in names), (names, axis)


def _axis(drawing: chartshapes.ChartDrawing) -> chartshapes.Line:
    """The category axis's base line: the one solid 1-point horizontal rule."""
    (axis,) = [shape for shape in drawing.shapes if isinstance(shape, chartshapes.Line) and shape.width == 1.0
               and len(shape.points) == 2 and shape.points[0][1] == shape.points[1][1]]
    return axis


def test_line_labels_under_points_near_the_axis_are_not_struck_through_by_it():
    """Three series close together just over the lowest tick (agency staff, 16% to 19%, axis at
    10%): the labels stacked under their points reach the axis. The axis was drawn last, across
    "16.6%" and "15.8%"; now it is drawn under them and each label it runs through is on white."""
    values = {"Pennine Vale": [41, 38, 33, 29, 24, 21, 18, 16], "Neighbours": [19, 19, 18, 18, 17, 17, 16, 16],
              "England": [17.5, 17.4, 17.1, 16.9, 16.6, 16.3, 16.0, 15.8]}
    drawing, measure = _drawn("line", [f"Q{i}" for i in range(1, 9)], values, "%")
    axis = _axis(drawing)
    y, (x0, x1) = axis.points[0][1], (axis.points[0][0], axis.points[1][0])
    at = drawing.shapes.index(axis)
    values_texts = {f"{v:.1f}%" for row in values.values() for v in row}
    crossing = [(i, label) for i, label in enumerate(drawing.shapes) if isinstance(label, chartshapes.Label)
                and label.text in values_texts and (box := _box(label, measure))[1] < y < box[3]
                and box[0] < x1 and x0 < box[2]]
    assert crossing, "the case: some labels sit on the axis"
    for index, label in crossing:
        box = _box(label, measure)
        white = [shape for shape in drawing.shapes[at + 1:index] if isinstance(shape, chartshapes.Rect)
                 and shape.fill == "#FFFFFF" and shape.x <= box[0] + 0.5 and box[2] - 0.5 <= shape.x + shape.width
                 and shape.y <= y <= shape.y + shape.height]
        assert white, f"{label.text} is struck through by the axis"


def test_html_chart_keeps_legible_text_on_a_phone_and_scrolls_in_its_own_box(browser, built):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(output(built, "html").as_uri())
    box = page.locator("#fig-change .chart-scroll")
    drawing = page.locator("#fig-change svg").bounding_box()
    view_box = float(page.locator("#fig-change svg").get_attribute("viewBox").split()[2])
    assert drawing["width"] / view_box >= 0.99  # its text at full size, not shrunk to fit
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # so it scrolls sideways in its box
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")  # not the page
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    page.close()


def _bar_block(categories):
    style = StyleLoader(Roots.at(ROOT)).load("hmicfrs", ROOT, Span("t", 1, 1), Diagnostics())
    span = Span("t", 1, 1)
    series = (Series("Ashcombe Primary", tuple(60.0 + n for n in range(len(categories))), span),)
    return chart_block(Chart(None, "bar", (), tuple(categories), series, "%", None, None, span), 1, (), "f", None,
                       style), style


BAR_CATEGORIES = ["2019", "2022", "2023", "2024", "Local authority average 2024", "England average 2024"]


def test_a_docx_bar_chart_puts_its_plot_where_layout_has_it_with_the_names_layout_shows():
    """Word and LibreOffice left the names a narrow strip: "Local authority average 2024" went
    onto four lines and LibreOffice hid the names of the bars beside it."""
    from compiler.render.docx.chartpart import chart_xml

    block, style = _bar_block(BAR_CATEGORIES)
    part = etree.fromstring(chart_xml(block, style))
    manual = part.find(f".//{C}plotArea/{C}layout/{C}manualLayout")
    left, top, right, bottom = block.drawing.plot_box
    assert manual.find(f"{C}layoutTarget").get("val") == "inner"
    assert float(manual.find(f"{C}x").get("val")) == pytest.approx(left / block.drawing.width, abs=1e-4)
    assert float(manual.find(f"{C}w").get("val")) == pytest.approx((right - left) / block.drawing.width, abs=1e-4)
    assert float(manual.find(f"{C}h").get("val")) == pytest.approx((bottom - top) / block.drawing.height, abs=1e-4)
    names = [v.text for v in part.findall(f".//{C}cat//{C}v")]
    assert names == list(block.drawing.category_labels) == BAR_CATEGORIES  # room for each on one line


def test_libreoffice_shows_every_name_of_a_docx_bar_chart(tmp_path):
    from tests.docx_fixtures import convert_with_libreoffice, soffice

    if not soffice():
        pytest.skip("LibreOffice is not installed (CI installs libreoffice-writer-nogui)")
    values = ", ".join(str(60 + n) for n in range(len(BAR_CATEGORIES)))
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text(
        "title: T\nsubject: S\nfront_matter:\n  - title: Phonics\n    body:\n      - chart:\n          type: bar\n"
        "          caption: Year 1 pupils meeting the expected standard\n"
        f"          categories: {json.dumps(BAR_CATEGORIES)}\n"
        f"          series:\n            - {{name: Ashcombe Primary, values: [{values}]}}\n          unit: '%'\n"
        "pillars:\n  - title: P\n    grade: good\n", encoding="utf-8")
    result = run_reportc("build", "--format", "pdf,docx", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    convert_with_libreoffice([tmp_path / "out" / "r.docx"], tmp_path / "lo")
    with pdfplumber.open(tmp_path / "lo" / "r.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "") for page in pdf.pages).split())
    for name in BAR_CATEGORIES:
        assert name in text, name


WELSH_COUNTIES = ["Carmarthenshire", "Ceredigion", "Pembrokeshire", "Powys (north)", "Powys (south)",
                  "Llanelli and the Gwendraeth Valley"]


def test_category_names_are_set_smaller_before_they_are_cut():
    """A column chart's category names that do not fit their column at the label size are set
    smaller (to 0.8 of it) and take up to three lines, whole, before any is cut: "Carmarthe…"
    left the reader unable to tell which county a column was."""
    from compiler.layout.chartdrawing import SMALLEST_CATEGORY_SCALE

    values = {"2023": [120, 80, 95, 60, 40, 150], "2024": [130, 85, 90, 65, 45, 140]}
    drawing, measure = _drawn("column", WELSH_COUNTIES, values, "")
    values_size = max(label.size for label in drawing.labels() if label.text.isdigit())
    names = [label for label in drawing.labels() if not label.text.isdigit() and label.text not in values]
    assert "\u2026" not in "".join(label.text for label in names)
    assert " ".join(label.text for label in names).split() == " ".join(WELSH_COUNTIES).split()
    assert {label.size for label in names} == {names[0].size}
    assert values_size * SMALLEST_CATEGORY_SCALE <= names[0].size < values_size
    _assert_labels_apart_and_inside(drawing, measure)
    short, _ = _drawn("column", ["2019", "2020", "2021"], {"A": [1, 2, 3]}, "")
    assert {label.size for label in short.labels()} == {values_size}  # names that fit keep the size


def test_a_line_chart_value_label_a_line_runs_through_sits_on_white():
    """Labels over and under their points are not moved, but where another point's line would
    strike through the letters ("-1.00 beds" across series A's line) the label is set on white."""
    from compiler.layout.chartlabels import crossed, label_box

    values = {"A": [-2, -5.5, 0, 3, 1.25], "B": [1, -1, -3, 2, 4]}
    drawing, measure = _drawn("line", ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"], values, " beds")
    lines = [shape for shape in drawing.shapes if isinstance(shape, chartshapes.Line) and len(shape.points) == 5]
    segments = [(a, b) for line in lines for a, b in zip(line.points, line.points[1:])]
    whites = [shape for shape in drawing.shapes if isinstance(shape, chartshapes.Rect) and shape.fill == "#FFFFFF"]
    values_drawn = [label for label in drawing.labels() if label.text.endswith(" beds") and "." in label.text]
    struck = [label for label in values_drawn if crossed(label_box(label, measure), segments)]
    assert len(lines) == 2 and struck
    for label in struck:
        left, top, right, bottom = label_box(label, measure)
        assert any(abs(white.x - left) < 0.02 and abs(white.y - top) < 0.02 and abs(white.x + white.width - right) < 0.02
                   for white in whites), label
