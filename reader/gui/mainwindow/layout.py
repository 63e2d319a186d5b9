"""The main window's furniture: the splitters, the search toolbar, the contents list and the notebook dock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.gui.mainwindow.state import DEFAULT_SIZE
from reader.gui.reading.contents import TocModel

LIST_WIDTH, SIDE_WIDTH = 560, 270  # the list gets ~40%: titles are long, and they are what you scan


def main_splitter(left: QWidget, pane: QWidget, side: QWidget) -> QSplitter:
    """``left | pane | side``, the pane taking what the window gains (objectName ``mainSplitter``)."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("mainSplitter")
    for widget in (left, pane, side):
        splitter.addWidget(widget)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([LIST_WIDTH, DEFAULT_SIZE[0] - LIST_WIDTH - SIDE_WIDTH, SIDE_WIDTH])
    return splitter


def side_splitter(contents: QWidget, highlights: QWidget) -> QSplitter:
    """The titled contents list above the titled highlights panel (objectName ``sideSplitter``)."""
    side = QSplitter(Qt.Orientation.Vertical)
    side.setObjectName("sideSplitter")
    side.addWidget(_titled("Contents", contents))
    side.addWidget(_titled("Highlights", highlights))
    side.setSizes([300, 500])
    return side


def contents_view(model: TocModel) -> QListView:
    """The issue's contents as a wrapping, read-only list (objectName ``tocPanel``)."""
    view = QListView()
    view.setObjectName("tocPanel")
    view.setModel(model)
    view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setSpacing(2)
    return view


def search_toolbar(box: QLineEdit, highlight: QAction, colours: QMenu) -> tuple[QToolBar, QLabel]:
    """The fixed toolbar: search box, match count ("2 of 18"), and Highlight with its colour menu.

    Returns:
        The toolbar and its match-count label (objectName ``matchCount``).
    """
    bar = QToolBar("Search")
    bar.setObjectName("searchToolBar")
    bar.setMovable(False)
    bar.addWidget(box)
    match_label = QLabel()
    match_label.setObjectName("matchCount")
    match_label.setContentsMargins(10, 0, 10, 0)
    bar.addWidget(match_label)
    bar.addSeparator()
    button = QToolButton()
    button.setObjectName("highlightButton")
    button.setDefaultAction(highlight)
    button.setMenu(colours)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.addWidget(button)
    return bar, match_label


def add_notebook_dock(window: QMainWindow, notebook: QWidget, toggle: QAction) -> QDockWidget:
    """Dock ``notebook`` at the bottom of ``window``, hidden until ``toggle`` shows it (objectName ``notebookDock``)."""
    dock = QDockWidget("Notebook", window)
    dock.setObjectName("notebookDock")
    dock.setWidget(notebook)
    # Below everything: its rows are one long line each, and the pane keeps its reading width.
    dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resizeDocks([dock], [300], Qt.Orientation.Vertical)
    dock.hide()
    toggle.toggled.connect(dock.setVisible)
    dock.visibilityChanged.connect(lambda _visible: toggle.setChecked(not dock.isHidden()))
    return dock


def _titled(title: str, body: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 0, 0)
    label = QLabel(title)
    label.setStyleSheet("font-weight: 600;")
    layout.addWidget(label)
    layout.addWidget(body, 1)
    return box
