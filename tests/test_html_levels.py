"""The HTML edition's heading levels around boxes: a sub-heading is one level below the heading of
the section or box it is written in (as the PDF's H2 > H3 > H4), and a box's headings end with
the box. A `### ` inside a `callout:` was the level of the box's own heading, and the box's
heading after the areas for improvement was nested under theirs."""
from __future__ import annotations

import pytest

from .htmlpage import built_html, parse
from .test_html import HEADINGS, html_build, pages  # noqa: F401  (html_build: a fixture)

SOURCE = """\
title: T
subject: S
front_matter:
  - title: Context
    body:
      - |
        Opening text.
      - callout:
          kind: note
          title: Section box
          body: |
            ### Inside the section box

            Text.

            #### Deeper in the section box

            Text.
      - |
        ### After the section box

        Text.
pillars:
  - title: P
    grade: good
    questions:
      - title: Q
        grade: good
        areas_for_improvement:
          - Improve.
        findings:
          - callout:
              kind: note
              title: Question box
              body: |
                ### Inside the question box

                Text.
          - |
            #### After the question box

            Text.
"""


@pytest.fixture(scope="module")
def outline(tmp_path_factory) -> list[tuple[int, str]]:
    page = built_html(tmp_path_factory.mktemp("levels"), "levels", SOURCE)
    root, _ = parse(page.read_text(encoding="utf-8"))
    main = next(root.iter("main"))
    return [(int(node.tag[1]), node.text()) for node in main.iter() if node.tag in HEADINGS]


def test_a_sub_heading_in_a_callout_is_below_the_callouts_heading(outline):
    section = outline.index((2, "Context"))
    assert outline[section:section + 5] == [(2, "Context"), (3, "Note: Section box"), (4, "Inside the section box"),
                                            (5, "Deeper in the section box"),
                                            (3, "After the section box")]  # the section's again, once the box ends


def test_what_follows_the_areas_for_improvement_is_the_questions_not_the_boxs(outline):
    question = outline.index((3, "1. Q"))
    assert outline[question:] == [(3, "1. Q"), (4, "Areas for improvement"), (4, "Note: Question box"),
                                  (5, "Inside the question box"), (4, "After the question box")]


def test_in_every_sample_a_boxs_headings_are_below_its_own_and_end_with_it(html_build):
    for name, html in pages(html_build).items():
        root, _ = parse(html)
        main = next(root.iter("main"))
        order = [node for node in main.iter() if node.tag in HEADINGS]
        place = {id(node): index for index, node in enumerate(order)}  # (nodes compare by value, slowly)
        levels = [int(node.tag[1]) for node in order]
        for box in (node for node in main.iter() if "callout" in (node.attrs.get("class") or "").split()):
            inside = [place[id(node)] for node in box.iter() if node.tag in HEADINGS]
            if not inside:
                continue
            assert all(levels[index] > levels[inside[0]] for index in inside[1:]), (name, box.attrs)
            before, after = inside[0] - 1, inside[-1] + 1
            if before >= 0 and after < len(order):  # the next heading is not under the box's
                assert levels[after] <= levels[before] + 1, (name, order[after].text())
