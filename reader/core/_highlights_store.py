"""Highlight rows in SQLite: create, edit, delete, list, and re-anchor after an issue's text changed."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace

from reader.core._anchoring import Anchor, make_anchor, resolve_anchor
from reader.core._storage import Database
from reader.core.errors import HighlightNotFoundError
from reader.core.types import ColorLabel, Highlight

_FIELDS = (
    "id", "issue_id", "quote", "prefix", "suffix", "start", "end",
    "color", "note", "created", "modified", "detached",
)  # fmt: skip
_COLUMNS = ", ".join(f'"{name}"' for name in _FIELDS)


def new_highlight_id() -> str:
    """A fresh, stable, unguessable highlight id."""
    return uuid.uuid4().hex[:20]


def _record(row: sqlite3.Row) -> Highlight:
    return Highlight(
        id=row["id"],
        issue_id=row["issue_id"],
        quote=row["quote"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        start=row["start"],
        end=row["end"],
        color=row["color"],
        note=row["note"],
        created=row["created"],
        modified=row["modified"],
        detached=bool(row["detached"]),
    )


def insert(tx: sqlite3.Connection, hl: Highlight) -> None:
    """Store a highlight (inside the caller's transaction)."""
    values = [getattr(hl, name) for name in _FIELDS]
    values[-1] = int(hl.detached)
    tx.execute(f"INSERT INTO highlights ({_COLUMNS}) VALUES ({', '.join('?' * len(_FIELDS))})", values)  # noqa: S608


def save(tx: sqlite3.Connection, hl: Highlight) -> None:
    """Write back every field of an existing highlight."""
    tx.execute(
        'UPDATE highlights SET quote = ?, prefix = ?, suffix = ?, start = ?, "end" = ?, color = ?,'
        " note = ?, modified = ?, detached = ? WHERE id = ?",
        (
            hl.quote,
            hl.prefix,
            hl.suffix,
            hl.start,
            hl.end,
            hl.color,
            hl.note,
            hl.modified,
            int(hl.detached),
            hl.id,
        ),
    )


def delete(tx: sqlite3.Connection, highlight_id: str) -> None:
    """Remove a highlight."""
    tx.execute("DELETE FROM highlights WHERE id = ?", (highlight_id,))


def get(db: Database, highlight_id: str) -> Highlight:
    """One highlight; raises HighlightNotFoundError."""
    row = db.query_one(f"SELECT {_COLUMNS} FROM highlights WHERE id = ?", (highlight_id,))  # noqa: S608
    if row is None:
        raise HighlightNotFoundError(f"No highlight with id {highlight_id!r} in this library")
    return _record(row)


def for_issue(db: Database, issue_id: str) -> list[Highlight]:
    """An issue's highlights in reading order (detached ones last)."""
    rows = db.query(
        f"SELECT {_COLUMNS} FROM highlights WHERE issue_id = ? ORDER BY detached, start, created",  # noqa: S608
        (issue_id,),
    )
    return [_record(row) for row in rows]


def every(db: Database) -> list[Highlight]:
    """Every highlight in the library, grouped by issue, in reading order."""
    rows = db.query(f"SELECT {_COLUMNS} FROM highlights ORDER BY issue_id, detached, start")  # noqa: S608
    return [_record(row) for row in rows]


def reanchor(tx: sqlite3.Connection, issue_id: str, new_text: str, now: str) -> int:
    """Re-place an issue's highlights on its changed text; unplaceable ones become detached.

    Returns how many highlights moved or detached.
    """
    rows = tx.execute(f"SELECT {_COLUMNS} FROM highlights WHERE issue_id = ?", (issue_id,)).fetchall()  # noqa: S608
    changed = 0
    for hl in map(_record, rows):
        span = resolve_anchor(Anchor(hl.quote, hl.prefix, hl.suffix, hl.start, hl.end), new_text)
        if span is None:
            moved = replace(hl, detached=True)
        else:
            anchor = make_anchor(new_text, span.start, span.end)
            moved = replace(
                hl, quote=anchor.quote, prefix=anchor.prefix, suffix=anchor.suffix,
                start=anchor.start, end=anchor.end, detached=False,
            )  # fmt: skip
        if moved != hl:
            save(tx, replace(moved, modified=now))
            changed += 1
    return changed


def color_labels(db: Database) -> list[ColorLabel]:
    """The highlight colours in their order, with labels."""
    rows = db.query("SELECT key, label, hex FROM color_labels ORDER BY position")
    return [ColorLabel(row["key"], row["label"], row["hex"]) for row in rows]


def rename_color(db: Database, key: str, label: str) -> None:
    """Give a colour a new label."""
    with db.transaction() as tx:
        tx.execute("UPDATE color_labels SET label = ? WHERE key = ?", (label, key))
