"""The naive single-pass reportlab prototype reportc's PDF is measured against.

What a developer would write in an afternoon: the source read with PyYAML, one platypus story
(title, pillar and question headings with their grades, areas for improvement as bullets,
findings as paragraphs), the same embedded Liberation fonts and the default style's page design (12 pt body, 32 mm side margins), a running header and footer with the page number, one
`SimpleDocTemplate.build`. No validation, no positions, no contents, no tagging, no bookmarks,
no badges, no print marks: the floor for the same text on the same number of pages.

    python bench/prototype_pdf.py SOURCE OUT.pdf
"""
from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

FONTS = Path(__file__).resolve().parent.parent / "styles" / "fonts"


def styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(TTFont("Body", str(FONTS / "LiberationSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("Bold", str(FONTS / "LiberationSans-Bold.ttf")))
    body = ParagraphStyle("body", fontName="Body", fontSize=12, leading=12 * 1.4, spaceAfter=12 * 0.65)
    return {
        "title": ParagraphStyle("title", parent=body, fontName="Bold", fontSize=26, leading=32, spaceAfter=12),
        "h1": ParagraphStyle("h1", parent=body, fontName="Bold", fontSize=18, leading=23, spaceBefore=12),
        "h2": ParagraphStyle("h2", parent=body, fontName="Bold", fontSize=14, leading=18, spaceBefore=10),
        "body": body,
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2),
    }


def paragraphs(text: str | None, style: ParagraphStyle) -> list:
    return [Paragraph(escape(" ".join(block.split())), style) for block in (text or "").split("\n\n") if block.strip()]


def story(report: dict, look: dict[str, ParagraphStyle]) -> list:
    flowables = [Paragraph(escape(report["title"]), look["title"]),
                 Paragraph(escape(report.get("subject", "")), look["body"])]
    for pillar in report.get("pillars", []):
        flowables += [PageBreak(), Paragraph(escape(f"{pillar['title']}: {pillar.get('grade', '')}"), look["h1"])]
        flowables += paragraphs(pillar.get("summary"), look["body"])
        for question in pillar.get("questions", []):
            flowables.append(Paragraph(escape(f"{question.get('number', '')} {question['title']}: "
                                              f"{question.get('grade', '')}"), look["h2"]))
            flowables += [Paragraph(escape(item), look["bullet"], bulletText="\u2022")
                          for item in question.get("areas_for_improvement", [])]
            flowables += paragraphs(question.get("findings"), look["body"])
    return flowables


def running(canvas, document) -> None:
    canvas.setFont("Body", 9)
    canvas.drawString(32 * mm, A4[1] - 15 * mm, document.title)
    canvas.drawString(32 * mm, 12 * mm, document.subject)
    canvas.drawRightString(A4[0] - 32 * mm, 12 * mm, f"Page {document.page}")


def main() -> None:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    report = yaml.load(source.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    document = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=32 * mm, rightMargin=32 * mm, topMargin=25 * mm,
                                 bottomMargin=25 * mm, invariant=1, title=report["title"],
                                 subject=report.get("subject", ""))
    document.build(story(report, styles()), onFirstPage=running, onLaterPages=running)
    print(document.page)


if __name__ == "__main__":
    main()
