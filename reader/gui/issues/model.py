"""The issue list: a table model over Library.list_issues and a filtering proxy in front of it."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont

from reader.core.types import Changes, IssueSummary
from reader.gui.utils.formatting import format_date, format_number

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role giving the issue id of a row (the same on every column)."""

COLUMNS = ("Title", "Publication", "No.", "Date", "✎")
COLUMN_TIPS = ("Title", "Publication", "Issue number", "Date", "Highlights")
"""Header tooltips (the highlights column is headed by a pencil so the title keeps the room)."""
TITLE, PUBLICATION, NUMBER, DATE, HIGHLIGHTS = range(len(COLUMNS))
_FEW_UPDATES = 50  # above this many changed issues a full reload is cheaper than one query each

LoadDone = Callable[[Any, "BaseException | None"], None]
ReadInBackground = Callable[[Callable[[], Any], LoadDone], None]
"""``(fn, on_done)``: run ``fn`` off the main thread, then ``on_done(result, error)`` on it (TaskRunner.read)."""


def _sort_key(column: int) -> Callable[[IssueSummary], Any]:
    """Sort key for a column; missing numbers and dates sort as None (placed last by the caller)."""
    keys: dict[int, Callable[[IssueSummary], Any]] = {
        TITLE: lambda s: s.title.casefold(),
        PUBLICATION: lambda s: (s.publication.casefold(), s.date or ""),
        NUMBER: lambda s: s.number,
        DATE: lambda s: s.date,
        HIGHLIGHTS: lambda s: s.highlight_count,
    }
    return keys[column]


RELOAD_PAUSE = 3.0
"""After a background read of the whole list, the next one starts no sooner than this many times as
long as it took (at most MAX_RELOAD_PAUSE_S): at 50,000 issues a read holds the window's worker about
a second, and an import asks for one every second, which held the window up 100-120 ms at a time."""
MAX_RELOAD_PAUSE_S = 5.0


