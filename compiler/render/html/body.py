"""Layout blocks -> the page's contents navigation and main content, in source order.

Headings: the report title is the one `h1` (in the header); layout's level 1 (pillars, sections)
becomes `h2`, level 2 (questions) `h3`, and so on: every heading is one level below the heading it
is under (the last one before it of a lower layout level), so the outline never skips a level. A
box (a callout, the areas for improvement) is a scope: the headings in it sit under the box's own
heading, and end with it, so a question's sub-heading after the box is the question's, not the
box's. Every heading in the outline opens a `<section>` labelled by it; a pillar's section holds
its questions'.

A page break has no meaning on screen; it becomes `break-before: page` on the section it starts,
for printing.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from ...layout import blocks
from ...model import plain_text
from .ids import CONTENTS_ID, CONTENTS_TITLE_ID
from .inline import inlines, text
from .charts import chart_figure
from .tables import callout_class, data_table, figure, source_line

MAX_HEADING = 6


class BodyWriter:
    def __init__(self, document: blocks.Document, element_ids: Mapping[str, str]) -> None:
        self.document = document
        self.ids = element_ids
        self.out: list[str] = []
        self._sections: list[int] = []  # the heading levels of the open <section>s
        self._section_title: str | None = None  # the text of the heading that opened the last one
        # The headings the next one may be under, outermost first: (layout level, h level). The
        # h1, the report title, is under none and above all.
        self._open_headings: list[tuple[int, int]] = [(0, 1)]
        self._break_pending = False
        self._previous: blocks.Block | None = None
        self._boxes = 0  # `callout:` boxes so far, for their headings' ids

    # ---- entry points ------------------------------------------------------------------------

    def contents(self, contents: blocks.Contents) -> str:
        """The contents `nav`: every entry a link to its section, nested by level."""
        out = [f'<nav class="contents" id="{CONTENTS_ID}" aria-labelledby="{CONTENTS_TITLE_ID}">',
               f'<h2 id="{CONTENTS_TITLE_ID}">{text(contents.title)}</h2>']
        depth = 0  # <ul>s open
        for entry in contents.entries:
            level = max(1, min(entry.level, depth + 1))  # one level deeper at most: lists nest in items
            if level > depth:
                out.append('<ul class="contents-list">')
                depth = level
            else:
                out.append("</li>")
                while depth > level:
                    out.append("</ul></li>")
                    depth -= 1
            number = f'<span class="number">{text(entry.number_text)}</span> ' if entry.number else ""
            target = self.ids.get(entry.anchor)
            label = f"{number}{text(entry.text)}"
            out.append(f'<li><a href="#{text(target)}">{label}</a>' if target else f"<li>{label}")
        if depth:
            out.append("</li>" + "</ul></li>" * (depth - 1) + "</ul>")
        out.append("</nav>")
        return "".join(out)

    def main(self, body: Iterable[blocks.Block]) -> str:
        for block in body:
            if not isinstance(block, blocks.Contents):
                self.block(block)
        self._close_sections(0)
        return "".join(self.out)

    # ---- blocks ------------------------------------------------------------------------------

    def block(self, block: blocks.Block) -> None:
        if isinstance(block, blocks.Heading):
            self.heading(block)
        elif isinstance(block, blocks.PageBreak):
            self._break_pending = True
        elif isinstance(block, blocks.Para):
            keep = " keep-with-previous" if block.keep_with_previous else ""  # printed on the page above's end
            self.out.append(f'<p class="{text(block.role)}{keep}">{inlines(block.content)}</p>')
        elif isinstance(block, blocks.ListBlock):
            self.list_block(block)
        elif isinstance(block, blocks.Callout):
            self.callout(block)
        elif isinstance(block, blocks.GlanceTable):
            self.glance(block, captioned=not isinstance(self._previous, blocks.Heading))
        elif isinstance(block, blocks.Contents):
            self.out.append(self.contents(block))
        elif isinstance(block, blocks.DataTable):
            self.out.append(data_table(block))
            if block.source:
                self.out.append(source_line(block.source))
            for note in block.notes:
                self.block(note)
        elif isinstance(block, blocks.FigureBlock):
            self.out.append(figure(block))
        elif isinstance(block, blocks.ChartBlock):
            self.out.append(chart_figure(block, self.document.style))
        elif isinstance(block, blocks.Quote):
            self.out.append(quote(block))
        elif isinstance(block, blocks.DefinitionList):
            self.out.append(definitions(block))
        elif isinstance(block, blocks.Notes):
            self.out.append(notes(block, self._section_title))
        else:
            raise TypeError(f"unknown block {block!r}")
        self._previous = block

    def heading(self, heading: blocks.Heading) -> None:
        wanted = min(heading.level + 1, MAX_HEADING)
        anchor_id = self.ids.get(heading.anchor) if heading.anchor else None
        if heading.in_outline and anchor_id:
            self._close_sections(wanted)
            classes = ' class="new-page"' if self._break_pending else ""
            self._break_pending = False
            self.out.append(f'<section{classes} aria-labelledby="{text(anchor_id)}">')
            self._sections.append(wanted)
            self._section_title = plain_text(heading.content)
        level = self._place(heading.level)
        number = f'<span class="number">{text(heading.number_text)}</span> ' if heading.number else ""
        id_attribute = f' id="{text(anchor_id)}"' if anchor_id else ""
        self.out.append(f'<h{level}{id_attribute} class="{text(heading.role)}">'
                        f"{number}{inlines(heading.content)}</h{level}>")
        if heading.badge:
            self.out.append(f'<p class="judgment">{badge(heading.badge)}</p>')

    def list_block(self, block: blocks.ListBlock) -> None:
        tag = "ol" if block.ordered else "ul"
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        self.out.append(f'<{tag} class="{text(block.role)}"{start}>')
        for item in block.items:
            self.out.append(f"<li>{inlines(item.content)}")
            for child in item.children:
                self.block(child)
            self.out.append("</li>")
        self.out.append(f"</{tag}>")

    def callout(self, callout: blocks.Callout) -> None:
        scope = list(self._open_headings)  # the box's headings end with it
        if callout.kind is not None:
            self.boxed(callout)
        else:
            self.out.append(f'<div class="callout {text(callout.role)}">')
            for child in callout.blocks:
                self.block(child)
            self.out.append("</div>")
        self._open_headings = scope

    def boxed(self, callout: blocks.Callout) -> None:
        """A `callout:` block: an `aside` named by its heading ("Innovative practice: Using
        drones"), one level below the heading the box is under."""
        self._boxes += 1
        heading_id = f"callout-title-{self._boxes}"  # (layout never makes such an anchor)
        self.out.append(f'<aside class="callout {callout_class(callout.kind)}" aria-labelledby="{heading_id}">')
        for child in callout.blocks:
            if isinstance(child, blocks.Heading) and child.role == "callout-heading":
                # One below the heading it is under, whatever its layout level: the box's
                # sub-headings (layout levels below its own) go under it in turn.
                level = min(self._open_headings[-1][1] + 1, MAX_HEADING)
                self._open_headings.append((child.level, level))
                self.out.append(f'<h{level} id="{heading_id}" class="callout-heading">{inlines(child.content)}</h{level}>')
            else:
                self.block(child)
        self.out.append("</aside>")

    def glance(self, table: blocks.GlanceTable, captioned: bool) -> None:
        """Right under a heading of the same words (as layout puts it) the caption is for screen
        readers only; the PDF leaves its title out there too."""
        caption_class = "" if captioned else ' class="visually-hidden"'
        area, grade = table.header
        rows = [self._glance_row(row) for row in table.rows]
        # A wide table scrolls in its own box, which keyboard users can focus to scroll, named by
        # the title: a region, unless the heading above (of the same words) names its section
        # already (two landmarks of one name), where it is a named group, a tab stop that says what it is.
        region = f' role="{"region" if captioned else "group"}" aria-label="{text(table.title)}"'
        self.out.append(
            f'<div class="table-scroll"{region} tabindex="0">'
            f'<table class="glance"><caption{caption_class}>{text(table.title)}</caption>'
            f'<thead><tr><th scope="col">{text(area)}</th><th scope="col">{text(grade)}</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')

    def _glance_row(self, row: blocks.GlanceRow) -> str:
        number = f'<span class="number">{text(row.number_text)}</span> ' if row.number else ""
        label = inlines(row.content)  # (link-free: layout makes the row one link to its question)
        target = self.ids.get(row.anchor)
        if target:
            label = f'<a href="#{text(target)}">{label}</a>'
        kind = "pillar" if row.level <= 1 else "question"
        return (f'<tr class="{kind}"><th scope="row">{number}{label}</th>'
                f"<td>{badge(row.badge) if row.badge else ''}</td></tr>")

    # ---- heading levels ------------------------------------------------------------------------

    def _place(self, layout_level: int) -> int:
        """The h level of a heading of `layout_level`: one below the heading it is under."""
        while self._open_headings[-1][0] >= layout_level:  # (never the h1's 0)
            self._open_headings.pop()
        level = min(self._open_headings[-1][1] + 1, MAX_HEADING)
        self._open_headings.append((layout_level, level))
        return level

    # ---- sections ----------------------------------------------------------------------------

    def _close_sections(self, level: int) -> None:
        """Close every open section at `level` or deeper (0: all of them)."""
        while self._sections and self._sections[-1] >= max(level, 1):
            self._sections.pop()
            self.out.append("</section>")


def badge(value: blocks.Badge) -> str:
    """A grade as text, in its colours (see css.py): never colour alone."""
    return f'<span class="badge grade-{text(value.grade)}">{text(value.label)}</span>'


def definitions(block: blocks.DefinitionList) -> str:
    """A glossary as a definition list: each term a `dt`, what it means the `dd` after it."""
    entries = "".join(f"<dt>{inlines(entry.term.content)}</dt><dd>{inlines(entry.definition.content)}</dd>"
                      for entry in block.entries)
    return f'<dl class="{text(block.role)}">{entries}</dl>'


def imprint(document: blocks.Document) -> str:
    """The imprint at the end of the page (in the footer): the style's texts, the reference and
    the HTML edition's own ISBN; empty when the report has none."""
    if document.imprint is None:
        return ""
    return f'<div class="page imprint">{BodyWriter(document, {}).main(document.imprint.for_edition("html"))}</div>'


def quote(block: blocks.Quote) -> str:
    """A quotation; with an attribution, a figure whose caption says who said it (the caption is
    outside the blockquote, as the words of the quotation are only the quoted ones)."""
    paragraphs = "".join(f'<p>{inlines(paragraph.content)}</p>' for paragraph in block.paragraphs)
    quoted = f'<blockquote class="quote">{paragraphs}</blockquote>'
    if block.attribution is None:
        return quoted
    return (f'<figure class="quotation">{quoted}'
            f'<figcaption class="attribution">\u2014 {inlines(block.attribution.content)}</figcaption></figure>')


def notes(block: blocks.Notes, section: str | None) -> str:
    """A section's notes: a numbered list, each note linking back to each of its marks. Named by
    the section they end ("Notes: Effectiveness"), as every section's notes are a landmark of their
    own; each link back is named, as "↩" alone says nothing to a screen reader."""
    items = "".join(f'<li id="{text(entry.anchor)}" value="{entry.number}">{inlines(entry.content)} '
                    f'{back_links(entry)}</li>'
                    for entry in block.entries)
    name = f"{block.title}: {section}" if section else block.title
    return (f'<section class="notes" role="doc-endnotes" aria-label="{text(name)}">'
            f'<p class="notes-title">{text(block.title)}</p><ol>{items}</ol></section>')


def back_links(entry: blocks.NoteEntry) -> str:
    """One link back per mark: "↩", then "↩ 2", "↩ 3" for the later marks, each named by the
    `note_back` label and, after the first, the mark's count ("(2)": the same in every language)."""
    links = []
    for count, mark in enumerate(entry.marks or (entry.back_anchor,), 1):
        shown, name = ("\u21a9", entry.back_label) if count == 1 else (f"\u21a9\u00a0{count}",
                                                                      f"{entry.back_label} ({count})")
        links.append(f'<a class="note-back" href="#{text(mark)}" role="doc-backlink" '
                     f'aria-label="{text(name)}">{shown}</a>')
    return " ".join(links)
