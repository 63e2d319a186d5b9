"""A full disk: each file that does not fit fails with a clear message, and nothing is half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core import Library, StorageError


def test_disk_full_fails_files_cleanly(library: Library, seeds_dir: Path) -> None:
    library.import_paths([seeds_dir / "001_783a6711c307df5b.txt"])
    conn = library._db.connection()  # the importer writes through this thread's connection
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite's way to play a full disk
    report = library.import_paths([seeds_dir / "002_eddde10915e76762.txt"])
    [failed] = report.failed
    assert "full" in failed.reason and "nothing was written" in failed.reason
    assert len(library.list_issues()) == 1  # the ten issues of the big file: none half-stored
    assert library.check() == []
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert library.import_paths([seeds_dir / "002_eddde10915e76762.txt"]).imported == 10


def test_read_only_library_fails_with_a_clear_message(library: Library, seeds_dir: Path) -> None:
    library.import_paths([seeds_dir / "001_783a6711c307df5b.txt"])
    issue_id = library.list_issues()[0].id
    conn = library._db.connection()
    conn.execute("PRAGMA query_only = ON")  # what SQLite answers on a read-only file or folder
    report = library.import_paths([seeds_dir / "000_dbd257fc1394f330.txt"])
    [failed] = report.failed
    assert "read-only" in failed.reason and "nothing was written" in failed.reason
    with pytest.raises(StorageError, match="read-only"):
        library.annotate(issue_id, "Embeddings")
    conn.execute("PRAGMA query_only = OFF")
    assert len(library.list_issues()) == 1 and library.highlights() == []
