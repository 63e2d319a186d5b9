"""Start the reader: build the services in a fixed order (paths, lock, Library, TaskRunner, window) and run."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from reader.core import desktop_resource, resolve_data_dir
from reader.core.errors import ReaderError
from reader.gui.background.tasks import TaskRunner
from reader.gui.mainwindow.window import MainWindow
from reader.gui.misc.dialogs import ask_about_damaged_library
from reader.gui.misc.single_instance import InstanceGuard, LibraryAlreadyOpenError, send_to_running
from reader.gui.misc.startup import ChooseForDamaged, display_problem, open_library
from reader.gui.utils.change_signal import AppState
from reader.gui.utils.settings import open_settings

APP_NAME = "Back Issue"


class StartCancelledError(ReaderError):
    """The person chose to quit rather than replace a library that cannot be opened."""


class NoDisplayError(ReaderError):
    """Qt cannot open a window here (no display, or X libraries missing); the message says what to do."""


def ensure_app() -> QApplication:
    """The running QApplication, created (Fusion style, so themes look the same everywhere) if none.

    Raises:
        NoDisplayError: Qt could not open a window here (checked first: Qt would abort the process).
    """
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    problem = display_problem()
    if problem:
        raise NoDisplayError(problem)
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("backissue")
    app.setDesktopFileName("backissue")
    app.setStyle("Fusion")
    app.setWindowIcon(QIcon(str(desktop_resource("backissue.svg"))))
    return app


def build_window(
    data_dir: Path | str,
    *,
    synchronous: bool = False,
    choose_for_damaged: ChooseForDamaged | None = None,
) -> MainWindow:
    """Build the real main window for a data dir without entering the event loop.

    Args:
        data_dir: the library's folder (created if missing).
        synchronous: run library tasks inline instead of on the worker thread (tools, some tests).
        choose_for_damaged: asked whether to start a new library when the database cannot be
            opened (default: a dialog); see ``startup.open_library``.

    Returns:
        The window (not shown). Closing it waits for the worker and gives up the library's
        window lock; the caller closes the Library (``window.library.close()``).

    Raises:
        LibraryAlreadyOpenError: another window has this library open.
        StartCancelledError: the library could not be opened and the person chose to quit.
        ReaderError: the library could not be opened.
    """
    ensure_app()
    folder = Path(data_dir)
    guard = InstanceGuard(folder)  # first: one window, one writer
    try:
        library = open_library(folder, choose_for_damaged or ask_about_damaged_library)
    except ReaderError:
        guard.release()
        raise
    if library is None:
        guard.release()
        raise StartCancelledError(f"The library in {folder} was left as it is.")
    runner = TaskRunner(synchronous=synchronous)
    runner.setObjectName("taskRunner")
    window = MainWindow(library, runner, open_settings(folder), AppState())
    runner.setParent(window)
    window.adopt_instance_guard(guard)
    return window


def main(
    data_dir: Path | str | None = None,
    files: Sequence[str] = (),
    *,
    choose_for_damaged: ChooseForDamaged | None = None,
) -> int:
    """Run the reader until its window closes; returns the process exit code.

    When another window has the library open, the files are handed to it and this start exits 0.

    Args:
        data_dir: the library's folder; None uses ``BACKISSUE_DATA_DIR`` or the platform default.
        files: files or folders to import once the window is up.
        choose_for_damaged: see ``build_window`` (tests answer the dialog with it).
    """
    try:
        app = ensure_app()
    except NoDisplayError as exc:  # Qt would abort with a message about plugins that helps nobody
        print(f"backissue: {exc}", file=sys.stderr)
        return 1
    folder = resolve_data_dir(os.fspath(data_dir) if data_dir is not None else None)
    paths = [os.path.abspath(os.fspath(f)) for f in files]  # the other window has another cwd
    try:
        window = build_window(folder, choose_for_damaged=choose_for_damaged)
    except LibraryAlreadyOpenError as exc:
        if send_to_running(folder, paths):
            return 0
        print(f"backissue: {exc}", file=sys.stderr)
        QMessageBox.information(None, APP_NAME, str(exc))
        return 1
    except StartCancelledError:
        return 1
    except ReaderError as exc:
        QMessageBox.critical(None, APP_NAME, f"The library in {folder} could not be opened.\n\n{exc}")
        return 1
    window.show()
    window.import_paths(paths)
    try:
        return app.exec()
    finally:
        window.library.close()


if __name__ == "__main__":
    sys.exit(main())
