"""The rich blocks of source format v2 (table, figure, chart, callout) as JSON Schema, and the
limits on them; part of the report schema in `schema.py`, the single source of truth."""
from __future__ import annotations

from typing import Any

MAX_CAPTION = 250  # a caption is printed beside its number, like a title


def _block_text(description: str) -> dict[str, Any]:
    return {"type": "string", "x-text": "block", "description": description}


# ---- rich blocks (v2) -------------------------------------------------------------------
# Limits that keep a build within seconds: a table is typeset cell by cell, a chart point by point.
MAX_TABLE_ROWS = 2_000  # about 60 pages of one table; larger data belongs in an annex file
MAX_TABLE_COLUMNS = 50  # wider than any page: a table this wide cannot be read on A4
MAX_CHART_SERIES = 8
MAX_CHART_POINTS = 100  # categories
MAX_DATA_FILE_BYTES = 2 * 1024 * 1024
NAME = {"type": "string", "pattern": "^[A-Za-z0-9_-]+$", "maxLength": 100,
        "x-hint": "a name is letters, digits, '-' and '_', e.g. calls-2022"}
_CELL = {"type": ["string", "number"], "description": "A cell: text (inline markup) or a number, printed as written."}
_SOURCE = {"type": "string", "x-text": "inline", "description": "Printed as \"Source: ...\" under it."}
MAX_ALT = 2000


def _numbered(prefix: str, noun: str, label: str) -> dict[str, Any]:
    """The keys every numbered block shares: its name for `@prefix-NAME` and its caption."""
    return {"name": {**NAME, "description": f"@{prefix}-NAME refers to this {noun}."},
            "caption": {"type": "string", "x-text": "inline", "maxLength": MAX_CAPTION,
                        "description": f"Printed as \"{label} N: CAPTION\"."}}


_TABLE = {
    "type": "object",
    "description": "A table: columns and rows, or a CSV file.",
    "properties": {
        **_numbered("tbl", "table", "Table"),
        "columns": {"type": "array", "minItems": 1, "maxItems": MAX_TABLE_COLUMNS, "items": _CELL,
                    "description": "Header cells."},
        "align": {"type": "array", "maxItems": MAX_TABLE_COLUMNS,
                  "items": {"type": "string", "enum": ["left", "right", "center"]},
                  "description": "One per column; default left."},
        "rows": {"type": "array", "maxItems": MAX_TABLE_ROWS,
                 "items": {"type": "array", "items": _CELL, "description": "One row: as many cells as columns."}},
        "csv": {"type": "string", "x-text": "path", "description": "A UTF-8 CSV file, its first row the header "
                                                                  "(instead of columns and rows); 2 MB at most."},
        "source": _SOURCE,
        "notes": _block_text("Notes under the table (block text)."),
    },
    "required": ["caption"],
    "additionalProperties": False,
}

_FIGURE = {
    "type": "object",
    "description": "An image with its text alternative and caption.",
    "properties": {
        **_numbered("fig", "figure", "Figure"),
        "image": {"type": "string", "x-text": "path", "description": "PNG or JPEG beside the source."},
        "alt": {"type": "string", "maxLength": MAX_ALT, "description": "Text alternative: what the image shows."},
        "source": _SOURCE,
        "width": {"type": "integer", "minimum": 10, "maximum": 100, "default": 100,
                  "description": "Percent of the text column."},
    },
    "required": ["image", "alt", "caption"],
    "additionalProperties": False,
}

_SERIES = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 100, "description": "Shown in the legend."},
        "values": {"type": "array", "items": {"type": "number"}, "maxItems": MAX_CHART_POINTS,
                   "description": "One number per category."},
    },
    "required": ["name", "values"],
    "additionalProperties": False,
}

_CHART = {
    "type": "object",
    "description": "A chart drawn from its data; numbered with the figures.",
    "properties": {
        **_numbered("fig", "chart", "Figure"),
        "type": {"type": "string", "enum": ["bar", "column", "line"],
                 "description": "bar (horizontal), column (vertical) or line."},
        "categories": {"type": "array", "minItems": 1, "maxItems": MAX_CHART_POINTS,
                       "items": {"type": ["string", "number"], "maxLength": 100}},
        "series": {"type": "array", "minItems": 1, "maxItems": MAX_CHART_SERIES, "items": _SERIES},
        "unit": {"type": "string", "maxLength": 20, "description": "Printed with values and on the axis, e.g. %."},
        "alt": {"type": "string", "maxLength": MAX_ALT,
                "description": "Text alternative; default: a sentence generated from the data."},
        "source": _SOURCE,
    },
    "required": ["type", "caption", "categories", "series"],
    "additionalProperties": False,
}

_CALLOUT = {
    "type": "object",
    "description": "A titled box: a kind from the style's `callouts`.",
    "properties": {
        "kind": {"type": "string", "description": "A key of the style's `callouts`: by default note, "
                                                  "innovative-practice, notable-practice or case-study."},
        "title": {"type": "string", "x-text": "inline", "maxLength": MAX_CAPTION, "description": "Printed after the label."},
        "body": _block_text("The box's text (block text)."),
    },
    "required": ["kind", "body"],
    "additionalProperties": False,
}

RICH_BLOCKS = {"table": _TABLE, "figure": _FIGURE, "chart": _CHART, "callout": _CALLOUT}
RICH_ITEM = {"oneOf": [
    _block_text("Block text."),
    {"type": "object", "properties": RICH_BLOCKS, "minProperties": 1, "maxProperties": 1,
     "additionalProperties": False, "x-hint": "a rich block has exactly one key: table, figure, chart or callout"},
]}
