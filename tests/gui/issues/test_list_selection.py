"""Selecting a row opens it, by mouse and keyboard, as in every mail and feed reader.

Driven the way a person does it (QTest.mouseClick and keyClick on the real views, found by their
objectNames), then checked on what the reading pane shows: QTest.mouseDClick alone sends only the
double-click event, which once hid that a single click opened nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView, QTextBrowser

from reader.gui.issues.model import ID_ROLE, TITLE

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from reader.gui.mainwindow.window import MainWindow


def _views(window: MainWindow) -> tuple[QTableView, QTextBrowser]:
    table = window.findChild(QTableView, "issueList")
    pane = window.findChild(QTextBrowser, "readingPane")
    assert table is not None and pane is not None
    return table, pane


def _title_of_row(table: QTableView, row: int) -> str:
    return str(table.model().index(row, TITLE).data())


def _pane_shows(qtbot: QtBot, pane: QTextBrowser, title: str) -> None:
    qtbot.waitUntil(lambda: pane.toPlainText().lstrip().startswith(title[:40]))


def test_a_single_click_on_a_row_opens_that_issue(qtbot: QtBot, window: MainWindow) -> None:
    table, pane = _views(window)
    for row in (3, 5):
        rect = table.visualRect(table.model().index(row, TITLE))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert table.currentIndex().row() == row
        _pane_shows(qtbot, pane, _title_of_row(table, row))


def test_arrow_keys_home_and_end_move_the_selection_and_open_it(qtbot: QtBot, window: MainWindow) -> None:
    table, pane = _views(window)
    rows = table.model().rowCount()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert table.currentIndex().row() == rows - 1  # the last row, not the last column
    _pane_shows(qtbot, pane, _title_of_row(table, rows - 1))
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert table.currentIndex().row() == rows - 2
    _pane_shows(qtbot, pane, _title_of_row(table, rows - 2))
    qtbot.keyClick(table, Qt.Key.Key_Home)
    assert table.currentIndex().row() == 0
    _pane_shows(qtbot, pane, _title_of_row(table, 0))


def test_the_selected_row_and_the_pane_agree_after_j_and_k(qtbot: QtBot, window: MainWindow) -> None:
    table, pane = _views(window)
    rect = table.visualRect(table.model().index(2, TITLE))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    _pane_shows(qtbot, pane, _title_of_row(table, 2))
    pane.setFocus()
    qtbot.keyClick(pane, Qt.Key.Key_J)
    assert table.currentIndex().row() == 3
    _pane_shows(qtbot, pane, _title_of_row(table, 3))
    assert str(table.currentIndex().data(ID_ROLE))  # the row that is selected is the one shown
