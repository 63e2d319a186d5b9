"""Deleting issues (with everything that is theirs) and putting them back (undo).

Deleting is the only way an issue leaves the library. An issue's rows in every table go in one
transaction that also records its id in ``index_removals``, so the search index forgets the issue
at its next catch-up even if the process is killed right after the commit. Nothing of the issue is
left behind (no tag, citation, image reference or review card of a gone highlight), and what went is
kept in a ``DeletedIssue`` so ``restore_issue`` puts every row back as it was.

Kept on purpose: ``review_log`` (the history of reviews: the streak counts the days one reviewed,
whatever was reviewed) and ``index_removals`` (the search index's to-do list).
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reader.core.errors import IssueNotFoundError, ReaderError

UNDO_DEPTH = 20
"""How many deletions (each of one issue or of a selection) a Library keeps in memory for undo."""

Rows = tuple[dict[str, Any], ...]

_ISSUE_ROWS = "issue_id = ?"
_HIGHLIGHT_ROWS = "highlight_id IN (SELECT id FROM highlights WHERE issue_id = ?)"
OWNED_TABLES: tuple[tuple[str, str], ...] = (
    # (table, which rows are the issue's), parents before children: the order rows are put back in
    ("highlights", _ISSUE_ROWS),
    ("issue_tags", _ISSUE_ROWS),
    ("highlight_tags", _HIGHLIGHT_ROWS),
    ("review_cards", _HIGHLIGHT_ROWS),
    ("link_scans", _ISSUE_ROWS),
    ("citations", _ISSUE_ROWS),
    ("issue_images", _ISSUE_ROWS),
)
"""Every table holding rows of one issue besides ``issues``; a table missing from the database (an
older schema) is skipped. ``tests/core/test_issue_delete.py`` fails when a table with an ``issue_id``
or ``highlight_id`` column is neither here nor kept on purpose."""

KEPT_TABLES = frozenset({"review_log", "index_removals"})
"""Tables naming issues or highlights whose rows outlive a delete (see the module's docstring)."""


@dataclass(frozen=True)
class DeletedIssue:
    """An issue as it was when deleted: its row, its rows in every other table, and the shared rows
    only it used (the works it cites, the stored images only it shows), column by column."""

    issue: dict[str, Any]
    owned: tuple[tuple[str, Rows], ...]
    works: Rows = ()
    images: Rows = ()

    @property
    def issue_id(self) -> str:
        """The deleted issue's id."""
        return str(self.issue["id"])

    def rows(self, table: str) -> Rows:
        """The deleted issue's rows of ``table`` (empty when it had none)."""
        return next((rows for name, rows in self.owned if name == table), ())

    @property
    def highlights(self) -> Rows:
        """The deleted issue's highlights' rows."""
        return self.rows("highlights")


def delete_issue(tx: sqlite3.Connection, issue_id: str) -> DeletedIssue:
    """Delete an issue and every row that is its own (inside the caller's transaction).

    Raises:
        IssueNotFoundError: no issue has this id.
    """
    row = tx.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()
    if row is None:
        raise IssueNotFoundError(f"No issue with id {issue_id!r} in this library")
    present = _tables(tx)
    owned = tuple((table, _select(tx, table, where, issue_id)) for table, where in OWNED_TABLES if table in present)
    works = _select(tx, "works", "id IN (SELECT work_id FROM citations WHERE issue_id = ?)", issue_id) \
        if "works" in present else ()
    images = _select(tx, "images", "digest IN (SELECT digest FROM issue_images WHERE issue_id = ?1) AND digest NOT IN"
                     " (SELECT digest FROM issue_images WHERE issue_id != ?1)", issue_id) if "images" in present else ()
    for table, where in reversed(OWNED_TABLES):  # children first: no foreign key is left dangling
        if table in present:
            tx.execute(f"DELETE FROM {table} WHERE {where}", (issue_id,))  # noqa: S608 (constant names)
    tx.executemany("DELETE FROM images WHERE digest = ?", [(image["digest"],) for image in images])
    tx.execute("DELETE FROM issues WHERE id = ?", (issue_id,))
    tx.execute("INSERT OR IGNORE INTO index_removals (issue_id) VALUES (?)", (issue_id,))
    return DeletedIssue(_as_dict(row), owned, works, images)


def restore_issue(tx: sqlite3.Connection, deleted: DeletedIssue) -> None:
    """Put a deleted issue back with its id, state and every row it had (inside the caller's transaction).

    The search index catches up on it (``indexed`` = 0); its citations come back as they were, to the
    same works (a work no issue cited meanwhile is put back too).

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
    for image in deleted.images:
        _insert(tx, "images", image, "OR IGNORE")
    work_ids = _restore_works(tx, deleted.works)
    for table, rows in deleted.owned:
        for values in rows:
            if table == "citations":
                _restore_citation(tx, values, work_ids)
            else:
                _insert(tx, table, values, "OR REPLACE" if table == "review_cards" else "")


def _restore_works(tx: sqlite3.Connection, works: Rows) -> dict[int, int]:
    """Make sure each work exists (by key); old work id -> its id now."""
    ids: dict[int, int] = {}
    for work in works:
        row = tx.execute("SELECT id FROM works WHERE key = ?", (work["key"],)).fetchone()
        if row is None:
            taken = tx.execute("SELECT 1 FROM works WHERE id = ?", (work["id"],)).fetchone() is not None
            values = {k: v for k, v in work.items() if k != "id"} if taken else work
            row = (_insert(tx, "works", values),)
        ids[int(work["id"])] = int(row[0])
    return ids


def _restore_citation(tx: sqlite3.Connection, values: dict[str, Any], work_ids: dict[int, int]) -> None:
    values = dict(values, work_id=work_ids.get(int(values["work_id"]), values["work_id"]))
    if tx.execute("SELECT 1 FROM citations WHERE id = ?", (values["id"],)).fetchone() is not None:
        del values["id"]  # a later citation took the number; nothing refers to citation ids
    _insert(tx, "citations", values)


def _tables(tx: sqlite3.Connection) -> set[str]:
    return {row[0] for row in tx.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _select(tx: sqlite3.Connection, table: str, where: str, issue_id: str) -> Rows:
    rows = tx.execute(f"SELECT * FROM {table} WHERE {where}", (issue_id,)).fetchall()  # noqa: S608 (constant names)
    return tuple(_as_dict(row) for row in rows)


def _as_dict(row: sqlite3.Row) -> dict[str, Any]:
    return {key: row[key] for key in row.keys()}  # noqa: SIM118 - sqlite3.Row iterates values


def _insert(tx: sqlite3.Connection, table: str, values: dict[str, Any], conflict: str = "") -> int:
    # Column names come from the database's own rows (SELECT *), never from outside.
    columns = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join("?" * len(values))
    cursor = tx.execute(f"INSERT {conflict} INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                        list(values.values()))
    return int(cursor.lastrowid or 0)


class UndoStack:
    """The last few deletions, newest last; each deletion is one or several issues deleted together.

    Issues are taken back one by one or several at a time; a deletion is forgotten as a whole when
    more than ``depth`` newer ones were made.
    """

    def __init__(self, depth: int = UNDO_DEPTH) -> None:
        self._depth = depth
        self._batch = 0
        self._items: OrderedDict[str, tuple[int, DeletedIssue]] = OrderedDict()

    def push(self, deleted: Sequence[DeletedIssue]) -> None:
        """Remember one deletion of these issues (forgetting the oldest deletions beyond the depth)."""
        self._batch += 1
        for item in deleted:
            self._items.pop(item.issue_id, None)
            self._items[item.issue_id] = (self._batch, item)
        oldest_kept = self._batch - self._depth + 1
        for issue_id in [i for i, (batch, _) in self._items.items() if batch < oldest_kept]:
            del self._items[issue_id]

    def take(self, issue_ids: Iterable[str]) -> list[DeletedIssue]:
        """The remembered deletions of these issues (all or none); raises ReaderError naming one missing."""
        ids = list(dict.fromkeys(issue_ids))
        for issue_id in ids:
            if issue_id not in self._items:
                raise ReaderError(f"Issue {issue_id!r} was not deleted recently, so it cannot be restored")
        return [self._items.pop(issue_id)[1] for issue_id in ids]

    def put_back(self, deleted: Sequence[DeletedIssue]) -> None:
        """Keep deletions whose restore failed, so they can be tried again."""
        self._batch += 1
        for item in deleted:
            self._items[item.issue_id] = (self._batch, item)
