"""Batch builds: every good source built when others fail, incremental rebuilds that redo exactly
what changed, id claims across a batch, --fail-fast, --shard, the worker pool, atomic writes."""
from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest

from compiler.build import pool
from compiler.cli import main
from compiler.build.shard import Shard, parse, select

from .conftest import ROOT

GOOD = "title: T {n}\nsubject: S\npillars:\n  - title: P\n    grade: good\n    summary: Report {n}.\n"
STYLE = "extends: default\ncolours:\n  primary: '#112233'\n"


def make_project(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def sources(count: int, style: str | None = None) -> dict[str, str]:
    head = f"style: {style}\n" if style else ""
    return {f"sources/r{n}.yaml": head + GOOD.format(n=n) for n in range(1, count + 1)}


@pytest.fixture
def build(monkeypatch, capsys):
    """reportc build in this process (fast: the renderers are imported once per test session),
    returning the exit code and the --json summary, with statuses by source."""

    def run(project: Path, *args: str, epoch: str = "1700000000"):
        monkeypatch.chdir(project)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        code = main(["build", "--json", *args])
        captured = capsys.readouterr()
        summary = json.loads(captured.out) if captured.out else {}
        summary["status"] = {r["source"]: r["status"] for r in summary.get("reports", [])}
        summary["stderr"] = captured.err
        return code, summary

    return run


def test_one_broken_source_never_stops_the_others(tmp_path, build):
    project = make_project(tmp_path, {**sources(3), "sources/broken.yaml": "title: T\npillars: []\nsubjet: x\n"})
    code, summary = build(project, "--jobs", "2")
    assert code == 1
    assert summary["status"] == {"sources/broken.yaml": "failed", "sources/r1.yaml": "built",
                                 "sources/r2.yaml": "built", "sources/r3.yaml": "built"}
    assert "sources/broken.yaml:3:1: error: unknown key `subjet`; did you mean `subject`?" in summary["stderr"]
    assert sorted(p.name for p in (project / "build").glob("*.*") if p.suffix in (".pdf", ".docx")) == [
        f"r{n}.{fmt}" for n in (1, 2, 3) for fmt in ("docx", "pdf")]
    listed = json.loads((project / "build" / "manifest.json").read_text())["artefacts"]
    assert {a["source"] for a in listed} == {"sources/r1.yaml", "sources/r2.yaml", "sources/r3.yaml"}


def test_second_build_skips_everything_and_writes_nothing(tmp_path, build):
    project = make_project(tmp_path, sources(3))
    assert build(project)[0] == 0
    out = project / "build"
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()}
    code, summary = build(project, "--jobs", "2")
    assert code == 0 and summary["built"] == 0 and summary["skipped"] == 3 and summary["pages"] > 0
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()} == before


def test_no_op_rebuild_imports_no_renderer_and_no_yaml(tmp_path):
    """A real process: nothing heavy may be imported when every report is up to date."""
    import subprocess
    import sys

    project = make_project(tmp_path, sources(3))
    probe = ("import sys; from compiler.cli import main; code = main(['build', '-q']); "
             "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'docx', 'PIL', 'yaml', 'lxml'}); "
             "print(code, heavy)")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    first = subprocess.run([sys.executable, "-c", probe], cwd=project, env=env, capture_output=True, text=True)
    assert first.stdout.split()[0] == "0", first.stderr
    second = subprocess.run([sys.executable, "-c", probe], cwd=project, env=env, capture_output=True, text=True)
    assert second.stdout.strip() == "0 []", second.stderr


