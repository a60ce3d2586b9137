"""The preview server: http.server's ThreadingHTTPServer on 127.0.0.1, serving from memory.

Routes, and nothing else (no directory listing, no file system behind any URL):
    /  and /index.html      the reports and their state
    /<id>.html              a known report id's served page (pages.served_report)
    /__reportc/version      the edition's version, which open pages poll to reload
Any other path, `/../../etc/passwd` included, is a 404. Only GET and HEAD are answered.

A preview of confidential reports must not be readable by other sites the browser has open:
requests whose Host is not this server's own address (DNS rebinding) are refused.
"""
from __future__ import annotations

import errno
import socketserver
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from .edition import Edition
from .pages import CONTENT_SECURITY_POLICY, VERSION_PATH, index_page, served_report

HOST = "127.0.0.1"  # never 0.0.0.0: a preview is for this machine only
REQUEST_TIMEOUT_SECONDS = 10  # a client that stalls mid-request frees its thread


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open connections never hold up Ctrl-C

    def __init__(self, port: int, edition: Callable[[], Edition]) -> None:
        self.edition = edition  # the current edition, looked up per request
        super().__init__((HOST, port), PreviewHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host's name up (socket.getfqdn): a DNS wait for nothing.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_port}/"

    def handle_error(self, request, client_address) -> None:
        pass  # a browser that closed its connection early, a malformed request: nothing to report


def open_server(port: int, edition: Callable[[], Edition]) -> tuple[PreviewServer | None, str | None]:
    """(server, None), bound and listening; or (None, why not, as a message)."""
    try:
        return PreviewServer(port, edition), None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return None, (f"port {port} on {HOST} is in use (another `reportc watch`?); choose another with "
                          "--port N, or --port 0 for any free port")
        if error.errno == errno.EACCES:
            return None, f"port {port} needs privileges reportc should not have; choose one above 1023"
        return None, f"cannot listen on {HOST}:{port} ({error.strerror or error})"


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    timeout = REQUEST_TIMEOUT_SECONDS
    server_version = "reportc-watch"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def log_message(self, format: str, *args) -> None:
        pass  # open pages poll several times a second: a line each would bury the diagnostics

    def _answer(self, with_body: bool) -> None:
        if not self._host_is_ours():
            self._send(403, b"This preview answers only at " + self.server.url.encode("ascii") + b"\n",
                       "text/plain", with_body)
            return
        edition = self.server.edition()
        path = self.path.split("?", 1)[0]  # the query (a cache-buster) is not part of the route
        if path in ("/", "/index.html"):
            self._send(200, index_page(edition), "text/html", with_body)
        elif path == VERSION_PATH:
            self._send(200, str(edition.version).encode("ascii"), "text/plain", with_body)
        elif path.startswith("/") and path.endswith(".html") and edition.page(path[1:-5]) is not None:
            self._send(200, served_report(edition.page(path[1:-5]), edition.version), "text/html", with_body)
        else:
            self._send(404, b"Not found: this preview serves / and the reports it lists\n", "text/plain", with_body)

    def _host_is_ours(self) -> bool:
        port = self.server.server_port
        return self.headers.get("Host", "").lower() in (f"{HOST}:{port}", f"localhost:{port}")

    def _send(self, status: int, body: bytes, content_type: str, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # every reload shows the latest edition
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if content_type == "text/html":
            self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.end_headers()
        if with_body:
            self.wfile.write(body)
