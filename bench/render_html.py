"""One source rendered to HTML in this process, timed around the renderer alone (the layout
document is composed first, as for bench/render_pdf.py): the HTML edition's render time.

    python bench/render_html.py SOURCE     # prints: render seconds, bytes written

The render is the first in the process, so it includes wrapping the style's font as WOFF
(cached for the rest of a batch).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from compiler.build.load import load_all, source_date_from_env
from compiler.build.report import compose_document
from compiler.diagnostics import Diagnostics
from compiler.render import RenderOptions
from compiler.render.html import render
from compiler.source.paths import Roots


def main() -> None:
    source = Path(sys.argv[1]).resolve()
    [loaded] = load_all([source], Roots.at(Path.cwd()))
    if not loaded.ok:
        raise SystemExit("\n".join(d.format() for d in loaded.diagnostics))
    document = compose_document(loaded, source_date_from_env())
    started = time.perf_counter()
    result = render(document, RenderOptions(), Diagnostics())
    print(f"{time.perf_counter() - started:.6f} {len(result.data)}")


if __name__ == "__main__":
    main()
