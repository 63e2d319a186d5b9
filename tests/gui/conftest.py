"""GUI test setup: offscreen Qt, every test here marked ``gui``, the real window on a seeded copy."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QStackedWidget,
    QTableView,
)
from pytestqt.qtbot import QtBot

from reader.core.types import IssueSummary
from reader.gui import build_window
from reader.gui.annotations.colours import ColourActions
from reader.gui.annotations.editor import AnnotationEditor
from reader.gui.annotations.highlight_model import HighlightsModel
from reader.gui.annotations.highlight_panel import HighlightsPanel
from reader.gui.annotations.notebook import NotebookPanel
from reader.gui.background.feeds import FeedController
from reader.gui.background.imports import ImportController
from reader.gui.background.job_runner import JobRunner
from reader.gui.background.tasks import TaskRunner
from reader.gui.issues.model import ID_ROLE, IssueFilterProxy, IssueTableModel
from reader.gui.issues.panel import IssueListPanel
from reader.gui.mainwindow.appearance import Appearance
from reader.gui.mainwindow.window import MainWindow
from reader.gui.misc.single_instance import InstanceGuard
from reader.gui.reading.contents import TocModel
from reader.gui.reading.highlight_actions import AnnotationController
from reader.gui.reading.issue_view import IssueView
from reader.gui.reading.pane import ReadingPane
from reader.gui.search.panel import SearchPanel

_HERE = Path(__file__).parent
_Child = TypeVar("_Child", bound=QObject)

# The offscreen platform says this on every show(); it is about the platform plugin, not our code.
_OFFSCREEN_NOISE = "This plugin does not support"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/gui as ``gui`` (so ``-m "not gui"`` runs the core alone)."""
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)
            item.add_marker(pytest.mark.qt_log_ignore(_OFFSCREEN_NOISE))


class Windows:
    """Opens real windows on data dirs and closes whatever is still open at the end of the test."""

    def __init__(self, qtbot: QtBot) -> None:
        self._qtbot = qtbot
        self._open: list[MainWindow] = []

    def open(self, data_dir: Path, **options: Any) -> MainWindow:
        """Build and show the real window for ``data_dir`` at a fixed size (options: see build_window)."""
        window = build_window(data_dir, **options)
        window.resize(1300, 850)
        window.show()
        window.activateWindow()  # keyboard shortcuts only reach the active window
        self._qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        self._open.append(window)
        return window

    def close(self, window: MainWindow) -> None:
        """Close the window (it saves its settings), then its library."""
        self._open.remove(window)
        window.close()
        window.library.close()
        window.deleteLater()

    def driver(self, window: MainWindow) -> Driver:
        """A Driver on ``window`` (one this fixture opened)."""
        return Driver(self._qtbot, window)

    def close_all(self) -> None:
        """Close every window still open."""
        for window in list(self._open):
            self.close(window)


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[Windows]:
    """Open real windows (closed at teardown)."""
    opened = Windows(qtbot)
    yield opened
    opened.close_all()


@pytest.fixture
def window(windows: Windows, seeded_dir: Path) -> MainWindow:
    """The real main window on a real seeded Library in tmp_path."""
    return windows.open(seeded_dir)


