"""Issue rows in SQLite: identity, upsert on import, summaries for the list, whole issues."""

from __future__ import annotations

import bisect
import sqlite3
from typing import Literal

from reader.core import _issue_identity as identity
from reader.core._storage import Database
from reader.core.errors import IssueNotFoundError
from reader.core.types import Issue, IssueSummary, ParsedIssue, Section

_SUMMARY_COLUMNS = """
    i.id, i.publication, i.title, i.number, i.date, i.author, i.read, i.starred,
    (SELECT count(*) FROM highlights h WHERE h.issue_id = i.id) AS highlight_count, i.added
"""
"""In IssueSummary's field order: a row becomes a summary by position (10,000 of them per list read)."""


def issue_id_for(parsed: ParsedIssue) -> str:
    """The id earlier versions gave an issue (publication + number, else + title + date, hashed).

    New issues still get it when it is free; ``upsert_issue`` decides identity by key.
    """
    return identity.legacy_id(parsed)


def content_hash(parsed: ParsedIssue) -> str:
    """A hash of everything an import can change about an issue."""
    return identity.content_hash(parsed)


class DbLookup:
    """Stored issues by key, read through a connection (a write transaction's, or a reader's)."""

    _COLUMNS = "id, source_key, weak_key, fingerprint, content_hash"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def _rows(self, where: str, value: str) -> list[identity.Stored]:
        sql = f"SELECT {self._COLUMNS} FROM issues WHERE {where} = ?"  # noqa: S608 - constant columns
        return [identity.Stored(*row) for row in self._conn.execute(sql, (value,)).fetchall()]

    def by_id(self, issue_id: str) -> identity.Stored | None:
        """The issue with this id."""
        rows = self._rows("id", issue_id)
        return rows[0] if rows else None

    def by_source_key(self, key: str) -> identity.Stored | None:
        """The issue stored under this strong key."""
        rows = self._rows("source_key", key)
        return rows[0] if rows else None

    def by_fingerprint(self, value: str) -> list[identity.Stored]:
        """The issues with this text."""
        return self._rows("fingerprint", value)

    def by_weak_key(self, value: str) -> list[identity.Stored]:
        """The issues with this publication + title + date."""
        return self._rows("weak_key", value)

    def id_taken(self, issue_id: str) -> bool:
        """True when an issue has this id."""
        return self._conn.execute("SELECT 1 FROM issues WHERE id = ?", (issue_id,)).fetchone() is not None


def upsert_issue(tx: sqlite3.Connection, parsed: ParsedIssue, now: str) -> identity.Decision:
    """Insert a new issue or update a changed one in place (inside the caller's transaction).

    Which stored issue ``parsed`` is, if any, is decided by ``identity.decide``: a strong key
    (the source's own, or publication + number) updates in place; a weak one never does.
    """
    keys = identity.Keys.of(parsed)
    decision = identity.decide(keys, DbLookup(tx))
    if decision.outcome == "unchanged":
        if decision.set_key:
            tx.execute("UPDATE issues SET source_key = ? WHERE id = ?", (keys.strong, decision.issue_id))
        return decision
    values = (
        parsed.publication, parsed.title, parsed.number, parsed.date, parsed.author,
        parsed.markdown, parsed.original, parsed.source, keys.digest, keys.weak, keys.fingerprint, now,
    )  # fmt: skip
    if decision.outcome == "imported":
        tx.execute(
            "INSERT INTO issues (publication, title, number, date, author, markdown, original, source,"
            " content_hash, weak_key, fingerprint, updated, source_key, added, id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, keys.strong, now, decision.issue_id),
        )
        return decision
    tx.execute(
        "UPDATE issues SET publication = ?, title = ?, number = ?, date = ?, author = ?, markdown = ?,"
        " original = ?, source = ?, content_hash = ?, weak_key = ?, fingerprint = ?, updated = ?,"
        " indexed = 0, source_key = coalesce(?, source_key) WHERE id = ?",
        (*values, keys.strong if decision.set_key else None, decision.issue_id),
    )
    return decision


def _summary(row: sqlite3.Row) -> IssueSummary:
    id_, publication, title, number, date, author, read, starred, highlights, added = row
    return IssueSummary(id_, publication, title, number, date, author, bool(read), bool(starred), highlights, added)


_LISTING_ORDER = " ORDER BY i.date IS NULL, i.date DESC, i.publication, i.number DESC, i.title"
"""The order of the ``issues_listing`` index (schema v13): a LIMIT reads only the first rows."""


