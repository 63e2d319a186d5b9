"""The Links view's table: every cited work, sortable by each column, filtered by site and text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from reader.core.types import LinkedWork

COLUMNS = ("Work", "Site", "Issues", "Publications", "First seen", "Last seen", "Link texts")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
WORK_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


class WorksModel(QAbstractTableModel):
    """The works, one row each; ``SORT_ROLE`` gives numbers as numbers and dates as text ("" last)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._works: list[LinkedWork] = []

    def set_works(self, works: list[LinkedWork]) -> None:
        """Show these works."""
        self.beginResetModel()
        self._works = works
        self.endResetModel()

    def work(self, row: int) -> LinkedWork:
        """The work of a row."""
        return self._works[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._works)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

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
        if role == SORT_ROLE:
            return (work.issues, work.publications)[column - 2] if column in (2, 3) else _cell(work, column).lower()
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{work.title}\n{work.url or work.site}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _cell(work: LinkedWork, column: int) -> str:
    values = (work.title, work.site, str(work.issues), str(work.publications), work.first_seen or "",
              work.last_seen or "", " · ".join(work.anchors))
    return values[column]


class WorksFilter(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE``; keeps the works of one site (and its subdomains) holding every typed word."""

    def __init__(self, source: WorksModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self._site = ""
        self._words: list[str] = []

    def set_site(self, site: str) -> None:
        """Only works on ``site`` or its subdomains ("" for every site)."""
        self._site = site.strip().lower()
        self.invalidate()  # invalidateFilter() is deprecated in PySide6 6.10+

    def set_text(self, text: str) -> None:
        """Only works whose title, site, address or link texts hold every word of ``text``."""
        self._words = text.lower().split()
        self.invalidate()  # invalidateFilter() is deprecated in PySide6 6.10+

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, WorksModel)
        work = model.work(source_row)
        site = work.site.lower()
        if self._site and site != self._site and not site.endswith("." + self._site):
            return False
        if self._words:
            haystack = " ".join((work.title, work.site, work.url, *work.anchors)).lower()
            return all(word in haystack for word in self._words)
        return True
