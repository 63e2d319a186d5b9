"""The issue list panel: publication/unread/starred filters above the issue table."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QFocusEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.gui.issues.model import (
    DATE,
    HIGHLIGHTS,
    ID_ROLE,
    NUMBER,
    PUBLICATION,
    TITLE,
    IssueFilterProxy,
    IssueTableModel,
)
from reader.gui.utils.combos import ALL_PUBLICATIONS, refill_choices

NARROW_LIST = 460
"""Below this width (px) the list hides its number and highlight-count columns."""


class IssueListPanel(QWidget):
    """Shows the filtered, sortable issue table.

    Args:
        proxy: the filter proxy over the IssueTableModel.
        filter_actions: checkable actions shown as toggle buttons beside the publication filter.
        context_actions: actions offered by the rows' context menu (read, star...).

    Signals:
        issue_activated(str): a row was chosen by the person (a click, arrow keys, Home/End, Enter,
            double click); the issue's id. Selecting opens, as in every mail and feed reader, so the
            selected row and the pane never disagree. Rows made current by the program (after an
            open, a reload, j/k) do not emit it.
    """

    issue_activated = Signal(str)

    def __init__(
        self,
        proxy: IssueFilterProxy,
        filter_actions: Sequence[QAction],
        context_actions: Sequence[QAction],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self._context_actions = list(context_actions)
        self.publication = QComboBox()
        self.publication.setObjectName("publicationFilter")
        self.publication.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.publication.currentIndexChanged.connect(self._on_publication)
        toggles = [self._toggle(action) for action in filter_actions]
        self.table = self._make_table()
        self._kept: tuple[str | None, int] = (None, 0)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        proxy.modelAboutToBeReset.connect(self._keep_place)
        proxy.modelReset.connect(self._restore_place)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 6)
        for widget in (self.publication, *toggles):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """In a narrow list the number and highlight-count columns give their room to the title."""
        super().resizeEvent(event)
        narrow = event.size().width() < NARROW_LIST
        for column in (NUMBER, HIGHLIGHTS):
            self.table.setColumnHidden(column, narrow)

    def follow_publications(self, model: IssueTableModel) -> None:
        """Offer the listed issues' publications in the filter whenever ``model`` reloads and they changed."""
        shown: list[list[str]] = [[]]

        def refresh() -> None:
            names = sorted({s.publication for s in model.rows}, key=str.casefold)
            if names != shown[0]:
                shown[0] = names
                self.set_publications(names)

        model.loaded.connect(refresh)

    def set_publications(self, names: Sequence[str]) -> None:
        """Offer these publications in the filter, keeping the current choice when it still exists."""
        refill_choices(self.publication, ALL_PUBLICATIONS, names)
        self._fit_publication_column(names)
        self._on_publication()

    def current_issue_id(self) -> str | None:
        """The id of the current row, if any."""
        index = self.table.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else None

    def selected_ids(self) -> list[str]:
        """The ids of the selected rows, top to bottom (the commands on a selection act on these)."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda index: index.row())
        return [str(index.data(ID_ROLE)) for index in rows]

    def select_issue(self, issue_id: str, source_row: int | None) -> None:
        """Make the issue's row current (without activating it), if it is shown."""
        if source_row is None:
            return
        index = self.proxy.mapFromSource(self.proxy.sourceModel().index(source_row, 0))
        if index.isValid():
            self._make_current(index)
            self.table.scrollTo(index)

    def step(self, delta: int, from_source_row: int | None) -> str | None:
        """Make the row ``delta`` away from ``from_source_row`` current and return its issue id.

        With no starting row (nothing open, or the open issue filtered out) stepping starts before
        the first row, so "next" opens the first issue. None at either end of the list.
        """
        start = -1
        if from_source_row is not None:
            start = self.proxy.mapFromSource(self.proxy.sourceModel().index(from_source_row, 0)).row()
        row = start + delta if start >= 0 or delta > 0 else -1
        if not 0 <= row < self.proxy.rowCount():
            return None
        index = self.proxy.index(row, 0)
        self._make_current(index)
        self.table.scrollTo(index)
        return str(index.data(ID_ROLE))

    # -- internals -------------------------------------------------------------------------------
    def _toggle(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _make_table(self) -> IssueTable:
        table = IssueTable()
        table.setObjectName("issueList")
        table.setModel(self.proxy)
        # No sort column until the reader clicks one: the library's own order (newest first). The
        # indicator is cleared first, or enabling sorting would sort by the title, Z to A.
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setTabKeyNavigation(False)  # Tab leaves the list (for the reading pane), arrows move in it
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().hide()
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform heights: fast with 100k rows
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        # Widths from the font, not from the rows (measuring 100k rows would stall every reload);
        # the title takes whatever is left.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column, sample in ((NUMBER, "#0000"), (DATE, "30 Sep 2024"), (HIGHLIGHTS, "000")):
            header.resizeSection(column, _text_width(table, sample))
        header.resizeSection(PUBLICATION, _text_width(table, "Publication name"))
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        table.activated.connect(self._on_activated)
        # A click opens its row even when the list had already made that row current (a list just
        # filtered by the sidebar: current, not selected), when the current row does not change.
        table.clicked.connect(self._on_activated)
        return table

    def _fit_publication_column(self, names: Sequence[str]) -> None:
        """As wide as the longest publication name, within reason (the title needs the room more)."""
        widest = max((_text_width(self.table, name) for name in names), default=0)
        low, high = _text_width(self.table, "Publication"), _text_width(self.table, "M" * 13)
        self.table.horizontalHeader().resizeSection(PUBLICATION, min(max(widest, low), high))

    def _keep_place(self) -> None:
        self._kept = (self.current_issue_id(), self.table.verticalScrollBar().value())

    def _restore_place(self) -> None:
        """After the rows were replaced (a reload): the same issue current, the same scroll."""
        issue_id, scroll = self._kept
        self._kept = (None, 0)
        if issue_id is not None:
            index = self.proxy.index_of(issue_id)
            if index.isValid():
                self._make_current(index)
        self.table.verticalScrollBar().setValue(scroll)

    def _make_current(self, index: QModelIndex) -> None:
        """Select ``index``'s row as the program, not the person: nothing is opened."""
        flags = QItemSelectionModel.SelectionFlag
        with self.table.moved_by_program():
            self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)

    def _on_current_row(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not self.table.program_moving and current.isValid() and current.row() != previous.row():
            self.issue_activated.emit(str(current.data(ID_ROLE)))

    def _on_publication(self) -> None:
        self.proxy.set_publication(self.publication.currentData() or "")

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.issue_activated.emit(str(index.data(ID_ROLE)))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        if self.table.selectionModel().isRowSelected(index.row(), index.parent()):
            with self.table.moved_by_program():  # a row of the selection: the menu acts on the whole selection
                self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        else:
            self._make_current(index)  # the menu acts on this row; it does not open it
        menu = QMenu(self)
        menu.addActions(self._context_actions)
        menu.exec(self.table.viewport().mapToGlobal(pos))


class IssueTable(QTableView):
    """The issue table; Home and End go to the first and last row (a table's default is the first
    and last column of the current row, which in a list of issues is no move at all).

    ``program_moving`` is True while the program, not the person, moves the current row: then
    nothing is opened (Qt itself makes the first row current when the table gets the focus).
    """

    program_moving = False

    @contextmanager
    def moved_by_program(self) -> Iterator[None]:
        """Within this block, current-row changes are the program's."""
        was, self.program_moving = self.program_moving, True
        try:
            yield
        finally:
            self.program_moving = was

    def focusInEvent(self, event: QFocusEvent) -> None:
        with self.moved_by_program():
            super().focusInEvent(event)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        rows = self.model().rowCount() if self.model() is not None else 0
        column = max(self.currentIndex().column(), 0)
        if rows and action == QAbstractItemView.CursorAction.MoveHome:
            return self.model().index(0, column)
        if rows and action == QAbstractItemView.CursorAction.MoveEnd:
            return self.model().index(rows - 1, column)
        return super().moveCursor(action, modifiers)


def _text_width(table: QTableView, text: str) -> int:
    """Room for ``text`` in a cell or header of ``table`` (with the style's padding)."""
    return table.fontMetrics().horizontalAdvance(text) + 16
