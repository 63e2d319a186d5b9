"""How the window looks: its theme and the reading font size, their View-menu commands and their settings."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from reader.gui.reading.pane import ReadingPane
from reader.gui.reading.theme import DEFAULT_THEME, THEMES, palette_for, theme_named
from reader.gui.search.panel import SearchPanel
from reader.gui.utils import settings as keys

DEFAULT_FONT_SIZE = 13
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 32


class Appearance(QObject):
    """Applies and remembers the theme and font size; runs the Theme and Zoom actions.

    Args:
        window: the main window (its palette follows the theme).
        settings: where the theme and font size are kept.
        pane: the reading pane (styled by the theme, sized by the font size).
        search_panel: the search results (their muted text follows the theme).
        actions: the window's actions by key; ``Theme<Name>``, ``ZoomIn``, ``ZoomOut`` and
            ``ZoomReset`` are connected here.
    """

    def __init__(
        self,
        window: QWidget,
        settings: QSettings,
        pane: ReadingPane,
        search_panel: SearchPanel,
        actions: Mapping[str, QAction],
    ) -> None:
        super().__init__(window)
        self._window, self._settings, self._pane, self._search_panel = window, settings, pane, search_panel
        self._actions = actions
        for name in THEMES:
            actions[f"Theme{name.title()}"].triggered.connect(lambda _c=False, n=name: self.set_theme(n))
        actions["ZoomIn"].triggered.connect(lambda: self.zoom(+1))
        actions["ZoomOut"].triggered.connect(lambda: self.zoom(-1))
        actions["ZoomReset"].triggered.connect(lambda: self.set_font_size(DEFAULT_FONT_SIZE))

    def restore(self) -> None:
        """Apply the remembered theme and font size (the defaults when none is kept)."""
        self.set_theme(keys.str_value(self._settings, keys.THEME, DEFAULT_THEME))
        self.set_font_size(self.font_size)

    def set_theme(self, name: str) -> None:
        """Switch to the light, dark or sepia theme (remembered)."""
        theme = theme_named(name)
        palette = palette_for(theme)
        self._window.setPalette(palette)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(palette)  # menus and dialogs are windows of their own
        self._pane.set_theme(theme)
        self._search_panel.set_muted_colour(theme.muted)
        self._actions[f"Theme{theme.name.title()}"].setChecked(True)
        self._settings.setValue(keys.THEME, theme.name)

    @property
    def theme_name(self) -> str:
        """The current theme's key."""
        return theme_named(keys.str_value(self._settings, keys.THEME, DEFAULT_THEME)).name

    @property
    def font_size(self) -> int:
        """The reading font size in points."""
        return keys.int_value(self._settings, keys.FONT_SIZE, DEFAULT_FONT_SIZE)

    def set_font_size(self, points: int) -> None:
        """Set the reading font size (remembered), kept within MIN_FONT_SIZE..MAX_FONT_SIZE."""
        points = min(MAX_FONT_SIZE, max(MIN_FONT_SIZE, points))
        self._settings.setValue(keys.FONT_SIZE, points)
        self._pane.set_font_size(points)

    def zoom(self, steps: int) -> None:
        """Make the text bigger (+) or smaller (-)."""
        self.set_font_size(self.font_size + steps)
