"""Bringing exported highlights and notes back into a library, re-attached to their issues.

An annotation finds its issue by id, else by the issue's metadata (publication + number, or
publication + title + date), and its place by the anchor over the issue's current text. One whose
issue is missing is reported, one whose text is gone is kept as detached. Importing twice adds nothing.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from reader.core import _highlights_store as highlights_store
from reader.core import _issues_store as issues_store
from reader.core import _review as review_store
from reader.core import _tags_io as tags_io
from reader.core._anchoring import Anchor, make_anchor, resolve_anchor
from reader.core._annotations_json import AnnotationRecord, parse_annotations
from reader.core._storage import Database
from reader.core.errors import AnnotationFormatError, HighlightNotFoundError
from reader.core.types import Changes, Highlight, Issue, ParsedIssue

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
    conflicts: tuple[str, ...] = ()
    """Where the library kept its own, newer version over the file's, one line each."""
    index_problem: str | None = None
    """Set when what was stored could not be indexed yet (it stays pending; the message says so)."""

    issue_ids: tuple[str, ...] = ()
    """The issues whose highlights or notes the import added or changed."""

    tags: int = 0
    """Tags the import put on issues and highlights (ones already there are not counted)."""
    smart_lists: int = 0
    """Smart lists the import added (a name already here keeps the library's)."""

    @property
    def changes(self) -> Changes:
        """What the import changed: those issues' highlights, notes and highlight counts."""
        touched = frozenset(self.issue_ids)
        return Changes(issues=touched, highlights=touched)


def read_annotation_file(path: Path) -> list[AnnotationRecord]:
    """The annotations in a JSON export file; AnnotationFormatError for anything else."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnnotationFormatError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    return parse_annotations(data)


def annotated_issues(db: Database, get_issue: Callable[[str], Issue]) -> list[tuple[Issue, list[Highlight]]]:
    """Every issue with highlights or a free note, with its highlights in reading order."""
    by_issue: dict[str, list[Highlight]] = {}
    for hl in highlights_store.every(db):
        by_issue.setdefault(hl.issue_id, []).append(hl)
    noted = [row[0] for row in db.query("SELECT id FROM issues WHERE note != ''")]
    return [(get_issue(i), by_issue.get(i, [])) for i in dict.fromkeys([*by_issue, *noted])]


def import_records(
    db: Database, records: list[AnnotationRecord], plain_text: Callable[[str], str]
) -> AnnotationImportReport:
    """Store parsed annotations, each on its issue's current ``plain_text``, in one transaction.

    A highlight already in the library that was changed later than the file's copy keeps the
    library's version (reported in ``conflicts``); a highlight id that belongs to another issue
    does not touch that issue's highlight. If anything fails, nothing of the file is stored.
    """
    counts = {"added": 0, "updated": 0, "unchanged": 0, "detached": 0, "notes": 0, "tags": 0}
    colours = {c.key for c in highlights_store.color_labels(db)}
    unmatched: list[str] = []
    conflicts: list[str] = []
    touched: dict[str, None] = {}
    with db.transaction() as tx:
        for record in records:
            issue_id = find_issue(db, record)
            if issue_id is None:
                unmatched.append(record.issue_title or record.issue_id)
            elif record.kind == "issue-note":
                noted = _import_issue_note(tx, db, issue_id, record, conflicts)
                counts["notes"] += noted
                if noted:
                    touched[issue_id] = None
            elif record.kind == "issue-tags":
                added = tags_io.add_issue_tags(tx, issue_id, record.tags)
                counts["tags"] += added
                if added:
                    touched[issue_id] = None
            else:
                hl = placed_highlight(record, issue_id, plain_text(issue_id))
                hl = hl if hl.color in colours else replace(hl, color="yellow")
                outcome = store_highlight(tx, db, hl, record, conflicts)
                if record.review is not None and review_store.adopt(tx, _scoped_id(db, hl), record.review):
                    touched[issue_id] = None  # the daily-review state came with it (#18)
                issues_store.mark_unindexed(tx, issue_id)
                counts[outcome] += 1
                if outcome != "unchanged":
                    touched[issue_id] = None
                counts["detached"] += int(hl.detached and outcome == "added")
                tagged = tags_io.add_highlight_tags(tx, _scoped_id(db, hl), record.tags)
                counts["tags"] += tagged
                if tagged:
                    touched[issue_id] = None
    return AnnotationImportReport(
        added=counts["added"], updated=counts["updated"], unchanged=counts["unchanged"],
        detached=counts["detached"], notes=counts["notes"], unmatched=tuple(unmatched), conflicts=tuple(conflicts),
        issue_ids=tuple(touched), tags=counts["tags"],
    )  # fmt: skip


def _import_issue_note(
    tx: sqlite3.Connection, db: Database, issue_id: str, record: AnnotationRecord, conflicts: list[str]
) -> int:
    """Set an issue's free note from the file, unless the library holds a different one.

    Issue notes carry no time, so a different note in the library may be the newer one: it is
    kept, and the conflict reported.
    """
    row = db.query_one("SELECT note FROM issues WHERE id = ?", (issue_id,))
    current = "" if row is None else row[0]
    if not record.note or current == record.note:
        return 0
    if current.strip():
        conflicts.append(f"{_title(record)}: kept the library's issue note; the file's differs")
        return 0
    tx.execute("UPDATE issues SET note = ?, indexed = 0 WHERE id = ?", (record.note, issue_id))
    return 1


def _title(record: AnnotationRecord) -> str:
    return repr(record.issue_title or record.issue_id)


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


def store_highlight(
    tx: sqlite3.Connection, db: Database, hl: Highlight, record: AnnotationRecord, conflicts: list[str]
) -> str:
    """Insert or refresh one imported highlight; returns "added", "updated" or "unchanged".

    The newer version wins: a highlight changed in the library after the file's ``modified``
    (or a file without one) keeps the library's colour and note, and a conflict is reported.
    """
    hl = replace(hl, id=_scoped_id(db, hl))
    try:
        current = highlights_store.get(db, hl.id)
    except HighlightNotFoundError:
        highlights_store.insert(tx, hl)
        return "added"
    if (current.note, current.color) == (hl.note, hl.color):
        return "unchanged"
    if _older(hl.modified, current.modified):
        conflicts.append(
            f"{_title(record)}: kept the library's newer highlight \u201c{_short(current.quote)}\u201d"
            f" (changed {current.modified}; the file's is from {hl.modified or 'an unknown time'})"
        )
        return "unchanged"
    highlights_store.save(tx, replace(current, note=hl.note, color=hl.color, modified=hl.modified))
    return "updated"


def _scoped_id(db: Database, hl: Highlight) -> str:
    """The highlight's id, unless another issue's highlight has it: then one derived from both ids."""
    row = db.query_one("SELECT issue_id FROM highlights WHERE id = ?", (hl.id,))
    if row is None or row[0] == hl.issue_id:
        return hl.id
    return hashlib.sha256(f"{hl.issue_id}\0{hl.id}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _older(file_time: str, library_time: str) -> bool:
    """True unless the file's version is newer than the library's.

    An unknown time, or the same second (times are kept to the second), keeps the library's.
    """
    theirs, ours = _parse_time(file_time), _parse_time(library_time)
    if ours is None:
        return False
    return theirs is None or theirs <= ours


def _parse_time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
