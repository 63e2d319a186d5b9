"""The database schema as numbered migrations, applied in order and recorded in ``PRAGMA user_version``."""

from __future__ import annotations

import sqlite3

from reader.core import _issue_identity as identity

DEFAULT_COLORS: tuple[tuple[str, str, str], ...] = (
    ("yellow", "Key idea", "#f9e27d"),
    ("blue", "Question", "#9fd0f5"),
    ("green", "To act on", "#a8e0a0"),
    ("pink", "Quote", "#f5b3d0"),
    ("orange", "Disagree", "#f7bf8a"),
)

_V1 = """
CREATE TABLE issues (
    id TEXT PRIMARY KEY,
    publication TEXT NOT NULL,
    title TEXT NOT NULL,
    number INTEGER,
    date TEXT,
    author TEXT,
    markdown TEXT NOT NULL,
    original TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    added TEXT NOT NULL,
    updated TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX issues_date ON issues(date);
CREATE INDEX issues_unindexed ON issues(indexed) WHERE indexed = 0;
CREATE TABLE highlights (
    id TEXT PRIMARY KEY,
    issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE RESTRICT,
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    color TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    detached INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX highlights_issue ON highlights(issue_id, start);
CREATE TABLE color_labels (
    key TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    hex TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

_V2 = """
CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    etag TEXT,
    modified TEXT,
    added TEXT NOT NULL,
    last_checked TEXT,
    last_error TEXT NOT NULL DEFAULT ''
);
"""


def _run(conn: sqlite3.Connection, script: str) -> None:
    """Run each statement of ``script`` inside the caller's transaction (executescript would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


_V3 = """
DROP INDEX issues_unindexed;
CREATE INDEX issues_pending ON issues(indexed) WHERE indexed != 1
"""
"""Every search asks which issues wait for the index (``indexed != 1``: 0 pending, 2 claimed); the
v1 index covered only ``indexed = 0``, so that question scanned the table (8 ms at 10,000 issues)."""


_V4 = """
CREATE INDEX issues_summary ON issues(date, publication, number, title, id, author, read, starred, added)
"""
"""The issue list reads these columns of every issue, often (each second of an import): from this
covering index instead of rows that carry whole issue texts (10,000 issues: 82 ms -> 30 ms of SQL)."""


def _v1(conn: sqlite3.Connection) -> None:
    _run(conn, _V1)
    conn.executemany(
        "INSERT INTO color_labels (key, label, hex, position) VALUES (?, ?, ?, ?)",
        [(key, label, hex_, pos) for pos, (key, label, hex_) in enumerate(DEFAULT_COLORS)],
    )


def _v2(conn: sqlite3.Connection) -> None:
    _run(conn, _V2)


def _v3(conn: sqlite3.Connection) -> None:
    _run(conn, _V3)


def _v4(conn: sqlite3.Connection) -> None:
    _run(conn, _V4)


_V5 = """
ALTER TABLE issues ADD COLUMN source_key TEXT;
ALTER TABLE issues ADD COLUMN weak_key TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
CREATE TABLE index_removals (issue_id TEXT PRIMARY KEY)
"""
"""Issue identity (see ``_issue_identity``): the strongest key a source gave (unique), the weak
publication + title + date key, and a fingerprint of the text; plus deleted issues the search
index has yet to forget (removed in the same transaction as the row, so a kill cannot leave a
deleted issue findable)."""

_V5_INDEXES = """
CREATE UNIQUE INDEX issues_source_key ON issues(source_key) WHERE source_key IS NOT NULL;
CREATE INDEX issues_weak_key ON issues(weak_key);
CREATE INDEX issues_fingerprint ON issues(fingerprint)
"""


def _v5(conn: sqlite3.Connection) -> None:
    _run(conn, _V5)
    # Existing issues keep their ids; their keys are what the old id was derived from.
    seen: set[str] = set()
    rows = conn.execute("SELECT id, publication, title, number, date, markdown FROM issues").fetchall()
    for issue_id, publication, title, number, date, markdown in rows:
        key = identity.number_key(publication, number)
        if key in seen:
            key = None
        if key is not None:
            seen.add(key)
        conn.execute(
            "UPDATE issues SET source_key = ?, weak_key = ?, fingerprint = ? WHERE id = ?",
            (key, identity.weak_key(publication, title, date), identity.fingerprint(markdown), issue_id),
        )
    _run(conn, _V5_INDEXES)


_V6 = """
ALTER TABLE issues ADD COLUMN user_edits TEXT NOT NULL DEFAULT '{}'
"""
"""The user's corrections to an issue's title, publication, number, date and author (JSON), put back
on top of what a re-import of the same file finds (``_issue_edits.py``)."""


