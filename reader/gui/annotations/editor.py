"""Undoable edits of highlights and notes: each one calls the Library, then publishes what changed."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from reader.core import Library
from reader.core.errors import ReaderError
from reader.core.types import Changes, Highlight
from reader.gui.utils.change_signal import AppState

Step = Callable[[], Changes]
"""A library call that returns what it changed."""


class _LibraryStep(QUndoCommand):
    """One undoable edit: ``forward`` has already run when it is pushed; redo runs it again."""

    def __init__(self, text: str, editor: AnnotationEditor, forward: Step, backward: Step) -> None:
        super().__init__(text)
        self._editor = editor
        self._forward = forward
        self._backward = backward
        self._done_once = True

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False  # QUndoStack.push calls redo; the edit was already made
            return
        self._editor.run_step(self._forward)

    def undo(self) -> None:
        self._editor.run_step(self._backward)


class AnnotationEditor(QObject):
    """Adds, recolours, annotates and deletes highlights and issue notes, with undo and redo.

    Every edit goes to the Library first; only one that succeeded is pushed on ``stack``. Undoing a
    delete restores the same highlight (same id, note and times); undoing a recolour or a note edit
    writes the previous values back.

    Args:
        library: the open Library.
        state: where the resulting Changes are published.

    Signals:
        message(str): an edit could not be made; the reason, for the status bar.
    """

    message = Signal(str)

    def __init__(self, library: Library, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._state = state
        self.stack = QUndoStack(self)

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Run Undo and Redo; they say what they will undo and are enabled with the stack."""
        actions["Undo"].triggered.connect(self.stack.undo)
        actions["Redo"].triggered.connect(self.stack.redo)
        bind_undo_actions(self.stack, actions["Undo"], actions["Redo"])

    def add(self, issue_id: str, start: int, end: int, colour: str, note: str = "") -> Highlight | None:
        """Highlight ``plain_text(issue_id)[start:end]``; None (and a message) when it cannot be."""
        lib = self._library
        try:
            edit = lib.add_highlight(issue_id, start, end, colour, note)
        except ReaderError as exc:
            self.message.emit(f"Could not highlight: {exc}")
            return None
        made = edit.highlight
        self._push(
            "Highlight" if not note else "Highlight with note",
            lambda: lib.restore_highlight(made).changes,
            lambda: lib.delete_highlight(made.id).changes,
            edit.changes,
        )
        return made

    def recolour(self, highlight: Highlight, colour: str) -> Highlight | None:
        """Give a highlight another colour."""
        return self._update(highlight, "Recolour highlight", colour=colour)

    def set_note(self, highlight: Highlight, note: str) -> Highlight | None:
        """Replace a highlight's note ("" removes it)."""
        text = "Delete note" if not note and highlight.note else "Edit note"
        return self._update(highlight, text, note=note)

    def delete(self, highlight: Highlight) -> bool:
        """Delete a highlight (undo puts it back with the same id)."""
        lib = self._library
        try:
            edit = lib.delete_highlight(highlight.id)
        except ReaderError as exc:
            self.message.emit(f"Could not delete the highlight: {exc}")
            return False
        gone = edit.highlight
        self._push(
            "Delete highlight",
            lambda: lib.delete_highlight(gone.id).changes,
            lambda: lib.restore_highlight(gone).changes,
            edit.changes,
        )
        return True

    def set_issue_note(self, issue_id: str, text: str) -> bool:
        """Set the free note of an issue ("" removes it)."""
        lib = self._library
        try:
            before = lib.get_issue(issue_id).note
            changes = lib.set_issue_note(issue_id, text)
        except ReaderError as exc:
            self.message.emit(f"Could not save the issue note: {exc}")
            return False
        self._push(
            "Edit issue note",
            lambda: lib.set_issue_note(issue_id, text),
            lambda: lib.set_issue_note(issue_id, before),
            changes,
        )
        return True

    def run_step(self, step: Step) -> None:
        """Run an undo or redo step and publish what it changed (a failure becomes a message)."""
        try:
            changes = step()
        except ReaderError as exc:
            self.message.emit(f"Could not undo or redo that: {exc}")
            return
        self._state.publish(changes)

    # -- internals -------------------------------------------------------------------------------
    def _update(
        self, highlight: Highlight, text: str, *, colour: str | None = None, note: str | None = None
    ) -> Highlight | None:
        lib = self._library
        try:
            edit = lib.update_highlight(highlight.id, color=colour, note=note)
        except ReaderError as exc:
            self.message.emit(f"Could not change the highlight: {exc}")
            return None
        after, before = edit.highlight, highlight
        self._push(
            text,
            lambda: lib.update_highlight(after.id, color=after.color, note=after.note).changes,
            lambda: lib.update_highlight(before.id, color=before.color, note=before.note).changes,
            edit.changes,
        )
        return after

    def _push(self, text: str, forward: Step, backward: Step, changes: Changes) -> None:
        self.stack.push(_LibraryStep(text, self, forward, backward))
        self._state.publish(changes)


class _UndoActionText(QObject):
    """Keeps an Undo/Redo action's label and enabled state in step with the stack.

    It lives as the action's child, so the connections end when the action is destroyed.
    """

    def __init__(self, action: QAction, label: str) -> None:
        super().__init__(action)
        self._action = action
        self._label = label

    @Slot(str)
    def set_text(self, text: str) -> None:
        self._action.setText(f"{self._label} {text}" if text else self._label)

    @Slot(bool)
    def set_enabled(self, enabled: bool) -> None:
        self._action.setEnabled(enabled)


def bind_undo_actions(stack: QUndoStack, undo: QAction, redo: QAction) -> None:
    """Make ``undo``/``redo`` say what they will undo ("Undo Delete highlight") and enable with the stack."""
    for action, label, can, text in (
        (undo, "&Undo", stack.canUndoChanged, stack.undoTextChanged),
        (redo, "&Redo", stack.canRedoChanged, stack.redoTextChanged),
    ):
        binding = _UndoActionText(action, label)
        action.setEnabled(False)
        can.connect(binding.set_enabled)
        text.connect(binding.set_text)
