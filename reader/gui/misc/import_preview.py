"""The dry run before a large import: what each file would do, with totals, and Import or Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from reader.core.types import FileResult, ImportReport
from reader.gui.misc.dialogs import table_html


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def preview_totals(report: ImportReport) -> str:
    """"12 new (1 kept apart), 3 updated, 40 unchanged, 1 file failed, 2 skipped"."""
    new = f"{report.imported} new" + (f" ({report.kept_apart} kept apart)" if report.kept_apart else "")
    parts = [new, f"{report.updated} updated", f"{report.unchanged} unchanged"]
    if report.failed:
        parts.append(f"{_count(len(report.failed), 'file')} failed")
    skipped = sum(f.status == "skipped" for f in report.files)
    if skipped:
        parts.append(f"{skipped} skipped")
    return ", ".join(parts)


def _row(result: FileResult) -> tuple[str, ...]:
    return (
        Path(result.path).name or result.path, result.status, str(result.imported), str(result.updated),
        str(result.unchanged), str(result.kept_apart), result.reason,
    )  # fmt: skip


class ImportPreviewDialog(QDialog):
    """Shows ``Library.preview_import``'s report file by file; Import accepts, Cancel rejects.

    Attributes:
        totals: the label with the totals ("12 new, 3 updated, …").
        table: the per-file table (file, outcome, new, updated, unchanged, kept apart, reason).
    """

    def __init__(self, report: ImportReport, parent: QWidget | None = None, *, filtered: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("importPreviewDialog")
        self.setWindowTitle("Import Preview")
        self.setAccessibleName("Import preview")
        self.resize(720, 480)
        layout = QVBoxLayout(self)
        files = _count(len(report.files), "file")
        totals = preview_totals(report)
        these = "this file" if len(report.files) == 1 else f"these {files}"
        self.totals = QLabel(f"Importing {these} would give {totals}. Nothing is stored until Import.")
        self.totals.setObjectName("importPreviewTotals")
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        if filtered:
            note = QLabel("The counts include every message; “Newsletters only” leaves personal mail out.")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.table = QTextBrowser()
        self.table.setObjectName("importPreviewTable")
        self.table.setAccessibleName("What each file would do")
        self.table.setOpenLinks(False)
        headers = ("File", "Outcome", "New", "Updated", "Unchanged", "Kept apart", "Reason")
        self.table.setHtml(table_html([_row(f) for f in report.files], headers))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importPreviewImport")
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
