"""`reportc build FILE -o OUTPUT.pdf|.docx|.html`: one source to one named file.

The extension picks the format, from the renderer registry (compiler/render RENDERERS), so a
format is available here as soon as it is registered. It loads and renders like a batch build
(the same bytes as `build/<id>.<format>`), but is no batch: no cache, no manifest, no lock on
an output folder; it writes the one file, atomically, and nothing at all for an invalid source.
"""
from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics, Span, escape_untrusted, excerpt
from ..records import dataclass

if TYPE_CHECKING:  # the parser imports this module for every command: keep it light
    from datetime import date

    from ..source.paths import Roots
    from .report import Artefact

# Extensions of the files a build writes: an --out folder named like one is a mistake for -o.
ARTEFACT_EXTENSIONS = (".pdf", ".docx", ".html")


def add_output_option(build_parser) -> None:
    """Add -o to the build parser; call it last, so it can record the other options' defaults
    (an option counts as given when its value is not its default object)."""
    build_parser.add_argument("-o", "--output", type=Path, default=None, metavar="OUTPUT",
                              help="build one source FILE into this file; its extension "
                                   f"({', '.join(ARTEFACT_EXTENSIONS)}) picks the format")
    build_parser.set_defaults(build_defaults={dest: build_parser.get_default(dest)
                                              for dest in ("out", "format", "shard", "json", "redline_from")})


def usage_problem(args) -> str | None:
    """Why the build options cannot go together, as a usage error; None when they can."""
    if args.command != "build":
        return None
    if args.redline_from is not None and not args.redline_from.exists():  # a mistyped path: no silent plain build
        return (f"--redline-from {_named(args.redline_from)}: no such file or folder; name the old version's "
                "source file, or a folder of its sources (such as a checkout of the last release)")
    given = {dest for dest, default in args.build_defaults.items() if getattr(args, dest) is not default}
    if args.output is None:
        return _out_problem(args.out) if "out" in given else None
    clashing = [option for dest, option in (("out", "--out"), ("format", "--format"), ("shard", "--shard"),
                                            ("json", "--json"), ("redline_from", "--redline-from")) if dest in given]
    if clashing:
        return (f"-o writes one named file, so it cannot go with {' or '.join(clashing)}; "
                "drop -o to build into a folder")
    if len(args.paths) != 1:
        return f"-o builds exactly one source FILE; {len(args.paths)} given"
    if Path(args.paths[0]).is_dir():
        return f"-o builds one source FILE, and {_named(args.paths[0])} is a folder; name one .yaml file"
    if _is_folder(args.output):  # said before its extension: `-o build` names a folder, not a format
        return _folder_problem(args.output)
    return None if format_of(args.output) else _extension_problem(args.output)


def _is_folder(path: Path) -> bool:
    from ..source.paths import is_dir  # imported here: the parser imports this module

    return is_dir(path)


def _folder_problem(output: Path) -> str:
    name = _named(output)
    problem = (f"-o {name} is a folder; -o names the one file to write, with an extension that picks the "
               f"format (such as {_named(output / 'report.pdf')})")
    if _out_problem(output):  # --out refuses a folder named like a file: suggesting it would only fail again
        return problem
    return f"{problem}; to build into the folder, use --out {name} instead of -o"


def format_of(output: Path) -> str | None:
    """The format an output file's extension names, if a registered renderer writes it."""
    from ..render import RENDERERS

    extension = output.suffix.lower().lstrip(".")
    return extension if extension in RENDERERS else None


def _extension_problem(output: Path) -> str:
    from ..render import RENDERERS

    known = ", ".join(f".{fmt}" for fmt in RENDERERS)
    has = f"{_named(output.suffix)} is no format reportc writes" if output.suffix else "has no extension"
    folder = "" if output.suffix else f"; to build into a folder {_named(output)}, use --out instead of -o"
    return f"-o {_named(output)}: {has}; the extension picks the format: {known}{folder}"


def _out_problem(out: Path) -> str | None:
    if out.suffix.lower() in ARTEFACT_EXTENSIONS:
        return (f"--out is the output folder, and {_named(out.name)} names a file; to build one source into "
                f"one file, use -o: reportc build FILE -o {_named(out.name)}")
    return None


def _named(name) -> str:
    """A file name from the command line, as a message quotes it: short, on one line."""
    return escape_untrusted(excerpt(str(name), 80))


@dataclass
class SingleResult:
    file: str  # the source, as diagnostics name it
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    artefact: Artefact | None = None

    @property
    def ok(self) -> bool:
        return self.artefact is not None and not self.diagnostics.has_errors


def build_to_file(source: Path, output: Path, roots: "Roots", source_date: "date | None", strict: bool,
                  print_marks: bool, allow_missing_glyphs: bool = False) -> SingleResult:
    """Load, compose and render `source` in the format `output`'s extension names, then write it
    atomically; every problem as a diagnostic."""
    from .load import discover_sources, load_report
    from ..style.loader import StyleLoader

    discovered = Diagnostics()
    found = discover_sources([str(source)], roots, discovered)
    if not found:
        return SingleResult(str(source), discovered)
    loaded = load_report(found[0], roots, StyleLoader(roots), strict)
    result = SingleResult(loaded.file, loaded.diagnostics)
    if not loaded.ok:
        return result
    fmt = format_of(output)
    rendered = _render(loaded, fmt, source_date, print_marks or loaded.style.print.crop_marks, allow_missing_glyphs,
                       roots.project)
    if strict:
        loaded.diagnostics.promote_warnings()
    if not loaded.diagnostics.has_errors:
        result.artefact = _write(output, fmt, rendered, loaded.diagnostics)
    return result


def _render(loaded, fmt: str, source_date, print_marks: bool, allow_missing_glyphs: bool = False,
            root: Path | None = None):
    """The rendered format; a DOCX after the PDF is laid out, so its contents page carries the
    same page numbers as in a full build (the HTML has none)."""
    from ..render import RenderOptions, renderer_for
    from .report import compose_document, pdf_pagination

    document = compose_document(loaded, source_date, root)
    anchor_pages, kept_boxes = {}, frozenset()
    if fmt == "docx":
        pages = pdf_pagination(document, print_marks)
        anchor_pages, kept_boxes = dict(pages.anchor_pages), pages.kept_boxes
    options = RenderOptions(print_marks, anchor_pages, allow_missing_glyphs=allow_missing_glyphs,
                            kept_boxes=kept_boxes)
    return renderer_for(fmt)(document, options, loaded.diagnostics)


def _write(output: Path, fmt: str, rendered, diagnostics: Diagnostics) -> Artefact | None:
    from .cache import sha256_bytes
    from .output import write_atomic
    from .report import Artefact

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(output, rendered.data)
    except OSError as error:
        diagnostics.error(Span(str(output)), f"cannot write ({error.strerror or error})")
        return None
    return Artefact(output, fmt, len(rendered.data), rendered.pages, sha256_bytes(rendered.data))
