"""Screenshots of the link index in the window (issue #17), offscreen, on the samples plus the link fixtures.

Usage: ``.venv/bin/python scripts/screenshot_links.py [output_dir]`` (default resources/screenshots).
Writes links.png (the Links view: works sorted by how many issues cite them, one chosen, its citing
issues with the sentence around each), issue-links.png (an issue's Links tab: "also cited in N other
issues") and timeline.png (a search drawn as issues per month by publication).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QLineEdit, QListWidget, QTableView, QTabWidget

from reader.core import Library
from reader.gui import build_window
from reader.gui.background.tasks import TaskRunner
from reader.gui.mainwindow.window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "links"
SIZE = (1440, 900)


def _settle(app: QApplication, window: MainWindow, seconds: float = 0.4) -> None:
    runner = window.findChild(TaskRunner, "taskRunner")
    end = time.monotonic() + seconds
    while time.monotonic() < end or (runner is not None and runner.busy):
        app.processEvents()
        time.sleep(0.02)


def main(out_dir: Path) -> None:
    """Build the window on a temporary library and save the three pictures into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        with Library(data) as lib:
            lib.import_samples()
            lib.import_paths(sorted(FIXTURES.glob("*.md")))
        window = build_window(data)
        window.resize(*SIZE)
        window.show()
        _settle(app, window, 1.0)
        batch = next(s.id for s in window.library.list_issues() if s.publication == "The Batch")
        window.open_issue(batch)
        _settle(app, window)
        window.findChild(QTabWidget, "issueLinksTabs").setCurrentIndex(0)
        _settle(app, window)
        window.grab().save(str(out_dir / "issue-links.png"))

        window.action("LinksView").trigger()
        dock = window.findChild(QDockWidget, "linksDock")
        window.resizeDocks([dock], [520], Qt.Orientation.Vertical)
        _settle(app, window)
        table = window.findChild(QTableView, "linksTable")
        table.selectRow(0)
        _settle(app, window)
        citations = window.findChild(QListWidget, "linksCitations")
        citations.setCurrentRow(1)
        window.grab().save(str(out_dir / "links.png"))

        window.action("LinksView").trigger()
        window.action("Timeline").trigger()
        window.resizeDocks([window.findChild(QDockWidget, "timelineDock")], [360], Qt.Orientation.Vertical)
        box = window.findChild(QLineEdit, "timelineQuery")
        box.setText("robots OR model")
        box.returnPressed.emit()
        _settle(app, window)
        window.grab().save(str(out_dir / "timeline.png"))
        window.close()
        window.library.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshots")
