"""The baseline: the same corpus and queries in SQLite FTS5 (porter tokenizer, bm25 ranking, snippet())."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from benchmarks.corpus import SyntheticIssue

_SCHEMA = (
    "CREATE VIRTUAL TABLE docs USING fts5("
    "title, publication, author, date, headings, body, tokenize='porter unicode61')"
)
# Column weights mirror Back Issue's boosts: title x3, headings x2, everything else x1.
_SEARCH = (
    "SELECT rowid, title, snippet(docs, -1, '<b>', '</b>', '…', 24) FROM docs WHERE docs MATCH ? "
    "ORDER BY bm25(docs, 3.0, 1.0, 1.0, 1.0, 2.0, 1.0) LIMIT ?"
)


class Fts5Baseline:
    """An FTS5 index of the synthetic issues in an SQLite file.

    Args:
        path: the database file to create (it must not exist).
    """

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def load(self, issues: Iterable[SyntheticIssue]) -> float:
        """Index every issue in one transaction; returns the seconds it took."""
        rows = ((i.title, i.publication, i.author, i.date, "\n".join(i.headings), i.text) for i in issues)
        start = time.perf_counter()
        with self._db:
            self._db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", rows)
        return time.perf_counter() - start

    def search(self, match: str, limit: int = 20) -> list[tuple[int, str, str]]:
        """The best ``limit`` (rowid, title, snippet) rows for an FTS5 MATCH expression."""
        return self._db.execute(_SEARCH, (match, limit)).fetchall()

    def size_bytes(self) -> int:
        """The size of the database (pages in use)."""
        row = self._db.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
        return int(row.fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        self._db.close()
