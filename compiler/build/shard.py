"""--shard K/N: a stable partition of a batch, so N CI jobs split it and each builds its part.

Sources are ranked by the SHA-256 of their path relative to the project root and dealt out
round-robin. The partition depends only on the set of sources, never on the order they were
found or listed in, so every job of a matrix computes the same one; dealing by rank (rather
than hash modulo N) keeps the shards within one source of each other in size.
"""
from __future__ import annotations

import hashlib
import re
from typing import Sequence, TypeVar

from ..diagnostics import excerpt
from ..records import dataclass

T = TypeVar("T")
# ASCII digits only: \d would take Arabic-Indic or fullwidth digits, which no CI matrix writes
# and which int() would quietly accept.
_FORM = re.compile(r"([0-9]+)/([0-9]+)\Z", re.ASCII)
MAX_SHARDS = 10_000  # far beyond any CI matrix (GitHub allows 256 jobs); keeps int() on short digit strings


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as CI matrices count
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse(text: str) -> Shard:
    """'2/3' -> Shard(2, 3); ValueError with a message a user can act on."""
    match = _FORM.match(text)
    if not match:
        raise ValueError(f"--shard takes K/N in ASCII digits, such as 1/4; got {excerpt(text, 40)!r}")
    digits = [part.lstrip("0") or "0" for part in match.groups()]  # int() refuses over 4,300 digits, zeros too
    if any(len(part) > len(str(MAX_SHARDS)) for part in digits):
        raise ValueError(f"--shard {excerpt(text, 40)}: K and N are at most {MAX_SHARDS:,}")
    index, count = int(digits[0]), int(digits[1])
    if count > MAX_SHARDS:
        raise ValueError(f"--shard {index}/{count}: N is at most {MAX_SHARDS:,}")
    if not 1 <= index <= count:
        raise ValueError(f"--shard {index}/{count}: K must be between 1 and N")
    return Shard(index, count)


def select(items: Sequence[T], names: Sequence[str], shard: Shard) -> list[T]:
    """The items of this shard, in their original order; names[i] is items[i]'s stable name."""
    ranked = sorted(range(len(items)), key=lambda i: (hashlib.sha256(names[i].encode()).digest(), names[i]))
    mine = set(ranked[shard.index - 1::shard.count])
    return [item for i, item in enumerate(items) if i in mine]
