"""`reportc review REVIEWED.docx --apply`: the reviewer's tracked changes written back into the
source scalars they were made on.

    paragraph edits (edits.py) -> the scalar each falls in, located in its value (locate.py)
    -> value edits per scalar -> source text spliced in the scalar's own style (splice.py)
    -> the file parsed again: every edited scalar must read back as exactly the value wanted

A grade badge or glance cell replaced by another grade's label sets that `grade:`. Whatever
cannot be written back is a warning at its source position, never dropped; nothing outside the
project root is read or written.
"""
from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..diagnostics import Diagnostic, Diagnostics, Span
from .edits import ParagraphEdits, paragraph_edits
from .locate import NotFound, differs_beyond_changes, locate, normalized
from .splice import ValueEdit, edited_value, requoted, spliced
from ..records import dataclass

if TYPE_CHECKING:
    from ..source.yamltree import Node, Scalar
    from ..style.types import Style
    from .package import Package

GRADE_KINDS = ("grade", "glance grade")
_GENERATED_KINDS = ("contents entry",)
_DATA_SUFFIXES = (".csv",)  # a table's `csv:` file: its cells are marked at the CSV's own line
# A field path's parts: `[2]` or `.key`. An index has at most 9 ASCII digits, as reportc writes
# it: a path comes from a returned draft, and int() refuses a 5,000-digit one with a ValueError.
_PATH_PART = re.compile(r"\[([0-9]{1,9})\]|\.?([^.\[\]]+)")


@dataclass
class SourceFile:
    display: str  # as the draft names it (relative to the project root)
    path: Path
    text: str  # as read, without a byte order mark
    bom: bool
    tree: "Node"
    style: "Style | None"
    edits: dict[int, tuple["Scalar", list[ValueEdit], list[Span]]] = field(default_factory=dict)  # by start


@dataclass
class Plan:
    files: dict[str, SourceFile] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)  # file -> why it cannot be edited
    warnings: list[Diagnostic] = field(default_factory=list)
    applied: int = 0


def plan_changes(package: "Package", root: Path) -> Plan:
    plan = Plan()
    for paragraph in paragraph_edits(package):
        span = paragraph.mark.span if paragraph.mark is not None else Span(package.map.source, 1, 1)
        problem = _plan_paragraph(plan, paragraph, span, root, package.map.source)
        if problem:
            plan.warnings.append(Diagnostic("warning", span, f"not applied: {problem}"))
    return plan


def _plan_paragraph(plan: Plan, paragraph: ParagraphEdits, span: Span, root: Path,
                    report: str | None = None) -> str | None:
    for problem in paragraph.problems:
        plan.warnings.append(Diagnostic("warning", span, f"not applied: {problem}"))
    if not paragraph.edits or paragraph.problems:
        return None
    described = _describe(paragraph)
    if paragraph.mark is None:
        return f"{described} is on text that carries no source position (pasted, moved or untracked text)"
    if paragraph.mark.kind in _GENERATED_KINDS or _style_lead_in(paragraph.mark):
        return f"{described} is on text the draft generates ({paragraph.mark.kind}), not on source text"
    if Path(span.file).suffix.lower() in _DATA_SUFFIXES:
        return (f"{described} is in a table cell read from the data file '{span.file}'; --apply does not "
                f"write data files back: edit the cell in that file by hand")
    if report is not None and span.file != report:  # wording the style prints (an imprint), not the report
        return (f"{described} is in text from the style file '{span.file}', which every report in that style "
                f"prints; --apply does not write styles back: edit that file by hand")
    source = _source(plan, span.file, root)
    if source is None:
        return f"{described}: {plan.broken[span.file]}"
    if paragraph.mark.kind in GRADE_KINDS:
        return _plan_grade(source, paragraph, span, described)
    return _plan_text(plan, source, paragraph, span, described)


def _style_lead_in(mark) -> bool:
    """A cause of concern without `lead_in:` prints the style's lead-in, marked at the cause's text."""
    return mark.kind == "lead-in" and bool(mark.span.path) and not mark.span.path.endswith("lead_in")


def _describe(paragraph: ParagraphEdits) -> str:
    before, after = _around_difference(" ".join(paragraph.before.split()), " ".join(paragraph.after.split()))
    return f'the change of "{_shorten(before)}" to "{_shorten(after)}"'