class IssueTableModel(QAbstractTableModel):
    """Rows are IssueSummary records; it reloads itself from the library when told what changed.

    With ``read_in_background``, reloads caused by changes read the summaries off the main thread
    and swap them in when they arrive (one at a time: requests made meanwhile become one more).

    Args:
        load_all: returns every issue summary (Library.list_issues).
        load_one: returns one issue's current summary (Library.get_issue).
        read_in_background: runs a read off the main thread (TaskRunner.read); None reads inline.
        load_page: returns the first N summaries in the list's order, read at once whatever the
            library's size (Library.list_issues with a limit); used by ``reload_first``.

    Signals:
        loaded(): the rows were replaced by a fresh list from the library.
    """

    loaded = Signal()

    def __init__(
        self,
        load_all: Callable[[], Sequence[IssueSummary]],
        load_one: Callable[[str], IssueSummary],
        parent: QObject | None = None,
        *,
        read_in_background: ReadInBackground | None = None,
        load_page: Callable[[int], Sequence[IssueSummary]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._load_all = load_all
        self._load_one = load_one
        self._load_page = load_page
        self._read_in_background = read_in_background
        self._loading = False
        self._load_again = False
        self._read_started = 0.0
        self._next_read_at = 0.0  # time.monotonic() before which no new background read starts
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.timeout.connect(self.reload_later)
        self._sort_spec: tuple[int, Qt.SortOrder] | None = None
        self._rows: list[IssueSummary] = []
        self._row_of: dict[str, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- Qt model API ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(summary, index.column())
        if role == Qt.ItemDataRole.FontRole:
            return None if summary.read else self._bold
        if role == ID_ROLE:
            return summary.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (NUMBER, HIGHLIGHTS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(summary)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return COLUMN_TIPS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python (fast for 100k rows); missing numbers and dates go last either way."""
        if not 0 <= column < len(COLUMNS):
            return
        self._sort_spec = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = [s.id for s in self._rows]
        self._rows = _sorted(self._rows, column, order)
        self._reindex()
        self._move_persistent(old)
        self.layoutChanged.emit()

    # -- our API ---------------------------------------------------------------------------------
    def summary(self, row: int) -> IssueSummary:
        """The record shown in ``row``."""
        return self._rows[row]

    def row_of(self, issue_id: str) -> int | None:
        """The row of an issue, or None when it is not listed."""
        return self._row_of.get(issue_id)

    @property
    def rows(self) -> list[IssueSummary]:
        """Every listed summary, in the order shown (a copy)."""
        return list(self._rows)

    @property
    def loading(self) -> bool:
        """True while a background reload is under way (or waiting its turn, see RELOAD_PAUSE)."""
        return self._loading or self._read_timer.isActive()

    def reload(self) -> None:
        """Read every summary again now, on this thread (newest first, or in the chosen order)."""
        self._set_rows(list(self._load_all()))

    def reload_first(self, count: int) -> None:
        """Show the first ``count`` summaries now and every one when they are read in the background.

        A window over 50,000 issues paints its newest at once instead of after half a second of
        reading and sorting them all. In a chosen order, or without the means, it reads all now.
        """
        if self._load_page is None or self._read_in_background is None or self._sort_spec is not None:
            self.reload()
            return
        self._set_rows(list(self._load_page(count)))
        self.reload_later()

    def reload_later(self) -> None:
        """Read every summary again off the main thread and show them when they arrive."""
        if self._read_in_background is None:
            self.reload()
            return
        if self._loading:
            self._load_again = True
            return
        wait = self._next_read_at - time.monotonic()
        if wait > 0:  # the last read was just now: this one waits its turn (RELOAD_PAUSE)
            if not self._read_timer.isActive():
                self._read_timer.start(max(1, int(wait * 1000)))
            return
        self._loading = True
        self._read_started = time.monotonic()
        load_all = self._load_all
        self._read_in_background(lambda: list(load_all()), self._on_loaded)

    def apply_changes(self, changes: Changes) -> None:
        """Reload what ``changes`` says changed: the whole list (in the background), or just the changed rows."""
        touched = changes.issues | changes.highlights
        if changes.issue_list or len(touched) > _FEW_UPDATES:
            self.reload_later()
            return
        for issue_id in touched:
            self._refresh_row(issue_id)

    def set_local(self, issue_id: str, **fields: Any) -> None:
        """Show a field change at once (e.g. read) before the library's Changes arrive."""
        row = self._row_of.get(issue_id)
        self._load_again = self._load_again or self._loading  # a list read before now is stale
        if row is not None:
            self._rows[row] = replace(self._rows[row], **fields)
            self._emit_row_changed(row)

    def _on_loaded(self, rows: list[IssueSummary] | None, error: BaseException | None) -> None:
        self._loading = False
        took = time.monotonic() - self._read_started
        self._next_read_at = time.monotonic() + min(RELOAD_PAUSE * took, MAX_RELOAD_PAUSE_S)
        if error is None and rows is not None:
            self._set_rows(rows)
        # On error (the library closed under a late read) the rows shown stay as they were.
        if self._load_again:
            self._load_again = False
            self.reload_later()

    def _set_rows(self, rows: list[IssueSummary]) -> None:
        if self._sort_spec is not None:
            rows = _sorted(rows, *self._sort_spec)
        self.beginResetModel()
        self._rows = rows
        self._reindex()
        self.endResetModel()
        self.loaded.emit()

    def _refresh_row(self, issue_id: str) -> None:
        row = self._row_of.get(issue_id)
        self._load_again = self._load_again or self._loading  # a list read before now is stale
        if row is None:
            return
        full = self._load_one(issue_id)
        self._rows[row] = IssueSummary(
            id=full.id, publication=full.publication, title=full.title, number=full.number,
            date=full.date, author=full.author, read=full.read, starred=full.starred,
            highlight_count=full.highlight_count, added=full.added,
        )
        self._emit_row_changed(row)

    def _emit_row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _display(self, summary: IssueSummary, column: int) -> str:
        if column == TITLE:
            return f"★ {summary.title}" if summary.starred else summary.title
        if column == PUBLICATION:
            return summary.publication
        if column == NUMBER:
            return format_number(summary.number)
        if column == DATE:
            return format_date(summary.date)
        return str(summary.highlight_count) if summary.highlight_count else ""

    def _reindex(self) -> None:
        self._row_of = {s.id: row for row, s in enumerate(self._rows)}

    def _move_persistent(self, old_ids: list[str]) -> None:
        old_indexes = self.persistentIndexList()
        new_indexes = [
            self.index(self._row_of[old_ids[i.row()]], i.column()) for i in old_indexes
        ]
        self.changePersistentIndexList(old_indexes, new_indexes)


def _tooltip(summary: IssueSummary) -> str:
    """The whole title (the column elides it) with what the other columns say."""
    details = [summary.publication, format_number(summary.number), format_date(summary.date)]
    if summary.highlight_count:
        details.append(f"{summary.highlight_count} highlight{'s' if summary.highlight_count != 1 else ''}")
    return summary.title + "\n" + " · ".join(d for d in details if d)


def _sorted(rows: list[IssueSummary], column: int, order: Qt.SortOrder) -> list[IssueSummary]:
    """Rows in a column's order; missing numbers and dates go last either way."""
    key = _sort_key(column)
    present = [s for s in rows if key(s) is not None]
    missing = [s for s in rows if key(s) is None]
    present.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
    return present + missing


_NO_FILTER: tuple[object, ...] = ("", False, False, None)
"""(publication, unread only, starred only, shelf key) when everything is shown."""


class IssueFilterProxy(QSortFilterProxyModel):
    """Filters the issue list by publication, unread and starred; sorting is the source model's."""

    def __init__(self, source: IssueTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._publication = ""
        self._unread_only = False
        self._starred_only = False
        self._shelf: tuple[object, Callable[[IssueSummary], bool] | None] = (None, None)
        self._applied: tuple[object, ...] = _NO_FILTER
        self.setSourceModel(source)

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Filter as the checkable UnreadOnly and StarredOnly actions say."""
        actions["UnreadOnly"].toggled.connect(self.set_unread_only)
        actions["StarredOnly"].toggled.connect(self.set_starred_only)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Delegate to the source model: Python's sort beats 100k calls to lessThan."""
        self._source.sort(column, order)

    def index_of(self, issue_id: str) -> QModelIndex:
        """The first column's index of an issue's row (invalid when it is not shown)."""
        row = self._source.row_of(issue_id)
        return self.mapFromSource(self._source.index(row, 0)) if row is not None else QModelIndex()

    def set_publication(self, publication: str) -> None:
        """Show only this publication ("" shows all)."""
        self._publication = publication
        self._refilter()

    def set_unread_only(self, on: bool) -> None:
        """Show only unread issues."""
        self._unread_only = on
        self._refilter()

    def set_starred_only(self, on: bool) -> None:
        """Show only starred issues."""
        self._starred_only = on
        self._refilter()

    def set_shelf(self, key: object, accept: Callable[[IssueSummary], bool] | None) -> None:
        """Show only the issues ``accept`` takes (the library sidebar's entry); None shows all.

        ``key`` names the choice (a new key re-filters; the same key does not): pass a new one when
        what ``accept`` takes changed (a smart list's issues were read again).
        """
        self._shelf = (key, accept)
        self._refilter()

    def _refilter(self) -> None:
        wanted = (self._publication, self._unread_only, self._starred_only, self._shelf[0])
        if wanted == self._applied:
            return  # re-filtering 10,000 rows for nothing shows as a pause (the list refills its choices often)
        self._applied = wanted
        self._filter_in_python(wanted != _NO_FILTER)
        # invalidate() re-maps in one pass; begin/endFilterChange removes rows range by range,
        # which takes seconds when a filter hides most of 100k rows.
        self.invalidate()

    def _filter_in_python(self, on: bool) -> None:
        """Install ``_accepts`` as this proxy's ``filterAcceptsRow`` only while a filter is chosen.

        PySide calls a Python ``filterAcceptsRow`` for every row of every reload (50,000 rows: 54 ms
        of calls that all say yes; Qt's own takes 2 ms). It looks the method up on the instance, so
        the override is set there while filtering and removed after.
        """
        if on:
            self.filterAcceptsRow = self._accepts  # type: ignore[method-assign]
        elif "filterAcceptsRow" in self.__dict__:
            del self.filterAcceptsRow

    def _accepts(self, source_row: int, source_parent: Index) -> bool:
        """Whether the chosen publication, unread, starred and shelf filters keep a row."""
        summary = self._source.summary(source_row)
        if self._publication and summary.publication != self._publication:
            return False
        if self._unread_only and summary.read:
            return False
        accept = self._shelf[1]
        if accept is not None and not accept(summary):
            return False
        return not (self._starred_only and not summary.starred)
