"""Render the main window offscreen on a temporary library and save screenshots.

Usage: ``.venv/bin/python scripts/screenshot.py [output_dir]`` (default resources/screenshots).
Writes library.png (the first run: the samples listed, the newest issue opened for you),
window.png (light theme: the issue list and an issue with a search's matches marked; the README's
picture), window-dark.png (the same in the dark theme) and highlights.png (an issue with
highlights in several colours, one with a note, and the highlights panel beside it).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLineEdit, QListView

from reader.gui import build_window
from reader.gui.annotations.editor import AnnotationEditor
from reader.gui.background.imports import ImportController
from reader.gui.background.tasks import TaskRunner
from reader.gui.issues.model import IssueTableModel
from reader.gui.mainwindow.window import MainWindow
from reader.gui.reading.pane import FLASH_MS, ReadingPane
from reader.gui.search.panel import SearchPanel

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1440, 900)
QUERY = "robots"

_Part = TypeVar("_Part", bound=QObject)


def _part(window: MainWindow, kind: type[_Part], name: str) -> _Part:
    """The window's child named ``name`` (its parts are private; their objectNames are not)."""
    found = window.findChild(kind, name)
    assert isinstance(found, kind), name
    return found


def _settle(app: QApplication, window: MainWindow) -> None:
    """Let the worker and any import (a child process) finish, and the event loop catch up."""
    runner = _part(window, TaskRunner, "taskRunner")
    importer = _part(window, ImportController, "importer")
    issues = _part(window, IssueTableModel, "issueModel")
    while runner.busy or importer.running or issues.loading:
        runner.wait(50)
        app.processEvents()
    for _ in range(5):
        app.processEvents()


def _stage(app: QApplication, window: MainWindow) -> None:
    """Search, open the best hit and mark its matches, then go back to the list, as a reader would."""
    panel = _part(window, SearchPanel, "searchPanel")
    _part(window, QLineEdit, "searchBox").setText(QUERY)
    panel.run_now()
    _settle(app, window)
    model = panel.model
    if model.rowCount():
        _part(window, QListView, "searchResults").setCurrentIndex(model.index(0, 0))
        window.open_hit(model.hit(0), QUERY)
    window.show_list()  # the list beside the issue says more about the app than the hit list
    _settle(app, window)


HIGHLIGHTS = (  # (text in Import AI 313, colour, note): all near the top, so the shot shows them
    ("a large-scale neural net that can be used to control real world robots", "yellow", ""),
    ("embeds the experiences of different robots", "blue", "How many robots, and which tasks? Check the RT-1 paper."),
    ("there’s always a vast gulf between ‘kind of works’ and ‘put this in a product", "pink", ""),
    ("130k episodes of robot behavior", "green", ""),
    ("seems to work in a preliminary way", "orange", ""),
)


def _stage_highlights(app: QApplication, window: MainWindow) -> None:
    """Open Import AI 313 with highlights in four colours (one with a note) and an issue note."""
    _part(window, SearchPanel, "searchPanel").clear()
    editor = _part(window, AnnotationEditor, "annotationEditor")
    issue = next(s for s in window.library.list_issues() if s.number == 313)
    text = window.library.plain_text(issue.id)
    for quote, colour, note in HIGHLIGHTS:
        at = text.find(quote)
        if at >= 0:
            editor.add(issue.id, at, at + len(quote), colour, note)
    editor.set_issue_note(issue.id, "Good overview of *robot learning* — re-read before the talk.")
    window.open_issue(issue.id)
    _settle(app, window)
    noted = next(h for h in window.library.highlights(issue.id) if h.note)
    window.open_highlight(issue.id, noted.id)
    _part(window, ReadingPane, "readingPane").verticalScrollBar().setValue(0)
    deadline = time.monotonic() + FLASH_MS / 1000 + 0.3
    while time.monotonic() < deadline:  # let the "you are here" flash fade
        app.processEvents()
        time.sleep(0.02)


def _save(window: MainWindow, path: Path) -> None:
    window.statusBar().clearMessage()  # "Import finished…" is news for a moment, not part of the picture
    window.grab().save(str(path))
    print(path)


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
        _settle(app, window)  # the first run imports the bundled samples and opens the newest
        _save(window, out / "library.png")
        _stage(app, window)
        for theme, name in (("light", "window.png"), ("dark", "window-dark.png")):
            window.action(f"Theme{theme.title()}").trigger()
            _settle(app, window)
            _save(window, out / name)
        window.action("ThemeLight").trigger()
        _stage_highlights(app, window)
        _save(window, out / "highlights.png")
        window.close()
        window.library.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
