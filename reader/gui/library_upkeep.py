"""Upkeep the window starts on the worker: rebuilding a missing or damaged search index, the daily backup."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QStatusBar

from reader.core.library import Library
from reader.gui.tasks import TaskRunner


class LibraryUpkeep(QObject):
    """Runs the library's upkeep through the TaskRunner and says how it went in the status bar.

    Args:
        library: the open Library.
        runner: the one TaskRunner (tasks run in order, after whatever the start queued).
        status_bar: where progress and outcomes are shown.
        parent: the owning QObject.

    Attributes:
        index_status: the status-bar label shown while the index is rebuilt (objectName ``indexStatus``).
    """

    def __init__(
        self, library: Library, runner: TaskRunner, status_bar: QStatusBar, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._library, self._runner, self._status_bar = library, runner, status_bar
        self.index_status = QLabel()
        self.index_status.setObjectName("indexStatus")
        status_bar.addPermanentWidget(self.index_status)
        self.index_status.hide()

    def rebuild_index_if_needed(self) -> None:
        """The index was missing or damaged: rebuild it on the worker while the list is usable."""
        message = self._library.index_message
        if not message:
            return
        self.index_status.setText(f"Rebuilding the search index ({message.rstrip('.')})… search waits for it.")
        self.index_status.show()
        self._runner.run(self._library.catch_up_index, self._index_rebuilt)

    def back_up_if_due(self) -> None:
        """Back the library up, once a day."""
        self._runner.run(lambda: self._library.backup(if_due=True), self._backed_up)

    def _index_rebuilt(self, count: int | None, error: BaseException | None) -> None:
        self.index_status.hide()
        if error is not None:
            self._status_bar.showMessage(f"The search index could not be rebuilt: {error}", 15000)
        else:
            self._status_bar.showMessage(f"Search index rebuilt ({count} issues).", 8000)

    def _backed_up(self, _path: object, error: BaseException | None) -> None:
        if error is not None:
            self._status_bar.showMessage(f"Today's backup of the library failed: {error}", 15000)
