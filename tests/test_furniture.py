"""Report furniture (issue 13): neutral default wording, optional grades, numberless questions,
labels that follow the language. Each report is built once, in every format, by the real CLI."""
from __future__ import annotations

import html as htmllib
import re
import subprocess
import sys
import zipfile

import pytest

from compiler.source.schema import LABEL_DEFAULTS
from compiler.style.labels import GRADE_LABELS, WELSH_LABELS

from .conftest import run_reportc

ONE_PILLAR = """
pillars:
  - title: Effectiveness
    causes_of_concern:
      - text: Records are not kept.
        recommendations: [keep records]
    questions:
      - title: How well does it answer calls?
        detailed_findings: https://example.org/findings
      - title: How well does it plan ahead?
        grade: ungraded
"""
SOURCES = {
    "plain": "title: Care report\nsubject: Riverside Care Home\npublished: 2024-03-05\n" + ONE_PILLAR,
    "nonumbers": "title: Care report\nsubject: Riverside Care Home\nnumbered_questions: false\n" + ONE_PILLAR,
    "cymraeg": ("title: Adroddiad arolygu\nsubject: Cartref Glan yr Afon\npublished: 2024-03-05\nlanguage: cy\n"
                "status: draft\nversion: '0.2'\nsummary: Crynodeb byr.\n"
                + ONE_PILLAR.replace("    causes_of_concern:", "    grade: good\n    updated: 2024-02-01\n"
                                     "    carried_over: 2021/22\n    areas_for_improvement: [Gwella.]\n"
                                     "    causes_of_concern:")),
    "francais": "title: Rapport\nsubject: Quelque part\nstyle: francais\n" + ONE_PILLAR,
    "heddlu": ("title: Adroddiad PEEL\nsubject: Heddlu Glan yr Afon\nstyle: heddlu-cy\n"
               + ONE_PILLAR.replace("        grade: ungraded", "        grade: requires-improvement")),
}
WELSH_POLICE_STYLE = "extends: hmicfrs\nlanguage: cy-GB\n"  # no labels, no grades
FRENCH_STYLE = "extends: default\nlanguage: fr\nlabels:\n  contents: Sommaire\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = tmp_path_factory.mktemp("furniture")
    (project / "sources").mkdir()
    (project / "styles").mkdir()
    (project / "styles" / "francais.yaml").write_text(FRENCH_STYLE)
    (project / "styles" / "heddlu-cy.yaml").write_text(WELSH_POLICE_STYLE)
    for name, text in SOURCES.items():
        (project / "sources" / f"{name}.yaml").write_text(text)
    result = run_reportc("build", "--root", str(project), "--out", str(project / "out"), "--format",
                         "pdf,docx,html", "sources", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "out", result.stderr


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def docx_text(path) -> str:
    with zipfile.ZipFile(path) as package:
        parts = [n for n in package.namelist() if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)]
        xml = " ".join(package.read(n).decode("utf-8") for n in parts)
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)).replace("\u00a0", " ")


def html_text(path) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", path.read_text(), flags=re.DOTALL)
    attributes = " ".join(re.findall(r'(?:alt|aria-label|title)="([^"]*)"', page))
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes)


def every_format(out, name):
    return {"pdf": pdf_text(out / f"{name}.pdf"), "docx": docx_text(out / f"{name}.docx"),
            "html": html_text(out / f"{name}.html")}


# ---- 11: the neutral default style -------------------------------------------------------------

def test_no_default_label_speaks_for_one_inspectorate():
    for key, text in LABEL_DEFAULTS.items():
        assert not re.search(r"\b(force|police|policing|constabulary)\b", text, re.IGNORECASE), key


def test_a_report_on_the_default_style_does_not_say_the_force(built):
    out, _ = built
    for fmt, text in every_format(out, "plain").items():
        assert "the organisation should:" in text, fmt
        assert "force" not in text.casefold(), fmt


# ---- 6: optional grades ------------------------------------------------------------------------

