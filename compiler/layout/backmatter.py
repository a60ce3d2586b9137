"""The glossary annex and the imprint (v2): a report's `glossary:` and `imprint:` as layout.

The glossary is sorted as a reader looks terms up (`model.term_order`: case and accents
ignored). The imprint joins the style's texts, `{year}` filled in, to the report's reference
line and one ISBN line per edition; each renderer prints its own edition's only.
"""
from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from datetime import date
from typing import Any, Callable

from ..diagnostics import Span
from ..model import BlockText, Report, Text, term_order
from ..style.types import Style
from .blocks import Block, Definition, DefinitionList, Heading, Imprint, PageBreak, Para

GLOSSARY_ANCHOR = "glossary"


def glossary(report: Report, style: Style) -> list[Block]:
    """The annex "Glossary" after the others: a page of its own, in the outline and the contents."""
    if not report.glossary:
        return []
    entries = sorted(report.glossary, key=lambda entry: term_order(entry.term.plain))
    first = report.glossary[0].span
    definitions = tuple(Definition(Para("term", entry.term.content, entry.term.span),
                                   Para("definition", entry.definition.content, entry.definition.span))
                        for entry in entries)
    return [PageBreak(), Heading(1, "section-heading", None, (Text(style.label("glossary")),), None,
                                 GLOSSARY_ANCHOR, True, first),
            DefinitionList("glossary", definitions, first)]


def imprint(report: Report, style: Style, year: int,
            block_text: Callable[[BlockText | None, int], list[Block]]) -> Imprint | None:
    """The imprint, when the report asks for one (`imprint:`) and there is something to print:
    a version 1 source never has one, so it prints as it did."""
    if report.imprint is None:
        return None
    out: list[Block] = []
    for text in (_filled(style.imprint, str(year)), style.alternative_formats):
        if text:
            out += block_text(BlockText(text, text[0].span), 2)
    if report.imprint.reference:
        out.append(Para("imprint", (Text(report.imprint.reference),),
                        report.imprint.reference_span or report.imprint.span))
    isbns = tuple((isbn.edition, Para("imprint", (Text(style.label("isbn", isbn=isbn.number)),), isbn.span))
                  for isbn in report.imprint.isbns)
    if not out and not isbns:
        return None
    return Imprint(tuple(out), isbns)


def imprint_year(report: Report, build_date: date) -> int:
    """`{year}`: the year published, or the build date's year."""
    return (report.published or build_date).year


def _filled(value: Any, year: str) -> Any:
    """Model blocks with `{year}` in their text replaced, whatever their kind (the style's text
    may hold any block text)."""
    if isinstance(value, Text):
        return Text(value.text.replace("{year}", year)) if "{year}" in value.text else value
    if isinstance(value, tuple):
        return tuple(_filled(item, year) for item in value)
    if is_dataclass(value) and not isinstance(value, (type, Span)):
        return replace(value, **{f.name: _filled(getattr(value, f.name), year) for f in fields(value) if f.init})
    return value
