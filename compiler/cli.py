"""Command line: argument parsing, printing diagnostics, exit codes. Thin by design.

Exit codes live here and only here: 0 ok, 1 invalid input (or a failed build), 2 usage.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import re
import stat
import sys
from pathlib import Path

from . import __version__
from .pipes import quiet_on_closed_pipe
from .render import DEFAULT_FORMATS, FORMATS  # names only: no renderer is imported until it renders

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
NAME_MAX_BYTES = 255  # one file or folder name, as every common file system allows


def _path(value: str) -> Path:
    """A path argument; an empty one is refused (pathlib reads '' as '.', the current folder)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("is empty; name a file or folder")
    return Path(value)


def _author(value: str) -> str:
    """A tracked change's author: a name Word's XML can hold (what a source may hold too)."""
    from .source.characters import forbidden_in

    if problem := forbidden_in(value):
        raise argparse.ArgumentTypeError(f"{problem}; write the name as tracked changes should show it")
    return value


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))  # PDF is pdf
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        from .diagnostics import nearest

        near = nearest(unknown[0], FORMATS, cutoff=0.5) if unknown else None
        hint = f"did you mean {near}? " if near else ""
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or value!r}; {hint}"
                                         f"choose from {', '.join(FORMATS)}")
    return chosen


def _jobs(value: str) -> int:
    if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) < 1:  # ASCII: str.isdigit() takes '٣' and '²'
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number of at least 1; got {value!r}")
    return int(value)


