"""The search box and its results: debounced background search, inline errors, best/newest order."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.errors import QueryError
from reader.core.types import SearchHit
from reader.gui.background.tasks import TaskRunner
from reader.gui.search.model import SearchResultsModel, SnippetDelegate

SearchFn = Callable[[str, str, int], Sequence[SearchHit]]
"""``(query, sort, limit) -> hits``; sort is "score" or "date" (Library.search)."""
DEBOUNCE_MS = 150
PAGE = 50
"""Results fetched at first, and again each time the list is scrolled to its end. Snippets and row
layout cost per result: 100 at once at 10,000 issues held the window up for 105-121 ms (50: 30 ms)."""
MAX_RESULTS = 1000


class SearchPanel(QWidget):
    """Runs the search box's query in the background and lists the hits.

    The box itself (``box``, objectName ``searchBox``) is placed in the toolbar by the window.

    Signals:
        hit_activated(SearchHit, str): a result was activated; the query is passed to mark matches.
        active_changed(bool): the search now has a query (show the results) or was cleared.
        sort_changed(str): the user chose another order ("score" or "date").
    """

    hit_activated = Signal(object, str)
    active_changed = Signal(bool)
    sort_changed = Signal(str)

    def __init__(self, search: SearchFn, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._runner = runner
        self._generation = 0
        self._query = ""
        self._sort = "score"
        self._limit = PAGE
        self._more = False  # the last page was full: scrolling to the end fetches the next
        self.box = self._make_box()
        self.status = QLabel()
        self.status.setObjectName("searchStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.model = SearchResultsModel(self)
        self.results = self._make_results()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_now)
        self._layout(self._make_sort_buttons())

    # -- public ----------------------------------------------------------------------------------
    @property
    def query(self) -> str:
        """The query of the results shown."""
        return self._query

    def set_sort(self, sort: str) -> None:
        """Order by "score" (best first) or "date" (newest first) and search again."""
        sort = "date" if sort == "date" else "score"
        self._sort_buttons[sort].setChecked(True)
        if sort != self._sort:
            self._sort = sort
            self.sort_changed.emit(sort)
            self.run_now()

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Run FocusSearch."""
        actions["FocusSearch"].triggered.connect(self.focus_box)

    def focus_box(self) -> None:
        """Put the cursor in the search box, its text selected."""
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def run_now(self) -> None:
        """Search for the box's text now (skipping the debounce)."""
        self._debounce.stop()
        query = self.box.text().strip()
        self._generation += 1
        if not query:
            self._show_cleared()
            return
        generation, sort, self._limit, self._more = self._generation, self._sort, PAGE, False
        self.status.setText("Searching…")
        self.active_changed.emit(True)
        self._runner.run(
            lambda: self._search(query, sort, PAGE),
            lambda hits, error: self._show_results(generation, query, hits, error),
        )

    def load_more(self) -> bool:
        """Fetch the next page of the results shown (the list was scrolled to its end); False if none."""
        if not self._more or self._limit >= MAX_RESULTS:
            return False
        self._more = False  # one page at a time
        self._limit += PAGE
        generation, query, sort, limit = self._generation, self._query, self._sort, self._limit
        self._runner.run(
            lambda: self._search(query, sort, limit),
            lambda hits, error: self._show_more(generation, limit, hits, error),
        )
        return True

    def clear(self) -> None:
        """Empty the box and the results."""
        self.box.clear()
        self.run_now()

    def set_muted_colour(self, colour: str) -> None:
        """Colour of the "where it matched" line in results (follows the theme)."""
        self.model.muted_colour = colour
        self.results.viewport().update()

    # -- internals -------------------------------------------------------------------------------
    def _make_box(self) -> QLineEdit:
        box = QLineEdit()
        box.setObjectName("searchBox")
        box.setPlaceholderText("Search issues, highlights and notes  ( / )")
        box.setClearButtonEnabled(True)
        box.setMinimumWidth(280)
        box.textChanged.connect(lambda _text: self._debounce.start())
        box.returnPressed.connect(self._activate_first)
        box.installEventFilter(self)
        return box

    def _make_results(self) -> QListView:
        view = QListView()
        view.setObjectName("searchResults")
        view.setModel(self.model)
        view.setItemDelegate(SnippetDelegate(view))
        view.setResizeMode(QListView.ResizeMode.Adjust)  # rows re-wrap when the panel is resized
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        # Rows are measured a batch at a time between events, so a page of long results never
        # holds up the window while they are laid out.
        view.setLayoutMode(QListView.LayoutMode.Batched)
        view.setBatchSize(10)
        view.activated.connect(self._on_activated)
        view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        view.installEventFilter(self)
        return view

    def _make_sort_buttons(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(box)
        self._sort_buttons: dict[str, QToolButton] = {}
        for key, label in (("score", "Best"), ("date", "Newest")):
            button = QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setObjectName(f"searchSort_{key}")
            button.clicked.connect(lambda _checked=False, k=key: self.set_sort(k))
            group.addButton(button)
            row.addWidget(button)
            self._sort_buttons[key] = button
        self._sort_buttons["score"].setChecked(True)
        row.addStretch(1)
        return box

    def _layout(self, sort_row: QWidget) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(sort_row)
        layout.addLayout(top)
        layout.addWidget(self.results, 1)

    def _show_results(
        self, generation: int, query: str, hits: Sequence[SearchHit] | None, error: BaseException | None
    ) -> None:
        if generation != self._generation:
            return  # the user typed on; a newer search is coming
        self._query = query
        if isinstance(error, QueryError):
            self.model.set_hits([])
            self.status.setText(f"Can't search for that: {error}")
        elif error is not None:
            self.model.set_hits([])
            self.status.setText(f"Search failed: {error}")
        else:
            self.model.set_hits(hits or [])
            self._more = len(hits or []) >= self._limit
            self._show_count()

    def _show_more(
        self, generation: int, limit: int, hits: Sequence[SearchHit] | None, error: BaseException | None
    ) -> None:
        if generation != self._generation or error is not None or hits is None:
            return  # a newer search replaced these results, or the longer run failed: keep what is shown
        self.model.extend(hits)
        self._more = len(hits) >= limit
        self._show_count()

    def _show_count(self) -> None:
        count = self.model.rowCount()
        more = " (scroll down for more)" if self._more and self._limit < MAX_RESULTS else ""
        self.status.setText(_summary(self._query, count) + more)

    def _on_scrolled(self, value: int) -> None:
        if value > 0 and value >= self.results.verticalScrollBar().maximum():
            self.load_more()

    def _show_cleared(self) -> None:
        self._query = ""
        self.model.set_hits([])
        self.status.clear()
        self.active_changed.emit(False)

    def _activate_first(self) -> None:
        if self._debounce.isActive():
            self.run_now()  # results arrive later; Enter again opens the first
            return
        if self.model.rowCount():
            first = self.model.index(0, 0)
            self.results.setCurrentIndex(first)
            self._on_activated(first)

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.hit_activated.emit(self.model.hit(index.row()), self._query)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in the box or the results clears the search; Down moves from the box into the results."""
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape and watched in (self.box, self.results):
                self.clear()
                return True
            if watched is self.box and event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.results.setFocus()
                self.results.setCurrentIndex(self.model.index(0, 0))
                return True
        return super().eventFilter(watched, event)


def _summary(query: str, count: int) -> str:
    if count == 0:
        return f"No issues match “{query}”."
    return f"{count} result{'s' if count != 1 else ''}"
