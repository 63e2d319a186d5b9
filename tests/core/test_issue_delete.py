"""Deleting issues (one or a selection) and undoing it: every row the issue had comes back, nothing is
left behind when it is not undone (issues #13, #16).

The library holds tests/fixtures/links plus one issue of this file's own that cites a paper the
fixtures cite and a page nobody else cites; its images are stored rows as ``keep_images`` writes them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.core import IssueNotFoundError, Library, ReaderError
from reader.core._issue_delete import KEPT_TABLES, OWNED_TABLES, DeletedIssue, UndoStack

LINKS = Path(__file__).resolve().parents[1] / "fixtures" / "links"
ONLY_HERE = "https://example.org/essays/only-cited-here"
OWN_ISSUE = f"""---
title: Notes on robots
publication: Own Letter
number: 7
date: 2023-05-01
---
# Notes on robots

The [RT-1 paper](https://arxiv.org/abs/2212.06817) again, and [an essay]({ONLY_HERE}) nobody else cites.

![a robot](https://img.example.org/robot.png) and ![the same robot](https://img.example.org/robot-copy.png)
"""


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    own = tmp_path / "own.md"
    own.write_text(OWN_ISSUE, encoding="utf-8")
    with Library(tmp_path / "data") as library:
        library.import_paths([*sorted(LINKS.glob("*.md")), own])
        yield library


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(tmp_path / "data" / "library.sqlite3", isolation_level=None)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def _own_id(lib: Library) -> str:
    return next(s.id for s in lib.list_issues() if s.publication == "Own Letter")


def _annotate(lib: Library, db: sqlite3.Connection, issue_id: str) -> None:
    """Everything an issue can have: highlights with notes and tags, a review card, an issue note and
    tags, read/starred/archived, citations (from the import) and stored images (one shared)."""
    first = lib.annotate(issue_id, "RT-1 paper", note="the one everybody cites").highlight
    lib.annotate(issue_id, "nobody else cites", color="green")
    lib.tag_highlight(first.id, ["robots", "to-cite"])
    lib.review_highlight(first.id, "keep")
    lib.set_issue_note(issue_id, "Read again in June")
    lib.tag_issues([issue_id], ["robots", "essays"])
    lib.set_read(issue_id)
    lib.set_starred(issue_id)
    lib.set_archived([issue_id])
    other = next(s.id for s in lib.list_issues() if s.id != issue_id)
    db.execute("BEGIN IMMEDIATE")
    for digest, data in (("d-own", b"only this issue"), ("d-shared", b"also elsewhere")):
        db.execute("INSERT INTO images (digest, mime, width, height, data) VALUES (?, 'image/png', 1, 1, ?)",
                   (digest, data))
    db.execute("INSERT INTO issue_images VALUES (?, 'https://img.example.org/robot.png', 'd-own')", (issue_id,))
    db.execute("INSERT INTO issue_images VALUES (?, 'https://img.example.org/robot-copy.png', 'd-shared')",
               (issue_id,))
    db.execute("INSERT INTO issue_images VALUES (?, 'https://img.example.org/x.png', 'd-shared')", (other,))
    db.execute("COMMIT")


def _rows(db: sqlite3.Connection, issue_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """The issue's rows in every table, comparable across a delete and an undo: ``indexed`` left out
    (a restored issue is indexed again), citations naming their work by key (a work no issue cited
    meanwhile may come back under another number)."""
    def select(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return sorted(tuple(row) for row in db.execute(sql, params))

    issue = [tuple(v for k, v in dict(row).items() if k != "indexed")
             for row in db.execute("SELECT * FROM issues WHERE id = ?", (issue_id,))]
    rows: dict[str, list[tuple[Any, ...]]] = {"issues": issue}
    for table, where in OWNED_TABLES:
        rows[table] = select(f"SELECT * FROM {table} WHERE {where}", issue_id)
    rows["citations"] = select(
        "SELECT c.id, c.ordinal, c.url, c.anchor, c.context, c.start, c.title, c.title_key, w.key, w.kind, w.url"
        " FROM citations c JOIN works w ON w.id = c.work_id WHERE c.issue_id = ?", issue_id)
    rows["images"] = select("SELECT * FROM images WHERE digest IN (SELECT digest FROM issue_images WHERE issue_id = ?)",
                            issue_id)
    return rows


def _orphans(db: sqlite3.Connection) -> dict[str, int]:
    """Rows naming an issue or highlight that is gone, per table (tables kept on purpose left out)."""
    found = {}
    for table in _tables_naming_issues(db) - KEPT_TABLES:
        columns = _columns(db, table)
        checks = []
        if "issue_id" in columns:
            checks.append("issue_id NOT IN (SELECT id FROM issues)")
        if "highlight_id" in columns:
            checks.append("highlight_id NOT IN (SELECT id FROM highlights)")
        count = db.execute(f"SELECT count(*) FROM {table} WHERE {' OR '.join(checks)}").fetchone()[0]
        if count:
            found[table] = count
    unused = db.execute("SELECT count(*) FROM images WHERE digest NOT IN (SELECT digest FROM issue_images)").fetchone()
    if unused[0]:
        found["images"] = unused[0]
    return found


def _tables_naming_issues(db: sqlite3.Connection) -> set[str]:
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t for t in tables if {"issue_id", "highlight_id"} & _columns(db, t)}


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def test_every_table_naming_an_issue_is_deleted_with_it_or_kept_on_purpose(lib: Library,
                                                                           db: sqlite3.Connection) -> None:
    owned = {table for table, _ in OWNED_TABLES}
    assert _tables_naming_issues(db) <= owned | KEPT_TABLES  # a new table must be covered by delete and undo


def test_delete_and_undo_round_trip_restores_every_row_of_the_issue(lib: Library, db: sqlite3.Connection) -> None:
    issue_id = _own_id(lib)
    _annotate(lib, db, issue_id)
    before = _rows(db, issue_id)
    assert all(before[table] for table in (*before, "images")), {t: len(r) for t, r in before.items()}
    works_before = {w.key: (w.issues, w.citations) for w in lib.links()}
    assert works_before[f"url:{ONLY_HERE}"] == (1, 1)

    lib.delete_issue(issue_id)
    assert all(not rows for rows in _rows(db, issue_id).values())
    assert _orphans(db) == {}
    works_after = {w.key: (w.issues, w.citations) for w in lib.links()}  # the catch-up recounts
    assert f"url:{ONLY_HERE}" not in works_after
    assert works_after["arxiv:2212.06817"][0] == works_before["arxiv:2212.06817"][0] - 1
    assert db.execute("SELECT count(*) FROM images WHERE digest = 'd-shared'").fetchone()[0] == 1

    lib.restore_issue(issue_id)
    assert _rows(db, issue_id) == before
    assert {w.key: (w.issues, w.citations) for w in lib.links()} == works_before
    assert lib.issue_tags(issue_id) == ["essays", "robots"]
    assert issue_id in lib.archived_ids()
    assert {h.id for h in lib.search("everybody")} == {issue_id}  # the note is found again
    assert _orphans(db) == {}


def test_a_selection_is_deleted_in_one_go_and_one_undo_brings_all_back(lib: Library, db: sqlite3.Connection) -> None:
    ids = [s.id for s in lib.list_issues()][:3]
    for issue_id in ids:
        lib.tag_issues([issue_id], ["batch"])
    before = {issue_id: _rows(db, issue_id) for issue_id in ids}
    changes = lib.delete_issues(ids)
    assert changes.issues == frozenset(ids) and changes.issue_list
    assert not set(ids) & {s.id for s in lib.list_issues()}
    assert _orphans(db) == {}
    lib.restore_issues(ids)
    assert {issue_id: _rows(db, issue_id) for issue_id in ids} == before
    assert lib.tagged_issue_ids("batch") and sorted(lib.tagged_issue_ids("batch")) == sorted(ids)


def test_an_unknown_id_in_a_selection_deletes_nothing(lib: Library) -> None:
    ids = [s.id for s in lib.list_issues()]
    with pytest.raises(IssueNotFoundError):
        lib.delete_issues([ids[0], "no-such-issue"])
    assert len(lib.list_issues()) == len(ids)


def test_undo_keeps_the_last_deletions_whole_however_many_issues_each_held() -> None:
    stack = UndoStack(depth=3)
    batch = [DeletedIssue({"id": f"big-{n}"}, ()) for n in range(50)]
    stack.push(batch)  # one deletion of 50 issues
    for n in range(2):
        stack.push([DeletedIssue({"id": f"one-{n}"}, ())])
    assert [d.issue_id for d in stack.take(["big-49", "big-0"])] == ["big-49", "big-0"]
    stack.push([DeletedIssue({"id": "last"}, ())])  # the fourth deletion: the first is forgotten
    with pytest.raises(ReaderError, match="not deleted recently"):
        stack.take(["big-1"])
    assert [d.issue_id for d in stack.take(["one-0", "last"])] == ["one-0", "last"]
