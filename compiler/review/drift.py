"""A draft whose sources changed since it was built: warn, and move each source mark to where the
text it marks is now.

The draft records the SHA-256 of its source and style files (build/fingerprints.py). When a file
differs now, each mark in it is looked up again by the text of the paragraph it marks, in the
current source (the same rendering of values as `--apply` uses); a mark whose text is found
once, or nearest its recorded position when repeated, moves there; one not found keeps its
recorded position, with a warning. Remarks and `--apply` then both use the moved marks.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..diagnostics import Diagnostics, Span
from ..build.fingerprints import located, sha256_of
from .locate import normalized, rendered
from .package import Package
from .wordml import w

_PATH_PART = re.compile(r"\[[0-9]+\]|[^.\[\]]+")


def checked(package: Package, root: Path) -> Package:
    """`package` with its marks moved to the current sources, and a warning per changed file."""
    changed = [name for name, digest in package.map.inputs
               if sha256_of(located(name, root)) not in (digest, None)]
    if not changed:  # a source not found (reviewed away from the project) cannot be checked: no noise
        return package
    warnings = [f"{name} changed since the draft was built; remarks are placed by the text they were made on"
                for name in changed]
    marks = dict(package.map.marks)
    texts = _paragraph_texts(package)
    for name in changed:
        moved, lost = _remap(name, root, marks, texts)
        marks.update(moved)
        if lost:
            warnings.append(f"{lost:,} source mark{'s' if lost != 1 else ''} in {name} could not be found in its "
                            f"current text; remarks on {'them' if lost != 1 else 'it'} keep the recorded position, "
                            f"which may be off")
    return replace(package, map=replace(package.map, marks=marks), warnings=package.warnings + tuple(warnings))


def _paragraph_texts(package: Package) -> dict[str, str]:
    """Mark name -> the normalized text of the paragraph it marks, as the draft was (deletions kept)."""
    texts = {}
    for start in (start for root in package.stories() for start in root.iter(w("bookmarkStart"))):
        name = start.get(w("name"), "")
        paragraph = next(start.iterancestors(w("p")), None)
        if name in package.map.marks and paragraph is not None:
            raw = "".join((node.text or "") if node.tag != w("tab") else " "
                          for node in paragraph.iter(w("t"), w("delText"), w("tab"))
                          if not any(a.tag in (w("ins"), w("moveTo")) for a in node.iterancestors()))
            texts[name] = normalized(raw, range(len(raw)))[0].strip()
    return texts


def _remap(file: str, root: Path, marks: dict, texts: dict[str, str]) -> tuple[dict, int]:
    from .apply import _scalars  # the value scalars of a tree, in source order

    tree = _current_tree(located(file, root), file)
    mine = {name: mark for name, mark in marks.items() if mark.span.file == file}
    if tree is None:
        return {}, len(mine)
    values = [(scalar, *rendered(scalar.value)) for scalar in _scalars(tree) if scalar.value]
    moved, lost = {}, 0
    for name, mark in mine.items():
        span = _found(texts.get(name, ""), values, mark.span) or _by_path(tree, mark.span)
        if span is None:
            lost += 1
        else:
            moved[name] = replace(mark, span=span)
    return moved, lost


def _current_tree(path: Path | None, file: str):
    """The file a draft names, parsed as it is now; None when it is missing, too large or not a
    regular file (a FIFO planted under a recorded name would block the read forever)."""
    from ..build.safefile import read_regular
    from ..source.yamltree import MAX_SOURCE_BYTES, load_bytes

    try:
        data = read_regular(path, MAX_SOURCE_BYTES, follow=True) if path is not None else None
    except (OSError, ValueError):
        return None
    return load_bytes(data, file, Diagnostics()) if data is not None else None


def _by_path(tree, recorded: Span) -> Span | None:
    """A mark on text the draft words itself (a grade's label) stays on its field, found by path."""
    from .apply import _at_path

    node = _at_path(tree, recorded.path) if recorded.path else None
    return Span(recorded.file, node.span.line, node.span.col, recorded.path) if node is not None else None


def _found(text: str, values: list, recorded: Span) -> Span | None:
    """Where `text` is now: the occurrence nearest the recorded position (a heading's generated
    number left out)."""
    found = _nearest(text, values, recorded)
    numbered = _NUMBER.match(text)
    return found if found is not None or not numbered else _nearest(text[numbered.end():], values, recorded)


_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)*\.? ")


def _nearest(text: str, values: list, recorded: Span) -> Span | None:
    best, best_distance = None, None
    for scalar, shown, offsets in values:
        at = shown.find(text) if text else -1
        while at >= 0:
            span = scalar.position(offsets[at])
            distance = abs(span.line - recorded.line) * 100_000 + abs(span.col - recorded.col)
            if best_distance is None or distance < best_distance:
                best, best_distance = _as_recorded(span, recorded), distance
            at = shown.find(text, at + 1)
    return best


def _as_recorded(span: Span, recorded: Span) -> Span:
    """A mark on a whole entry (a question's heading marks the question) stays on the entry: its
    field path keeps the recorded depth and its column the recorded one."""
    parts, depth = _PATH_PART.findall(span.path), len(_PATH_PART.findall(recorded.path))
    if recorded.path and len(parts) > depth:
        trimmed = "".join(part if part.startswith("[") or not index else "." + part
                          for index, part in enumerate(parts[:depth]))
        return Span(span.file, span.line, recorded.col, trimmed)
    return Span(span.file, span.line, span.col, span.path or recorded.path)
