"""The shared print design, one rule per test, read back from the outputs as a publishing team
would check them: the PDF with pikepdf/pdfplumber, the DOCX with python-docx, the HTML as text.

Every sample is built once per session (conftest's `built_samples`: PDF and DOCX); the HTML
edition once per module.
"""
from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.oxml.ns import qn
import pikepdf
import pytest

from .conftest import SOURCES, run_reportc

DRAFT = "eastmoor-fire-2026-draft"


def _pdf_path(built_samples, report_id):
    return built_samples / f"{report_id}.pdf"


# ---- 2. the DRAFT watermark lies behind the text ----------------------------------------------


def _text_shows_in_order(page) -> list[str]:
    """For each text-showing operator of the page, in stream order: 'watermark' when it is
    inside the watermark artifact, 'artifact' inside another artifact, else 'content'."""
    kinds, stack = [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            tag = str(operands[0])
            properties = operands[1] if name == "BDC" else None
            if tag == "/Artifact" and isinstance(properties, pikepdf.Dictionary) \
                    and str(properties.get("/Subtype", "")) == "/Watermark":
                stack.append("watermark")
            elif tag == "/Artifact":
                stack.append("artifact")
            else:
                stack.append(stack[-1] if stack and stack[-1] != "content" else "content")
        elif name == "EMC" and stack:
            stack.pop()
        elif name in ("Tj", "TJ", "'", '"'):
            kinds.append(stack[-1] if stack else "untagged")
    return kinds


def test_watermark_is_an_artifact_drawn_before_every_text_on_the_page(built_samples):
    with pikepdf.open(_pdf_path(built_samples, DRAFT)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            kinds = _text_shows_in_order(page)
            assert "watermark" in kinds, number
            first_watermark = kinds.index("watermark")
            assert "content" in kinds[first_watermark:], number
            assert "content" not in kinds[:first_watermark], (number, kinds[:first_watermark + 1])
            assert "untagged" not in kinds, number


# ---- 8. the seed sample says what the seed page says, where the page says it --------------------

SEED_PAGE = Path("/work/shared/seeds/000_156417e33e197eb5.txt")  # the captured City of London page
SEED_SAMPLE = "city-of-london-peel-2018"


def _docx_paragraph_texts(path: Path) -> list[str]:
    from docx.text.paragraph import Paragraph

    word = docx.Document(str(path))
    # Every paragraph in reading order, those inside panels (one-cell tables) included. A
    # numbered heading reads "2.<tab>Title": the page prints the number on its own line.
    texts = (Paragraph(p, word).text.strip() for p in word.element.body.iter(qn("w:p")))
    return [re.sub(r"^\d+\.\t", "", text) for text in texts if text]


def test_seed_sample_prints_every_paragraph_of_the_page_in_the_page_order(built_samples):
    if not SEED_PAGE.exists():
        pytest.skip("the captured seed page is not on this machine")
    page = SEED_PAGE.read_text(encoding="utf-8").split("Last updated 02/05/2019", 1)[1]
    # Prose, bullets and question titles; short lines are the page's fixed strings and grades.
    expected = [line.strip().lstrip("•").strip() for line in page.splitlines() if len(line.strip()) > 60]
    printed = _docx_paragraph_texts(built_samples / f"{SEED_SAMPLE}.docx")
    position = 0
    for paragraph in expected:
        assert paragraph in printed[position:], paragraph
        position = printed.index(paragraph, position) + 1


def test_a_judgment_carried_over_for_one_question_is_not_printed_as_the_pillars(built_samples):
    printed = _docx_paragraph_texts(built_samples / f"{SEED_SAMPLE}.docx")
    carried = [p for p in printed if "carried over from our last inspection" in p]
    assert carried == ["The force is good at preventing crime and tackling anti-social behaviour. "
                       "This judgment has been carried over from our last inspection in 2017/18."]


# ---- 10. brand consistency: logo, a draft's cover, footers, metadata ----------------------------


def test_the_shipped_hmicfrs_logo_reads_the_brand_name_and_is_what_its_script_draws():
    import importlib.util

    import yaml
    from PIL import Image, ImageChops

    from .conftest import ROOT

    spec = importlib.util.spec_from_file_location("hmicfrs_logo", ROOT / "docs" / "hmicfrs_logo.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    brand = yaml.safe_load((ROOT / "styles" / "hmicfrs.yaml").read_text(encoding="utf-8"))["brand"]
    assert " ".join(script.WORDMARK) == brand["name"] == brand["logo_alt"]
    shipped = Image.open(ROOT / "styles" / brand["logo"]).convert("RGBA")
    drawn = script.draw_logo()
    assert shipped.size == drawn.size
    assert ImageChops.difference(shipped, drawn).getbbox() is None


def _cover_text_pdf(path: Path) -> str:
    import pypdf

    return pypdf.PdfReader(str(path)).pages[0].extract_text()


def test_a_drafts_cover_says_draft_for_checking_with_version_and_date_and_never_published(built_samples, tmp_path):
    html = run_reportc("build", str(SOURCES / DRAFT), "--format", "html", "--out", str(tmp_path))
    assert html.returncode == 0, html.stderr
    covers = {
        "pdf": _cover_text_pdf(built_samples / f"{DRAFT}.pdf"),
        "docx": "\n".join(_docx_paragraph_texts(built_samples / f"{DRAFT}.docx")[:12]),
        "html": (tmp_path / f"{DRAFT}.html").read_text(encoding="utf-8").split("</header>")[0],
    }
    for kind, cover in covers.items():
        assert "Draft for factual accuracy checking" in cover, kind
        assert "Version 0.3 – 12/03/2026" in cover, kind
        assert "Published" not in cover, kind
    final = _cover_text_pdf(built_samples / "northshire-peel-2021.pdf")
    assert "Published 15/09/2022" in final and "Draft for" not in final


def _long_titled_draft(tmp_path: Path) -> Path:
    source = (SOURCES / DRAFT / "report.yaml").read_text(encoding="utf-8")
    long_title = "Eastmoor Fire and Rescue Service: " + "effectiveness, efficiency and people, " * 5 + "in full"
    source = source.replace('title: "Eastmoor Fire and Rescue Service: effectiveness, efficiency and people"',
                            f'title: "{long_title}"', 1)
    assert long_title in source
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "long.yaml").write_text(source.replace("id: eastmoor-fire-2026-draft", "id: long"),
                                                    encoding="utf-8")
    return tmp_path


def test_a_cut_running_footer_shortens_the_title_and_keeps_status_version_and_date(tmp_path):
    import pdfplumber

    project = _long_titled_draft(tmp_path)
    result = run_reportc("build", "--format", "pdf", "--out", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(project / "out" / "long.pdf") as pdf:
        page = pdf.pages[1]
        footer = page.crop((0, page.height - 60, page.width, page.height)).extract_text()
    assert "\u2026 – DRAFT – Version 0.3 – 12/03/2026" in footer, footer


def test_pdf_metadata_titles_name_the_subject_once(built_samples):
    import pypdf

    for path in built_samples.glob("*.pdf"):
        info = pypdf.PdfReader(str(path)).metadata
        assert info.title.casefold().count(info.subject.casefold()) <= 1, (path.name, info.title)
        assert info.title


# ---- 6. areas for improvement are a panel of their own, in every format -------------------------

AREAS = "Areas for improvement"


def _rgb(colour) -> tuple[float, ...]:
    return tuple(round(float(c), 2) for c in colour) if colour else ()


def test_pdf_areas_for_improvement_sit_in_a_tinted_panel_that_ends_before_the_findings(built_samples):
    import pdfplumber

    tint = _rgb(int("F3F2F1"[i:i + 2], 16) / 255 for i in (0, 2, 4))  # hmicfrs colours.table_stripe
    panels_seen = 0
    with pdfplumber.open(built_samples / "city-of-london-peel-2018.pdf") as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines():
                if line["text"] != AREAS:
                    continue
                panels = [r for r in page.rects if r["fill"] and _rgb(r["non_stroking_color"]) == tint
                          and r["x0"] <= line["x0"] and r["top"] < line["top"] and r["bottom"] > line["bottom"]]
                assert panels, page.page_number
                panels_seen += 1
    assert panels_seen == 3


def test_docx_areas_for_improvement_sit_in_their_own_shaded_box(built_samples):
    word = docx.Document(str(built_samples / "northshire-peel-2021.docx"))
    styles = {s.style_id: s.name for s in word.styles}
    boxes = 0
    for table in word.element.body.iter(qn("w:tbl")):
        style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in table.iter(qn("w:p"))]
        if AREAS in texts:
            assert styles[style.get(qn("w:val"))] == "Areas for Improvement Box"
            boxes += 1
    assert boxes >= 3
    box = word.styles["Areas for Improvement Box"].element
    assert box.find(f".//{qn('w:tcPr')}/{qn('w:shd')}") is not None
    assert box.find(f".//{qn('w:tblBorders')}/{qn('w:left')}") is not None


def test_html_areas_for_improvement_sit_in_their_own_panel(tmp_path):
    result = run_reportc("build", str(SOURCES / "northshire-peel-2021.yaml"), "--format", "html", "--out",
                         str(tmp_path))
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "northshire-peel-2021.html").read_text(encoding="utf-8")
    headings = re.findall(r'(<div class="callout [a-z-]+">)?<h[3-6][^>]*>' + AREAS, html)
    assert headings and set(headings) == {'<div class="callout areas-for-improvement">'}
    assert re.search(r"\.callout\.areas-for-improvement\{background:#[0-9A-Fa-f]{6}", html)


# ---- 7. one design in every format: second-level bullets -----------------------------------------


def test_second_level_bullets_are_en_dashes_in_pdf_docx_and_html(built_samples, tmp_path):
    import pdfplumber

    from docx.oxml.ns import qn as word_qn

    with pdfplumber.open(built_samples / "northshire-peel-2021.pdf") as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
    assert any(line.startswith("\u2013 ") for line in lines)
    word = docx.Document(str(built_samples / "northshire-peel-2021.docx"))
    levels = {}
    for abstract in word.part.numbering_part.element.iter(word_qn("w:abstractNum")):
        for level in abstract.iter(word_qn("w:lvl")):
            if level.find(word_qn("w:numFmt")).get(word_qn("w:val")) == "bullet":
                levels[level.get(word_qn("w:ilvl"))] = level.find(word_qn("w:lvlText")).get(word_qn("w:val"))
    assert levels["0"] == "\u2022" and levels["1"] == "\u2013"
    result = run_reportc("build", str(SOURCES / "northshire-peel-2021.yaml"), "--format", "html", "--out",
                         str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert 'ul ul{list-style-type:"\\2013' in (tmp_path / "northshire-peel-2021.html").read_text(encoding="utf-8")


# ---- 7. one design in every format: question numbers, badges, sub-headings ----------------------

NORTHSHIRE = "northshire-peel-2021"
QUESTION = "How good is the force at providing a service to victims of crime?"  # question 1, graded adequate


@pytest.fixture(scope="module")
def northshire_html(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("html")
    result = run_reportc("build", str(SOURCES / f"{NORTHSHIRE}.yaml"), "--format", "html", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return (out / f"{NORTHSHIRE}.html").read_text(encoding="utf-8")


def _pdf_words(path: Path) -> list[list[dict]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_words(extra_attrs=["size", "fontname", "non_stroking_color"]) for page in pdf.pages]


def test_question_numbers_read_2_dot_in_pdf_docx_and_html(built_samples, northshire_html):
    import pypdf

    pdf_text = " ".join(page.extract_text() for page in pypdf.PdfReader(built_samples / f"{NORTHSHIRE}.pdf").pages)
    assert f"1. {QUESTION}" in " ".join(pdf_text.split())
    word = docx.Document(str(built_samples / f"{NORTHSHIRE}.docx"))
    questions = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert questions and all(re.match(r"\d+\.\t", text) for text in questions), questions
    glance = [p.text for p in word.paragraphs if p.style.name in ("Glance Question", "toc 2")]
    for table in word.tables:
        glance += [cell.text for row in table.rows for cell in row.cells if cell.paragraphs[0].style.name == "Glance Question"]
    assert glance and all(re.match(r"\d+\.\t", text) for text in glance), glance
    numbers = re.findall(r'<span class="number">([^<]*)</span>', northshire_html)
    assert numbers and all(re.fullmatch(r"\d+\.", number) for number in numbers), numbers


def test_grade_badges_sit_on_a_line_below_their_heading_in_pdf_docx_and_html(built_samples, northshire_html,
                                                                             documents):
    body_size = documents[NORTHSHIRE].style.fonts.size
    pages = _pdf_words(built_samples / f"{NORTHSHIRE}.pdf")
    found = 0
    for words in pages[3:]:  # past the cover, contents and glance table
        for index, word in enumerate(words):
            heading_size = word["size"] > body_size * 1.2  # not the glance table's or the contents' line
            if heading_size and word["text"] == "1." and " ".join(w["text"] for w in words[index + 1:index + 4]) == "How good is":
                label = next(w for w in words[index + 1:] if w["text"] == "Adequate")
                assert label["top"] > word["bottom"] and label["x0"] < word["x0"] + 20, (label, word)
                found += 1
    assert found
    word = docx.Document(str(built_samples / f"{NORTHSHIRE}.docx"))
    paragraphs = word.paragraphs
    for index, paragraph in enumerate(paragraphs):
        if paragraph.style.name == "Heading 2":
            assert paragraphs[index + 1].style.name == "Grade Badge", paragraph.text
    assert re.search(r'</h3><p class="judgment"><span class="badge', northshire_html)


def _inherited(style, attribute: str):
    """A Word style's font property, looked up through the styles it is based on."""
    while style is not None and getattr(style.font, attribute) is None:
        style = style.base_style
    return getattr(style.font, attribute) if style is not None else None


def test_sub_headings_are_bold_body_text_in_the_text_colour_in_pdf_docx_and_html(built_samples, northshire_html,
                                                                                  documents):
    style = documents[NORTHSHIRE].style
    text_colour = style.colours.text.lstrip("#").upper()
    body_size = style.fonts.size
    title = "Preventing crime is a real strength"
    for words in _pdf_words(built_samples / f"{NORTHSHIRE}.pdf"):
        for index, word in enumerate(words):
            if " ".join(w["text"] for w in words[index:index + 6]) == title:
                assert "Bold" in word["fontname"] and word["size"] < body_size * 1.05, word
                assert "".join(f"{round(c * 255):02X}" for c in word["non_stroking_color"]) == text_colour
                break
        else:
            continue
        break
    else:
        raise AssertionError("sub-heading not found in the PDF")
    word = docx.Document(str(built_samples / f"{NORTHSHIRE}.docx"))
    heading = next(p for p in word.paragraphs if p.text == title)
    look = heading.style
    assert look.name.startswith("Subheading") and _inherited(look, "bold")
    assert look.font.size.pt == body_size and str(look.font.color.rgb) == text_colour
    assert re.search(r'<h[3-6] class="subheading">' + title, northshire_html)
    assert re.search(r"\.subheading[^{]*\{color:inherit;font-size:1em", northshire_html)


# ---- 1. page breaks ----------------------------------------------------------------------------


def _tables_after_headings() -> str:
    """Questions whose findings open with a table, after text of every length: one of their
    headings falls at each height on the page, the foot of one included."""
    questions = []
    for number in range(1, 19):
        text = " ".join(["The force recorded more of these crimes than it did a year before."] * number)
        questions.append(f"""      - title: How well does the force deal with crime of kind {number}?
        grade: good
        findings: |
          | Year | Recorded | Solved |
          |---|---:|---:|
          | 2022 | 1,204 | 310 |
          | 2023 | 1,356 | 341 |
          Table: Crimes of kind {number}

          {text}
""")
    return ("title: Headings before tables\nsubject: Testshire Police\npublished: 2024-01-31\n"
            "pillars:\n  - title: Effectiveness\n    grade: good\n    questions:\n" + "".join(questions))


@pytest.fixture(scope="module")
def paged_pdfs(built_samples, tmp_path_factory) -> list[Path]:
    """Every sample's PDF, the stress fixture's (long callouts, tables and words) and one with
    tables right under headings at every height on the page."""
    from .conftest import STRESS

    out = tmp_path_factory.mktemp("stress")
    result = run_reportc("build", str(STRESS), "--format", "pdf", "--out", str(out), "--allow-missing-glyphs")
    assert result.returncode == 0, result.stderr
    sweep = tmp_path_factory.mktemp("sweep")
    (sweep / "tables-after-headings.yaml").write_text(_tables_after_headings(), encoding="utf-8")
    result = run_reportc("build", "tables-after-headings.yaml", "--format", "pdf", "--out", str(out), cwd=sweep)
    assert result.returncode == 0, result.stderr
    return sorted(built_samples.glob("*.pdf")) + sorted(out.glob("*.pdf"))


def _content_lines(page) -> list[dict]:
    # Content only: running header and footer, marking and watermark are artifacts.
    body = page.filter(lambda o: o.get("object_type") != "char" or o.get("tag") != "Artifact")
    return [line for line in body.extract_text_lines() if line["chars"] and line["text"].strip()]


def _pages(paths: list[Path]):
    """(file name, page number, is the last page, content lines) of every page after the cover."""
    import pdfplumber

    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages[1:]:
                yield path.name, page.page_number, page.page_number == len(pdf.pages), _content_lines(page)


def test_no_heading_is_the_last_text_on_a_page(paged_pdfs):
    """A heading (a line set larger than the body) shares its page with what follows it, its
    grade badge not counted (a one-line paragraph may be all that follows)."""
    for name, number, last_page, lines in _pages(paged_pdfs):
        if not lines or last_page:
            continue
        all_sizes = [round(char["size"], 1) for line in lines for char in line["chars"]]
        body_size = max(set(all_sizes), key=all_sizes.count)  # the size most text is set in
        # Headings are set at least 1.12 times the body size (compiler/render/pdf/styles.py).
        headings = [i for i, line in enumerate(lines) if line["chars"][0]["size"] >= body_size * 1.1]
        if not headings:
            continue
        after = lines[headings[-1] + 1:]
        if after and len(after[0]["text"].split()) <= 3:  # its badge ("Requires improvement")
            after = after[1:]
        assert after, (name, number, lines[headings[-1]]["text"])


DETAILED = "Detailed findings for question"


def test_a_detailed_findings_link_never_starts_a_page(paged_pdfs):
    links = 0
    for name, number, _, lines in _pages(paged_pdfs):
        links += sum(line["text"].startswith(DETAILED) for line in lines)
        assert not (lines and lines[0]["text"].startswith(DETAILED)), (name, number)
    assert links >= 6


def test_every_page_but_the_last_holds_at_least_three_lines(paged_pdfs):
    for name, number, last_page, lines in _pages(paged_pdfs):
        assert last_page or len(lines) >= 3, (name, number, [line["text"] for line in lines])


def test_docx_keeps_the_paragraph_before_a_detailed_findings_link_with_it(built_samples):
    from docx.text.paragraph import Paragraph

    word = docx.Document(str(built_samples / "northshire-peel-2021.docx"))
    body = list(word.element.body)
    links = 0
    for index, element in enumerate(body):
        if element.tag != qn("w:p") or not Paragraph(element, word).text.startswith(DETAILED):
            continue
        links += 1
        before = body[index - 1]
        # A paragraph, or a panel (a table) whose last row holds with what follows it.
        kept = before.findall(qn("w:tr"))[-1].iter(qn("w:p")) if before.tag == qn("w:tbl") else [before]
        for p in kept:
            style = Paragraph(p, word).style.element.find(qn("w:pPr"))
            own = p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
            assert own is not None or (style is not None and style.find(qn("w:keepNext")) is not None), \
                Paragraph(element, word).text
    assert links >= 3


def test_docx_styles_keep_headings_with_next_and_lines_together_and_control_widows(built_samples):
    from docx.oxml.ns import qn as word_qn

    word = docx.Document(str(built_samples / "northshire-peel-2021.docx"))
    normal = word.styles["Normal"].element.find(word_qn("w:pPr"))
    assert normal.find(word_qn("w:widowControl")) is not None
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        properties = word.styles[name].element.find(word_qn("w:pPr"))
        assert properties.find(word_qn("w:keepNext")) is not None, name
        assert properties.find(word_qn("w:keepLines")) is not None, name