def _shard(value: str):
    from .build.shard import parse

    try:
        return parse(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def make_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; `command`, when known, leaves out the other commands' costly set-up."""
    parser = argparse.ArgumentParser(prog="reportc", description="Compile YAML inspection findings into "
                                                                 "branded PDF and DOCX reports.")
    parser.add_argument("--version", action="version", version=f"reportc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("paths", nargs="*", metavar="PATH", help="source files or folders (default: sources/)")
    common.add_argument("--root", type=_path, default=None, help="project root (default: current directory)")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("-q", "--quiet", action="store_true", help="print errors only")

    build = commands.add_parser("build", parents=[common], help="build PDF, DOCX and HTML reports")
    build.add_argument("--out", type=_path, default=Path("build"), help="output folder (default: build/)")
    build.add_argument("--format", type=_formats, default=DEFAULT_FORMATS,
                       help="any of pdf,docx,html, comma-separated (default: pdf,docx)")
    build.add_argument("--print", dest="print_marks", action="store_true",
                       help="add crop marks and 3 mm bleed to the PDF")
    build.add_argument("--allow-missing-glyphs", action="store_true",
                       help="build a PDF even where no font of the style has a character (it prints as an "
                            "empty box, which PDF/UA forbids): a warning instead of an error")
    build.add_argument("-j", "--jobs", type=_jobs, default=None,
                       help="worker processes (default: the number of CPUs); 1 builds in this process")
    build.add_argument("--force", action="store_true", help="rebuild every report, even those up to date")
    build.add_argument("--fail-fast", action="store_true", help="stop at the first report that fails")
    build.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                       help="build only the K-th of N stable parts of the sources (CI matrices)")
    build.add_argument("-v", "--verbose", action="store_true",
                       help="a line per report, skipped ones too, with why it was rebuilt")
    build.add_argument("--json", action="store_true", help="print a JSON summary of the build on stdout")
    build.add_argument("--redline-from", type=_path, default=None, metavar="OLD",
                       help="show the differences from OLD (a source or a folder) as tracked changes in the DOCX")
    build.add_argument("--redline-author", type=_author, default=None, help="their author (default: the brand name)")
    from .build.single import add_output_option

    add_output_option(build)  # last: it records the other options' defaults

    verify = commands.add_parser("verify", help="check built artefacts against their manifest.json")
    verify.add_argument("folder", nargs="?", type=_path, default=Path("build"), metavar="DIR",
                        help="the build folder, or a manifest file (default: build/)")
    verify.add_argument("-q", "--quiet", action="store_true", help="print errors only")

    manifests = commands.add_parser("manifest", help="work with build manifests")
    manifest_commands = manifests.add_subparsers(dest="manifest_command", metavar="ACTION", required=True)
    merge = manifest_commands.add_parser("merge", help="join the manifests of CI shards into one")
    merge.add_argument("inputs", nargs="+", type=_path, metavar="MANIFEST")
    merge.add_argument("-o", "--output", type=_path, required=True, metavar="FILE",
                       help="where to write the merged manifest (the artefacts' folder)")

    commands.add_parser("validate", parents=[common], help="check sources without building")
    schema = commands.add_parser("schema", help="print the JSON Schema of report files")
    schema.add_argument("--style", action="store_true", help="the JSON Schema of style files instead")
    init = commands.add_parser("init", help="start a new project: a sample report, a house style, CI")
    init.add_argument("folder", nargs="?", type=_path, default=Path("."), metavar="DIR",
                      help="a new or empty folder (default: the current folder)")
    styles = commands.add_parser("styles", help="list the styles a source can name")
    styles.add_argument("--root", type=_path, default=None, help="project root (default: current directory)")
    from .watch import add_watch_parser  # the parser only: the server and watcher load when it runs

    add_watch_parser(commands, common)
    if command in (None, "review"):  # importing it costs more than a whole no-op build: only when it can run
        from .review.report import add_review_parser

        add_review_parser(commands)
    return parser


def run() -> int:
    """The process's entry point (`reportc`, `python -m compiler`): `main`, in a process that
    ends with it. A build leaves its object graphs (the PDF's tens of thousands of objects, the
    structure tree) to the collector; collecting them one by one at exit took a long report's
    build 0.2 s, for memory the operating system takes back whole. Frozen, they are left alone."""
    status = main()
    gc.freeze()
    return status


@quiet_on_closed_pipe  # `reportc schema | head -1`: no traceback, the command's own status
def main(argv: list[str] | None = None) -> int:
    try:
        args = make_parser(_command(sys.argv[1:] if argv is None else argv)).parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    from .build.single import usage_problem

    problem = usage_problem(args) or _path_arguments_problem(args)
    if problem:
        print(f"reportc: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "schema":
        from .source.schema import report_json_schema, style_json_schema

        print(json.dumps(style_json_schema() if args.style else report_json_schema(), indent=2, ensure_ascii=False))
        return EXIT_OK
    if args.command in ("init", "styles"):
        return _init(args) if args.command == "init" else _styles(args)
    if args.command == "review":
        from .review.writeback import run_review_command

        return run_review_command(args)
    if args.command == "watch":
        return _watch(args)
    if args.command == "verify":
        return _verify(args)
    if args.command == "manifest":
        return _merge(args)
    try:
        return _build(args) if args.command == "build" else _run(args)
    except KeyboardInterrupt:
        print("reportc: interrupted", file=sys.stderr)
        return 130


def _command(argv: list[str]) -> str | None:
    """The command named, when it is one that needs no other command's parser; else None
    (help, a typo: the full parser lists every command)."""
    first = next((word for word in argv if not word.startswith("-")), None)
    asking_help = any(word in ("-h", "--help") for word in argv[:1])
    fast = ("build", "validate", "schema", "verify", "manifest", "init", "styles", "watch")
    return first if first in fast and not asking_help else None


def _path_arguments(args) -> list[tuple[str, Path, str]]:
    """(option, path, kind) of every path the command line names but the sources (which
    discovery reports as it finds them); kinds as _path_problem takes them."""
    named = [("--root", args.root, "folder")] if getattr(args, "root", None) is not None else []
    if args.command == "build":
        named.append(("-o", args.output, "output file") if args.output else ("--out", args.out, "output folder"))
    elif args.command == "init":
        named.append(("DIR", args.folder, "output folder"))
    elif args.command == "verify":
        named.append(("DIR", args.folder, "input"))
    elif args.command == "manifest":
        named += [("MANIFEST", path, "input") for path in args.inputs]
        named.append(("-o", args.output, "output file"))
    return named


def _path_arguments_problem(args) -> str | None:
    """The first path argument that cannot be what its option needs, as a usage error."""
    for option, path, kind in _path_arguments(args):
        problem = _path_problem(path, kind)
        if problem:
            return f"{option} {_shown(path)} {problem}"
    return None


def _path_problem(path: Path, kind: str) -> str | None:
    """Why `path` cannot serve, or None. Kinds: "folder" (an existing one), "output folder" (a
    folder, or nothing yet: it is made), "output file" (a regular file, or nothing yet), "input"
    (anything or nothing: the command reads it and reports what it finds)."""
    problem = _name_problem(path)
    if problem:
        return problem
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if kind == "folder":
            return "does not exist"
        return "is a broken symbolic link" if os.path.lexists(path) else None
    except NotADirectoryError:
        return "is under a file, not a folder"
    except OSError as error:  # too long a path, a loop of links, no permission
        return f"cannot be used ({error.strerror or error})"
    if kind in ("folder", "output folder") and not stat.S_ISDIR(mode):
        return "is not a folder"
    if kind == "output file" and not stat.S_ISREG(mode):
        return "is a folder; name the file to write" if stat.S_ISDIR(mode) else "is not a regular file"
    return None


def _name_problem(path: Path) -> str | None:
    """What no file system takes, checked before any system call sees it."""
    if "\0" in os.fspath(path):
        return "holds a NUL character"
    try:
        longest = max((len(os.fsencode(part)) for part in path.parts), default=0)
    except UnicodeEncodeError:
        return "is not a valid file name"
    if longest > NAME_MAX_BYTES:
        return f"has a name of {longest:,} bytes; file and folder names are at most {NAME_MAX_BYTES}"
    return None


def _shown(path: Path) -> str:
    """A path as a message quotes it: shortened, on one line."""
    from .diagnostics import escape_untrusted, excerpt

    return escape_untrusted(excerpt(os.fspath(path), 80))


def _setup(args):
    """(roots, source date), or an exit code for a usage error."""
    from .source.paths import Roots
    from .build.load import source_date_from_env, source_date_problem

    problem = source_date_problem()
    if problem:
        print(f"reportc: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    return Roots.at(args.root or Path.cwd()), source_date_from_env()


def _run(args) -> int:
    """validate: every source loaded and checked in this process, nothing rendered."""
    from .diagnostics import Diagnostics
    from .build.load import discover_sources, load_all

    setup = _setup(args)
    if isinstance(setup, int):
        return setup
    roots, _ = setup
    found = Diagnostics()
    sources = discover_sources(args.paths, roots, found)
    _print(found, args.quiet)
    loaded = load_all(sources, roots, args.strict)
    for item in loaded:
        _print(item.diagnostics, args.quiet)
    if not sources and not found.has_errors:
        print("reportc: no sources found", file=sys.stderr)
        return EXIT_INVALID
    failed = found.has_errors or any(not item.ok for item in loaded)
    return EXIT_INVALID if failed else EXIT_OK


def _build(args) -> int:
    from .build.batch import BatchOptions, build_batch
    from .build.report import BuildOptions

    setup = _setup(args)
    if isinstance(setup, int):
        return setup
    roots, source_date = setup
    if args.output is not None:
        return _build_one(args, roots, source_date)
    options = BatchOptions(BuildOptions(roots, args.out, args.format, args.strict, args.print_marks, source_date,
                                        args.redline_from, args.redline_author, args.allow_missing_glyphs),
                           jobs=args.jobs, force=args.force, fail_fast=args.fail_fast,
                           shard=args.shard)
    try:
        result = build_batch(args.paths, options, _Progress(args))
    except OSError as error:  # the output folder vanished, is read-only, the disk is full...
        if not _concerns(error, args.out):
            raise  # anything else is a bug to see, not to hide
        print(f"reportc: error: --out {_shown(args.out)}: cannot use the output folder "
              f"({error.strerror or error})", file=sys.stderr)
        return EXIT_INVALID
    _print(result.diagnostics, args.quiet)
    if args.json:
        print(json.dumps(_json_summary(result, options), indent=2, ensure_ascii=False))
    if not result.reports and not result.diagnostics.has_errors and args.shard is None:  # a shard may be empty
        print("reportc: no sources found", file=sys.stderr)
        return EXIT_INVALID
    if not args.quiet:
        print(_summary(result), file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_INVALID


def _build_one(args, roots, source_date) -> int:
    """build FILE -o OUTPUT: one source to one named file."""
    from .build.single import build_to_file

    result = build_to_file(Path(args.paths[0]), args.output, roots, source_date, args.strict, args.print_marks,
                           args.allow_missing_glyphs)
    _print(result.diagnostics, args.quiet)
    if result.ok and not args.quiet:
        pages = f" ({result.artefact.pages} pages)" if result.artefact.pages else ""
        print(f"reportc: built {result.file} -> {_shown(args.output)}{pages}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_INVALID


def _watch(args) -> int:
    from .watch import run_watch

    setup = _setup(args)
    if isinstance(setup, int):
        return setup
    return EXIT_OK if run_watch(args, *setup) else EXIT_USAGE  # Ctrl-C is how it ends: a clean stop


def _init(args) -> int:
    from .project.init import create_project, folder_problem

    problem = folder_problem(args.folder)
    if problem:
        print(f"reportc: error: {_shown(args.folder)} {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        written = create_project(args.folder)
    except OSError as error:
        print(f"reportc: error: cannot write the project in {_shown(args.folder)} "
              f"({error.strerror or error})", file=sys.stderr)
        return EXIT_INVALID
    print("\n".join(f"created {name}" for name in written), file=sys.stderr)
    where = "" if args.folder == Path(".") else f"cd {_shown(args.folder)} && "
    print(f"reportc: a new project; build it with: {where}reportc build", file=sys.stderr)
    return EXIT_OK


def _styles(args) -> int:
    from .project.styles import format_listing, list_styles
    from .source.paths import Roots

    listing = list_styles(Roots.at(args.root or Path.cwd()))
    print(format_listing(listing))
    _print(listing.diagnostics, False)
    return EXIT_INVALID if listing.diagnostics.has_errors else EXIT_OK


class _Progress:
    """Each report's diagnostics as it finishes, and a line for it: on a terminal (not for
    skipped ones), or always with --verbose."""

    def __init__(self, args) -> None:
        self.quiet, self.verbose = args.quiet, args.verbose
        self.lines = args.verbose or (sys.stderr.isatty() and not args.quiet)

    def __call__(self, report) -> None:
        from .diagnostics import Diagnostics

        _print(Diagnostics(list(report.diagnostics)), self.quiet)
        if self.lines and (report.status != "skipped" or self.verbose):
            print(_report_line(report, self.verbose), file=sys.stderr)


def _report_line(report, verbose: bool) -> str:
    names = ", ".join(output.name for output in report.outputs)
    details = [f"{report.pages} pages"] if report.pages and report.status == "built" else []
    if report.status in ("built", "failed"):
        details.append(f"{report.seconds:.2f} s")
    if verbose or report.status == "not built":
        details.append(report.reason)
    arrow = f" -> {names}" if names and report.status == "built" else ""
    return f"{report.status:<9} {report.file}{arrow}" + (f"  ({', '.join(d for d in details if d)})" if details else "")


def _summary(result) -> str:
    counts = [f"{result.count('built')} built", f"{result.count('skipped')} skipped", f"{result.count('failed')} failed"]
    if result.count("not built"):
        counts.append(f"{result.count('not built')} not built")
    if result.refused:
        counts.append(f"{result.refused} refused")
    return f"reportc: {', '.join(counts)}; {result.pages} pages in {result.seconds:.2f} s"


def _json_summary(result, options) -> dict:
    from dataclasses import asdict

    def diagnostics(items) -> list[dict]:
        return [{"file": d.span.file, "line": d.span.line, "col": d.span.col, "severity": d.severity,
                 "message": d.message} for d in items]

    reports = [{"source": r.file, "id": r.id, "status": r.status, "reason": r.reason, "seconds": round(r.seconds, 3),
                "pages": r.pages, "artefacts": [asdict(record) for record in r.records()],
                "diagnostics": diagnostics(r.diagnostics)} for r in sorted(result.reports, key=lambda r: r.file)]
    return {"built": result.count("built"), "skipped": result.count("skipped"), "failed": result.count("failed"),
            "not_built": result.count("not built"), "refused": result.refused, "pages": result.pages, "seconds": round(result.seconds, 3),
            "workers": result.workers, "shard": str(options.shard) if options.shard else None,
            "out": str(options.build.out_dir), "reports": reports, "diagnostics": diagnostics(result.diagnostics)}


def _concerns(error: OSError, folder: Path) -> bool:
    """Whether `error` is about `folder` or a file in it."""
    inside = os.path.join(os.path.abspath(folder), "")
    names = [os.fsdecode(name) for name in (error.filename, error.filename2) if isinstance(name, (str, bytes))]
    return any(os.path.join(os.path.abspath(name), "").startswith(inside) for name in names)


def _verify(args) -> int:
    from .build import manifest
    from .diagnostics import Diagnostics

    diagnostics = Diagnostics()
    # DIR is the build folder, or else the manifest itself (read() refuses a FIFO or device)
    named_file = os.path.lexists(args.folder) and not os.path.isdir(args.folder)
    path = args.folder if named_file else args.folder / manifest.MANIFEST_NAME
    found = manifest.read(path, diagnostics, follow=named_file)  # the one in DIR is never a link reportc wrote
    checked = manifest.verify(path.parent, found, diagnostics) if found else 0
    _print(diagnostics, args.quiet)
    if diagnostics.has_errors:
        print(f"reportc: {diagnostics.error_count} problem(s) in {path.parent}", file=sys.stderr)
        return EXIT_INVALID
    if not args.quiet:
        print(f"reportc: all {checked} artefacts match {path}", file=sys.stderr)
    return EXIT_OK


def _merge(args) -> int:
    from .build import manifest
    from .diagnostics import Diagnostics, Span
    from .build.output import write_atomic

    diagnostics = Diagnostics()
    read = _read_manifests(args.inputs, diagnostics)
    merged = manifest.merge(read, diagnostics) if not diagnostics.has_errors else None
    data = manifest.dump(merged) if merged is not None else b""
    if len(data) > manifest.MAX_MANIFEST_BYTES:
        diagnostics.error(Span(str(args.output)), f"the merged manifest would be {len(data):,} bytes; verify reads "
                                                  f"at most {manifest.MAX_MANIFEST_BYTES:,}, so it is not written")
    elif merged is not None:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(args.output, data)
        except OSError as error:
            diagnostics.error(Span(str(args.output)), f"cannot write ({error.strerror or error})")
    _print(diagnostics, False)
    return EXIT_INVALID if diagnostics.has_errors else EXIT_OK


def _read_manifests(paths: list[Path], diagnostics) -> list:
    """(file, manifest) of each input; reading stops once they list twice what one manifest may
    hold (shards rarely list one artefact twice), so many large inputs cannot exhaust memory."""
    from .build import manifest
    from .diagnostics import Span

    read, listed = [], 0
    for path in paths:
        found = manifest.read(path, diagnostics)
        listed += len(found.artefacts) if found else 0
        if listed > 2 * manifest.MAX_ARTEFACTS:
            diagnostics.error(Span(str(path)), f"the manifests up to this one list over {2 * manifest.MAX_ARTEFACTS:,} "
                                               "artefacts; a merge takes at most that many")
            break
        read.append((str(path), found))
    return read


def _print(diagnostics, quiet: bool) -> None:
    for diagnostic in diagnostics:
        if quiet and diagnostic.severity == "warning":
            continue
        print(diagnostic.format(), file=sys.stderr)
