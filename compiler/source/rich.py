"""Rich blocks (source format v2): `table:`, `figure:`, `chart:` and `callout:` items of a block
text list -> the model's Table, Figure, Chart and Boxed.

The schema check has already refused wrong keys, types and sizes; this stage checks what needs
more than one value (rows as wide as the header, series as long as the categories, a callout kind
of the style), and reads the files a block names (a CSV, an image) after the path rules of
`paths.py` have allowed them: nothing outside the project root is opened.
"""
from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from . import csvdata
from .markup import reference_in
from .paths import Roots, resolve_file
from .yamltree import Mapping, Node, Scalar, Sequence
from ..diagnostics import Diagnostics, Span, counted, nearest
from ..model import Block, Boxed, Chart, Figure, Inlines, Series, Table, TableCell, Text
from ..records import dataclass

if TYPE_CHECKING:
    from .validate import ReportBuilder


@dataclass
class SourceFiles:
    """Where a source's rich blocks may read files: its folder, within the project root. Every
    file read is recorded, so a build that used it is rebuilt when it changes."""

    folder: Path
    roots: Roots
    read: list[Path] = field(default_factory=list)

    def resolve(self, node: Scalar, diagnostics: Diagnostics) -> Path | None:
        path, problem = resolve_file(node.value, self.folder, self.roots)
        if path is None:
            diagnostics.error(node.span, problem)
            return None
        if path not in self.read:
            self.read.append(path)
        return path

    def name(self, path: Path) -> str:
        """How diagnostics name a data file: relative to the project root."""
        try:
            return str(path.relative_to(self.roots.project))
        except ValueError:
            return str(path)


