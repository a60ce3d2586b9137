"""The naive single-pass python-docx prototype reportc's DOCX is measured against.

The DOCX twin of prototype_pdf.py, what a developer would write in an afternoon: the source read
with PyYAML, python-docx's default template, the title, pillar and question headings with their
grades as Word headings, areas for improvement as bulleted paragraphs, findings as paragraphs,
one `save`. No validation, no positions, no contents, no house styles or fonts, no cover, no
watermark or marking, no source map: the floor for the same text in Word.

    python bench/prototype_docx.py SOURCE OUT.docx
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml
from docx import Document


def paragraphs(text: str | None) -> list[str]:
    return [" ".join(block.split()) for block in (text or "").split("\n\n") if block.strip()]


def build(report: dict, document) -> None:
    document.add_heading(report["title"], level=0)
    document.add_paragraph(report.get("subject", ""))
    for pillar in report.get("pillars", []):
        document.add_page_break()
        document.add_heading(f"{pillar['title']}: {pillar.get('grade', '')}", level=1)
        for text in paragraphs(pillar.get("summary")):
            document.add_paragraph(text)
        for question in pillar.get("questions", []):
            document.add_heading(f"{question.get('number', '')} {question['title']}: {question.get('grade', '')}",
                                 level=2)
            for item in question.get("areas_for_improvement", []):
                document.add_paragraph(item, style="List Bullet")
            for text in paragraphs(question.get("findings")):
                document.add_paragraph(text)


def main() -> None:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    report = yaml.load(source.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    document = Document()
    document.core_properties.title = report["title"]
    build(report, document)
    document.save(str(out))


if __name__ == "__main__":
    main()
