"""The HTML renderer: layout blocks -> one self-contained, accessible web page.

Stages, each in its own module:
  ids       layout anchors -> stable element ids (`#question-2`)
  inline    inlines -> HTML (the one place user text is escaped; link schemes checked again)
  body      blocks -> the contents `nav` and the `main` content
  css       the style -> the stylesheet (screen and print), colours checked for contrast
  fonts     the style's faces -> `@font-face` rules with WOFF data URIs

The page: a skip link; `header` (marking, DRAFT banner, the cover: logo, the one `h1`, subject,
programme, date, status, version); the contents `nav`; `main`; `footer` (running footer text
and the marking again). No script, nothing fetched: the logo and fonts are data URIs, so the
file can be published as it is. Output depends only on the document and the style's files.
"""
from __future__ import annotations

import base64

from ...diagnostics import Diagnostics
from ...layout.blocks import Contents, Cover, Document, Running
from ...style.images import png_of
from .. import Rendered, RenderOptions
from .body import BodyWriter, badge, imprint
from .css import css_string, stylesheet
from .fonts import fallback_faces, font_faces
from .ids import MAIN_ID, element_ids
from .inline import text


def render(document: Document, options: RenderOptions, diagnostics: Diagnostics) -> Rendered:
    return Rendered(render_html(document, diagnostics).encode("utf-8"), 0)


def render_html(document: Document, diagnostics: Diagnostics) -> str:
    style, meta = document.style, document.metadata
    family = css_string(style.fonts.family)
    writer = BodyWriter(document, element_ids(document.body))
    contents = next((block for block in document.body if isinstance(block, Contents)), None)
    nav = writer.contents(contents) if contents else ""
    main = writer.main(document.body)
    skip = style.label("skip_link")
    header, footer = _header(document.cover, document.running), _footer(document.running, imprint(document))
    faces = font_faces(style.fonts, style.fonts.family, family, diagnostics)
    fallback = fallback_faces(style.fonts, "".join((meta.title, header, nav, main, footer)), diagnostics)
    css = stylesheet(document, ",".join([family, *fallback.families]), "\n".join(filter(None, (faces, fallback.rules))))
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{text(meta.language)}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{text(meta.title)}</title>\n",
        _meta("author", meta.author), _meta("description", meta.subject),
        _meta("keywords", ", ".join(meta.keywords)), _meta("generator", meta.creator),
        _meta("dcterms.date", meta.date.isoformat()),
        f"<style>\n{css}\n</style>\n</head>\n<body>\n",
        f'<a class="skip-link" href="#{MAIN_ID}">{text(skip)}</a>\n',
        header, "\n",
        f'<div class="page">\n{nav}\n<main id="{MAIN_ID}" tabindex="-1">\n{main}\n</main>\n</div>\n',
        footer, "\n</body>\n</html>\n",
    ])


def _lang(language: str | None) -> str:
    """The attribute marking a part in another language than the page's (WCAG 3.1.2)."""
    return f' lang="{text(language)}"' if language else ""


def _meta(name: str, content: str) -> str:
    return f'<meta name="{name}" content="{text(content)}">\n'


def _header(cover: Cover, running: Running) -> str:
    """The cover, in the PDF's order; the marking first and a DRAFT banner for drafts."""
    parts = ["<header>"]
    if running.marking:
        parts.append(f'<p class="marking">{text(running.marking)}</p>')
    if running.watermark:
        version = f" – {text(cover.version_text)}" if cover.version_text else ""
        parts.append(f'<p class="draft-banner">{text(running.watermark)}{version}</p>')
    parts.append('<div class="cover"><div class="page">')
    if cover.logo:
        data = base64.b64encode(png_of(cover.logo)).decode("ascii")
        parts.append(f'<img class="logo" src="data:image/png;base64,{data}" alt="{text(cover.logo.alt)}"'
                     f'{_lang(running.brand_language)} width="{cover.logo.width_px}" height="{cover.logo.height_px}">')
    parts.append(f"<h1>{text(cover.title)}</h1>")
    parts.append(f'<p class="subject">{text(cover.subject)}</p>')
    if cover.programme:
        parts.append(f'<p class="programme">{text(cover.programme)}</p>')
    parts.append('</div></div><div class="page cover-details">')
    for value, role in ((cover.date_text, "date"), (cover.status_text, "status"), (cover.purpose_text, "purpose"),
                        (cover.version_text, "version")):
        if value:
            parts.append(f'<p class="{role}">{text(value)}</p>')
    if cover.grade is not None:  # the label and its badge read as one line: "Overall judgment Good"
        parts.append(f'<p class="overall-grade">{text(cover.grade_label or "")} {badge(cover.grade)}</p>')
    parts.append("</div></header>")
    return "".join(parts)


def _footer(running: Running, imprint_html: str) -> str:
    parts = ['<footer>', imprint_html, '<div class="page running">', f"<p>{text(running.footer_left)}</p>",
             f"<p{_lang(running.brand_language)}>{text(running.header_left)}</p>", "</div>"]
    if running.marking:
        parts.append(f'<p class="marking">{text(running.marking)}</p>')
    parts.append("</footer>")
    return "".join(parts)
