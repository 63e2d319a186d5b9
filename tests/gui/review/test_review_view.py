"""The daily review view (Go ▸ Daily Review, R): cards answered by key, notes, open in issue, done."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QStackedWidget
from pytestqt.qtbot import QtBot

from reader.core import Library
from reader.gui.background.tasks import TaskRunner
from reader.gui.review.view import ReviewView

if TYPE_CHECKING:
    from conftest import Driver

SHOTS_ENV = "BACKISSUE_SHOTS"
"""Set to a folder (e.g. resources/screenshots) to keep the review's screenshots; else tmp_path."""


def _highlight_three(driver: Driver) -> list[str]:
    """Three highlights in three issues, the middle one with a note."""
    library = driver.window.library
    made = []
    for issue, note in zip(library.list_issues()[:3], ("", "Worth a second look", ""), strict=True):
        text = library.plain_text(issue.id)
        start = text.index(". ", 200) + 2 if ". " in text[200:] else 0
        end = text.index(".", start + 20) + 1
        made.append(library.add_highlight(issue.id, start, end, "yellow", note).highlight.id)
    return made


def _open_review(qtbot: QtBot, driver: Driver) -> ReviewView:
    driver.window.action("Review").trigger()
    view = driver.child(ReviewView, "reviewView")
    qtbot.waitUntil(lambda: view.current is not None or view.findChild(QStackedWidget).currentIndex() == 1)
    return view


def test_r_opens_the_review_and_keys_answer_until_done(qtbot: QtBot, driver: Driver, tmp_path: Path) -> None:
    made = _highlight_three(driver)
    view = _open_review(qtbot, driver)
    assert driver.window.action("Review").shortcut().toString() == "R"
    first = view.current
    assert first is not None and first.highlight.id == made[1]  # the one with a note comes first
    assert view.findChild(QLabel, "reviewNote").text() == "Note: Worth a second look"
    assert first.title in view.findChild(QLabel, "reviewSource").text()
    assert view.findChild(QLabel, "reviewStatus").text().startswith("Daily review \u00b7 1 of 3 today")
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    shots = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(shots / "review.png"))
    status = view.findChild(QLabel, "reviewStatus")
    qtbot.keyClick(view, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: "2 of 3 today" in status.text())
    assert view.current is not None and view.current.highlight.id != made[1]
    qtbot.keyClick(view, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: "3 of 3 today" in status.text())
    qtbot.keyClick(view, Qt.Key.Key_X)
    pages = view.findChild(QStackedWidget, "reviewPages")
    qtbot.waitUntil(lambda: pages.currentIndex() == 1)
    assert view.findChild(QLabel, "reviewDone").text().startswith("Done for today \u2713\n3 highlights reviewed")
    assert view.grab().save(str(shots / "review-done.png"))
    states = driver.window.library.review_states()
    assert sorted(s["status"] for s in states.values()) == ["active", "active", "mastered"]


def test_open_in_issue_shows_the_highlight_in_the_window(qtbot: QtBot, driver: Driver) -> None:
    made = _highlight_three(driver)
    view = _open_review(qtbot, driver)
    quote = view.current.highlight.quote if view.current else ""
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    qtbot.keyClick(view, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: quote in driver.pane.toPlainText())
    assert made


def test_edit_note_in_review_saves_it(qtbot: QtBot, tmp_path: Path, seeded_dir: Path) -> None:
    library = Library(seeded_dir)
    try:
        issue = library.list_issues()[0]
        hid = library.add_highlight(issue.id, 0, 20).highlight.id
        asked: list[str] = []

        def ask(_parent: object, quote: str, note: str) -> str:
            asked.append(quote)
            return "Written in review"

        runner = TaskRunner(synchronous=True)
        view = ReviewView(library, runner, ask=ask)
        qtbot.addWidget(view)
        view.edit_note()
        assert asked and library.highlights(issue.id)[0].note == "Written in review"
        assert view.findChild(QLabel, "reviewNote").text() == "Note: Written in review"
        assert hid == library.highlights(issue.id)[0].id
    finally:
        library.close()


def test_an_empty_library_says_nothing_to_review(qtbot: QtBot, driver: Driver) -> None:
    view = _open_review(qtbot, driver)
    assert view.findChild(QLabel, "reviewDone").text().startswith("Nothing to review yet.")
    assert QMessageBox not in (type(w) for w in QApplication.topLevelWidgets() if w.isVisible())


def test_file_menu_imports_opml_and_reports_each_feed(
    qtbot: QtBot, driver: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.test_history_import import OPML

    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(opml), ""))
    menu_entries = [a.objectName() for a in driver.window.menuBar().actions()[0].menu().actions()]
    assert {"actionImportOmnivore", "actionImportReadwise", "actionImportSubstack", "actionImportOpml",
            "actionExportOpml"} <= set(menu_entries)  # fmt: skip
    driver.window.action("ImportOpml").trigger()
    qtbot.waitUntil(lambda: driver.window.findChild(QMessageBox, "historyReportBox") is not None)
    box = driver.child(QMessageBox, "historyReportBox")
    assert box.text() == "OPML: 2 feeds added, 1 skipped"
    assert "skipped: feed \u201cNot a web feed\u201d" in box.detailedText()
    out = tmp_path / "out.opml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    driver.window.action("ExportOpml").trigger()
    assert 'xmlUrl="https://deep.example/rss.xml"' in out.read_text(encoding="utf-8")
