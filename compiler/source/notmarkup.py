"""Markdown that reportc does not read as markup (images, `#`/`## ` headings, raw HTML tags):
it prints as written, and the writer is told, at its LINE:COL, what to write instead.

Only what is surely meant as markup warns: `<` in prose ("fewer than <5%", "a < b") and
`<name@example.com>` are not tags, as a tag's name is followed by `>`, `/` or a space.
"""
from __future__ import annotations

import re
from typing import Callable

from ..diagnostics import Diagnostics, Span, excerpt

IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\s]*\)")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
HEADING = re.compile(r"#{1,2} \S")  # `#### ` and `### ` are the sub-headings of block text

Locate = Callable[[int], Span]


def warn_inline(text: str, locate: Locate, diagnostics: Diagnostics) -> None:
    """Warn about each image and each raw HTML tag of one text, where it was written."""
    for match in IMAGE.finditer(text):
        diagnostics.warning(locate(match.start()), f"'{excerpt(match.group())}' is not an image in reportc and "
                                                   "prints as written; use a `figure:` block (with image, alt "
                                                   "and caption) instead")
    for match in _TAG.finditer(text):
        diagnostics.warning(locate(match.start()), f"'{excerpt(match.group())}' is HTML, which prints as written; "
                                                   "use **bold**, *italic* or [text](https://...) for markup, "
                                                   "or remove the tag")


def warn_heading(line: str, span: Span, diagnostics: Diagnostics) -> None:
    """Warn about a line starting `# ` or `## `: a Markdown heading that is not one here."""
    if HEADING.match(line):
        diagnostics.warning(span, f"'{excerpt(line.split(' ', 1)[0])} ' is not a heading in reportc and prints "
                                  "as written; the report's own headings come from its pillars and sections, "
                                  "and block text has `### ` and `#### ` sub-headings")
