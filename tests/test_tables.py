"""Issue 13, deliverable 1: pipe tables in block text, parsed with their alignment and inline
markup (tags print as written), errors at their own LINE:COL, and printed as real tables in the
PDF (header repeated, tagged, PDF/UA clean), the DOCX (w:tblHeader, Caption style, SEQ Table)
and the HTML (caption, thead, th scope)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from compiler.diagnostics import Diagnostics, Span
from compiler.model import Emph, Paragraph, Strong, Table, Text, plain_text
from compiler.source import markup
from tests.conftest import SOURCES, copy_sample_data, run_reportc, sample_without_data_section
from tests.test_pdf_tagging import read_tree

SAMPLE = SOURCES / "northshire-peel-2021.yaml"
FINDINGS = "        findings: |\n          Our victim service assessment"
ROWS = 70  # enough to run over a page


def table_text(rows: int = ROWS, extra: str = "") -> str:
    body = "\n".join(f"          | {year} | Cases **reviewed** <b>{year}</b> &amp; more | {year * 10:,} |"
                     for year in range(2000, 2000 + rows))
    return ("        findings: |\n"
            "          | Year | What *we* found | Cases |\n"
            "          |:-----|:--------------:|------:|\n"
            f"{body}\n{extra}"
            "          Table: Cases reviewed by year {#tbl-cases}\n"
            "\n"
            "          Our victim service assessment")


def write_report(folder: Path, table: str) -> Path:
    source = sample_without_data_section()
    assert FINDINGS in source
    path = folder / "report.yaml"
    path.write_text(source.replace(FINDINGS, table, 1), encoding="utf-8")
    copy_sample_data(folder)
    return path


def parse(text: str) -> tuple[tuple, Diagnostics]:
    diagnostics = Diagnostics()
    lines = text.split("\n")

    def locate(offset: int) -> Span:  # LINE:COL of an offset, counting from line 1
        line = text.count("\n", 0, offset)
        return Span("t.yaml", line + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)

    assert lines
    return markup.parse_blocks(text, lambda index: Span("t.yaml", index + 1, 1), diagnostics, locate), diagnostics


# ---- parsing --------------------------------------------------------------------------------


def test_a_pipe_table_parses_with_alignment_inline_markup_and_literal_tags():
    blocks, diagnostics = parse("Before.\n"
                                "| Name | **Score** | Note |\n"
                                "|:--|:-:|--:|\n"
                                "| *a* | <b>1</b> &amp; | x \\| y |\n"
                                "| b |  | [site](https://example.org) |\n"
                                "Table: Scores *now* {#tbl-scores}\n"
                                "After.")
    assert not diagnostics.errors  # (v2) the literal tags print as written, with a warning each
    assert [(d.span.line, d.span.col) for d in diagnostics.warnings] == [(4, 9), (4, 13)]
    assert isinstance(blocks[0], Paragraph) and isinstance(blocks[2], Paragraph)
    table = blocks[1]
    assert isinstance(table, Table)
    assert table.align == ("left", "center", "right")
    assert table.name == "scores"
    assert table.caption == (Text("Scores "), Emph((Text("now"),)))
    assert table.header[1].content == (Strong((Text("Score"),)),)
    first, second = table.rows
    assert first[0].content == (Emph((Text("a"),)),)
    assert plain_text(first[1].content) == "<b>1</b> &amp;"  # tags and entities print as written
    assert plain_text(first[2].content) == "x | y"  # `\|` is a literal bar
    assert second[1].content == ()  # an empty cell is empty


def test_a_ragged_row_is_an_error_at_its_own_line_and_column():
    blocks, diagnostics = parse("| a | b |\n|---|---|\n| 1 | 2 |\n  | 1 | 2 | 3 |\n| 4 |")
    errors = [(d.span.line, d.span.col, d.message) for d in diagnostics]
    assert [(line, col) for line, col, _ in errors] == [(4, 3), (5, 1)]
    assert "3 cells but the header has 2" in errors[0][2]
    assert isinstance(blocks[0], Table) and len(blocks[0].rows) == 3  # all rows kept, each two cells


def test_a_caption_line_in_the_writers_language_is_an_error_saying_to_write_table():
    """A Welsh writer writes `Tabl: ... {#tbl-x}` under a table: it was a paragraph printing
    `{#tbl-x}`, and every @tbl-x "refers to no table"; now one error at that line says what to
    write, and the table keeps its caption and name (no second error at the references)."""
    blocks, diagnostics = parse("| Mesur | 2025 |\n|---|--:|\n| Asesiadau | 84% |\n"
                                "Tabl: Perfformiad allweddol {#tbl-perfformiad}\nMae'n dda.")
    (error,) = diagnostics.errors
    assert (error.span.line, error.span.col) == (4, 1)
    assert "starts with `Table:` in every language, not `Tabl:`" in error.message
    assert "write `Table: Perfformiad allweddol {#tbl-perfformiad}`" in error.message
    table = blocks[0]
    assert isinstance(table, Table) and table.name == "perfformiad"
    assert table.caption == (Text("Perfformiad allweddol"),)
    assert [type(b) for b in blocks] == [Table, Paragraph]
    # a line of text after a table that names no table is still just a paragraph
    blocks, diagnostics = parse("| a | b |\n|---|---|\n| 1 | 2 |\nNote: figures are rounded.")
    assert not list(diagnostics) and [type(b) for b in blocks] == [Table, Paragraph]


def test_text_with_bars_but_no_delimiter_row_stays_a_paragraph():
    blocks, diagnostics = parse("Either a | b or c.\nNothing more.")
    assert not list(diagnostics) and [type(b) for b in blocks] == [Paragraph]


def test_the_cli_reports_a_ragged_row_and_too_many_columns_at_their_lines(tmp_path):
    wide = "          | " + " | ".join(["x"] * 51) + " |\n          |" + "---|" * 51 + "\n"
    ragged = table_text(rows=3, extra="          | 1 | 2 |\n")
    path = write_report(tmp_path, ragged.replace("        findings: |\n", "        findings: |\n" + wide + "\n", 1))
    result = run_reportc("validate", "report.yaml", cwd=tmp_path)
    assert result.returncode == 1
    source_lines = path.read_text(encoding="utf-8").split("\n")
    ragged_line = next(i for i, line in enumerate(source_lines, 1) if line.strip() == "| 1 | 2 |")
    wide_line = next(i for i, line in enumerate(source_lines, 1) if line.strip().startswith("| x | x"))
    assert re.search(rf"report\.yaml:{ragged_line}:11: error: this table row has 2 cells but the header has 3",
                     result.stderr), result.stderr
    assert re.search(rf"report\.yaml:{wide_line}:11: error: this table has 51 columns; at most 50", result.stderr)
    assert "Traceback" not in result.stderr


# ---- the three formats ------------------------------------------------------------------------


def output(folder: Path, extension: str) -> Path:
    (found,) = folder.glob(f"*.{extension}")  # named after the project folder
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    path = write_report(folder, table_text())
    result = run_reportc("build", "report.yaml", "--out", "out", "--format", "pdf,docx,html",
                         cwd=folder, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    return folder / "out"


def test_pdf_prints_the_table_and_repeats_its_header_on_the_next_page(built):
    with pdfplumber.open(output(built, "pdf")) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    first = next(i for i, text in enumerate(texts) if "Table 1: Cases reviewed by year" in text)
    assert "Cases reviewed <b>2000</b> &amp; more" in texts[first]  # tags print as written
    assert "What we found" in texts[first]
    last_row = next(i for i, text in enumerate(texts) if f"{2000 + ROWS - 1}" in text and "<b>" in text
                    and i >= first and f"<b>{2000 + ROWS - 1}</b>" in text)
    assert last_row > first
    for page in range(first + 1, last_row + 1):  # the header again on every page the table spans
        assert "What we found" in texts[page]


def test_pdf_tags_the_table_with_caption_header_cells_and_data_cells(built):
    tree = read_tree(output(built, "pdf"))
    tables = [node for node in tree.nodes("Table") if node.children("Caption")]
    assert len(tables) == 1
    table = tables[0]
    assert "Table1:Casesreviewedbyyear" in tree.text(table.children("Caption")[0]).replace(" ", "")
    header_cells = [n for n in table.walk() if n.role == "TH"]
    assert len(header_cells) == 3 and all(n.attributes.get("Scope") == "Column" for n in header_cells)
    # Read once: the header repeated on the table's later pages is a pagination artifact there
    assert [tree.text(n).replace(" ", "") for n in header_cells] == ["Year", "Whatwefound", "Cases"]
    assert len([n for n in table.walk() if n.role == "TD"]) == 3 * ROWS
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(output(built, "pdf"))],
                            capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout)["summary"]["findings"] == 0


def test_docx_has_a_word_table_with_a_repeating_header_and_a_seq_caption(built):
    with zipfile.ZipFile(output(built, "docx")) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        styles = package.read("word/styles.xml").decode("utf-8")
    caption = re.search(r'<w:p><w:pPr><w:pStyle w:val="Caption"/>.*?</w:p>', xml)
    assert caption and "SEQ Table" in caption.group(0) and "Cases reviewed by year" in caption.group(0)
    table = xml[caption.end():xml.index("</w:tbl>", caption.end())]
    assert table.startswith("<w:tbl>") and '<w:tblStyle w:val="DataTable"/>' in table
    first_row = table[table.index("<w:tr>"):table.index("</w:tr>")]
    assert "<w:tblHeader/>" in first_row and "What " in first_row
    assert table.count("<w:tr>") == ROWS + 1 and table.count("<w:tblHeader/>") == 1
    assert "&lt;b&gt;2000&lt;/b&gt; &amp;amp; more" in table
    assert '<w:jc w:val="right"/>' in table
    assert 'w:styleId="Caption"' in styles and '<w:name w:val="caption"/>' in styles


def test_html_has_a_captioned_table_with_column_headers_in_a_scroll_box(built):
    page = (output(built, "html")).read_text(encoding="utf-8")
    match = re.search(r'<div class="table-scroll data-scroll" role="region" aria-label="Table 1: Cases reviewed by year" '
                      r'tabindex="0"><table class="data" id="tbl-cases"><caption>(.*?)</caption>'
                      r"<thead><tr>(.*?)</tr></thead><tbody>(.*?)</tbody></table></div>", page)
    assert match, "no data table"
    assert match.group(1) == "Table 1: Cases reviewed by year"
    assert match.group(2).count('<th scope="col"') == 3 and "What <em>we</em> found" in match.group(2)
    assert match.group(3).count("<tr>") == ROWS
    assert "&lt;b&gt;2000&lt;/b&gt; &amp;amp; more" in match.group(3)


# ---- a wide table: smaller text before any word or number is broken ------------------------

WIDE_HEADER = ["Year", "Assaults on prisoners", "Assaults on staff", "Serious assaults", "Self-harm incidents",
               "Use of force", "Batons drawn", "PAVA used", "Segregation placements"]
WIDE_ROWS = [[str(year), "156.0", "58.1", "24.3", "430.9", "1,004.8", "19", "9", "331"] for year in range(2021, 2026)]


@pytest.fixture(scope="module")
def wide(tmp_path_factory) -> Path:
    """A report with a nine-column table, in every format."""
    rows = "\n".join("          | " + " | ".join(row) + " |" for row in WIDE_ROWS)
    table = ("        findings: |\n"
             "          | " + " | ".join(WIDE_HEADER) + " |\n"
             "          |" + "---|" * len(WIDE_HEADER) + "\n"
             f"{rows}\n"
             "          Table: Violence, self-harm and use of force per 1,000 prisoners, 12 months to March "
             "of each year {#tbl-wide}\n\n"
             "          Our victim service assessment")
    folder = tmp_path_factory.mktemp("wide") / "wide"  # the report's id is the folder's name
    folder.mkdir()
    write_report(folder, table)
    result = run_reportc("build", "report.yaml", "--out", "out", "--format", "pdf,docx,html", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "out"


def test_a_nine_column_table_keeps_every_word_and_number_whole_in_the_pdf_and_the_docx(wide):
    folder = wide.parent
    with pdfplumber.open(output(folder / "out", "pdf")) as pdf:
        page = next(p for p in pdf.pages if "Violence, self-harm" in (p.extract_text() or ""))
        words = {word["text"] for word in page.extract_words()}
        sizes = {round(char["size"], 1) for char in page.chars if char["text"] == "8"}
    for token in ("1,004.8", "430.9", "Segregation", "placements", "prisoners", "incidents", "Self-harm"):
        assert token in words, token  # on one line, not split across two
    assert min(sizes) < 11  # the table's cells are set smaller than the 11 pt of a narrow table's
    with zipfile.ZipFile(output(folder / "out", "docx")) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        styles = package.read("word/styles.xml").decode("utf-8")
    table_xml = xml[xml.index("Violence, self-harm"):]
    table_xml = table_xml[table_xml.index("<w:tbl>"):table_xml.index("</w:tbl>")]
    used = set(re.findall(r'<w:pStyle w:val="(Table(?:Text|Header)\d+pt)"/>', table_xml))
    assert len(used) == 2, used  # header and cells at the fitted size
    for style_id in used:
        size = re.search(rf'w:styleId="{style_id}">.*?<w:sz w:val="(\d+)"/>', styles).group(1)
        assert int(size) < 22  # under 11 pt, in half points
    assert "<w:tblCellMar>" in table_xml[:table_xml.index("</w:tblPr>")]


def test_fitting_sets_a_wide_table_smaller_and_breaks_words_before_numbers():
    from compiler.layout.tablewidths import SMALLEST_SCALE, fitted_widths

    def measure(text, header):
        return 6.0 * len(text)

    rows = [["Year", "Description of the finding"], ["2021", "Abcdefghijklmnopqrst"]]
    narrow = fitted_widths(rows, 1000, measure, 6)
    assert narrow.scale == 1.0 and narrow.widths == (4 * 6 + 13, 26 * 6 + 13)
    squeezed = fitted_widths(rows, 100, measure, 6)  # the longest words (24 + 120) do not fit at any scale
    assert squeezed.scale == SMALLEST_SCALE and abs(sum(squeezed.widths) - 100) < 1e-6
    assert squeezed.widths[0] == (4 * 6 + 13) * SMALLEST_SCALE  # the numbers keep their width
    smaller = fitted_widths(rows, (4 * 6 + 20 * 6 + 26) * 0.9, measure, 6)
    assert smaller.scale < 1.0 and abs(sum(smaller.widths) - (4 * 6 + 20 * 6 + 26) * 0.9) < 1e-6


def test_html_shows_a_wide_table_whole_on_a_wide_screen_and_its_caption_whole_on_a_phone(browser, wide):
    """At 1280 px the box reaches into the margin and nothing scrolls; at 375 px the table scrolls
    in its box, and its caption wraps inside the box rather than running off with the table."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(output(wide, "html").as_uri())
    box = page.locator("#tbl-wide").locator("xpath=..")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    text_column = page.locator("main p").first.bounding_box()
    assert box.bounding_box()["width"] > text_column["width"]  # wider than the text column
    page.set_viewport_size({"width": 375, "height": 800})
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # nine columns do scroll on a phone
    caption, frame = page.locator("#tbl-wide caption").bounding_box(), box.bounding_box()
    assert caption["x"] + caption["width"] <= frame["x"] + frame["width"] + 1
    page.close()