def _around_difference(before: str, after: str, context: int = 20) -> tuple[str, str]:
    """Both texts from a little before where they first differ: two long paragraphs cut at the
    same length would read alike in a message."""
    if len(before) <= 60 and len(after) <= 60:
        return before, after
    same = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
    start = max(0, same - context)
    lead = "\u2026" if start else ""
    return lead + before[start:], lead + after[start:]


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _plan_grade(source: SourceFile, paragraph: ParagraphEdits, span: Span, described: str) -> str | None:
    scalar = _at_path(source.tree, span.path)
    if not _is_scalar(scalar) or not span.path.endswith("grade"):
        return f"{described}: this grade is not written in the source; add `grade:` by hand"
    wanted = " ".join(paragraph.after.split()).casefold()
    grades = source.style.grades if source.style is not None else ()
    key = next((g.key for g in grades if wanted in (g.label.casefold(), g.key.casefold())), None)
    if key is None:
        names = ", ".join(f'"{g.label}"' for g in grades)
        return f'{described}: "{_shorten(paragraph.after)}" is not a grade of the report\'s style ({names})'
    _add(source, scalar, [(0, len(scalar.value), key)], span)
    return None


def _plan_text(plan: Plan, source: SourceFile, paragraph: ParagraphEdits, span: Span, described: str) -> str | None:
    why = "the text in the draft is not in the source (was the source edited since the draft?)"
    for scalar in _candidates(source, span):
        try:
            edits = locate(paragraph.before, paragraph.edits, scalar.value, _distance(scalar, span))
        except NotFound as problem:
            why = str(problem)
            continue
        _add(source, scalar, edits, span)
        if paragraph.mark.kind in _SOURCE_TEXT_KINDS and differs_beyond_changes(paragraph.before, scalar.value):
            plan.warnings.append(Diagnostic("warning", span, _UNTRACKED))
        return None
    return f"{described}: {why}"


# Paragraphs whose text is all source text: a difference from the source beyond their tracked
# changes is a reviewer's, not a number or label the draft adds (a heading's number, "Table 2: ")
_SOURCE_TEXT_KINDS = ("body", "summary", "list item", "table cell", "footnote", "table-note")
_UNTRACKED = ("this paragraph also differs from the source where no tracked change shows it (text edited with "
              "change tracking off, or a change accepted in the draft): only its tracked changes are written "
              "back; make the rest by hand")


def _add(source: SourceFile, scalar: "Scalar", edits: list[ValueEdit], span: Span) -> None:
    entry = source.edits.setdefault(scalar.start, (scalar, [], []))
    entry[1].extend(edits)
    entry[2].append(span)


def _distance(scalar: "Scalar", span: Span):
    def distance(offset: int) -> int:
        at = scalar.position(offset)
        return abs(at.line - span.line) * 100_000 + abs(at.col - span.col)
    return distance


# ---- the sources ---------------------------------------------------------------------------


def _source(plan: Plan, file: str, root: Path) -> SourceFile | None:
    if file in plan.files:
        return plan.files[file]
    if file not in plan.broken:
        loaded = _load_source(file, root)
        if isinstance(loaded, str):
            plan.broken[file] = loaded
        else:
            plan.files[file] = loaded
    return plan.files.get(file)


def _load_source(file: str, root: Path) -> SourceFile | str:
    from ..build.load import load_report
    from ..source.paths import Roots
    from ..source.yamltree import load_file
    from ..style.loader import StyleLoader

    roots = Roots.at(root)
    path = (roots.project / file).resolve() if file else roots.project
    if not file or not path.is_relative_to(roots.project) or path.suffix.lower() not in (".yaml", ".yml"):
        return f"the draft names the source '{file}', which is not a YAML file inside the project root " \
               f"{roots.project}; run the command from the project root or give --root"
    if not path.is_file():
        return f"the source '{file}' does not exist under {roots.project}; give the project root with --root"
    loaded = load_report(path, roots, StyleLoader(roots))
    if not loaded.ok:
        return f"the source '{file}' is not valid now; fix it first (reportc validate {file})"
    tree = load_file(path, file, Diagnostics())
    data = path.read_bytes()
    return SourceFile(file, path, _text_of(tree) or data.decode("utf-8-sig"), data.startswith(b"\xef\xbb\xbf"),
                      tree, loaded.style)


def _text_of(tree: "Node") -> str | None:
    for scalar in _scalars(tree):
        if scalar.lines is not None:
            return scalar.lines.text
    return None


def _scalars(node: "Node") -> Iterator["Scalar"]:
    """Every value scalar under `node` (keys left out), in source order."""
    from ..source.yamltree import Mapping, Scalar, Sequence

    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, Scalar):
            yield current
        elif isinstance(current, Mapping):
            pending += reversed([value for _, value in current.entries.values()])
        elif isinstance(current, Sequence):
            pending += reversed(current.items)


