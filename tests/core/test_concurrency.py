"""Two writers on one library: the second waits for the first and says so, instead of failing."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from reader.core import Library, LibraryLockedError
from reader.core import _storage as storage


def _hold_write_lock(data_dir: Path, seconds: float, started: threading.Event) -> None:
    with Library(data_dir) as other, other._db.transaction():
        started.set()
        threading.Event().wait(seconds)


def test_a_second_writer_waits_then_succeeds(seeded_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    started = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(seeded_dir, 2.5, started))
    holder.start()
    started.wait(10)
    with Library(seeded_dir) as lib, caplog.at_level(logging.WARNING):
        issue = lib.list_issues()[0]  # reading never waits (WAL)
        hl = lib.annotate(issue.id, lib.plain_text(issue.id)[:20]).highlight
    holder.join()
    assert "busy" in caplog.text
    with Library(seeded_dir) as lib:
        assert [h.id for h in lib.highlights()] == [hl.id]


def test_a_writer_gives_up_with_a_clear_message(seeded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "LOCK_WAIT_SECONDS", 0.5)
    monkeypatch.setattr(storage, "BUSY_TIMEOUT", 0.1)
    started = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(seeded_dir, 3, started))
    holder.start()
    started.wait(10)
    try:
        with Library(seeded_dir) as lib, pytest.raises(LibraryLockedError, match="in use by another program"):
            lib.set_read(lib.list_issues()[0].id)
    finally:
        holder.join()


def test_an_import_skips_the_flush_per_file_and_every_other_write_keeps_it(tmp_path: Path) -> None:
    # PRAGMA synchronous: 2 = FULL (a commit is on disk when it returns), 1 = NORMAL (WAL: survives a kill).
    seen: list[int] = []
    with Library(tmp_path / "lib") as lib:
        sync = lambda: lib._db.connection().execute("PRAGMA synchronous").fetchone()[0]  # noqa: E731
        assert sync() == 2

        def progress(_: object) -> None:
            seen.append(sync())

        lib.import_samples(progress)
        assert 1 in seen  # while the files were stored
        assert sync() == 2  # and FULL again for highlights and notes
        assert lib.stats()["issues"] > 0
