"""Regenerate README's pictures from freshly built samples: `python docs/pictures.py`.

Builds the samples into a temporary folder, finds the pages by their text (cover, the
judgments-at-a-glance table, the first question page) and renders them with poppler's pdftoppm.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# picture name -> (report id, text on the page, which page has it: -1 the last, 0 the first).
# Contents and the glance table repeat headings, so a heading's own page is the last match.
PICTURES = {
    "page-cover": ("city-of-london-peel-2018", None, 0),
    "page-question": ("city-of-london-peel-2018", "How effective is the force at investigating crime", -1),
    "page-glance": ("northshire-peel-2021", "Judgments at a glance", -1),
    "page-draft": ("eastmoor-fire-2026-draft", "Cause of concern", 0),
    "page-data": ("northshire-peel-2021", "Table 1: Northshire in numbers", 0),
}


def page_with(pdf: Path, text: str | None, which: int) -> int:
    if text is None:
        return 1
    pages = PdfReader(pdf).pages
    return [n for n, page in enumerate(pages, 1) if text in (page.extract_text() or "")][which]


def main() -> int:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "compiler", "build", "--format", "pdf", "--out", out], cwd=ROOT,
                       check=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
        for name, (report, text, which) in PICTURES.items():
            pdf = Path(out) / f"{report}.pdf"
            page = page_with(pdf, text, which)
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(DOCS / name)], check=True)
            print(f"docs/{name}.png: {report} page {page}")
    html_picture()
    return 0


def html_picture(report: str = "city-of-london-peel-2018", width: int = 1100, height: int = 820) -> None:
    """docs/page-html.png: the HTML edition's first screen, by the system Chromium (as the tests do)."""
    import shutil

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "compiler", "build", "--format", "html", "--out", out], cwd=ROOT,
                       check=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto((Path(out) / f"{report}.html").as_uri())
            page.screenshot(path=str(DOCS / "page-html.png"))
            browser.close()
    print(f"docs/page-html.png: {report}.html at {width} x {height} CSS px")


if __name__ == "__main__":
    sys.exit(main())
