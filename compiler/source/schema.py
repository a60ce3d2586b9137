"""The source format and the style format, each as one JSON Schema: the single source of truth.

`schemacheck.py` validates positioned YAML trees against these; `reportc schema` prints the
report schema for editors. Defaults for style keys live here too (JSON Schema `default`),
so the documentation an editor shows is the value reportc uses.

`x-text` says how a text scalar is read: "inline" (inline markup), "block" (block text),
"path" (a file path, checked against the project root), "link" (a URL).
"""
from __future__ import annotations

import re

import copy
from typing import Any

from .richschema import RICH_ITEM

SCHEMA_ID = "https://reportc.dev/schema/report-v1.json"
ID_PATTERN = "^[a-z0-9][a-z0-9-]*$"
QUESTION_NUMBER = re.compile("[1-9][0-9]{0,3}")  # a `number:` as written: 1 to 9999, digits only
ISO_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# `x-hint` says in words what a `pattern` asks for: a value that does not match is refused with it.
LANGUAGE = {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
            "x-hint": "a language is a BCP 47 tag, e.g. en-GB or cy"}
# Titles are headings (which cannot break across pages) and, with the subject, marking, version
# and the style's labels, are printed in the running header and footer of every page.
MAX_TITLE = 250
MAX_GRADE_LABEL = 60  # "Requires improvement" is 20; Estyn's "Unsatisfactory and needs urgent improvement" 43
# Every fallback font is read whole and embedded where used: a few cover any script a report uses.
MAX_FALLBACK_FONTS = 8
# Labels print as headings (some inside a cause of concern's box, which a heading cannot break
# out of) and in the running header and footer; the longest default is 72 characters.
MAX_LABEL = 100
MAX_STYLE_TEXT = 4_000  # a style's imprint texts: a few short paragraphs, on one page
# Style numbers have ranges a layout survives with every other setting at its extreme and every
# title at its longest (tests/test_properties.py builds styles across them): a 24 pt body or
# 200 mm margins left no room for a heading, and reportlab failed part-way through the build.


def _inline(description: str) -> dict[str, Any]:
    return {"type": "string", "x-text": "inline", "description": description}


def _title(description: str) -> dict[str, Any]:
    # (an empty or blank title printed nothing, and a heading of nothing broke the PDF's layout)
    return {**_inline(description), "maxLength": MAX_TITLE, "pattern": r"\S",
            "x-hint": "it prints as a title or heading, so write its words"}


def _block_text(description: str) -> dict[str, Any]:
    return {"type": "string", "x-text": "block", "description": description}


def _block(description: str) -> dict[str, Any]:
    """Block text, or (v2) a list of block texts and rich blocks (table, figure, chart, callout)."""
    return {"oneOf": [_block_text(description),
                      {"type": "array", "items": RICH_ITEM, "description": description + " As a list: block "
                       "texts and rich blocks (table, figure, chart, callout)."}]}


def _date(description: str) -> dict[str, Any]:
    return {"type": "string", "format": "date", "pattern": ISO_DATE, "description": description}


def _free_text(description: str) -> dict[str, Any]:
    # YAML would read `1.10` or `2017/18` as numbers in some editors; both are text to reportc.
    return {"type": ["string", "number"], "description": description}


_GRADE = {"type": "string", "description": "A grade key or label of the style's scale "
                                           "(case-insensitive), or \"ungraded\"; absent: no badge."}

_AREA_FOR_IMPROVEMENT = {
    "oneOf": [
        _inline("What the organisation should improve."),
        {
            "type": "object",
            "properties": {
                "text": _inline("What the organisation should improve."),
                "detail": _block("Further explanation (block text)."),
            },
            "required": ["text"],
            "additionalProperties": False,
        },
    ],
}

_CAUSE_OF_CONCERN = {
    "type": "object",
    "properties": {
        "text": _inline("The cause of concern."),
        "lead_in": _inline("Introduces the recommendations; default: the style's label."),
        "recommendations": {"type": "array", "items": _inline("One recommendation.")},
    },
    "required": ["text"],
    "additionalProperties": False,
}

_FINDINGS_KEYS = {
    "areas_for_improvement": {"type": "array", "items": _AREA_FOR_IMPROVEMENT},
    "causes_of_concern": {"type": "array", "items": _CAUSE_OF_CONCERN},
    "findings": _block("Narrative findings (block text)."),
}

_QUESTION = {
    "type": "object",
    "properties": {
        "number": {"type": "integer", "minimum": 1, "maximum": 9999,
                   "description": "Default: the previous number + 1; the first is 1."},
        "title": _title("The question, e.g. How effective is the force at ...?"),
        "grade": _GRADE,
        "carried_over": _free_text("The inspection the judgment was carried over from, e.g. 2017/18."),
        **_FINDINGS_KEYS,
        "detailed_findings": {"type": "string", "format": "uri", "x-text": "link",
                              "description": "Link (http or https) to the detailed findings."},
    },
    "required": ["title"],
    "additionalProperties": False,
}

