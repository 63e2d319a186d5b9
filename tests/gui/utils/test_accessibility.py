"""Every interactive part of the window has an accessible name; every command is in a menu or has keys.

Walks Qt's accessibility tree (QAccessible.queryAccessibleInterface, child by child) as a screen
reader does, with every dock shown, so panels that start hidden are checked too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from reader.gui.commands.actions import ACTIONS
from reader.gui.utils.accessibility import unnamed_interactive

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from reader.gui.mainwindow.window import MainWindow


def test_no_interactive_part_is_unnamed(qtbot: QtBot, window: MainWindow) -> None:
    for dock in window.findChildren(QDockWidget):
        dock.show()
    qtbot.wait(20)
    assert list(unnamed_interactive(window)) == []


def test_every_command_is_in_a_menu_reachable_by_keyboard(window: MainWindow) -> None:
    menus = {action.text() for action in window.menuBar().actions()}
    assert all("&" in title for title in menus)  # Alt + the underlined letter opens each menu
    for spec in ACTIONS:
        action = window.action(spec.key)
        assert action.associatedObjects(), spec.key  # in a menu (or a toolbar)
        assert "&" in spec.label or spec.shortcuts, spec.key


def test_tab_goes_from_the_search_box_to_the_list_and_then_the_reading_pane(qtbot: QtBot, window: MainWindow) -> None:
    box = window.findChild(QWidget, "searchBox")
    assert box is not None
    box.setFocus()
    seen = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget().objectName())
    order = [name for name in ("librarySidebar", "issueList", "readingPane") if name in seen]
    assert order == ["librarySidebar", "issueList", "readingPane"], seen
    assert seen.index("librarySidebar") < seen.index("issueList") < seen.index("readingPane"), seen
