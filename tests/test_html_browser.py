"""The HTML edition in a real browser (issue 12): headless Chromium (the Debian package, never
Playwright's own download) driven by Playwright, with axe-core.

- zero axe violations for WCAG 2.0/2.1/2.2 A and AA on every sample;
- at 320 CSS px the page does not scroll sideways (WCAG 1.4.10; wide tables scroll in their box);
- hostile text shows as text and runs nothing (scripts enabled, every element hovered);
- printing: the marking on every page, no navigation;
- screenshots at 1280 and 320 px are written for a person to look at (REPORTC_SCREENSHOTS=DIR).

Without Chromium, Playwright or axe these tests are skipped with the reason, never passed;
.ci/run installs all three. One browser serves the whole session.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import run_reportc, sample_sources
from .htmlpage import built_html
from .test_html import EPOCH, HOSTILE

# axe's best practices too: two landmarks of one name (the glance table's region under its
# heading's section) broke none of WCAG's rules but confused screen-reader navigation.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
@pytest.fixture(scope="module")
def html_pages(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("html-browser")
    result = run_reportc("build", "sources", "--format", "html", "--out", str(out), env=EPOCH)
    assert result.returncode == 0, result.stderr
    found = {path.stem: path for path in sorted(out.glob("*.html"))}
    assert len(found) == len(sample_sources())
    return found


def _open(browser, path: Path, width: int, javascript: bool = True):
    page = browser.new_page(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.requests = requests
    return page


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("REPORTC_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def test_no_axe_violations_at_wcag_22_aa(browser, html_pages):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for name, path in html_pages.items():
        for width in (1280, 320):
            page = _open(browser, path, width)
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                             "resultTypes": ["violations"]})
            violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
            assert not violations, (name, width, json.dumps(violations)[:2000])
            assert page.requests == [path.as_uri()], page.requests  # nothing fetched
            _screenshot(page, f"{name}-{width}")
            page.close()


def test_the_page_reflows_at_320_px(browser, html_pages):
    for name, path in html_pages.items():
        page = _open(browser, path, 320)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
        # Text is readable without script too: nothing needs JavaScript.
        page.close()
        page = _open(browser, path, 320, javascript=False)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
        assert page.locator("h1").inner_text()
        page.close()
        # With every chart's data table open too (a table of a few series was wider than a phone)
        page = _open(browser, path, 320)
        page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
        page.close()


def test_an_open_chart_data_table_of_many_series_scrolls_in_its_own_box(browser, tmp_path):
    series = "".join(f"            - {{name: Satisfied or very satisfied group {n}, values: [14, 11, 19, 4]}}\n"
                     for n in range(4))
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.yaml").write_text(
        "title: T\nsubject: S\nfront_matter:\n  - title: Survey\n    body:\n      - chart:\n"
        "          type: column\n          caption: Answers to the survey\n"
        "          categories: [Residents, Relatives, Staff, Professionals]\n          series:\n" + series +
        "pillars:\n  - title: P\n    grade: good\n", encoding="utf-8")
    result = run_reportc("build", "--format", "html", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = _open(browser, tmp_path / "out" / "r.html", 320)
    page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
    assert page.evaluate("document.querySelector('details table.data').offsetWidth") > 320  # it is that wide
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()


def test_glance_grades_keep_to_one_line_on_a_wide_screen(browser, html_pages):
    """The grade column is as narrow as its badges, and "Requires improvement" broke over two
    lines beside a row with room to spare."""
    labels = set()
    for name, path in html_pages.items():
        page = _open(browser, path, 1280)
        lines = page.evaluate("""[...document.querySelectorAll('.glance td .badge')].map(
            b => [b.textContent, b.offsetHeight / parseFloat(getComputedStyle(b).lineHeight)])""")
        assert lines and all(height < 2 for _, height in lines), (name, lines)
        labels.update(label.strip() for label, _ in lines)
        page.close()
    assert any(" " in label for label in labels), labels  # a label that could break was there


def test_focus_is_visible_and_the_skip_link_comes_first(browser, html_pages):
    path = html_pages["city-of-london-peel-2018"]
    page = _open(browser, path, 1280)
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return {cls: e.className, visible: e.getBoundingClientRect().width > 0,
                bg: s.backgroundColor, shadow: s.boxShadow}; }""")
    assert focused["cls"] == "skip-link" and focused["visible"]
    assert focused["bg"] == "rgb(255, 221, 0)" and focused["shadow"] != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    page.close()


