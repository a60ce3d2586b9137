"""Validate a positioned YAML tree against a JSON Schema from `schema.py`.

Implements the subset of JSON Schema our schemas use (type, properties, required,
additionalProperties, propertyNames, items, minItems, oneOf by node kind, enum, pattern,
format date, minimum/maximum, maxLength), reading every scalar as the text that was written.
Every problem is reported with its position; checking never stops at the first.
"""
from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any

from ..diagnostics import Diagnostics, Span, excerpt
from .yamltree import Mapping, Node, Scalar, Sequence, describe

_INTEGER = re.compile(r"(0|[1-9][0-9]*)\Z")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?\Z")
# int() refuses strings over 4,300 digits (CVE-2020-10735); no number in a report or a style
# needs more than a few, so longer ones are out of range before they are converted.
MAX_DIGITS = 15
_NON_ISO_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\Z|\d{4}/\d{1,2}/\d{1,2}\Z")


def check(node: Node, schema: dict[str, Any], diagnostics: Diagnostics, where: str = "") -> None:
    if "oneOf" in schema:
        node_kind = "object" if isinstance(node, Mapping) else "string"
        schema = next((s for s in schema["oneOf"] if _types(s)[0] == node_kind), schema["oneOf"][0])
    kind = _types(schema)
    if "object" in kind:
        _check_mapping(node, schema, diagnostics, where)
    elif "array" in kind:
        _check_sequence(node, schema, diagnostics, where)
    else:
        _check_scalar(node, schema, diagnostics, where)


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", "string")
    return kind if isinstance(kind, list) else [kind]


def _name(where: str) -> str:
    return f"`{where}`" if where else "the file"


def _check_mapping(node: Node, schema: dict[str, Any], diagnostics: Diagnostics, where: str) -> None:
    if not isinstance(node, Mapping):
        diagnostics.error(node.span, f"{_name(where)} must be a mapping of keys to values, not {describe(node)}")
        return
    properties = schema.get("properties", {})
    for key, (key_node, value) in node.entries.items():
        path = f"{where}.{key}" if where else key
        if key in properties:
            if not (isinstance(value, Scalar) and value.is_null):
                check(value, properties[key], diagnostics, path)
        elif isinstance(schema.get("additionalProperties"), dict):
            _check_property_name(key_node, schema, diagnostics)
            check(value, schema["additionalProperties"], diagnostics, path)
        else:
            message = "unknown key" if diagnostics.full(key_node.span.file) else unknown_key_message(key, properties)
            diagnostics.error(key_node.span, message)
    for key in schema.get("required", ()):
        value = node.get(key)
        if value is None:
            diagnostics.error(node.span, f"missing required key `{key}` in {_name(where)}")
        elif isinstance(value, Scalar) and value.is_null:
            diagnostics.error(value.span, f"`{key}` is empty; it is required")


def unknown_key_message(key: str, known: dict[str, Any]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        return f"unknown key `{excerpt(key)}`; did you mean `{close[0]}`?"
    return f"unknown key `{excerpt(key)}`; expected one of: {', '.join(known)}"


def _check_property_name(key: Scalar, schema: dict[str, Any], diagnostics: Diagnostics) -> None:
    pattern = schema.get("propertyNames", {}).get("pattern")
    if pattern and not re.search(pattern, key.value):
        diagnostics.error(key.span, f"`{excerpt(key.value)}` is not a valid key: use lower-case letters, digits and hyphens")


def _check_sequence(node: Node, schema: dict[str, Any], diagnostics: Diagnostics, where: str) -> None:
    if not isinstance(node, Sequence):
        diagnostics.error(node.span, f"{_name(where)} must be a list (items starting with '- '), not {describe(node)}")
        return
    if len(node.items) < schema.get("minItems", 0):
        diagnostics.error(node.span, f"{_name(where)} needs at least {schema['minItems']} item")
    for index, item in enumerate(node.items):
        if isinstance(item, Scalar) and item.is_null:
            diagnostics.error(item.span, f"item {index + 1} of {_name(where)} is empty; remove the '-' or fill it in")
        else:
            check(item, schema["items"], diagnostics, f"{where}[{index}]")


def _check_scalar(node: Node, schema: dict[str, Any], diagnostics: Diagnostics, where: str) -> None:
    kinds = _types(schema)
    if not isinstance(node, Scalar):
        expected = "text" if "string" in kinds else f"a {kinds[0]}"
        diagnostics.error(node.span, f"{_name(where)} must be {expected}, not {describe(node)}")
        return
    problem = scalar_problem(node.value, schema)
    if problem:
        diagnostics.error(node.span, f"{_name(where)}: {problem}")


def scalar_problem(text: str, schema: dict[str, Any]) -> str | None:
    """Why `text` does not satisfy a scalar schema, or None."""
    kinds = _types(schema)
    if "string" in kinds:
        return _string_problem(text, schema)
    if "integer" in kinds:
        if not _INTEGER.match(text):
            return f"'{excerpt(text)}' is not a whole number; write digits only, such as 2"
        return _digits_problem(text, schema) or _range_problem(int(text), schema)
    if "number" in kinds:
        if not _NUMBER.match(text):
            return f"'{excerpt(text)}' is not a number"
        return _digits_problem(text, schema) or _range_problem(float(text), schema)
    if "boolean" in kinds and text not in ("true", "false"):
        return f"'{excerpt(text)}' must be true or false"
    return None


def _string_problem(text: str, schema: dict[str, Any]) -> str | None:
    if "enum" in schema and text not in schema["enum"]:
        return f"'{excerpt(text)}' must be one of: {', '.join(schema['enum'])}"
    if schema.get("format") == "date":
        return date_problem(text)
    if "maxLength" in schema and len(text) > schema["maxLength"]:
        return f"is {len(text)} characters long; at most {schema['maxLength']} are allowed"
    if "pattern" in schema and not re.search(schema["pattern"], text):
        return f"'{excerpt(text)}' does not match the pattern {schema['pattern']}"
    return None


def date_problem(text: str) -> str | None:
    if _NON_ISO_DATE.match(text):
        return f"'{excerpt(text)}' is not an ISO date; use YYYY-MM-DD"
    try:
        date.fromisoformat(text)
    except ValueError:
        return f"'{excerpt(text)}' is not a valid date; use YYYY-MM-DD (for example 2019-05-02)"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"'{excerpt(text)}' is not an ISO date; use YYYY-MM-DD"
    return None


def _digits_problem(text: str, schema: dict[str, Any]) -> str | None:
    if len(text) <= MAX_DIGITS:
        return None
    low, high = schema.get("minimum"), schema.get("maximum")
    bounds = f"; use {low:g} to {high:g}" if low is not None and high is not None else ""
    return f"'{excerpt(text)}' is out of range{bounds}"


def _range_problem(value: float, schema: dict[str, Any]) -> str | None:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and value < low or high is not None and value > high:
        return f"{value:g} is out of range; use {low:g} to {high:g}"
    return None


def span_of(node: Node | None, fallback: Span) -> Span:
    return node.span if node is not None else fallback
