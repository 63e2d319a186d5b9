"""The search box and its results: debounced background search, inline errors, best/newest order."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyleOptionToolButton,
    QStylePainter,
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
CountFn = Callable[[str], int]
"""``query -> how many hits in all`` (Library.count)."""
SuggestFn = Callable[[str], "str | None"]
"""``query -> the query with unknown words corrected, or None`` (Library.suggest_query)."""
FEW_RESULTS = 3
"""Below this many results the panel offers "Did you mean …" when the library has a closer query."""
DEBOUNCE_MS = 150
PAGE = 50
"""Results fetched at first, and again each time the list is scrolled to its end. Snippets and row
layout cost per result: 100 at once at 10,000 issues held the window up for 105-121 ms (50: 30 ms)."""
MAX_RESULTS = 1000


class LinkButton(QToolButton):
    """A flat button that looks like the link it is: underlined, in the theme's link colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = self.font()
        font.setUnderline(True)
        self.setFont(font)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionToolButton()
        self.initStyleOption(option)
        option.palette.setColor(QPalette.ColorRole.ButtonText, self.palette().color(QPalette.ColorRole.Link))
        painter.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, option)


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

    def __init__(
        self,
        search: SearchFn,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        count: CountFn | None = None,
        suggest: SuggestFn | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._count = count
        self._suggest = suggest
        self._total: int | None = None  # hits in all, once counted
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
        self.suggestion = LinkButton()
        self.suggestion.setObjectName("searchSuggestion")
        self.suggestion.setAccessibleName("Search for the suggested spelling")
        self.suggestion.setAutoRaise(True)
        self.suggestion.setCursor(Qt.CursorShape.PointingHandCursor)
        self.suggestion.hide()
        self.suggestion.clicked.connect(self._search_suggestion)
        self._suggested = ""
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
        self._total = None
        self._show_suggestion("")
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

    @property
    def suggested_query(self) -> str:
        """The "Did you mean" query offered ("" when none is)."""
        return self._suggested

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
        view.clicked.connect(self._on_activated)  # one click opens a result, as in the issue list
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
        layout.addWidget(self.suggestion, 0, Qt.AlignmentFlag.AlignLeft)
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
            self._count_and_suggest(generation, query, len(hits or []))

    def _count_and_suggest(self, generation: int, query: str, shown: int) -> None:
        """Count every hit and look for a better spelling on the worker, after the results are shown."""
        count, suggest = self._count, self._suggest
        more = shown >= self._limit

        def work() -> tuple[int, str | None]:
            total = count(query) if count is not None and more else shown
            better = suggest(query) if suggest is not None and total < FEW_RESULTS else None
            return total, better

        self._runner.run(work, lambda result, error: self._show_total(generation, result, error))

    def _show_total(self, generation: int, result: tuple[int, str | None] | None, error: BaseException | None) -> None:
        if generation != self._generation or error is not None or result is None:
            return  # a newer search is on its way, or counting failed: the page count stays
        self._total, better = result
        self._show_count()
        self._show_suggestion(better or "")

    def _show_suggestion(self, query: str) -> None:
        self._suggested = query
        self.suggestion.setText(f"Did you mean “{query}”?" if query else "")
        self.suggestion.setToolTip(f"Search for “{query}”" if query else "")
        self.suggestion.setVisible(bool(query))

    def _search_suggestion(self) -> None:
        if self._suggested:
            self.box.setText(self._suggested)
            self.run_now()

    def _show_more(
        self, generation: int, limit: int, hits: Sequence[SearchHit] | None, error: BaseException | None
    ) -> None:
        if generation != self._generation or error is not None or hits is None:
            return  # a newer search replaced these results, or the longer run failed: keep what is shown
        self.model.extend(hits)
        self._more = len(hits) >= limit
        self._show_count()

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        if self._total is not None:
            self.status.setText(_summary(self._query, max(self._total, shown)))
        else:  # counting: the page is full, so there are at least this many
            self.status.setText(_summary(self._query, shown, at_least=self._more))

    def _on_scrolled(self, value: int) -> None:
        if value > 0 and value >= self.results.verticalScrollBar().maximum():
            self.load_more()

    def _show_cleared(self) -> None:
        self._query = ""
        self._total = None
        self._show_suggestion("")
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


def _summary(query: str, count: int, *, at_least: bool = False) -> str:
    """``48 results``, ``1 result``, ``50+ results`` (still counting), or that nothing matched."""
    if count == 0:
        return f"No issues match “{query}”."
    return f"{count}{'+' if at_least else ''} result{'s' if count != 1 or at_least else ''}"
