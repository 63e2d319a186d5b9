"""Subscriptions through the Library against the local fixture feed server (never the internet)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core import FeedError, Library
from tests.feed_server import Server


def test_subscribe_imports_entries_and_refresh_uses_conditional_get(library: Library, server: Server) -> None:
    result = library.subscribe(f"{server.base}/rss.xml")
    assert result.imported >= 1
    [feed] = library.subscriptions()
    assert feed.url == f"{server.base}/rss.xml" and not feed.last_error
    count = len(library.list_issues())
    report = library.refresh()
    assert [f.status for f in report.files] == ["unchanged"]
    assert server.requests[-1].get("If-None-Match")  # asked only for what changed
    assert len(library.list_issues()) == count
    assert library.search(library.list_issues()[0].title.split()[0])


def test_a_broken_feed_fails_alone_with_its_reason(library: Library, server: Server) -> None:
    library.subscribe(f"{server.base}/rss.xml")
    with pytest.raises(FeedError):
        library.subscribe(f"{server.base}/broken.xml")
    library._db.connection().execute(  # a feed that broke after it was subscribed
        "INSERT INTO feeds (url, title, added) VALUES (?, 'Broken', '2026-01-01T00:00:00Z')",
        (f"{server.base}/missing.xml",),
    )
    report = library.refresh()
    statuses = {Path(f.path).name: f.status for f in report.files}
    assert statuses == {"rss.xml": "unchanged", "missing.xml": "failed"}
    broken = next(s for s in library.subscriptions() if s.url.endswith("missing.xml"))
    assert "404" in broken.last_error


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://x/feed", "not a url"])
def test_only_web_addresses_can_be_subscribed(library: Library, url: str) -> None:
    with pytest.raises(FeedError, match="not a feed address"):
        library.subscribe(url)
    assert library.subscriptions() == []
