"""One of reportlab's regular expressions compiled when first used instead of on import.

`reportlab.platypus.paragraph` compiles, as it is imported, the pattern it uses to break long
URLs at their slashes (`uri_pat`, used only when a paragraph style hyphenates). Its
case-insensitive ranges over the whole Basic Multilingual Plane make Python's regular-expression
compiler fold every one of 65,000 characters: 12 to 25 ms, about a twentieth of a typical report's
whole PDF build, paid by every process and batch worker for a pattern reportc's paragraphs never
reach (issue 18).

`re.compile` returns what its cache holds for a pattern: before reportlab is first imported, the
cache holds a stand-in for that one pattern, which compiles it the first time it is used. A
reportlab whose pattern differs, or a Python whose cache works otherwise, compiles it on import
as before: the stand-in only saves time, and nothing depends on it being used.
"""
from __future__ import annotations

import re

# reportlab 4's `uri_pat` (derived from Django's URL validator), exactly as paragraph.py writes it.
REPORTLAB_URI_PATTERN = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
    "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
    "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}(?<!-))*"
    "\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))(?::\\d{2,5})?"
    "(?:[/?#][^\\s]*)?\\Z")
REPORTLAB_URI_FLAGS = re.IGNORECASE


class DeferredPattern:
    """A compiled pattern's stand-in: every attribute (`match`, `search`, `pattern`...) is the
    compiled pattern's, compiled on first use."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        return getattr(self.compiled(), name)

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            pattern, flags = self._source
            # UNICODE is what a text pattern has anyway; asked for, it is another key in the
            # cache, which would otherwise hand back this stand-in.
            self._compiled = re.compile(pattern, flags | re.UNICODE)
        return self._compiled

    def __repr__(self) -> str:
        return f"DeferredPattern({self._source[0][:40]!r}..., {self._source[1]!r})"


def defer_reportlab_uri_pattern() -> None:
    """Put the stand-in where `re.compile` will find it for reportlab's `uri_pat`; call it before
    reportlab.platypus is first imported (later, it changes nothing)."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return
    key = (str, REPORTLAB_URI_PATTERN, int(REPORTLAB_URI_FLAGS))
    cache.setdefault(key, DeferredPattern(REPORTLAB_URI_PATTERN, REPORTLAB_URI_FLAGS))