def list_summaries(db: Database, limit: int | None = None) -> list[IssueSummary]:
    """Every issue's summary, newest first; an undated issue of a numbered series sits beside its
    numbered neighbours (see ``place_undated``), other undated issues after the dated ones.

    With ``limit``, only the first ``limit`` in the SQL order (dated issues newest first), read from
    the index without sorting: a first page to show while the rest is read.
    """
    sql = f"SELECT {_SUMMARY_COLUMNS} FROM issues i{_LISTING_ORDER}"  # noqa: S608 - constant text
    if limit is not None:
        return [_summary(row) for row in db.query(sql + " LIMIT ?", (limit,))]
    return place_undated([_summary(row) for row in db.query(sql)])


def place_undated(summaries: list[IssueSummary]) -> list[IssueSummary]:
    """Undated issues that have a number sort as if dated like the same publication's issue with the
    nearest lower number (else the nearest higher): #312 without a date sits between #313 and #311,
    not after every dated issue. ``summaries`` are in the SQL order above; it is kept otherwise."""
    undated = [s for s in summaries if s.date is None and s.number is not None]
    if not undated:
        return summaries
    series: dict[str, list[tuple[int, str]]] = {}
    for summary in summaries:
        if summary.date and summary.number is not None:
            series.setdefault(summary.publication, []).append((summary.number, summary.date))
    placed: dict[str, str] = {}
    for summary in undated:
        numbers = sorted(series.get(summary.publication, ()))
        if numbers and summary.number is not None:
            at = bisect.bisect_right([n for n, _ in numbers], summary.number)
            placed[summary.id] = numbers[at - 1][1] if at else numbers[0][1]
    if not placed:
        return summaries
    when = {s.id: placed.get(s.id, s.date) for s in summaries}
    ordered = sorted(summaries, key=lambda s: (s.publication, -(s.number or 0), s.title))
    ordered.sort(key=lambda s: when[s.id] or "", reverse=True)  # stable: ties keep the order above
    ordered.sort(key=lambda s: when[s.id] is None)
    return ordered


def get_summary(db: Database, issue_id: str) -> IssueSummary:
    """One issue's summary; raises IssueNotFoundError."""
    row = db.query_one(f"SELECT {_SUMMARY_COLUMNS} FROM issues i WHERE i.id = ?", (issue_id,))  # noqa: S608
    if row is None:
        raise IssueNotFoundError(f"No issue with id {issue_id!r} in this library")
    return _summary(row)


def get_issue(db: Database, issue_id: str, sections: tuple[Section, ...]) -> Issue:
    """The whole issue; ``sections`` are derived from its Markdown by the caller."""
    summary = get_summary(db, issue_id)
    row = db.query_one("SELECT markdown, original, source, note FROM issues WHERE id = ?", (issue_id,))
    assert row is not None  # get_summary found it
    return Issue(
        **summary.__dict__,
        markdown=row["markdown"],
        original=row["original"],
        sections=sections,
        source=row["source"],
        note=row["note"],
    )


def markdown_of(db: Database, issue_id: str) -> tuple[str, str]:
    """(markdown, content_hash) of an issue; raises IssueNotFoundError."""
    row = db.query_one("SELECT markdown, content_hash FROM issues WHERE id = ?", (issue_id,))
    if row is None:
        raise IssueNotFoundError(f"No issue with id {issue_id!r} in this library")
    return row["markdown"], row["content_hash"]


_FLAG_SQL = {
    "read": "UPDATE issues SET read = ?, indexed = 0 WHERE id = ?",
    "starred": "UPDATE issues SET starred = ?, indexed = 0 WHERE id = ?",
}


def set_flag(db: Database, issue_id: str, column: Literal["read", "starred"], value: bool) -> None:
    """Set the read or starred flag of an issue (the index's is:unread / is:starred follow)."""
    get_summary(db, issue_id)
    with db.transaction() as tx:
        tx.execute(_FLAG_SQL[column], (int(value), issue_id))


def set_note(db: Database, issue_id: str, text: str) -> None:
    """Set the free note of an issue."""
    get_summary(db, issue_id)
    with db.transaction() as tx:
        tx.execute("UPDATE issues SET note = ?, indexed = 0 WHERE id = ?", (text, issue_id))


def mark_unindexed(tx: sqlite3.Connection, issue_id: str) -> None:
    """Flag an issue for the search index to catch up with."""
    tx.execute("UPDATE issues SET indexed = 0 WHERE id = ?", (issue_id,))
