"""Property tests over generated sources: reportc never crashes, every refusal has a position, and
text reaches both outputs exactly as written.

Sources are generated structure-aware (tests/sourcegen.py): valid skeletons whose text is
hostile (every Unicode category, control characters, escaped surrogates, astral characters,
markup-looking text, YAML 1.1 literals), then mutated (unknown keys, wrong types, dropped and
duplicated keys, tags and anchors). Validation runs in-process through the command line's own
entry point, thousands of times per run; full builds, which render, tens of times.
Failures found are kept below as @example cases, or in tests/test_regressions.py.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from compiler import cli
from compiler.source.paths import Roots
from compiler.build.load import load_all
from compiler.style.glyphcoverage import is_right_to_left

from .sourcegen import Map, Seq, Str, emit, hostile_sources, mutate, reports, scalars

DIAGNOSTIC = re.compile(r"(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.+)")
SOURCE = "sources/gen.yaml"
# Examples per run; REPORTC_PROPERTY_SCALE=20 (say) multiplies them for a long local run.
SCALE = int(os.environ.get("REPORTC_PROPERTY_SCALE", "1"))
VALIDATIONS = settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SKELETONS = settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUILDS = settings(max_examples=25 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINE_BREAK = re.compile(r"\r\n?|\n")  # as editors, and reportc's positions, count lines


@pytest.fixture(scope="module")
def project() -> Path:
    """One project folder for a whole module: hypothesis runs many examples per test function,
    and a function-scoped tmp_path would be shared by all of them anyway."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "sources").mkdir()
        yield root


def write(project: Path, text: str) -> Path:
    path = project / SOURCE
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # lone surrogates reach the file as bytes
    return path


