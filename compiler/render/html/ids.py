"""Layout anchors -> the page's element ids, stable across rebuilds.

Layout names a question `pillar-1-question-2`; published inspection pages link to it as
`#question-2` (the detailed-findings links of the seed page end that way), so the HTML edition
uses that short form. Question numbers are unique within a pillar, not within a report: the
first question with a number keeps `question-N`, a later one with the same number keeps layout's
long form. Pillars and sections keep layout's anchors (`pillar-1`, `summary`, `annex-2`).

The page's own ids (the skip link's target, the contents) use names layout never makes.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

from ...layout import blocks

MAIN_ID = "content"
CONTENTS_ID = "contents"
CONTENTS_TITLE_ID = "contents-title"
_QUESTION_ANCHOR = re.compile(r"pillar-\d+-question-(\d+)\Z")
PAGE_IDS = frozenset({MAIN_ID, CONTENTS_ID, CONTENTS_TITLE_ID})


def element_ids(body: Iterable[blocks.Block]) -> Mapping[str, str]:
    """Anchor -> id for every heading anchor, in reading order; ids are unique."""
    ids: dict[str, str] = {}
    taken = set(PAGE_IDS)
    for heading in blocks.headings(body):
        anchor = heading.anchor
        if anchor is None or anchor in ids:
            continue
        match = _QUESTION_ANCHOR.match(anchor)
        short = f"question-{match.group(1)}" if match else anchor
        chosen = short if short not in taken else anchor
        while chosen in taken:  # never for layout's anchors; kept so ids stay unique whatever comes
            chosen += "-x"
        ids[anchor] = chosen
        taken.add(chosen)
    return ids
