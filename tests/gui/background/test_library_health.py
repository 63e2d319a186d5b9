"""The window says when the library needs attention (Library.health()): at start and after the daily backup."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QLabel

from reader.core import Library


def test_a_failed_backup_is_shown_until_a_backup_succeeds(qtbot, windows, seeded_dir: Path, monkeypatch) -> None:
    # The note a failed backup leaves (reader/core/_backup.py _record_failure), as a window opened
    # after a damaged library failed its backup's verification finds it.
    (seeded_dir / "backups").mkdir(exist_ok=True)
    note = seeded_dir / "backups" / "last-backup-failed.txt"
    note.write_text("the backup of library.sqlite3 failed: the copy is damaged (page 12)\n", encoding="utf-8")
    # The start-up backup waits for the test, so the warning is surely read before it can go.
    release = threading.Event()
    backup = Library.backup

    def held_backup(self: Library, *, if_due: bool = False) -> Path | None:
        release.wait(30)
        return backup(self, if_due=if_due)

    monkeypatch.setattr(Library, "backup", held_backup)
    from reader.gui.background import upkeep

    monkeypatch.setattr(upkeep, "BACKUP_DELAY_MS", 0)
    window = windows.open(seeded_dir)
    warning = window.findChild(QLabel, "libraryWarning")
    assert warning is not None

    assert warning.isVisible()
    assert "backup" in warning.text() and "damaged" in warning.text()
    assert warning.accessibleName()
    # The daily backup runs at start; on a sound library it succeeds, clears the note, and the warning goes.
    release.set()
    qtbot.waitUntil(lambda: not warning.isVisible(), timeout=30000)
    assert not note.exists()