def test_the_skip_links_target_gets_no_focus_highlight(browser, html_pages):
    """After the skip link, `main` (tabindex -1) has focus: it matched the highlight for focused
    controls, and its links were #1D70B8 on yellow (3.8:1) and a yellow badge vanished. The next
    link a keyboard user moves to is highlighted still."""
    from axe_playwright_python.sync_playwright import Axe

    for name, path in html_pages.items():
        page = _open(browser, path, 1280)
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        main = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return {tag: e.tagName, bg: s.backgroundColor, shadow: s.boxShadow, outline: s.outlineStyle,
                    colour: s.color, body: getComputedStyle(document.body).color}; }""")
        assert main["tag"] == "MAIN", name
        assert main["bg"] == "rgba(0, 0, 0, 0)" and main["shadow"] == "none" and main["outline"] == "none", (name, main)
        assert main["colour"] == main["body"], (name, main)
        results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast"]},
                                           "resultTypes": ["violations"]})
        assert not results.response["violations"], (name, json.dumps(results.response["violations"])[:1000])
        page.keyboard.press("Tab")
        moved = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return {tag: e.tagName, bg: s.backgroundColor, outline: s.outlineStyle}; }""")
        assert ((moved["tag"] == "A" and moved["bg"] == "rgb(255, 221, 0)")  # a link, or a scroll box
                or (moved["tag"] == "DIV" and moved["outline"] == "solid")), (name, moved)
        page.close()


def _hex(rgb: str) -> str:
    return "#" + "".join(f"{int(part):02X}" for part in rgb[rgb.index("(") + 1:-1].split(",")[:3])


def test_printing_keeps_table_headers_readable_without_background_graphics(browser, html_pages):
    """Browsers print without backgrounds by default: a data table's header, white on the brand
    colour, printed white on white (#ABABAB as antialiased). It keeps its fill, or is dark text."""
    from compiler.layout.colour import WCAG_AA, WHITE, contrast

    headers = 0
    for name, path in html_pages.items():
        page = _open(browser, path, 1280)
        page.emulate_media(media="print")
        cells = page.evaluate("""[...document.querySelectorAll('table thead th')].map(th => {
            const s = getComputedStyle(th); return [th.textContent, s.printColorAdjust, s.color]; })""")
        for text, adjust, colour in cells:
            assert adjust == "exact" or contrast(_hex(colour), WHITE) >= WCAG_AA, (name, text, adjust, colour)
        headers += len(cells)
        page.close()
    assert headers


def test_printing_never_leaves_a_figures_caption_alone_at_a_page_foot(browser, tmp_path):
    """Whatever comes above a figure, its caption prints on the page of its image: "Figure 1" was
    left alone at the foot of a page, the image on the next."""
    from io import BytesIO

    from PIL import Image
    from pypdf import PdfReader

    (tmp_path / "sources").mkdir()
    Image.new("RGB", (400, 200), (30, 90, 160)).save(tmp_path / "sources" / "map.png")
    built = built_html(tmp_path, "r",
                       "title: T\nsubject: S\nfront_matter:\n  - title: Maps\n    body:\n      - Text above.\n"
                       "      - figure:\n          image: map.png\n          alt: A map of the force area\n"
                       "          caption: The force area\n          source: Force, 2022\n      - Text below.\n"
                       "pillars:\n  - title: P\n    grade: good\n")
    page = _open(browser, built, 1280)
    page.emulate_media(media="print")
    captions = 0
    for height in range(0, 1000, 100):  # a page's height, in steps shorter than the figure's
        page.evaluate("""height => { let spacer = document.getElementById('spacer');
            if (!spacer) { spacer = document.createElement('div'); spacer.id = 'spacer';
                           const figure = document.querySelector('figure.figure');
                           figure.parentNode.insertBefore(spacer, figure); }
            spacer.style.height = height + 'px'; }""", height)
        for number, pdf_page in enumerate(PdfReader(BytesIO(page.pdf())).pages, 1):
            if "Figure 1: The force area" in " ".join(pdf_page.extract_text().split()):
                captions += 1
                assert list(pdf_page.images), (height, number)
    assert captions == 10
    page.close()


