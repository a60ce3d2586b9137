"""One source rendered to PDF in this process, tagged (as reportc always writes it) or not:
the bench's way to measure what tagging costs, since the command line has no switch for it.

    python bench/render_pdf.py SOURCE [--untagged]
"""
from __future__ import annotations

import sys
from pathlib import Path

from compiler.diagnostics import Diagnostics
from compiler.source.paths import Roots
from compiler.build.load import load_all, source_date_from_env
from compiler.build.report import compose_document
from compiler.render import RenderOptions
from compiler.render.pdf.document import render_pdf


def main() -> None:
    source, tagged = Path(sys.argv[1]).resolve(), "--untagged" not in sys.argv[2:]
    [loaded] = load_all([source], Roots.at(Path.cwd()))
    if not loaded.ok:
        raise SystemExit("\n".join(d.format() for d in loaded.diagnostics))
    document = compose_document(loaded, source_date_from_env())
    result = render_pdf(document, RenderOptions(), Diagnostics(), tagged=tagged)
    print(result.pages, len(result.data))


if __name__ == "__main__":
    main()