def validate(project: Path, path: Path) -> tuple[int, list[str]]:
    """`reportc validate` in-process: its exit code and its stderr lines."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["validate", "--root", str(project), str(path)])
    return code, stderr.getvalue().splitlines()


def assert_well_formed(code: int, lines: list[str], source_text: str) -> None:
    """Exit 0, or exit 1 with at least one error; every line a diagnostic pointing into its file."""
    assert code in (0, 1), (code, lines)
    assert not any("Traceback" in line or "internal error" in line for line in lines), lines
    diagnostics = [DIAGNOSTIC.fullmatch(line) for line in lines]
    assert all(diagnostics), [line for line, d in zip(lines, diagnostics) if not d]
    errors = [d for d in diagnostics if d["severity"] == "error"]
    assert (code == 1) == bool(errors), lines
    line_count = len(LINE_BREAK.findall(source_text)) + 1
    for d in diagnostics:
        assert int(d["line"]) >= 1 and int(d["col"]) >= 1
        if d["file"] == SOURCE:
            assert int(d["line"]) <= line_count, (d.group(0), line_count)


# ---- 1. no input crashes validation --------------------------------------------------------

@VALIDATIONS
@given(hostile_sources())
@example("title: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n    questions:\n"
         f"      - number: {'9' * 5000}\n        title: Q\n")  # int() over 4,300 digits
@example(f"style: {'x' * 300}\ntitle: T\nsubject: S\npillars: []\n")  # ENAMETOOLONG from stat()
@example("title: '" + "*" * 3000 + "a" + "*" * 3000 + "'\nsubject: S\npillars: []\n")  # nested markup recursion
@example("title: T\nsubject: S\nsummary: " + "[" * 5000 + "]" * 5000 + "\npillars: []\n")
@example("title: '0'\nsubject: '\ufffe'\npillars: []\n")  # libyaml's own refusal: no position, two lines
@example("title: '\u2028'\ntitel: 1\npillars: []\n")  # libyaml ends lines at U+2028; editors do not
@example('title: "\\uD800"\nsubject: "\\a\\x00\\U0001F600"\npillars: [{title: "\\u2028", grade: "\\uFFFE"}]\n')
@example("title: No\nsubject: on\nversion: 1.10\nmarking: 010\npublished: 2019-02-30\npillars: [{title: Yes, grade: good,"
         " updated: 02/05/2019, carried_over: 2017/18, questions: [{number: 0x1F, title: .inf}]}]\n")
def test_validation_ends_in_exit_0_or_positioned_errors(project, text):
    code, lines = validate(project, write(project, text))
    assert_well_formed(code, lines, text)


# ---- 2. valid skeletons with any printable text are valid, and the text stays as written ----

# Printable text: every category but controls and surrogates (refused, tested above), format
# characters (invisible) and the private and unassigned ranges; '*' and '[' start markup.
printable = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cf", "Co", "Cn"), exclude_characters="*["),
                    min_size=1, max_size=40).filter(lambda t: t.strip() and t.strip()[0] not in "-#0123456789")
# What a PDF build prints: left-to-right text (right-to-left text is refused by the PDF renderer,
# tests/test_fallback_fonts.py), its glyphs missing from the fonts allowed (--allow-missing-glyphs).
printable_left_to_right = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Cf", "Co", "Cn"), exclude_characters="*[")
    .filter(lambda char: not is_right_to_left(char)),
    min_size=1, max_size=40).filter(lambda t: t.strip() and t.strip()[0] not in "-#0123456789")


def quoted(text: str) -> Str:
    return Str(text, '"')


def set_key(mapping: Map, key: str, value) -> None:
    mapping.pairs = [(name, node) for name, node in mapping.pairs if name != key] + [(key, value)]


@SKELETONS
@given(reports(printable.map(quoted)), printable, printable)
@example(Map([("title", Str("No")), ("subject", Str("on")), ("pillars", Seq([Map([("title", Str("1.10")),
                                                                                 ("grade", Str("good"))])]))]),
         "010", "2019-05-02")
def test_valid_skeletons_are_valid_and_text_stays_as_written(project, tree, version, carried_over):
    set_key(tree, "version", quoted(version))
    set_key(tree.get("pillars").items[0], "carried_over", quoted(carried_over))
    path = write(project, emit(tree))
    code, lines = validate(project, path)
    assert code == 0 and not [line for line in lines if ": error: " in line], lines
    [loaded] = load_all([path], Roots.at(project))
    report = loaded.report
    assert report.version == version
    assert report.pillars[0].carried_over == carried_over
    assert report.title.plain == " ".join(tree.get("title").text.split())
    assert report.subject.plain == " ".join(tree.get("subject").text.split())


# ---- 3. full builds: exit 0 with both artefacts, or positioned errors and nothing written --

def build(project: Path, text: str, *options: str) -> tuple[int, list[str], Path]:
    out = project / "out"
    for old in out.glob("*"):
        old.unlink()
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["build", "--root", str(project), "--out", str(out), *options, str(write(project, text))])
    lines = [line for line in stderr.getvalue().splitlines() if not line.startswith("reportc: ")]
    assert_well_formed(code, lines, text)
    written = sorted(p.name for p in out.glob("gen.*"))
    assert written == (["gen.docx", "gen.pdf"] if code == 0 else [])
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]
    return code, lines, out


def assert_readable(out: Path) -> None:
    from docx import Document
    from pypdf import PdfReader

    assert len(PdfReader(out / "gen.pdf").pages) >= 2
    with zipfile.ZipFile(out / "gen.docx") as docx:
        assert docx.testzip() is None
    assert Document(str(out / "gen.docx")).paragraphs


@BUILDS
@given(reports(printable_left_to_right.map(quoted)))
def test_valid_sources_with_any_printable_text_build_both_artefacts(project, tree):
    code, lines, out = build(project, emit(tree), "--allow-missing-glyphs")
    assert code == 0, lines
    assert_readable(out)


@BUILDS
@given(st.one_of(hostile_sources(), reports(printable.map(quoted)).flatmap(mutate).map(emit)))
def test_hostile_builds_write_both_artefacts_or_nothing(project, text):
    build(project, text)


# ---- 4. text fidelity: what the source says is what both outputs say ------------------------

def font_coverage() -> str:
    """Printable characters every face of the embedded font draws (Liberation Sans)."""
    import unicodedata

    from reportlab.pdfbase.ttfonts import TTFontFile

    fonts = Path(__file__).resolve().parent.parent / "styles" / "fonts"
    faces = [set(TTFontFile(str(path)).charToGlyph) for path in sorted(fonts.glob("LiberationSans-*.ttf"))]
    common = set.intersection(*faces)
    return "".join(sorted(chr(code) for code in common  # Hebrew too, but the PDF refuses right to left
                          if unicodedata.category(chr(code))[0] in "LNPS" and chr(code) not in "*["
                          and not is_right_to_left(chr(code))))


ENTITY_LIKE = ["&", "<", ">", '"', "'", "&copy;", "&#0;", "<b>", "</b>", "&amp;", "&lt;", "&#x41;", "<br/>",
               "</para>", "<font color=red>", "<img src=x>", "R&D", "a<b", "\\n",
               # combining marks after a base letter: a mark alone at a word's start has no width,
               # and text extraction cannot tell its following space from kerning
               "e\u0301", "a\u0308\u0304", "n\u0303o"]


@st.composite
def literal_text(draw, max_words: int) -> str:
    """Words of covered characters and entity-like text; short words, so no word is split."""
    alphabet = draw(st.just(COVERED))
    word = st.one_of(st.text(st.sampled_from(alphabet), min_size=1, max_size=8), st.sampled_from(ENTITY_LIKE))
    words = draw(st.lists(word, min_size=1, max_size=max_words))
    text = " ".join(words)
    return "X " + text if text.lstrip()[:1] in "-#>0123456789" else text  # not a list, heading or quotation line


def pdf_text(path: Path) -> str:
    """The PDF's text by pdfplumber, which keeps the order of right-to-left characters and the
    spaces beside them as drawn (pypdf moves a space across a Hebrew maqaf, for one); ligature
    characters such as U+FB01 are kept, not expanded to "fi"."""
    import pdfplumber

    from .test_end_to_end import squash

    with pdfplumber.open(path) as pdf:
        return squash(" ".join(page.extract_text(expand_ligatures=False) or "" for page in pdf.pages))


def docx_text(path: Path) -> str:
    """Every run of text in the DOCX's body, headers and footers."""
    from lxml import etree

    from .test_end_to_end import squash

    text = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    with zipfile.ZipFile(path) as docx:
        parts = sorted(name for name in docx.namelist()
                       if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name))
        trees = [etree.fromstring(docx.read(name)) for name in parts]
    return squash(" ".join(node.text or "" for tree in trees for node in tree.iter(text)))


