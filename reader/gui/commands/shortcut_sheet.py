"""The sheet of every keyboard shortcut (``?``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from reader.gui.commands.actions import shortcut_rows
from reader.gui.misc.dialogs import TextDialog, table_html


class ShortcutsDialog(TextDialog):
    """Every keyboard shortcut, grouped by menu."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Keyboard Shortcuts", "", table_html(list(shortcut_rows()), ("Menu", "Command", "Keys")), parent
        )
        self.setObjectName("shortcutsDialog")
