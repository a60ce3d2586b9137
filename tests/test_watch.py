"""`reportc watch`: the real command in a subprocess, on a copy of a sample project, driven over
HTTP as a browser would (the reload itself is the page's script polling the version URL)."""
from __future__ import annotations

import base64
import hashlib
import http.client
import re
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, copy_sample_data, run_reportc

SAMPLE = "northshire-peel-2021"
MARKER = b"data-reportc-watch"
START_SECONDS = 30  # generous for a loaded CI machine; a normal start takes about one second


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "sources").mkdir()
    shutil.copy(ROOT / "sources" / f"{SAMPLE}.yaml", tmp_path / "sources")
    copy_sample_data(tmp_path / "sources")
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    return tmp_path


class Watching:
    """A running `reportc watch --port 0`: its URL, its terminal output, and a clean stop."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.stderr_path = folder.parent / f"{folder.name}-watch-stderr.txt"
        self.stderr = open(self.stderr_path, "w")
        self.process = subprocess.Popen([sys.executable, "-m", "compiler", "watch", "--port", "0", *args],
                                        cwd=folder, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout], daemon=True).start()
        line = lines.get(timeout=START_SECONDS)
        assert line.startswith("reportc: serving http://127.0.0.1:"), line
        self.url = line.split()[2]
        self.port = int(self.url.rstrip("/").rsplit(":", 1)[1])

    def get(self, path: str) -> tuple[int, bytes, dict]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def raw(self, path: str, host: str | None = None) -> int:
        """The status for `path` sent exactly as written (urllib might tidy `..` away)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path, skip_host=host is not None)
            if host is not None:
                connection.putheader("Host", host)
            connection.endheaders()
            return connection.getresponse().status
        finally:
            connection.close()

    def until(self, path: str, condition, timeout: float = 10.0) -> bytes:
        """The body of `path` once `condition(body)` holds, polling as the page's script does."""
        deadline = time.monotonic() + timeout
        while True:
            body = self.get(path)[1]
            if condition(body) or time.monotonic() > deadline:
                return body
            time.sleep(0.05)

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=15)
        finally:
            self.process.kill() if self.process.poll() is None else None
            self.stderr.close()
        return code, self.stderr_path.read_text()


@pytest.fixture
def watching(project):
    started = Watching(project)
    yield started
    if started.process.poll() is None:
        started.stop()


def test_serves_the_index_and_each_report_with_the_reload_script_only_when_served(project, watching):
    status, index, _ = watching.get("/")
    assert status == 200 and f'href="/{SAMPLE}.html"'.encode() in index and b'class="ok"' in index and MARKER in index
    status, page, headers = watching.get(f"/{SAMPLE}.html")
    assert status == 200 and page.startswith(b"<!DOCTYPE html>") and b"Northshire PEEL 2021/22" in page
    assert page.count(MARKER) == 1 and page.index(MARKER) < page.rindex(b"</body>")
    script = re.search(rb"<script data-reportc-watch[^>]*>(.*?)</script>", page).group(1)
    allowed = base64.b64encode(hashlib.sha256(script).digest()).decode()
    assert f"script-src 'sha256-{allowed}'" in headers["Content-Security-Policy"]  # it, and nothing else, runs
    built = project / "build" / "watch" / f"{SAMPLE}.html"
    assert MARKER not in built.read_bytes() and b"<script" not in built.read_bytes()  # the published file
    assert watching.get("/__reportc/version")[1].strip().isdigit()

    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/nonexistent.html", f"/{SAMPLE}.pdf",
                 "/build/watch/manifest.json", "/.reportc-cache.json", "/sources/", "/index.html/.."):
        assert watching.raw(path) == 404, path
    assert watching.raw(f"/{SAMPLE}.html", host=f"attacker.example:{watching.port}") == 403  # DNS rebinding
    assert watching.raw(f"/{SAMPLE}.html", host=f"localhost:{watching.port}") == 200

    code, terminal = watching.stop()
    assert code == 0, terminal
    assert "Traceback" not in terminal and "reportc: stopped" in terminal


