"""The pages `watch` serves: the index of reports, and a built edition with the reload script
(and, while its source is invalid, its diagnostics) added. Only served copies get these: the
built files on disk are never changed.

Everything taken from a source (file names, ids, diagnostics quoting source text) is escaped
here; the served pages also carry a Content-Security-Policy that lets only the reload script
run, so even text that slipped past escaping could not run a script of its own.
"""
from __future__ import annotations

import base64
import hashlib
from html import escape

from .edition import Edition, ReportState

VERSION_PATH = "/__reportc/version"
POLL_MS = 250  # save-to-reload must stay under a second: build (~0.1 s) + at most one poll interval

# The script never changes (its version comes from an attribute), so the policy can name its hash.
RELOAD_SCRIPT = (
    "(function(){var me=document.currentScript,seen=me.getAttribute('data-version');"
    "function poll(){fetch('" + VERSION_PATH + "',{cache:'no-store'}).then(function(r){return r.text();})"
    ".then(function(now){if(now!==seen){location.reload();}else{setTimeout(poll," + str(POLL_MS) + ");}},"
    "function(){setTimeout(poll,1000);});}"  # the server is restarting: try again, more slowly
    "setTimeout(poll," + str(POLL_MS) + ");})();"
)
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(RELOAD_SCRIPT.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY = ("default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
                           f"script-src 'sha256-{_SCRIPT_HASH}'; connect-src 'self'; base-uri 'none'; "
                           "form-action 'none'; frame-ancestors 'none'")
RELOAD_MARKER = "data-reportc-watch"  # tests look for it; built files never contain it

_PANEL_STYLE = ("position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:50vh;overflow:auto;"
                "margin:0;padding:1em;background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #b00020;"
                "font:15px/1.4 system-ui,sans-serif")


def reload_script(version: int) -> str:
    return f'<script {RELOAD_MARKER} data-version="{version}">{RELOAD_SCRIPT}</script>'


def served_report(state: ReportState, version: int) -> bytes:
    """The page of one report: its last good edition (or, if it never built, a page of its
    diagnostics), with the problems of its latest build on top and the reload script."""
    if state.html is None:
        return _page(f"{state.id or state.file} does not build", _problems(state), version)
    extra = ("" if state.ok else _problems_panel(state)) + reload_script(version)
    return _inject(state.html, extra.encode("utf-8"))


def _inject(html: bytes, extra: bytes) -> bytes:
    """`extra` just before the page's closing </body> (at the end, should there be none)."""
    at = html.rfind(b"</body>")
    return html + extra if at < 0 else html[:at] + extra + html[at:]


def _problems_panel(state: ReportState) -> str:
    return (f'<div {RELOAD_MARKER}-problems role="alert" style="{_PANEL_STYLE}">'
            f"<p><strong>The latest save of {escape(state.file)} does not build;</strong> this is the last good "
            f'edition. <a href="/">All reports</a></p>{_diagnostics(state.diagnostics)}</div>')


def _problems(state: ReportState) -> str:
    return (f"<p>{escape(state.file)} has not built yet: fix the problems below and save; this page reloads "
            f'by itself. <a href="/">All reports</a></p>{_diagnostics(state.diagnostics)}')


def _diagnostics(diagnostics) -> str:
    if not diagnostics:
        return ""
    lines = "\n".join(escape(diagnostic.format()) for diagnostic in diagnostics)
    return f'<pre style="white-space:pre-wrap;overflow-wrap:anywhere">{lines}</pre>'


def index_page(edition: Edition) -> bytes:
    """Every report with its state (ok, or failed with its diagnostics), and the batch's own
    problems (a missing source folder, two sources claiming one id)."""
    parts = [f"<h1>reportc watch: {len(edition.reports)} report{'s' if len(edition.reports) != 1 else ''}</h1>"]
    if edition.diagnostics:
        parts.append(f"<h2>Problems</h2>{_diagnostics(edition.diagnostics)}")
    if not edition.reports:
        parts.append("<p>No sources found yet: add one (a <code>.yaml</code> file in <code>sources/</code>, or "
                     "a path named on the command line) and this page updates itself.</p>")
    parts.append("<ul>")
    parts += [_index_entry(state, edition) for state in edition.reports]
    parts.append("</ul>")
    return _page("reportc watch", "".join(parts), edition.version)


def _index_entry(state: ReportState, edition: Edition) -> str:
    served = state.routable and edition.page(state.id) is state
    name = escape(state.id or "(no id)")
    link = f'<a href="/{name}.html">{name}</a>' if served else name
    if state.ok:
        status = '<strong class="ok">ok</strong>'
    elif state.html is not None:
        status = '<strong class="failed">failed</strong>: the last good edition is served'
    else:
        status = '<strong class="failed">failed</strong>: no edition yet'
    return f"<li>{link} ({escape(state.file)}): {status}{_diagnostics(state.diagnostics)}</li>"


def _page(title: str, body: str, version: int) -> bytes:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>body{{font:16px/1.5 system-ui,sans-serif;margin:1em auto;"
            "max-width:60em;padding:0 1em;color:#1a1a1a}.ok{color:#1d6b2a}.failed{color:#b00020}"
            "pre{background:#f4f4f4;padding:.5em}</style>\n</head>\n<body>\n<main>\n"
            f"{body}\n</main>\n{reload_script(version)}\n</body>\n</html>\n").encode("utf-8")