def test_touching_a_style_rebuilds_exactly_the_reports_using_it(tmp_path, build):
    project = make_project(tmp_path, {
        **{f"sources/a{n}.yaml": "style: a\n" + GOOD.format(n=n) for n in (1, 2)},
        "sources/b1.yaml": "style: b\n" + GOOD.format(n=3),
        "sources/plain.yaml": GOOD.format(n=4),
        "styles/base.yaml": "extends: default\n", "styles/a.yaml": "extends: base\n", "styles/b.yaml": STYLE,
    })
    assert build(project)[0] == 0
    (project / "styles/a.yaml").write_text(STYLE.replace("default", "base"))
    code, summary = build(project, "--verbose")
    assert code == 0
    assert summary["status"] == {"sources/a1.yaml": "built", "sources/a2.yaml": "built",
                                 "sources/b1.yaml": "skipped", "sources/plain.yaml": "skipped"}
    assert "styles/a.yaml changed" in summary["stderr"]
    # An ancestor in the chain counts too.
    (project / "styles/base.yaml").write_text("extends: default\nlabels: {contents: Index}\n")
    assert build(project)[1]["status"]["sources/a1.yaml"] == "built"
    assert build(project)[1]["built"] == 0


def test_files_a_style_names_are_dependencies(tmp_path, build):
    logo = (ROOT / "styles" / "hmicfrs-logo.png").read_bytes()
    project = make_project(tmp_path, {**sources(1, style="mine"), "styles/logo.png": logo,
                                      "styles/mine.yaml": "extends: default\nbrand: {name: B, logo: logo.png}\n"})
    assert build(project)[0] == 0
    from PIL import Image

    Image.new("RGB", (40, 20), "red").save(project / "styles/logo.png")
    assert build(project)[1]["built"] == 1


def test_a_project_style_shadowing_a_shipped_one_rebuilds(tmp_path, build):
    project = make_project(tmp_path, sources(1, style="hmicfrs"))
    assert build(project)[0] == 0
    assert build(project)[1]["built"] == 0
    shutil.copytree(ROOT / "compiler" / "style" / "shipped", project / "styles")  # the name now means this copy
    code, summary = build(project, "--verbose")
    assert summary["status"] == {"sources/r1.yaml": "built"} and "styles/hmicfrs.yaml appeared" in summary["stderr"]


@pytest.mark.parametrize("change", [("--format", "pdf"), ("--print",), ("--strict",), ("epoch",), ("--force",)])
def test_options_that_change_the_bytes_rebuild(tmp_path, build, change):
    project = make_project(tmp_path, sources(2))
    assert build(project)[0] == 0
    args, epoch = ((), "1800000000") if change == ("epoch",) else (change, "1700000000")
    code, summary = build(project, *args, epoch=epoch)
    assert code == 0 and summary["built"] == 2


def test_source_date_epoch_only_rebuilds_reports_it_dates(tmp_path, build):
    """CI sets SOURCE_DATE_EPOCH to each commit's time: a report with `published` ignores it."""
    project = make_project(tmp_path, {"sources/dated.yaml": "published: 2019-05-02\n" + GOOD.format(n=1),
                                      "sources/undated.yaml": GOOD.format(n=2)})
    assert build(project, epoch="1700000000")[0] == 0
    code, summary = build(project, epoch="1800000000")
    assert summary["status"] == {"sources/dated.yaml": "skipped", "sources/undated.yaml": "built"}
    assert json.loads((project / "build/manifest.json").read_text())["source_date"] == "2027-01-15"


def test_a_new_reportc_rebuilds_everything(tmp_path, build):
    project = make_project(tmp_path, sources(2))
    assert build(project)[0] == 0
    cache = project / "build" / ".reportc-cache.json"
    cache.write_text(cache.read_text().replace('"engine":"', '"engine":"0'))  # as if built by another version
    code, summary = build(project, "--verbose")
    assert summary["built"] == 2 and "reportc changed (its version, code or libraries)" in summary["stderr"]


def test_a_changed_or_missing_output_is_rebuilt(tmp_path, build):
    project = make_project(tmp_path, sources(3))
    assert build(project)[0] == 0
    (project / "build/r1.pdf").write_bytes(b"%PDF-1.4 not ours")
    (project / "build/r2.docx").unlink()
    assert build(project)[1]["status"] == {"sources/r1.yaml": "built", "sources/r2.yaml": "built",
                                           "sources/r3.yaml": "skipped"}


