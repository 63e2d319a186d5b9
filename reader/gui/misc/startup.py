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


def missing_xcb_libraries(
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
    env: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
) -> list[str]:
    """The xcb libraries Qt will need on this display but cannot find (empty when all is well).

    Only on Linux with an X display and the xcb platform (set or Qt's default): elsewhere Qt
    does not load the xcb plugin.
    """
    if not platform.startswith("linux") or not env.get("DISPLAY"):
        return []
    if env.get("QT_QPA_PLATFORM", "xcb").split(":")[0] not in ("", "xcb"):
        return []
    return [name for name in XCB_LIBRARIES if find_library(name) is None]


def xcb_message(missing: list[str]) -> str:
    """One line that says what to install, instead of Qt's abort about the xcb plugin."""
    names = ", ".join(f"lib{name}" for name in missing)
    return (
        f"Back Issue cannot open a window: the system libraries {names} are missing. "
        f"On Debian/Ubuntu install them with: sudo apt install {XCB_PACKAGES}"
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
