"""The real main window on a real library: first run, opening issues, read state, themes, settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QListView, QTableView, QTextBrowser

from reader.gui.commands.shortcut_sheet import ShortcutsDialog
from reader.gui.mainwindow.window import MainWindow
from reader.gui.reading.theme import THEMES

if TYPE_CHECKING:
    from conftest import Driver, Windows


def test_first_run_imports_the_samples_in_the_background(qtbot, windows: Windows, tmp_path: Path) -> None:
    window = windows.open(tmp_path / "fresh")
    assert window.importer.running  # the import runs on the worker; the window is already up
    qtbot.waitUntil(lambda: not window.importer.running, timeout=20000)
    qtbot.waitUntil(lambda: not window.issue_model.loading)
    assert window.issue_model.rowCount() == len(window.library.list_issues()) > 0
    assert "Superfast AI" in [window.list_panel.publication.itemText(i)
                              for i in range(window.list_panel.publication.count())]


def test_stable_object_names(window: MainWindow) -> None:
    assert isinstance(window.findChild(QTableView, "issueList"), QTableView)
    assert isinstance(window.findChild(QTextBrowser, "readingPane"), QTextBrowser)
    for name in ("searchResults", "tocPanel", "highlightsPanel"):
        assert isinstance(window.findChild(QListView, name), QListView), name
    assert window.findChild(type(window.search_panel.box), "searchBox") is window.search_panel.box
    assert {"actionHighlight", "actionAddNote"} <= {a.objectName() for a in window.actions()}


def test_activating_an_issue_shows_it_and_marks_it_read(driver: Driver) -> None:
    window = driver.window
    summary = driver.summary_where(number=313)
    issue = window.library.get_issue(summary.id)
    assert not summary.read

    driver.open_from_list(summary.id)

    document = window.pane.document()
    assert document.toPlainText().startswith(issue.title)
    headings = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() >= 2:
            headings.append(block.text())
        block = block.next()
    assert [s.title for s in issue.sections if s.level >= 2] == headings[: len(headings)]
    assert len(headings) == len([s for s in issue.sections if s.level >= 2]) > 0
    row = window.issue_model.row_of(summary.id)
    assert window.library.get_issue(summary.id).read
    assert window.issue_model.summary(row).read
    assert window.issue_model.index(row, 0).data(Qt.ItemDataRole.FontRole) is None  # no longer bold


def test_m_and_s_toggle_read_and_star_of_the_current_row(qtbot, driver: Driver) -> None:
    window = driver.window
    summary = driver.summary_where(publication="Superfast AI")
    driver.open_from_list(summary.id)
    window.list_panel.table.setFocus()

    qtbot.keyClick(window.list_panel.table, Qt.Key.Key_M)
    qtbot.keyClick(window.list_panel.table, Qt.Key.Key_S)
    row = window.issue_model.row_of(summary.id)
    assert window.issue_model.index(row, 0).data().startswith("★")  # shown at once
    driver.settle()  # written on the worker

    stored = window.library.get_issue(summary.id)
    assert (stored.read, stored.starred) == (False, True)
    row = window.issue_model.row_of(summary.id)
    assert window.issue_model.index(row, 0).data().startswith("★")


def test_j_and_k_step_through_the_list(qtbot, driver: Driver) -> None:
    window = driver.window
    table = window.list_panel.table
    first, second = (table.model().index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in (0, 1))
    table.setFocus()

    qtbot.keyClick(table, Qt.Key.Key_J)
    assert window.issue_view.issue is not None
    assert window.issue_view.issue.id == first
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert window.issue_view.issue.id == second
    qtbot.keyClick(table, Qt.Key.Key_K)
    assert window.issue_view.issue.id == first


def test_contents_click_scrolls_the_pane_and_follows_the_scroll(qtbot, driver: Driver) -> None:
    window = driver.window
    summary = driver.summary_where(number=313)
    driver.open_from_list(summary.id)
    bar = window.pane.verticalScrollBar()
    assert bar.value() == 0
    last = window.toc_model.index(window.toc_model.rowCount() - 1, 0)

    window.toc_view.scrollTo(last)
    qtbot.mouseClick(window.toc_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.toc_view.visualRect(last).center())

    assert bar.value() > 0
    bar.setValue(0)
    assert window.toc_view.currentIndex().row() in (-1, 0)
    bar.setValue(bar.maximum())
    assert window.toc_view.currentIndex().row() == last.row()


def test_theme_switch_recolours_and_is_remembered(
    windows: Windows, window: MainWindow, seeded_dir: Path
) -> None:
    before = window.pane.palette().color(QPalette.ColorRole.Base).name()
    window.findChild(type(window.actions_by_key["ThemeDark"]), "actionThemeDark").trigger()

    assert before != window.pane.palette().color(QPalette.ColorRole.Base).name() == THEMES["dark"].page
    windows.close(window)
    reopened = windows.open(seeded_dir)
    assert reopened.appearance.theme_name == "dark"
    assert reopened.pane.palette().color(QPalette.ColorRole.Base).name() == THEMES["dark"].page


def test_zoom_keys_change_the_reading_font(qtbot, window: MainWindow) -> None:
    size = window.pane.document().defaultFont().pointSize()
    window.pane.setFocus()
    qtbot.keyClick(window.pane, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.pane.document().defaultFont().pointSize() == size + 1
    qtbot.keyClick(window.pane, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.pane.document().defaultFont().pointSize() == size


def test_reopening_restores_the_open_issue_and_scroll(qtbot, windows: Windows, driver: Driver,
                                                      seeded_dir: Path) -> None:
    window = driver.window
    summary = driver.summary_where(number=310)  # a long issue
    driver.open_from_list(summary.id)
    window.pane.verticalScrollBar().setValue(900)
    windows.close(window)

    reopened = windows.open(seeded_dir)
    assert reopened.issue_view.issue is not None
    assert reopened.issue_view.issue.id == summary.id  # the restored issue, not the newest
    qtbot.waitUntil(lambda: reopened.pane.verticalScrollBar().value() == 900)


def test_shortcuts_sheet_lists_every_shortcut(qtbot, window: MainWindow) -> None:
    window.actions_by_key["Shortcuts"].trigger()
    dialog = window.findChild(ShortcutsDialog, "shortcutsDialog")
    assert dialog is not None
    text = dialog.browser.toPlainText()
    for action in window.actions():
        for shortcut in action.shortcuts():
            assert shortcut.toString(shortcut.SequenceFormat.NativeText) in text, action.objectName()
    dialog.close()


def test_every_action_is_in_a_menu(window: MainWindow) -> None:
    def names(actions: list) -> set[str]:  # submenus too ("Highlight As ▸")
        found = {a.objectName() for a in actions}
        for action in actions:
            if action.menu() is not None:
                found |= names(action.menu().actions())
        return found

    assert {a.objectName() for a in window.actions()} <= names(window.menuBar().actions())


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd"])
def test_links_with_other_schemes_are_refused(qtbot, window: MainWindow, url: str) -> None:
    from PySide6.QtCore import QUrl

    with qtbot.waitSignal(window.pane.link_refused) as refused:
        window.pane.anchorClicked.emit(QUrl(url))
    assert refused.args == [url]
    assert url in window.statusBar().currentMessage()


def test_pane_never_loads_remote_resources(window: MainWindow) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QTextDocument

    image = QTextDocument.ResourceType.ImageResource.value
    assert window.pane.loadResource(image, QUrl("https://tracker.example/pixel.gif")) is None
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
        "awAAAABJRU5ErkJggg=="
    )
    loaded = window.pane.loadResource(image, QUrl(pixel))
    assert isinstance(loaded, QImage)
    assert loaded.width() == 1


def test_the_title_column_takes_the_room_and_shows_the_whole_title_on_hover(window: MainWindow) -> None:
    from PySide6.QtWidgets import QHeaderView

    from reader.gui.issues.model import COLUMNS, TITLE

    header = window.list_panel.table.horizontalHeader()
    assert header.sectionResizeMode(TITLE) == QHeaderView.ResizeMode.Stretch
    others = [header.sectionSize(c) for c in range(len(COLUMNS)) if c != TITLE]
    assert header.sectionSize(TITLE) > max(others)
    assert window.splitter.sizes()[0] >= 0.35 * sum(window.splitter.sizes())  # the list gets ~40%
    long_title = max(window.library.list_issues(), key=lambda s: len(s.title))
    row = window.issue_proxy.index_of(long_title.id).row()
    tip = window.issue_proxy.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(long_title.title)


def test_first_run_opens_the_newest_issue(qtbot, windows: Windows, tmp_path: Path) -> None:
    window = windows.open(tmp_path / "fresh")
    qtbot.waitUntil(lambda: window.issue_view.issue is not None, timeout=20000)
    newest = window.library.list_issues()[0]
    assert window.issue_view.issue.id == newest.id
    assert window.list_panel.current_issue_id() == newest.id  # the highlighted row is the open issue


def test_the_list_starts_newest_first_until_a_column_is_clicked(driver) -> None:
    model = driver.window.issue_model
    assert [model.summary(r).id for r in range(model.rowCount())] == [
        s.id for s in driver.window.library.list_issues()
    ]
    assert driver.window.list_panel.table.horizontalHeader().sortIndicatorSection() == -1
