"""Fetching a subscribed feed over HTTP(S), only when the person asks, with conditional GET.

The caller keeps the ETag and Last-Modified of the last fetch and passes them back; a server that
has nothing new answers 304 and nothing is downloaded. Every failure is a FeedError whose message
says what went wrong in words (offline, no such host, timed out, HTTP 404, not a feed...).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import IO, Literal

from reader.core._ingest.detect import detect_format
from reader.core._ingest.feed_doc import parse_feed
from reader.core._ingest.format_error import FormatError
from reader.core.errors import FeedError
from reader.core.types import ParsedIssue

MAX_FEED_BYTES = 10 * 1024 * 1024
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


def fetch_feed(url: str, etag: str | None, modified: str | None, timeout: float = 15) -> FeedFetch:
    """Fetch ``url`` and parse it as an RSS or Atom feed, asking only for what changed.

    Args:
        url: an http or https address.
        etag: the ETag of the last fetch, sent as If-None-Match.
        modified: the Last-Modified of the last fetch, sent as If-Modified-Since.
        timeout: seconds allowed for connecting and for each read; the whole download gets four times it.

    Raises:
        FeedError: a bad address, a network or HTTP failure, a response too large, or not a feed.
    """
    _check_url(url)
    # The scheme is checked just above and the opener has only http(s) handlers.
    request = urllib.request.Request(url, headers=_request_headers(etag, modified))  # noqa: S310
    try:
        with _opener().open(request, timeout=timeout) as response:
            data = _read_capped(response, url, deadline=time.monotonic() + 4 * timeout)
            headers = response.headers
            final_url = response.geturl()
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
    kind = detect_format(data)
    if kind == "html":
        raise FeedError(f"{url}: the address gives a web page, not a feed")
    if kind != "feed":
        raise FeedError(f"{url}: the address does not give an RSS or Atom feed")
    try:
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


def _opener() -> urllib.request.OpenerDirector:
    """An opener that speaks http and https only: no file:, ftp: or data: handlers."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _read_capped(response: IO[bytes], url: str, deadline: float) -> bytes:
    """The body, refusing more than MAX_FEED_BYTES and a download that drags past the deadline."""
    chunks: list[bytes] = []
    total = 0
    while chunk := response.read(_CHUNK):
        total += len(chunk)
        if total > MAX_FEED_BYTES:
            raise FeedError(f"{url}: the feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MB")
        if time.monotonic() > deadline:
            raise FeedError(f"{url}: the download is too slow; try again later")
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