class RichBlocks:
    """Builds rich blocks for one report; text goes through the builder's inline parsing, so
    budgets, glyph checks and positions work as they do for any text."""

    def __init__(self, builder: "ReportBuilder", files: SourceFiles | None) -> None:
        self.builder = builder
        self.files = files
        self.diagnostics = builder.diagnostics
        # (kind, name) of named tables, figures and charts that failed with an error of their own: a
        # cross-reference to one is not a second error ("refers to no table" misled the writer)
        self.unbuilt: set[tuple[str, str]] = set()

    def build(self, node: Mapping) -> Block | None:
        kind, (_, value) = next(iter(node.entries.items()))
        block = self._build(kind, value)
        if block is None and kind in _REF_KINDS and isinstance(value, Mapping):
            name = value.get("name")
            if isinstance(name, Scalar) and not name.is_null:
                self.unbuilt.add((_REF_KINDS[kind], self.builder.text(name)))
        return block

    def _build(self, kind: str, value: Node) -> Block | None:
        builders = {"table": self.table, "figure": self.figure, "chart": self.chart, "callout": self.callout}
        if kind in builders and isinstance(value, Scalar) and value.is_null:  # (the schema check skips nulls)
            self.diagnostics.error(value.span, f"`{kind}:` is empty and would print nothing; give its keys "
                                               f"({_REQUIRED[kind]}) or remove it")
            return None
        if kind not in builders or not isinstance(value, Mapping):
            return None  # reported by the schema check
        return builders[kind](value)

    # ---- tables --------------------------------------------------------------------------

    def table(self, node: Mapping) -> Table | None:
        columns, rows = node.get("columns"), node.get("rows")
        csv_node = node.get("csv")
        if _given(csv_node) == _given(columns):
            self.diagnostics.error(node.span, "a table needs either `columns` (with `rows`) or `csv`, not "
                                              f"{'both' if _given(csv_node) else 'neither'}")
            return None
        if _given(csv_node):
            if _given(rows):
                self.diagnostics.error(rows.span, "`rows` come from the CSV file; remove `rows` or `csv`")
            if not isinstance(csv_node, Scalar):
                return None  # not a file name: reported by the schema check
            header, body = self.csv_cells(csv_node)
        else:
            header, body = self.cells(columns), self.rows(rows, len(columns.items) if isinstance(columns, Sequence) else 0)
        if header is None:
            return None
        return Table(caption=self.inline(node.get("caption")), name=self.builder.text(node.get("name")),
                     header=header, align=self.align(node.get("align"), len(header)), rows=body, span=node.span,
                     source=self.inline(node.get("source")), notes=self.notes(node.get("notes")),
                     caption_span=_span(node.get("caption")), source_span=_span(node.get("source")))

    def cells(self, node: Node | None) -> tuple[TableCell, ...]:
        if not isinstance(node, Sequence):
            return ()
        return tuple(TableCell(self.inline(cell) or (), cell.span) for cell in node.items)

    def rows(self, node: Node | None, width: int) -> tuple[tuple[TableCell, ...], ...]:
        if not isinstance(node, Sequence):
            return ()
        out = []
        for number, row in enumerate(node.items, 1):
            cells = self.cells(row)
            if isinstance(row, Sequence) and len(cells) != width:
                # in `[a, b]` an unquoted comma ends a cell: "training, employment" became two
                comma = "; in `[...]` a comma ends a cell: quote a cell that holds one (\"a, b\")" if (
                    row.flow and len(cells) > width) else ""
                self.diagnostics.error(row.span, f"row {number} has {counted(len(cells), 'cell')}, but the table "
                                                 f"has {counted(width, 'column')}; give every row one cell per "
                                                 f"column (an empty cell is \"\"){comma}")
            out.append(cells[:width] + tuple(TableCell((), row.span) for _ in range(width - len(cells))))
        return tuple(out)

    def csv_cells(self, node: Scalar):
        path = self.files.resolve(node, self.diagnostics) if self.files else None
        if path is None:
            if self.files is None:
                self.diagnostics.error(node.span, "a CSV file can only be read when building from a file")
            return None, ()
        table = csvdata.read(path, self.files.name(path), node.span, self.diagnostics)
        if table is None:
            return None, ()
        # Data from a file is text as written: no inline markup (`*` and `[` are common in data).
        header = tuple(TableCell(_literal(text), span) for text, span in table.header)
        body = tuple(tuple(TableCell(_literal(text), span) for text, span in row) for row in table.rows)
        for text, span in (cell for row in ((table.header,) + table.rows) for cell in row):
            self.builder.budget.block(len(text), span)
        return header, body

    def align(self, node: Node | None, width: int) -> tuple[str, ...]:
        given = tuple(item.value for item in node.items if isinstance(item, Scalar)) if isinstance(node, Sequence) else ()
        if given and len(given) != width:
            self.diagnostics.error(node.span, f"`align` has {counted(len(given), 'entry', 'entries')} for "
                                              f"{counted(width, 'column')}; give one per column (left, right or "
                                              "center)")
        return (given + ("left",) * width)[:width]

    def notes(self, node: Node | None) -> tuple[Block, ...]:
        text = self.builder.block(node)
        return text.blocks if text else ()

    # ---- figures and charts --------------------------------------------------------------

    def figure(self, node: Mapping) -> Figure | None:
        image_node, alt = node.get("image"), self.plain(node.get("alt"))
        if not isinstance(image_node, Scalar) or image_node.is_null or alt is None:
            return None  # required keys: reported by the schema check
        if not alt.strip():
            self.diagnostics.error(node.get("alt").span, "`alt` is empty; describe what the figure shows for "
                                                         "readers who cannot see it")
        image = self.image(image_node, alt)
        caption = node.get("caption")
        if image is None:
            return None
        return Figure(name=self.builder.text(node.get("name")), image=image, alt=alt, caption=self.inline(caption),
                      source=self.inline(node.get("source")), width_percent=_width_percent(self.builder.text(node.get("width"))),
                      span=node.span, caption_span=_span(caption))

    def image(self, node: Scalar, alt: str):
        from ..style.images import load_image

        if self.files is None:
            self.diagnostics.error(node.span, "an image can only be read when building from a file")
            return None
        path = self.files.resolve(node, self.diagnostics)
        return load_image(path, alt, node.span, self.diagnostics) if path else None

    def chart(self, node: Mapping) -> Chart | None:
        categories_node, series_node = node.get("categories"), node.get("series")
        if not isinstance(categories_node, Sequence) or not isinstance(series_node, Sequence):
            return None
        categories = tuple(self.plain(item) or "" for item in categories_node.items)
        series = tuple(filter(None, (self.series(item, len(categories)) for item in series_node.items)))
        caption = node.get("caption")
        return Chart(name=self.builder.text(node.get("name")), kind=self.builder.text(node.get("type")) or "column",
                     caption=self.inline(caption), categories=categories, series=series,
                     unit=self.plain(node.get("unit")), alt=self.plain(node.get("alt")),
                     source=self.inline(node.get("source")), span=node.span, caption_span=_span(caption))

    def series(self, node: Node, length: int) -> Series | None:
        if not isinstance(node, Mapping) or not isinstance(node.get("values"), Sequence):
            return None
        values_node = node.get("values")
        if len(values_node.items) != length:
            self.diagnostics.error(values_node.span, f"this series has {counted(len(values_node.items), 'value')} "
                                                     f"for {counted(length, 'category', 'categories')}; give one "
                                                     "value per category")
        values = []
        for item in values_node.items:
            try:
                values.append(float(item.value) if isinstance(item, Scalar) else 0.0)
            except ValueError:  # reported by the schema check ("is not a number")
                values.append(0.0)
        return Series(self.plain(node.get("name")) or "", tuple(values), node.span)

    # ---- callouts ------------------------------------------------------------------------

    def callout(self, node: Mapping) -> Boxed | None:
        kind_node = node.get("kind")
        kind = self.plain(kind_node)
        if kind is None:
            return None
        known = self.builder.style.callouts
        if kind not in known:
            close = nearest(kind, known)
            hint = f"; did you mean '{close}'?" if close else f"; the style has: {', '.join(known)}"
            self.diagnostics.error(kind_node.span, f"unknown callout kind '{kind}'{hint}")
            return None
        title = node.get("title")
        body = self.builder.block(node.get("body"))
        return Boxed(kind, self.inline(title), body.blocks if body else (), node.span, _span(title))

    # ---- text ----------------------------------------------------------------------------

    def inline(self, node: Node | None) -> Inlines | None:
        text = self.builder.inline(node)
        return text.content if text else None

    def plain(self, node: Node | None) -> str | None:
        """Text printed as written (alt text, names of series and categories, a unit). A note mark
        or cross-reference written there prints as written too: the writer is told where."""
        text = self.builder.free_text(node)
        written = reference_in(node.value) if text is not None and isinstance(node, Scalar) else None
        if written:
            self.diagnostics.warning(node.position(written.start()), (
                f"'{written.group()}' is not read as a note mark or reference here (alt text, series and "
                "category names and units print as written); put it in the caption instead"))
        return text


_REF_KINDS = {"table": "tbl", "figure": "fig", "chart": "fig"}
_REQUIRED = {"table": "caption, and columns with rows or csv", "figure": "image, alt and caption",
             "chart": "type, caption, categories and series", "callout": "kind and body"}


def _given(node: Node | None) -> bool:
    return node is not None and not (isinstance(node, Scalar) and node.is_null)


def _span(node: Node | None) -> Span | None:
    return node.span if node is not None else None


def _literal(text: str) -> Inlines:
    return (Text(text),) if text else ()


def _width_percent(written: str | None) -> int:
    """A figure's `width:`; 100 when it is not written, or not a whole number (which the schema
    check reports at the value, so the report is not built)."""
    return int(written) if written is not None and written.isascii() and written.isdigit() else 100
