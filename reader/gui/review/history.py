"""File menu: bring your history from another reader (Omnivore, Readwise, Substack, OPML) and
export the subscriptions as OPML. Each import runs in the background and ends with its report."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from reader.core import HistoryReport, Library
from reader.core.types import HistoryKind, HistoryOutcome
from reader.gui.background.tasks import TaskRunner

_KINDS: tuple[HistoryKind, ...] = ("issue", "feed", "highlight")
_PLACED: tuple[HistoryOutcome, ...] = ("added", "attached", "detached")


class HistoryImports(QObject):
    """Runs ImportOmnivore, ImportReadwise, ImportSubstack, ImportOpml and ExportOpml.

    Signals:
        changed(Changes): what an import added (the window publishes it).
        message(str): a line for the status bar.
        finished(HistoryReport): an import ended (its report is shown too).
    """

    changed = Signal(object)
    message = Signal(str)
    finished = Signal(object)

    def __init__(self, library: Library, runner: TaskRunner, window: QWidget) -> None:
        super().__init__(window)
        self._library, self._runner, self._window = library, runner, window

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Connect the File menu's import-from-another-reader actions and ExportOpml."""
        lib = self._library
        choices: dict[str, tuple[str, str, Callable[[str], HistoryReport]]] = {
            "ImportOmnivore": ("Omnivore export (zip)", "Zip files (*.zip);;All files (*)", lib.import_omnivore),
            "ImportReadwise": ("Readwise CSV export", "CSV files (*.csv);;All files (*)", lib.import_readwise),
            "ImportSubstack": ("Substack export (zip)", "Zip files (*.zip);;All files (*)", lib.import_substack),
            "ImportOpml": ("Subscriptions (OPML)", "OPML files (*.opml *.xml);;All files (*)", lib.import_opml),
        }
        for key, (title, filters, run) in choices.items():
            actions[key].triggered.connect(lambda _c=False, t=title, f=filters, r=run: self._ask_and_run(t, f, r))
        actions["ExportOpml"].triggered.connect(self.ask_and_export_opml)

    def run(self, source: Callable[[str], HistoryReport], path: str) -> None:
        """Import ``path`` with ``source`` in the background, then show the report."""
        self.message.emit(f"Importing {Path(path).name}…")
        self._runner.run(lambda: source(path), self._done)

    def export_opml(self, path: str) -> None:
        """Write the subscriptions to ``path`` as OPML."""
        Path(path).write_text(self._library.export_opml(), encoding="utf-8")
        count = len(self._library.subscriptions())
        self.message.emit(f"Exported {count} subscription{'s' if count != 1 else ''} to {path}")

    def ask_and_export_opml(self) -> None:
        """Ask where to save the OPML file, then write it."""
        path, _ = QFileDialog.getSaveFileName(self._window, "Export Subscriptions", "subscriptions.opml",
                                              "OPML files (*.opml)")  # fmt: skip
        if path:
            self.export_opml(path)

    def _ask_and_run(self, title: str, filters: str, source: Callable[[str], HistoryReport]) -> None:
        path, _ = QFileDialog.getOpenFileName(self._window, f"Import {title}", "", filters)
        if path:
            self.run(source, path)

    def _done(self, report: HistoryReport | None, error: BaseException | None) -> None:
        if error is not None or report is None:
            self.message.emit(f"Import failed: {error}")
            box = QMessageBox(QMessageBox.Icon.Warning, "Import", "The import did not run.",
                              QMessageBox.StandardButton.Ok, self._window)  # fmt: skip
            box.setObjectName("historyErrorBox")
            box.setInformativeText(str(error))
            box.open()
            return
        self.changed.emit(report.changes)
        self.message.emit(summary_text(report))
        box = QMessageBox(QMessageBox.Icon.Information, "Import", summary_text(report),
                          QMessageBox.StandardButton.Ok, self._window)  # fmt: skip
        box.setObjectName("historyReportBox")
        box.setDetailedText(details_text(report))
        box.open()
        self.finished.emit(report)


def summary_text(report: HistoryReport) -> str:
    """"Omnivore export: 2 issues added, 3 highlights attached, 1 skipped"."""
    parts = [
        f"{count} {kind if count == 1 else kind + 's'} {outcome}"
        for kind in _KINDS
        for outcome in _PLACED
        if (count := report.count(outcome, kind))
    ]
    skipped = report.count("skipped")
    if skipped:
        parts.append(f"{skipped} skipped")
    return f"{report.source}: " + (", ".join(parts) or "nothing found")


def details_text(report: HistoryReport) -> str:
    """One line per item: what happened to it, and why when it was skipped or detached."""
    return "\n".join(
        f"{i.outcome}: {i.kind} \u201c{i.name}\u201d" + (f" ({i.reason})" if i.reason else "") for i in report.items
    )
