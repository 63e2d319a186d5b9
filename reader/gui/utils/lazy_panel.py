"""A panel that reloads what it shows only when someone can see it."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class LazyPanel(QWidget):
    """Reloads at once when visible, else when next shown (a hidden dock reads nothing).

    Subclasses implement ``reload()`` (which should clear ``stale``) and call ``mark_stale()``
    when what they show changed.
    """

    stale = True
    """True when the panel shows an old state and must reload before it is next seen."""

    def reload(self) -> None:
        """Read what the panel shows again (subclasses)."""
        raise NotImplementedError

    def mark_stale(self) -> None:
        """What the panel shows changed: reload now if it is visible, else when it is next shown."""
        self.stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.reload()
