"""The Links view's table: cited works read a page at a time, sorted and filtered in SQL.

At 10,000 issues the library cites ~40,000 works. Reading them all and sorting them in a
``QSortFilterProxyModel`` calls ``data()`` from Python about a million times per sort; here the
library sorts and filters (``Library.links(order=..., offset=..., limit=...)``) on the reader thread
and the table asks for the next page when it is scrolled near its end (``canFetchMore``/``fetchMore``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from reader.core import Library
from reader.core.types import LinkedWork, LinkOrder

COLUMNS = ("Work", "Site", "Issues", "Publications", "First seen", "Last seen", "Link texts")
ORDERS: tuple[LinkOrder, ...] = ("title", "site", "issues", "publications", "first_seen", "last_seen", "anchors")
"""The library's order for each column."""
WORK_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE = 200
"""Works read at a time: a screenful many times over, a few ms of SQL at 40,000 works."""
_Index = QModelIndex | QPersistentModelIndex
ReadInBackground = Callable[[Callable[[], Any], Callable[[Any, BaseException | None], None]], None]


@dataclass(frozen=True)
class WorksQuery:
    """What the table shows: the filters and the order."""

    site: str = ""
    text: str = ""
    order: LinkOrder = "issues"
    descending: bool = True


class WorksModel(QAbstractTableModel):
    """The works of the current ``WorksQuery``, one row each, as many pages as were asked for.

    Args:
        library: where the works are read (``links``, ``links_count``).
        read_in_background: runs a read off the main thread (TaskRunner.read).

    Signals:
        loaded(): the first page of a (new) query is shown.
        failed(str): the works could not be read; the reason.
    """

    loaded = Signal()
    failed = Signal(str)

    def __init__(self, library: Library, read_in_background: ReadInBackground, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library, self._read = library, read_in_background
        self._query = WorksQuery()
        self._works: list[LinkedWork] = []
        self.matching = 0
        """How many works the query finds (rows so far: ``rowCount``)."""
        self.total = 0
        """How many works the library cites, without the filters."""
        self._generation = 0
        self._fetching = False
        self._started = False

    @property
    def query(self) -> WorksQuery:
        """What the table shows."""
        return self._query

    def set_query(self, **changes: Any) -> None:
        """Change the filters or the order; the rows are read again (once the model has been loaded)."""
        query = replace(self._query, **changes)
        if query != self._query:
            self._query = query
            if self._started:
                self.reload()

    def reload(self) -> None:
        """Read the first page of the query again (in the background)."""
        self._started = True
        self._fetching = True  # no next page until the first one is here
        self._generation += 1
        generation, query, lib = self._generation, self._query, self._library

        def first_page() -> tuple[list[LinkedWork], int, int]:
            works = lib.links(query.site or None, query.text or None, order=query.order,
                              descending=query.descending, limit=PAGE)
            matching = lib.links_count(query.site or None, query.text or None)
            total = matching if not (query.site or query.text) else lib.links_count()
            return works, matching, total

        self._read(first_page, lambda result, error: self._first_page(generation, result, error))

    def work(self, row: int) -> LinkedWork:
        """The work of a row."""
        return self._works[row]

    def row_of(self, key: str) -> int | None:
        """The row of the work with this key, if it was read."""
        return next((row for row, work in enumerate(self._works) if work.key == key), None)

    # -- Qt model API ------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._works)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._fetching and len(self._works) < self.matching

    def fetchMore(self, parent: _Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, query, lib, offset = self._generation, self._query, self._library, len(self._works)
        self._read(
            lambda: lib.links(query.site or None, query.text or None, order=query.order,
                              descending=query.descending, offset=offset, limit=PAGE),
            lambda works, error: self._next_page(generation, works, error),
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(ORDERS):
            self.set_query(order=ORDERS[column], descending=order == Qt.SortOrder.DescendingOrder)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        work = self._works[index.row()]
        column = index.column()
        if role == WORK_ROLE:
            return work
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(work, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{work.title}\n{work.url or work.site}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- pages arriving ------------------------------------------------------------------------------
    def _first_page(self, generation: int, result: tuple[list[LinkedWork], int, int] | None,
                    error: BaseException | None) -> None:
        if generation != self._generation:
            return  # the query changed meanwhile: its own read is on its way
        self._fetching = False
        if error is not None or result is None:
            self.failed.emit(str(error))
            return
        self.beginResetModel()
        self._works, self.matching, self.total = result
        self.endResetModel()
        self.loaded.emit()

    def _next_page(self, generation: int, works: list[LinkedWork] | None, error: BaseException | None) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        if error is not None or not works:
            self.matching = len(self._works)  # nothing more to read (the library changed meanwhile)
            return
        self.beginInsertRows(QModelIndex(), len(self._works), len(self._works) + len(works) - 1)
        self._works.extend(works)
        self.endInsertRows()


def _cell(work: LinkedWork, column: int) -> str:
    values = (work.title, work.site, str(work.issues), str(work.publications), work.first_seen or "",
              work.last_seen or "", " · ".join(work.anchors))
    return values[column]
