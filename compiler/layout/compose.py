"""Model + style -> Document: everything both renderers need, computed once.

Order of the body: contents, report summary, judgments at a glance, front matter, one section
per pillar (with its questions), annexes, the glossary (v2; the imprint is a Document field).
Anchors are stable names derived from structure ("pillar-1", "pillar-1-question-2"), so outputs
are deterministic and links survive edits.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..diagnostics import Span
from ..model import (AreaForImprovement, Boxed, Chart, Figure, Table, BlockText, BulletList, CauseOfConcern, Inlines, Link, NumberedList, Paragraph, Pillar, Question, Report, Section,
                     Quotation, SubHeading, Text, plain_text, Strong, Emph)
from ..style.dates import format_date
from ..style.types import Style
from .blocks import (Badge, Block, Callout, Contents, ContentsEntry, Cover, Document, GlanceRow,
                     GlanceTable, Heading, ListBlock, ListEntry, Metadata, PageBreak, Para, Quote,
                     RefLink, Running)
from . import backmatter
from .bidi import balance_bidi
from .notes import resolve_notes
from .numbering import Numbering
from .colour import rule_colour_for, text_colour_for

FALLBACK_DATE = date(1980, 1, 1)  # the ZIP epoch: used when neither the source nor SOURCE_DATE_EPOCH dates a build


def badge_for(grade_key: str | None, style: Style, span: Span | None = None) -> Badge | None:
    """The badge of a grade; None for no grade written, which prints no badge (v2)."""
    if grade_key is None:
        return None
    grade = style.grade(grade_key)
    return Badge(grade.key, grade.label, grade.colour, text_colour_for(grade.colour), span)


OVERALL_GRADE_ANCHOR = "overall-grade"  # the glance table's first row: no heading carries it


def pillar_anchor(index: int) -> str:
    return f"pillar-{index}"


def question_anchor(pillar_index: int, number: int) -> str:
    return f"pillar-{pillar_index}-question-{number}"


def _list_block(block: BulletList | NumberedList) -> ListBlock:
    """A list of block text, with the lists nested in its items (v2)."""
    ordered = isinstance(block, NumberedList)
    entries = tuple(ListEntry(item.content, tuple(_list_block(child) for child in item.children), item.span)
                    for item in block.items)
    return ListBlock("numbers" if ordered else "bullets", ordered, block.start if ordered else 1, entries, block.span)


def _quote(block: Quotation) -> Quote:
    attribution = Para("attribution", block.attribution.content, block.attribution.span) if block.attribution else None
    return Quote(tuple(Para("quote", paragraph.content, paragraph.span) for paragraph in block.paragraphs),
                 attribution, block.span)


class Composer:
    def __init__(self, report: Report, style: Style) -> None:
        self.report = report
        self.style = style
        self.numbering = Numbering(style)

    def label(self, key: str, **values: object) -> str:
        return self.style.label(key, **values)

    def date_text(self, value: date | None) -> str | None:
        return format_date(value, self.style.date_format, self.style.language) if value else None

    # ---- block text ----------------------------------------------------------------------

    def block_text(self, text: BlockText | None, level: int) -> list[Block]:
        if text is None:
            return []
        out: list[Block] = []
        under_three = False  # a `### ` came before in this text
        for block in text.blocks:
            if isinstance(block, Paragraph):
                out.append(Para("body", block.content, block.span))
            elif isinstance(block, SubHeading):
                # `#### ` is one level below `### `; with no `### ` before it in this text, at
                # the level a `### ` would have: no level is skipped.
                under_three = under_three or block.level == 1
                minor = under_three and block.level == 2  # set a step below a `### `, as well as a level
                out.append(Heading(level + (block.level - 1 if under_three else 0),
                                   "subheading-2" if minor else "subheading", None, block.content, None, None,
                                   False, block.span))
            elif isinstance(block, (BulletList, NumberedList)):
                out.append(_list_block(block))
            elif isinstance(block, Quotation):
                out.append(_quote(block))
            elif isinstance(block, Table):
                out.append(self.numbering.table(block, tuple(self.notes(block.notes, level))))
            elif isinstance(block, Figure):
                out.append(self.numbering.figure(block))
            elif isinstance(block, Chart):
                out.append(self.numbering.chart(block))
            elif isinstance(block, Boxed):
                out.append(self.boxed(block, level))
        return out

    def notes(self, blocks: tuple, level: int) -> list[Block]:
        """A table's notes: its paragraphs in the smaller "table-note" role."""
        out = self.block_text(BlockText(blocks, blocks[0].span), level) if blocks else []
        return [replace(block, role="table-note") if isinstance(block, Para) else block for block in out]

    def boxed(self, block: Boxed, level: int) -> Callout:
        """A `callout:` block: a box in its kind's colour, headed by the kind's label and its title."""
        kind = self.style.callouts[block.kind]
        title = (Text(f"{kind.label}: "), *block.title) if block.title else (Text(kind.label),)
        heading = Heading(level, "callout-heading", None, title, None, None, False, block.title_span or block.span)
        body = self.block_text(BlockText(block.body, block.span), level + 1) if block.body else []
        colours = self.style.colours
        return Callout("callout", (heading, *body), block.span, kind=kind.key, fill=kind.colour,
                       name=plain_text(title), rule=rule_colour_for(kind.colour, (colours.accent, colours.primary)))

    # ---- findings ------------------------------------------------------------------------

    def areas_for_improvement(self, areas: tuple[AreaForImprovement, ...], level: int) -> list[Block]:
        if not areas:
            return []
        entries = tuple(ListEntry(area.text.content, tuple(self.block_text(area.detail, level + 1)), area.text.span)
                        for area in areas)
        heading = Heading(level, "subsection-heading", None, _text(self.label("areas_for_improvement")),
                          None, None, False, areas[0].span)
        # A panel of its own, so the areas stand apart from the findings that follow them.
        return [Callout("areas-for-improvement", (heading, ListBlock("areas-for-improvement", False, 1, entries,
                                                                     areas[0].span)), areas[0].span)]

    def cause_of_concern(self, cause: CauseOfConcern, level: int) -> Block:
        blocks: list[Block] = [
            Heading(level, "subsection-heading", None, _text(self.label("causes_of_concern")), None, None,
                    False, cause.span),
            Para("cause-of-concern", cause.text.content, cause.text.span),
        ]
        if cause.recommendations:
            lead_in = cause.lead_in.content if cause.lead_in else _text(self.label("recommendations_lead_in"))
            lead_span = cause.lead_in.span if cause.lead_in else cause.span
            blocks.append(Para("lead-in", lead_in, lead_span))
            entries = tuple(ListEntry(r.content, (), r.span) for r in cause.recommendations)
            blocks.append(ListBlock("recommendations", True, 1, entries, cause.recommendations[0].span))
        return Callout("cause-of-concern", tuple(blocks), cause.span)

    def findings(self, areas: tuple[AreaForImprovement, ...], causes: tuple[CauseOfConcern, ...],
                 findings: BlockText | None, level: int) -> list[Block]:
        out = self.areas_for_improvement(areas, level)
        out += [self.cause_of_concern(cause, level) for cause in causes]
        out += self.block_text(findings, level)
        return out

    def carried_over(self, year: str | None, span: Span) -> list[Block]:
        return [Para("carried-over", _text(self.label("carried_over", year=year)), span)] if year else []

    # ---- sections ------------------------------------------------------------------------

    def question(self, question: Question, pillar_index: int) -> list[Block]:
        number = self.question_number(question)
        out: list[Block] = [Heading(2, "question-heading", number, question.title.content,
                                    badge_for(question.grade, self.style, question.grade_span),
                                    question_anchor(pillar_index, question.number), True, question.title.span)]
        out += self.carried_over(question.carried_over, question.span)
        out += self.findings(question.areas_for_improvement, question.causes_of_concern, question.findings, 3)
        if question.detailed_findings:
            label = (self.label("detailed_findings", number=number) if number
                     else self.label("detailed_findings_unnumbered"))
            link = Link(question.detailed_findings, _text(label))
            out.append(Para("detailed-findings", (link,), question.span, keep_with_previous=True))
        return out

    def question_number(self, question: Question) -> str | None:
        """The number printed before a question, or None when the report numbers no questions."""
        return str(question.number) if self.report.numbered_questions else None

    def pillar(self, pillar: Pillar, index: int) -> list[Block]:
        out: list[Block] = [PageBreak(), Heading(1, "pillar-heading", None, pillar.title.content,
                                                 badge_for(pillar.grade, self.style, pillar.grade_span),
                                                 pillar_anchor(index),
                                                 True, pillar.title.span)]
        if pillar.question:
            out.append(Para("question-lead", pillar.question.content, pillar.question.span))
        if pillar.updated:
            updated = self.label("last_updated", date=self.date_text(pillar.updated))
            if "{date}" not in self.style.labels["last_updated"]:
                updated = f"{updated} {self.date_text(pillar.updated)}"
            out.append(Para("last-updated", _text(updated), pillar.span))
        out += self.carried_over(pillar.carried_over, pillar.span)
        out += self.block_text(pillar.summary, 2)
        out += self.findings(pillar.areas_for_improvement, pillar.causes_of_concern, pillar.findings, 2)
        if pillar.questions:
            title = self.label("questions_for", pillar=pillar.title.plain)
            out.append(Heading(2, "section-heading", None, _text(title), None, None, False, pillar.span))
            for question in pillar.questions:
                out += self.question(question, index)
        return out

    def section(self, section: Section, anchor: str) -> list[Block]:
        return [PageBreak(), Heading(1, "section-heading", None, section.title.content, None, anchor, True,
                                     section.title.span), *self.block_text(section.body, 2)]

    def glance(self) -> GlanceTable:
        rows: list[GlanceRow] = []
        overall = badge_for(self.report.grade, self.style, self.report.grade_span)
        if overall is not None:  # the report's own judgment heads the table; its anchor links nowhere
            rows.append(GlanceRow(1, None, _text(self.label("overall_grade")), overall, OVERALL_GRADE_ANCHOR))
        for index, pillar in enumerate(self.report.pillars, 1):
            rows.append(GlanceRow(1, None, pillar.title.content,
                                  badge_for(pillar.grade, self.style, pillar.grade_span), pillar_anchor(index)))
            rows += [GlanceRow(2, self.question_number(q), q.title.content, badge_for(q.grade, self.style, q.grade_span),
                               question_anchor(index, q.number)) for q in pillar.questions]
        header = (self.label("glance_area"), self.label("glance_grade"))
        return GlanceTable(self.label("at_a_glance"), header, tuple(rows))

    # ---- document ------------------------------------------------------------------------

    def body(self) -> tuple[Block, ...]:
        report = self.report
        out: list[Block] = []
        if report.summary:
            out += [PageBreak(), Heading(1, "section-heading", None, _text(self.label("summary")), None,
                                         "summary", True, report.summary.span),
                    *self.block_text(report.summary, 2)]
        out += [PageBreak(), Heading(1, "section-heading", None, _text(self.label("at_a_glance")), None,
                                     "at-a-glance", True, report.span), self.glance()]
        for index, section in enumerate(report.front_matter, 1):
            out += self.section(section, f"front-{index}")
        for index, pillar in enumerate(report.pillars, 1):
            out += self.pillar(pillar, index)
        for index, section in enumerate(report.annexes, 1):
            out += self.section(section, f"annex-{index}")
        out += backmatter.glossary(report, self.style)
        out = resolve_notes(out, report, self.style)  # every table and figure is numbered by now
        out = [_unlinked_glance(block) if isinstance(block, GlanceTable) else block for block in out]
        contents = Contents(self.label("contents"), tuple(_contents_entries(out)))
        return (contents, *out)

    def cover(self) -> Cover:
        report = self.report
        return Cover(
            title=report.title.plain,
            subject=report.subject.plain,
            programme=report.programme.plain if report.programme else None,
            date_text=self.label("published", date=self.date_text(report.published))
            if report.published and not report.is_draft else None,
            marking=self.marking(),
            status_text=self.label("draft") if report.is_draft else None,
            version_text=self.draft_version() if report.is_draft else None,
            logo=self.style.logo,
            purpose_text=self.label("draft_purpose") if report.is_draft else None,
            grade=badge_for(report.grade, self.style, report.grade_span),
            grade_label=self.label("overall_grade") if report.grade is not None else None,
            title_span=report.title.span,
            subject_span=report.subject.span,
        )

    def draft_version(self) -> str | None:
        """A draft's version and date on its cover: "Version 0.3 – 12/03/2026"."""
        report = self.report
        parts = [self.label("version", version=report.version)] if report.version else []
        parts += [self.date_text(report.published)] if report.published else []
        return " – ".join(balance_bidi(part) for part in parts) or None

    def marking(self) -> str | None:
        if self.report.marking:
            return balance_bidi(self.report.marking)
        return self.label("default_marking") if self.report.is_draft else None

    def running(self, build_date: date) -> Running:
        report = self.report
        footer = [report.title.plain]
        if report.is_draft:
            footer.append(self.label("draft"))
            if report.version:
                footer.append(self.label("version", version=report.version))
            footer.append(self.date_text(report.published or build_date))
        # Each value shares its line with others: its bidi controls are closed at its end.
        return Running(
            header_left=balance_bidi(self.style.brand_name),
            header_right=balance_bidi(report.subject.plain),
            footer_left=" – ".join(balance_bidi(part) for part in footer),
            footer_kept="".join(f" – {balance_bidi(part)}" for part in footer[1:]),
            page_x_of_y=self.style.labels["page_x_of_y"],
            marking=self.marking(),
            watermark=self.label("draft") if report.is_draft else None,
            brand_language=self.style.brand_language,
        )

    def metadata(self, build_date: date, creator: str) -> Metadata:
        report = self.report
        keywords = [report.subject.plain, report.title.plain]
        if report.programme:
            keywords.append(report.programme.plain)
        keywords += [p.title.plain for p in report.pillars]
        return Metadata(
            title=_metadata_title(report.title.plain, report.subject.plain),
            subject=report.subject.plain,
            author=self.style.brand_name,
            keywords=tuple(dict.fromkeys(keywords)),
            language=report.language,
            creator=creator,
            date=build_date,
            draft=report.is_draft,
            version=report.version,
        )


