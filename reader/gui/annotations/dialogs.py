"""The note editor and the colour-label dialog."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from reader.core.types import ColorLabel
from reader.gui.annotations.colours import SWATCH_SIZE, swatch_icon


class NoteDialog(QDialog):
    """Write or edit a note (Markdown allowed); Ctrl+Enter saves, Esc cancels.

    ``text()`` holds the note after ``exec()`` returns Accepted.

    Args:
        quote: what the note is about (a highlight's quote, or an issue's title), shown above.
        note: the note so far.
        title: the window title ("Note", "Issue note").
    """

    def __init__(self, quote: str, note: str = "", parent: QWidget | None = None, title: str = "Note") -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(title)
        self.resize(480, 280)
        layout = QVBoxLayout(self)
        shown = quote if len(quote) < 200 else quote[:199] + "…"
        label = QLabel(f"“{shown}”")
        label.setObjectName("noteQuote")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(label)
        self.editor = QPlainTextEdit(note)
        self.editor.setObjectName("noteEditor")
        self.editor.setPlaceholderText("Your note… (Markdown allowed)")
        self.editor.setTabChangesFocus(True)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
        layout.addWidget(self.editor)
        hint = QLabel("Markdown allowed · Ctrl+Enter to save · Esc to cancel")
        hint.setEnabled(False)  # muted
        layout.addWidget(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)

    def text(self) -> str:
        """The note as written (surrounding whitespace removed)."""
        return self.editor.toPlainText().strip()


def ask_note(parent: QWidget, quote: str, note: str = "", title: str = "Note") -> str | None:
    """Ask for a note in a modal NoteDialog; the text, or None when cancelled."""
    dialog = NoteDialog(quote, note, parent, title)
    try:
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class RenameColoursDialog(QDialog):
    """Rename the five highlight colours' labels ("Key idea", "Question"...).

    ``labels()`` holds colour key -> new label after ``exec()`` returns Accepted.
    """

    def __init__(self, colours: Sequence[ColorLabel], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("renameColoursDialog")
        self.setWindowTitle("Rename Colour Labels")
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for colour in colours:
            edit = QLineEdit(colour.label)
            edit.setObjectName(f"colourLabel_{colour.key}")
            edit.setMaxLength(40)
            swatch = QLabel()
            swatch.setPixmap(swatch_icon(colour.hex).pixmap(SWATCH_SIZE, SWATCH_SIZE))
            form.addRow(swatch, edit)
            self.edits[colour.key] = edit
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def labels(self) -> dict[str, str]:
        """Colour key -> label as typed (blank ones left out: a label cannot be empty)."""
        return {key: edit.text().strip() for key, edit in self.edits.items() if edit.text().strip()}
