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
    return 0


if __name__ == "__main__":
    sys.exit(main())
