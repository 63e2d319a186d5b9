"""Tags and smart lists in the annotation backup (W3C JSON): what an export adds, what an import puts back."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reader.core import _smart_lists as smart_lists
from reader.core._annotations_json import (
    SMART_LISTS_KEY,
    AnnotationRecord,
    annotation_records,
    issue_note_record,
    parse_smart_lists,
    records_to_json,
)
from reader.core._storage import Database
from reader.core._tags import TagError, every_highlight_tag, every_issue_tag, tag_name
from reader.core.errors import AnnotationFormatError, ReaderError
from reader.core.types import Highlight, Issue, SmartList


def _usable(names: Iterable[str]) -> list[str]:
    """The names that make tags (a foreign file's odd tagging values are left out, not refused)."""
    usable = []
    for name in names:
        with contextlib.suppress(TagError):
            usable.append(tag_name(name))
    return list(dict.fromkeys(usable))


def add_issue_tags(tx: sqlite3.Connection, issue_id: str, names: Iterable[str]) -> int:
    """Put tags from a backup on an issue (inside the import's transaction); returns how many were new."""
    before = tx.total_changes
    for name in _usable(names):
        tx.execute("INSERT OR IGNORE INTO issue_tags (issue_id, name) VALUES (?, ?)", (issue_id, name))
    added = tx.total_changes - before
    if added:
        tx.execute("UPDATE issues SET indexed = 0 WHERE id = ?", (issue_id,))
    return added


def add_highlight_tags(tx: sqlite3.Connection, highlight_id: str, names: Iterable[str]) -> int:
    """Put tags from a backup on a highlight; returns how many were new."""
    before = tx.total_changes
    for name in _usable(names):
        tx.execute("INSERT OR IGNORE INTO highlight_tags (highlight_id, name) VALUES (?, ?)", (highlight_id, name))
    return tx.total_changes - before


def tagged_records(
    db: Database,
    items: Sequence[tuple[Issue, Sequence[Highlight]]],
    get_issue: Any,
    reviews: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[AnnotationRecord]:
    """The export's records: highlights with their tags (and daily-review state, #18), and one
    tagging annotation per tagged issue."""
    highlight_tags = every_highlight_tag(db)
    records = [
        replace(r, tags=tuple(highlight_tags.get(r.highlight_id, ()))) if r.kind == "highlight" else r
        for r in annotation_records(items, reviews)
    ]
    for issue_id, names in every_issue_tag(db).items():
        issue = get_issue(issue_id)
        records.append(replace(issue_note_record(issue), kind="issue-tags", note="", tags=tuple(names)))
    return records


def smart_lists_json(db: Database) -> dict[str, Any]:
    """The collection's smart-list extension (empty when there are none)."""
    lists = smart_lists.all_lists(db)
    if not lists:
        return {}
    return {SMART_LISTS_KEY: [{"name": s.name, "query": s.query, "sort": s.sort} for s in lists]}


def import_smart_lists(db: Database, found: Iterable[tuple[str, str, str]]) -> int:
    """Add the backup's smart lists whose names are new here; returns how many. A bad one is skipped."""
    lists = []
    for name, query, sort in found:
        with contextlib.suppress(ReaderError):
            lists.append(SmartList(smart_lists.check_name(name), query, smart_lists.check_sort(sort)))
    return smart_lists.merge_imported(db, lists)


def backup_text(db: Database, records: Iterable[AnnotationRecord], labels: Mapping[str, str]) -> str:
    """The W3C collection of ``records`` with the smart lists as its extension, as indented JSON text."""
    document = records_to_json(records, labels) | smart_lists_json(db)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def read_smart_lists(path: Path) -> list[tuple[str, str, str]]:
    """The smart lists an annotation backup carries; AnnotationFormatError for a bad file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnnotationFormatError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    return parse_smart_lists(data)
