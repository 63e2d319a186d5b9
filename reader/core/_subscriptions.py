"""Feed subscriptions: stored in SQLite, fetched only when the person asks (subscribe / refresh)."""

from __future__ import annotations

from urllib.parse import urlsplit

from reader.core._clock import now_iso
from reader.core._feeds import FeedFetch, fetch_feed
from reader.core._storage import Database
from reader.core.errors import FeedError
from reader.core.types import Subscription


def check_url(url: str) -> str:
    """The URL, stripped, if it is an http(s) address; FeedError otherwise."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:  # "http://[::1" (an unclosed IPv6 bracket), "http://x:port"
        raise FeedError(f"{url!r} is not a valid web address ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FeedError(f"{url!r} is not a feed address (it must start with http:// or https://)")
    return url


def all_subscriptions(db: Database) -> list[Subscription]:
    """Every subscription, by title."""
    rows = db.query("SELECT url, title, added, last_checked, last_error FROM feeds ORDER BY title COLLATE NOCASE")
    return [Subscription(*row) for row in rows]


def save_subscription(db: Database, url: str, fetched: FeedFetch) -> None:
    """Store a new subscription with the validators of its first fetch."""
    with db.transaction() as tx:
        tx.execute(
            "INSERT INTO feeds (url, title, etag, modified, added, last_checked) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET title = excluded.title, etag = excluded.etag,"
            " modified = excluded.modified, last_checked = excluded.last_checked, last_error = ''",
            (url, fetched.title or url, fetched.etag, fetched.modified, now_iso(), now_iso()),
        )


def fetch_subscription(db: Database, url: str, timeout: float = 15) -> FeedFetch:
    """Fetch a stored feed with its validators (conditional GET) and record the outcome."""
    row = db.query_one("SELECT etag, modified FROM feeds WHERE url = ?", (url,))
    etag, modified = (row["etag"], row["modified"]) if row else (None, None)
    try:
        fetched = fetch_feed(url, etag, modified, timeout=timeout)
    except FeedError as exc:
        with db.transaction() as tx:
            tx.execute("UPDATE feeds SET last_checked = ?, last_error = ? WHERE url = ?", (now_iso(), str(exc), url))
        raise
    with db.transaction() as tx:
        tx.execute(
            "UPDATE feeds SET etag = ?, modified = ?, last_checked = ?, last_error = '' WHERE url = ?",
            (fetched.etag, fetched.modified, now_iso(), url),
        )
    return fetched


def remove_subscription(db: Database, url: str) -> bool:
    """Forget a subscription (its issues stay); True if there was one."""
    with db.transaction() as tx:
        return tx.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount > 0
