"""What the window keeps between starts: geometry, docks, splitters, open issue and scroll, search order."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtWidgets import QMainWindow, QSplitter

from reader.gui.search.panel import SearchPanel
from reader.gui.utils import settings as keys

DEFAULT_SIZE = (1440, 900)
"""The window's size on a first start (no geometry kept yet)."""


def restore_layout(settings: QSettings, window: QMainWindow, splitter: QSplitter, side: QSplitter) -> None:
    """Give ``window`` its kept geometry, docks and splitter sizes; DEFAULT_SIZE when none is kept.

    Args:
        settings: where the layout was saved by ``save_layout``.
        window: the main window (geometry, toolbars and docks).
        splitter: the left | pane | side splitter.
        side: the contents / highlights splitter.
    """
    restorers: tuple[tuple[str, Callable[[QByteArray], object]], ...] = (
        (keys.GEOMETRY, window.restoreGeometry),
        (keys.WINDOW_STATE, window.restoreState),
        (keys.SPLITTER, splitter.restoreState),
        (keys.SIDE_SPLITTER, side.restoreState),
    )
    for key, restore in restorers:
        value = settings.value(key)
        if isinstance(value, QByteArray):
            restore(value)
    if not isinstance(settings.value(keys.GEOMETRY), QByteArray):
        window.resize(*first_size(window.screen().availableGeometry().size()))
    wanted = str(settings.value(keys.SPLITTER_WANTED, "")).split(",")
    if len(wanted) == 2 and all(part.strip().isdigit() for part in wanted) and hasattr(splitter, "set_wanted"):
        splitter.set_wanted(int(wanted[0]), int(wanted[1]))


def first_size(available: QSize) -> tuple[int, int]:
    """The window's size on a first start: DEFAULT_SIZE, or 90% of a smaller screen (a 1280x800
    laptop screen cut the 1440-pixel window's right side off, under a real window manager)."""
    width, height = DEFAULT_SIZE
    if available.width() > 0 and available.height() > 0:
        width = min(width, int(available.width() * 0.9))
        height = min(height, int(available.height() * 0.9))
    return width, height


def save_layout(settings: QSettings, window: QMainWindow, splitter: QSplitter, side: QSplitter) -> None:
    """Keep ``window``'s geometry, docks and splitter sizes (arguments as for ``restore_layout``)."""
    settings.setValue(keys.GEOMETRY, window.saveGeometry())
    settings.setValue(keys.WINDOW_STATE, window.saveState())
    settings.setValue(keys.SPLITTER, splitter.saveState())
    settings.setValue(keys.SIDE_SPLITTER, side.saveState())
    wanted = getattr(splitter, "wanted", None)  # MainSplitter: the widths a larger window gives back
    if wanted is not None:
        settings.setValue(keys.SPLITTER_WANTED, ",".join(str(width) for width in wanted))


def save_reading_position(settings: QSettings, issue_id: str, scroll: int) -> None:
    """Keep the open issue ("" = none) and the pane's scroll position in it."""
    settings.setValue(keys.LAST_ISSUE, issue_id)
    settings.setValue(keys.LAST_SCROLL, scroll)


def last_reading_position(settings: QSettings) -> tuple[str, int]:
    """The issue open at the last close ("" = none) and the pane's scroll position in it."""
    return keys.str_value(settings, keys.LAST_ISSUE), keys.int_value(settings, keys.LAST_SCROLL, 0)


def remember_search_sort(settings: QSettings, panel: SearchPanel) -> None:
    """Keep the search order the person chooses in ``panel`` from now on."""
    panel.sort_changed.connect(lambda sort: settings.setValue(keys.SEARCH_SORT, sort))


def restore_search_sort(settings: QSettings, panel: SearchPanel) -> None:
    """Give ``panel`` the kept search order ("score" when none is kept)."""
    panel.set_sort(keys.str_value(settings, keys.SEARCH_SORT, "score"))
