"""Command line: argument parsing, printing diagnostics, exit codes. Thin by design.

Exit codes live here and only here: 0 ok, 1 invalid input (or a failed build), 2 usage.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
FORMATS = ("pdf", "docx")


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or value!r}; choose from pdf, docx")
    return chosen


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reportc", description="Compile YAML inspection findings into "
                                                                 "branded PDF and DOCX reports.")
    parser.add_argument("--version", action="version", version=f"reportc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("paths", nargs="*", metavar="PATH", help="source files or folders (default: sources/)")
    common.add_argument("--root", type=Path, default=None, help="project root (default: current directory)")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("-q", "--quiet", action="store_true", help="print errors only")

    build = commands.add_parser("build", parents=[common], help="build PDF and DOCX reports")
    build.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build/)")
    build.add_argument("--format", type=_formats, default=FORMATS, help="pdf,docx (default: both)")
    build.add_argument("--print", dest="print_marks", action="store_true",
                       help="add crop marks and 3 mm bleed to the PDF")

    commands.add_parser("validate", parents=[common], help="check sources without building")
    commands.add_parser("schema", help="print the JSON Schema of report files")
    from .review import add_review_parser

    add_review_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = make_parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    if args.command == "schema":
        from .schema import report_json_schema

        print(json.dumps(report_json_schema(), indent=2, ensure_ascii=False))
        return EXIT_OK
    if args.command == "review":
        from .review import run_review

        return EXIT_OK if run_review(args.docx, args.json) else EXIT_INVALID
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130


def _run(args) -> int:
    from .diagnostics import Diagnostics
    from .paths import Roots
    from .pipeline import BuildOptions, build_report, discover_sources, load_all, source_date_from_env

    root = (args.root or Path.cwd())
    if not root.is_dir():
        print(f"reportc: error: --root {root} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        source_date = source_date_from_env()
    except (ValueError, OverflowError, OSError):
        print("reportc: error: SOURCE_DATE_EPOCH must be a whole number of seconds", file=sys.stderr)
        return EXIT_USAGE
    roots = Roots.at(root)
    found = Diagnostics()
    sources = discover_sources(args.paths, roots, found)
    _print(found, args.quiet)
    loaded = load_all(sources, roots, args.strict)
    failed = found.has_errors
    for item in loaded:
        if args.command == "build" and item.ok:
            options = BuildOptions(roots, args.out, args.format, args.strict, args.print_marks, source_date)
            _build_one(item, options)
        _print(item.diagnostics, args.quiet)
        failed = failed or not item.ok or item.diagnostics.has_errors
    if not sources and not found.has_errors:
        print("reportc: no sources found", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_INVALID if failed else EXIT_OK


def _build_one(item, options) -> None:
    from .diagnostics import Span
    from .pipeline import build_report

    try:
        build_report(item, options)
    except OSError as error:
        item.diagnostics.error(Span(item.file, 1, 1), f"cannot write the output: {error.strerror or error}")
    except Exception as error:  # a bug in reportc, not in the source: say so, briefly
        if os.environ.get("REPORTC_DEBUG"):
            traceback.print_exc()
        item.diagnostics.error(Span(item.file, 1, 1), f"internal error while building ({type(error).__name__}: "
                                                      f"{error}); please report it (REPORTC_DEBUG=1 shows details)")


def _print(diagnostics, quiet: bool) -> None:
    for diagnostic in diagnostics:
        if quiet and diagnostic.severity == "warning":
            continue
        print(diagnostic.format(), file=sys.stderr)
