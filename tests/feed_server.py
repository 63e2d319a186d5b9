"""A real HTTP server on 127.0.0.1 serving fixture feeds (conditional GET, redirects, failures).

Used as the ``server`` fixture; no test touches the internet.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
RSS = (FIXTURES / "rss.xml").read_bytes()
ETAG = '"orchard-v1"'
LAST_MODIFIED = "Wed, 11 Jan 2023 06:00:00 GMT"
RELATIVE = (
    b'<rss version="2.0"><channel><title>Rel</title><item><title>One</title>'
    b'<description>&lt;a href="/posts/1"&gt;Read it&lt;/a&gt;</description></item></channel></rss>'
)


@dataclass
class Server:
    """The test server's address and what it saw."""

    base: str
    requests: list[dict[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            server.requests.append({"path": self.path, **dict(self.headers.items())})
            route = {
                "/rss.xml": self._conditional,
                "/page.html": lambda: self._send(200, (FIXTURES / "saved_page.html").read_bytes(), "text/html"),
                "/broken.xml": lambda: self._send(200, RSS[: len(RSS) // 2]),
                "/bomb.xml": lambda: self._send(200, (FIXTURES / "billion_laughs.xml").read_bytes()),
                "/relative.xml": lambda: self._send(200, RELATIVE),
                "/moved": lambda: self._redirect("/rss.xml"),
                "/to-file": lambda: self._redirect("file:///etc/passwd"),
                "/to-ftp": lambda: self._redirect("ftp://127.0.0.1/feed.xml"),
                "/slow.xml": self._slow,
            }.get(self.path, lambda: self._send(404, b"not here", "text/plain"))
            route()

        def _conditional(self) -> None:
            if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self.send_response(304)
                self.end_headers()
                return
            self._send(200, RSS, headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})

        def _slow(self) -> None:
            server.release.wait(timeout=10)
            self._send(200, RSS)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(
            self,
            status: int,
            body: bytes,
            kind: str = "application/rss+xml",
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    state = Server(base="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    state.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join()