def test_no_grade_prints_no_badge_and_ungraded_prints_one(built):
    out, _ = built
    # One `ungraded` question: its heading badge and its glance cell. The ungraded pillar and the
    # question with no grade print none (version 1 printed six "Ungraded").
    for fmt, text in every_format(out, "plain").items():
        assert text.count("Ungraded") == 2, fmt


def test_no_grade_leaves_an_empty_glance_cell(built):
    out, _ = built
    page = (out / "plain.html").read_text()
    row = re.search(r'<tr class="question"><th scope="row">.*?How well does it answer calls\?.*?</tr>', page)
    assert row and row.group(0).endswith("<td></td></tr>")
    import docx

    glance = next(table for table in docx.Document(out / "plain.docx").tables
                  if table.rows[0].cells[0].text == "Area inspected")
    cells = {row.cells[0].text.split("\t")[-1]: row.cells[1].text for row in glance.rows}
    assert cells["How well does it answer calls?"] == "" and cells["Effectiveness"] == ""
    assert cells["How well does it plan ahead?"] == "Ungraded"


def test_a_pdf_with_empty_grade_cells_has_no_pdfua_findings(built):
    out, _ = built
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", str(out / "plain.pdf")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


# ---- 7: numbered_questions: false --------------------------------------------------------------

def test_numbered_questions_false_prints_no_numbers_anywhere(built):
    out, _ = built
    numbers = re.compile(r"[12]\.\s*How well")
    assert numbers.search(pdf_text(out / "plain.pdf"))  # numbered by default
    for fmt, text in every_format(out, "nonumbers").items():
        assert not numbers.search(text), (fmt, numbers.search(text))
        assert "Detailed findings for this question" in text and "for question" not in text, fmt
    from pypdf import PdfReader

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    outline = list(titles(PdfReader(out / "nonumbers.pdf").outline))
    assert "How well does it answer calls?" in outline
    assert not any(numbers.match(title) for title in outline)


# ---- 10: labels follow the language ------------------------------------------------------------

def english_label_words() -> set[str]:
    pieces = {"Page", "DRAFT", *GRADE_LABELS["en"].values()}
    for text in LABEL_DEFAULTS.values():
        pieces.update(part.strip(" .:") for part in re.split(r"\{[a-z]+\}", text))
    return {piece for piece in pieces if len(piece) > 3}


def test_every_label_has_welsh_wording():
    assert set(LABEL_DEFAULTS) <= set(WELSH_LABELS)
    for key, text in LABEL_DEFAULTS.items():  # the layout fills in the same names
        assert sorted(re.findall(r"\{[a-z_]+\}", WELSH_LABELS[key])) == sorted(re.findall(r"\{[a-z_]+\}", text)), key
    assert set(GRADE_LABELS["en"]) == set(GRADE_LABELS["cy"])


def test_language_cy_prints_welsh_with_no_labels_listed(built):
    out, _ = built
    for fmt, text in every_format(out, "cymraeg").items():
        assert "Meysydd i’w gwella" in text and "Heb ei raddio" in text and " Da" in text, fmt
        leaked = {word for word in english_label_words() if word in text}
        assert not leaked, (fmt, leaked)
    assert "Tudalen 2 o" in pdf_text(out / "cymraeg.pdf")


def test_welsh_month_names(built):
    out, _ = built
    assert "01 Chwefror 2024" in pdf_text(out / "cymraeg.pdf")  # the default style's "%d %B %Y"
    assert "05 March 2024" in pdf_text(out / "plain.pdf")


def test_a_language_without_shipped_labels_warns_naming_the_unset_labels(built):
    out, stderr = built
    warning = next(line for line in stderr.splitlines() if "warning:" in line and "'fr'" in line)
    assert warning.startswith("styles/francais.yaml:2:")
    assert "page_x_of_y" in warning and "contents," not in warning
    assert "Sommaire" in pdf_text(out / "francais.pdf")


def test_a_style_in_another_language_than_its_parent_drops_the_parents_labels(built):
    out, _ = built
    for fmt, text in every_format(out, "heddlu").items():
        assert "Angen gwella" in text and "Requires improvement" not in text, fmt  # grade labels too
        leaked = {word for word in english_label_words() if word in text}
        assert not leaked, (fmt, leaked)
