"""fetch_feed against a real HTTP server on 127.0.0.1: conditional GET, redirects, caps and failures."""

from __future__ import annotations

import socket

import pytest

from reader.core import _feeds as feeds
from reader.core._feeds import fetch_feed
from reader.core.errors import FeedError
from tests.feed_server import ETAG, LAST_MODIFIED, Server


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
