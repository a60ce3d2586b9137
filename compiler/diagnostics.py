"""Source spans and diagnostics: the one vocabulary every stage uses to report problems.

Diagnostics are values. Stages collect them in a `Diagnostics` and carry on, so a
writer sees every problem of a run at once; exceptions are reserved for bugs and I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Literal

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
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _escape(match: re.Match) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


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
        return _LINE_BREAKS.sub(_escape, f"{self.span}: {self.severity}: {self.message}")

    def sort_key(self) -> tuple:
        return (self.span.file, self.span.line, self.span.col, self.message)


@dataclass
class Diagnostics:
    """Collects diagnostics from every stage of one source's build."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, span: Span, message: str) -> None:
        self.items.append(Diagnostic("error", span, message))

    def warning(self, span: Span, message: str) -> None:
        self.items.append(Diagnostic("warning", span, message))

    def extend(self, other: "Diagnostics") -> None:
        self.items.extend(other.items)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def promote_warnings(self) -> None:
        """--strict: every warning becomes an error."""
        self.items = [Diagnostic("error", d.span, d.message) for d in self.items]

    def sorted(self) -> list[Diagnostic]:
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=Diagnostic.sort_key)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.items)