def test_a_save_rebuilds_and_an_invalid_save_keeps_the_last_good_edition(project, watching):
    source = project / "sources" / f"{SAMPLE}.yaml"
    version = watching.get("/__reportc/version")[1]
    saved = time.monotonic()
    source.write_text(source.read_text().replace("title: Northshire PEEL 2021/22", "title: Westshire PEEL 2021/22"))
    page = watching.until(f"/{SAMPLE}.html", lambda body: b"Westshire PEEL" in body)
    took = time.monotonic() - saved
    assert b"Westshire PEEL" in page, "the save was not rebuilt"
    assert took < 5, f"save to served page took {took:.2f} s"  # about 0.2 s here; the bound allows a busy CI
    assert watching.get("/__reportc/version")[1] != version  # so the open page reloads itself

    good = source.read_text()
    source.write_text(good + '"<script>alert(1)</script>": 1\n')
    index = watching.until("/", lambda body: b'class="failed"' in body)
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in index and b"<script>alert(1)" not in index
    assert f"sources/{SAMPLE}.yaml:".encode() in index  # FILE:LINE:COL, as in the terminal
    page = watching.get(f"/{SAMPLE}.html")[1]
    assert b"Westshire PEEL" in page and b"the last good edition" in page  # still served, problems on top
    assert b"&lt;script&gt;alert(1)" in page and b"<script>alert(1)" not in page

    source.write_text(good)  # fixed: the panel goes
    assert b"the last good edition" not in watching.until(f"/{SAMPLE}.html",
                                                          lambda body: b"the last good edition" not in body)
    code, terminal = watching.stop()
    assert code == 0
    assert f"sources/{SAMPLE}.yaml:" in terminal and "unknown key `<script>alert(1)</script>`" in terminal
    assert "does not build; the last good edition is still served" in terminal


def test_an_open_page_reloads_itself_after_a_save(project, watching, browser):  # noqa: F811
    from playwright.sync_api import expect

    source = project / "sources" / f"{SAMPLE}.yaml"
    page = browser.new_page()
    refused = []  # a script the Content-Security-Policy blocks is reported on the console
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    try:
        page.goto(watching.url + f"{SAMPLE}.html")
        expect(page.locator("h1")).to_have_text("Northshire PEEL 2021/22")
        saved = time.monotonic()
        source.write_text(source.read_text().replace("title: Northshire PEEL", "title: Westshire PEEL"))
        expect(page.locator("h1")).to_have_text("Westshire PEEL 2021/22", timeout=10_000)
        took = time.monotonic() - saved
        print(f"save to reload: {took:.2f} s")
    finally:
        page.close()
    assert not refused  # (the reload came within the 10 s `expect` allows; its speed is bench/'s to measure)
    assert watching.stop()[0] == 0


def test_a_style_or_logo_edit_rebuilds_the_reports_that_use_it(project, watching):
    from PIL import Image

    style = project / "styles" / "hmicfrs.yaml"
    style.write_text(style.read_text().replace("outstanding: {label: Outstanding,", "outstanding: {label: Stellar,"))
    assert b">Stellar<" in watching.until(f"/{SAMPLE}.html", lambda body: b">Stellar<" in body)

    before = watching.get(f"/{SAMPLE}.html")[1]
    logo = project / "styles" / "hmicfrs-logo.png"
    with Image.open(logo) as image:
        changed = image.convert("RGBA")
    changed.putpixel((0, 0), (255, 0, 0, 255))
    changed.save(logo)
    assert watching.until(f"/{SAMPLE}.html", lambda body: body != before) != before
    assert watching.stop()[0] == 0


def test_a_port_in_use_is_a_usage_error(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "compiler", "watch", "--port", str(port)], cwd=project,
                                capture_output=True, text=True, timeout=30)
    assert result.returncode == 2, result.stderr
    assert f"--port {port}: port {port} on 127.0.0.1 is in use" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "build").exists()  # nothing built for a server that never ran


@pytest.mark.parametrize("port", ["70000", "-1", "eighty", "٣"])
def test_a_bad_port_is_a_usage_error(project, port):
    result = run_reportc("watch", "--port", port, cwd=project)
    assert result.returncode == 2 and "--port takes a port number" in result.stderr


def test_the_server_listens_on_loopback_only():
    from compiler.watch.server import HOST, PreviewServer

    server = PreviewServer(0, lambda: None)
    try:
        assert HOST == "127.0.0.1" and server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_without_file_events_it_polls_and_says_so(tmp_path, capsys):
    from types import SimpleNamespace

    from compiler.source.paths import Roots
    from compiler.watch.loop import WatchOptions, _watching

    calls = []

    def watch(*paths, **options):  # watchfiles.watch: inotify's watch limit reached, until it polls
        calls.append(options)
        if not options.get("force_polling"):
            raise OSError("OS file watch limit reached")
        yield set()

    options = WatchOptions((), Roots.at(tmp_path), tmp_path / "build" / "watch", 0)
    _watching(SimpleNamespace(watch=watch), options)
    assert [call.get("force_polling") for call in calls] == [None, True]
    assert "no file events from the system (OS file watch limit reached)" in capsys.readouterr().err