def test_hostile_text_shows_as_text_and_runs_nothing(browser, tmp_path):
    source = tmp_path / "sources" / "hostile.yaml"
    source.parent.mkdir()
    text = json.dumps(HOSTILE)
    source.write_text(f"title: {text}\nsubject: {text}\nmarking: {json.dumps('OFFICIAL </style><script>alert(4)</script>')}\n"
                      f"style: hmicfrs\nstatus: draft\nversion: {text}\npillars:\n  - title: {text}\n    grade: good\n"
                      f"    summary: {text}\n    questions:\n      - title: {text}\n        grade: good\n"
                      f"        findings: {text}\n", encoding="utf-8")
    result = run_reportc("build", "--format", "html", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto((tmp_path / "out" / "hostile.html").as_uri())
    # Every element gets the events an injected handler would wait for, and the mouse crosses the page.
    page.evaluate("""() => { for (const e of document.querySelectorAll('*'))
        for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'error', 'load'])
            e.dispatchEvent(new Event(type, {bubbles: false})); }""")
    for y in range(0, 900, 30):
        page.mouse.move(640, y)
    assert dialogs == []
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.querySelectorAll('img:not(.logo)').length") == 0
    assert HOSTILE in page.locator("h1").inner_text()
    assert "<script>alert(4)</script>" in page.locator(".marking").first.inner_text()
    page.close()


def test_printing_puts_the_marking_on_every_page_and_leaves_navigation_out(browser, html_pages):
    from io import BytesIO

    from pypdf import PdfReader

    page = _open(browser, html_pages["eastmoor-fire-2026-draft"], 1280)
    page.emulate_media(media="print")
    assert page.locator("nav.contents").is_hidden()
    reader = PdfReader(BytesIO(page.pdf()))
    assert len(reader.pages) > 3
    for number, pdf_page in enumerate(reader.pages, 1):
        words = pdf_page.extract_text()
        assert "OFFICIAL-SENSITIVE" in words and "DRAFT" in words, number
        assert f"Page {number} of {len(reader.pages)}" in words, number
    page.close()


def test_a_focused_scroll_box_has_an_outline_not_the_yellow_highlight(browser, html_pages):
    """A table's or chart's scroll box, focused from the keyboard, matched the yellow highlight for
    links (more specific than its own rule): the whole table turned yellow, its links #1D70B8 on
    yellow (3.9:1), and its outline was transparent. It takes a dark outline and keeps its colours."""
    boxes = 0
    page = _open(browser, html_pages["northshire-peel-2021"], 1280)
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return {box: e.matches('.table-scroll, .chart-scroll'), cls: e.className, bg: s.backgroundColor,
                    outline: [s.outlineStyle, s.outlineColor], colour: s.color,
                    body: getComputedStyle(document.body).color}; }""")
        if focused["cls"] == "skip-link" and boxes:
            break  # round the page once
        if focused["box"]:
            boxes += 1
            assert focused["bg"] == "rgba(0, 0, 0, 0)", focused
            assert focused["outline"] == ["solid", "rgb(11, 12, 12)"], focused
            assert focused["colour"] == focused["body"], focused
    assert boxes >= 3  # tables, a chart and its data table
    page.close()


def test_printing_never_splits_a_heading_or_leaves_it_and_its_grade_at_a_page_foot(browser, html_pages):
    """A question's heading printed "... fires and other" at one page's foot and "risks?" at the
    next page's head; another, with its grade badge, was the last thing on its page, its areas for
    improvement on the next. Each heading prints whole, on the page of what follows its badge."""
    from io import BytesIO

    from pypdf import PdfReader

    page = _open(browser, html_pages["eastmoor-fire-2026-draft"], 1280)
    page.emulate_media(media="print")
    headings = page.evaluate("""[...document.querySelectorAll('main h3')].map(h => {
        let next = h.nextElementSibling;
        if (next && next.matches('.judgment')) next = next.nextElementSibling;
        return [h.textContent, next ? next.innerText.trim().slice(0, 30) : '']; })""")
    pages = [" ".join(pdf_page.extract_text().split()) for pdf_page in PdfReader(BytesIO(page.pdf())).pages]
    page.close()
    assert len(headings) > 5
    for heading, following in headings:
        heading, following = " ".join(heading.split()), " ".join(following.split())
        # (the glance table's page holds the heading's words too, but not what follows it)
        assert any(heading in words and following in words for words in pages), (heading, following)


def test_printing_keeps_the_covers_words_inset_and_leaves_the_chart_data_control_out(browser, html_pages):
    """Printed, the cover's title and logo touched the edge of its coloured band (the page's side
    padding is dropped for paper), and every chart printed "▶ Data for Figure 1", a control that
    opens nothing on paper."""
    page = _open(browser, html_pages["northshire-peel-2021"], 1280)
    page.emulate_media(media="print")
    inset = page.evaluate("""() => { const band = document.querySelector('.cover').getBoundingClientRect();
        return ['h1', '.logo', '.subject'].map(s => document.querySelector('.cover ' + s).getBoundingClientRect().left - band.left); }""")
    assert all(left >= 16 for left in inset), inset  # 6 mm
    assert page.locator("figure.chart").count() and page.locator("figure.chart details").first.is_hidden()
    page.emulate_media(media="screen")
    assert page.locator("figure.chart details").first.is_visible()
    page.close()
