"""Layout blocks -> reportlab flowables and their structure elements, in source order.

One function per block kind. Nesting (list items inside list items, detail under an area for
improvement) indents through the paragraph styles rather than reportlab's Indenter, so a
shaded callout keeps its full width around indented content.

Structure: every level-1 heading and every heading in the outline opens a Sect (a pillar's
Sect holds its questions' Sects); lists are L > LI > Lbl + LBody; a callout is a Div; the
glance table is Table > THead/TBody > TR > TH/TD; the contents are TOC > TOCI > Reference > Link.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Mapping

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from ...diagnostics import Diagnostics, Span
from ...model import Inlines, Text, plain_text
from ...layout import blocks
from ...layout.design import GLANCE_PAD_PT, glance_grade_column_pt
from .flowables import (Badge, BadgeLook, ContentsLine, HeadingBlock, LinkedParagraph, OutlineEntry, Shaded,
                        TaggedParagraph)
from .keeping import (KeptTogether, LeadIn, ListEnd, WithPrevious, is_heading, keep_headings_with_next, kept_again,
                      kept_share, pieces)
from .fonts import FontSet, GlyphCheck
from .markup import MarkupWriter, text_markup, text_runs
from .styles import Typography
from .notes import note_destinations, notes_block
from .figures import figure
from .tables import data_table, grid_commands
from .tagging import Element, Structure
from ...records import dataclass

HEADING_ROLES_BOLD = True  # every heading style is set in the bold face
# Space after a hanging number or bullet: reportlab pushes the text right whenever the bullet
# ends less than 0.6 em before the text indent, so anything narrower misaligns long numbers.
BULLET_GAP_EM = 0.65
# One bullet per nesting level, the DOCX numbering's (compiler/render/docx/numbering.py) and the HTML's.
BULLETS = ("\u2022", "\u2013", "\u25aa")
LABEL_INSET_EM = 0.15  # a list's bullets and numbers sit just inside the text column


@dataclass(frozen=True)
class Frame:
    width: float  # the text column, points


def panel_colours(role: str, colours) -> tuple[str, str]:
    """(fill, rule) of a callout: a cause of concern in the warning colours, areas for
    improvement in the brand's quieter table tint and primary colour."""
    if role == "areas-for-improvement":
        return colours.table_stripe, colours.primary
    return colours.callout, colours.callout_rule


def destinations(body: Iterable[blocks.Block]) -> dict[str, str]:
    """Heading anchor -> a short PDF destination name, in source order."""
    names: dict[str, str] = {}
    for heading in blocks.headings(body):
        if heading.anchor is not None and heading.anchor not in names:
            names[heading.anchor] = f"h{len(names)}"
    return {**note_destinations(body), **names}


