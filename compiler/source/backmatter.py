"""A report's `glossary:` and `imprint:` (v2): the rules the schema cannot say.

Glossary terms are unique as a reader tells them apart (case and accents ignored); an ISBN's
check digit must be right. Both build model values for `validate.ReportBuilder`.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..diagnostics import Span, excerpt
from ..model import GlossaryEntry, Imprint, Isbn, term_order
from .yamltree import Mapping, Node, Sequence

if TYPE_CHECKING:
    from .validate import ReportBuilder

EDITIONS = ("pdf", "docx", "html")  # the keys of `imprint.isbn`, in print order of the formats
_ISBN_SHAPE = re.compile(r"[0-9](-?[0-9]){12}")  # the schema's pattern: its message covers the rest


def isbn_problem(text: str) -> str | None:
    """Why a 13-digit ISBN's check digit is wrong, or None (other shapes are the schema's)."""
    if not _ISBN_SHAPE.fullmatch(text):
        return None
    digits = [int(char) for char in text if char.isdigit()]
    expected = -sum(digit * (3 if index % 2 else 1) for index, digit in enumerate(digits[:12])) % 10
    if digits[12] == expected:
        return None
    return (f"'{text}' is not a valid ISBN-13: its last digit is {digits[12]}, but the 12 digits before it "
            f"need the check digit {expected}; copy the ISBN exactly as it was issued")


def glossary(builder: "ReportBuilder", node: Node | None) -> tuple[GlossaryEntry, ...]:
    """The entries in source order; a term written twice is an error at the second."""
    if not isinstance(node, Sequence):
        return ()
    entries: list[GlossaryEntry] = []
    first: dict[str, Span] = {}
    for item in node.items:
        if not isinstance(item, Mapping) or item.get("term") is None or item.get("definition") is None:
            continue  # reported by the schema check
        term = builder.inline(item.get("term"))
        definition = builder.inline(item.get("definition"))
        if term is None or definition is None:
            continue
        if not term.plain.strip():
            builder.diagnostics.error(term.span, "this glossary term is empty; write the term it defines")
            continue
        key = term_order(term.plain)[0]
        if key in first:
            builder.diagnostics.error(term.span, f"the glossary defines '{excerpt(term.plain)}' twice (first at "
                                                 f"{first[key]}); terms differing only in case or accents are "
                                                 "one term: define it once")
            continue
        first[key] = term.span
        entries.append(GlossaryEntry(term, definition, item.span))
    if entries:
        builder.label("glossary", node.span)  # the annex's heading
    return tuple(entries)


def imprint(builder: "ReportBuilder", node: Node | None) -> Imprint | None:
    """The report's publication details; None (no imprint page) when `imprint:` is absent."""
    if not isinstance(node, Mapping):
        return None
    isbns: list[Isbn] = []
    numbers = node.get("isbn")
    for edition in EDITIONS:
        value = numbers.get(edition) if isinstance(numbers, Mapping) else None
        text = builder.text(value)
        if text is None:
            continue
        problem = isbn_problem(text)
        if problem:
            builder.diagnostics.error(value.span, f"`imprint.isbn.{edition}`: {problem}")
        builder.label("isbn", value.span, isbn=text)
        isbns.append(Isbn(edition, text, value.span))
    reference = node.get("reference")
    return Imprint(tuple(isbns), builder.free_text(reference), node.span,
                   reference.span if reference is not None else None)
