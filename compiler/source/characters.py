"""The characters no source text may hold, in one place: sources, CSV files, file names and
command-line names alike (Word's XML and PDF text cannot hold them either)."""
from __future__ import annotations

import re
import unicodedata

# Unicode categories Cc (controls) and Cs (surrogates), except tab, newline and carriage return,
# and the noncharacters U+FFFE and U+FFFF, which libyaml refuses without a position.
# One regex pass instead of a per-character loop: a 2 MB source is scanned in milliseconds.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def char_name(char: str) -> str:
    kinds = {"Cc": "control", "Cs": "surrogate"}
    return unicodedata.name(char, kinds.get(unicodedata.category(char), "noncharacter"))


def described(char: str) -> str:
    """A forbidden character in a message: "control character U+0001 (control)"."""
    kind = "character" if char in "\ufffe\uffff" else "control character"
    return f"{kind} U+{ord(char):04X} ({char_name(char)})"


def forbidden_in(text: str) -> str | None:
    """What is wrong with `text` for a name Word's XML must hold, in words, or None."""
    found = FORBIDDEN.search(text)
    return f"holds the {described(found.group())}" if found else None
