"""The glossary annex and the imprint (v2): a report's `glossary:` and `imprint:` as layout.

The glossary is sorted as a reader looks terms up (`model.term_order`: case and accents
ignored), in the alphabet of the report's language: in Welsh, ch, dd, ff, ng, ll, ph, rh and th are
letters of their own ("Cynllun" before "Chwarter", "Lori" before "Llesiant"). The imprint joins the style's texts, `{year}` filled in, to the report's reference
line and one ISBN line per edition; each renderer prints its own edition's only.
"""
from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from datetime import date
from typing import Any, Callable

from ..diagnostics import Span
from ..model import BlockText, Report, Text, term_order
from ..style.labels import primary
from ..style.types import Style
from .blocks import Block, Definition, DefinitionList, Heading, Imprint, PageBreak, Para

GLOSSARY_ANCHOR = "glossary"


def glossary(report: Report, style: Style) -> list[Block]:
    """The annex "Glossary" after the others: a page of its own, in the outline and the contents."""
    if not report.glossary:
        return []
    entries = sorted(report.glossary, key=lambda entry: glossary_order(entry.term.plain, style.language))
    first = report.glossary[0].span
    definitions = tuple(Definition(Para("term", entry.term.content, entry.term.span),
                                   Para("definition", entry.definition.content, entry.definition.span))
                        for entry in entries)
    return [PageBreak(), Heading(1, "section-heading", None, (Text(style.label("glossary")),), None,
                                 GLOSSARY_ANCHOR, True, first),
            DefinitionList("glossary", definitions, first)]


# Welsh letters in alphabetical order, with the Latin letters Welsh borrows (k, q, v, x, z) where
# English has them: a digraph is one letter, sorted after the letter it starts with.
WELSH_ALPHABET = ("a b c ch d dd e f ff g ng h i j k l ll m n o p ph q r rh s t th u v w x y z").split()
_WELSH_RANK = {letter: rank for rank, letter in enumerate(WELSH_ALPHABET)}
_PRIVATE_USE = 0xE000  # letters become characters above every digit, space and mark


def glossary_order(text: str, language: str) -> tuple:
    """`model.term_order`, with the letters of a Welsh term ranked in the Welsh alphabet."""
    order = term_order(text)
    if primary(language) != "cy":
        return order
    return (_welsh_letters(order[0]), *order)


def _welsh_letters(folded: str) -> str:
    ranked, index = [], 0
    while index < len(folded):
        pair = folded[index:index + 2]
        letter = pair if pair in _WELSH_RANK else folded[index]
        rank = _WELSH_RANK.get(letter)
        ranked.append(letter if rank is None else chr(_PRIVATE_USE + rank))
        index += len(letter)
    return "".join(ranked)


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
