"""A process that renders report after report (a batch built with --jobs 1, `watch`, a test run)
must not keep what each render leaves behind: a PDF's object graph is cyclic, and the renderer
freezes the objects made before it renders (issue 18), so it collects first, or each report's
garbage would be frozen with the rest, where no collection looks for it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import gc, json, sys
from pathlib import Path
from compiler.build.load import load_all, source_date_from_env
from compiler.build.report import compose_document
from compiler.diagnostics import Diagnostics
from compiler.render import RenderOptions
from compiler.render.pdf.document import render_pdf
from compiler.source.paths import Roots

root = Path(sys.argv[1])
[loaded] = load_all([root / "sources" / "northshire-peel-2021.yaml"], Roots.at(root))
document = compose_document(loaded, source_date_from_env())
counts = []
for _ in range(6):
    render_pdf(document, RenderOptions(), Diagnostics())
    counts.append(len(gc.get_objects()))
print(json.dumps(counts))
"""


def test_report_after_report_the_objects_in_memory_stay_as_many():
    result = subprocess.run([sys.executable, "-c", CHILD, str(ROOT)], capture_output=True, text=True, timeout=300,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    counts = [int(count) for count in result.stdout.strip().splitlines()[-1].strip("[]").split(",")]
    # One render's garbage at most is ever waiting: the counts level off instead of climbing.
    assert max(counts[2:]) <= counts[1] * 1.05, counts


def test_loading_pauses_the_collector_and_gives_it_back_as_it_was():
    """Loading builds a long-lived tree the collector would rescan for nothing (issue 18): it is
    paused while a source loads, and left as it was found afterwards, even when loading fails."""
    import gc

    import pytest

    from compiler.build.worker import _collector_paused

    assert gc.isenabled()
    with _collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), _collector_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with _collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
