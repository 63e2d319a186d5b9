"""The library sidebar: a keyboard-navigable, collapsible tree of shelves with live counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from reader.core.types import LibraryCounts, SmartList

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role giving a row's Entry (None on section headings)."""
COUNT_COLUMN = 1


@dataclass(frozen=True)
class Entry:
    """A place in the sidebar: kind "all", "unread", "starred", "highlights", "archived",
    "publication", "smart" (a smart list) or "tag", with the publication's, list's or tag's name."""

    kind: str
    name: str = ""


SHELVES = (("all", "All Issues"), ("unread", "Unread"), ("starred", "Starred"),
           ("highlights", "Has Highlights"), ("archived", "Archived"))
SECTIONS = ("Library", "Publications", "Smart Lists", "Tags")
_SECTION_KIND = {"Publications": "publication", "Smart Lists": "smart", "Tags": "tag"}


class LibrarySidebar(QTreeWidget):
    """Shelves (All, Unread, Starred, Has highlights, Archived), publications with their unread
    counts, smart lists and tags, each section collapsible. Rows are updated in place when counts
    change, so the current row, the scroll and what is collapsed stay as they were.

    Signals:
        entry_chosen(Entry): the current row changed to an entry (keyboard or mouse).
        menu_requested(QMenu, Entry): an entry's context menu is about to open; fill it.
    """

    entry_chosen = Signal(object)
    menu_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("librarySidebar")
        self.setAccessibleName("Library")
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)  # fast with hundreds of publications
        self.setMinimumWidth(40)  # a narrow window keeps a readable pane; the sidebar gives way first
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self._sections: dict[str, QTreeWidgetItem] = {}
        for title in SECTIONS:
            section = QTreeWidgetItem(self, [title, ""])
            section.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = QFont(self.font())
            font.setBold(True)
            section.setFont(0, font)
            section.setExpanded(True)
            self._sections[title] = section
        for kind, label in SHELVES:
            self._add(self._sections["Library"], Entry(kind), label)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        header.setSectionResizeMode(COUNT_COLUMN, header.ResizeMode.ResizeToContents)
        self.currentItemChanged.connect(self._on_current)
        self.setCurrentItem(_child(self._sections["Library"], 0))

    # -- public ----------------------------------------------------------------------------------
    def current_entry(self) -> Entry | None:
        """The entry of the current row (None on a section heading)."""
        item = self.currentItem()
        value = item.data(0, ENTRY_ROLE) if item is not None else None
        return value if isinstance(value, Entry) else None

    def choose(self, entry: Entry) -> bool:
        """Make ``entry``'s row current (as a click would); False when it is not shown."""
        item = self._find(entry)
        if item is not None:
            self.setCurrentItem(item)
        return item is not None

    def show_counts(self, counts: LibraryCounts, lists: Sequence[SmartList],
                    list_counts: Mapping[str, int] | None = None) -> None:
        """Put the library's counts in the rows, adding and removing publication, list and tag rows."""
        shelf_counts = {"all": counts.all, "unread": counts.unread, "starred": counts.starred,
                        "highlights": counts.highlighted, "archived": counts.archived}
        library = self._sections["Library"]
        for row in range(library.childCount()):
            item = _child(library, row)
            item.setText(COUNT_COLUMN, _count(shelf_counts[item.data(0, ENTRY_ROLE).kind]))
        self._fill("Publications", [(p.name, p.unread, f"{p.issues} issues, {p.unread} unread")
                                    for p in counts.publications])
        known = list_counts or {}
        self._fill("Smart Lists", [(s.name, known.get(s.name), s.query) for s in lists])
        self._fill("Tags", [(t.name, t.issues + t.highlights,
                             f"{t.issues} issues, {t.highlights} highlights") for t in counts.tags])

    def set_list_counts(self, list_counts: Mapping[str, int]) -> None:
        """Put the smart lists' counts (read on a thread) in their rows."""
        section = self._sections["Smart Lists"]
        for row in range(section.childCount()):
            item = _child(section, row)
            value = list_counts.get(item.data(0, ENTRY_ROLE).name)
            item.setText(COUNT_COLUMN, "" if value is None else _count(value, zero="0"))

    def count_text(self, entry: Entry) -> str:
        """The count shown beside an entry ("" when none)."""
        item = self._find(entry)
        return item.text(COUNT_COLUMN) if item is not None else ""

    # -- internals -------------------------------------------------------------------------------
    def _add(self, section: QTreeWidgetItem, entry: Entry, label: str, index: int | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem([label, ""])
        item.setData(0, ENTRY_ROLE, entry)
        item.setTextAlignment(COUNT_COLUMN, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if index is None:
            section.addChild(item)
        else:
            section.insertChild(index, item)
        return item

    def _fill(self, title: str, rows: Sequence[tuple[str, int | None, str]]) -> None:
        """Make the section's rows be ``rows`` (name, count, tooltip), reusing rows that stay."""
        section, kind = self._sections[title], _SECTION_KIND[title]
        names = [name for name, _, _ in rows]
        for row in reversed(range(section.childCount())):
            if _child(section, row).data(0, ENTRY_ROLE).name not in names:
                section.takeChild(row)
        have = {_child(section, row).data(0, ENTRY_ROLE).name: _child(section, row)
                for row in range(section.childCount())}  # one pass: 200 publications cost 60k lookups else
        for index, (name, count, tip) in enumerate(rows):
            item = have.get(name)
            if item is None:
                item = self._add(section, Entry(kind, name), name, index)
            elif section.child(index) is not item:
                section.takeChild(section.indexOfChild(item))
                section.insertChild(index, item)
            if count is not None:
                item.setText(COUNT_COLUMN, _count(count))
            item.setToolTip(0, tip)
        section.setHidden(title != "Smart Lists" and not rows)

    def _find(self, entry: Entry) -> QTreeWidgetItem | None:
        for section in self._sections.values():
            for row in range(section.childCount()):
                if _child(section, row).data(0, ENTRY_ROLE) == entry:
                    return section.child(row)
        return None

    def _on_current(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        entry = current.data(0, ENTRY_ROLE) if current is not None else None
        if isinstance(entry, Entry):
            self.entry_chosen.emit(entry)

    def _context_menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        entry = item.data(0, ENTRY_ROLE) if item is not None else None
        if item is not None and item.parent() is None and item.text(0) == "Smart Lists":
            entry = Entry("smart")  # the heading: "New Smart List…"
        if not isinstance(entry, Entry):
            return
        menu = QMenu(self)
        self.menu_requested.emit(menu, entry)
        if not menu.isEmpty():
            menu.exec(self.viewport().mapToGlobal(pos))
        menu.deleteLater()


def _child(section: QTreeWidgetItem, row: int) -> QTreeWidgetItem:
    item = section.child(row)
    assert item is not None  # row < childCount()
    return item


def _count(value: int, zero: str = "") -> str:
    return f"{value:,}" if value else zero
