"""The highlights panel beside the pane: the issue's note, then its highlights in reading order."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QMenu, QVBoxLayout, QWidget

from reader.core.types import Highlight
from reader.gui.annotations.highlight_delegate import HighlightDelegate
from reader.gui.annotations.highlight_model import HIGHLIGHT_ROLE, HighlightsModel

EMPTY_HINT = "Select text and press H to highlight it."


class HighlightsPanel(QWidget):
    """Lists the open issue's highlights (``highlightsPanel``) under its issue note (``issueNote``).

    Args:
        model: the HighlightsModel of the open issue.

    Signals:
        highlight_clicked(Highlight): a row was clicked or activated (go to it in the pane).
        delete_requested(Highlight): Delete was pressed on a row.
        menu_requested(QMenu, Highlight): a row's context menu is about to open; fill ``menu``.
    """

    highlight_clicked = Signal(object)
    delete_requested = Signal(object)
    menu_requested = Signal(object, object)

    def __init__(self, model: HighlightsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.note = QLabel()
        self.note.setObjectName("issueNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.MarkdownText)
        self.note.setOpenExternalLinks(False)
        self.note.setContentsMargins(4, 2, 4, 6)
        self.note.hide()
        self.hint = QLabel(EMPTY_HINT)
        self.hint.setObjectName("highlightsHint")
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)  # drawn in the muted colour
        self.view = self._make_view()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._update_hint)
        self._update_hint()

    def set_issue_note(self, text: str) -> None:
        """Show the open issue's note above the highlights (hidden when there is none)."""
        self.note.setText(f"**Issue note:** {text}" if text.strip() else "")
        self.note.setVisible(bool(text.strip()))

    def current_highlight(self) -> Highlight | None:
        """The highlight of the current row, if any."""
        value = self.view.currentIndex().data(HIGHLIGHT_ROLE)
        return value if isinstance(value, Highlight) else None

    def select_highlight(self, highlight_id: str) -> bool:
        """Make the highlight's row current (without going to it in the pane); False when not listed."""
        for row, highlight in enumerate(self.model.highlights()):
            if highlight.id == highlight_id:
                index = self.model.index(row, 0)
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
                return True
        return False

    # -- internals -------------------------------------------------------------------------------
    def _make_view(self) -> QListView:
        view = QListView()
        view.setObjectName("highlightsPanel")
        view.setModel(self.model)
        view.setItemDelegate(HighlightDelegate(view))
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setResizeMode(QListView.ResizeMode.Adjust)
        view.setSpacing(1)
        view.clicked.connect(self._on_clicked)
        view.activated.connect(self._on_clicked)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        delete = QAction("Delete Highlight", view)
        delete.setObjectName("actionDeleteHighlight")
        delete.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Backspace")])
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._delete_current)
        view.addAction(delete)
        return view

    def _on_clicked(self, index: QModelIndex) -> None:
        value = index.data(HIGHLIGHT_ROLE)
        if isinstance(value, Highlight):
            self.highlight_clicked.emit(value)

    def _delete_current(self) -> None:
        highlight = self.current_highlight()
        if highlight is not None:
            self.delete_requested.emit(highlight)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        value = index.data(HIGHLIGHT_ROLE)
        if not isinstance(value, Highlight):
            return
        self.view.setCurrentIndex(index)
        menu = QMenu(self)
        self.menu_requested.emit(menu, value)
        if not menu.isEmpty():
            menu.exec(self.view.viewport().mapToGlobal(pos))

    def _update_hint(self) -> None:
        self.hint.setVisible(self.model.issue_id is not None and self.model.rowCount() == 0)
