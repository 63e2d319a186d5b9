"""The sidebar's dialogs: a smart list (name, search, order) and tags with completion."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from reader.core.types import SmartList

SORT_LABELS = (("date", "Newest first"), ("score", "Best match first"), ("number", "By issue number"))


class SmartListDialog(QDialog):
    """Name a smart list, and edit its search and order (objectName ``smartListDialog``)."""

    def __init__(self, smart: SmartList, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("smartListDialog")
        self.setWindowTitle(title)
        self.name_edit = QLineEdit(smart.name)
        self.name_edit.setObjectName("smartListName")
        self.query_edit = QLineEdit(smart.query)
        self.query_edit.setObjectName("smartListQuery")
        self.query_edit.setPlaceholderText("anything the search box accepts: tag:ai is:unread")
        self.sort_combo = QComboBox()
        self.sort_combo.setObjectName("smartListSort")
        for key, label in SORT_LABELS:
            self.sort_combo.addItem(label, key)
        self.sort_combo.setCurrentIndex(max(0, self.sort_combo.findData(smart.sort)))
        form = QFormLayout(self)
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Search:", self.query_edit)
        form.addRow("&Order:", self.sort_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def smart_list(self) -> SmartList:
        """What the dialog holds now."""
        return SmartList(self.name_edit.text().strip(), self.query_edit.text().strip(), self.sort_combo.currentData())


class TagsDialog(QDialog):
    """Add or remove tags, with completion of the tags already in the library (``tagsDialog``).

    Tags are typed separated by commas or spaces; the current ones are shown above.
    """

    def __init__(self, what: str, current: Sequence[str], known: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagsDialog")
        self.setWindowTitle(f"Tags of {what}")
        shown = ", ".join(current) if current else "none yet"
        self.current = QLabel(f"Tags now: {shown}")
        self.current.setObjectName("tagsNow")
        self.current.setTextFormat(Qt.TextFormat.PlainText)
        self.add_edit = QLineEdit()
        self.add_edit.setObjectName("tagsAdd")
        self.add_edit.setPlaceholderText("robots, to-read")
        self.remove_edit = QLineEdit()
        self.remove_edit.setObjectName("tagsRemove")
        for edit in (self.add_edit, self.remove_edit):
            completer = QCompleter(list(known), edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            edit.setCompleter(completer)
        form = QFormLayout(self)
        form.addRow(self.current)
        form.addRow("&Add:", self.add_edit)
        form.addRow("&Remove:", self.remove_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def to_add(self) -> list[str]:
        """The tags typed to add."""
        return _split(self.add_edit.text())

    def to_remove(self) -> list[str]:
        """The tags typed to remove."""
        return _split(self.remove_edit.text())


def _split(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]
