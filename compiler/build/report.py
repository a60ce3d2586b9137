"""One report: Report + Style -> layout Document -> bytes per format -> files, written atomically."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..render import DEFAULT_FORMATS, FORMATS
from ..source.paths import Roots
from .cache import sha256_bytes
from .output import write_atomic
from ..records import dataclass

if TYPE_CHECKING:
    from datetime import date

    from .load import Loaded

CREATOR = f"reportc {__version__}"


@dataclass(frozen=True)
class BuildOptions:
    roots: Roots
    out_dir: Path
    formats: tuple[str, ...] = DEFAULT_FORMATS
    strict: bool = False
    print_marks: bool = False
    source_date: date | None = None
    redline_from: Path | None = None  # OLD: the DOCX shows the differences from it as tracked changes
    redline_author: str | None = None  # their author (default: the style's brand name)
    allow_missing_glyphs: bool = False  # a PDF may print empty boxes: a warning, not an error


@dataclass(frozen=True)
class Artefact:
    path: Path
    format: str
    size: int
    pages: int
    sha256: str = ""


def compose_document(loaded: Loaded, source_date: date | None, root: Path | None = None):
    """The layout document; a draft records its inputs named relative to `root`, the project
    root (default: the current folder), as its diagnostics name them."""
    from dataclasses import replace
    from pathlib import Path

    from ..layout.compose import compose
    from .fingerprints import build_inputs

    document = compose(loaded.report, loaded.style, source_date, CREATOR)
    files = (*loaded.style.files, *loaded.report.data_files)  # a draft records its CSV files and images too
    return replace(document, inputs=tuple(build_inputs(document.source, files, root or Path.cwd())))


def build_report(loaded: Loaded, options: BuildOptions) -> list[Artefact]:
    """Render every format in memory first, then write them all: an invalid source writes nothing."""
    from ..render import RenderOptions, renderer_for

    document = compose_document(loaded, options.source_date, options.roots.project)
    rendered = {}
    anchor_pages: dict[str, int] = {}
    kept_boxes: frozenset = frozenset()
    print_marks = options.print_marks or loaded.style.print.crop_marks
    for fmt in FORMATS:  # render order: the PDF first, its page numbers feed the DOCX contents
        if fmt in options.formats:
            shown, author = _redline(loaded, document, options) if fmt == "docx" else (document, None)
            render_options = RenderOptions(print_marks, anchor_pages, author, options.allow_missing_glyphs,
                                           kept_boxes)
            result = renderer_for(fmt)(shown, render_options, loaded.diagnostics)
            rendered[fmt] = result
        elif fmt == "pdf" and "docx" in options.formats:  # a DOCX built alone, as `-o x.docx`
            result = pdf_pagination(document, print_marks)
        else:
            continue
        anchor_pages = dict(result.anchor_pages) or anchor_pages
        kept_boxes = result.kept_boxes or kept_boxes
    if options.strict:
        loaded.diagnostics.promote_warnings()
    if loaded.diagnostics.has_errors:
        return []
    options.out_dir.mkdir(parents=True, exist_ok=True)
    artefacts = []
    for fmt, result in rendered.items():
        target = options.out_dir / f"{document.id}.{fmt}"
        write_atomic(target, result.data)
        artefacts.append(Artefact(target, fmt, len(result.data), result.pages, sha256_bytes(result.data)))
    return artefacts


def pdf_pagination(document, print_marks: bool):
    """The PDF laid out and not written, for a DOCX built without it: the DOCX's contents page
    numbers and kept boxes are the PDF's (Rendered.anchor_pages, .kept_boxes), never left empty."""
    from ..diagnostics import Diagnostics
    from ..render import RenderOptions, renderer_for

    return renderer_for("pdf")(document, RenderOptions(print_marks, {}), Diagnostics())


def _redline(loaded: Loaded, document, options: BuildOptions):
    """(the Document the DOCX shows, the tracked changes' author or None)."""
    if options.redline_from is None:
        return document, None
    from .redline import redlined

    shown = redlined(loaded, document, options.redline_from, options.roots, options.source_date,
                      compose_document)
    return shown, (options.redline_author or loaded.style.brand_name) if shown is not document else None
