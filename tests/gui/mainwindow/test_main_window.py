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
    driver = windows.driver(window)
    assert driver.importer.running  # the import runs on the worker; the window is already up
    qtbot.waitUntil(lambda: not driver.importer.running, timeout=20000)
    qtbot.waitUntil(lambda: not driver.issue_model.loading)
    assert driver.issue_model.rowCount() == len(window.library.list_issues()) > 0
    assert "Superfast AI" in [driver.list_panel.publication.itemText(i)
                              for i in range(driver.list_panel.publication.count())]


def test_stable_object_names(window: MainWindow, driver: Driver) -> None:
    assert isinstance(window.findChild(QTableView, "issueList"), QTableView)
    assert isinstance(window.findChild(QTextBrowser, "readingPane"), QTextBrowser)
    for name in ("searchResults", "tocPanel", "highlightsPanel"):
        assert isinstance(window.findChild(QListView, name), QListView), name
    assert window.findChild(type(driver.search_box), "searchBox") is driver.search_box
    assert {"actionHighlight", "actionAddNote"} <= {a.objectName() for a in window.actions()}


def test_activating_an_issue_shows_it_and_marks_it_read(driver: Driver) -> None:
    window = driver.window
    summary = driver.summary_where(number=313)
    issue = window.library.get_issue(summary.id)
    assert not summary.read

    driver.open_from_list(summary.id)

    document = driver.pane.document()
    assert document.toPlainText().startswith(issue.title)
    headings = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() >= 2:
            headings.append(block.text())
        block = block.next()
    assert [s.title for s in issue.sections if s.level >= 2] == headings[: len(headings)]
    assert len(headings) == len([s for s in issue.sections if s.level >= 2]) > 0
    row = driver.issue_model.row_of(summary.id)
    assert window.library.get_issue(summary.id).read
    assert driver.issue_model.summary(row).read
    assert driver.issue_model.index(row, 0).data(Qt.ItemDataRole.FontRole) is None  # no longer bold


def test_m_and_s_toggle_read_and_star_of_the_current_row(qtbot, driver: Driver) -> None:
    window = driver.window
    summary = driver.summary_where(publication="Superfast AI")
    driver.open_from_list(summary.id)
    driver.issue_list.setFocus()

    qtbot.keyClick(driver.issue_list, Qt.Key.Key_M)
    qtbot.keyClick(driver.issue_list, Qt.Key.Key_S)
    row = driver.issue_model.row_of(summary.id)
    assert driver.issue_model.index(row, 0).data().startswith("★")  # shown at once
    driver.settle()  # written on the worker

    stored = window.library.get_issue(summary.id)
    assert (stored.read, stored.starred) == (False, True)
    row = driver.issue_model.row_of(summary.id)
    assert driver.issue_model.index(row, 0).data().startswith("★")


def test_j_and_k_step_through_the_list(qtbot, driver: Driver) -> None:
    table = driver.issue_list
    first, second = (table.model().index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in (0, 1))
    table.setFocus()

    qtbot.keyClick(table, Qt.Key.Key_J)
    assert driver.issue_view.issue is not None
    assert driver.issue_view.issue.id == first
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert driver.issue_view.issue.id == second
    qtbot.keyClick(table, Qt.Key.Key_K)
    assert driver.issue_view.issue.id == first


def test_contents_click_scrolls_the_pane_and_follows_the_scroll(qtbot, driver: Driver) -> None:
    summary = driver.summary_where(number=313)
    driver.open_from_list(summary.id)
    bar = driver.pane.verticalScrollBar()
    assert bar.value() == 0
    last = driver.toc_model.index(driver.toc_model.rowCount() - 1, 0)

    driver.toc_view.scrollTo(last)
    qtbot.mouseClick(driver.toc_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=driver.toc_view.visualRect(last).center())

    assert bar.value() > 0
    bar.setValue(0)
    assert driver.toc_view.currentIndex().row() in (-1, 0)
    bar.setValue(bar.maximum())
    assert driver.toc_view.currentIndex().row() == last.row()


