"""Fetching a subscribed feed over HTTP(S), only when the person asks, with conditional GET.

The caller keeps the ETag and Last-Modified of the last fetch and passes them back; a server that
has nothing new answers 304 and nothing is downloaded. Every failure is a FeedError whose message
says what went wrong in words (offline, no such host, timed out, HTTP 404, not a feed...).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import IO, Literal

from reader.core._ingest.detect import detect_format
from reader.core._ingest.format_error import FormatError
from reader.core.errors import FeedError
from reader.core.types import ParsedIssue

MAX_FEED_BYTES = 10 * 1024 * 1024
REQUEST_DEADLINE_S = 60.0
"""The most one request may take in all (connect, headers, body, redirects), however the server
paces its bytes: a per-read timeout alone let a server sending one byte every 10 s hold
``subscribe`` for minutes."""
USER_AGENT = "BackIssue/0.1 (+feed reader; conditional GET)"
_CHUNK = 64 * 1024
_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"

FetchStatus = Literal["new", "not-modified"]


@dataclass(frozen=True)
class FeedFetch:
    """The outcome of fetching a feed.

    Attributes:
        status: "new" when the server sent the feed, "not-modified" when it answered 304.
        issues: the feed's entries as issues (empty when not modified).
        etag: the ETag to send next time (the previous one when not modified).
        modified: the Last-Modified value to send next time.
        title: the feed's title (the issues' publication); "" when not modified.
    """

    status: FetchStatus
    issues: list[ParsedIssue] = field(default_factory=list)
    etag: str | None = None
    modified: str | None = None
    title: str = ""


def fetch_feed(
    url: str, etag: str | None, modified: str | None, timeout: float = 15, deadline: float | None = None
) -> FeedFetch:
    """Fetch ``url`` and parse it as an RSS or Atom feed, asking only for what changed.

    Args:
        url: an http or https address.
        etag: the ETag of the last fetch, sent as If-None-Match.
        modified: the Last-Modified of the last fetch, sent as If-Modified-Since.
        timeout: seconds allowed for connecting and for each read.
        deadline: seconds allowed for the whole request, however slowly the server sends
            (default REQUEST_DEADLINE_S); past it the connection is closed.

    Raises:
        FeedError: a bad address, a network or HTTP failure, a response too large, too slow, or not a feed.
    """
    _check_url(url)
    total = REQUEST_DEADLINE_S if deadline is None else deadline
    with _Deadline(total) as clock:
        try:
            fetched = _download(url, etag, modified, timeout, clock)
        except FeedError:
            if clock.expired:
                raise _too_slow(url, total) from None
            raise
        if clock.expired:  # the close may look like the end of a body sent without a length
            raise _too_slow(url, total)
    if isinstance(fetched, FeedFetch):
        return fetched
    data, headers, final_url = fetched
    kind = detect_format(data)
    if kind == "html":
        raise FeedError(f"{url}: the address gives a web page, not a feed")
    if kind != "feed":
        raise FeedError(f"{url}: the address does not give an RSS or Atom feed")
    try:
        from reader.core._ingest.feed_doc import parse_feed  # feedparser: only when a feed is fetched

        issues = parse_feed(data, source=url, base_url=final_url)
    except FormatError as exc:
        raise FeedError(f"{url}: {exc}") from None
    return FeedFetch(
        "new",
        issues,
        headers.get("ETag") or etag,
        headers.get("Last-Modified") or modified,
        title=issues[0].publication,
    )


def _download(
    url: str, etag: str | None, modified: str | None, timeout: float, clock: _Deadline
) -> FeedFetch | tuple[bytes, http.client.HTTPMessage, str]:
    """The response body, headers and final address, or a not-modified FeedFetch; raises FeedError."""
    # The scheme is checked by the caller and the opener has only http(s) handlers.
    request = urllib.request.Request(url, headers=_request_headers(etag, modified))  # noqa: S310
    try:
        with _opener(clock).open(request, timeout=timeout) as response:
            return _read_capped(response, url), response.headers, response.geturl()
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the connection open otherwise
        if exc.code == 304:
            return FeedFetch("not-modified", [], etag, modified)
        if 300 <= exc.code < 400:
            raise FeedError(f"{url}: redirected to a non-web address") from None
        raise FeedError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FeedError(f"{url}: {_network_reason(exc.reason, timeout)}") from None
    except TimeoutError:
        raise FeedError(f"{url}: no answer within {timeout:g} seconds") from None
    except http.client.HTTPException as exc:
        raise FeedError(f"{url}: the server sent a broken response ({type(exc).__name__})") from None
    except OSError as exc:
        raise FeedError(f"{url}: {_network_reason(exc, timeout)}") from None


def _too_slow(url: str, seconds: float) -> FeedError:
    return FeedError(f"{url}: the server took longer than {seconds:g} seconds to send the feed; try again later")


class _Deadline:
    """Closes every connection of one request when its time is up (a timer thread shuts the sockets).

    A blocking read then returns or fails at once, whatever the server's pace.
    """

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        """Close ``sock`` when the time is up (at once if it already is)."""
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], clock: _Deadline) -> type[http.client.HTTPConnection]:
    """``base`` whose socket ``clock`` closes when the request's time is up."""

    class Watched(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            clock.watch(self.sock)

    return Watched


class _DeadlineHttp(urllib.request.HTTPHandler):
    def __init__(self, clock: _Deadline) -> None:
        super().__init__()
        self._clock = clock

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self._clock), req)


class _DeadlineHttps(urllib.request.HTTPSHandler):
    def __init__(self, clock: _Deadline) -> None:
        super().__init__()
        self._clock = clock

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        options: dict[str, object] = {"context": getattr(self, "_context", None)}
        if hasattr(self, "_check_hostname"):  # Python < 3.12
            options["check_hostname"] = self._check_hostname
        return self.do_open(_watched(http.client.HTTPSConnection, self._clock), req, **options)


def _check_url(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:
        raise FeedError(f"{url}: not a valid web address ({exc})") from None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise FeedError(f"{url}: not a web address (feeds are fetched over http or https only)")


def _request_headers(etag: str | None, modified: str | None) -> dict[str, str]:
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": _ACCEPT,
        "Accept-Encoding": "identity",
    }
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    return headers


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http and https only (urllib would also follow one to ftp)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme.lower() not in {"http", "https"}:
            fp.close()
            raise FeedError(f"{req.full_url}: redirected to a non-web address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(clock: _Deadline) -> urllib.request.OpenerDirector:
    """An opener that speaks http and https only (no file:, ftp: or data: handlers), within ``clock``."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        _DeadlineHttp(clock),
        _DeadlineHttps(clock),
        _HttpOnlyRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _read_capped(response: IO[bytes], url: str) -> bytes:
    """The body, refusing more than MAX_FEED_BYTES (the request's _Deadline stops a slow one)."""
    chunks: list[bytes] = []
    total = 0
    while chunk := response.read(_CHUNK):
        total += len(chunk)
        if total > MAX_FEED_BYTES:
            raise FeedError(f"{url}: the feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def _network_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, socket.gaierror):
        return "cannot find that server (offline, or the name does not exist)"
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} seconds"
    if isinstance(reason, ConnectionRefusedError):
        return "the server refused the connection"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection failed ({getattr(reason, 'reason', None) or reason})"
    if isinstance(reason, OSError):
        return f"network error ({reason.strerror or reason})"
    return f"network error ({reason})"
