"""The Links view: every work the library cites (sortable, filtered by site and text); choosing one
lists the issues citing it, each with the sentence around the citation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
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
from reader.gui.links.works_model import WORK_ROLE, WorksModel
from reader.gui.utils.lazy_panel import LazyPanel

CITATION_ROLE = Qt.ItemDataRole.UserRole + 3
ALL_SITES = "All sites"
CITED_SHOWN = 200
"""The newest citations of the chosen work listed (a paper cited by every issue has 10,000s)."""
TYPING_MS = 200
"""The filter waits this long after the last key before the works are read again."""


class LinksPanel(LazyPanel):
    """The Links view (objectName ``linksPanel``); it loads when first shown and after changes.

    The works are read a page at a time, sorted and filtered by the library (``WorksModel``), so
    opening and sorting cost one page whatever the library's size.

    Signals:
        citation_chosen(Citation): open the citing issue and scroll to the link.
    """

    citation_chosen = Signal(object)

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linksPanel")
        self.setAccessibleName("Links")
        self._library, self._runner = library, runner
        self._model = WorksModel(library, runner.read, self)
        self._model.loaded.connect(self._on_loaded)
        self._model.failed.connect(self._on_failed)
        self._wanted: str | None = None
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_MS)
        self._typing.timeout.connect(self._apply_filter)
        self._filter = _named(QLineEdit(), "linksFilter", "Filter links")
        self._filter.setPlaceholderText("Filter by title, address or link text")
        self._filter.setClearButtonEnabled(True)
        self._filter.textChanged.connect(lambda _text: self._typing.start())
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
        self._model.reload()
        self._runner.read(self._library.link_sites, self._fill_sites)

    def apply_changes(self, changes: Changes) -> None:
        """Issues came or went: reload now if shown, else when next shown."""
        if changes.issue_list or changes.issues or changes.index:
            self.mark_stale()

    def _apply_filter(self) -> None:
        self._model.set_query(text=self._filter.text().strip())

    def _on_failed(self, reason: str) -> None:
        self._count.setText(f"The links could not be read: {reason}")

    def _on_loaded(self) -> None:
        self._show_count()
        if self._wanted is not None:
            key, self._wanted = self._wanted, None
            self.choose(key)

    # -- choosing ----------------------------------------------------------------------------------
    def choose(self, key: str) -> bool:
        """Select the work with this key (its citations are listed). True when it was shown; else the
        filter is set to the key and the work is selected once the library has answered."""
        row = self._model.row_of(key)
        if row is None:
            self._wanted = key
            self._site.setCurrentText(ALL_SITES)
            self._filter.setText(key)
            self._typing.stop()
            self._model.set_query(site="", text=key)
            return False
        self._table.selectRow(row)
        self._table.scrollTo(self._model.index(row, 0))
        return True

    def show_citations(self, work: LinkedWork, citations: list[Citation]) -> None:
        """List the issues citing ``work``, with the sentence around each citation."""
        self._heading.setText(f"<b>{_html(work.title)}</b><br>{_html(work.url or work.site)} — cited by "
                              f"{_plural(work.issues, 'issue')} in {_plural(work.publications, 'publication')}"
                              + (f" (the newest {len(citations)} of {work.citations} citations)"
                                 if len(citations) < work.citations else ""))
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
        self._runner.read(lambda: self._library.cited_by(work.key, CITED_SHOWN),
                          lambda citations, error: None if error else self.show_citations(work, citations))

    def _on_citation(self, item: QListWidgetItem) -> None:
        self.citation_chosen.emit(item.data(CITATION_ROLE))

    def _on_site(self, text: str) -> None:
        self._model.set_query(site="" if text == ALL_SITES else text.split(" (")[0].strip())

    # -- building ----------------------------------------------------------------------------------
    def _fill_sites(self, sites: list[tuple[str, int]] | None, error: BaseException | None) -> None:
        if error is not None or sites is None:
            return
        current = self._site.currentText()
        self._site.blockSignals(True)
        self._site.clear()
        self._site.addItem(ALL_SITES)
        for site, count in sites:
            self._site.addItem(f"{site} ({count})")
        self._site.setCurrentText(current or ALL_SITES)
        self._site.blockSignals(False)

    def _show_count(self) -> None:
        shown, total = self._model.matching, self._model.total
        self._count.setText(_plural(total, "work") if shown == total else f"{shown} of {_plural(total, 'work')}")

    def _make_table(self) -> QTableView:
        table: QTableView = _named(QTableView(), "linksTable", "Linked works")
        table.setModel(self._model)
        table.setSortingEnabled(True)  # the model sorts in SQL (sort() sets its order)
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
