"""Issue ▸ Delete… (Delete): deletes the list's selection (one issue or many) after one question naming
what goes with it; one Edit ▸ Undo brings all of it back."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QPushButton, QStatusBar, QWidget

from reader.core import Library
from reader.core.errors import ReaderError
from reader.core.types import Changes, Issue
from reader.gui.reading.issue_view import IssueView
from reader.gui.utils.change_signal import AppState

UNDO_SHOWN_MS = 15000
"""How long the status bar's Undo button stays after a delete."""


def count_words(count: int, noun: str) -> str:
    """"1 note", "2 notes"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def what_goes_with(library: Library, issues: Sequence[Issue]) -> str:
    """"“Title” (Publication) and its 2 highlights and 1 note", "3 issues and their 5 highlights":
    the issues and what is deleted with them."""
    highlights = [h for issue in issues for h in library.highlights(issue.id)]
    notes = sum(1 for h in highlights if h.note.strip()) + sum(1 for issue in issues if issue.note.strip())
    if len(issues) == 1:
        name, their = f"“{issues[0].title}” ({issues[0].publication})", "its"
    else:
        name, their = count_words(len(issues), "issue"), "their"
    if not highlights and not notes:
        return name
    parts = [count_words(len(highlights), "highlight")] if highlights else []
    parts += [count_words(notes, "note")] if notes else []
    return f"{name} and {their} {' and '.join(parts)}"


class _DeleteStep(QUndoCommand):
    """The delete on the undo stack (it has run when pushed): undo restores the issues, redo deletes them again."""

    def __init__(self, removal: IssueRemoval, issue_ids: list[str], title: str) -> None:
        super().__init__(f"Delete issue “{title}”" if len(issue_ids) == 1 else f"Delete {len(issue_ids)} issues")
        self._removal, self._ids, self._first = removal, issue_ids, True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._removal.run_step(lambda: self._removal.library.delete_issues(self._ids), self._ids, deleted=True)

    def undo(self) -> None:
        self._removal.run_step(lambda: self._removal.library.restore_issues(self._ids), self._ids, deleted=False)


class IssueRemoval(QObject):
    """Deletes the issues the commands act on, after asking once; one undo brings them all back.

    Args:
        library: the open Library (``delete_issues`` / ``restore_issues``).
        state: where a delete's Changes are published.
        stack: the window's undo stack (Edit ▸ Undo), shared with highlight edits.
        issue_view: the open issue (its pane says so when it is the one deleted).
        target_ids: the issues the commands act on (the list's selection, else the open issue).
        open_issue: opens an issue (after Undo, when nothing else is open).
        status_bar: shows what was deleted, with an Undo button.
        dialog_parent: the confirmation's parent.

    Signals:
        message(str): a delete or restore could not be done; the reason.
    """

    message = Signal(str)

    def __init__(
        self,
        library: Library,
        state: AppState,
        stack: QUndoStack,
        issue_view: IssueView,
        target_ids: Callable[[], list[str]],
        open_issue: Callable[[str], object],
        status_bar: QStatusBar,
        dialog_parent: QWidget,
    ) -> None:
        super().__init__(dialog_parent)
        self.library, self._state = library, state
        self._view, self._target_ids, self._open = issue_view, target_ids, open_issue
        self._status_bar, self._parent = status_bar, dialog_parent
        self._stack = stack
        self._last: _DeleteStep | None = None
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undoDeleteButton")
        self.undo_button.setAccessibleName("Undo delete")
        self.undo_button.setAccessibleDescription("Brings back what was just deleted, with its highlights and notes")
        self.undo_button.clicked.connect(self._undo_last)
        status_bar.addPermanentWidget(self.undo_button)
        self.undo_button.hide()
        self._hide_later = QTimer(self)
        self._hide_later.setSingleShot(True)
        self._hide_later.timeout.connect(self.undo_button.hide)
        self._stack.indexChanged.connect(self._stack_moved)

    def bind_actions(self, actions: Mapping[str, QAction], where: Sequence[QWidget]) -> None:
        """Run DeleteIssue; its Delete key works where focus is in ``where`` (the list, the pane), so
        it never competes with the highlights panel's own Delete."""
        action = actions["DeleteIssue"]
        action.triggered.connect(self.delete_target)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for widget in where:
            widget.addAction(action)
        parent = action.parent()
        if isinstance(parent, QWidget):
            parent.removeAction(action)  # menus still show it and its key

    def delete_target(self) -> bool:
        """Ask once, then delete the target issues (the selection) together; True when they were deleted."""
        ids = list(dict.fromkeys(self._target_ids()))
        if not ids:
            self.message.emit("Choose an issue in the list to delete it.")
            return False
        try:
            issues = [self.library.get_issue(issue_id) for issue_id in ids]
            what = what_goes_with(self.library, issues)
        except ReaderError as exc:
            self.message.emit(str(exc))
            return False
        if not self._confirmed(what, len(ids)):
            return False
        try:
            changes = self.library.delete_issues(ids)
        except ReaderError as exc:
            self.message.emit(f"Could not delete: {exc}")
            return False
        step = _DeleteStep(self, ids, issues[0].title)
        self._stack.push(step)
        self._last = step
        self._state.publish(changes)
        self._after(ids, deleted=True)
        them = "it" if len(ids) == 1 else "them"
        self._status_bar.showMessage(f"Deleted {what}. Edit ▸ Undo (Ctrl+Z) brings {them} back.", UNDO_SHOWN_MS)
        self.undo_button.show()
        self._hide_later.start(UNDO_SHOWN_MS)
        return True

    def run_step(self, step: Callable[[], Changes], issue_ids: list[str], *, deleted: bool) -> None:
        """Run an undo or redo of a delete, publish its Changes and update the pane."""
        try:
            changes = step()
        except ReaderError as exc:
            self.message.emit(f"Could not undo or redo that: {exc}")
            return
        self._state.publish(changes)
        self._after(issue_ids, deleted=deleted)

    # -- internals -------------------------------------------------------------------------------
    def _confirmed(self, what: str, count: int) -> bool:
        title = "Delete Issue" if count == 1 else "Delete Issues"
        box = QMessageBox(QMessageBox.Icon.Warning, title, f"Delete {what}?", parent=self._parent)
        box.setObjectName("deleteIssueDialog")
        them = "it" if count == 1 else "them"
        box.setInformativeText(f"Edit ▸ Undo (Ctrl+Z) brings {them} back while Back Issue stays open.")
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)  # Enter does not delete by accident
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is delete

    def _after(self, issue_ids: list[str], *, deleted: bool) -> None:
        """The pane follows: a deleted open issue gives way to a note; a restored one opens if none is."""
        shown = self._view.issue
        if deleted and shown is not None and shown.id in issue_ids:
            self._view.show_placeholder("This issue was deleted. Edit ▸ Undo (Ctrl+Z) brings it back.")
        elif not deleted and shown is None:
            self._open(issue_ids[0])

    def _undo_last(self) -> None:
        index = self._stack.index()
        if self._last is not None and index > 0 and self._stack.command(index - 1) is self._last:
            self._stack.undo()
        self.undo_button.hide()

    def _stack_moved(self, index: int) -> None:
        try:
            top = self._stack.command(index - 1) if index > 0 else None
            if top is not self._last:
                self.undo_button.hide()
        except RuntimeError:  # the stack clears itself as the window is destroyed, after the status bar
            return
