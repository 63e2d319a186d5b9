"""The Links view: every work the library cites (sortable, filtered by site and text); choosing one
lists the issues citing it, each with the sentence around the citation."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.core import Library
from reader.core.types import Changes, Citation, LinkedWork
from reader.gui.background.tasks import TaskRunner
from reader.gui.links.works_model import WORK_ROLE, WorksFilter, WorksModel
from reader.gui.utils.lazy_panel import LazyPanel

CITATION_ROLE = Qt.ItemDataRole.UserRole + 3
ALL_SITES = "All sites"


class LinksPanel(LazyPanel):
    """The Links view (objectName ``linksPanel``); it loads when first shown and after changes.

    Signals:
        citation_chosen(Citation): open the citing issue and scroll to the link.
    """

    citation_chosen = Signal(object)

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linksPanel")
        self.setAccessibleName("Links")
        self._library, self._runner = library, runner
        self._model = WorksModel(self)
        self._proxy = WorksFilter(self._model, self)
        self._filter = _named(QLineEdit(), "linksFilter", "Filter links")
        self._filter.setPlaceholderText("Filter by title, address or link text")
        self._filter.setClearButtonEnabled(True)
        self._filter.textChanged.connect(self._proxy.set_text)
        self._filter.textChanged.connect(lambda _text: self._show_count())
        self._site = _named(QComboBox(), "linksSite", "Site")
        self._site.setEditable(True)
        self._site.setMinimumContentsLength(14)
        self._site.currentTextChanged.connect(self._on_site)
        self._table = self._make_table()
        self._citations = _named(QListWidget(), "linksCitations", "Issues citing the chosen work")
        self._citations.setWordWrap(True)
        self._citations.setAlternatingRowColors(True)
        self._citations.itemActivated.connect(self._on_citation)
        self._citations.itemClicked.connect(self._on_citation)
        self._count = _named(QLabel(), "linksCount", "Count")
        self._heading = _named(QLabel("Choose a work to see the issues citing it."), "linksCitedHeading", "Cited by")
        self._heading.setWordWrap(True)
        self._layout()

    # -- loading -----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the works again (in the background; the view keeps its sort, filter and site)."""
        self.stale = False
        self._runner.read(self._library.links, self._loaded)

    def apply_changes(self, changes: Changes) -> None:
        """Issues came or went: reload now if shown, else when next shown."""
        if changes.issue_list or changes.issues or changes.index:
            self.mark_stale()

    def set_works(self, works: list[LinkedWork]) -> None:
        """Show these works (what ``reload`` does when the library answers)."""
        self._model.set_works(works)
        self._fill_sites(works)
        self._show_count()

    def _loaded(self, works: list[LinkedWork] | None, error: BaseException | None) -> None:
        if error is not None or works is None:
            self._count.setText(f"The links could not be read: {error}")
            return
        self.set_works(works)

    # -- choosing ----------------------------------------------------------------------------------
    def choose(self, key: str) -> bool:
        """Select the work with this key (its citations are listed); False when it is not shown."""
        for row in range(self._proxy.rowCount()):
            work = self._proxy.index(row, 0).data(WORK_ROLE)
            if work.key == key:
                self._table.selectRow(row)
                self._table.scrollTo(self._proxy.index(row, 0))
                return True
        return False

    def show_citations(self, work: LinkedWork, citations: list[Citation]) -> None:
        """List the issues citing ``work``, with the sentence around each citation."""
        self._heading.setText(f"<b>{_html(work.title)}</b><br>{_html(work.url or work.site)} — cited by "
                              f"{_plural(work.issues, 'issue')} in {_plural(work.publications, 'publication')}")
        self._citations.clear()
        for citation in citations:
            where = " · ".join(x for x in (citation.date or "undated", citation.publication) if x)
            item = QListWidgetItem(f"{citation.issue_title}\n{where}\n“{citation.context or citation.anchor}”")
            item.setData(CITATION_ROLE, citation)
            item.setToolTip("Open the issue at this link")
            self._citations.addItem(item)

    def _on_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        work: LinkedWork = indexes[0].data(WORK_ROLE)
        self._runner.read(lambda: self._library.cited_by(work.key),
                          lambda citations, error: None if error else self.show_citations(work, citations))

    def _on_citation(self, item: QListWidgetItem) -> None:
        self.citation_chosen.emit(item.data(CITATION_ROLE))

    def _on_site(self, text: str) -> None:
        self._proxy.set_site("" if text == ALL_SITES else text.split(" (")[0])
        self._show_count()

    # -- building ----------------------------------------------------------------------------------
    def _fill_sites(self, works: list[LinkedWork]) -> None:
        current = self._site.currentText()
        counts = Counter(w.site for w in works if w.site)
        self._site.blockSignals(True)
        self._site.clear()
        self._site.addItem(ALL_SITES)
        for site, count in counts.most_common(40):
            self._site.addItem(f"{site} ({count})")
        self._site.setCurrentText(current or ALL_SITES)
        self._site.blockSignals(False)

    def _show_count(self) -> None:
        shown, total = self._proxy.rowCount(), self._model.rowCount()
        self._count.setText(_plural(total, "work") if shown == total else f"{shown} of {_plural(total, 'work')}")

    def _make_table(self) -> QTableView:
        table: QTableView = _named(QTableView(), "linksTable", "Linked works")
        table.setModel(self._proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # most cited first
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 130), (2, 60), (3, 95), (4, 90), (5, 90), (6, 220)):
            header.resizeSection(column, width)
        table.selectionModel().selectionChanged.connect(self._on_selected)
        return table

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self._filter, 1)
        top.addWidget(self._site)
        top.addWidget(self._count)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self._heading)
        lower_layout.addWidget(self._citations, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("linksSplitter")
        split.addWidget(self._table)
        split.addWidget(lower)
        split.setSizes([320, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(split, 1)


def _named(widget: Any, name: str, accessible: str) -> Any:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
