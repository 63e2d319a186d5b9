"""Highlight colours in the window: swatch icons and the "Highlight as" actions (keys 1-5)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QWidget

from reader.core.types import ColorLabel

SWATCH_SIZE = 14


def swatch_icon(hex_colour: str, size: int = SWATCH_SIZE) -> QIcon:
    """A small rounded square of the colour with a thin darker rim (readable on light and dark).

    Disabled, it stays the same colour, only fainter: Qt's grey version looks like an empty checkbox.
    """
    icon = QIcon(_swatch(QColor(hex_colour), size, 1.0))
    icon.addPixmap(_swatch(QColor(hex_colour), size, 0.45), QIcon.Mode.Disabled)
    return icon


def _swatch(colour: QColor, size: int, opacity: float) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setOpacity(opacity)
    painter.setBrush(colour)
    painter.setPen(colour.darker(140))
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    painter.end()
    return pixmap


class ColourActions(QObject):
    """One action per highlight colour, labelled with the user's labels; digits 1-5 pick them.

    The actions live on ``window`` (so their keys work anywhere in it) and are gathered in
    ``menu`` ("Highlight as ▸"). Call ``refresh`` after the labels were renamed.

    Args:
        labels: returns the colours with their labels (Library.color_labels).
        window: the widget the actions belong to.

    Signals:
        chosen(str): a colour's action was triggered; its key.
    """

    chosen = Signal(str)

    def __init__(self, labels: Callable[[], Sequence[ColorLabel]], window: QWidget) -> None:
        super().__init__(window)
        self._labels = labels
        self._colours: list[ColorLabel] = list(labels())
        self.menu = QMenu("Highlight &As", window)
        self.menu.setObjectName("highlightAsMenu")
        self.actions: dict[str, QAction] = {}
        for number, colour in enumerate(self._colours, start=1):
            action = QAction(window)
            action.setObjectName(f"actionHighlightAs_{colour.key}")
            if number <= 9:
                action.setShortcut(QKeySequence(str(number)))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, key=colour.key: self.chosen.emit(key))
            window.addAction(action)
            self.menu.addAction(action)
            self.actions[colour.key] = action
        self.refresh()

    @property
    def colours(self) -> list[ColorLabel]:
        """The colours in their order, with the current labels."""
        return list(self._colours)

    def hex_of(self, key: str) -> str:
        """The display colour of a colour key (the first colour's for an unknown key)."""
        for colour in self._colours:
            if colour.key == key:
                return colour.hex
        return self._colours[0].hex if self._colours else "#ffe066"

    def label_of(self, key: str) -> str:
        """The user's label of a colour key (the key itself when unknown)."""
        return next((c.label for c in self._colours if c.key == key), key)

    def refresh(self) -> None:
        """Read the labels again and relabel the actions."""
        self._colours = list(self._labels())
        for colour in self._colours:
            action = self.actions.get(colour.key)
            if action is not None:
                action.setText(colour.label)
                action.setIcon(swatch_icon(colour.hex))

    def set_enabled(self, enabled: bool) -> None:
        """Enable the actions (they need a selection in the pane)."""
        for action in self.actions.values():
            action.setEnabled(enabled)

    def choice_menu(self, title: str, current: str, on_choose: Callable[[str], None], parent: QWidget) -> QMenu:
        """A fresh menu of the colours (the ``current`` one checked) calling ``on_choose(key)``."""
        menu = QMenu(title, parent)
        for colour in self._colours:
            action = menu.addAction(swatch_icon(colour.hex), colour.label)
            action.setCheckable(True)
            action.setChecked(colour.key == current)
            action.triggered.connect(lambda _checked=False, key=colour.key: on_choose(key))
        return menu
