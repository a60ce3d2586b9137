"""A paragraph that introduces a list ("... by:") never ends a page with the list overleaf: it
goes on with the list's first item (`keeping.LeadIn`), in the findings and inside a box that
splits across pages (northshire-peel-2021, page 13: "The force has started to improve its
performance by:" was the last line of its page, its numbered list on the next). And a list's
one-line last item never heads a page alone (`keeping.ListEnd`; prison, page 8: "fights: 189.")."""
from __future__ import annotations

import pytest

from tests.test_pdf_boxes import pages_of

LEAD = "The force has started to improve its performance by:"
FIRST = "recruiting more call handlers, the first of whom started work in May;"
SENTENCE = "The force should improve how it records and investigates crime reported by victims. "


def findings(fillers: int, indent: str) -> str:
    lines = "".join(f"{indent}Short line number {n} of the findings.\n\n" for n in range(fillers))
    return (lines + f"{indent}{LEAD}\n\n{indent}1. {FIRST}\n{indent}2. introducing a call-back facility; and\n"
            f"{indent}3. moving some enquiries online.\n")


def plain(fillers: int) -> str:
    return ("title: T\nsubject: S\npillars:\n  - title: Effectiveness\n    grade: good\n    questions:\n"
            "      - title: How good is the force at responding to the public?\n        grade: good\n"
            "        findings: |\n" + findings(fillers, "          "))


def boxed(fillers: int) -> str:
    """The lead-in in an area for improvement's detail, in a box too tall to be kept whole."""
    return ("title: T\nsubject: S\npillars:\n  - title: Effectiveness\n    grade: good\n    questions:\n"
            "      - title: How good is the force at responding to the public?\n        grade: good\n"
            "        areas_for_improvement:\n          - text: The force should answer calls faster.\n"
            "            detail: |\n" + findings(fillers, "              "))


def lead_and_first_pages(pages: list[str]) -> tuple[int, int]:
    lead = next(index for index, text in enumerate(pages) if LEAD in text)
    first = next(index for index, text in enumerate(pages) if FIRST in text)
    return lead, first


@pytest.mark.parametrize("make, fillers", [(plain, range(44, 52)), (boxed, range(40, 50))])
def test_a_lead_in_is_never_left_at_a_page_foot_without_its_list(tmp_path, make, fillers):
    placed = {count: lead_and_first_pages(pages_of(tmp_path, make(count))) for count in fillers}
    assert len({lead for lead, _ in placed.values()}) > 1  # the fillers take it past a page foot
    assert all(lead == first for lead, first in placed.values()), placed


LAST = "fights: 189."


def listed(fillers: int) -> str:
    lines = "".join(f"          Short line number {n} of the findings.\n\n" for n in range(fillers))
    return ("title: T\nsubject: S\npillars:\n  - title: Effectiveness\n    grade: good\n    questions:\n"
            "      - title: How good is the force at responding to the public?\n        grade: good\n"
            "        findings: |\n" + lines + "          - assaults on staff: 211;\n"
            "          - assaults on prisoners: 401;\n            - of which serious: 58;\n"
            f"            - involving weapons: 23;\n          - {LAST}\n")


def test_a_one_line_last_item_never_heads_a_page_alone(tmp_path):
    placed = {}
    for count in range(44, 54):
        pages = pages_of(tmp_path, listed(count))
        before = next(index for index, text in enumerate(pages) if "involving weapons: 23;" in text)
        placed[count] = (before, next(index for index, text in enumerate(pages) if LAST in text))
    assert len({last for _, last in placed.values()}) > 1  # the fillers take it past a page foot
    assert all(before == last for before, last in placed.values()), placed
