"""Positioned tree + style -> the Report model, or every diagnostic at once.

The schema check (`schemacheck`) catches shape problems; this module adds the rules a schema
cannot say (grades of the style's scale, question numbering, ids, link schemes) and builds
the frozen model. It only builds when the tree passed the schema, so it may trust the shape.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Callable

from . import backmatter, markup
from .glyphs import SourceGlyphs
from .references import check_references
from .rich import RichBlocks, SourceFiles
from ..diagnostics import Diagnostics, Span, excerpt, nearest
from ..model import (UNGRADED, AreaForImprovement, BlockText, CauseOfConcern, InlineText, Pillar,
                    Question, Report, Section, SubHeading, plain_text, text_parts)
from .schema import ID_PATTERN, LANGUAGE, MAX_TITLE, QUESTION_NUMBER
from ..style.labels import localised, untranslated
from ..style.types import Grade, Style
from .yamltree import Mapping, Node, Scalar, Sequence

WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", "clock$",
                              *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
MAX_ID_LENGTH = 100

# Limits on what one report asks the renderers to lay out, each keeping a build within seconds
# and a few hundred MB (measured on a 2-core machine; README "Security and limits"):
MAX_QUESTIONS = 1_000  # 1,000 questions with findings: 250 pages, 4 s, 130 MB
# About 550 pages of dense prose (a 526-page report is 1.7 million characters): 4 s, 170 MB. Just
# under what the 2 MB source limit lets through, so it is the binding limit on text, not the file.
MAX_TEXT_CHARACTERS = 1_800_000
MAX_BLOCKS = 10_000  # paragraphs, list items, headings, table cells and text fields: 10,000 list items are 280 pages
# One paragraph is laid out in time that grows with the square of its length (a paragraph split
# across pages is re-wrapped on each): 160,000 characters took 7 s and 320,000 took 39 s.
MAX_PARAGRAPH_CHARACTERS = 10_000  # about three pages
# Pillars, front-matter sections and annexes each start a page (and a glance-table row and a
# contents entry): 9,990 pillars made 10,694 pages in 45 s; 250 make 270 pages in 2 s, about the
# 250 pages the question limit allows. Real reports have a handful.
MAX_SECTIONS = 250
# `**bold**`, `*italic*` and links: the PDF renderer spends about 0.2 ms on each (plain text of
# the same length costs a tenth of that), so 340,000 of them took 69 s and 1.4 GB. Real reports
# have about one per 1,300 characters of source, under 1,500 at the text limit.
MAX_MARKUP_SPANS = 10_000


def id_problem(text: str) -> str | None:
    """Why `text` cannot name build/<id>.pdf, or None."""
    if len(text) > MAX_ID_LENGTH:
        return f"id is {len(text)} characters long; at most {MAX_ID_LENGTH} are allowed"
    if not re.fullmatch(ID_PATTERN[1:-1], text):
        return f"'{excerpt(text)}' is not a valid id: use lower-case letters, digits and hyphens, starting with a letter or digit"
    if text.split(".")[0] in WINDOWS_RESERVED:
        return f"'{text}' is a reserved file name on Windows; choose another id"
    return None


def written_id_problem(text: str) -> bool:
    """Whether the schema's own checks of `id:` (its length and pattern) refuse `text`."""
    return len(text) > MAX_ID_LENGTH or not re.fullmatch(ID_PATTERN[1:-1], text)


def default_id(path: Path) -> str:
    """The id a source gets without `id:`: the file stem, or the folder's name for report.yaml."""
    return path.parent.name if path.name == "report.yaml" else path.stem


def filled_length(template: str, **values: str) -> int:
    """The length of a label once str.format fills in its placeholders, without building it."""
    return len(template) + sum(template.count(f"{{{name}}}") * (len(value) - len(name) - 2)
                               for name, value in values.items())


def normalise_grade(text: str) -> str:
    return re.sub(r"[\s_-]+", "-", text.strip().lower())


