"""The page's stylesheet, from the same style file as the PDF and the DOCX.

Every colour comes from the style, checked here against what it is drawn on: a colour that
would fall under WCAG's 4.5:1 is replaced by black or white (whichever reads better), so a
brand's pale accent cannot make unreadable links. Style text that reaches the stylesheet (the
font family, the marking and page labels for printing) goes through `css_string`, which
escapes everything but letters and digits: nothing can close the string or the <style>.
"""
from __future__ import annotations

from ...layout import blocks
from ...layout.colour import WCAG_AA, WHITE, contrast, text_colour_for
from ...layout.design import HEADING_SCALES
from ...style.types import Style
from .tables import callout_class, width_class

FALLBACK_FAMILIES = 'Arial, "Liberation Sans", "Helvetica Neue", Helvetica, sans-serif'
FOCUS = "#FFDD00"  # the focus highlight: black text on yellow reads on every brand colour
FOCUS_TEXT = "#0B0C0C"
BASE_FONT_PT = 11.0  # the style's body size this page's 1.125rem matches


def readable(colour: str, background: str) -> str:
    return colour if contrast(colour, background) >= WCAG_AA else text_colour_for(background)


def css_string(value: str) -> str:
    """A double-quoted CSS string holding exactly `value`, whatever it holds."""
    return '"' + "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):06x}"
                         for ch in value) + '"'


def stylesheet(document: blocks.Document, family_css: str, font_faces: str) -> str:
    style = document.style
    return "\n".join(part for part in (font_faces, _screen(style, family_css), _badges(document),
                                       _rich_blocks(document), _print(document, family_css)) if part)


