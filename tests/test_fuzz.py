"""The fuzz targets run (a few seconds each here; long runs are a separate command, see README),
and what they found stays fixed."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile

from .conftest import ROOT, run_reportc

FUZZ = ROOT / "fuzz" / "fuzz_validate.py"
TARGETS = ("source", "cache", "manifest", "font", "review")


def test_every_fuzz_target_runs_for_a_set_time_without_failures():
    # One process for all five: the imports and the tiny builds are paid once (about 13 s).
    result = subprocess.run([sys.executable, str(FUZZ), "--target", "all", "--seconds", "2", "--engine", "hypothesis"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for target in TARGETS:
        line = re.search(rf"^fuzz_validate: {target}: (\d+) inputs in 2 s .*no failures", result.stdout, re.M)
        assert line, (target, result.stdout)
        assert int(line.group(1)) >= 5, line.group()  # it ran, beyond the seeds


def test_a_saved_input_is_replayed_by_the_target_of_its_folder(tmp_path):
    """`fuzz_validate.py build/fuzz/TARGET/FILE` reruns a saved input through TARGET."""
    crash = tmp_path / "source" / "crash-example.yaml"
    crash.parent.mkdir()
    crash.write_bytes(b"id: x\ntitle: [unclosed\n")
    replayed = subprocess.run([sys.executable, str(FUZZ), str(crash)], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert f"{crash}: ok" in replayed.stdout  # diagnostics, no exception: not a failure


def shifted_zip() -> bytes:
    """A DOCX whose central directory says it starts 600 bytes after where it does (bytes were
    cut out before it): zipfile computes a negative offset and seek() raises ValueError."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", b"<document/>")  # at offset 0: -600 once shifted
        archive.writestr("padding.bin", b"p" * 1000)
    data = buffer.getvalue()
    return data[:200] + data[800:]  # 600 bytes of the padding cut out


def test_review_of_a_zip_with_a_shifted_directory_is_an_error_not_a_traceback(tmp_path):
    # Found by the review fuzz target: zipfile's ValueError ("negative seek value") escaped.
    docx = tmp_path / "shifted.docx"
    docx.write_bytes(shifted_zip())
    result = run_reportc("review", str(docx))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{docx}:1:1: error: cannot read this file as a DOCX ("), result.stderr
