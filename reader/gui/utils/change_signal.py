"""The one change signal every view listens to (the core returns Changes; the app re-emits them)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reader.core.types import Changes


class AppState(QObject):
    """Carries what changed in the library to every model, so widgets never call each other.

    Signals:
        changed(Changes): something in the library changed; each listener decides what to reload.
    """

    changed = Signal(object)

    def publish(self, changes: Changes) -> None:
        """Emit ``changes`` unless nothing changed."""
        if not changes.empty:
            self.changed.emit(changes)