_PILLAR = {
    "type": "object",
    "properties": {
        "title": _title("e.g. Effectiveness"),
        "question": _inline("The pillar's headline question."),
        "grade": _GRADE,
        "updated": _date("Last updated (YYYY-MM-DD)."),
        "carried_over": _free_text("The inspection the judgment was carried over from, e.g. 2017/18."),
        "summary": _block("Summary (block text)."),
        **_FINDINGS_KEYS,
        "questions": {"type": "array", "items": _QUESTION},
    },
    "required": ["title"],
    "additionalProperties": False,
}

_SECTION = {
    "type": "object",
    "properties": {"title": _title("Section title."), "body": _block("Section text (block text).")},
    "required": ["title"],
    "additionalProperties": False,
}

_GLOSSARY_ENTRY = {
    "type": "object",
    # (an empty term is refused by backmatter.glossary, which says what a term is for)
    "properties": {"term": {**_inline("The term, e.g. ASB (inline markup)."), "maxLength": MAX_TITLE},
                   "definition": _inline("What the term means (inline markup).")},
    "required": ["term", "definition"],
    "additionalProperties": False,
}

# Thirteen digits, single hyphens allowed between them; the check digit is checked in validate.py.
_ISBN = {"type": "string", "pattern": "^[0-9](-?[0-9]){12}$",
         "x-hint": "an ISBN is 13 digits, hyphens allowed between them, e.g. 978-1-78655-000-2"}

_IMPRINT = {
    "type": "object",
    "properties": {
        "isbn": {
            "type": "object",
            "properties": {edition: {**_ISBN, "description": f"ISBN-13 of the {name}; printed in that edition only."}
                           for edition, name in (("pdf", "PDF edition"), ("html", "HTML edition"),
                                                 ("docx", "DOCX edition (absent: the DOCX prints no ISBN)"))},
            "additionalProperties": False,
        },
        "reference": {**_free_text("Any other reference line, printed as written, e.g. HC 1234."),
                      "maxLength": MAX_TITLE},
    },
    "additionalProperties": False,
    "description": "Publication details, printed after the style's `imprint` text on the page after the "
                   "cover (PDF, DOCX) and at the end (HTML); its presence asks for that page.",
}

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "reportc report source, version 1",
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": ID_PATTERN, "maxLength": 100,
               "x-hint": "an id is lower-case letters, digits and hyphens, starting with a letter or digit, "
                         "e.g. peel-2019",
               "description": "Output name build/<id>.pdf; default: the file stem."},
        "title": _title("The report title, e.g. PEEL 2018/19."),
        "subject": _title("The organisation inspected."),
        "programme": _title("The inspection programme."),
        "published": _date("Publication date (YYYY-MM-DD)."),
        "language": {**LANGUAGE, "description": "BCP 47 language tag; default: the style's language."},
        "status": {"type": "string", "enum": ["draft", "final"], "default": "final"},
        "grade": {**_GRADE, "description": "Overall judgment of the whole report: a grade key or label of the "
                                           "style's scale (case-insensitive), or \"ungraded\"; printed on the "
                                           "cover and first in the judgments at a glance."},
        "numbered_questions": {"type": "boolean", "default": True,
                               "description": "false prints questions without numbers (headings, contents, "
                                              "glance table, detailed-findings link)."},
        "marking": {"type": "string", "maxLength": MAX_TITLE, "description": "Protective marking, e.g. OFFICIAL."},
        "version": {**_free_text("Draft version, e.g. 0.3."), "maxLength": MAX_TITLE},
        "style": {"type": "string", "x-text": "path",
                  "description": "A shipped or project style by name, or a path to a style file."},
        "summary": _block("Report-level overview (block text)."),
        "front_matter": {"type": "array", "items": _SECTION},
        "pillars": {"type": "array", "minItems": 1, "items": _PILLAR},
        "annexes": {"type": "array", "items": _SECTION},
        "glossary": {"type": "array", "items": _GLOSSARY_ENTRY,
                     "description": "An annex \"Glossary\" (style label `glossary`), sorted by term."},
        "imprint": _IMPRINT,
    },
    "required": ["title", "subject", "pillars"],
    "additionalProperties": False,
}

# ---- style files ---------------------------------------------------------------------------