def test_a_source_that_fails_after_a_good_build_is_retried(tmp_path, build):
    project = make_project(tmp_path, sources(2))
    assert build(project)[0] == 0
    (project / "sources/r1.yaml").write_text("title: [\n")
    assert build(project)[0] == 1
    assert build(project)[1]["status"]["sources/r1.yaml"] == "failed"  # not skipped: nothing good was recorded
    listed = json.loads((project / "build/manifest.json").read_text())["artefacts"]
    assert {a["source"] for a in listed} == {"sources/r2.yaml"}


def test_ids_are_claimed_across_the_batch(tmp_path, build):
    project = make_project(tmp_path, {"sources/a.yaml": "id: same\n" + GOOD.format(n=1),
                                      "sources/b.yaml": "id: same\n" + GOOD.format(n=2)})
    code, summary = build(project, "--jobs", "2")
    assert code == 1 and summary["status"] == {"sources/a.yaml": "built", "sources/b.yaml": "failed"}
    assert "sources/b.yaml:1:1: error: id 'same' is also the id of sources/a.yaml" in summary["stderr"]
    # A new source taking a built (skipped) report's id fails too, and the built one is kept.
    (project / "sources/b.yaml").write_text("id: other\n" + GOOD.format(n=2))
    assert build(project)[0] == 0
    make_project(project, {"sources/c.yaml": "id: other\n" + GOOD.format(n=3)})
    code, summary = build(project)
    assert code == 1 and summary["status"] == {"sources/a.yaml": "skipped", "sources/b.yaml": "skipped",
                                               "sources/c.yaml": "failed"}


def test_outputs_a_report_no_longer_writes_are_removed(tmp_path, build):
    project = make_project(tmp_path, sources(2))
    assert build(project)[0] == 0
    (project / "sources/r1.yaml").write_text("id: renamed\n" + GOOD.format(n=1))
    (project / "build/r2.pdf").write_bytes(b"edited by hand")  # not ours any more: left alone
    (project / "sources/r2.yaml").write_text("id: also-renamed\n" + GOOD.format(n=2))
    assert build(project, "--format", "docx")[0] == 0
    assert sorted(p.name for p in (project / "build").iterdir() if not p.name.startswith(".")) == [
        "also-renamed.docx", "manifest.json", "r1.pdf", "r2.pdf", "renamed.docx"]  # PDFs were not built


def test_an_empty_shard_still_writes_a_manifest(tmp_path, build):
    project = make_project(tmp_path, sources(1))
    codes = [build(project, "--shard", f"{k}/2", "--out", f"s{k}")[0] for k in (1, 2)]
    assert codes == [0, 0]
    counts = sorted(len(json.loads((project / f"s{k}/manifest.json").read_text())["artefacts"]) for k in (1, 2))
    assert counts == [0, 2]


def test_fail_fast_stops_at_the_first_failure(tmp_path, build):
    project = make_project(tmp_path, {"sources/a.yaml": "title: [\n", **sources(2)})
    code, summary = build(project, "--fail-fast", "--jobs", "1")
    assert code == 1
    assert summary["status"] == {"sources/a.yaml": "failed", "sources/r1.yaml": "not built",
                                 "sources/r2.yaml": "not built"}
    assert not list((project / "build").glob("*.pdf")) if (project / "build").exists() else True


