"""Generic dialogs: a read-only text table, import failures, a damaged library, About."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Literal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reader.core import AnnotationImportReport
from reader.core.errors import StorageError
from reader.core.types import FileResult


def table_html(rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> str:
    """Rows as a simple HTML table with a header row, every cell escaped."""
    head = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table cellspacing='0' cellpadding='5'><tr>{head}</tr>{body}</table>"


class TextDialog(QDialog):
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


def show_about(parent: QWidget) -> None:
    """The About box."""
    QMessageBox.about(
        parent, "About Back Issue", "Back Issue: read newsletters offline, highlight, take notes, search."
    )


class ImportFailuresDialog(TextDialog):
    """The files an import (or the feeds a refresh) could not read, each with the reason."""

    def __init__(self, failed: tuple[FileResult, ...], parent: QWidget | None = None, item: str = "file") -> None:
        count = len(failed)
        done = "imported" if item == "file" else "read"
        intro = f"{count} {item}{'s' if count != 1 else ''} could not be {done}:"
        rows: list[tuple[str, ...]] = [(f.path, f.reason) for f in failed]
        title = "Import problems" if item == "file" else "Feed problems"
        super().__init__(title, intro, table_html(rows, (item.capitalize(), "Reason")), parent)
        self.setObjectName("importFailuresDialog")


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
