"""The user's corrections to what an import found (title, publication, number, date, author).

They are stored twice: in the issue's columns (what every list and search reads) and in its
``user_edits`` JSON, so that a re-import that updates the issue's text puts them back on top of what
the parser found again: the user's correction wins, the text still updates.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from reader.core._ingest.meta import normalise_date
from reader.core._storage import Database
from reader.core.errors import IssueNotFoundError, ReaderError

EDITABLE = ("title", "publication", "number", "date", "author")
_MAX_TEXT = 500


class EditError(ReaderError):
    """An edit that cannot be stored (an empty title, a number that is not one, a date that is not one)."""


def check_edits(
    title: str | None, publication: str | None, number: int | str | None, date: str | None, author: str | None
) -> dict[str, Any]:
    """The edits as column values; None means "leave it", "" clears number, date and author.

    Raises:
        EditError: in words, for a value that cannot be stored.
    """
    edits: dict[str, Any] = {}
    for name, value in (("title", title), ("publication", publication)):
        if value is not None:
            text = " ".join(value.split())[:_MAX_TEXT]
            if not text:
                raise EditError(f"The {name} cannot be empty")
            edits[name] = text
    if number is not None:
        edits["number"] = _number(number)
    if date is not None:
        edits["date"] = _date(date)
    if author is not None:
        edits["author"] = " ".join(author.split())[:_MAX_TEXT] or None
    return edits


def edit_issue(db: Database, issue_id: str, edits: dict[str, Any]) -> None:
    """Apply ``edits`` (from check_edits) to one issue and remember them for later re-imports."""
    with db.transaction() as tx:
        _store(tx, issue_id, edits)


def rename_publication(db: Database, old: str, new: str) -> list[str]:
    """Rename a publication on every issue that has it; returns their ids.

    Raises:
        EditError: an empty new name, or no issue of publication ``old``.
    """
    edits = check_edits(None, new, None, None, None)
    with db.transaction() as tx:
        ids = [row[0] for row in tx.execute("SELECT id FROM issues WHERE publication = ?", (old,))]
        if not ids:
            raise EditError(f"No issue has the publication {old!r}")
        for issue_id in ids:
            _store(tx, issue_id, edits)
    return ids


def reapply_edits(tx: sqlite3.Connection, issue_id: str) -> None:
    """Put the user's edits back on an issue a re-import has just updated (inside its transaction)."""
    row = tx.execute("SELECT user_edits FROM issues WHERE id = ?", (issue_id,)).fetchone()
    edits = _load(row[0]) if row else {}
    if edits:
        _write_columns(tx, issue_id, edits)


def _store(tx: sqlite3.Connection, issue_id: str, edits: dict[str, Any]) -> None:
    row = tx.execute("SELECT user_edits FROM issues WHERE id = ?", (issue_id,)).fetchone()
    if row is None:
        raise IssueNotFoundError(f"No issue with id {issue_id!r} in this library")
    merged = {**_load(row[0]), **edits}
    _write_columns(tx, issue_id, edits)
    tx.execute("UPDATE issues SET user_edits = ? WHERE id = ?", (json.dumps(merged, sort_keys=True), issue_id))


def _write_columns(tx: sqlite3.Connection, issue_id: str, edits: dict[str, Any]) -> None:
    names = [name for name in EDITABLE if name in edits]
    if not names:
        return
    assignments = ", ".join(f"{name} = ?" for name in names)  # names come from EDITABLE only
    tx.execute(
        f"UPDATE issues SET {assignments}, indexed = 0 WHERE id = ?",  # noqa: S608
        (*(edits[name] for name in names), issue_id),
    )


def _load(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return {k: v for k, v in data.items() if k in EDITABLE} if isinstance(data, dict) else {}


def _number(value: int | str) -> int | None:
    if isinstance(value, str):
        text = value.strip().lstrip("#")
        if not text:
            return None
        if not text.isdigit():
            raise EditError(f"The issue number must be a whole number, not {value!r}")
        value = int(text)
    if not 0 <= value < 10**9:
        raise EditError(f"The issue number {value} is out of range")
    return value


def _date(value: str) -> str | None:
    if not value.strip():
        return None
    found = normalise_date(value)
    if found is None:
        raise EditError(f"{value!r} is not a date (write it as 2023-01-31)")
    return found
