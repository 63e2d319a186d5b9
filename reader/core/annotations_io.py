"""Bringing exported highlights and notes back into a library, re-attached to their issues.

An annotation finds its issue by id, else by the issue's metadata (publication + number, or
publication + title + date), and its place by the anchor over the issue's current text. One whose
issue is missing is reported, one whose text is gone is kept as detached. Importing twice adds nothing.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass, replace

from reader.core import highlights_store, issues_store
from reader.core.anchoring import Anchor, make_anchor, resolve_anchor
from reader.core.annotations_json import AnnotationRecord
from reader.core.errors import HighlightNotFoundError
from reader.core.storage import Database
from reader.core.types import Highlight, ParsedIssue

_OWN_ID = re.compile(r"^[0-9a-f]{8,40}$")


@dataclass(frozen=True)
class AnnotationImportReport:
    """What an annotation import did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    detached: int = 0
    notes: int = 0
    unmatched: tuple[str, ...] = ()


def find_issue(db: Database, record: AnnotationRecord) -> str | None:
    """The id of the issue an annotation belongs to, by id and then by metadata."""
    if db.query_one("SELECT 1 FROM issues WHERE id = ?", (record.issue_id,)):
        return record.issue_id
    probe = ParsedIssue(
        publication=record.issue_publication,
        title=record.issue_title,
        markdown="",
        original="",
        number=record.issue_number,
        date=record.issue_date,
    )
    candidate = issues_store.issue_id_for(probe)
    return candidate if db.query_one("SELECT 1 FROM issues WHERE id = ?", (candidate,)) else None


def highlight_id_for(record: AnnotationRecord) -> str:
    """Our id for an imported highlight: its own when it is one of ours, else a hash of the foreign id."""
    if _OWN_ID.match(record.highlight_id):
        return record.highlight_id
    return hashlib.sha256(record.highlight_id.encode("utf-8")).hexdigest()[:20]


def placed_highlight(record: AnnotationRecord, issue_id: str, text: str) -> Highlight:
    """The highlight a record describes, anchored on the issue's current ``text``."""
    anchor = Anchor(record.quote, record.prefix, record.suffix, record.start, record.end)
    span = resolve_anchor(anchor, text)
    if span is not None:
        anchor = make_anchor(text, span.start, span.end)
    return Highlight(
        id=highlight_id_for(record),
        issue_id=issue_id,
        quote=anchor.quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        start=anchor.start,
        end=anchor.end,
        color=record.color or "yellow",
        note=record.note,
        created=record.created,
        modified=record.modified or record.created,
        detached=span is None,
    )


def store_highlight(tx: sqlite3.Connection, db: Database, hl: Highlight) -> str:
    """Insert or refresh one imported highlight; returns "added", "updated" or "unchanged"."""
    try:
        current = highlights_store.get(db, hl.id)
    except HighlightNotFoundError:
        highlights_store.insert(tx, hl)
        return "added"
    if (current.note, current.color) == (hl.note, hl.color):
        return "unchanged"
    highlights_store.save(tx, replace(current, note=hl.note, color=hl.color, modified=hl.modified))
    return "updated"