def _v6(conn: sqlite3.Connection) -> None:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(issues)")}
    if "user_edits" not in columns:
        _run(conn, _V6)


# -- daily review (#18) -------------------------------------------------------------------------
_V7_REVIEW = """
CREATE TABLE IF NOT EXISTS review_cards (
    highlight_id TEXT PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'active',
    card TEXT NOT NULL DEFAULT '',
    due TEXT,
    reviews INTEGER NOT NULL DEFAULT 0,
    last_review TEXT,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_cards_due ON review_cards(due);
CREATE TABLE IF NOT EXISTS review_log (
    id INTEGER PRIMARY KEY,
    highlight_id TEXT NOT NULL,
    issue_id TEXT NOT NULL,
    day TEXT NOT NULL,
    action TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_log_day ON review_log(day)
"""
"""Daily review of highlights (``_review.py``): each highlight's FSRS card (JSON from the ``fsrs``
package), its status (active, mastered, discarded) and when it is next due; and a log of every
review by local day, for "done for today" and the streak. No foreign key to ``highlights``: a
deleted issue that is restored (undo) gets its review state back; rows of gone highlights are
never read (every query joins ``highlights``). ``IF NOT EXISTS`` keeps it safe to renumber."""


def _v7_review(conn: sqlite3.Connection) -> None:
    _run(conn, _V7_REVIEW)




# -- mail folders and stored images (issue #19) ----------------------------------------------------
_V8_MAIL = """
CREATE TABLE IF NOT EXISTS mail_folders (
    url TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    uidvalidity INTEGER,
    last_uid INTEGER NOT NULL DEFAULT 0,
    added TEXT NOT NULL,
    last_checked TEXT,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS images (
    digest TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS issue_images (
    issue_id TEXT NOT NULL,
    url TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (issue_id, url)
);
CREATE INDEX IF NOT EXISTS issue_images_digest ON issue_images(digest)
"""
"""Subscribed IMAP folders (UIDVALIDITY + the last UID imported, so a refresh asks only for newer
mail) and images fetched once at import, stored by the SHA-256 of their bytes (one copy however
many issues use it) and mapped from each issue's image addresses. ``IF NOT EXISTS`` so the lead
can renumber this migration safely."""


def _v8_mail_and_images(conn: sqlite3.Connection) -> None:
    _run(conn, _V8_MAIL)




# -- library walk (#16): archive, tags on issues and highlights, smart lists ----------------------
_V9_TABLES = """
CREATE TABLE IF NOT EXISTS issue_tags (
    issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    PRIMARY KEY (issue_id, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS issue_tags_name ON issue_tags(name, issue_id);
CREATE TABLE IF NOT EXISTS highlight_tags (
    highlight_id TEXT NOT NULL REFERENCES highlights(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    PRIMARY KEY (highlight_id, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS highlight_tags_name ON highlight_tags(name, highlight_id);
CREATE TABLE IF NOT EXISTS smart_lists (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    query TEXT NOT NULL,
    sort TEXT NOT NULL DEFAULT 'date',
    position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS issues_shelf ON issues(archived, publication, read, starred);
CREATE INDEX IF NOT EXISTS issues_archived ON issues(id) WHERE archived = 1
"""
"""Archived issues (hidden from All and Unread, still searchable), tags on issues and on highlights
(gone with them: ON DELETE CASCADE), and smart lists (saved searches, in the user's order). The
sidebar's counts are GROUP BYs over ``issues_shelf`` (covering), the tag tables' name indexes and
``highlights_issue``; none reads an issue's text. Idempotent, so renumbering at a merge is safe."""


def _v9_shelves(conn: sqlite3.Connection) -> None:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(issues)")}
    if "archived" not in columns:
        conn.execute("ALTER TABLE issues ADD COLUMN archived INTEGER NOT NULL DEFAULT 0")
    _run(conn, _V9_TABLES)