def test_theme_switch_recolours_and_is_remembered(
    windows: Windows, window: MainWindow, driver: Driver, seeded_dir: Path
) -> None:
    before = driver.pane.palette().color(QPalette.ColorRole.Base).name()
    window.findChild(type(window.action("ThemeDark")), "actionThemeDark").trigger()

    assert before != driver.pane.palette().color(QPalette.ColorRole.Base).name() == THEMES["dark"].page
    windows.close(window)
    reopened_driver = windows.driver(windows.open(seeded_dir))
    assert reopened_driver.appearance.theme_name == "dark"
    assert reopened_driver.pane.palette().color(QPalette.ColorRole.Base).name() == THEMES["dark"].page


def test_zoom_keys_change_the_reading_font(qtbot, window: MainWindow, driver: Driver) -> None:
    size = driver.pane.document().defaultFont().pointSize()
    driver.pane.setFocus()
    qtbot.keyClick(driver.pane, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert driver.pane.document().defaultFont().pointSize() == size + 1
    qtbot.keyClick(driver.pane, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert driver.pane.document().defaultFont().pointSize() == size


def test_reopening_restores_the_open_issue_and_scroll(qtbot, windows: Windows, driver: Driver,
                                                      seeded_dir: Path) -> None:
    window = driver.window
    summary = driver.summary_where(number=310)  # a long issue
    driver.open_from_list(summary.id)
    driver.pane.verticalScrollBar().setValue(900)
    windows.close(window)

    reopened_driver = windows.driver(windows.open(seeded_dir))
    assert reopened_driver.issue_view.issue is not None
    assert reopened_driver.issue_view.issue.id == summary.id  # the restored issue, not the newest
    qtbot.waitUntil(lambda: reopened_driver.pane.verticalScrollBar().value() == 900)


def test_shortcuts_sheet_lists_every_shortcut(qtbot, window: MainWindow) -> None:
    window.action("Shortcuts").trigger()
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
def test_links_with_other_schemes_are_refused(qtbot, window: MainWindow, driver: Driver, url: str) -> None:
    from PySide6.QtCore import QUrl

    with qtbot.waitSignal(driver.pane.link_refused) as refused:
        driver.pane.anchorClicked.emit(QUrl(url))
    assert refused.args == [url]
    assert url in window.statusBar().currentMessage()


def test_pane_never_loads_remote_resources(window: MainWindow, driver: Driver) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QTextDocument

    image = QTextDocument.ResourceType.ImageResource.value
    assert driver.pane.loadResource(image, QUrl("https://tracker.example/pixel.gif")) is None
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
        "awAAAABJRU5ErkJggg=="
    )
    loaded = driver.pane.loadResource(image, QUrl(pixel))
    assert isinstance(loaded, QImage)
    assert loaded.width() == 1


def test_the_title_column_takes_the_room_and_shows_the_whole_title_on_hover(window: MainWindow, driver: Driver) -> None:
    from PySide6.QtWidgets import QHeaderView

    from reader.gui.issues.model import COLUMNS, TITLE

    header = driver.issue_list.horizontalHeader()
    assert header.sectionResizeMode(TITLE) == QHeaderView.ResizeMode.Stretch
    others = [header.sectionSize(c) for c in range(len(COLUMNS)) if c != TITLE]
    assert header.sectionSize(TITLE) > max(others)
    assert driver.splitter.sizes()[0] >= 0.35 * sum(driver.splitter.sizes())  # the list gets ~40%
    long_title = max(window.library.list_issues(), key=lambda s: len(s.title))
    row = driver.issue_proxy.index_of(long_title.id).row()
    tip = driver.issue_proxy.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(long_title.title)


def test_first_run_opens_the_newest_issue(qtbot, windows: Windows, tmp_path: Path) -> None:
    window = windows.open(tmp_path / "fresh")
    driver = windows.driver(window)
    qtbot.waitUntil(lambda: driver.issue_view.issue is not None, timeout=20000)
    newest = window.library.list_issues()[0]
    assert driver.issue_view.issue.id == newest.id
    assert driver.list_panel.current_issue_id() == newest.id  # the highlighted row is the open issue


def test_the_list_starts_newest_first_until_a_column_is_clicked(driver) -> None:
    model = driver.issue_model
    assert [model.summary(r).id for r in range(model.rowCount())] == [
        s.id for s in driver.window.library.list_issues()
    ]
    assert driver.issue_list.horizontalHeader().sortIndicatorSection() == -1
