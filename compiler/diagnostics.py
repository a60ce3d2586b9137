"""Source spans and diagnostics: the one vocabulary every stage uses to report problems.

Diagnostics are values. Stages collect them in a `Diagnostics` and carry on, so a
writer sees every problem of a run at once; exceptions are reserved for bugs and I/O.
"""
from __future__ import annotations

import os
import re
from dataclasses import field
from typing import Callable, Iterator, Literal

from .records import dataclass

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Span:
    """A position in a source file: 1-based line and column, and the field there, such as
    `pillars[0].questions[2].findings` (empty where no field applies)."""

    file: str
    line: int = 1
    col: int = 1
    path: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


EXCERPT_CHARACTERS = 60
# Characters that must not reach a terminal or a line-reading tool raw: line breaks would forge
# extra lines, other C0/C1 controls drive the terminal, bidi controls reorder what is shown, and
# invisible ones (zero-width spaces and joiners, the word joiner, a byte order mark) would hide
# what a message is about.
_UNTRUSTED = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _escape(match: re.Match) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def escape_untrusted(text: str) -> str:
    """`text` on one line with every control, line break and bidi control written as an escape
    (`\\n`, `\\x1b`, `\\u202e`): the one rule for anything printed from untrusted input."""
    return _UNTRUSTED.sub(_escape, text)


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """"1 cell", "2 cells", "3 categories": a count in a message, in words a reader expects."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


def nearest(word: str, known, cutoff: float = 0.6) -> str | None:
    """The one of `known` closest to `word` (a misspelt key, grade or name), or None: for a
    message's "did you mean". difflib is imported only when there is a message to write."""
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return close[0] if close else None


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """Text quoted in a message, shortened: a 2 MB value must not become a 2 MB error line."""
    return text if len(text) <= limit else f"{text[:limit - 1]}…"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    span: Span
    message: str

    def format(self) -> str:
        """One line, whatever a file name or a quoted value holds: tools read diagnostics by line."""
        return escape_untrusted(f"{self.span}: {self.severity}: {self.message}")

    def sort_key(self) -> tuple:
        return (self.span.file, self.span.line, self.span.col, self.message)


# Shown per file and severity: a file with 350,000 unknown keys (or a font missing 650,000
# glyphs) is fixed from its first problems, and must not print 70 MB. The rest are counted.
MAX_SHOWN_PER_FILE = 100


@dataclass
class Diagnostics:
    """Collects diagnostics from every stage of one source's build."""

    items: list[Diagnostic] = field(default_factory=list)
    hidden: dict[tuple[str, str], int] = field(default_factory=dict)  # (file, severity) -> not kept
    _shown: dict[tuple[str, str], int] = field(default_factory=dict, repr=False, compare=False)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False, compare=False)

    def error(self, span: Span, message: str) -> None:
        self.add(Diagnostic("error", span, message))

    def warning(self, span: Span, message: str) -> None:
        self.add(Diagnostic("warning", span, message))

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic in self._seen:  # one problem at one place, found by two renderers: once
            return
        self._seen.add(diagnostic)
        key = (diagnostic.span.file, diagnostic.severity)
        shown = self._shown.get(key, 0)
        if shown >= MAX_SHOWN_PER_FILE:
            self.hidden[key] = self.hidden.get(key, 0) + 1
            return
        self._shown[key] = shown + 1
        self.items.append(diagnostic)

    def full(self, file: str, severity: str = "error") -> bool:
        """True when no more diagnostics of this kind are shown for `file`: a stage may then skip
        composing an expensive message (a did-you-mean), as it is only counted."""
        return self._shown.get((file, severity), 0) >= MAX_SHOWN_PER_FILE

    def extend(self, other: "Diagnostics") -> None:
        for item in other.items:
            self.add(item)
        for key, count in other.hidden.items():
            self.hidden[key] = self.hidden.get(key, 0) + count

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items) or any(
            severity == "error" for _, severity in self.hidden)

    @property
    def error_count(self) -> int:
        """Every error found, shown or not (see MAX_SHOWN_PER_FILE)."""
        return len(self.errors) + sum(count for (_, severity), count in self.hidden.items() if severity == "error")

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def promote_warnings(self) -> None:
        """--strict: every warning becomes an error."""
        self.items = [Diagnostic("error", d.span, d.message) for d in self.items]
        self.hidden, self._shown = _as_errors(self.hidden), _as_errors(self._shown)

    def promote_where(self, refused: Callable[[str], bool]) -> None:
        """The warnings whose message `refused` picks become errors: what one format cannot print
        (an empty box in a PDF) is an error when that format is built, a warning otherwise."""
        for index, item in enumerate(self.items):
            if item.severity == "warning" and refused(item.message):
                self.items[index] = Diagnostic("error", item.span, item.message)
                file = item.span.file
                self._shown[(file, "warning")] = max(0, self._shown.get((file, "warning"), 0) - 1)
                self._shown[(file, "error")] = self._shown.get((file, "error"), 0) + 1

    def sorted(self) -> list[Diagnostic]:
        """Each file's diagnostics in position order, then one line per severity saying how many
        more that file has (see MAX_SHOWN_PER_FILE)."""
        ordered = sorted(dict.fromkeys(self.items), key=Diagnostic.sort_key)
        if not self.hidden:
            return ordered
        last_of_file = {item.span.file: index for index, item in enumerate(ordered)}
        summaries: dict[int, list[Diagnostic]] = {}
        for (file, severity), count in sorted(self.hidden.items()):
            at = last_of_file.get(file, len(ordered) - 1)
            span = ordered[at].span if 0 <= at < len(ordered) else Span(file)
            noun = "error" if severity == "error" else "warning"
            summaries.setdefault(at, []).append(Diagnostic(severity, span, (
                f"{count:,} more {noun}{'s' if count != 1 else ''} in this file not shown (only the first "
                f"{MAX_SHOWN_PER_FILE} of each kind are); fix these and run again")))
        result = []
        for index, item in enumerate(ordered):
            result.append(item)
            result += summaries.get(index, [])
        return result + summaries.get(-1, [])

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.items)


def _as_errors(counts: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    merged: dict[tuple[str, str], int] = {}
    for (file, _), count in counts.items():
        merged[(file, "error")] = merged.get((file, "error"), 0) + count
    return merged


def internal_error(error: Exception, doing: str) -> str:
    """The message for a bug in reportc met while `doing` (building, checking) one source: said
    briefly, as an error of that source; REPORTC_DEBUG=1 prints the traceback too."""
    if os.environ.get("REPORTC_DEBUG"):
        import traceback

        traceback.print_exc()
    return (f"internal error while {doing} ({type(error).__name__}: {error}); please report it "
            "(REPORTC_DEBUG=1 shows details)")
