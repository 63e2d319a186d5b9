"""Small dialogs: the shortcuts sheet, import failures, the note editor, colour labels, About."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reader.core import AnnotationImportReport
from reader.core.errors import StorageError
from reader.core.types import ColorLabel, FileResult
from reader.gui.actions import shortcut_rows
from reader.gui.colours import SWATCH_SIZE, swatch_icon


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


def show_about(parent: QWidget) -> None:
    """The About box."""
    QMessageBox.about(
        parent, "About Back Issue", "Back Issue: read newsletters offline, highlight, take notes, search."
    )


class ImportFailuresDialog(_TextDialog):
    """The files an import (or the feeds a refresh) could not read, each with the reason."""

    def __init__(self, failed: tuple[FileResult, ...], parent: QWidget | None = None, item: str = "file") -> None:
        count = len(failed)
        done = "imported" if item == "file" else "read"
        intro = f"{count} {item}{'s' if count != 1 else ''} could not be {done}:"
        rows: list[tuple[str, ...]] = [(f.path, f.reason) for f in failed]
        title = "Import problems" if item == "file" else "Feed problems"
        super().__init__(title, intro, _table(rows, (item.capitalize(), "Reason")), parent)
        self.setObjectName("importFailuresDialog")


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


def ask_about_damaged_library(error: StorageError, path: Path) -> Literal["new", "quit"]:
    """Say why the library cannot be opened and ask: start a new one (the old file kept) or quit."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Back Issue", "The library cannot be opened.")
    box.setObjectName("damagedLibraryDialog")
    box.setInformativeText(
        f"{error}\n\nFile: {path}\n\n"
        f"“Start a new library” renames this file to {path.name}.damaged-<date> (nothing is deleted; "
        "a backup or the renamed file can be restored later) and opens an empty library."
    )
    new = box.addButton("Start a new library", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return "new" if box.clickedButton() is new else "quit"


def annotation_report_text(report: AnnotationImportReport) -> str:
    """An annotation import's outcome in words, for a message box."""
    lines = [
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged.",
    ]
    if report.notes:
        lines.append(f"{report.notes} issue note{'s' if report.notes != 1 else ''} set.")
    if report.detached:
        lines.append(f"{report.detached} could not be placed in the current text and are kept as detached.")
    if report.unmatched:
        names = ", ".join(report.unmatched[:10]) + (" …" if len(report.unmatched) > 10 else "")
        lines.append(f"{len(report.unmatched)} belong to issues not in this library: {names}")
    return "\n".join(lines)
