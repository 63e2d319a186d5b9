"""Upkeep the window starts in the background: rebuilding a missing or damaged search index, the daily backup."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from reader.core import Job, Library
from reader.gui.background.job_runner import JobRunner
from reader.gui.background.tasks import TaskRunner

SMALL_BACKLOG = 50
"""Fewer issues waiting for the index than this are left to the next search, which indexes them first."""
BACKUP_DELAY_MS = 60_000
"""The daily backup starts this long after the window, and not while a job (an import) runs: copying
a 50,000-issue library (1.1 GB) beside an import held the window up 114 ms and slowed the import."""
BACKUP_RETRY_MS = 30_000
"""While a job runs, the due backup is tried again this much later."""


class LibraryUpkeep(QObject):
    """Runs the library's upkeep in the background and says how it went in the status bar.

    Args:
        library: the open Library.
        runner: the one TaskRunner (tasks run in order, after whatever the start queued).
        jobs: runs the index rebuild in a child process.
        status_bar: where progress and outcomes are shown.
        parent: the owning QObject.

    Attributes:
        index_status: the status-bar label shown while the index is rebuilt (objectName ``indexStatus``).
        warning: the status-bar label that stays while the library needs attention (``Library.health()``,
            e.g. a backup that failed verification); objectName ``libraryWarning``.
    """

    def __init__(
        self, library: Library, runner: TaskRunner, jobs: JobRunner, status_bar: QStatusBar,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._library, self._runner, self._jobs, self._status_bar = library, runner, jobs, status_bar
        self.index_status = QLabel()
        self.index_status.setObjectName("indexStatus")
        status_bar.addPermanentWidget(self.index_status)
        self.index_status.hide()
        self.warning = QLabel()
        self.warning.setObjectName("libraryWarning")
        self.warning.setAccessibleName("Library needs attention")
        self.warning.setWordWrap(False)
        self.warning.setStyleSheet("QLabel { color: #b00020; font-weight: bold; }")
        status_bar.addWidget(self.warning, 1)
        self.warning.hide()

    def show_health(self) -> None:
        """Show what needs the person's attention (a failed backup…) until it is resolved."""
        problems = self._library.health()
        text = " ".join(f"⚠ {p[0].upper()}{p[1:]}" for p in problems)
        self.warning.setText(text)
        self.warning.setToolTip("\n".join(problems))
        self.warning.setAccessibleDescription(text)
        self.warning.setVisible(bool(problems))

    def rebuild_index_if_needed(self) -> None:
        """Index in a child process while the list is usable: a missing or damaged index, or a backlog.

        A backlog is left when the app was stopped while it indexed an import.
        """
        message = self._library.index_message
        backlog = self._library.index_backlog()
        if not message and backlog < SMALL_BACKLOG:
            return
        reason = message.rstrip(".") if message else f"{backlog} issues are not indexed yet"
        self.index_status.setText(f"Rebuilding the search index ({reason})… search finds what is indexed so far.")
        self.index_status.show()
        self._jobs.start(Job.catch_up_index(), self._index_rebuilt)

    def scan_links_if_needed(self) -> None:
        """Fill in the link index of issues stored before it existed (or while it was behind) in a
        child process: the first Links view or cited-by would otherwise scan them all at once.

        The backlog is counted on the reader thread (it reads every issue's row: 90 ms at 50,000).
        """
        self._runner.read(self._library.link_backlog, self._on_link_backlog)

    def _on_link_backlog(self, backlog: int | None, error: BaseException | None) -> None:
        if error is None and backlog is not None and backlog >= SMALL_BACKLOG:
            self._jobs.start(Job.catch_up_links(), self._links_scanned)

    def _links_scanned(self, count: int | None, error: BaseException | None) -> None:
        if error is not None:
            self._status_bar.showMessage(f"The links of some issues could not be read: {error}", 15000)

    def back_up_if_due(self) -> None:
        """Back the library up, once a day: BACKUP_DELAY_MS from now, once no job is running."""
        QTimer.singleShot(BACKUP_DELAY_MS, self, self._back_up_when_quiet)

    def _back_up_when_quiet(self) -> None:
        if self._jobs.busy:
            QTimer.singleShot(BACKUP_RETRY_MS, self, self._back_up_when_quiet)
            return
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
        self.show_health()
