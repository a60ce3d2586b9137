"""reportlab's URL pattern is compiled when first used, not on import, and matches as compiled."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap

from compiler.render.pdf.deferredpattern import REPORTLAB_URI_FLAGS, REPORTLAB_URI_PATTERN, DeferredPattern

URLS = ["https://example.org/a/b/", "HTTPS://EXAMPLE.ORG/A", "http://ünï.de/x", "www.example.com",
        "ftp://10.0.0.1:21/file", "not a url", "https://[::1]/x", "mailto:someone", ""]


def test_the_stand_in_matches_as_the_compiled_pattern():
    # (as reportlab asks for it, re.compile hands back the stand-in this module's import put in
    # its cache: the same flags with UNICODE, implied for text, give a pattern compiled for real)
    compiled = re.compile(REPORTLAB_URI_PATTERN, REPORTLAB_URI_FLAGS | re.UNICODE)
    assert isinstance(compiled, re.Pattern)
    deferred = DeferredPattern(REPORTLAB_URI_PATTERN, REPORTLAB_URI_FLAGS)
    for url in URLS:
        mine, theirs = deferred.match(url), compiled.match(url)
        assert (mine and mine.groups()) == (theirs and theirs.groups()), url
    assert (deferred.pattern, deferred.flags) == (compiled.pattern, compiled.flags)


def test_importing_the_pdf_renderer_leaves_it_uncompiled_and_reportlab_uses_it():
    # A fresh process: reportlab must be imported after the renderer package sets the stand-in.
    probe = textwrap.dedent("""
        import compiler.render.pdf
        from reportlab.platypus import paragraph
        from compiler.render.pdf.deferredpattern import DeferredPattern
        assert type(paragraph.uri_pat) is DeferredPattern, type(paragraph.uri_pat)
        assert paragraph.uri_pat._compiled is None
        assert paragraph._uri_split_pairs("https://example.org/a/b") == [
            ("https://example.org/a/", "b"), ("https://example.org/", "a/b"), ("https://", "example.org/a/b")]
        assert paragraph._uri_split_pairs("not a url") is None
        print("ok")
    """)
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.stdout.strip() == "ok", run.stderr


def test_reportlab_still_writes_the_same_pattern():
    # Upgraded reportlab with another pattern: nothing breaks (it is compiled on import), but the
    # saving is gone; this says so.
    from reportlab.platypus import paragraph

    assert paragraph.uri_pat.pattern == REPORTLAB_URI_PATTERN