_COLOUR = {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$", "x-hint": "a colour is #RRGGBB, e.g. #1D70B8"}


def _colour(default: str, description: str) -> dict[str, Any]:
    return {**_COLOUR, "default": default, "description": description}


def _number(default: float, description: str, low: float, high: float) -> dict[str, Any]:
    return {"type": "number", "minimum": low, "maximum": high, "default": default, "description": description}


def _path(default: str | None, description: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "x-text": "path", "description": description}
    if default is not None:
        schema["default"] = default
    return schema


def _label(key: str, default: str) -> dict[str, Any]:
    # `ungraded` is a badge's label; `glance_area` and `glance_grade` head the glance table's
    # columns, and the header row is repeated on every page the table spans
    longest = MAX_GRADE_LABEL if key in ("ungraded", "glance_area", "glance_grade") else MAX_LABEL
    return {"type": "string", "default": default, "maxLength": longest}


LABEL_DEFAULTS: dict[str, str] = {
    "contents": "Contents",
    "summary": "Summary",
    "at_a_glance": "Judgments at a glance",
    "glance_area": "Area inspected",
    "glance_grade": "Judgment",
    "questions_for": "Questions for {pillar}",
    "last_updated": "Last updated",
    "areas_for_improvement": "Areas for improvement",
    "causes_of_concern": "Cause of concern",
    "recommendations": "Recommendations",
    "recommendations_lead_in": "To address this cause of concern, the organisation should:",
    "detailed_findings": "Detailed findings for question {number}",
    "detailed_findings_unnumbered": "Detailed findings for this question",  # numbered_questions: false
    "carried_over": "This judgment has been carried over from our last inspection in {year}.",
    "ungraded": "Ungraded",
    "overall_grade": "Overall judgment",  # (v2) the report's `grade:` on the cover and in the glance table
    "page_x_of_y": "Page {page} of {pages}",
    "draft": "DRAFT",
    "default_marking": "OFFICIAL-SENSITIVE",  # a draft's protective marking when its source sets none
    "cover": "Cover",  # the cover's page label (PDF) and its table's title for screen readers (DOCX)
    "version": "Version {version}",
    "published": "Published {date}",
    "draft_purpose": "Draft for factual accuracy checking",  # a draft's cover, never "Published"
    "logo_alt": "{brand} logo",
    "skip_link": "Skip to main content",  # the HTML edition's first link
    # (v2) rich content: captions and cross-references number tables and figures (charts are figures)
    "table_caption": "Table {n}: {caption}",
    "figure_caption": "Figure {n}: {caption}",
    "table_ref": "Table {n}",
    "figure_ref": "Figure {n}",
    "source": "Source: {source}",
    "glossary": "Glossary",
    "footnotes": "Notes",
    "note_back": "Back to where note {n} is marked",  # the HTML edition's link from a note to its mark
    "note_mark": "Note {n}",  # what a note's mark is called to a screen reader (its link's name)
    "chart_data": "Data for {figure}",  # the HTML edition's disclosure holding a chart's numbers
    "isbn": "ISBN {isbn}",  # (v2) the imprint's ISBN line, each edition its own
}

_GRADE_ENTRY = {
    "type": "object",
    "properties": {
        # a badge is one line, beside headings and in the judgments-at-a-glance table
        "label": {"type": "string", "maxLength": MAX_GRADE_LABEL, "description": "Printed on the badge, e.g. Good."},
        "colour": {**_COLOUR, "description": "Badge fill; the text colour is chosen for contrast."},
    },
    "required": ["label", "colour"],
    "additionalProperties": False,
}

_CALLOUT_KIND = {
    "type": "object",
    "properties": {
        "label": {"type": "string", "maxLength": MAX_LABEL, "description": "Printed before the title, e.g. Note."},
        "colour": {**_COLOUR, "description": "The box's fill; body text must keep 4.5:1 contrast on it."},
    },
    "required": ["label", "colour"],
    "additionalProperties": False,
}
# Pale fills: body text keeps well over 4.5:1 on each, and the rule drawn in the accent colour
# tells the box from the page (WCAG 1.4.11).
CALLOUT_DEFAULTS: dict[str, dict[str, str]] = {
    "note": {"label": "Note", "colour": "#EEF2F7"},
    "innovative-practice": {"label": "Innovative practice", "colour": "#E8F1F8"},
    "notable-practice": {"label": "Notable practice", "colour": "#EAF4EC"},
    "case-study": {"label": "Case study", "colour": "#F5F0E6"},
}

STYLE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "reportc style",
    "type": "object",
    "properties": {
        "extends": {"type": "string", "x-text": "path", "description": "A style by name or path."},
        "brand": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "default": "reportc", "maxLength": MAX_TITLE,
                         "description": "Author of the documents."},
                "logo": _path(None, "PNG or JPEG logo for the cover."),
                "logo_alt": {"type": "string", "maxLength": MAX_TITLE,
                             "description": "Alt text for the logo; default from labels.logo_alt."},
            },
            "additionalProperties": False,
        },
        "language": {**LANGUAGE, "default": "en-GB"},
        "date_format": {"type": "string", "default": "%d/%m/%Y", "maxLength": 40,
                        "description": "strftime format."},
        "grades": {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN, "x-hint": "use lower-case letters, digits and hyphens"},
            "additionalProperties": _GRADE_ENTRY,
            "description": "The grade scale, best first; a child style replaces it whole.",
        },
        "labels": {
            "type": "object",
            "properties": {key: _label(key, value) for key, value in LABEL_DEFAULTS.items()},
            "additionalProperties": False,
        },
        "callouts": {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN, "x-hint": "use lower-case letters, digits and hyphens"},
            "additionalProperties": _CALLOUT_KIND,
            "default": CALLOUT_DEFAULTS,
            "description": "(v2) Kinds of callout box: key -> label (printed before its title) and fill colour; "
                           "added to the default set (note, innovative-practice, notable-practice, case-study).",
        },
        "fonts": {
            "type": "object",
            "properties": {
                "family": {"type": "string", "default": "Liberation Sans", "maxLength": MAX_TITLE,
                           "description": "Family name written into DOCX styles (Arial-metric compatible)."},
                "regular": _path("fonts/LiberationSans-Regular.ttf", "TrueType file."),
                "bold": _path("fonts/LiberationSans-Bold.ttf", "TrueType file."),
                "italic": _path("fonts/LiberationSans-Italic.ttf", "TrueType file."),
                "bold_italic": _path("fonts/LiberationSans-BoldItalic.ttf", "TrueType file."),
                "fallback": {"type": "array", "maxItems": MAX_FALLBACK_FONTS,
                             "items": _path(None, "TrueType file."),
                             "description": "TrueType files tried in order for characters the four faces "
                                            "lack (one face each: bold and italic text in them print "
                                            "upright and regular); a child style replaces the list whole."},
                "size": _number(12, "Body text size in points.", 8, 14),
            },
            "additionalProperties": False,
        },
        "colours": {
            "type": "object",
            "properties": {
                "primary": _colour("#1F3864", "Headings, cover band, table header."),
                "accent": _colour("#2E75B6", "Rules and links."),
                "text": _colour("#1A1A1A", "Body text."),
                "muted": _colour("#595959", "Running header and footer."),
                "callout": _colour("#FBE9E7", "Cause-of-concern fill."),
                "callout_rule": _colour("#C0392B", "Cause-of-concern rule."),
                "watermark": _colour("#D9D9D9", "DRAFT watermark."),
                "table_stripe": _colour("#F2F2F2", "Alternate table rows."),
            },
            "additionalProperties": False,
        },
        "page": {
            "type": "object",
            "properties": {
                "size": {"type": "string", "enum": ["A4", "letter"], "default": "A4"},
                "margin_top_mm": _number(25, "", 5, 40),
                "margin_bottom_mm": _number(25, "", 5, 40),
                "margin_left_mm": _number(32, "", 5, 40),
                "margin_right_mm": _number(32, "", 5, 40),
            },
            "additionalProperties": False,
        },
        "cover": {
            "type": "object",
            "properties": {
                "band_colour": _colour("#1F3864", "The cover's colour band."),
                # at most 180: the date, status and grade below it keep room on a letter page (279 mm)
                "band_height_mm": _number(110, "Height of the band from the top of the page.", 0, 180),
                "text_colour": _colour("#FFFFFF", "Text on the band."),
                "logo_width_mm": _number(50, "Logo width on the cover.", 5, 150),
                "title_size": _number(30, "Cover title size in points.", 8, 72),
            },
            "additionalProperties": False,
        },
        # (v2) block text; printed only where a report has `imprint:` (see README, Imprint)
        "imprint": {**_block_text("Printed on the imprint page; {year} is the year published (or built)."),
                    "maxLength": MAX_STYLE_TEXT},
        "alternative_formats": {**_block_text("How to ask for another format; printed after `imprint`."),
                                "maxLength": MAX_STYLE_TEXT},
        "print": {
            "type": "object",
            "properties": {
                "crop_marks": {"type": "boolean", "default": False, "description": "Always add crop marks and bleed."},
                "bleed_mm": _number(3, "Bleed beyond the trim box.", 0, 20),
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}


def report_json_schema() -> dict[str, Any]:
    """The report schema as editors see it: standard JSON Schema, our `x-` annotations kept
    (editors ignore unknown keywords)."""
    return copy.deepcopy(REPORT_SCHEMA)


def style_json_schema() -> dict[str, Any]:
    """The style schema as editors see it (`reportc schema --style`), like report_json_schema."""
    return copy.deepcopy(STYLE_SCHEMA)


def default_of(schema: dict[str, Any], *path: str) -> Any:
    """The `default` at a path of property names, e.g. default_of(STYLE_SCHEMA, "colours", "text")."""
    node = schema
    for key in path:
        node = node["properties"][key]
    return node.get("default")
