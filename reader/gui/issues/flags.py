"""The "m" and "s" commands: mark an issue read or unread, starred or not, without waiting for the disk."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from reader.core import Library
from reader.core.types import Changes, IssueSummary
from reader.gui.background.tasks import TaskRunner
from reader.gui.issues.model import IssueTableModel
from reader.gui.utils.change_signal import AppState


class IssueFlags(QObject):
    """Flips an issue's read or starred flag: shown in the list at once, written on the worker.

    Args:
        library: the open Library (writes the flag).
        runner: the TaskRunner the write goes through (an import may hold the lock).
        state: where the write's Changes are published.
        model: the issue list's model (shows the flag before it is written).
        target_id: the id of the issue the commands act on, or None.
        parent: the owning QObject.

    Signals:
        message(str): a write failed; the list shows the stored flag again.
    """

    message = Signal(str)

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        state: AppState,
        model: IssueTableModel,
        target_id: Callable[[], str | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._library, self._runner, self._state, self._model = library, runner, state, model
        self._target_id = target_id

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Run ToggleRead and ToggleStar."""
        actions["ToggleRead"].triggered.connect(self.toggle_read)
        actions["ToggleStar"].triggered.connect(self.toggle_star)

    def toggle_read(self) -> None:
        """Mark the target issue read or unread."""
        summary = self._target()
        if summary is not None:
            self._apply(lambda: self._library.set_read(summary.id, not summary.read), summary.id, read=not summary.read)

    def toggle_star(self) -> None:
        """Star or unstar the target issue."""
        summary = self._target()
        if summary is not None:
            self._apply(
                lambda: self._library.set_starred(summary.id, not summary.starred), summary.id,
                starred=not summary.starred,
            )

    def _target(self) -> IssueSummary | None:
        issue_id = self._target_id()
        row = self._model.row_of(issue_id) if issue_id else None
        return self._model.summary(row) if row is not None else None

    def _apply(self, operation: Callable[[], Changes], issue_id: str, **shown: bool) -> None:
        self._model.set_local(issue_id, **shown)
        self._runner.run(operation, self._applied)

    def _applied(self, changes: Changes | None, error: BaseException | None) -> None:
        if error is not None or changes is None:
            self.message.emit(str(error))
            self._model.reload_later()  # undo the optimistic display
            return
        self._state.publish(changes)
