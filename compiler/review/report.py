"""`reportc review REVIEWED.docx`: every comment and tracked change in a returned draft, at the
source line it concerns, one line each in compiler style, or JSON."""
from __future__ import annotations

import json
import re
import sys
from dataclasses import fields
from pathlib import Path
from typing import TextIO

from ..diagnostics import Diagnostic, Span, counted, escape_untrusted
from .changes import Remark, Review, walk_document
from .limits import ReviewError
from .package import Package, one_line, open_package

_ANCHOR_LIMIT = 80  # characters of commented text quoted in a text line; JSON has up to MAX_ANCHOR


def add_review_parser(subparsers) -> None:
    parser = subparsers.add_parser("review", help="list a reviewed draft's comments and tracked changes "
                                                  "at their source lines")
    parser.add_argument("docx", type=Path, metavar="REVIEWED.docx", help="a draft DOCX returned by a reviewer")
    parser.add_argument("--json", action="store_true", help="print the remarks as JSON")
    from .options import add_apply_arguments  # --apply, --dry-run, --root

    add_apply_arguments(parser)


def run_review(path: Path, as_json: bool, out: TextIO | None = None, err: TextIO | None = None) -> bool:
    """Print the remarks of `path`, and a summary line on stderr (as `build` does); False (and a
    message) when it cannot be read as a reportc draft."""
    out, err = out or sys.stdout, err or sys.stderr  # looked up per call: the CLI may swap them
    try:
        review = review_docx(path)
    except ReviewError as error:
        print(Diagnostic("error", Span(str(path), 1, 1), str(error)).format(), file=err)
        return False
    for warning in review.warnings:
        print(escape_untrusted(Diagnostic("warning", Span(str(path), 1, 1), warning).format()), file=err)
    if as_json:
        out.write(format_json(review) + "\n")
    else:
        for line in format_lines(review):
            out.write(line + "\n")
        err.write(summary(review) + "\n")
    return True


def summary(review: Review) -> str:
    """`reportc: 2 comments and 1 tracked change in x.docx`: said even when there are none, so a
    clean draft is not mistaken for a command that did nothing."""
    comments = sum(1 for remark in review.remarks if remark.kind == "comment")
    changes = len(review.remarks) - comments
    untraced = sum(1 for remark in review.remarks if not remark.traced)
    name = escape_untrusted(review.docx)
    if not review.remarks:
        return f"reportc: no comments or tracked changes in {name}"
    counts = " and ".join(part for part in (_count(comments, "comment"), _count(changes, "tracked change")) if part)
    extra = f" ({untraced} on text without a source position)" if untraced else ""
    return f"reportc: {counts} in {name}{extra}"


def _count(number: int, noun: str) -> str:
    return counted(number, noun) if number else ""


def review_docx(path: Path, root: Path | None = None) -> Review:
    return review_of(path, opened(path, root or Path.cwd()))


def opened(path: Path, root: Path) -> Package:
    """The draft at `path`, its marks moved to the current sources (drift.py)."""
    from .drift import checked

    return checked(open_package(path), root)


def review_of(path: Path, package: Package) -> Review:
    remarks, warnings = walk_document(package)
    return Review(str(path), package.map.report_id, package.map.source, remarks, package.warnings + tuple(warnings))




def format_lines(review: Review) -> list[str]:
    """One line per remark. Authors, texts and the source map's file names come from the reviewed
    file: escaped like diagnostics, so none can print a line of its own or drive the terminal."""
    lines = []
    for remark in review.sorted():
        lines.append(escape_untrusted(f"{remark.span}: {remark.kind}: {describe(remark)}"))
        if remark.untraced_why:
            lines.append(escape_untrusted(f"{remark.span}: warning: the {remark.kind} above is not on source text "
                                          f"({remark.untraced_why}); listed at the top of the source"))
        elif not remark.traced:
            lines.append(escape_untrusted(
                f"{remark.span}: warning: the {remark.kind} above is on text that carries no source position "
                f"(pasted, moved or untracked text); listed under the nearest heading before it"))
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
    """A change's text, shortened. Only runs of spaces are squeezed: a tab or a line separator
    the change inserts is part of it, and shows escaped (`\\t`, `\\u2028`), as `--apply` writes it."""
    text = re.sub("  +", " ", text)
    return text if len(text) <= _ANCHOR_LIMIT else text[: _ANCHOR_LIMIT - 1] + "\u2026"


_JSON_FIELDS = [f.name for f in fields(Remark) if f.name not in ("span", "order")]


def format_json(review: Review) -> str:
    remarks = []
    for remark in review.sorted():
        span = remark.span
        item = {"file": span.file, "line": span.line, "col": span.col, "path": span.path}
        # Field by field, not dataclasses.asdict: that deep-copies every value, the most of the run's
        # time for tens of thousands of remarks.
        item.update((name, getattr(remark, name)) for name in _JSON_FIELDS)
        remarks.append(item)
    text = json.dumps({"docx": review.docx, "report": review.report_id, "source": review.source,
                       "remarks": remarks, "warnings": list(review.warnings)}, indent=2, ensure_ascii=False)
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# json.dumps escapes C0 controls; C1 controls, line and paragraph separators, bidi controls and
# lone surrogates (a file name that is not UTF-8) it leaves raw. They can only stand inside
# strings, where a \uXXXX escape is the same value.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