class Driver:
    """Does what a person does in the window, the way they do it (activate rows, type queries).

    It is also the one place that knows how to find the window's parts: by type and objectName
    (``window.findChild``), never by the window's private attributes.
    """

    def __init__(self, qtbot: QtBot, window: MainWindow) -> None:
        self.qtbot = qtbot
        self.window = window

    def child(self, kind: type[_Child], name: str = "") -> _Child:
        """The window's one child of type ``kind`` named ``name`` ("" = any name); fails when missing."""
        found = self.window.findChild(kind, name)
        assert isinstance(found, kind), f"no {kind.__name__} {name!r} in the window"
        return found

    # -- widgets (objectNames are the stable contract) ------------------------------------------
    @property
    def pane(self) -> ReadingPane:
        return self.child(ReadingPane, "readingPane")

    @property
    def issue_list(self) -> QTableView:
        return self.child(QTableView, "issueList")

    @property
    def list_panel(self) -> IssueListPanel:
        return self.child(IssueListPanel, "issueListPanel")

    @property
    def left(self) -> QStackedWidget:
        """The issue list / search results stack left of the pane."""
        return self.child(QStackedWidget, "leftStack")

    @property
    def search_panel(self) -> SearchPanel:
        return self.child(SearchPanel, "searchPanel")

    @property
    def search_box(self) -> QLineEdit:
        return self.child(QLineEdit, "searchBox")

    @property
    def search_results(self) -> QListView:
        return self.child(QListView, "searchResults")

    @property
    def toc_view(self) -> QListView:
        return self.child(QListView, "tocPanel")

    @property
    def highlights_panel(self) -> HighlightsPanel:
        return self.child(HighlightsPanel, "highlightsPanelBox")

    @property
    def highlights_view(self) -> QListView:
        return self.child(QListView, "highlightsPanel")

    @property
    def notebook(self) -> NotebookPanel:
        return self.child(NotebookPanel, "notebookPanel")

    @property
    def notebook_dock(self) -> QDockWidget:
        return self.child(QDockWidget, "notebookDock")

    @property
    def match_label(self) -> QLabel:
        return self.child(QLabel, "matchCount")

    @property
    def index_status(self) -> QLabel:
        return self.child(QLabel, "indexStatus")

    @property
    def splitter(self) -> QSplitter:
        return self.child(QSplitter, "mainSplitter")

    # -- models and controllers (QObject children, named by the window) -------------------------
    @property
    def issue_model(self) -> IssueTableModel:
        return self.child(IssueTableModel, "issueModel")

    @property
    def issue_proxy(self) -> IssueFilterProxy:
        return self.child(IssueFilterProxy, "issueProxy")

    @property
    def toc_model(self) -> TocModel:
        return self.child(TocModel, "tocModel")

    @property
    def highlights_model(self) -> HighlightsModel:
        return self.child(HighlightsModel, "highlightsModel")

    @property
    def issue_view(self) -> IssueView:
        return self.child(IssueView, "issueView")

    @property
    def editor(self) -> AnnotationEditor:
        return self.child(AnnotationEditor, "annotationEditor")

    @property
    def annotations(self) -> AnnotationController:
        return self.child(AnnotationController, "annotations")

    @property
    def colours(self) -> ColourActions:
        return self.child(ColourActions, "colourActions")

    @property
    def appearance(self) -> Appearance:
        return self.child(Appearance, "appearance")

    @property
    def runner(self) -> TaskRunner:
        return self.child(TaskRunner, "taskRunner")

    @property
    def jobs(self) -> JobRunner:
        return self.child(JobRunner, "jobRunner")

    @property
    def importer(self) -> ImportController:
        return self.child(ImportController, "importer")

    @property
    def feeds(self) -> FeedController:
        return self.child(FeedController, "feeds")

    @property
    def guard(self) -> InstanceGuard:
        return self.child(InstanceGuard)

    # -- what a person does ----------------------------------------------------------------------
    def summary_where(self, **fields: object) -> IssueSummary:
        """The first listed issue whose fields equal ``fields`` (publication="Superfast AI"...)."""
        model = self.issue_model
        for row in range(model.rowCount()):
            summary = model.summary(row)
            if all(getattr(summary, k) == v for k, v in fields.items()):
                return summary
        raise AssertionError(f"no issue with {fields}")

    def open_from_list(self, issue_id: str) -> None:
        """Activate the issue's row in issueList."""
        view = self.issue_list
        proxy = view.model()
        for row in range(proxy.rowCount()):
            index = proxy.index(row, 0)
            if index.data(ID_ROLE) == issue_id:
                view.setCurrentIndex(index)
                view.activated.emit(index)
                self.settle()
                return
        raise AssertionError(f"{issue_id} is not shown in the list")

    def settle(self) -> None:
        """Wait until the window's background work (writes, list reloads) is done and shown."""
        runner, model = self.runner, self.issue_model
        self.qtbot.waitUntil(lambda: not runner.busy and not model.loading)

    def select(self, word: str, after: str = "") -> tuple[int, int]:
        """Select the first ``word`` that follows ``after`` in the pane, as a mouse would; its Qt range."""
        document = self.pane.document()
        start = document.find(after) if after else None
        assert start is None or not start.isNull(), after
        found = document.find(word, start) if start is not None else document.find(word)
        assert not found.isNull(), word
        cursor = QTextCursor(document)
        cursor.setPosition(found.selectionStart())
        cursor.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
        self.pane.setTextCursor(cursor)
        return found.selectionStart(), found.selectionEnd()

    def answer_next_dialog(self, fill: Callable[[QDialog], None]) -> list[QDialog]:
        """When the next modal dialog is up and active, call ``fill(dialog)`` (to accept or reject it).

        Returns a list that holds the dialog once ``fill`` closed it. A dialog that ``fill`` left
        open is rejected, so a broken test fails instead of hanging in ``exec()``.
        """
        answered: list[QDialog] = []

        def poll() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QDialog) or QApplication.activeWindow() is not dialog:
                if isinstance(dialog, QDialog):
                    dialog.activateWindow()  # shortcuts (Ctrl+Enter) only reach the active window
                QTimer.singleShot(10, poll)
                return
            fill(dialog)
            if dialog.isVisible():
                dialog.reject()
            else:
                answered.append(dialog)

        QTimer.singleShot(0, poll)
        return answered

    def answer_note(self, text: str) -> list[QDialog]:
        """Write ``text`` in the next note dialog and save it with Ctrl+Enter."""

        def fill(dialog: QDialog) -> None:
            editor = dialog.editor  # type: ignore[attr-defined]
            editor.setPlainText(text)
            self.qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

        return self.answer_next_dialog(fill)

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        """Press a key in the reading pane once the window is active again (after a dialog)."""
        self.window.activateWindow()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.window)
        self.pane.setFocus()
        self.qtbot.keyClick(self.pane, key, modifiers)

    def search(self, text: str) -> None:
        """Type a query into the search box and wait until its outcome is shown."""
        panel, box, runner = self.search_panel, self.search_box, self.runner
        box.clear()
        self.qtbot.keyClicks(box, text)
        self.qtbot.waitUntil(lambda: panel.query == text and not runner.busy)


@pytest.fixture
def driver(qtbot: QtBot, window: MainWindow) -> Driver:
    """A Driver on the seeded window."""
    return Driver(qtbot, window)