def _findings_report(folder: Path, findings: str) -> Path:
    """A report of one pillar whose findings are `findings` (YAML list items, indented 6), in
    `folder`, whose name is the report's id."""
    folder.mkdir()
    (folder / "report.yaml").write_text("title: T\nsubject: S\npillars:\n  - title: P\n    findings:\n" + findings,
                                        encoding="utf-8")
    return folder


def _table_report(folder: Path, table: str) -> Path:
    return _findings_report(folder, f"      - table: {table}\n")


def _pdf_pages(folder: Path) -> list[str]:
    """Build the report in `folder` as a PDF and read each page's text."""
    result = run_reportc("build", "report.yaml", "--out", "out", "--format", "pdf", cwd=folder)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(folder / "out" / f"{folder.name}.pdf") as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_a_cell_longer_than_a_page_flows_onto_the_next_pages_in_the_pdf_and_may_split_in_the_docx(tmp_path):
    long_cell = " ".join(f"w{index}" for index in range(1200))  # within the 10,000 characters of a cell
    folder = _table_report(tmp_path / "tall", f'{{caption: C, columns: [a, b], rows: [["{long_cell}", x], [short, y]]}}')
    result = run_reportc("build", "report.yaml", "--out", "out", "--format", "pdf,docx", cwd=folder)
    assert result.returncode == 0 and "Traceback" not in result.stderr and "internal" not in result.stderr, result.stderr
    with pdfplumber.open(folder / "out" / "tall.pdf") as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    holding = [number for number, text in enumerate(pages) if re.search(r"\bw\d+\b", text)]
    assert len(holding) >= 3  # one cell over three pages
    assert all(re.search(r"^a b$", pages[number], re.M) for number in holding)  # the header row on each
    words = [word for word in " ".join(pages[number] for number in holding).split() if re.fullmatch(r"w\d+", word)]
    assert words == [f"w{index}" for index in range(1200)]  # every word once, in order
    with zipfile.ZipFile(folder / "out" / "tall.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    table = xml[xml.index('<w:tblStyle w:val="DataTable"/>'):]
    rows = re.findall(r"<w:tr>(<w:trPr>.*?</w:trPr>|<w:trPr/>)", table[:table.index("</w:tbl>")])
    assert ["cantSplit" in row for row in rows] == [True, False, True]  # header, the long row, a short row


def test_a_table_of_fifty_columns_builds_with_one_warning_naming_it(tmp_path):
    columns = ", ".join(f"Column heading {index}" for index in range(50))
    row = ", ".join(['"1,234.5"'] * 50)
    folder = _table_report(tmp_path / "fifty", f"{{caption: C, columns: [{columns}], rows: [[{row}]]}}")
    result = run_reportc("build", "report.yaml", "--out", "out", "--format", "pdf,docx,html", cwd=folder)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 1 and warnings[0].startswith("report.yaml:6:16: warning: the table's 50 columns")


def test_a_table_that_does_not_fit_where_it_falls_starts_there_and_splits(tmp_path):
    """Not moved whole to the next page (half a page left blank), as reportlab's keepWithNext on
    its caption did: the caption and the first rows stay under the text before it."""
    text = " ".join(["The force recorded more crime this year than last, and solved less of it."] * 30)
    rows = ", ".join(f'["{year}", "{year * 3}"]' for year in range(1990, 2030))
    pages = _pdf_pages(_findings_report(tmp_path / "split", f"      - \"{text} ENDOFTEXT\"\n"
                        f"      - table: {{caption: Forty years, columns: [Year, Count], rows: [{rows}]}}\n"))
    ending = next(number for number, page in enumerate(pages) if "ENDOFTEXT" in page)
    assert "Table 1: Forty years" in pages[ending] and "1990" in pages[ending]
    assert re.search(r"^Year Count$", pages[ending + 1], re.M)  # the header again on the next page
    assert any("2029" in page for page in pages[ending + 1:])


def test_a_table_caption_is_in_the_brand_colour_in_the_pdf_the_docx_and_the_html(wide):
    from compiler.build.load import load_all
    from compiler.source.paths import Roots

    (loaded,) = load_all([wide.parent / "report.yaml"], Roots.at(wide.parent))
    primary = loaded.style.colours.primary.lstrip("#").upper()
    with pdfplumber.open(output(wide, "pdf")) as pdf:
        page = next(p for p in pdf.pages if "Violence, self-harm" in (p.extract_text() or ""))
        words = page.extract_words(extra_attrs=["non_stroking_color"])
    caption = next(word for word in words if word["text"] == "Violence,")
    rgb = "".join(f"{round(c * 255):02X}" for c in caption["non_stroking_color"])
    assert rgb == primary
    with zipfile.ZipFile(output(wide, "docx")) as package:
        styles = package.read("word/styles.xml").decode("utf-8")
    caption_style = re.search(r'<w:style w:type="paragraph" w:styleId="Caption">.*?</w:style>', styles).group(0)
    assert f'<w:color w:val="{primary}"/>' in caption_style
    assert re.search(r"\.data caption\{[^}]*color:#" + primary, output(wide, "html").read_text(encoding="utf-8"), re.I)


def test_rows_shorter_than_half_a_page_never_split_and_a_very_tall_header_builds(tmp_path):
    """As the README and the DOCX keep them: a row moves on whole unless it is taller than half a
    page. A header cell of 3,000 characters (within the limits) once stopped the build."""
    rows = ", ".join("[r%d, \"%s\"]" % (r, " ".join(f"t{r}w{w}" for w in range(60))) for r in range(30))
    folder = _table_report(tmp_path / "rows", f"{{caption: Medium rows, columns: [K, Text], rows: [{rows}]}}")
    result = run_reportc("build", "report.yaml", "--out", "out", "--format", "pdf", cwd=folder)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(folder / "out" / "rows.pdf") as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    spread = {r: [n for n, page in enumerate(pages) if re.search(rf"\bt{r}w\d+\b", page)] for r in range(30)}
    assert all(len(on) == 1 for on in spread.values()), spread
    assert len({on[0] for on in spread.values()}) > 1  # the table did run over pages
    header = " ".join(f"word{index}" for index in range(400))
    folder = _table_report(tmp_path / "header", f'{{caption: H, columns: [K, "{header}"], rows: [[a, b]]}}')
    result = run_reportc("build", "report.yaml", "--out", "out", "--format", "pdf,docx", cwd=folder)
    assert result.returncode == 0 and "internal error" not in result.stderr, result.stderr


def test_a_table_in_a_callout_fits_the_box_not_the_page(tmp_path):
    cells = " | ".join(f"{'Long text of a finding ' * 3}{index}" for index in range(4))
    folder = _findings_report(tmp_path / "box", "      - callout:\n          kind: note\n          title: Boxed\n"
                              "          body: |\n            | A | B | C | D |\n            |---|---|---|---|\n"
                              f"            | {cells} |\n            Table: In a box\n")
    result = run_reportc("build", "report.yaml", "--out", "out", "--format", "pdf", cwd=folder)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(folder / "out" / "box.pdf") as pdf:
        page = next(p for p in pdf.pages if "In a box" in (p.extract_text() or ""))
        right = max(char["x1"] for char in page.chars if char.get("tag") != "Artifact")
        column_right = page.width - 32 * 72 / 25.4  # the default style's 32 mm margins
    assert right <= column_right - 12  # inside the box's padding, not into the margin


def test_a_long_url_breaks_inside_the_text_column_in_a_paragraph_and_in_a_cell(tmp_path):
    url = "https://example.org/" + "a" * 180  # reportlab's URL splitting broke it at '/' only
    folder = _findings_report(tmp_path / "url", f'      - table: {{caption: U, columns: [Link, Note], rows: [["{url}", n1]]}}\n'
                                                f'      - "A paragraph with {url} in it."\n')
    result = run_reportc("build", "report.yaml", "--out", "out", "--format", "pdf", cwd=folder)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(folder / "out" / "url.pdf") as pdf:
        right = max(char["x1"] for page in pdf.pages for char in page.chars
                    if char.get("tag") != "Artifact" and not char["text"].isspace())  # (a wrapped line's space)
        width = pdf.pages[0].width
        letters = sum(page.extract_text().count("a") for page in pdf.pages)
    assert right <= width - 32 * 72 / 25.4 + 0.5  # within the default style's 32 mm margin
    assert letters >= 2 * 180  # every letter of both printed


def test_a_table_never_leaves_a_lone_row_on_either_side_of_a_page_break(tmp_path):
    parts = []
    for number in range(30):  # text of every length before each, so breaks fall at every row
        parts.append(f'      - "{"The force recorded more crime this year. " * (number + 1)}"')
        rows = ", ".join(f"[t{number}r{row}, {row * 7}]" for row in range(24))  # over a short table's height
        parts.append(f"      - table: {{caption: Table of {number}, source: Force data, columns: [Row, Count], "
                     f"rows: [{rows}]}}")
    pages = _pdf_pages(_findings_report(tmp_path / "lone", "\n".join(parts) + "\n"))
    split = 0
    for number in range(30):
        counts = [len(re.findall(rf"\bt{number}r\d+\b", page)) for page in pages]
        counts = [count for count in counts if count]
        split += len(counts) > 1
        assert len(counts) == 1 or min(counts) >= 2, (number, counts)
    assert split  # some did break across pages


def test_a_too_wide_table_keeps_whole_the_headings_that_need_least():
    from compiler.layout.tablewidths import fitted_widths

    def measure(text, header):
        return 6.0 * len(text)

    rows = [["Aaaa", "Bbbbbbbbbb", "Cccccccccccccccccccc"], ["1", "2", "3"]]  # needs 4, 10 and 20 letters
    fit = fitted_widths(rows, 150, measure, 0)
    assert fit.broken
    least = [(6 * n + 1) * fit.scale for n in (4, 10, 20)]
    assert fit.widths[0] == least[0] and fit.widths[1] == least[1]  # whole
    assert fit.widths[2] < least[2] and abs(sum(fit.widths) - 150) < 1e-6  # the one that needs most gives way


def test_cells_are_measured_in_the_face_they_print_in():
    """Header cells and body cells holding bold text are measured bold, other body cells in the
    regular face: measuring every cell bold warned of broken words that were not broken, and set
    a seven-column table smaller than it needed."""
    from compiler.layout.tablewidths import BODY, fitted_widths, table_cells
    from compiler.model import Strong, Text

    header = ((Text("Area"),), (Text("Year"),))
    rows = [((Text("improvement"),), (Text("2024"),)), ((Text("fine"),), (Strong((Text("outstanding"),)),))]
    texts, strong = table_cells(header, rows)
    assert texts == [["Area", "Year"], ["improvement", "2024"], ["fine", "outstanding"]] and strong == {(2, 1)}
    fit = fitted_widths(texts, 1000, lambda text, kind: len(text) * (6.0 if kind == BODY else 7.0), 0, strong)
    assert fit.widths == (11 * 6.0 + 1, 11 * 7.0 + 1)


def test_a_columns_least_width_is_its_widest_word_not_its_longest():
    """"(FTE)" has more letters than "PSOs" and is narrower, and of two ten-letter words the
    wider sets the width: measuring the longest by letters broke "PSO/s" and "asse/ssment"."""
    from compiler.layout.tablewidths import fitted_widths

    widths = {"PSOs": 30.0, "(FTE)": 28.0, "Sufficient": 50.0, "assessment": 63.0, "12": 10.0, "80%": 15.0}
    rows = [["PSOs (FTE)", "Sufficient assessment"], ["12", "80%"]]
    fit = fitted_widths(rows, 95, lambda text, kind: widths.get(text, 6.0 * len(text)), 0)
    assert not fit.broken
    assert fit.widths[0] >= 30.0 * fit.scale + 1 - 1e-9 and fit.widths[1] >= 63.0 * fit.scale + 1 - 1e-9


def _short_table_report(filler_lines: int) -> str:
    filler = "".join(f"          Line {i} of filler text that is one short line.\n\n" for i in range(filler_lines))
    return ("title: Kept tables\nsubject: S\npillars:\n  - title: Safe\n    grade: good\n    questions:\n"
            "      - title: Medicines\n        grade: good\n        findings: |\n" + filler +
            "          | Check | Result |\n          |:--|--:|\n" +
            "".join(f"          | Row {row} check | {row} of 18 |\n" for row in range(1, 5)) +
            "          Table: Audit\n\n          After the table.\n")


def test_a_short_table_is_never_split_across_pages(tmp_path):
    """A table no taller than a short box (keeping.kept_share) moves on whole where it would
    split: wherever the text before it ends, its caption and four rows share a page."""
    import io
    from compiler.render import RenderOptions
    from compiler.render.pdf.document import render_pdf
    from tests.docx_fixtures import compose

    placements = set()
    for lines in range(12, 21):  # the table's start walks down a page and over its foot
        source = tmp_path / f"short-{lines}.yaml"
        source.write_text(_short_table_report(lines), encoding="utf-8")
        rendered = render_pdf(compose(source), RenderOptions(), Diagnostics())
        with pdfplumber.open(io.BytesIO(rendered.data)) as pdf:
            texts = [page.extract_text() for page in pdf.pages]
        caption = next(i for i, text in enumerate(texts) if "Table 1: Audit" in text)
        assert "Row 4 check" in texts[caption], lines
        placements.add(caption)
    assert len(placements) == 2  # it did reach the foot of a page, and moved on


def test_the_docx_keeps_the_short_tables_the_pdf_keeps_and_spaces_their_lines_as_the_pdf(tmp_path):
    """A short table the PDF keeps on one page is kept whole in Word too (every paragraph of it
    but the last kept with the next); table text lines are the PDF's 1.3 of their size apart
    (Word's single spacing made rows shorter and the DOCX paginate differently)."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "short.yaml").write_text(_short_table_report(3), encoding="utf-8")
    result = run_reportc("build", "--out", str(tmp_path / "out"), "--format", "pdf,docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "short.docx") as package:
        body = package.read("word/document.xml").decode()
        styles = package.read("word/styles.xml").decode()
    [table] = [found for found in re.findall(r"<w:tbl>.*?</w:tbl>", body, re.S) if 'w:val="DataTable"' in found]
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", table, re.S)
    assert len(paragraphs) == 10 and all("<w:keepNext/>" in p or 'w:pStyle w:val="TableHeader"' in p
                                         for p in paragraphs[:-1]) and "<w:keepNext/>" not in paragraphs[-1]
    text_style = re.search(r'<w:style [^>]*w:styleId="TableText".*?</w:style>', styles, re.S).group(0)
    line = int(re.search(r'w:line="(\d+)"', text_style).group(1))
    assert 'w:lineRule="atLeast"' in text_style and line == round(12 * 0.92 * 1.3 * 20)
