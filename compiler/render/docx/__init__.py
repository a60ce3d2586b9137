"""The DOCX renderer: layout Document -> Word document bytes (python-docx).

`render` imports python-docx when it is first called, so that `review`, which reads the source
map this renderer writes (`sourcemap`), never loads python-docx.
"""
from __future__ import annotations


def render(document, options, diagnostics):
    from .document import render as render_docx

    return render_docx(document, options, diagnostics)