COVERED = font_coverage()
FIDELITY = settings(max_examples=15 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fidelity_source(title: str, area: str, paragraph: str, recommendation: str, short: str = "S") -> str:
    tree = Map([("title", Str("Fidelity")), ("subject", quoted(short)), ("marking", quoted(short)), ("pillars", Seq([Map([
        ("title", Str("P")), ("grade", Str("good")), ("carried_over", quoted(short)),
        ("questions", Seq([Map([
            ("title", quoted(title)),
            ("areas_for_improvement", Seq([quoted(area)])),
            ("causes_of_concern", Seq([Map([("text", Str("C")), ("recommendations", Seq([quoted(recommendation)]))])])),
            ("findings", quoted(paragraph)),
        ])])),
    ])]))])
    return emit(tree)


@FIDELITY
@given(literal_text(8), literal_text(20), literal_text(60), literal_text(20), literal_text(4))
@example("&copy; &#0; <b> & < > \" '", "R&D <img src=\"/etc/passwd\"/>", "a < b & c > d </para> <br/>", "&amp;",
         "OFFICIAL & <b>")
def test_text_in_the_pdf_and_the_docx_equals_the_source(project, title, area, paragraph, recommendation, short):
    """Body text (a question title, an area for improvement, a finding, a recommendation), and
    short text printed on the cover, in the running header or in a sentence (subject, marking,
    carried over)."""
    from .test_end_to_end import squash

    code, lines, out = build(project, fidelity_source(title, area, paragraph, recommendation, short))
    assert code == 0, lines
    pdf = pdf_text(out / "gen.pdf")
    docx = docx_text(out / "gen.docx")
    for text in (title, area, paragraph, recommendation, short):
        assert squash(text) in pdf, (text, pdf)
        assert squash(text) in docx, (text, docx)


# ---- 5. any style within the schema's ranges lays out the longest titles ---------------------

WIDE = ("WWWWWWWWW " * 30)[:250]  # the widest text a title may hold: 250 characters of W
STYLE_NUMBERS = {  # key -> (section, low, high), as in compiler/source/schema.py
    "size": ("fonts", 8, 14), "margin_top_mm": ("page", 5, 40), "margin_bottom_mm": ("page", 5, 40),
    "margin_left_mm": ("page", 5, 40), "margin_right_mm": ("page", 5, 40), "band_height_mm": ("cover", 0, 180),
    "logo_width_mm": ("cover", 5, 150), "title_size": ("cover", 8, 72), "bleed_mm": ("print", 0, 20),
}


@st.composite
def styles(draw) -> Map:
    sections: dict[str, list] = {}
    for key, (section, low, high) in STYLE_NUMBERS.items():
        value = draw(st.sampled_from([low, high]) | st.integers(low, high))
        sections.setdefault(section, []).append((key, Str(str(value), "")))
    sections["page"].append(("size", Str(draw(st.sampled_from(["A4", "letter"])), "")))
    sections["print"].append(("crop_marks", Str(draw(st.sampled_from(["true", "false"])), "")))
    labels = [(key, quoted(WIDE[:100])) for key in ("contents", "summary", "at_a_glance", "areas_for_improvement",
                                                    "causes_of_concern", "recommendations", "draft")]
    labels += [(key, quoted(WIDE[:40])) for key in ("glance_area", "glance_grade", "ungraded")]  # badge-sized
    grades = Map([("good", Map([("label", quoted(WIDE[:40])), ("colour", Str("#4C9A2A"))]))])
    return Map([("extends", Str("hmicfrs")), ("grades", grades), ("labels", Map(labels)),
                *((name, Map(pairs)) for name, pairs in sections.items())])


def widest_report() -> str:
    title = quoted(WIDE)
    question = Map([("number", Str("9999", "")), ("title", title), ("grade", Str("good")),
                    ("causes_of_concern", Seq([Map([("text", title), ("recommendations", Seq([title]))])])),
                    ("findings", quoted(f"### {WIDE}\n\n{WIDE}"))])
    return emit(Map([("style", Str("gen")), ("status", Str("draft")), *((key, title) for key in (
        "title", "subject", "programme", "marking", "version")),
        ("front_matter", Seq([Map([("title", title)])])),
        ("pillars", Seq([Map([("title", title), ("grade", Str("good")), ("carried_over", title),
                              ("questions", Seq([question]))])]))]))


STYLES = settings(max_examples=12 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@STYLES
@given(styles())
def test_any_style_within_the_ranges_lays_out_the_widest_titles(project, style):
    (project / "styles").mkdir(exist_ok=True)
    (project / "styles" / "gen.yaml").write_text(emit(style))
    code, lines, out = build(project, widest_report())
    assert code == 0, lines


@st.composite
def hostile_styles(draw) -> str:
    """A valid style mutated like the sources above, its labels given hostile text."""
    style = draw(styles())
    labels = style.get("labels")
    for index, (key, _) in enumerate(labels.pairs):
        if draw(st.booleans()):
            labels.pairs[index] = (key, draw(scalars()))
    return emit(draw(mutate(style)))


@settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_styles())
@example("labels: {carried_over: '{year.__class__} {'}\nfonts: {size: 99999999999999999999999}\n")
@example("extends: gen\n")  # a style extending itself
@example("brand: {logo: /etc/passwd}\nfonts: {regular: ../../../../etc/hostname}\n")
def test_hostile_styles_end_in_exit_0_or_positioned_errors(project, style):
    (project / "styles").mkdir(exist_ok=True)
    (project / "styles" / "gen.yaml").write_bytes(style.encode("utf-8", "surrogatepass"))
    text = "style: gen\ntitle: T\nsubject: S\npillars:\n  - title: P\n    grade: good\n"
    code, lines = validate(project, write(project, text))
    assert_well_formed(code, lines, text)
