"""Issue rows in SQLite: identity, upsert on import, summaries for the list, whole issues."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from typing import Literal

from reader.core._storage import Database
from reader.core.errors import IssueNotFoundError
from reader.core.types import Issue, IssueSummary, ParsedIssue, Section

UpsertResult = Literal["imported", "updated", "unchanged"]

_SUMMARY_COLUMNS = """
    i.id, i.publication, i.title, i.number, i.date, i.author, i.read, i.starred,
    (SELECT count(*) FROM highlights h WHERE h.issue_id = i.id) AS highlight_count, i.added
"""
"""In IssueSummary's field order: a row becomes a summary by position (10,000 of them per list read)."""


def _normalise(value: str) -> str:
    folded = unicodedata.normalize("NFKC", value).casefold()
    return re.sub(r"[\W_]+", " ", folded).strip()


def issue_id_for(parsed: ParsedIssue) -> str:
    """A stable id: publication + number, else publication + title + date, normalised and hashed."""
    if parsed.number is not None:
        key = f"{_normalise(parsed.publication)}|#{parsed.number}"
    else:
        key = f"{_normalise(parsed.publication)}|{_normalise(parsed.title)}|{parsed.date or ''}"
    return hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def content_hash(parsed: ParsedIssue) -> str:
    """A hash of everything an import can change about an issue."""
    fields = (parsed.publication, parsed.title, str(parsed.number), parsed.date or "", parsed.author or "")
    digest = hashlib.sha256("\x1f".join((*fields, parsed.markdown)).encode("utf-8"))
    return digest.hexdigest()


def upsert_issue(tx: sqlite3.Connection, parsed: ParsedIssue, now: str) -> tuple[str, UpsertResult]:
    """Insert a new issue or update a changed one in place (inside the caller's transaction)."""
    issue_id = issue_id_for(parsed)
    digest = content_hash(parsed)
    row = tx.execute("SELECT content_hash FROM issues WHERE id = ?", (issue_id,)).fetchone()
    if row is not None and row[0] == digest:
        return issue_id, "unchanged"
    values = (
        parsed.publication, parsed.title, parsed.number, parsed.date, parsed.author,
        parsed.markdown, parsed.original, parsed.source, digest, now,
    )  # fmt: skip
    if row is None:
        tx.execute(
            "INSERT INTO issues (publication, title, number, date, author, markdown, original, source,"
            " content_hash, updated, added, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, now, issue_id),
        )
        return issue_id, "imported"
    tx.execute(
        "UPDATE issues SET publication = ?, title = ?, number = ?, date = ?, author = ?, markdown = ?,"
        " original = ?, source = ?, content_hash = ?, updated = ?, indexed = 0 WHERE id = ?",
        (*values, issue_id),
    )
    return issue_id, "updated"


def _summary(row: sqlite3.Row) -> IssueSummary:
    id_, publication, title, number, date, author, read, starred, highlights, added = row
    return IssueSummary(id_, publication, title, number, date, author, bool(read), bool(starred), highlights, added)


def list_summaries(db: Database) -> list[IssueSummary]:
    """Every issue's summary, newest first (undated issues after dated ones, then by number)."""
    rows = db.query(
        f"SELECT {_SUMMARY_COLUMNS} FROM issues i"  # noqa: S608 - constant column list
        " ORDER BY i.date IS NULL, i.date DESC, i.publication, i.number DESC, i.title"
    )
    return [_summary(row) for row in rows]


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