class Budget:
    """Counts what a report will lay out; each limit exceeded is one error, where it is crossed."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        self.questions = 0
        self.blocks = 0
        self.sections = 0
        self.spans = 0
        self.characters = 0  # the report's text, with the style's labels filled in

    def question(self, span: Span) -> bool:
        """Whether another question fits in the report."""
        self.questions += 1
        if self.questions == MAX_QUESTIONS + 1:
            self.diagnostics.error(span, f"the report has more than {MAX_QUESTIONS:,} questions; "
                                         "split it into several reports")
        return self.questions <= MAX_QUESTIONS

    def section(self, span: Span) -> bool:
        """Whether another pillar, front-matter section or annex fits in the report."""
        self.sections += 1
        if self.sections == MAX_SECTIONS + 1:
            self.diagnostics.error(span, f"the report has more than {MAX_SECTIONS:,} pillars, front-matter "
                                         "sections and annexes; split it into several reports")
        return self.sections <= MAX_SECTIONS

    def markup(self, count: int, span: Span) -> None:
        """`count` more bold, italic and link spans, in the text at `span`."""
        before, self.spans = self.spans, self.spans + count
        if before <= MAX_MARKUP_SPANS < self.spans:
            self.diagnostics.error(span, f"the report passes {MAX_MARKUP_SPANS:,} bold, italic and link spans "
                                         "here; use less markup, or split it into several reports")

    def label_text(self, length: int, span: Span) -> None:
        """`length` characters a style's label adds to the report where the source at `span` asks
        for it: labels are printed once per use, so they count like the source's own text."""
        before, self.characters = self.characters, self.characters + length
        if before <= MAX_TEXT_CHARACTERS < self.characters:
            self.diagnostics.error(span, f"the report's text, with the style's labels filled in, passes "
                                         f"{MAX_TEXT_CHARACTERS:,} characters here; split it into several reports")

    def block(self, length: int, span: Span, heading: bool = False, label: str | None = None) -> None:
        """One paragraph, list item, heading or text field of `length` characters; `label` names
        the style's label the text is filled into, if any."""
        self.blocks += 1
        if self.blocks == MAX_BLOCKS + 1:
            self.diagnostics.error(span, f"the report has more than {MAX_BLOCKS:,} paragraphs, list items, "
                                         "headings, table cells and text fields (a table's cells count one "
                                         "each); split it into several reports, or its longest tables")
        if heading and length > MAX_TITLE:  # a heading cannot break across pages
            self.diagnostics.error(span, f"this sub-heading has {length:,} characters; at most {MAX_TITLE} "
                                         "are allowed")
        elif length > MAX_PARAGRAPH_CHARACTERS and label:
            self.diagnostics.error(span, f"filled into the style's `{label}` label, this text makes a paragraph "
                                         f"of {length:,} characters; at most {MAX_PARAGRAPH_CHARACTERS:,} are "
                                         "allowed (shorten it)")
        elif length > MAX_PARAGRAPH_CHARACTERS:
            self.diagnostics.error(span, f"this paragraph has {length:,} characters; at most "
                                         f"{MAX_PARAGRAPH_CHARACTERS:,} are allowed (split it with a blank line)")

    def text_fits(self, root: Node) -> bool:
        """Whether all text of the report together is within MAX_TEXT_CHARACTERS."""
        pending = [root]
        while pending:  # iterative: the tree may be as deep as the loader allows
            node = pending.pop()
            if isinstance(node, Scalar):
                self.characters += len(node.value)
                if self.characters > MAX_TEXT_CHARACTERS:
                    self.diagnostics.error(node.span, f"the report's text passes {MAX_TEXT_CHARACTERS:,} "
                                                      "characters here; split it into several reports")
                    return False
            elif isinstance(node, Sequence):
                pending += reversed(node.items)
            else:
                pending += reversed([value for _, value in node.entries.values()])
        return True