def test_jobs_1_builds_in_this_process(tmp_path, build, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("--jobs 1 must not start a pool")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", no_pool)  # the pool imports it when it starts
    project = make_project(tmp_path, sources(3))
    code, summary = build(project, "--jobs", "1")
    assert code == 0 and summary["built"] == 3 and summary["workers"] == 1


def test_progress_lines_and_quiet(tmp_path, build):
    project = make_project(tmp_path, sources(2))
    code, summary = build(project, "--verbose", "--jobs", "1")
    lines = summary["stderr"].splitlines()
    assert lines[0].startswith("built     sources/r1.yaml -> r1.pdf, r1.docx  (")
    assert lines[-1].startswith("reportc: 2 built, 0 skipped, 0 failed; ")
    assert build(project, "--quiet")[1]["stderr"] == ""


def test_no_temporary_files_remain_and_leftovers_are_removed(tmp_path, build):
    project = make_project(tmp_path, sources(3))
    leftover = project / "build" / ".r1.pdf.abcd1234.tmp"
    make_project(project, {"build/.r1.pdf.abcd1234.tmp": b"%PDF-1.4 half", "build/.keep.tmp": b"not ours"})
    assert build(project, "--jobs", "2")[0] == 0
    assert not leftover.exists() and (project / "build/.keep.tmp").exists()
    assert not [p for p in (project / "build").iterdir() if p.name.endswith(".tmp") and p.name != ".keep.tmp"]


def test_a_full_disk_keeps_the_previous_file_and_reports_it(tmp_path, build, monkeypatch):
    project = make_project(tmp_path, sources(1))
    assert build(project)[0] == 0
    previous = (project / "build/r1.pdf").read_bytes()
    (project / "sources/r1.yaml").write_text(GOOD.format(n=99))

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, summary = build(project, "--jobs", "1")
    assert code == 1
    assert "sources/r1.yaml:1:1: error: cannot write the output: No space left on device" in summary["stderr"]
    assert (project / "build/r1.pdf").read_bytes() == previous
    assert not list((project / "build").glob(".*.tmp"))


def test_same_source_date_epoch_gives_identical_bytes_in_another_folder(tmp_path, build):
    """Two 'machines': the same tree in two folders, built with one SOURCE_DATE_EPOCH."""
    files = {**sources(2), "sources/seed.yaml": (ROOT / "sources/city-of-london-peel-2018.yaml").read_text()}
    first = make_project(tmp_path / "one", {**files})
    second = make_project(tmp_path / "two" / "deeper", {**files})
    for project in (first, second):
        shutil.copytree(ROOT / "styles", project / "styles")
    assert build(first, "--jobs", "2")[0] == 0 and build(second, "--jobs", "1")[0] == 0
    for name in ("manifest.json", "seed.pdf", "seed.docx", "r1.pdf", "r2.docx"):
        assert (first / "build" / name).read_bytes() == (second / "build" / name).read_bytes(), name


# ---- the pool ------------------------------------------------------------------------------

def _record_pid(path: str) -> None:
    with open(path, "a") as stream:
        stream.write(f"{os.getpid()}\n")


def _pid_of(job: int) -> tuple[int, int]:
    return job, os.getpid()


def test_each_worker_is_initialised_once_and_results_cover_every_job(tmp_path):
    log = tmp_path / "init.log"
    outcomes = list(pool.run(_pid_of, list(range(12)), 2, _record_pid, (str(log),)))
    assert sorted(o.result[0] for o in outcomes) == list(range(12))
    workers = {o.result[1] for o in outcomes}
    initialised = log.read_text().split()
    assert os.getpid() not in workers and len(initialised) <= 2
    assert len(set(initialised)) == len(initialised)  # once per worker, not once per job
    assert set(map(str, workers)) <= set(initialised)  # a worker may start and find no job left


def _die_on_3(job: int) -> int:
    if job == 3:
        os._exit(9)
    return job


def test_a_dead_worker_is_reported_not_raised(tmp_path):
    outcomes = list(pool.run(_die_on_3, [1, 2, 3], 2, _record_pid, (str(tmp_path / "log"),)))
    assert {o.job for o in outcomes} <= {1, 2, 3}
    lost = [o for o in outcomes if o.lost]
    assert lost and all("stopped" in o.lost for o in lost) and any(o.job == 3 for o in lost)


# ---- shards --------------------------------------------------------------------------------

def test_shards_cover_every_source_exactly_once_whatever_the_order():
    names = [f"sources/force-{n:02d}.yaml" for n in range(43)]
    for count in (1, 2, 3, 5, 7):
        parts = [select(names, names, Shard(k, count)) for k in range(1, count + 1)]
        assert sorted(n for part in parts for n in part) == sorted(names)
        assert max(map(len, parts)) - min(map(len, parts)) <= 1
        shuffled = random.Random(count).sample(names, len(names))
        assert [sorted(select(shuffled, shuffled, Shard(k, count))) for k in range(1, count + 1)] == \
            [sorted(part) for part in parts]


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", ""])
def test_bad_shards_are_usage_errors(text, capsys):
    with pytest.raises(ValueError):
        parse(text)
    assert main(["build", "--shard", text]) == 2
    assert "--shard" in capsys.readouterr().err


def test_sharded_builds_merge_into_the_full_build_manifest(tmp_path, build):
    project = make_project(tmp_path, sources(5))
    assert build(project, "--out", "full")[0] == 0
    seen = []
    for k in (1, 2, 3):
        code, summary = build(project, "--shard", f"{k}/3", "--out", f"shard-{k}")
        assert code == 0
        seen += summary["status"]
    assert sorted(seen) == sorted(sources(5))
    for k in (1, 2, 3):  # CI gathers the artefacts in one folder
        for path in (project / f"shard-{k}").glob("r*.*"):
            shutil.copy(path, project / "release" / path.name) if (project / "release").exists() else (
                (project / "release").mkdir(), shutil.copy(path, project / "release" / path.name))
    merged = project / "release" / "manifest.json"
    assert main(["manifest", "merge", *(f"shard-{k}/manifest.json" for k in (1, 2, 3)), "-o", str(merged)]) == 0
    assert merged.read_bytes() == (project / "full" / "manifest.json").read_bytes()
    assert main(["verify", "release"]) == 0


# ---- kills ---------------------------------------------------------------------------------

def complete(name: str, data: bytes) -> bool:
    """A whole PDF (pypdf reads every page) or a whole DOCX (every ZIP member's CRC checks)."""
    import io
    import zipfile

    from pypdf import PdfReader

    if name.endswith(".pdf"):
        return data.rstrip().endswith(b"%%EOF") and len(PdfReader(io.BytesIO(data), strict=True).pages) > 0
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.testzip() is None and "word/document.xml" in package.namelist()


def test_killing_a_build_leaves_no_partial_artefact(tmp_path, build):
    """SIGKILL to the whole process group part-way through a parallel build: every artefact
    present is complete (byte-identical to a full build's), and the next build finishes the job."""
    import signal
    import subprocess
    import sys
    import time

    project = make_project(tmp_path, sources(10))
    assert build(project, "--out", "reference")[0] == 0
    reference = {p.name: p.read_bytes() for p in (project / "reference").glob("r*.*")}
    out = project / "build"
    child = subprocess.Popen([sys.executable, "-m", "compiler", "build", "--jobs", "2", "-q"], cwd=project,
                             env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(out.glob("r*.*")) and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.002)
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:  # it ended on its own: the assertion below says how
        pass
    code = child.wait()
    present = {p.name: p.read_bytes() for p in out.glob("r*.*")}
    assert 0 < len(present) < len(reference), f"the kill should land part-way through the batch (exit {code})"
    for name, data in present.items():
        assert complete(name, data), f"{name} is partial"
    code, summary = build(project)
    assert code == 0 and summary["built"] + summary["skipped"] == 10
    assert {p.name: p.read_bytes() for p in out.glob("r*.*")} == reference
    assert not list(out.glob(".*.tmp"))


def test_a_kill_during_a_write_leaves_the_previous_file(tmp_path):
    """The deterministic case: killed after the bytes are written, before the rename."""
    import subprocess
    import sys

    from compiler.build.output import remove_leftovers

    target = tmp_path / "r.pdf"
    target.write_bytes(b"previous good file")
    script = ("import os, sys, time\nfrom pathlib import Path\nfrom compiler.build.output import write_atomic\n"
              "def stall(fd):\n    print('written', flush=True)\n    time.sleep(60)\n"
              "os.fsync = stall\nwrite_atomic(Path(sys.argv[1]), b'x' * 5_000_000)\n")
    child = subprocess.Popen([sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline() == b"written\n"
        [temporary] = tmp_path.glob(".r.pdf.*.tmp")
        assert temporary.stat().st_size == 5_000_000
    finally:
        child.kill()
        child.wait()
    assert target.read_bytes() == b"previous good file"
    remove_leftovers(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def test_help_validate_and_verify_never_import_the_renderers(tmp_path):
    import subprocess
    import sys

    project = make_project(tmp_path, sources(2))
    probe = ("import sys; from compiler.cli import main\n"
             "codes = [main(['--help']), main(['build', '--help']), main(['validate']), main(['verify', 'nowhere'])]\n"
             "print(codes, sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'docx', 'lxml'}))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "[0, 0, 0, 1] []", result.stderr


def test_one_report_without_charts_imports_no_pool_chart_or_redline_code(tmp_path):
    import subprocess
    import sys

    # What only some builds need is imported when they need it: start-up is most of a
    # typical report's build.
    project = make_project(tmp_path, sources(1))
    probe = ("import sys; from compiler.cli import main\n"
             "code = main(['build', '-q', '--format', 'pdf,docx,html', '--jobs', '1'])\n"
             "print(code, sorted(m for m in sys.modules if m in {'concurrent.futures.process', 'multiprocessing', "
             "'uuid', 'difflib', 'compiler.layout.redline', 'compiler.layout.charts', 'compiler.render.docx.charts'}))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr


def test_ctrl_c_stops_cleanly_and_records_what_was_built(tmp_path, build):
    import signal
    import subprocess
    import sys
    import time

    project = make_project(tmp_path, sources(10))
    out = project / "build"
    child = subprocess.Popen([sys.executable, "-m", "compiler", "build", "--jobs", "2", "-q"], cwd=project,
                             env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}, start_new_session=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(out.glob("r*.*")) and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.002)
    os.killpg(child.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole group
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130 and stderr.strip().endswith("reportc: interrupted"), stderr
    assert "Traceback" not in stderr
    assert not list(out.glob(".*.tmp"))
    assert main(["verify", str(out)]) == 0  # the manifest lists only finished, complete artefacts
    recorded = len(json.loads((out / "manifest.json").read_text())["artefacts"]) // 2
    code, summary = build(project)
    assert code == 0 and summary["skipped"] == recorded and summary["built"] == 10 - recorded


def test_sigterm_stops_like_ctrl_c_records_what_was_built_and_leaves_no_worker(tmp_path, build):
    import signal
    import subprocess
    import sys
    import time

    # A cancelled CI job, `timeout` and `docker stop` send SIGTERM to reportc alone. Killed at once,
    # it recorded nothing and left its idle workers running for good.
    project = make_project(tmp_path, sources(10))
    out = project / "build"
    child = subprocess.Popen([sys.executable, "-m", "compiler", "build", "--jobs", "2", "-q"], cwd=project,
                             env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}, start_new_session=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(out.glob("r*.*")) and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.002)
    child.send_signal(signal.SIGTERM)  # the main process only
    try:
        _, stderr = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # orphaned workers hold its pipes open
        os.killpg(child.pid, signal.SIGKILL)
        raise
    time.sleep(0.5)
    try:
        os.killpg(child.pid, signal.SIGKILL)  # succeeds only if a worker of its group lives on
        left = True
    except ProcessLookupError:
        left = False
    assert not left and child.returncode == 130 and "Traceback" not in stderr, stderr
    assert not list(out.glob(".*.tmp")) and main(["verify", str(out)]) == 0
    recorded = len(json.loads((out / "manifest.json").read_text())["artefacts"]) // 2
    code, summary = build(project)
    assert code == 0 and summary["skipped"] == recorded and summary["built"] == 10 - recorded
