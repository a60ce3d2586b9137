"""Renderers, looked up by format name. Adding a format is one package and one line here.

Each renderer package exposes `render(document, options, diagnostics) -> Rendered`. It is
imported only when that format is built, so `validate` and `--help` never load reportlab or
python-docx.
"""
from __future__ import annotations

import importlib
from dataclasses import field
from types import MappingProxyType
from typing import TYPE_CHECKING, Mapping, Protocol

from ..records import dataclass

if TYPE_CHECKING:
    from ..diagnostics import Diagnostics
    from ..layout.blocks import Document

# Order matters: the PDF is built first so the DOCX contents can reuse its page numbers.
RENDERERS: Mapping[str, str] = MappingProxyType({
    "pdf": "compiler.render.pdf",
    "docx": "compiler.render.docx",
    "html": "compiler.render.html",
})
FORMATS: tuple[str, ...] = tuple(RENDERERS)  # every format a build can write, in render order
DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "docx")  # what `build` writes without --format


@dataclass(frozen=True)
class RenderOptions:
    print_marks: bool = False  # crop marks and bleed (--print)
    anchor_pages: Mapping[str, int] = field(default_factory=dict)  # from the PDF, for the DOCX contents
    redline_author: str | None = None  # the DOCX's tracked changes' author, for a redlined Document
    allow_missing_glyphs: bool = False  # --allow-missing-glyphs: a PDF may print empty boxes (a warning)
    kept_boxes: frozenset = frozenset()  # from the PDF (Rendered.kept_boxes): the DOCX keeps them whole too


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int  # 0 when the format has no fixed pagination
    anchor_pages: Mapping[str, int] = field(default_factory=dict)  # heading anchor -> page number
    # The boxes (Callout.role, Callout.span) laid out whole on one page, as short boxes are
    # (render/pdf/keeping.KeptTogether): the formats that paginate alike keep the same ones.
    kept_boxes: frozenset = frozenset()


class Renderer(Protocol):
    def __call__(self, document: "Document", options: RenderOptions, diagnostics: "Diagnostics") -> Rendered: ...


def renderer_for(fmt: str) -> Renderer:
    return importlib.import_module(RENDERERS[fmt]).render
