"""Window and reading preferences, stored per data dir in an INI file beside the library."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

SETTINGS_FILE = "gui-settings.ini"

# Keys in one place so a typo cannot silently create a second setting.
GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"
SPLITTER = "window/splitter"
SIDE_SPLITTER = "window/side_splitter"
SPLITTER_WANTED = "window/splitter_wanted"
THEME = "reading/theme"
FONT_SIZE = "reading/font_size"
LAST_ISSUE = "reading/last_issue"
LAST_SCROLL = "reading/last_scroll"
SEARCH_SORT = "search/sort"
LAST_COLOUR = "highlights/last_colour"
KEEP_IMAGES = "import/keep_images"
REFRESH_EVERY = "subscriptions/refresh_every_minutes"
LAST_REFRESH = "subscriptions/last_refresh"


def open_settings(data_dir: Path) -> QSettings:
    """The settings of the library in ``data_dir``.

    They live in the data dir rather than the platform's registry so that each library keeps its
    own last-open issue, and a test's temporary data dir never touches the real user's settings.
    """
    return QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def int_value(settings: QSettings, key: str, default: int) -> int:
    """Read an integer setting, falling back to ``default`` when it is missing or not a number."""
    raw = settings.value(key, default)
    if isinstance(raw, int):
        return raw
    try:
        return int(str(raw))
    except ValueError:
        return default


def str_value(settings: QSettings, key: str, default: str = "") -> str:
    """Read a text setting, falling back to ``default``."""
    raw = settings.value(key, default)
    return raw if isinstance(raw, str) else default
