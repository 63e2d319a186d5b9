"""Render the main window offscreen on a temporary library and save screenshots.

Usage: ``.venv/bin/python scripts/screenshot.py [output_dir]`` (default resources/screenshots).
Writes window.png (light theme: an issue open, a search with its matches marked) and
window-dark.png (the same in the dark theme).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from reader.gui import build_window
from reader.gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1440, 900)
QUERY = "robots"


def _settle(app: QApplication, window: MainWindow) -> None:
    """Let the worker finish and the event loop catch up."""
    while window.runner.busy:
        window.runner.wait(50)
        app.processEvents()
    for _ in range(5):
        app.processEvents()


def _stage(app: QApplication, window: MainWindow) -> None:
    """Search, open the best hit and mark its matches, as a reader would."""
    window.search_panel.box.setText(QUERY)
    window.search_panel.run_now()
    _settle(app, window)
    model = window.search_panel.model
    if model.rowCount():
        window.search_panel.results.setCurrentIndex(model.index(0, 0))
        window.open_hit(model.hit(0), QUERY)
    _settle(app, window)


def main(argv: list[str]) -> int:
    """Write the screenshots; returns the exit code."""
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "resources" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        window = build_window(Path(tmp) / "data")
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        window.resize(*SIZE)
        window.show()
        _settle(app, window)  # the first run imports the bundled samples
        _stage(app, window)
        for theme, name in (("light", "window.png"), ("dark", "window-dark.png")):
            window.set_theme(theme)
            _settle(app, window)
            window.grab().save(str(out / name))
            print(out / name)
        window.set_theme("light")
        window.close()
        window.library.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