def _screen(style: Style, family: str) -> str:
    c = style.colours
    text = readable(c.text, WHITE)
    primary = readable(c.primary, WHITE)
    link = readable(c.accent, WHITE)
    muted = readable(c.muted, WHITE)
    band, band_text = style.cover.band_colour, readable(style.cover.text_colour, style.cover.band_colour)
    callout_text, callout_link = readable(c.text, c.callout), readable(c.accent, c.callout)
    stripe_link = readable(c.accent, c.table_stripe)
    stripe_text, stripe_heading = readable(c.text, c.table_stripe), readable(c.primary, c.table_stripe)
    head_text = text_colour_for(c.primary)
    size = 1.125 * style.fonts.size / BASE_FONT_PT
    scales = HEADING_SCALES  # the PDF's and the DOCX's (layout/design.py)
    # The yellow focus highlight is for what a keyboard user moves to; the skip link's target
    # (`main`, tabindex -1) is focused for them, and in yellow its links fell to 3.8:1. A scroll
    # box takes an outline instead: its rule must match as specifically as the highlight's, or the
    # whole table turned yellow (its links at 3.9:1) with a transparent outline.
    return f"""
*,*::before,*::after{{box-sizing:border-box}}
html{{-webkit-text-size-adjust:100%;text-size-adjust:100%}}
body{{margin:0;font-family:{family},{FALLBACK_FAMILIES};font-size:{size:.4f}rem;line-height:1.5;
color:{text};background:#FFFFFF;overflow-wrap:break-word}}
.page{{max-width:48rem;margin:0 auto;padding:0 1rem}}
a{{color:{link};text-decoration:underline;text-underline-offset:.15em}}
a:hover{{text-decoration-thickness:.15em}}
a:focus-visible,[tabindex]:not([tabindex="-1"]):focus-visible{{outline:3px solid transparent;color:{FOCUS_TEXT};
background:{FOCUS};box-shadow:0 -2px {FOCUS},0 4px {FOCUS_TEXT};text-decoration:none}}
[tabindex="-1"]:focus{{outline:none;background:none;box-shadow:none}}
.table-scroll[tabindex]:focus-visible,.chart-scroll[tabindex]:focus-visible{{color:inherit;background:none;box-shadow:none;
outline:3px solid {FOCUS_TEXT};outline-offset:2px}}
.skip-link{{position:absolute;left:-9999px;top:0;padding:.5rem 1rem;z-index:10}}
.skip-link:focus{{position:static;display:inline-block;left:auto}}
.visually-hidden{{position:absolute!important;width:1px!important;height:1px!important;margin:0!important;
padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;clip-path:inset(50%)!important;
border:0!important;white-space:nowrap!important}}
.marking{{margin:0;padding:.35rem 1rem;text-align:center;font-weight:700;letter-spacing:.04em;
background:#FFFFFF;color:{text};border-bottom:1px solid #B1B4B6}}
footer .marking{{border-bottom:0;border-top:1px solid #B1B4B6}}
.draft-banner{{margin:0;padding:.6rem 1rem;text-align:center;font-weight:700;font-size:1.2em;
color:{text};background:#FFFFFF;border:4px solid {readable(c.callout_rule, WHITE)}}}
.cover{{background:{band};color:{band_text};padding:1.5rem 0 2rem}}
.cover .logo{{display:block;width:{style.cover.logo_width_mm:g}mm;max-width:100%;height:auto;margin:0 0 1.5rem}}
.cover h1{{font-size:2.2em;line-height:1.15;margin:0 0 .6rem;color:{band_text}}}
.cover .subject{{font-size:1.45em;font-weight:700;margin:0 0 .4rem}}
.cover .programme{{font-size:1.1em;margin:0}}
.cover-details{{padding-top:1rem;color:{muted}}}
.cover-details p{{margin:0 0 .3rem}}
.cover-details .status{{font-weight:700;font-size:1.5em;color:{readable(c.callout_rule, WHITE)}}}
h2,h3,h4,h5,h6{{color:{primary};line-height:1.25;margin:1.6em 0 .5em}}
h2{{font-size:{scales["section-heading"]:g}em}} h3{{font-size:{scales["question-heading"]:g}em}}
h4{{font-size:{scales["subsection-heading"]:g}em}} h5,h6{{font-size:1em}}
h3.section-heading{{font-size:{scales["section-heading-2"]:g}em}}
.subheading,.callout .subheading,.callout.areas-for-improvement .subheading{{color:inherit;font-size:1em;margin:1.2em 0 .3em}}
.subheading-2,.callout .subheading-2,.callout.areas-for-improvement .subheading-2{{color:inherit;font-size:1em;font-style:italic;margin:1em 0 .3em}}
.number{{font-variant-numeric:tabular-nums}}
figure.quotation{{margin:1.2em 0}} blockquote.quote{{margin:1.2em 0 1.2em 1em;padding-left:1em;border-left:4px solid {c.callout_rule}}}
figure.quotation blockquote.quote{{margin-bottom:.3em}} .attribution{{margin-left:2em}}
section.new-page{{border-top:4px solid {readable(c.accent, WHITE)};margin-top:2.5rem}}
.contents{{margin:1.5rem 0;padding:1rem 0}}
.contents h2{{margin-top:0}}
.contents-list{{list-style:none;padding:0;margin:0}}
.contents-list .contents-list{{padding-left:1.5rem}}
.contents-list li{{margin:.35rem 0}}
.judgment{{margin:.2rem 0 1rem}}
.badge{{display:inline-block;padding:.15rem .55rem;font-weight:700;border-radius:2px;line-height:1.3}}
.question-lead{{font-weight:700;font-size:1.15em;color:{primary}}}
.last-updated{{color:{muted};font-size:.9em}}
.carried-over{{font-style:italic}}
p.lead-in,p.cause-of-concern{{font-weight:700}}
.callout{{background:{c.callout};color:{callout_text};border-left:6px solid {c.callout_rule};
padding:.2rem 1rem .6rem;margin:1rem 0}}
.callout a{{color:{callout_link}}}
.callout h3,.callout h4,.callout h5{{color:{callout_text};margin-top:.8em}}
.callout .subsection-heading{{color:{readable(c.primary, c.callout)}}}
.callout.areas-for-improvement{{background:{c.table_stripe};color:{stripe_text};border-left-color:{c.primary}}}
.callout.areas-for-improvement a{{color:{stripe_link}}}
.callout.areas-for-improvement h3,.callout.areas-for-improvement h4{{color:{stripe_heading}}}
li{{margin:.3rem 0}}
ul ul{{list-style-type:"\\2013\\a0"}}
ul ul ul{{list-style-type:square}}
.table-scroll{{overflow-x:auto;max-width:100%;margin:1rem 0}}
table.glance{{border-collapse:collapse;width:100%}}
.glance caption{{text-align:left;font-weight:700;font-size:1.2em;padding:.3rem 0;color:{primary}}}
.glance th,.glance td{{text-align:left;vertical-align:middle;padding:.45rem .5rem;border-bottom:1px solid #B1B4B6}}
.glance thead th{{background:{c.primary};color:{head_text}}}
.glance tbody th{{font-weight:400}}
.glance tr.pillar{{background:{c.table_stripe}}}
.glance tr.pillar th{{font-weight:700}}
.glance tr.pillar a{{color:{stripe_link}}}
.glance tr.question th{{padding-left:1.4rem}}
.glance td{{width:1%}}
@media (min-width:30em){{.glance td .badge{{white-space:nowrap}}}}
@media (max-width:30em){{.glance th,.glance td{{padding:.4rem .3rem}} .glance .badge{{font-size:.88em;padding:.15rem .35rem}} .glance tr.question th{{padding-left:.8rem}}}}
table.data{{border-collapse:collapse;min-width:50%;font-size:.92em}}
.data-scroll{{container-type:inline-size;max-width:none;width:calc(100% + max(0px,min(72rem - 100%,(100vw - 48rem)/2 - 1.5rem)))}}
.data caption{{font-size:calc(1em / .92);text-align:left;font-weight:700;padding:.3rem 0;color:{primary};position:sticky;left:0;max-width:100cqi;box-sizing:border-box}}
.data a{{overflow-wrap:anywhere}}
.data th,.data td{{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #B1B4B6}}
.data thead th{{background:{c.primary};color:{head_text}}}
.data tbody tr:nth-child(even){{background:{c.table_stripe};color:{stripe_text}}}
.data tbody tr:nth-child(even) a{{color:{stripe_link}}}
.data .right{{text-align:right}} .data .center{{text-align:center}}
p.source{{color:{muted};font-size:.85em;margin:.3rem 0 1rem}} p.table-note{{font-size:.85em;margin:.3rem 0}}
figure.figure{{margin:1.2rem 0}} figure.figure figcaption{{font-weight:700;padding:.3rem 0;color:{primary}}}
figure.figure img{{display:block;max-width:100%;height:auto}}
.callout-heading{{font-size:1.05em;margin:.8em 0 .3em}}
figure.chart{{margin:1.5em 0}} figure.chart figcaption{{font-weight:700;color:{primary};padding:.3rem 0}}
svg.chart{{display:block;width:100%;min-width:26rem;max-width:48rem;height:auto;font-family:inherit}}
.chart-scroll{{overflow-x:auto}}
figure.chart .source{{margin:.3em 0;font-size:.9em}} figure.chart details{{margin:.5em 0}}
figure.chart summary{{cursor:pointer;color:{primary}}}
footer{{margin-top:3rem;color:{muted};font-size:.9em}}
footer .running{{padding-top:1rem;padding-bottom:1rem}}
footer .running p{{margin:0 0 .3rem}}
dl.glossary dt{{font-weight:bold;margin-top:.8em}} dl.glossary dd{{margin:0 0 0 1.6em}}
footer .imprint{{border-top:1px solid {muted};padding-top:1rem}}
"""


