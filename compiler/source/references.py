"""The checks on a whole report's notes and cross-references (v2), once every text is parsed:
a note mark with no note, a note never marked, two notes or two tables (figures) of one name,
a cross-reference to a name no table (figure, chart) has. Each at its own LINE:COL.
"""
from __future__ import annotations


from ..diagnostics import Diagnostics, Span, nearest
from ..model import Chart, CrossRef, Figure, FootnoteDefinition, NoteRef, Report, Table, walk_nodes

KIND_WORDS = {"tbl": "table", "fig": "figure or chart"}


def check_references(report: Report, diagnostics: Diagnostics,
                     unbuilt: set[tuple[str, str]] | frozenset = frozenset()) -> None:
    """`unbuilt`: (kind, name) of tables, figures and charts left out for an error of their own."""
    notes: dict[str, Span] = {}
    targets: dict[str, dict[str, Span]] = {"tbl": {}, "fig": {}}
    note_refs: list[NoteRef] = []
    cross_refs: list[CrossRef] = []
    for node in walk_nodes(report):
        if isinstance(node, FootnoteDefinition):
            _claim(notes, node.name, node.span, diagnostics, f"note [^{node.name}]", "rename one of them")
        elif isinstance(node, (Table, Figure, Chart)) and node.name:
            kind = "tbl" if isinstance(node, Table) else "fig"
            _claim(targets[kind], node.name, node.span, diagnostics, f"the name '{kind}-{node.name}'",
                   f"give each {KIND_WORDS[kind]} its own name")
        elif isinstance(node, NoteRef):
            note_refs.append(node)
        elif isinstance(node, CrossRef):
            cross_refs.append(node)
    _check_cover_texts(report, diagnostics)
    referenced = {ref.name for ref in note_refs}
    for ref in note_refs:
        if ref.name not in notes:
            diagnostics.error(ref.span, f"the note [^{ref.name}] has no text{_nearest(ref.name, notes)}; add a "
                                        f"paragraph `[^{ref.name}]: TEXT` to block text of this report")
    for name, span in notes.items():
        if name not in referenced:
            diagnostics.warning(span, f"the note [^{name}] is never referred to; mark where it belongs with "
                                      f"[^{name}], or remove it")
    for ref in cross_refs:
        if ref.name not in targets[ref.kind] and (ref.kind, ref.name) not in unbuilt:
            diagnostics.error(ref.span, f"{ref.written} refers to no {KIND_WORDS[ref.kind]} of this report"
                                        f"{_nearest(ref.name, targets[ref.kind])}; name one with "
                                        + ("`{#tbl-NAME}` after its caption or `name:`" if ref.kind == "tbl"
                                           else "`name:`"))


def _check_cover_texts(report: Report, diagnostics: Diagnostics) -> None:
    """The title, subject and programme print on the cover, in running headers and in the
    document's properties, where no note can follow: a note marked there would vanish."""
    for field in ("title", "subject", "programme"):
        for node in walk_nodes(getattr(report, field)):
            if isinstance(node, NoteRef):
                diagnostics.error(node.span, f"a note cannot be marked in the report's `{field}:` (it prints on the "
                                             f"cover and in running headers, where no note follows); mark "
                                             f"[^{node.name}] in the text instead")


def _claim(seen: dict[str, Span], name: str, span: Span, diagnostics: Diagnostics, what: str, fix: str) -> None:
    if name in seen:
        diagnostics.error(span, f"{what} is used twice (first at {seen[name]}); {fix}")
    else:
        seen[name] = span


def _nearest(name: str, known: dict[str, Span]) -> str:
    close = nearest(name, known)
    return f" (did you mean '{close}'?)" if close else ""
