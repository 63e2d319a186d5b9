"""The table of contents: a list model over an issue's sections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView

from reader.core.types import Section

if TYPE_CHECKING:
    from reader.gui.reading.pane import ReadingPane

Index = QModelIndex | QPersistentModelIndex
ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role giving the section's HTML anchor."""
_INDENT = "    "


class TocModel(QAbstractListModel):
    """One row per section, indented by level; top-level sections in bold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sections: list[Section] = []
        self._top = min((s.level for s in self._sections), default=1)
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._sections)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        section = self._sections[index.row()]
        depth = max(0, section.level - self._top)
        if role == Qt.ItemDataRole.DisplayRole:
            return _INDENT * depth + section.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return section.title
        if role == Qt.ItemDataRole.FontRole and depth == 0:
            return self._bold
        if role == ANCHOR_ROLE:
            return section.anchor
        return None

    def set_sections(self, sections: Sequence[Section]) -> None:
        """Show another issue's sections."""
        self.beginResetModel()
        self._sections = list(sections)
        self._top = min((s.level for s in self._sections), default=1)
        self.endResetModel()

    def row_of_anchor(self, anchor: str) -> int | None:
        """The row of the section with this anchor, or None."""
        for row, section in enumerate(self._sections):
            if section.anchor == anchor:
                return row
        return None


def follow_contents(view: QAbstractItemView, model: TocModel, pane: ReadingPane) -> None:
    """Clicking a section scrolls the pane to it; scrolling the pane marks the section being read."""

    def go_to(index: QModelIndex) -> None:
        anchor = index.data(ANCHOR_ROLE)
        if anchor:
            pane.scroll_to_section(str(anchor))

    def mark(anchor: str) -> None:
        row = model.row_of_anchor(anchor)
        view.setCurrentIndex(model.index(row, 0) if row is not None else QModelIndex())

    view.activated.connect(go_to)
    view.clicked.connect(go_to)
    pane.section_changed.connect(mark)
