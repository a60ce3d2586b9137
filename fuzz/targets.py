"""The fuzz targets. Each is called with one input's bytes; any exception but the documented
outcome (and a KnownFinding) is a bug in reportc. Each has seeds, a structure-aware mutation
and the packages atheris should instrument.

    source    a report source, through validation (load, schema, style, model)
    cache     OUT/.reportc-cache.json, then a build of a tiny project (one job, DOCX)
    manifest  a manifest.json, read, verified against its folder and merged
    font      a .ttf: fontcheck, and when it passes, reportlab loads and embeds it
    review    a returned draft DOCX, through `reportc review`
"""
from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import mutate
from project import (KnownFinding, SavedFolder, TinyProject, check_diagnostics, check_printable, check_unchanged,
                     snapshot, temporary_folder)

ROOT = Path(__file__).resolve().parent.parent


class SourceTarget:
    """The validate path of the pipeline (load, schema check, style, model) on one source."""

    name, suffix, max_len, instrument = "source", ".yaml", 65536, ("compiler", "yaml")
    KNOWN: dict[str, str] = {}  # findings already reported, by key: counted, not failed
    PIECES = (b"\x00", b"\xff", b"\xef\xbb\xbf", b"\t", b"\r", b": ", b"- ", b"[", b"{", b"*", b"&a ",
              b"!!python/object ", b"<<: ", b'"\\uD800"', b"#", b"\n  ", b"|\n")

    def __init__(self) -> None:
        from compiler.build.load import load_report  # noqa: F401 - imported here, under instrumentation
        from compiler.source.paths import Roots
        from compiler.style.loader import StyleLoader

        project = temporary_folder("source")
        (project / "sources").mkdir()
        self.source = project / "sources" / "fuzz.yaml"
        self.roots = Roots.at(project)
        self.styles = StyleLoader(self.roots)  # shared, as in a batch: styles load once
        self.outcomes: Counter[str] = Counter()

    def seeds(self) -> list[bytes]:
        files = sorted((ROOT / "sources").glob("**/*.yaml")) + sorted((ROOT / "tests" / "diagnostics").glob("*.yaml"))
        return [path.read_bytes() for path in files]

    def mutate(self, data: bytes, rng: random.Random) -> bytes:
        return mutate.mutate_bytes(data, rng, self.PIECES)

    def __call__(self, data: bytes) -> None:
        from compiler.build.load import load_report

        self.source.write_bytes(data)
        loaded = load_report(self.source, self.roots, self.styles)
        self.outcomes["valid" if loaded.report is not None and not loaded.diagnostics.has_errors else "refused"] += 1
        check_diagnostics(loaded.diagnostics)
        if not loaded.diagnostics.has_errors and loaded.report is None:
            raise AssertionError("no report and no error")