class StoryBuilder:
    def __init__(self, document: blocks.Document, typography: Typography, fonts: FontSet,
                 markup: MarkupWriter, glyphs: GlyphCheck, frame: Frame,
                 destinations: Mapping[str, str], structure: Structure, diagnostics: Diagnostics) -> None:
        self.document = document
        self.diagnostics = diagnostics
        self.structure = structure
        self._sections: list[tuple[int, Element]] = []  # open Sects, outermost first
        self.style = document.style
        self.typography = typography
        self.fonts = fonts
        self.markup = markup
        self.glyphs = glyphs
        self.frame = frame
        self.destinations = destinations
        self.badge_look = BadgeLook(fonts.bold, typography.badge_size)
        self.indent_step = self.style.fonts.size * 1.6
        self.follower_room = typography["body"].leading * 2.2  # what a heading needs below it
        self.kept_boxes: set = set()  # (role, span) of the boxes laid out whole (Rendered.kept_boxes)
        self._styles: dict[tuple, ParagraphStyle] = {}
        self._hanging_widths: dict[tuple, float] = {}
        self._outline_level = -1
        self._number_width = self._heading_number_widths(document.body)

    # ---- entry point ---------------------------------------------------------------------

    def build(self) -> list[Flowable]:
        flowables = self.imprint() + self.blocks(self.document.body, depth=0)
        return keep_headings_with_next(flowables, self.follower_room)

    def blocks(self, items: Iterable[blocks.Block], depth: int, parent: Element | None = None) -> list[Flowable]:
        """Flowables for `items`; their elements go under `parent`, or the open section when None."""
        out: list[Flowable] = []
        previous = None
        for block in items:
            made = self.block(block, depth, parent, after_heading=isinstance(previous, blocks.Heading))
            if isinstance(block, blocks.Para) and block.keep_with_previous and out and not is_heading(out[-1]):
                # (after a heading, the heading's keep-with-next already holds it)
                made = [WithPrevious(out.pop(), made[0]), *made[1:]]
            elif isinstance(block, blocks.ListBlock) and isinstance(previous, blocks.Para) and out and made:
                made = [LeadIn(out.pop(), made[0]), *made[1:]]  # a paragraph ending "...by:" goes with its list
            out.extend(made)
            previous = block
        return out

    def block(self, block: blocks.Block, depth: int, parent: Element | None,
              after_heading: bool = False) -> list[Flowable]:
        if isinstance(block, blocks.Heading):
            return [self.heading(block, parent)]
        if isinstance(block, blocks.PageBreak):
            return [PageBreak()]
        if isinstance(block, blocks.Contents):
            return self.contents(block)
        container = parent or self._section()
        if isinstance(block, blocks.Para):
            return [self.para(block, depth, container)]
        if isinstance(block, blocks.ListBlock):
            return self.list_block(block, depth, container)
        if isinstance(block, blocks.Callout):
            return self.callout(block, depth, container)
        if isinstance(block, blocks.DataTable):
            return data_table(self, block, container)
        if isinstance(block, blocks.FigureBlock):
            return figure(self, block, container)
        if isinstance(block, blocks.ChartBlock):
            from .charts import chart  # here: drawing charts (reportlab.graphics) is for reports with charts

            return chart(self, block, container)
        if isinstance(block, blocks.Quote):
            return self.quote(block, container)
        if isinstance(block, blocks.Notes):
            return notes_block(self, block, container)
        if isinstance(block, blocks.DefinitionList):
            return self.definitions(block, container)
        if isinstance(block, blocks.GlanceTable):
            # Layout usually heads the table with a real (outlined) heading of the same words.
            return self.glance(block, container, titled=not after_heading)
        raise TypeError(f"unknown block {block!r}")

    # ---- text blocks -----------------------------------------------------------------------

    def heading(self, heading: blocks.Heading, parent: Element | None) -> HeadingBlock:
        self._check(heading.content, heading.span, bold=HEADING_ROLES_BOLD, italic=heading.role == "subheading-2")
        if parent is None:
            parent = self._open_section(heading)
        element = self.structure.add(f"H{min(heading.level, 6)}", parent)
        style = self.typography.heading(heading.role, heading.level)
        bullet = None
        if heading.number is not None:
            bullet = heading.number_text
            style = self._numbered(style, self._number_width.get(heading.role, 0))
        text, frags = self.markup.paragraph_source(heading.content, style, element)
        # (a TaggedParagraph without an element: keep-with-next measures it at the width the frame does)
        paragraph = TaggedParagraph(text, style, bulletText=bullet, frags=frags)
        badge = Badge(heading.badge, self.badge_look) if heading.badge else None
        paragraph.goes_on = badge is not None  # "Effectiveness Good", not "EffectivenessGood"
        return HeadingBlock(paragraph, badge, heading.anchor if heading.anchor in self.destinations else None,
                            self._outline(heading), element)

    def para(self, para: blocks.Para, depth: int, parent: Element) -> Paragraph:
        self._check(para.content, para.span)
        element = self.structure.add("P", parent)
        style = self._indented(para.role, depth)
        text, frags = self.markup.paragraph_source(para.content, style, element)
        return TaggedParagraph(text, style, frags=frags, element=element)

    def list_block(self, block: blocks.ListBlock, depth: int, parent: Element) -> list[Flowable]:
        bullet = BULLETS[min(depth, len(BULLETS) - 1)]
        labels = [f"{block.start + index}." if block.ordered else bullet for index in range(len(block.items))]
        base = self.typography["list-item"]
        label_width = (max(stringWidth(label, base.fontName, base.fontSize) for label in labels)
                       + base.fontSize * (LABEL_INSET_EM + BULLET_GAP_EM))
        style = self._list_style(depth, label_width)
        numbering = "Decimal" if block.ordered else "Disc"
        list_element = self.structure.add("L", parent, attributes={"O": "List", "ListNumbering": numbering})
        out: list[Flowable] = []
        for label, item in zip(labels, block.items):
            self._check(item.content, item.span)
            entry = self.structure.add("LI", list_element)
            label_element = self.structure.add("Lbl", entry)
            body = self.structure.add("LBody", entry)
            text, frags = self.markup.paragraph_source(item.content, style, body)
            out.append(TaggedParagraph(text, style, bulletText=label, frags=frags, element=body, label=label_element))
            out.extend(self.blocks(item.children, depth + 1, body))
        if len(block.items) > 1 and not block.items[-1].children:
            out[-2:] = [ListEnd(out[-2], out[-1])]  # its last line never heads a page alone
        return out

    def inset(self, points: float, build: Callable[[], list[Flowable]]) -> list[Flowable]:
        """What `build` makes for inside a box `points` narrower than the column: tables, figures
        and charts in it fit the box, not the page."""
        frame, self.frame = self.frame, replace(self.frame, width=self.frame.width - points)
        try:
            return build()
        finally:
            self.frame = frame

    def callout(self, callout: blocks.Callout, depth: int, parent: Element) -> list[Flowable]:
        size = self.style.fonts.size
        inner = self.inset(3.5 + 2 * size, lambda: self.blocks(callout.blocks, depth, self.structure.add("Div", parent)))
        fill, rule = panel_colours(callout.role, self.style.colours)
        if callout.fill:  # a `callout:` box in its kind's colour
            fill, rule = callout.fill, callout.rule or rule
        # A lead-in and its list's first item (LeadIn), a list's end (ListEnd): slices kept together
        flat = [piece for flowable in inner for piece in pieces(flowable)]
        slices = iter([Shaded(flowable, fill, rule, rule_width=3.5, padding=self.style.fonts.size, first=index == 0,
                              last=index == len(flat) - 1, margin=self.style.fonts.size)
                       for index, flowable in enumerate(flat)])
        return [KeptTogether([kept_again(flowable, slices) for flowable in inner], kept_share(callout.role),
                             self.follower_room, (callout.role, callout.span), self.kept_boxes)]

    def quote(self, quote: blocks.Quote, parent: Element) -> list[Flowable]:
        """Indented behind a rule down its left; tagged BlockQuote, with the attribution a P after
        it (who said the words is not part of them), printed after a dash."""
        element = self.structure.add("BlockQuote", parent)
        inner: list[Flowable] = [self.para(paragraph, 0, element) for paragraph in quote.paragraphs]
        if quote.attribution:
            dashed = replace(quote.attribution, content=(Text("\u2014 "), *quote.attribution.content))
            inner.append(self.para(dashed, 0, parent))
        rule = self.style.colours.callout_rule
        return [Shaded(flowable, None, rule, rule_width=3, padding=self.style.fonts.size,
                       first=index == 0, last=index == len(inner) - 1, margin=self.style.fonts.size * 0.5)
                for index, flowable in enumerate(inner)]

    def definitions(self, block: blocks.DefinitionList, parent: Element) -> list[Flowable]:
        """Each term a P above its definition's P, inside one Div: PDF 1.7 has no definition list.
        A term is never the last line of a page: it goes along with its definition."""
        element = self.structure.add("Div", parent)
        return [WithPrevious(self.para(entry.term, 0, element), self.para(entry.definition, 0, element))
                for entry in block.entries]

    def imprint(self) -> list[Flowable]:
        """The imprint page, right after the cover: the style's texts, the reference and the PDF's
        own ISBN, tagged as the first Div of the document."""
        if self.document.imprint is None:
            return []
        element = self.structure.add("Div", self.structure.root)
        return [*self.blocks(self.document.imprint.for_edition("pdf"), 0, element), PageBreak()]

    # ---- navigation blocks -------------------------------------------------------------------

    def contents(self, contents: blocks.Contents) -> list[Flowable]:
        section = self._open_section(None)
        out: list[Flowable] = [self._title(contents.title, self.structure.add("H1", section))]
        toc = self.structure.add("TOC", section)
        numbers = [entry.number_text for entry in contents.entries if entry.number]
        for entry in contents.entries:
            style = self.typography["contents-1" if entry.level <= 1 else "contents-2"]
            if entry.level > 2:
                style = self._derived(style, leftIndent=style.leftIndent + self.indent_step * (entry.level - 2))
            text = f"{entry.number_text} {entry.text}" if entry.number else entry.text
            self.glyphs.check(text, self._document_span(), bold=style.fontName == self.fonts.bold)
            bullet = None
            if entry.number:
                # The number hangs, so a long entry's second line lines up with its text.
                style = self._hanging(style, numbers)
                bullet = entry.number_text
            item = self.structure.add("TOCI", toc)
            markup, frags = self.markup.paragraph_source((Text(entry.text),), style)
            if entry.anchor not in self.destinations:
                out.append(TaggedParagraph(markup, style, bulletText=bullet, frags=frags,
                                           element=self.structure.add("P", item)))
                continue
            link = self.structure.add("Link", self.structure.add("Reference", item))
            paragraph = TaggedParagraph(markup, style, bulletText=bullet, frags=frags)  # (no element: the line's)
            out.append(ContentsLine(paragraph, entry.anchor, style.fontName,
                                    stringWidth("8888", style.fontName, style.fontSize), self.style.colours.text,
                                    description=text, element=link))
        return out

    def glance(self, table: blocks.GlanceTable, parent: Element, titled: bool) -> list[Flowable]:
        title = self._title(table.title, self.structure.add("P", parent)) if titled else None
        table_element = self.structure.add("Table", parent)
        head_row = self.structure.add("TR", self.structure.add("THead", table_element))
        body = self.structure.add("TBody", table_element)
        look = self.badge_look
        pad = GLANCE_PAD_PT
        labels = [grade.label for grade in self.style.grades] + [row.badge.label for row in table.rows if row.badge]
        badge_column = glance_grade_column_pt(labels, lambda label: stringWidth(label, look.face, look.size),
                                              look.size, self.frame.width)
        badge_width = badge_column - 2 * pad
        # Header cells are drawn again on every page the table spans; only the first counts.
        column_header = {"O": "Table", "Scope": "Column"}
        header = [TaggedParagraph(text_markup(text, self.fonts), self.typography["glance-header"],
                                  element=self.structure.add("TH", head_row, attributes=column_header, repeatable=True))
                  for text in table.header]
        data: list[list[Flowable]] = [header]
        commands = grid_commands(self.fonts.regular, self.style.colours.primary, pad, valign="MIDDLE", vertical_pad=5)
        numbers = [row.number_text for row in table.rows if row.number]
        for index, row in enumerate(table.rows, start=1):
            self._check(row.content, self._document_span(), bold=row.level <= 1)
            text = (f"{row.number_text} " if row.number else "") + plain_text(row.content)
            row_element = self.structure.add("TR", body)
            row_header = self.structure.add("TH", row_element, attributes={"O": "Table", "Scope": "Row"})
            style = self.typography["glance-1" if row.level <= 1 else "glance-2"]
            bullet = None
            if row.number:
                # The number hangs, as in the contents, so a wrapped question lines up with itself.
                style = self._hanging(style, numbers)
                bullet = row.number_text
            if row.anchor in self.destinations:  # the whole row links to its question (no link inside: layout)
                markup, frags = self.markup.paragraph_source(row.content, style)
                link = self.structure.add("Link", row_header)
                cell: Flowable = LinkedParagraph(TaggedParagraph(markup, style, bulletText=bullet, frags=frags),
                                                 row.anchor, text, link)
            else:
                markup, frags = self.markup.paragraph_source(row.content, style, row_header)
                cell = TaggedParagraph(markup, style, bulletText=bullet, frags=frags, element=row_header)
            data.append([cell,
                         self._glance_grade(row.badge, badge_width, self.structure.add("TD", row_element))])
            if row.level <= 1:
                commands.append(("BACKGROUND", (0, index), (-1, index), HexColor(self.style.colours.table_stripe)))
        grid = Table(data, colWidths=[self.frame.width - badge_column, badge_column], repeatRows=1,
                     style=TableStyle(commands), hAlign="LEFT")
        return [title, grid] if title else [grid]

    def _glance_grade(self, badge: blocks.Badge | None, width: float, cell: Element) -> Flowable:
        """A grade's badge, or a blank cell for no grade: a no-break space, since a structure element
        is written only once content is drawn in it and every row keeps its `TD`."""
        if badge is None:
            return TaggedParagraph("&nbsp;", self.typography["glance-2"], element=cell)
        return Badge(badge, self.badge_look, min_width=width, element=cell)

    # ---- helpers -----------------------------------------------------------------------------

    def _title(self, text: str, element: Element) -> HeadingBlock:
        self.glyphs.check(text, self._document_span(), bold=True)
        heading = Paragraph(text_markup(text, self.fonts), self.typography["section-heading"])
        return HeadingBlock(heading, None, None, None, element)

    def _section(self) -> Element:
        return self._sections[-1][1] if self._sections else self.structure.root

    def _open_section(self, heading: blocks.Heading | None) -> Element:
        """The Sect a heading starts (level 1 and outlined headings), else the one it is in."""
        level = heading.level if heading else 1
        if heading is not None and level > 1 and not heading.in_outline:
            return self._section()
        while self._sections and self._sections[-1][0] >= level:
            self._sections.pop()
        section = self.structure.add("Sect", self._section())
        self._sections.append((level, section))
        return section

    def _outline(self, heading: blocks.Heading) -> OutlineEntry | None:
        if not heading.in_outline or heading.anchor not in self.destinations:
            return None
        # reportlab refuses an entry more than one level below the previous one.
        level = max(0, min(heading.level - 1, self._outline_level + 1))
        self._outline_level = level
        text = plain_text(heading.content)
        return OutlineEntry(f"{heading.number_text} {text}" if heading.number else text, level)

    def _check(self, content: Inlines, span: Span, bold: bool = False, italic: bool = False) -> None:
        for text, strong, emph in text_runs(content, bold, italic):
            self.glyphs.check(text, span, strong, emph)

    def _document_span(self) -> Span:
        return Span(self.document.source)

    def _heading_number_widths(self, body: Iterable[blocks.Block]) -> dict[str, float]:
        widths: dict[str, float] = {}
        for heading in blocks.headings(body):
            if heading.number is not None:
                style = self.typography.heading(heading.role, heading.level)
                width = (stringWidth(heading.number_text, style.fontName, style.fontSize)
                         + style.fontSize * BULLET_GAP_EM)
                widths[heading.role] = max(widths.get(heading.role, 0.0), width)
        return widths

    def _derived(self, parent: ParagraphStyle, **changes) -> ParagraphStyle:
        key = (parent.name, tuple(sorted(changes.items())))
        if key not in self._styles:
            self._styles[key] = ParagraphStyle(f"{parent.name}+{len(self._styles)}", parent=parent, **changes)
        return self._styles[key]

    def _hanging(self, style: ParagraphStyle, numbers: list[str]) -> ParagraphStyle:
        """`style` with room for the widest of `numbers` hanging in front of the text."""
        key = (style.name, tuple(numbers))
        if key not in self._hanging_widths:
            self._hanging_widths[key] = (max(stringWidth(n, style.fontName, style.fontSize) for n in numbers)
                                         + style.fontSize * BULLET_GAP_EM)
        return self._derived(style, leftIndent=style.leftIndent + self._hanging_widths[key],
                             bulletIndent=style.leftIndent, bulletFontName=style.fontName,
                             bulletFontSize=style.fontSize, bulletColor=style.textColor)

    def _numbered(self, style: ParagraphStyle, width: float) -> ParagraphStyle:
        return self._derived(style, leftIndent=width, bulletIndent=0, bulletFontName=style.fontName,
                             bulletFontSize=style.fontSize, bulletColor=style.textColor)

    def _indented(self, role: str, depth: int) -> ParagraphStyle:
        style = self.typography[role]
        return self._derived(style, leftIndent=style.leftIndent + self.indent_step * depth) if depth else style

    def _list_style(self, depth: int, label_width: float) -> ParagraphStyle:
        base = self.typography["list-item"]
        left = self.indent_step * depth
        return self._derived(base, leftIndent=left + label_width, bulletIndent=left + base.fontSize * LABEL_INSET_EM,
                             bulletFontName=base.fontName, bulletFontSize=base.fontSize)
