"""`reportc review REVIEWED.docx`: every comment and tracked change in a returned draft, at the
source line it concerns, one line each in compiler style, or JSON."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from ..diagnostics import Span
from .changes import Remark, Review, walk_document
from .package import ReviewError, one_line, open_package

_ANCHOR_LIMIT = 80  # characters of commented text quoted in a text line; JSON has it whole


def add_review_parser(subparsers) -> None:
    parser = subparsers.add_parser("review", help="list a reviewed draft's comments and tracked changes "
                                                  "at their source lines")
    parser.add_argument("docx", type=Path, metavar="REVIEWED.docx", help="a draft DOCX returned by a reviewer")
    parser.add_argument("--json", action="store_true", help="print the remarks as JSON")


def run_review(path: Path, as_json: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> bool:
    """Print the remarks of `path`; False (and a message) when it cannot be read as a reportc draft."""
    try:
        review = review_docx(path)
    except ReviewError as error:
        print(f"{Span(str(path), 1, 1)}: error: {error}", file=err)
        return False
    if as_json:
        out.write(format_json(review) + "\n")
    else:
        for line in format_lines(review):
            out.write(line + "\n")
    return True


def review_docx(path: Path) -> Review:
    package = open_package(path)
    review = Review(str(path), package.map.report_id, package.map.source)
    review.remarks = list(walk_document(package))
    return review




def format_lines(review: Review) -> list[str]:
    lines = []
    for remark in review.sorted():
        lines.append(f"{remark.span}: {remark.kind}: {describe(remark)}")
        if not remark.traced:
            lines.append(f"{remark.span}: warning: the {remark.kind} above is on text that carries no "
                         f"source position (pasted, moved or untracked text); listed under the nearest "
                         f"heading before it")
    return lines


def describe(remark: Remark) -> str:
    if remark.kind == "comment":
        who = f"{remark.author} ({remark.date})" if remark.date else remark.author
        on = f' on "{_shorten(remark.anchor)}"' if remark.anchor else ""
        return f'{who}: "{remark.text}"{on}'
    if remark.change == "replace":
        return f'{remark.author}: replace "{_shorten(remark.deleted)}" with "{_shorten(remark.inserted)}"'
    if remark.change == "insert":
        return f'{remark.author}: insert "{_shorten(remark.inserted)}"'
    return f'{remark.author}: delete "{_shorten(remark.deleted)}"'


def _shorten(text: str) -> str:
    text = one_line(text)
    return text if len(text) <= _ANCHOR_LIMIT else text[: _ANCHOR_LIMIT - 1] + "\u2026"


def format_json(review: Review) -> str:
    remarks = []
    for remark in review.sorted():
        item = asdict(remark)
        item.pop("order")
        span = item.pop("span")
        remarks.append({"file": span["file"], "line": span["line"], "col": span["col"], "path": span["path"],
                        **item})
    return json.dumps({"docx": review.docx, "report": review.report_id, "source": review.source,
                       "remarks": remarks}, indent=2, ensure_ascii=False)
