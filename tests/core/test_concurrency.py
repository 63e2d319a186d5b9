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