class ReportBuilder:
    """Builds one Report from a schema-checked tree."""

    def __init__(self, file: str, style: Style, diagnostics: Diagnostics, files: SourceFiles | None = None) -> None:
        self.file = file
        self.style = style
        self.diagnostics = diagnostics
        self.files = files  # where rich blocks may read CSV files and images; None: nowhere
        self.rich = RichBlocks(self, files)
        self.budget = Budget(diagnostics)
        self.glyphs = SourceGlyphs(style.fonts, diagnostics)  # characters the fonts lack
        self.grades = {normalise_grade(g.key): g.key for g in style.grades}
        self.grades.update({normalise_grade(g.label): g.key for g in style.grades})
        self.scale: tuple[Grade, ...] = style.grades  # the labels messages name

    def read_in(self, language: str, node: Node | None = None) -> None:
        """A report in another language than its style's prints that language's grade labels
        (`style.labels.localised`): a writer may use them, and messages name them. Those reportc
        does not ship (a style's own grades and callout kinds) print in the style's language: a
        warning names them."""
        self.scale = localised(self.style, language).grades
        left = untranslated(self.style, language)
        if left and node is not None and re.match(LANGUAGE["pattern"], language):  # (else: an error already)
            self.diagnostics.warning(node.span, f"the style '{self.style.name}' is written in {self.style.language} "
                                                f"and reportc ships no '{language}' wording for its "
                                                f"{'; '.join(left)}, so they print in {self.style.language}; "
                                                f"give them in a style with `language: {language}` that "
                                                f"extends '{self.style.name}'")
        for grade in self.scale:
            self.grades.setdefault(normalise_grade(grade.label), grade.key)

    # ---- scalars -------------------------------------------------------------------------

    def text(self, node: Node | None) -> str | None:
        if isinstance(node, Scalar) and not node.is_null:
            return node.value
        return None

    def inline(self, node: Node | None) -> InlineText | None:
        if not isinstance(node, Scalar) or node.is_null:
            return None
        text = " ".join(node.value.split())  # a line break inside a field is a space
        self.budget.block(len(text), node.span)
        locate = markup.squashed(node.value, node.position)  # problems inside at their own LINE:COL
        content = markup.parse_inline(text, node.span, self.diagnostics, locate)
        self.budget.markup(markup.count_spans(content), node.span)
        self.glyphs.inline(node, content)
        return InlineText(content, node.span)

    def block(self, node: Node | None) -> BlockText | None:
        """Block text, or (v2) a list of block texts and rich blocks."""
        if isinstance(node, Sequence):
            blocks = []
            for item in node.items:
                if isinstance(item, Scalar) and not item.is_null:
                    blocks += self.block_text(item)
                elif isinstance(item, Mapping) and len(item.entries) == 1:
                    blocks += filter(None, [self.rich.build(item)])
            return BlockText(tuple(blocks), node.span) if blocks else None
        if not isinstance(node, Scalar) or node.is_null:
            return None
        blocks = self.block_text(node)
        return BlockText(blocks, node.span) if blocks else None

    def block_text(self, node: Scalar) -> tuple:
        blocks = markup.parse_blocks(node.value, node.line_span, self.diagnostics, node.position)
        for block in blocks:
            for part in text_parts(block):  # a list counts item by item
                self.budget.block(len(plain_text(part.content)), part.span, isinstance(part, SubHeading))
                self.budget.markup(markup.count_spans(part.content), part.span)
        self.glyphs.blocks(node, blocks)
        return blocks

    def free_text(self, node: Node | None) -> str | None:
        """Text printed as written (carried_over, marking, version), within the paragraph limit."""
        text = self.text(node)
        if text is not None:
            self.budget.block(len(text), node.span)
            self.glyphs.plain(node)
        return text

    def label(self, key: str, span: Span, repeats_values: bool = False, **values: str) -> int:
        """Count the style's label `key`, filled with `values`, where the source at `span` asks for
        it; its length is returned. The values were counted as source text already, unless the
        label repeats what is printed elsewhere too (a pillar's title in "Questions for ...")."""
        length = filled_length(self.style.labels[key], **values)
        already = 0 if repeats_values else sum(len(value) for value in values.values())
        self.budget.label_text(length - already, span)
        return length

    def carried_over(self, node: Node | None) -> str | None:
        """The year a judgment was carried over from, printed inside the style's paragraph."""
        year = self.text(node)
        if year is not None:
            self.budget.block(self.label("carried_over", node.span, year=year), node.span, label="carried_over")
        return year

    def version(self, node: Node | None) -> str | None:
        text = self.free_text(node)
        if text is not None:
            self.label("version", node.span, version=text)
        return text

    def date(self, node: Node | None) -> date | None:
        text = self.text(node)
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:  # reported by the schema check
            return None

    def grade(self, node: Node | None) -> str | None:
        """The grade key; None when no grade is written (v2: no badge, not "Ungraded")."""
        text = self.text(node)
        if text is None:
            return None
        key = self.grades.get(normalise_grade(text))
        if key is None:
            labels = ", ".join(g.label for g in self.scale)
            self.diagnostics.error(node.span, f"unknown grade '{excerpt(text)}'; {self.nearest_grade(text)}"
                                              f"the style '{self.style.name}' has: {labels}")
            return UNGRADED
        return key

    def nearest_grade(self, text: str) -> str:
        """"did you mean 'Good'? " for a near miss of a grade's key or label, else ""."""
        close = nearest(normalise_grade(text), self.grades)
        labels = {grade.key: grade.label for grade in self.scale}
        return f"did you mean '{labels.get(self.grades[close], close)}'? " if close else ""

    def link(self, node: Node | None) -> str | None:
        text = self.text(node)
        if text is None:
            return None
        problem = markup.link_problem(text, schemes=("http", "https"))
        if problem:
            self.diagnostics.error(node.span, problem)
        return text

    def items(self, node: Node | None, build: Callable[[Node], object], kind: type = object) -> tuple:
        """Build each list item of the expected node kind; the schema check reported the others."""
        if not isinstance(node, Sequence):
            return ()
        return tuple(build(item) for item in node.items if isinstance(item, kind))

    def sections(self, node: Node | None, build: Callable[[Mapping], object]) -> tuple:
        """Pillars, front-matter sections or annexes, up to the report's limit on them."""
        built = []
        for item in node.items if isinstance(node, Sequence) else ():
            if isinstance(item, Mapping):
                if not self.budget.section(item.span):
                    break
                built.append(build(item))
        return tuple(built)

    # ---- structure -----------------------------------------------------------------------

    def area_for_improvement(self, node: Node) -> AreaForImprovement:
        if isinstance(node, Mapping):
            return AreaForImprovement(self.inline(node.get("text")), self.block(node.get("detail")), node.span)
        return AreaForImprovement(self.inline(node), None, node.span)

    def areas_for_improvement(self, node: Node | None) -> tuple[AreaForImprovement, ...]:
        areas = self.items(node, self.area_for_improvement)
        if areas:
            self.label("areas_for_improvement", node.span)  # the list's heading
        return areas

    def cause_of_concern(self, node: Mapping) -> CauseOfConcern:
        cause = CauseOfConcern(
            text=self.inline(node.get("text")),
            lead_in=self.inline(node.get("lead_in")),
            recommendations=self.items(node.get("recommendations"), self.inline, Scalar),
            span=node.span,
        )
        self.label("causes_of_concern", node.span)  # each cause's box has the heading
        if cause.recommendations and cause.lead_in is None:
            self.label("recommendations_lead_in", node.span)
        return cause

    def questions(self, node: Node | None) -> tuple[Question, ...]:
        if not isinstance(node, Sequence):
            return ()
        questions: list[Question] = []
        seen: dict[int, Span] = {}
        previous = 0
        for item in node.items:
            if not isinstance(item, Mapping):
                continue
            if not self.budget.question(item.span):
                break
            number_node = item.get("number")
            written = self.text(number_node)
            explicit = written is not None and QUESTION_NUMBER.fullmatch(written) is not None
            number = int(written) if explicit else previous + 1
            if written is None or explicit:  # an invalid number is reported once, by the schema check
                self.check_number(number, previous, number_node.span if explicit else item.span, seen)
            previous = number
            questions.append(self.question(item, number))
        return tuple(questions)

    def check_number(self, number: int, previous: int, span: Span, seen: dict[int, Span]) -> None:
        if number in seen:
            self.diagnostics.error(span, f"question number {number} is used twice in this pillar "
                                         f"(first at {seen[number]}); number each question once")
        elif number < previous:
            self.diagnostics.warning(span, f"question {number} comes after question {previous}; "
                                           "questions are usually in order")
        seen.setdefault(number, span)

    def question(self, node: Mapping, number: int) -> Question:
        return Question(
            number=number,
            title=self.inline(node.get("title")),
            grade=self.grade(node.get("grade")),
            carried_over=self.carried_over(node.get("carried_over")),
            areas_for_improvement=self.areas_for_improvement(node.get("areas_for_improvement")),
            causes_of_concern=self.items(node.get("causes_of_concern"), self.cause_of_concern, Mapping),
            findings=self.block(node.get("findings")),
            detailed_findings=self.detailed_findings(node.get("detailed_findings"), number),
            span=node.span,
            grade_span=_span(node.get("grade")),
        )

    def detailed_findings(self, node: Node | None, number: int) -> str | None:
        link = self.link(node)
        if link is not None:
            self.label("detailed_findings", node.span, number=str(number))
        return link

    def pillar(self, node: Mapping) -> Pillar:
        pillar = Pillar(
            title=self.inline(node.get("title")),
            question=self.inline(node.get("question")),
            grade=self.grade(node.get("grade")),
            updated=self.date(node.get("updated")),
            carried_over=self.carried_over(node.get("carried_over")),
            summary=self.block(node.get("summary")),
            areas_for_improvement=self.areas_for_improvement(node.get("areas_for_improvement")),
            causes_of_concern=self.items(node.get("causes_of_concern"), self.cause_of_concern, Mapping),
            findings=self.block(node.get("findings")),
            questions=self.questions(node.get("questions")),
            span=node.span,
            grade_span=_span(node.get("grade")),
        )
        if pillar.questions and pillar.title:  # the heading "Questions for <pillar title>"
            self.label("questions_for", node.span, repeats_values=True, pillar=pillar.title.plain)
        return pillar

    def section(self, node: Mapping) -> Section:
        return Section(self.inline(node.get("title")), self.block(node.get("body")), node.span)

    def report(self, root: Mapping, report_id: str) -> Report | None:
        """The report, or None when it is over the text limit (then nothing else is checked)."""
        if not self.budget.text_fits(root):
            return None
        status = self.text(root.get("status")) or "final"
        language = self.text(root.get("language")) or self.style.language
        self.read_in(language, root.get("language"))
        report = Report(
            id=report_id,
            title=self.inline(root.get("title")),
            subject=self.inline(root.get("subject")),
            programme=self.inline(root.get("programme")),
            published=self.date(root.get("published")),
            language=language,
            status=status,
            marking=self.free_text(root.get("marking")),
            version=self.version(root.get("version")),
            summary=self.block(root.get("summary")),
            front_matter=self.sections(root.get("front_matter"), self.section),
            pillars=self.sections(root.get("pillars"), self.pillar),
            annexes=self.sections(root.get("annexes"), self.section),
            source=self.file,
            span=root.span,
            numbered_questions=self.text(root.get("numbered_questions")) != "false",
            grade=self.grade(root.get("grade")),
            grade_span=_span(root.get("grade")),
            glossary=backmatter.glossary(self, root.get("glossary")),
            imprint=backmatter.imprint(self, root.get("imprint")),
            data_files=tuple(self.files.read) if self.files else (),
        )
        check_references(report, self.diagnostics, self.rich.unbuilt)  # (v2) notes and cross-references span the report
        return report


def _span(node: Node | None) -> Span | None:
    return node.span if node is not None else None


def report_id(root: Mapping, path: Path, file: str, diagnostics: Diagnostics) -> str | None:
    """The report's id from `id:` or the file stem; refused ids are errors, never renamed."""
    node = root.get("id")
    if isinstance(node, Scalar) and not node.is_null:
        problem = id_problem(node.value)
        if problem:
            if not written_id_problem(node.value):  # the schema check has reported the rest
                diagnostics.error(node.span, problem)
            return None
        return node.value
    stem = default_id(path)
    problem = id_problem(stem)
    if problem:
        diagnostics.error(Span(file, 1, 1), f"the file name gives the id '{stem}', which is refused: "
                                            f"{problem}; rename the file or add an `id:` key")
        return None
    return stem
