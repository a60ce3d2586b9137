"""Validate a positioned YAML tree against a JSON Schema from `schema.py`.

Implements the subset of JSON Schema our schemas use (type, properties, required,
additionalProperties, propertyNames, items, minItems/maxItems, min/maxProperties, oneOf by node kind, enum, pattern,
format date, minimum/maximum, maxLength), reading every scalar as the text that was written.
Every problem is reported with its position; checking never stops at the first.

Enumerated values (and true/false) are matched ignoring case, and the scalar is rewritten to the
schema's spelling, so every later stage sees `draft`, never `Draft`. Messages name where a value
is as a writer counts: `pillar 2 (Efficiency), question 1, `findings``, one-based.
"""
from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from ..diagnostics import Diagnostics, Span, excerpt, nearest
from .schema import QUESTION_NUMBER
from .yamltree import Mapping, Node, Scalar, Sequence, describe

_INTEGER = re.compile(r"(0|[1-9][0-9]*)\Z")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?\Z")
# int() refuses strings over 4,300 digits (CVE-2020-10735); no number in a report or a style
# needs more than a few, so longer ones are out of range before they are converted.
MAX_DIGITS = 15
MAX_DECIMALS = 10  # charts print values with at most this many (layout/charts.decimal_places)
_NON_ISO_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\Z|\d{4}/\d{1,2}/\d{1,2}\Z")


Where = tuple[str, ...]  # how a message names a place: ("pillar 2 (Efficiency)", "`updated`")

# A list's items as a writer calls them; other lists' items are "`key` item N".
_ITEM_NAMES = {"pillars": "pillar", "questions": "question", "front_matter": "front-matter section",
               "annexes": "annex", "areas_for_improvement": "area for improvement",
               "causes_of_concern": "cause of concern", "recommendations": "recommendation"}
_TITLE_IN_PLACE = 40  # characters of an item's title quoted in a place name


def check(node: Node, schema: dict[str, Any], diagnostics: Diagnostics, where: Where = ()) -> None:
    if getattr(node, "refused", False):  # its tag is the error (yamltree): no second one for its kind
        return
    if "oneOf" in schema:  # chosen by the node's kind: text, a mapping or (v2 rich blocks) a list
        node_kind = "object" if isinstance(node, Mapping) else "array" if isinstance(node, Sequence) else "string"
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


def _name(where: Where) -> str:
    return ", ".join(where) if where else "the file"


def _is_key(part: str) -> bool:
    """A place part that is a key alone (`colours.text`), not a key's item (`values` item 2)."""
    return len(part) > 1 and part.startswith("`") and part.endswith("`")


def _at_key(where: Where, key: str) -> Where:
    """The place of a key's value: keys of nested mappings join with dots (`colours.text`)."""
    if where and _is_key(where[-1]):
        return where[:-1] + (f"{where[-1][:-1]}.{key}`",)
    return where + (f"`{key}`",)


def _at_item(where: Where, index: int, item: Node) -> Where:
    """The place of a list's item, read from the outside in: `pillars` and index 1 become
    "pillar 2 (Efficiency)", other lists' items "`values` item 2" (or "item 2" after an item)."""
    keys = where[-1].strip("`").split(".") if where and _is_key(where[-1]) else []
    name = _ITEM_NAMES.get(keys[-1]) if keys else None
    if name is None:
        place, label = (where[:-1], f"{where[-1]} item {index + 1}") if keys else (where, f"item {index + 1}")
    else:  # the list's own key becomes the item's name; keys above it stay
        place, label = where[:-1] + ((f"`{'.'.join(keys[:-1])}`",) if len(keys) > 1 else ()), f"{name} {_number(item, index)}"
    title = item.get("title") if isinstance(item, Mapping) else None
    if isinstance(title, Scalar) and not title.is_null and title.value.strip():
        label += f" ({excerpt(' '.join(title.value.split()), _TITLE_IN_PLACE)})"
    return place + (label,)


def _number(item: Node, index: int) -> str:
    """An item's own `number:` (a question numbered 3 is "question 3" even when it is the second),
    else its place in the list."""
    number = item.get("number") if isinstance(item, Mapping) else None
    if isinstance(number, Scalar) and QUESTION_NUMBER.fullmatch(number.value):
        return number.value
    return str(index + 1)  # (a number that is itself wrong is reported at itself, not used here)


def _check_mapping(node: Node, schema: dict[str, Any], diagnostics: Diagnostics, where: Where) -> None:
    if not isinstance(node, Mapping):
        diagnostics.error(node.span, f"{_name(where)} must be a mapping of keys to values, not {describe(node)}")
        return
    if not schema.get("minProperties", 0) <= len(node.entries) <= schema.get("maxProperties", len(node.entries)):
        diagnostics.error(node.span, f"{_name(where)}: {schema.get('x-hint', 'wrong number of keys')}")
        return
    properties = schema.get("properties", {})
    for key, (key_node, value) in node.entries.items():
        path = _at_key(where, key)
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
    if key.startswith("-") and key[1:].strip() in known:  # `-title: x`: a list item without its space
        return f"unknown key `{excerpt(key)}`; a list item needs a space after '-': `- {key[1:].strip()}`"
    close = nearest(key, known)
    if close:
        return f"unknown key `{excerpt(key)}`; did you mean `{close}`?"
    return f"unknown key `{excerpt(key)}`; expected one of: {', '.join(known)}"


def _check_property_name(key: Scalar, schema: dict[str, Any], diagnostics: Diagnostics) -> None:
    names = schema.get("propertyNames", {})
    if "pattern" in names and not re.search(names["pattern"], key.value):
        hint = names.get("x-hint", f"a key here matches {names['pattern']}")
        diagnostics.error(key.span, f"`{excerpt(key.value)}` is not a valid key: {hint}")