class CacheTarget:
    """A crafted build cache costs at most a rebuild and a warning: the build still succeeds,
    writes the same DOCX, touches nothing outside its output folder, and leaves a cache that
    loads without a problem."""

    name, suffix, max_len, instrument = "cache", ".json", 1 << 20, ("compiler",)
    KNOWN: dict[str, str] = {}

    def __init__(self) -> None:
        from compiler.build import cache, manifest
        from compiler.diagnostics import Diagnostics
        from compiler.source.paths import SHIPPED_STYLES

        self.tiny = TinyProject("cache")
        self.cache_path = self.tiny.out / cache.CACHE_NAME
        self.seed = self.cache_path.read_bytes()
        self.docx = (self.tiny.out / "r1.docx").read_bytes()
        self.manifest = (self.tiny.out / "manifest.json").read_bytes()
        self.clean = manifest.read(self.tiny.out / "manifest.json", Diagnostics())
        self.saved = SavedFolder(self.tiny.out)
        self.outside = self._outside()
        self.outcomes: Counter[str] = Counter()
        self.texts = ("../canary.txt", "../../canary.txt", str(self.tiny.canary), "sources/../../canary.txt",
                      "canary.txt", "r1.docx", "../r1.docx", "build/r1.docx", "sources/r1.yaml", "sources/r2.yaml",
                      "styles/default.yaml", str(SHIPPED_STYLES / "default.yaml"), str(SHIPPED_STYLES / ".."),
                      str(SHIPPED_STYLES) + "/../../..", "/etc/passwd", "/dev/zero", "canary", "r1", "docx", "pdf",
                      "r1.pdf", "R1.docx", ".reportc-cache.json", "manifest.json", "2023-11-14", "published")

    def _outside(self) -> tuple[dict, dict]:
        from compiler.source.paths import SHIPPED_STYLES

        return snapshot(self.tiny.root, skip=self.tiny.out), snapshot(SHIPPED_STYLES, hashed=False)

    def seeds(self) -> list[bytes]:
        return [self.seed]

    def mutate(self, data: bytes, rng: random.Random) -> bytes:
        return mutate.mutate_cache(data, rng, self.texts)

    def __call__(self, data: bytes) -> None:
        from compiler.build import cache

        self.saved.restore()
        self.cache_path.write_bytes(data)
        result = self.tiny.build()
        self.outcomes.update(report.status for report in result.reports)
        self.outcomes["warned"] += any(d.severity == "warning" for d in result.diagnostics)
        check_diagnostics(result.diagnostics)
        for report in result.reports:
            check_diagnostics(report.diagnostics)
        check_unchanged(self.outside, self._outside(), self.tiny.root)
        if not result.ok:
            raise AssertionError(f"the build failed: {[(r.file, r.status) for r in result.reports]} "
                                 f"{[d.format() for d in result.diagnostics]}")
        for report in result.reports:
            formats = {output.format for output in report.outputs}
            if formats != {"docx"}:
                if report.status == "skipped" and not formats:
                    raise KnownFinding("up-to-date-without-outputs", f"{report.file} skipped ({report.reason}) "
                                                                     "with no outputs")
                raise AssertionError(f"{report.file} {report.status} with outputs {[o.name for o in report.outputs]}")
        written = self.tiny.out / "r1.docx"
        if not written.is_file() or written.read_bytes() != self.docx:
            raise AssertionError("after the build, r1.docx is missing or not the bytes a clean build writes")
        loaded = cache.load(self.tiny.out)
        if loaded.problem or "sources/r1.yaml" not in loaded.entries:
            raise AssertionError(f"the cache the build left cannot be used: {loaded.problem}")
        self._check_manifest(result)

    def _check_manifest(self, result) -> None:
        """The manifest is the one a clean build writes (builds are deterministic)."""
        from dataclasses import replace

        from compiler.build import manifest
        from compiler.diagnostics import Diagnostics

        path = self.tiny.out / manifest.MANIFEST_NAME
        if path.read_bytes() == self.manifest:
            return
        written = manifest.read(path, Diagnostics())
        if written is not None and [report.status for report in result.reports] == ["skipped"]:
            def unhashed(records):
                return [replace(record, sha256="", pages=None) for record in records]

            if unhashed(written.artefacts) == unhashed(self.clean.artefacts):
                raise KnownFinding("skip-copies-cached-hash", f"the manifest says {written.artefacts}")
        raise AssertionError(f"the build's manifest is not a clean build's: {path.read_text(errors='replace')[:2000]}")


class ManifestTarget:
    """A crafted manifest.json ends in diagnostics: read, verify and merge never raise, verify
    only reads, and a refused manifest comes with an error."""

    name, suffix, max_len, instrument = "manifest", ".json", 1 << 20, ("compiler",)
    KNOWN: dict[str, str] = {}

    def __init__(self) -> None:
        from compiler.build import manifest
        from compiler.diagnostics import Diagnostics

        self.tiny = TinyProject("manifest")
        self.folder = self.tiny.out
        self.path = self.folder / manifest.MANIFEST_NAME
        self.seed = self.path.read_bytes()
        self.built = manifest.read(self.path, Diagnostics())
        self.texts = ("r1.docx", "r1.pdf", "../canary.txt", "../../canary.txt", str(self.tiny.canary), "/etc/passwd",
                      "/dev/zero", ".", "..", "sub/r1.docx", "manifest.json", ".reportc-cache.json", ".reportc.lock",
                      "docx", "pdf", "sources/r1.yaml", "r1")
        self.before = self._folder()
        self.outcomes: Counter[str] = Counter()

    def seeds(self) -> list[bytes]:
        both = json.loads(self.seed)  # one for each format: a PDF record has pages
        pdf = dict(both["artefacts"][0], format="pdf", path="r1.pdf", pages=3)
        both["artefacts"].append(pdf)
        return [self.seed, json.dumps(both, indent=2).encode()]

    def mutate(self, data: bytes, rng: random.Random) -> bytes:
        return mutate.mutate_json(data, rng, self.texts)

    def __call__(self, data: bytes) -> None:
        from compiler.build import manifest
        from compiler.diagnostics import Diagnostics

        self.path.write_bytes(data)
        diagnostics = Diagnostics()
        read = manifest.read(self.path, diagnostics)
        self.outcomes["read" if read is not None else "refused"] += 1
        if read is None and not diagnostics.has_errors:
            raise AssertionError("manifest refused without an error")
        if read is not None:
            checked = manifest.verify(self.folder, read, diagnostics)
            if checked != len(read.artefacts):
                raise AssertionError(f"verify checked {checked} of {len(read.artefacts)} artefacts")
            merged = Diagnostics()
            manifest.merge([("a/manifest.json", read), ("b/manifest.json", self.built)], merged)
            check_diagnostics(merged)
        check_diagnostics(diagnostics)
        check_unchanged(self.before, self._folder(), self.folder)

    def _folder(self) -> dict:
        """The folder as verify must leave it: all but the manifest the fuzzer writes."""
        state = snapshot(self.folder)
        state.pop(self.path.name)
        return state