def _badges(document: blocks.Document) -> str:
    """One rule per grade the page shows, in the colours layout chose (text at >= 4.5:1)."""
    seen: dict[str, blocks.Badge] = {}
    for block in blocks.walk_blocks(document.body):
        found = [block.badge] if isinstance(block, blocks.Heading) and block.badge else []
        if isinstance(block, blocks.GlanceTable):
            found = [row.badge for row in block.rows if row.badge]
        for badge in found:
            seen.setdefault(badge.grade, badge)
    return "\n".join(f".grade-{key}{{background:{badge.fill};color:{badge.text_colour}}}"
                     for key, badge in sorted(seen.items()))


def _rich_blocks(document: blocks.Document) -> str:
    """Rules for the figure widths and `callout:` kinds the page shows: each kind's box in its
    fill, text and links readable on it (4.5:1), its edge in the rule layout chose (3:1)."""
    c = document.style.colours
    widths: set[int] = set()
    kinds: dict[str, blocks.Callout] = {}
    for block in blocks.walk_blocks(document.body):
        if isinstance(block, blocks.FigureBlock):
            widths.add(block.width_percent)
        elif isinstance(block, blocks.Callout) and block.kind and block.fill:
            kinds.setdefault(block.kind, block)
    rules = [f"img.{width_class(width)}{{width:{max(1, min(width, 100))}%;height:auto}}" for width in sorted(widths)]
    for kind, box in sorted(kinds.items()):
        name = f".callout.{callout_class(kind)}"
        text, link = readable(c.text, box.fill), readable(c.accent, box.fill)
        rules.append(f"{name}{{background:{box.fill};color:{text};border-left-color:{box.rule or c.callout_rule}}}"
                     f" {name} a{{color:{link}}} {name} .callout-heading{{color:{text}}}")
    return "\n".join(rules)