def _check_sequence(node: Node, schema: dict[str, Any], diagnostics: Diagnostics, where: Where) -> None:
    if not isinstance(node, Sequence):
        dashed = [key for key in node.entries if key.startswith("-")] if isinstance(node, Mapping) else []
        hint = f"; a list item needs a space after '-': `- {excerpt(dashed[0][1:].strip())}`" if dashed else ""
        diagnostics.error(node.span, f"{_name(where)} must be a list (items starting with '- '), "
                                     f"not {describe(node)}{hint}")
        return
    if len(node.items) < schema.get("minItems", 0):
        diagnostics.error(node.span, f"{_name(where)} needs at least {schema['minItems']} item")
    if len(node.items) > schema.get("maxItems", len(node.items)):  # limits that keep a build within seconds
        diagnostics.error(node.items[schema["maxItems"]].span, f"{_name(where)} has {len(node.items):,} items; at "
                                                               f"most {schema['maxItems']:,} are allowed")
        return
    for index, item in enumerate(node.items):
        place = _at_item(where, index, item)
        if isinstance(item, Scalar) and item.is_null:
            remove = "remove it from the list" if node.flow else "remove the '-'"
            diagnostics.error(item.span, f"{_name(place)} is empty; {remove} or fill it in")
        else:
            check(item, schema["items"], diagnostics, place)


def _check_scalar(node: Node, schema: dict[str, Any], diagnostics: Diagnostics, where: Where) -> None:
    kinds = _types(schema)
    if not isinstance(node, Scalar):
        expected = "text" if "string" in kinds else f"a {kinds[0]}"
        diagnostics.error(node.span, f"{_name(where)} must be {expected}, not {describe(node)}")
        return
    problem = scalar_problem(node.value, schema)
    if problem:
        diagnostics.error(node.span, f"{_name(where)}: {problem}")
    else:
        node.value = canonical(node.value, schema)


def canonical(text: str, schema: dict[str, Any]) -> str:
    """A valid value as the schema spells it: `Draft` is `draft`, `True` is `true`."""
    for word in _closed_set(schema):
        if word.casefold() == text.casefold():
            return word
    return text


def _closed_set(schema: dict[str, Any]) -> list[str]:
    if "enum" in schema:
        return schema["enum"]
    return ["true", "false"] if "boolean" in _types(schema) else []


def _one_of(text: str, words: list[str]) -> str:
    """`text` is not in the closed set `words`: the set, and the nearest word if one is near."""
    message = f"'{excerpt(text)}' must be one of: {', '.join(words)}"
    # 0.5: one letter off in a two-letter word (`A5` for `A4`) is still near
    close = nearest(text.casefold(), [word.casefold() for word in words], cutoff=0.5)
    if close:
        message += f"; did you mean '{next(w for w in words if w.casefold() == close)}'?"
    return message


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
            return _not_a_number(text)
        return _digits_problem(text, schema) or _range_problem(float(text), schema)
    if "boolean" in kinds and text.casefold() not in ("true", "false"):
        return _one_of(text, ["true", "false"])
    return None


def _string_problem(text: str, schema: dict[str, Any]) -> str | None:
    if "enum" in schema and canonical(text, schema) not in schema["enum"]:
        return _one_of(text, schema["enum"])
    if schema.get("format") == "date":
        return date_problem(text)
    if "maxLength" in schema and len(text) > schema["maxLength"]:
        return f"is {len(text)} characters long; at most {schema['maxLength']} are allowed"
    if "pattern" in schema and not re.search(schema["pattern"], text):
        if "x-hint" in schema:  # what the pattern means, in words (schema.py)
            shown = "this is empty" if not text.strip() else f"'{excerpt(text)}' is not valid"
            return f"{shown}; {schema['x-hint']}"
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


def _not_a_number(text: str) -> str:
    """Why `text` is not a number as reportc reads them (plain digits, a point, a minus), with the
    way to write what was meant."""
    shown = excerpt(text)
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        if re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
            return f"'{shown}' has thousands separators; write the number without them, such as {text.replace(',', '')}"
        return f"'{shown}' is not a number; write digits, with a point for decimals, such as 12.5 or -3"
    if not math.isfinite(value):
        return f"'{shown}' is not a number; write digits, with a point for decimals, such as 12.5 or -3"
    digits = f"{value:.10f}".rstrip("0").rstrip(".")
    readable = digits.lstrip("-") != "0" and len(digits.lstrip("-").replace(".", "")) <= MAX_DIGITS
    example = f", such as {digits}" if readable or value == 0 else ""
    return f"'{shown}' is not written as reportc reads numbers; write it in plain digits{example}"


def _digits_problem(text: str, schema: dict[str, Any]) -> str | None:
    decimals = len(text.partition(".")[2])
    if decimals > MAX_DECIMALS:  # what prints would be rounded away: "0.00000000000001" as "0"
        return (f"'{excerpt(text)}' has {decimals} decimal places; round it to {MAX_DECIMALS} or fewer "
                "(or give the values in a unit that makes them larger, such as per 1,000 people)")
    if len(text.lstrip("-").replace(".", "")) <= MAX_DIGITS:
        return None
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f"'{excerpt(text)}' is out of range; use {low:g} to {high:g}"
    return f"'{excerpt(text)}' has more than {MAX_DIGITS} digits; round it to {MAX_DIGITS} or fewer"


def _range_problem(value: float, schema: dict[str, Any]) -> str | None:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and value < low or high is not None and value > high:
        return f"{value:g} is out of range; use {low:g} to {high:g}"
    return None


def span_of(node: Node | None, fallback: Span) -> Span:
    return node.span if node is not None else fallback
