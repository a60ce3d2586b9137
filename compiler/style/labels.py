"""The fixed labels reportc ships for each language it knows: English and Welsh.

Labels follow the document language (source format v2): a style or report with `language: cy`
prints Welsh without listing a single label, grade labels of the shipped scales and month names
included. A language is matched by its primary subtag ("cy-GB" is Welsh).

The Welsh wording follows HMICFRS's Welsh-language PEEL reports and their coverage (BBC Cymru Fyw
www.bbc.co.uk/cymrufyw/38251766 "angen gwella" for requires improvement, golwg360 "Da" for good),
and the Welsh localisation in tests/localisation/styles/cymraeg.yaml.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from ..source.schema import LABEL_DEFAULTS
from .types import Style, frozen_mapping

WELSH_LABELS: dict[str, str] = {
    "contents": "Cynnwys",
    "summary": "Crynodeb",
    "at_a_glance": "Dyfarniadau yn gryno",
    "glance_area": "Maes a arolygwyd",
    "glance_grade": "Dyfarniad",
    "questions_for": "Cwestiynau ar gyfer {pillar}",
    "last_updated": "Diweddarwyd ddiwethaf",
    "areas_for_improvement": "Meysydd i’w gwella",
    "causes_of_concern": "Achos pryder",
    "recommendations": "Argymhellion",
    "recommendations_lead_in": "I fynd i’r afael â’r achos pryder hwn, dylai’r sefydliad:",
    "detailed_findings": "Canfyddiadau manwl ar gyfer cwestiwn {number}",
    "detailed_findings_unnumbered": "Canfyddiadau manwl ar gyfer y cwestiwn hwn",
    "carried_over": "Mae’r dyfarniad hwn wedi’i gario drosodd o’n harolygiad diwethaf yn {year}.",
    "ungraded": "Heb ei raddio",
    "page_x_of_y": "Tudalen {page} o {pages}",
    "draft": "DRAFFT",
    "default_marking": "SWYDDOGOL-SENSITIF",  # the Welsh Government's bilingual marking
    "cover": "Clawr",
    "version": "Fersiwn {version}",
    "published": "Cyhoeddwyd {date}",
    "draft_purpose": "Drafft ar gyfer gwirio cywirdeb ffeithiol",
    "logo_alt": "Logo {brand}",
    "skip_link": "Neidio i’r prif gynnwys",
    "table_caption": "Tabl {n}: {caption}",
    "figure_caption": "Ffigur {n}: {caption}",
    "table_ref": "Tabl {n}",
    "figure_ref": "Ffigur {n}",
    "source": "Ffynhonnell: {source}",
    "glossary": "Geirfa",
    "overall_grade": "Dyfarniad cyffredinol",
    "footnotes": "Nodiadau",
    "note_back": "Yn ôl i le mae nodyn {n} wedi’i nodi",
    "note_mark": "Nodyn {n}",
    "chart_data": "Data ar gyfer {figure}",
    "isbn": "ISBN {isbn}",
}

SHIPPED_LABELS: dict[str, Mapping[str, str]] = {"en": LABEL_DEFAULTS, "cy": WELSH_LABELS}

# The grade labels of the shipped scales (styles/default.yaml, hmicfrs.yaml, hmicfrs-peel-2014.yaml).
GRADE_LABELS: dict[str, dict[str, str]] = {
    "en": {"outstanding": "Outstanding", "good": "Good", "adequate": "Adequate",
           "requires-improvement": "Requires improvement", "inadequate": "Inadequate", "ungraded": "Ungraded"},
    "cy": {"outstanding": "Rhagorol", "good": "Da", "adequate": "Digonol",
           "requires-improvement": "Angen gwella", "inadequate": "Annigonol", "ungraded": "Heb ei raddio"},
}


# The labels of the default callout kinds (source format v2), as grade labels: by language.
CALLOUT_LABELS: dict[str, dict[str, str]] = {
    "en": {"note": "Note", "innovative-practice": "Innovative practice", "notable-practice": "Notable practice",
           "case-study": "Case study"},
    "cy": {"note": "Nodyn", "innovative-practice": "Arfer arloesol", "notable-practice": "Arfer nodedig",
           "case-study": "Astudiaeth achos"},
}


def primary(language: str) -> str:
    """The primary subtag that picks a table: "cy-GB" -> "cy"."""
    return language.split("-")[0].casefold()


def shipped_labels(language: str) -> Mapping[str, str] | None:
    """Every label in `language`, or None when reportc ships none for it."""
    table = SHIPPED_LABELS.get(primary(language))
    if table is None:
        return None
    return {key: table.get(key, text) for key, text in LABEL_DEFAULTS.items()}


def callout_label(language: str, key: str) -> str | None:
    return CALLOUT_LABELS.get(primary(language), {}).get(key)


def grade_label(language: str, key: str) -> str | None:
    return GRADE_LABELS.get(primary(language), {}).get(key)


def same_language(one: str, other: str) -> bool:
    return primary(one) == primary(other)


def untranslated(style: Style, language: str) -> list[str]:
    """The grade and callout labels a report in `language` prints as its style wrote them, in the
    style's language: those reportc ships no `language` label for (a style's own grades and kinds)."""
    if same_language(style.language, language):
        return []
    if shipped_labels(language) is None:
        return ["labels"]
    grades = [grade.label for grade in style.grades if grade_label(language, grade.key) is None]
    kinds = [kind.label for key, kind in style.callouts.items() if callout_label(language, key) is None]
    return ([f"grades {', '.join(grades)}"] if grades else []) + ([f"callouts {', '.join(kinds)}"] if kinds else [])


def localised(style: Style, language: str) -> Style:
    """The style as a report in `language` prints it: a report that sets another language than
    its style's has the shipped labels and grade labels of its language (the style's own were
    written in the style's language). A language reportc ships no labels for keeps the style's."""
    if same_language(style.language, language):
        return style
    style = replace(style, brand_language=style.brand_language or style.language)
    labels = shipped_labels(language)
    if labels is None:
        return replace(style, language=language)
    grades = tuple(replace(grade, label=grade_label(language, grade.key) or grade.label) for grade in style.grades)
    callouts = {key: replace(kind, label=callout_label(language, key) or kind.label)
                for key, kind in style.callouts.items()}
    # The style's imprint texts are written in its language, as its labels are: they give way too.
    return replace(style, language=language, labels=frozen_mapping(labels), grades=grades,
                   callouts=frozen_mapping(callouts), imprint=(), alternative_formats=())
