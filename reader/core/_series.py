"""Publications as series, the sidebar's counts, and archiving: all from SQL aggregates."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from reader.core._storage import Database
from reader.core._tags import tag_counts
from reader.core.errors import IssueNotFoundError, ReaderError
from reader.core.types import LibraryCounts, PublicationCount, Series

MAX_GAP_SPAN = 100_000
"""Numbers further apart than this are not a series' numbering (e.g. dates used as numbers): no gaps."""


def library_counts(db: Database) -> LibraryCounts:
    """Every count the sidebar shows, in four aggregate queries over indexes."""
    row = db.query_one(
        "SELECT sum(archived = 0), sum(archived = 0 AND read = 0), sum(starred), sum(archived)"
        " FROM issues INDEXED BY issues_shelf"
    )
    assert row is not None
    highlighted = db.query_one("SELECT count(DISTINCT issue_id) FROM highlights")
    publications = db.query(
        "SELECT publication, count(*), sum(read = 0 AND archived = 0) FROM issues INDEXED BY issues_shelf"
        " GROUP BY publication ORDER BY publication COLLATE NOCASE"
    )
    return LibraryCounts(
        all=row[0] or 0,
        unread=row[1] or 0,
        starred=row[2] or 0,
        highlighted=highlighted[0] if highlighted else 0,
        archived=row[3] or 0,
        publications=tuple(PublicationCount(r[0], r[1], r[2] or 0) for r in publications),
        tags=tuple(tag_counts(db)),
    )


def series(db: Database, publication: str) -> Series:
    """A publication's span, numbering, missing numbers and highlighted issues; ReaderError if it has none."""
    row = db.query_one(
        "SELECT count(*), min(date), max(date), min(number), max(number), count(number)"
        " FROM issues WHERE publication = ?",
        (publication,),
    )
    if row is None or not row[0]:
        raise ReaderError(f"No issue has the publication {publication!r}")
    highlighted = db.query_one(
        "SELECT count(DISTINCT h.issue_id) FROM highlights h JOIN issues i ON i.id = h.issue_id"
        " WHERE i.publication = ?",
        (publication,),
    )
    first, last = row[3], row[4]
    return Series(
        name=publication, issues=row[0], first_date=row[1], last_date=row[2], first_number=first,
        last_number=last, missing=_missing(db, publication, first, last),
        highlighted=highlighted[0] if highlighted else 0, unnumbered=row[0] - row[5],
    )  # fmt: skip


def _missing(db: Database, publication: str, first: int | None, last: int | None) -> tuple[int, ...]:
    if first is None or last is None or last - first > MAX_GAP_SPAN:
        return ()
    have = {r[0] for r in db.query("SELECT DISTINCT number FROM issues WHERE publication = ? AND number IS NOT NULL",
                                   (publication,))}
    return tuple(n for n in range(first, last + 1) if n not in have)


def set_archived(tx: sqlite3.Connection, issue_ids: Iterable[str], archived: bool) -> list[str]:
    """Archive (or bring back) issues; returns the ids whose state changed. IssueNotFoundError for a bad id."""
    changed = []
    for issue_id in issue_ids:
        row = tx.execute("SELECT archived FROM issues WHERE id = ?", (issue_id,)).fetchone()
        if row is None:
            raise IssueNotFoundError(f"No issue with id {issue_id!r} in this library")
        if bool(row[0]) != archived:
            tx.execute("UPDATE issues SET archived = ?, indexed = 0 WHERE id = ?", (int(archived), issue_id))
            changed.append(issue_id)
    return changed


def archived_ids(db: Database) -> set[str]:
    """The ids of archived issues (a partial index holds just them)."""
    return {r[0] for r in db.query("SELECT id FROM issues INDEXED BY issues_archived WHERE archived = 1")}


def is_archived(db: Database, issue_id: str) -> bool:
    """True when the issue is archived."""
    row = db.query_one("SELECT archived FROM issues WHERE id = ?", (issue_id,))
    return bool(row and row[0])