def _is_scalar(node) -> bool:
    from ..source.yamltree import Scalar

    return isinstance(node, Scalar)


def _at_path(tree: "Node", path: str) -> "Node | None":
    from ..source.yamltree import Mapping, Sequence

    node, end = tree, 0
    for match in _PATH_PART.finditer(path or ""):
        if match.start() != end:  # something no part matches (`[x]`, a 10-digit index): no such field
            return None
        index, key, end = *match.groups(), match.end()
        if index is not None and isinstance(node, Sequence) and int(index) < len(node.items):
            node = node.items[int(index)]
        elif key is not None and isinstance(node, Mapping) and key in node.entries:
            node = node.entries[key][1]
        else:
            return None
    return node if path and end == len(path) else None


def _candidates(source: SourceFile, span: Span) -> list["Scalar"]:
    """The scalars a mark may point into: the one at its field path (or each scalar under it),
    else the one whose source holds the mark's line and column."""
    node = _at_path(source.tree, span.path)
    if node is not None:
        return [scalar for scalar in _scalars(node) if scalar.value]
    found = []
    for scalar in _scalars(source.tree):
        if scalar.lines is None or span.line > len(scalar.lines.starts):
            continue
        index = scalar.lines.starts[span.line - 1] + span.col - 1
        if scalar.start <= index <= scalar.end and scalar.value:
            found.append(scalar)
    return found


# ---- writing the edits into the text ---------------------------------------------------------


def edited_text(source: SourceFile, warnings: list[Diagnostic]) -> tuple[str, int]:
    """The file's new text and how many scalars changed: each scalar spliced in its own style,
    else written again double-quoted, and kept only when the file reads it back as wanted."""
    attempts = {start: [spliced(scalar, edits), None] for start, (scalar, edits, _) in source.edits.items()}
    wanted = {}
    for start, (scalar, edits, spans) in source.edits.items():
        if _overlap(edits):
            attempts[start] = [None, None]
            warnings.append(Diagnostic("warning", spans[0], "not applied: two changes overlap in this text"))
            continue
        wanted[start] = edited_value(scalar.value, edits)
        if scalar.style in ("", "'", '"'):
            attempts[start][1] = requoted(wanted[start])
    chosen = {start: pair[0] for start, pair in attempts.items() if pair[0] is not None}
    for round_ in range(2):
        tree = _parse(_with(source, chosen), source.display)
        wrong = [start for start in chosen if _read_back(tree, source, start) != wanted.get(start)]
        for start in wrong:
            fallback = attempts[start][1] if round_ == 0 else None
            if fallback is not None and chosen[start] != fallback:
                chosen[start] = fallback
            else:
                del chosen[start]
        if not wrong:
            break
    for start, (scalar, edits, spans) in source.edits.items():
        if start not in chosen and start in wanted:
            warnings.append(Diagnostic("warning", spans[0], "not applied: the changed text cannot be written "
                                                             "in this scalar's style; edit the source by hand"))
    text = _with(source, chosen)
    tree = _parse(text, source.display)
    if any(_read_back(tree, source, start) != wanted[start] for start in chosen):
        return source.text, 0  # never write what does not read back as wanted
    return text, len(chosen)


def _overlap(edits: list[ValueEdit]) -> bool:
    ordered = sorted(edits)
    return any(ordered[i][1] > ordered[i + 1][0] for i in range(len(ordered) - 1))


def _with(source: SourceFile, chosen: dict[int, str]) -> str:
    text = source.text
    for start in sorted(chosen, reverse=True):
        scalar = source.edits[start][0]
        text = text[:scalar.start] + chosen[start] + text[scalar.end:]
    return text


def _parse(text: str, display: str) -> "Node | None":
    from ..source.yamltree import load_bytes

    return load_bytes(text.encode("utf-8"), display, Diagnostics())


def _read_back(tree: "Node | None", source: SourceFile, start: int) -> str | None:
    """The value the edited file gives the scalar's field, or None when it no longer parses."""
    node = _at_path(tree, source.edits[start][0].span.path) if tree is not None else None
    return node.value if _is_scalar(node) else None


def report_counts(plan: Plan) -> Iterator[tuple[SourceFile, str, int]]:
    """(file, new text, scalars changed) for each source with edits; warnings go to the plan."""
    for source in plan.files.values():
        if source.edits:
            text, changed = edited_text(source, plan.warnings)
            yield source, text, changed
