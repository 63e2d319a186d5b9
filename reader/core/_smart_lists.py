"""Smart lists: saved searches (a query the search box accepts and an order), kept in the user's order."""

from __future__ import annotations

from typing import get_args

from reader.core._storage import Database
from reader.core.errors import ReaderError
from reader.core.types import SmartList, SmartSort

MAX_NAME_LENGTH = 80
SORTS: tuple[str, ...] = get_args(SmartSort)


class SmartListError(ReaderError):
    """A smart list that does not exist, or a name or order that cannot be used."""


def check_name(name: str) -> str:
    """The name trimmed; SmartListError when empty or too long."""
    name = " ".join(name.split())
    if not name:
        raise SmartListError("A smart list needs a name")
    if len(name) > MAX_NAME_LENGTH:
        raise SmartListError(f"A smart list's name has at most {MAX_NAME_LENGTH} characters")
    return name


def check_sort(sort: str) -> SmartSort:
    """``sort`` if it is an order a smart list can have; SmartListError otherwise."""
    if sort not in SORTS:
        raise SmartListError(f"A smart list is sorted by {', '.join(SORTS[:-1])} or {SORTS[-1]}, not {sort!r}")
    return sort  # type: ignore[return-value]  # checked against SmartSort's values just above


def all_lists(db: Database) -> list[SmartList]:
    """Every smart list in the user's order."""
    rows = db.query("SELECT name, query, sort, position FROM smart_lists ORDER BY position, name")
    return [SmartList(r[0], r[1], check_sort(r[2]), r[3]) for r in rows]


def get(db: Database, name: str) -> SmartList:
    """The smart list with this name (any case); SmartListError when there is none."""
    for smart in all_lists(db):
        if smart.name.casefold() == name.strip().casefold():
            return smart
    known = ", ".join(s.name for s in all_lists(db)) or "none yet"
    raise SmartListError(f"There is no smart list {name.strip()!r} (smart lists: {known})")


def create(db: Database, name: str, query: str, sort: str) -> SmartList:
    """Add a smart list at the end; SmartListError when the name is taken."""
    name, sort_ = check_name(name), check_sort(sort)
    with db.transaction() as tx:
        if tx.execute("SELECT 1 FROM smart_lists WHERE name = ?", (name,)).fetchone():
            raise SmartListError(f"There is already a smart list {name!r}")
        position = tx.execute("SELECT coalesce(max(position) + 1, 0) FROM smart_lists").fetchone()[0]
        tx.execute("INSERT INTO smart_lists (name, query, sort, position) VALUES (?, ?, ?, ?)",
                   (name, query.strip(), sort_, position))
    return SmartList(name, query.strip(), sort_, position)


def update(db: Database, name: str, *, new_name: str | None, query: str | None, sort: str | None) -> SmartList:
    """Rename a smart list and/or change its query or order (None keeps each)."""
    old = get(db, name)
    changed = SmartList(
        check_name(new_name) if new_name is not None else old.name,
        query.strip() if query is not None else old.query,
        check_sort(sort) if sort is not None else old.sort,
        old.position,
    )
    with db.transaction() as tx:
        clash = tx.execute("SELECT name FROM smart_lists WHERE name = ? AND name != ?", (changed.name, old.name))
        if clash.fetchone():
            raise SmartListError(f"There is already a smart list {changed.name!r}")
        tx.execute("UPDATE smart_lists SET name = ?, query = ?, sort = ? WHERE name = ?",
                   (changed.name, changed.query, changed.sort, old.name))
    return changed


def delete(db: Database, name: str) -> SmartList:
    """Delete a smart list; returns it as it was."""
    old = get(db, name)
    with db.transaction() as tx:
        tx.execute("DELETE FROM smart_lists WHERE name = ?", (old.name,))
    return old


def move(db: Database, name: str, position: int) -> list[SmartList]:
    """Move a smart list to ``position`` (0 is first; clamped); returns the lists in their new order."""
    lists = all_lists(db)
    moving = get(db, name)
    order = [s.name for s in lists if s.name != moving.name]
    order.insert(max(0, min(position, len(order))), moving.name)
    with db.transaction() as tx:
        for index, each in enumerate(order):
            tx.execute("UPDATE smart_lists SET position = ? WHERE name = ?", (index, each))
    return all_lists(db)


def merge_imported(db: Database, lists: list[SmartList]) -> int:
    """Add smart lists from a backup whose names are not here yet; returns how many were added."""
    added = 0
    have = {s.name.casefold() for s in all_lists(db)}
    for smart in lists:
        if smart.name.casefold() not in have:
            create(db, smart.name, smart.query, smart.sort)
            have.add(smart.name.casefold())
            added += 1
    return added
