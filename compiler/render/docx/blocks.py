"""Blocks of the DOCX body that need no state of their own: quotations, and keeping a block
with the next one. (document.py holds the builder; this keeps it under the module size limit.)"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from docx.oxml.ns import qn
from lxml import etree

from ...layout.blocks import Callout, DefinitionList, Quote
from ...model import Text
from .ooxml import set_keep_next

if TYPE_CHECKING:
    from .document import DocxBuilder, _Target


def add_quote(builder: "DocxBuilder", block: Quote, target: "_Target") -> None:
    """A box with a rule down its left, as the PDF draws it, holding each paragraph of the
    quotation in Word's Quote style, then who said it after a dash: a reader (and `reportc
    review`, through the source map) meets each at its own paragraph."""
    dashed = (replace(block.attribution, content=(Text("\u2014 "), *block.attribution.content)),) \
        if block.attribution else ()
    builder.add_callout(Callout("quote", tuple(replace(paragraph, role="quote")
                                               for paragraph in (*block.paragraphs, *dashed)), block.span),
                        target)


def add_definitions(builder: "DocxBuilder", block: DefinitionList, target: "_Target") -> None:
    """A glossary: each term in bold, kept with its definition, indented under it (Word has no
    definition list); each is a paragraph of its own, so a remark on one finds its source."""
    term_style, definition_style = builder.styles.id("Glossary Term"), builder.styles.id("Glossary Definition")
    for entry in block.entries:
        builder.add_para(entry.term, target, term_style)
        builder.add_para(entry.definition, target, definition_style)


def add_imprint(builder: "DocxBuilder") -> None:
    """The imprint page after the cover, before the contents: the style's texts, the reference
    and the DOCX's own ISBN (`imprint.isbn.docx`; none when the report gives none)."""
    imprint = builder.document.imprint
    if imprint is None:
        return
    for block in imprint.for_edition("docx"):
        builder.add_block(block, builder._body)
    builder._page_break_pending = True  # the contents start a page of their own


def keep_with_next(element: etree._Element) -> None:
    """keepNext on a paragraph, or on every paragraph of a table's last row (how Word keeps a
    table with what follows it)."""
    rows = element.findall(qn("w:tr"))
    for p in rows[-1].iter(qn("w:p")) if rows else [element]:
        set_keep_next(p)
