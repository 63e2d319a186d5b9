"""Before the window: can Qt's X11 plugin load, and what to do with a library that cannot be opened."""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from reader.core import DB_NAME, Library, set_aside_damaged
from reader.core.errors import LibraryLockedError, StorageError

XCB_LIBRARIES = ("xcb-cursor", "xcb-icccm", "xcb-keysyms", "xcb-shape", "xkbcommon-x11")
"""Libraries Qt's xcb platform plugin needs beyond what every X11 desktop has."""
XCB_PACKAGES = "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxkbcommon-x11-0"
"""The Debian/Ubuntu packages that provide them."""

DamagedChoice = Literal["new", "quit"]
ChooseForDamaged = Callable[[StorageError, Path], DamagedChoice]
"""Asked what to do with a library that cannot be opened: ``(error, database path) -> choice``."""


OFFSCREEN_HINT = (
    "To run the window without a screen, start it with QT_QPA_PLATFORM=offscreen; "
    "the command line (backissue list, search, show …) needs no display at all."
)


def missing_xcb_libraries(
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
    env: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
) -> list[str]:
    """The xcb libraries Qt will need but cannot find (empty when all is well, or when xcb is not used).

    Only on Linux with the xcb platform (set, or Qt's default): elsewhere Qt does not load the xcb
    plugin. Checked with or without a display: a missing library aborts Qt either way.
    """
    if not platform.startswith("linux") or _qt_platform(env) not in ("", "xcb"):
        return []
    if _qt_platform(env) == "" and env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        return []  # Qt picks its Wayland plugin
    return [name for name in XCB_LIBRARIES if find_library(name) is None]


def display_problem(
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
    env: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
) -> str | None:
    """Why Qt could not open a window here, in words (None when it can): checked before the
    QApplication exists, because Qt itself aborts the process (SIGABRT) with a message about plugins."""
    missing = missing_xcb_libraries(find_library, env, platform)
    if missing:
        return xcb_message(missing)
    if platform.startswith("linux") and _qt_platform(env) in ("", "xcb") and not env.get("DISPLAY"):
        if _qt_platform(env) == "" and env.get("WAYLAND_DISPLAY"):
            return None
        return f"Back Issue cannot open a window: there is no display (DISPLAY is not set). {OFFSCREEN_HINT}"
    return None


def _qt_platform(env: Mapping[str, str]) -> str:
    """The platform plugin Qt will load ("" = its default), from QT_QPA_PLATFORM."""
    return env.get("QT_QPA_PLATFORM", "").split(":")[0].strip()


def xcb_message(missing: list[str]) -> str:
    """One line that says what to install, instead of Qt's abort about the xcb plugin."""
    names = ", ".join(f"lib{name}" for name in missing)
    return (
        f"Back Issue cannot open a window: the system libraries {names} are missing. "
        f"On Debian/Ubuntu install them with: sudo apt install {XCB_PACKAGES}. {OFFSCREEN_HINT}"
    )


def open_library(data_dir: Path, choose: ChooseForDamaged) -> Library | None:
    """Open the library in ``data_dir``; if it cannot be opened, ask ``choose`` what to do.

    "new" moves the database aside (``library.sqlite3.damaged-<timestamp>``, never deleted) and
    opens a fresh library; "quit" returns None. A library held by another program is not
    damaged: only "quit" makes sense and the error is raised again.

    Raises:
        StorageError: the library is locked, or even a fresh one cannot be opened.
    """
    try:
        return Library(data_dir)
    except LibraryLockedError:
        raise
    except StorageError as exc:
        if choose(exc, data_dir / DB_NAME) != "new":
            return None
    set_aside_damaged(data_dir)
    return Library(data_dir)
