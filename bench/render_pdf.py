"""One source rendered to PDF in this process, tagged (as reportc always writes it) or not:
the bench's way to measure what tagging costs, since the command line has no switch for it;
and with the garbage collector as the renderer sets it (long-lived objects frozen) or otherwise,
to measure what that choice gains (issue 18, item 2).

    python bench/render_pdf.py SOURCE [--untagged] [--collector frozen|default|off]
"""
from __future__ import annotations

import contextlib
import gc
import sys
from pathlib import Path

from compiler.diagnostics import Diagnostics
from compiler.source.paths import Roots
from compiler.build.load import load_all, source_date_from_env
from compiler.build.report import compose_document
from compiler.render import RenderOptions
from compiler.render.pdf import document
from compiler.render.pdf.document import render_pdf


def collector(mode: str) -> None:
    """`frozen`: as the renderer does it. `default`: Python's collector left as it is, scanning
    everything made before the render again and again. `off`: no collection during the render."""
    if mode == "default":
        document._long_lived_objects_frozen = contextlib.nullcontext
    elif mode == "off":
        gc.disable()
        document._long_lived_objects_frozen = contextlib.nullcontext


def main() -> None:
    source, tagged = Path(sys.argv[1]).resolve(), "--untagged" not in sys.argv[2:]
    if "--collector" in sys.argv:
        collector(sys.argv[sys.argv.index("--collector") + 1])
    [loaded] = load_all([source], Roots.at(Path.cwd()))
    if not loaded.ok:
        raise SystemExit("\n".join(d.format() for d in loaded.diagnostics))
    document = compose_document(loaded, source_date_from_env())
    result = render_pdf(document, RenderOptions(), Diagnostics(), tagged=tagged)
    print(result.pages, len(result.data))


if __name__ == "__main__":
    main()
