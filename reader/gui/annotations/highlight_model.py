"""The open issue's highlights: a list model with a colour swatch, the quote and the note."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from reader.core import note_text
from reader.core.types import Changes, Highlight
from reader.gui.annotations.note_view import note_tooltip

Index = QModelIndex | QPersistentModelIndex
HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role giving the row's Highlight."""
_QUOTE_CHARS = 160
FALLBACK_HEX = "#ffe066"
DETACHED_LABEL = "detached — text changed"
"""How a highlight whose text is no longer in the issue is marked (it is kept, listed last)."""


class HighlightsModel(QAbstractListModel):
    """The highlights of one issue, reloaded when the library says that issue's highlights changed.

    Args:
        load: returns an issue's highlights in reading order (Library.highlights).
        colours: returns the colour key -> hex mapping (from Library.color_labels).
    """

    def __init__(
        self,
        load: Callable[[str], Sequence[Highlight]],
        colours: Callable[[], dict[str, str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._colours = colours
        self._hex: dict[str, str] = {}
        self._issue_id: str | None = None
        self._rows: list[Highlight] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        highlight = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(highlight)
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(self.colour_of(highlight.color))
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole quote and note, the note rendered
            return note_tooltip(highlight.note, highlight.quote) if highlight.note.strip() else highlight.quote
        if role == HIGHLIGHT_ROLE:
            return highlight
        return None

    @property
    def issue_id(self) -> str | None:
        """The issue whose highlights are listed."""
        return self._issue_id

    def colour_of(self, key: str) -> str:
        """The display colour (hex) of a highlight colour key."""
        return self._hex.get(key, FALLBACK_HEX)

    def find(self, highlight_id: str) -> Highlight | None:
        """The listed highlight with this id, if any."""
        return next((h for h in self._rows if h.id == highlight_id), None)

    def highlights(self) -> list[Highlight]:
        """The listed highlights, in reading order."""
        return list(self._rows)

    def show_issue(self, issue_id: str | None) -> None:
        """List another issue's highlights (None empties the list)."""
        self._issue_id = issue_id
        self.reload()

    def reload(self) -> None:
        """Read the current issue's highlights again."""
        self.beginResetModel()
        self._hex = self._colours() if self._issue_id else {}
        self._rows = list(self._load(self._issue_id)) if self._issue_id else []
        self.endResetModel()

    def apply_changes(self, changes: Changes) -> None:
        """Reload when the open issue's highlights changed."""
        if self._issue_id and self._issue_id in changes.highlights:
            self.reload()


def _display(highlight: Highlight) -> str:
    quote = " ".join(highlight.quote.split())
    if len(quote) > _QUOTE_CHARS:
        quote = quote[: _QUOTE_CHARS - 1] + "…"
    lines = [f"“{quote}”"]
    if highlight.note:
        lines.append(f"✎ {note_text(highlight.note)}")
    if highlight.detached:
        lines.append(DETACHED_LABEL)
    return "\n".join(lines)
