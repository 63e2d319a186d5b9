"""Small dialogs: the shortcuts sheet, import failures, and the note editor."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reader.core.types import FileResult
from reader.gui.actions import shortcut_rows


def _table(rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> str:
    head = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table cellspacing='0' cellpadding='5'><tr>{head}</tr>{body}</table>"


class _TextDialog(QDialog):
    """A read-only rich text in a dialog with a Close button."""

    def __init__(self, title: str, intro: str, table_html: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(560, 480)
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setHtml(table_html)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ShortcutsDialog(_TextDialog):
    """Every keyboard shortcut, grouped by menu."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Keyboard Shortcuts", "", _table(list(shortcut_rows()), ("Menu", "Command", "Keys")), parent
        )
        self.setObjectName("shortcutsDialog")


class ImportFailuresDialog(_TextDialog):
    """The files an import could not read, each with the reason."""

    def __init__(self, failed: tuple[FileResult, ...], parent: QWidget | None = None) -> None:
        count = len(failed)
        intro = f"{count} file{'s' if count != 1 else ''} could not be imported:"
        super().__init__(
            "Import problems", intro, _table([(f.path, f.reason) for f in failed], ("File", "Reason")), parent
        )
        self.setObjectName("importFailuresDialog")


class NoteDialog(QDialog):
    """Write or edit a note; ``text()`` holds it after ``exec()`` returns Accepted."""

    def __init__(self, quote: str, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle("Note")
        self.resize(460, 260)
        layout = QVBoxLayout(self)
        shown = quote if len(quote) < 200 else quote[:199] + "…"
        label = QLabel(f"“{shown}”")
        label.setWordWrap(True)
        layout.addWidget(label)
        self.editor = QPlainTextEdit(note)
        self.editor.setPlaceholderText("Your note…")
        layout.addWidget(self.editor)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        """The note as written (surrounding whitespace removed)."""
        return self.editor.toPlainText().strip()
