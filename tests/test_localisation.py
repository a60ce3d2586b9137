"""A style localises a report: with Welsh labels, no English fixed string reaches either format."""
from __future__ import annotations

import re
import zipfile

import pytest

from compiler.source.schema import LABEL_DEFAULTS

from .conftest import ROOT, run_reportc

PROJECT = ROOT / "tests" / "localisation"


def english_fixed_strings() -> set[str]:
    """The words of every default label, without placeholders, e.g. "Areas for improvement"."""
    pieces = set()
    for text in LABEL_DEFAULTS.values():
        pieces.update(part.strip(" .:") for part in re.split(r"\{[a-z]+\}", text))
    return {piece for piece in pieces if len(piece) > 3} | {"Page", "DRAFT", "Good", "Ungraded"}


@pytest.fixture(scope="module")
def welsh_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("cy")
    result = run_reportc("build", "--root", str(PROJECT), "--out", str(out), str(PROJECT / "sources"), cwd=PROJECT)
    assert result.returncode == 0, result.stderr
    return out


def test_pdf_prints_no_english_fixed_string(welsh_build):
    from pypdf import PdfReader

    reader = PdfReader(welsh_build / "heddlu.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Tudalen 2 o" in text and "DRAFFT" in text and "Meysydd i’w gwella" in text
    # A draft with no marking of its own is marked in its language; the cover's page label too
    assert "SWYDDOGOL-SENSITIF" in text and reader.page_labels[0] == "Clawr"
    text += "\n".join(reader.page_labels)
    leaked = {s for s in english_fixed_strings() if s in text}
    assert not leaked


def test_docx_prints_no_english_fixed_string(welsh_build):
    with zipfile.ZipFile(welsh_build / "heddlu.docx") as package:
        parts = [n for n in package.namelist() if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)]
        xml = " ".join(package.read(n).decode("utf-8") for n in parts)
    text = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    text += " ".join(re.findall(r'string="([^"]*)"', xml))  # watermark text
    text += " ".join(re.findall(r'<w:tblCaption w:val="([^"]*)"', xml))  # what screen readers announce
    assert "Meysydd i’w gwella" in text and "DRAFFT" in text and "SWYDDOGOL-SENSITIF" in text and "Clawr" in text
    leaked = {s for s in english_fixed_strings() if s in text}
    assert not leaked
    assert 'w:val="cy-GB"' in xml or "cy-GB" in zipfile.ZipFile(welsh_build / "heddlu.docx").read(
        "word/styles.xml").decode()


def test_a_welsh_report_on_an_english_style_takes_the_welsh_grade_labels_it_prints(tmp_path):
    """hmicfrs is written in English; a report in Welsh prints its grades as "Da", "Angen gwella":
    those are grades of the report too (spec: a grade key or label), and messages name them."""
    (tmp_path / "sources").mkdir()
    source = ("title: Arolygiad\nsubject: Heddlu\nstyle: hmicfrs\nlanguage: cy-GB\npillars:\n"
              "  - title: Effeithiolrwydd\n    grade: {grade}\n    questions: []\n")
    (tmp_path / "sources" / "report.yaml").write_text(source.format(grade="Angen gwella"), encoding="utf-8")
    result = run_reportc("build", "--out", str(tmp_path / "out"), "--format", "pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (tmp_path / "sources" / "report.yaml").write_text(source.format(grade="Dda"), encoding="utf-8")
    result = run_reportc("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert ("sources/report.yaml:7:12: error: unknown grade 'Dda'; did you mean 'Da'? the style 'hmicfrs' has: "
            "Rhagorol, Da, Digonol, Angen gwella, Annigonol") in result.stderr


def test_a_welsh_report_is_warned_of_the_grades_and_callouts_its_english_style_has_no_welsh_for(tmp_path):
    """A prisons style's own scale ("Reasonably good", "Poor") and callout kinds have no shipped
    Welsh: a report in Welsh would print them in English, so a warning names them (and none
    for the shipped scales, whose labels reportc translates)."""
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "prisons.yaml").write_text(
        "language: en-GB\ngrades:\n  good: {label: Good, colour: '#00703C'}\n"
        "  reasonably-good: {label: Reasonably good, colour: '#85994B'}\n"
        "  poor: {label: Poor, colour: '#D4351C'}\n"
        "callouts:\n  good-practice: {label: Notable positive practice, colour: '#EAF4EC'}\n", encoding="utf-8")
    source = "title: Arolygiad\nsubject: CEF Berwyn\nstyle: {style}\nlanguage: cy\npillars:\n  - title: Diogelwch\n"
    (tmp_path / "prison.yaml").write_text(source.format(style="prisons"), encoding="utf-8")
    (tmp_path / "police.yaml").write_text(source.format(style="hmicfrs"), encoding="utf-8")
    result = run_reportc("validate", "prison.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("prison.yaml:4:11: warning: the style 'prisons' is written in en-GB and reportc ships no 'cy' "
            "wording for its grades Reasonably good, Poor; callouts Notable positive practice") in result.stderr
    result = run_reportc("validate", "police.yaml", cwd=tmp_path)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr


def test_the_brand_name_and_logo_of_an_english_style_are_marked_english_on_a_welsh_page(tmp_path):
    """WCAG 3.1.2, language of parts: the style writes its brand name ("HM Inspectorate of ...")
    and logo text in English; on a `lang="cy"` page a screen reader would read them as Welsh."""
    from .htmlpage import built_html, parse

    source = "title: {title}\nsubject: Heddlu\nstyle: hmicfrs\nlanguage: {language}\npillars:\n  - title: P\n"
    welsh, _ = parse(built_html(tmp_path / "cy", "arolygiad", source.format(title="Arolygiad", language="cy"))
                     .read_text(encoding="utf-8"))
    [logo] = [img for img in welsh.iter("img") if "logo" in (img.attrs.get("class") or "")]
    [brand] = [p for footer in welsh.iter("footer") for p in footer.iter("p") if p.text().startswith("HM Inspectorate")]
    assert logo.attrs.get("lang") == brand.attrs.get("lang") == "en-GB"  # (hmicfrs is written in en-GB)
    english, _ = parse(built_html(tmp_path / "en", "inspection", source.format(title="Inspection", language="en-GB"))
                       .read_text(encoding="utf-8"))
    assert not [node for node in english.iter() if "lang" in node.attrs and node.tag != "html"]


def test_the_docx_header_marks_an_english_styles_brand_name_english_in_a_welsh_report(tmp_path):
    """The running header's brand name is the style's words: Word proofs and reads it as the
    style's language (w:lang on its run), the rest of the Welsh report as Welsh."""
    import zipfile

    (tmp_path / "sources").mkdir()
    source = "title: Arolygiad\nsubject: Heddlu\nstyle: hmicfrs\nlanguage: {language}\npillars:\n  - title: P\n"
    headers = {}
    for language in ("cy", "en-GB"):
        (tmp_path / "sources" / "adroddiad.yaml").write_text(source.format(language=language), encoding="utf-8")
        result = run_reportc("build", "--format", "docx", "--out", f"out-{language}", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        with zipfile.ZipFile(tmp_path / f"out-{language}" / "adroddiad.docx") as package:
            headers[language] = "".join(package.read(name).decode() for name in package.namelist()
                                        if name.startswith("word/header"))
    assert '<w:rPr><w:lang w:val="en-GB"/></w:rPr><w:t>HM Inspectorate' in headers["cy"]
    assert "w:lang" not in headers["en-GB"]