def _print(document: blocks.Document, family: str) -> str:
    """Printing: no navigation chrome, the marking at the top and bottom of every page, page
    numbers in the style's words, each pillar and section on a new page. Browsers print without
    backgrounds by default: what has light text on a fill (badges, table header rows) keeps its
    fill. A figure is not split from its caption ("Figure 2" alone at a page's foot), nor a heading
    across two pages, nor from its grade badge and what follows them. The cover's words keep an
    inset in its band; a chart's "Data for Figure 1", a control that opens nothing on paper, is
    left out (the drawing prints its values, as the PDF's does)."""
    running = document.running
    face = f"font-family:{family},{FALLBACK_FAMILIES};font-size:9pt"
    boxes = []
    if running.marking:
        marking = css_string(running.marking)
        boxes += [f"@top-center{{content:{marking};font-weight:700;{face}}}",
                  f"@bottom-center{{content:{marking};font-weight:700;{face}}}"]
    if running.watermark:
        boxes.append(f"@top-right{{content:{css_string(running.watermark)};font-weight:700;{face}}}")
    boxes.append(f"@bottom-right{{content:{_page_counter(running.page_x_of_y)};{face}}}")
    return f"""
@page{{size:{document.style.page.size};margin:20mm 18mm;{''.join(boxes)}}}
@media print{{
body{{font-size:{document.style.fonts.size:g}pt;overflow-wrap:break-word}}
.skip-link,nav.contents,.marking{{display:none}}
.page{{max-width:none;padding:0}} .cover .page{{padding:0 6mm}}
.cover{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
.badge,.glance thead th,.data thead th,.glance tr.pillar,.callout{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
section.new-page{{break-before:page;border-top:0;margin-top:0}}
h2,h3,h4,h5,h6,.judgment{{break-after:avoid}} h2,h3,h4,h5,h6{{break-inside:avoid}}
tr,li,.judgment,figure.figure,figure.chart{{break-inside:avoid}}
figure>figcaption:first-child{{break-after:avoid}}
h2+.judgment,h3+.judgment,h4+.judgment,.keep-with-previous{{break-before:avoid}}
p{{orphans:3;widows:3}}
.table-scroll{{overflow:visible}}
.data-scroll{{width:auto;container-type:normal}}
.chart-scroll{{overflow:visible}} figure.chart details{{display:none}}
a{{color:inherit}}
}}
"""


def _page_counter(template: str) -> str:
    """"Page {page} of {pages}" as CSS content: the words as strings, the numbers as counters."""
    parts, rest = [], template
    while rest:
        positions = [(rest.find(key), key) for key in ("{page}", "{pages}") if key in rest]
        if not positions:
            parts.append(css_string(rest))
            break
        at, key = min(positions)
        if at:
            parts.append(css_string(rest[:at]))
        parts.append("counter(page)" if key == "{page}" else "counter(pages)")
        rest = rest[at + len(key):]
    return " ".join(parts) or '""'
