"""Starting the app: an unopenable library is a message, not a traceback; imports list their failures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from reader.gui import app
from reader.gui.dialogs import ImportFailuresDialog

if TYPE_CHECKING:
    from conftest import Driver


def test_a_library_that_cannot_be_opened_shows_the_reason(monkeypatch, qtbot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))

    assert app.main(data_dir) == 1

    assert len(shown) == 1
    assert str(data_dir) in shown[0]
    assert "Traceback" not in shown[0]


def test_failed_files_are_listed_with_their_reason(qtbot, driver: Driver, tmp_path: Path) -> None:
    window = driver.window
    bad = tmp_path / "broken-feed.xml"
    bad.write_text("<rss><channel><item>", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = tmp_path / "note.md"
    good.write_text("# Weekly Notes 12\n\nA short issue about gardens and robots.\n", encoding="utf-8")
    before = window.issue_model.rowCount()

    window.import_paths([str(bad), str(empty), str(good)])
    qtbot.waitUntil(lambda: window.findChild(ImportFailuresDialog) is not None, timeout=10000)

    dialog = window.findChild(ImportFailuresDialog)
    text = dialog.browser.toPlainText()
    for path in (bad, empty):
        (failure,) = window.library.import_paths([path]).files
        assert failure.status == "failed"
        assert str(path) in text
        assert failure.reason in text
    qtbot.waitUntil(lambda: window.issue_model.rowCount() == before + 1)  # the list reloads off the main thread
    assert "1 new" in window.statusBar().currentMessage()
    assert "2 failed" in window.statusBar().currentMessage()
    dialog.close()