def _metadata_title(title: str, subject: str) -> str:
    """The title, naming the subject once: "Eastmoor FRS: effectiveness" is not followed by
    ": Eastmoor FRS" again."""
    if subject.casefold() in title.casefold():
        return title
    return f"{title}: {subject}"


def _text(value: str) -> Inlines:
    return (Text(value),)


def _unlinked_glance(table: GlanceTable) -> GlanceTable:
    """A glance row links to its question as a whole, so a link or cross-reference in a title is
    its words there (one link may not hold another; at the question's heading it still links)."""
    return replace(table, rows=tuple(replace(row, content=_unlinked(row.content)) for row in table.rows))


def _unlinked(content: Inlines) -> Inlines:
    """`content` with its links and cross-references as their words alone."""
    out: list = []
    for node in content:
        if isinstance(node, (Link, RefLink)):
            out.extend(_unlinked(node.children))
        elif isinstance(node, (Strong, Emph)):
            out.append(replace(node, children=_unlinked(node.children)))
        else:
            out.append(node)
    return tuple(out)


def _contents_entries(body: list[Block]):
    for block in body:
        if isinstance(block, Heading) and block.in_outline and block.anchor:
            yield ContentsEntry(block.level, block.number, plain_text(block.content), block.anchor)


def compose(report: Report, style: Style, source_date: date | None, creator: str) -> Document:
    """The one entry point: a fully resolved, format-neutral document."""
    composer = Composer(report, style)
    build_date = report.published or source_date or FALLBACK_DATE
    return Document(
        id=report.id,
        source=report.source,
        metadata=composer.metadata(build_date, creator),
        cover=composer.cover(),
        running=composer.running(build_date),
        body=composer.body(),
        style=style,
        imprint=backmatter.imprint(report, style, backmatter.imprint_year(report, build_date), composer.block_text),
    )
