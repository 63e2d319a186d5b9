"""Start the reader: build the services in a fixed order (paths, Library, TaskRunner, window) and run."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from reader.core.errors import ReaderError
from reader.core.library import Library
from reader.core.paths import resolve_data_dir
from reader.gui.main_window import MainWindow
from reader.gui.settings import open_settings
from reader.gui.state import AppState
from reader.gui.tasks import TaskRunner

APP_NAME = "Back Issue"


def ensure_app() -> QApplication:
    """The running QApplication, created (Fusion style, so themes look the same everywhere) if none."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("backissue")
    app.setStyle("Fusion")
    return app


def build_window(data_dir: Path | str, *, synchronous: bool = False) -> MainWindow:
    """Build the real main window for a data dir without entering the event loop.

    Args:
        data_dir: the library's folder (created if missing).
        synchronous: run library tasks inline instead of on the worker thread (tools, some tests).

    Returns:
        The window (not shown). Closing it waits for the worker; the caller closes the Library
        (``window.library.close()``).

    Raises:
        ReaderError: the library could not be opened.
    """
    ensure_app()
    folder = Path(data_dir)
    library = Library(folder)
    runner = TaskRunner(synchronous=synchronous)
    window = MainWindow(library, runner, open_settings(folder), AppState())
    runner.setParent(window)
    return window


def main(data_dir: Path | str | None = None, files: Sequence[str] = ()) -> int:
    """Run the reader until its window closes; returns the process exit code.

    Args:
        data_dir: the library's folder; None uses ``BACKISSUE_DATA_DIR`` or the platform default.
        files: files or folders to import once the window is up.
    """
    app = ensure_app()
    folder = resolve_data_dir(os.fspath(data_dir) if data_dir is not None else None)
    try:
        window = build_window(folder)
    except ReaderError as exc:
        QMessageBox.critical(None, APP_NAME, f"The library in {folder} could not be opened.\n\n{exc}")
        return 1
    window.show()
    if files:
        window.import_paths([os.fspath(f) for f in files])
    try:
        return app.exec()
    finally:
        window.library.close()


if __name__ == "__main__":
    sys.exit(main())
