"""Helpers shared by the DOCX and review tests: build a source in process, read a DOCX back."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Iterator

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from compiler.diagnostics import Diagnostics
from compiler.layout.blocks import Document
from compiler.source.paths import Roots
from compiler.build.load import load_all
from compiler.build.report import compose_document
from compiler.render import RenderOptions, renderer_for

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent
SOURCE_DATE = date(2023, 11, 14)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "v": "urn:schemas-microsoft-com:vml",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}


def compose(source: Path) -> Document:
    loaded = load_all([source.resolve()], Roots.at(ROOT))[0]
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    return compose_document(loaded, SOURCE_DATE)


def render_docx(document: Document, anchor_pages: dict[str, int] | None = None) -> bytes:
    diagnostics = Diagnostics()
    rendered = renderer_for("docx")(document, RenderOptions(anchor_pages=anchor_pages or {}), diagnostics)
    assert not diagnostics.items, [d.format() for d in diagnostics]
    return rendered.data


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def part_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def paragraphs(container) -> Iterator[Paragraph]:
    """Every paragraph in reading order, table cells included."""
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item
        elif isinstance(item, Table):
            for row in item.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        yield from paragraphs(cell)


def style_and_text(word) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in paragraphs(word)]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(files: list[Path], out_dir: Path, to: str = "pdf") -> None:
    """One LibreOffice run for many files: it starts slowly, so tests batch their conversions."""
    profile = out_dir / "lo-profile"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
                    "--outdir", str(out_dir), *map(str, files)], check=True, capture_output=True, timeout=600)
