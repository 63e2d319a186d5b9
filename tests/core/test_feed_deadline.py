"""One request has an overall deadline: a server dripping bytes cannot hold subscribe for minutes."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core import Library
from reader.core import _feeds as feeds
from reader.core._feeds import fetch_feed
from reader.core.errors import FeedError

FEED = (Path(__file__).parents[1] / "fixtures" / "formats" / "rss.xml").read_bytes()
DRIP_EVERY_S = 0.3  # well under the per-read timeout: only an overall deadline stops it
MAX_DRIPS = 200  # the server stops by itself after at most 60 s


class _DripServer:
    """A raw HTTP server on 127.0.0.1 that sends its answer one byte at a time.

    ``part`` is "headers" (the status line and headers drip) or "body" (headers at once with a
    Content-Length, then the body drips), as a stalled or hostile feed server does.
    """

    def __init__(self, part: str) -> None:
        self.part = part
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)  # the request
                head = f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {len(FEED)}\r\n\r\n"
                if self.part == "body":
                    conn.sendall(head.encode())
                dripped = head.encode() + FEED if self.part == "headers" else FEED
                for n in range(min(MAX_DRIPS, len(dripped))):
                    if self._stop.wait(DRIP_EVERY_S):
                        return
                    try:
                        conn.sendall(dripped[n : n + 1])
                    except OSError:
                        break  # the client hung up: what the deadline does

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()


@pytest.fixture(params=["headers", "body"])
def drip(request: pytest.FixtureRequest) -> Iterator[_DripServer]:
    server = _DripServer(request.param)
    yield server
    server.close()


@pytest.mark.timeout(30)
def test_a_dripping_server_is_cut_off_at_the_deadline(drip: _DripServer) -> None:
    started = time.monotonic()
    with pytest.raises(FeedError, match=r"took longer than 2 seconds"):
        fetch_feed(f"{drip.base}/feed.xml", None, None, timeout=15, deadline=2)
    assert time.monotonic() - started < 20  # generous: the deadline is 2 s, the drip would take 60 s


@pytest.mark.timeout(30)
def test_subscribe_gives_up_on_a_dripping_server_in_words(
    drip: _DripServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds, "REQUEST_DEADLINE_S", 2.0)
    with Library(tmp_path / "data") as library:
        with pytest.raises(FeedError, match="took longer than 2 seconds"):
            library.subscribe(f"{drip.base}/feed.xml")
        assert library.subscriptions() == []
