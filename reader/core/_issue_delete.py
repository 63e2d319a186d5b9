"""Deleting an issue (with its highlights and notes) and putting it back (undo).

Deleting is the only way an issue leaves the library. The issue row and its highlights go in one
transaction that also records the id in ``index_removals``, so the search index forgets the issue
at its next catch-up even if the process is killed right after the commit.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from reader.core.errors import IssueNotFoundError, ReaderError

UNDO_DEPTH = 20
"""How many deleted issues a Library keeps in memory for ``restore_issue``."""


@dataclass(frozen=True)
class DeletedIssue:
    """An issue as it was when deleted: its row and its highlights' rows, column by column."""

    issue: dict[str, Any]
    highlights: tuple[dict[str, Any], ...]

    @property
    def issue_id(self) -> str:
        """The deleted issue's id."""
        return str(self.issue["id"])


def delete_issue(tx: sqlite3.Connection, issue_id: str) -> DeletedIssue:
    """Delete an issue, its highlights and notes (inside the caller's transaction); raises IssueNotFoundError."""
    row = tx.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()
    if row is None:
        raise IssueNotFoundError(f"No issue with id {issue_id!r} in this library")
    highlights = tx.execute("SELECT * FROM highlights WHERE issue_id = ?", (issue_id,)).fetchall()
    tx.execute("DELETE FROM highlights WHERE issue_id = ?", (issue_id,))
    tx.execute("DELETE FROM issues WHERE id = ?", (issue_id,))
    tx.execute("INSERT OR IGNORE INTO index_removals (issue_id) VALUES (?)", (issue_id,))
    return DeletedIssue(_as_dict(row), tuple(_as_dict(h) for h in highlights))


def restore_issue(tx: sqlite3.Connection, deleted: DeletedIssue) -> None:
    """Put a deleted issue back with its id, state, highlights and notes (inside the caller's transaction).

    Raises:
        ReaderError: an issue with its id or key was imported again meanwhile.
    """
    issue = dict(deleted.issue, indexed=0)
    clash = tx.execute(
        "SELECT title FROM issues WHERE id = ? OR source_key = ?", (issue["id"], issue.get("source_key"))
    ).fetchone()
    if clash is not None:
        raise ReaderError(f"“{clash[0]}” is in the library again (imported since it was deleted); nothing was restored")
    _insert(tx, "issues", issue)
    for highlight in deleted.highlights:
        _insert(tx, "highlights", highlight)


def _as_dict(row: sqlite3.Row) -> dict[str, Any]:
    return {key: row[key] for key in row.keys()}  # noqa: SIM118 - sqlite3.Row iterates values


def _insert(tx: sqlite3.Connection, table: str, values: dict[str, Any]) -> None:
    # Column names come from the database's own rows (SELECT *), never from outside.
    columns = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join("?" * len(values))
    tx.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))  # noqa: S608


class UndoStack:
    """The last few deleted issues, newest last, so the window can undo a delete."""

    def __init__(self, depth: int = UNDO_DEPTH) -> None:
        self._depth = depth
        self._items: OrderedDict[str, DeletedIssue] = OrderedDict()

    def push(self, deleted: DeletedIssue) -> None:
        """Remember a deletion (forgetting the oldest beyond the depth)."""
        self._items.pop(deleted.issue_id, None)
        self._items[deleted.issue_id] = deleted
        while len(self._items) > self._depth:
            self._items.popitem(last=False)

    def take(self, issue_id: str) -> DeletedIssue:
        """The remembered deletion of ``issue_id``; raises ReaderError when there is none."""
        if issue_id not in self._items:
            raise ReaderError(f"Issue {issue_id!r} was not deleted recently, so it cannot be restored")
        return self._items.pop(issue_id)

    def put_back(self, deleted: DeletedIssue) -> None:
        """Keep a deletion whose restore failed, so it can be tried again."""
        self._items[deleted.issue_id] = deleted
