"""Starting the app: an unopenable library is a message, not a traceback; imports list their failures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from reader.core.errors import CorruptDatabaseError, StorageError
from reader.gui import app
from reader.gui.misc.dialogs import ImportFailuresDialog

if TYPE_CHECKING:
    from conftest import Driver


def _damaged(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    return data_dir


def test_a_damaged_library_is_left_alone_when_the_person_quits(qtbot, tmp_path: Path) -> None:
    data_dir = _damaged(tmp_path)
    asked: list[tuple[StorageError, Path]] = []

    def quit_(error: StorageError, path: Path) -> str:
        asked.append((error, path))
        return "quit"

    assert app.main(data_dir, choose_for_damaged=quit_) == 1

    ((error, path),) = asked
    assert isinstance(error, CorruptDatabaseError)
    assert path == data_dir / "library.sqlite3"
    assert str(path) in str(error)
    assert (data_dir / "library.sqlite3").read_bytes() == b"this is not a database" * 100  # untouched


def test_starting_a_new_library_moves_the_damaged_file_aside(qtbot, windows, tmp_path: Path) -> None:
    data_dir = _damaged(tmp_path)
    window = windows.open(data_dir, choose_for_damaged=lambda error, path: "new")
    driver = windows.driver(window)

    (kept,) = data_dir.glob("library.sqlite3.damaged-*")
    assert kept.read_bytes() == b"this is not a database" * 100  # never deleted
    qtbot.waitUntil(lambda: not driver.importer.running, timeout=20000)
    assert window.library.list_issues()  # a fresh library, with the samples


def test_the_damaged_library_dialog_says_why_and_where(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from reader.gui.misc.dialogs import ask_about_damaged_library

    path = tmp_path / "library.sqlite3"
    seen: list[str] = []

    def click_new() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click_new)
            return
        seen.append(box.informativeText())
        next(b for b in box.buttons() if b.text() == "Start a new library").click()

    QTimer.singleShot(0, click_new)
    assert ask_about_damaged_library(CorruptDatabaseError("it is damaged (bad header)"), path) == "new"
    assert "bad header" in seen[0]
    assert str(path) in seen[0]


def test_failed_files_are_listed_with_their_reason(qtbot, driver: Driver, tmp_path: Path) -> None:
    window = driver.window
    bad = tmp_path / "broken-feed.xml"
    bad.write_text("<rss><channel><item>", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = tmp_path / "note.md"
    good.write_text("# Weekly Notes 12\n\nA short issue about gardens and robots.\n", encoding="utf-8")
    before = driver.issue_model.rowCount()

    window.import_paths([str(bad), str(empty), str(good)])
    qtbot.waitUntil(lambda: window.findChild(ImportFailuresDialog) is not None, timeout=10000)

    dialog = window.findChild(ImportFailuresDialog)
    text = dialog.browser.toPlainText()
    for path in (bad, empty):
        (failure,) = window.library.import_paths([path]).files
        assert failure.status == "failed"
        assert str(path) in text
        assert failure.reason in text
    qtbot.waitUntil(lambda: driver.issue_model.rowCount() == before + 1)  # the list reloads off the main thread
    assert "1 new" in window.statusBar().currentMessage()
    assert "2 failed" in window.statusBar().currentMessage()
    dialog.close()
