"""fetch_feed against a real HTTP server on 127.0.0.1: conditional GET, redirects, caps and failures."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader.core import feeds
from reader.core.errors import FeedError
from reader.core.feeds import fetch_feed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
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


def test_first_fetch_returns_the_entries_and_validators(server: Server) -> None:
    result = fetch_feed(f"{server.base}/rss.xml", etag=None, modified=None)
    assert result.status == "new"
    assert [i.title for i in result.issues] == ["Orchard Notes 21: Pruning season", "Orchard Notes 20: Frost"]
    assert {i.source for i in result.issues} == {f"{server.base}/rss.xml"}
    assert (result.etag, result.modified, result.title) == (ETAG, LAST_MODIFIED, "Orchard Notes")
    assert "If-None-Match" not in server.requests[0]


def test_refetch_with_the_etag_is_not_modified(server: Server) -> None:
    result = fetch_feed(f"{server.base}/rss.xml", etag=ETAG, modified=None)
    assert result.status == "not-modified"
    assert result.issues == []
    assert result.etag == ETAG
    assert server.requests[-1]["If-None-Match"] == ETAG


def test_refetch_with_last_modified_only(server: Server) -> None:
    result = fetch_feed(f"{server.base}/rss.xml", etag=None, modified=LAST_MODIFIED)
    assert result.status == "not-modified"
    assert result.modified == LAST_MODIFIED
    assert server.requests[-1]["If-Modified-Since"] == LAST_MODIFIED


def test_a_stale_etag_gets_the_feed_again(server: Server) -> None:
    result = fetch_feed(f"{server.base}/rss.xml", etag='"old"', modified=None)
    assert result.status == "new"
    assert result.etag == ETAG


def test_redirects_are_followed_and_relative_links_resolved(server: Server) -> None:
    assert fetch_feed(f"{server.base}/moved", None, None).issues[0].title == "Orchard Notes 21: Pruning season"
    [issue] = fetch_feed(f"{server.base}/relative.xml", None, None).issues
    assert issue.markdown == f"[Read it]({server.base}/posts/1)\n"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.xml", r"HTTP 404"),
        ("/page.html", r"a web page, not a feed"),
        ("/broken.xml", r"not well-formed XML \(line \d+, column \d+\)"),
        ("/bomb.xml", r"declares XML entities"),
        ("/to-file", r"redirected to a non-web address"),
        ("/to-ftp", r"redirected to a non-web address"),
    ],
)
def test_failures_are_feed_errors_naming_the_url(server: Server, path: str, message: str) -> None:
    url = f"{server.base}{path}"
    with pytest.raises(FeedError, match=message) as caught:
        fetch_feed(url, None, None)
    assert str(caught.value).startswith(url)


def test_a_feed_over_the_size_cap_is_refused(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "MAX_FEED_BYTES", 1000)
    with pytest.raises(FeedError, match="larger than"):
        fetch_feed(f"{server.base}/rss.xml", None, None)


def test_a_silent_server_times_out(server: Server) -> None:
    with pytest.raises(FeedError, match=r"no answer within 0\.2 seconds"):
        fetch_feed(f"{server.base}/slow.xml", None, None, timeout=0.2)


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FeedError, match="refused the connection"):
        fetch_feed(f"http://127.0.0.1:{port}/rss.xml", None, None)


def test_offline_or_unknown_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(FeedError, match=r"cannot find that server \(offline, or the name does not exist\)"):
        fetch_feed("http://feeds.example.invalid/rss", None, None)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed", "javascript:alert(1)", "http://"])
def test_only_web_addresses_are_fetched(url: str) -> None:
    with pytest.raises(FeedError, match="not a web address"):
        fetch_feed(url, None, None)
