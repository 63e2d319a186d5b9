"""Tags on issues and on highlights: names, storage and the counts the sidebar shows."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from reader.core._storage import Database
from reader.core.errors import HighlightNotFoundError, IssueNotFoundError, ReaderError
from reader.core.types import TagCount

MAX_TAG_LENGTH = 60
_ALLOWED = re.compile(r"[\w\-./+&]+")


class TagError(ReaderError):
    """A tag name that cannot be used (empty, too long, or with characters a search cannot hold)."""


def tag_name(text: str) -> str:
    """A tag as stored: lowercase, spaces become "-" ("Machine Learning" -> "machine-learning").

    One word, so ``tag:machine-learning`` finds it. Raises TagError for an empty or unusable name.
    """
    name = "-".join(text.strip().lstrip("#").lower().split())
    if not name:
        raise TagError("A tag needs a name")
    if len(name) > MAX_TAG_LENGTH:
        raise TagError(f"A tag name has at most {MAX_TAG_LENGTH} characters")
    if not _ALLOWED.fullmatch(name):
        raise TagError(f"A tag name has letters, digits and - . / + & only, not {text.strip()!r}")
    return name


def tag_names(texts: Iterable[str]) -> list[str]:
    """Each text as a tag name (in order, without repeats); TagError when none is given."""
    names = list(dict.fromkeys(tag_name(t) for t in texts))
    if not names:
        raise TagError("Name at least one tag")
    return names


def set_issue_tags(tx: sqlite3.Connection, issue_ids: Iterable[str], names: list[str], add: bool) -> list[str]:
    """Add (or remove) tags on issues; returns the ids whose tags changed. IssueNotFoundError for a bad id."""
    changed = []
    for issue_id in issue_ids:
        if tx.execute("SELECT 1 FROM issues WHERE id = ?", (issue_id,)).fetchone() is None:
            raise IssueNotFoundError(f"No issue with id {issue_id!r} in this library")
        before = tx.total_changes
        for name in names:
            if add:
                tx.execute("INSERT OR IGNORE INTO issue_tags (issue_id, name) VALUES (?, ?)", (issue_id, name))
            else:
                tx.execute("DELETE FROM issue_tags WHERE issue_id = ? AND name = ?", (issue_id, name))
        if tx.total_changes != before:
            tx.execute("UPDATE issues SET indexed = 0 WHERE id = ?", (issue_id,))
            changed.append(issue_id)
    return changed


def set_highlight_tags(tx: sqlite3.Connection, highlight_id: str, names: list[str], add: bool) -> str | None:
    """Add (or remove) tags on a highlight; returns its issue id when they changed, else None."""
    row = tx.execute("SELECT issue_id FROM highlights WHERE id = ?", (highlight_id,)).fetchone()
    if row is None:
        raise HighlightNotFoundError(f"No highlight with id {highlight_id!r} in this library")
    before = tx.total_changes
    for name in names:
        if add:
            tx.execute("INSERT OR IGNORE INTO highlight_tags (highlight_id, name) VALUES (?, ?)",
                       (highlight_id, name))
        else:
            tx.execute("DELETE FROM highlight_tags WHERE highlight_id = ? AND name = ?", (highlight_id, name))
    if tx.total_changes == before:
        return None
    tx.execute("UPDATE issues SET indexed = 0 WHERE id = ?", (row[0],))
    return str(row[0])


def issue_tags(db: Database, issue_id: str) -> list[str]:
    """An issue's tags, sorted."""
    return [r[0] for r in db.query("SELECT name FROM issue_tags WHERE issue_id = ? ORDER BY name", (issue_id,))]


def highlight_tags_of_issue(db: Database, issue_id: str) -> dict[str, list[str]]:
    """The tags of each highlight of an issue that has any, by highlight id."""
    rows = db.query(
        "SELECT t.highlight_id, t.name FROM highlight_tags t JOIN highlights h ON h.id = t.highlight_id"
        " WHERE h.issue_id = ? ORDER BY t.name",
        (issue_id,),
    )
    tags: dict[str, list[str]] = {}
    for highlight_id, name in rows:
        tags.setdefault(highlight_id, []).append(name)
    return tags


def every_highlight_tag(db: Database) -> dict[str, list[str]]:
    """The tags of every tagged highlight, by highlight id (for exports)."""
    tags: dict[str, list[str]] = {}
    for highlight_id, name in db.query("SELECT highlight_id, name FROM highlight_tags ORDER BY name"):
        tags.setdefault(highlight_id, []).append(name)
    return tags


def every_issue_tag(db: Database) -> dict[str, list[str]]:
    """The tags of every tagged issue, by issue id (for exports)."""
    tags: dict[str, list[str]] = {}
    for issue_id, name in db.query("SELECT issue_id, name FROM issue_tags ORDER BY name"):
        tags.setdefault(issue_id, []).append(name)
    return tags


def tag_counts(db: Database) -> list[TagCount]:
    """Every tag with how many issues and highlights carry it, by name (two GROUP BYs on the name indexes)."""
    issues: dict[str, int] = {r[0]: r[1] for r in db.query("SELECT name, count(*) FROM issue_tags GROUP BY name")}
    highlights: dict[str, int] = {
        r[0]: r[1] for r in db.query("SELECT name, count(*) FROM highlight_tags GROUP BY name")
    }
    return [TagCount(name, issues.get(name, 0), highlights.get(name, 0)) for name in sorted(issues | highlights)]


def tagged_issue_ids(db: Database, name: str) -> list[str]:
    """Issues that carry the tag, or have a highlight that does."""
    rows = db.query(
        "SELECT issue_id FROM issue_tags WHERE name = ?"
        " UNION SELECT h.issue_id FROM highlight_tags t JOIN highlights h ON h.id = t.highlight_id"
        " WHERE t.name = ?",
        (name, name),
    )
    return [r[0] for r in rows]