class FontTarget:
    """fontcheck never raises; a font it passes, reportlab loads, measures and embeds (subset
    into a saved PDF) without an error. One that fails there is a finding: reportc would
    report a font it just accepted as unreadable."""

    name, suffix, max_len, instrument = "font", ".ttf", 1 << 20, ("compiler", "reportlab")
    KNOWN: dict[str, str] = {}
    SAMPLE = "Fuzz 0123 \u00e9\u00df\u2013\u20ac\u4e00\U0001F600"

    def __init__(self) -> None:
        from reportlab.pdfbase import pdfmetrics, ttfonts  # noqa: F401 - imported here, under instrumentation
        from reportlab.pdfgen import canvas  # noqa: F401

        from compiler.style import fontcheck  # noqa: F401

        self.path = temporary_folder("font") / "face.ttf"
        self.fonts = sorted((ROOT / "compiler" / "style" / "shipped" / "fonts").glob("*.ttf"))
        self.outcomes: Counter[str] = Counter()

    def seeds(self) -> list[bytes]:
        return [path.read_bytes() for path in self.fonts]

    def mutate(self, data: bytes, rng: random.Random) -> bytes:
        return mutate.mutate_font(data, rng)

    def __call__(self, data: bytes) -> None:
        from compiler.diagnostics import Diagnostic, Span
        from compiler.style.fontcheck import font_problem

        self.path.write_bytes(data)
        problem = font_problem(self.path)
        self.outcomes["refused" if problem else "embedded"] += 1
        if problem is not None:
            if not isinstance(problem, str) or not problem:
                raise AssertionError(f"font_problem gave {problem!r}")
            check_diagnostics([Diagnostic("error", Span(str(self.path)), problem)])  # as the style loader shows it
            return
        try:
            self._embed()
        except Exception as error:
            raise AssertionError(f"fontcheck passed a font reportlab fails on: {type(error).__name__}: {error}") \
                from error

    def _embed(self) -> None:
        """What the PDF renderer does with a face: register, measure, draw, subset on save."""
        import io

        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas

        font = TTFont("FuzzFace", str(self.path))
        # reportlab never replaces a registered name, and maps a new font whose PostScript name
        # it has seen onto the old one: forget the previous input's face first.
        pdfmetrics._fonts.pop("FuzzFace", None)
        pdfmetrics._dynFaceNames.pop(font.face.name, None)
        pdfmetrics.registerFont(font)
        mapped = [chr(code) for code in sorted(font.face.charToGlyph)[:400]
                  if code >= 32 and not 0xD800 <= code <= 0xDFFF]
        text = self.SAMPLE + "".join(mapped)
        pdfmetrics.stringWidth(text, "FuzzFace", 10)
        page = canvas.Canvas(io.BytesIO())
        page.setFont("FuzzFace", 10)
        for start in range(0, len(text), 80):
            page.drawString(10, 800 - start // 8, text[start:start + 80])
        page.showPage()
        page.save()


class ReviewTarget:
    """`reportc review` on a returned draft: review_docx returns or raises ReviewError, and what
    it returns prints as text and JSON with every untrusted character escaped."""

    name, suffix, max_len, instrument = "review", ".docx", 1 << 20, ("compiler",)
    KNOWN: dict[str, str] = {}

    def __init__(self) -> None:
        from compiler.review import report  # noqa: F401 - imported here, under instrumentation

        tiny = TinyProject("review", draft=True)
        self.draft = (tiny.out / "r1.docx").read_bytes()
        self.path = temporary_folder("review") / "reviewed.docx"
        self.outcomes: Counter[str] = Counter()

    def seeds(self) -> list[bytes]:
        from reviewed import reviewed

        return [self.draft, reviewed(self.draft)]

    def mutate(self, data: bytes, rng: random.Random) -> bytes:
        return mutate.mutate_docx(data, rng)

    def __call__(self, data: bytes) -> None:
        from compiler.diagnostics import Diagnostic, Span
        from compiler.review.limits import ReviewError
        from compiler.review.report import format_json, format_lines, review_docx

        self.path.write_bytes(data)
        try:
            review = review_docx(self.path)
        except ReviewError as error:  # printed as one diagnostic naming the file
            self.outcomes["refused"] += 1
            check_diagnostics([Diagnostic("error", Span(str(self.path)), str(error))])
            return
        self.outcomes[f"reviewed{' with remarks' if review.remarks else ''}"] += 1
        check_diagnostics([Diagnostic("warning", Span(str(self.path)), warning) for warning in review.warnings])
        for line in format_lines(review):
            check_printable(line, "a review line")
        text = format_json(review)
        check_printable(text.replace("\n", " "), "the review JSON")
        json.loads(text)


TARGETS = {target.name: target for target in (SourceTarget, CacheTarget, ManifestTarget, FontTarget, ReviewTarget)}
