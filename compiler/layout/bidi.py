"""Bidirectional controls in user text, closed where the text ends.

An explicit embedding, override or isolate opened inside a value (a right-to-left override typed
into `marking`, say) and never closed runs on over whatever follows it on the line: in a running
header, over the subject and the page number. Each value shown beside other text is therefore
closed at its own end, and a closer with nothing to close is dropped, so a value can neither
leak its direction into its neighbours nor close one of theirs.
"""
from __future__ import annotations

EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: closed by PDF
POP_DIRECTIONAL_FORMATTING = "\u202c"
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: closed by PDI
POP_DIRECTIONAL_ISOLATE = "\u2069"


def balance_bidi(text: str) -> str:
    """`text` with every opened embedding, override and isolate closed at its end (UAX #9 rules:
    a PDI also closes the embeddings opened inside its isolate), and unmatched closers removed."""
    if not any(c in EMBEDDINGS or c in ISOLATES or c in (POP_DIRECTIONAL_FORMATTING, POP_DIRECTIONAL_ISOLATE)
               for c in text):
        return text
    kept: list[str] = []
    stack: list[str] = []  # "e" for an embedding or override, "i" for an isolate
    for character in text:
        if character in EMBEDDINGS:
            stack.append("e")
        elif character in ISOLATES:
            stack.append("i")
        elif character == POP_DIRECTIONAL_FORMATTING:
            if not stack or stack[-1] != "e":
                continue  # nothing of this value's to close
            stack.pop()
        elif character == POP_DIRECTIONAL_ISOLATE:
            if "i" not in stack:
                continue
            while stack.pop() != "i":
                pass
        kept.append(character)
    closers = [POP_DIRECTIONAL_ISOLATE if kind == "i" else POP_DIRECTIONAL_FORMATTING for kind in reversed(stack)]
    return "".join(kept + closers)