# -- links and citations (issue #17) ----------------------------------------------------------
_V10_LINKS = """
CREATE TABLE IF NOT EXISTS works (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    site TEXT NOT NULL,
    url TEXT NOT NULL,
    ident TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    issues INTEGER NOT NULL DEFAULT 0,
    publications INTEGER NOT NULL DEFAULT 0,
    citations INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT,
    last_seen TEXT,
    anchors TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS works_site ON works(site);
CREATE INDEX IF NOT EXISTS works_ranked ON works(issues DESC, last_seen DESC);
CREATE TABLE IF NOT EXISTS citations (
    id INTEGER PRIMARY KEY,
    issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    work_id INTEGER NOT NULL REFERENCES works(id),
    ordinal INTEGER NOT NULL,
    url TEXT NOT NULL,
    anchor TEXT NOT NULL,
    context TEXT NOT NULL,
    start INTEGER NOT NULL,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS citations_issue ON citations(issue_id, ordinal);
CREATE INDEX IF NOT EXISTS citations_work ON citations(work_id, issue_id);
CREATE INDEX IF NOT EXISTS citations_title ON citations(title_key) WHERE title_key != '';
CREATE TABLE IF NOT EXISTS link_scans (
    issue_id TEXT PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS works_dirty (work_id INTEGER PRIMARY KEY);
CREATE TRIGGER IF NOT EXISTS citations_added AFTER INSERT ON citations
    BEGIN INSERT OR IGNORE INTO works_dirty VALUES (new.work_id); END;
CREATE TRIGGER IF NOT EXISTS citations_removed AFTER DELETE ON citations
    BEGIN INSERT OR IGNORE INTO works_dirty VALUES (old.work_id); END;
CREATE TRIGGER IF NOT EXISTS citations_moved AFTER UPDATE OF work_id ON citations
    BEGIN INSERT OR IGNORE INTO works_dirty VALUES (old.work_id);
    INSERT OR IGNORE INTO works_dirty VALUES (new.work_id); END;
CREATE TRIGGER IF NOT EXISTS issues_cited_meta AFTER UPDATE OF date, publication ON issues
    BEGIN INSERT OR IGNORE INTO works_dirty SELECT work_id FROM citations WHERE issue_id = new.id; END
"""
"""The link index (``_links``): each linked work once, each citation of it by an issue, which issues were
scanned at which text (``link_scans``: a changed or new issue is scanned again by the catch-up), and the
works whose counts need a refresh (``works_dirty``, kept by triggers, so deleting an issue or correcting
its date is reflected without the delete or edit code knowing about links). Idempotent, so the lead may
renumber it."""


def _v10_links(conn: sqlite3.Connection) -> None:
    # Statements one by one: a trigger holds ";" inside BEGIN ... END, so split only where a line ends
    # with ";" and the next does not continue a trigger body.
    for statement in _V10_LINKS.replace("work_id);\n    INSERT", "work_id); INSERT").split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _v11_rescan_image_links(conn: sqlite3.Connection) -> None:
    """Issues whose image placeholders ("[Image: alt]" links) were taken for citations are scanned
    again by the link catch-up, and indexed again (their ``link:`` terms)."""
    rows = "SELECT DISTINCT issue_id FROM citations WHERE anchor LIKE '[Image%]'"
    conn.execute(f"UPDATE issues SET indexed = 0 WHERE id IN ({rows})")  # noqa: S608 - constant text
    conn.execute(f"DELETE FROM link_scans WHERE issue_id IN ({rows})")  # noqa: S608 - constant text


# -- links at 10,000 issues (issue #17) ----------------------------------------------------------
_V12_LINK_CATCH_UP = """
CREATE INDEX IF NOT EXISTS issues_content_hash ON issues(id, content_hash);
CREATE INDEX IF NOT EXISTS link_scans_hash ON link_scans(issue_id, content_hash)
"""
"""Every read of the link index first asks which issues were not scanned at their current text (a
LEFT JOIN of ``issues`` with ``link_scans`` on the content hash). ``content_hash`` sits after the
issue's text in its row, so that question read every issue's text: 44 ms at 10,000 issues, all of
cited-by's budget. These two covering indexes answer it alone. Idempotent, so the lead may renumber it."""


def _v12_link_catch_up(conn: sqlite3.Connection) -> None:
    _run(conn, _V12_LINK_CATCH_UP)


# -- the list's first page at once (issue #20) ----------------------------------------------------
_V13_LISTING = """
DROP INDEX IF EXISTS issues_summary;
CREATE INDEX IF NOT EXISTS issues_listing ON issues(
    date IS NULL, date DESC, publication, number DESC, title, id, author, read, starred, added)
"""
"""The issue list's order, covering its columns: the window paints the newest page read with a
LIMIT (1 ms at 50,000 issues; the old ``issues_summary`` index made SQLite sort every row first,
140 ms) and reads the rest in the background. Replaces ``issues_summary``, which it covers."""


def _v13_listing(conn: sqlite3.Connection) -> None:
    _run(conn, _V13_LISTING)


MIGRATIONS = {
    1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6,
    7: _v7_review, 8: _v8_mail_and_images, 9: _v9_shelves, 10: _v10_links, 11: _v11_rescan_image_links,
    12: _v12_link_catch_up, 13: _v13_listing,
}  # fmt: skip
SCHEMA_VERSION = max(MIGRATIONS)
