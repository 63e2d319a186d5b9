"""Screenshots of the library sidebar (#16), offscreen, on a temporary library of the samples.

Usage: ``.venv/bin/python scripts/screenshot_library.py [output_dir]`` (default resources/screenshots).
Writes sidebar-series.png (Import AI chosen: the series header with "missing #311–#312"),
sidebar-smart-list.png (a smart list chosen) and sidebar-tag.png (a tag chosen).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from reader.gui import build_window
from reader.gui.library.shelf import ShelfController
from reader.gui.library.sidebar import Entry, LibrarySidebar
from scripts.screenshot import SIZE, _part, _save, _settle

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    """Write the three screenshots; returns the exit code."""
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "resources" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        window = build_window(Path(tmp) / "data")
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        window.resize(*SIZE)
        window.show()
        _settle(app, window)
        lib = window.library
        by_number = {s.number: s.id for s in lib.list_issues() if s.publication == "Import AI"}
        lib.tag_issues([by_number[313], by_number[310], by_number[307]], ["robots"])
        lib.tag_issues([by_number[310]], ["games"])
        lib.tag_issues([by_number[305], by_number[306]], ["language-models"])
        lib.annotate(by_number[313], "robots")
        lib.set_read(by_number[301])
        lib.set_read(by_number[302])
        lib.create_smart_list("Robots, unread", "tag:robots is:unread", "number")
        lib.create_smart_list("Language models", '"language model"', "score")
        shelf = _part(window, ShelfController, "shelfController")
        sidebar = _part(window, LibrarySidebar, "librarySidebar")
        window.open_issue(by_number[310])
        shelf.refresh_now()
        _settle(app, window)
        for entry, name in (
            (Entry("publication", "Import AI"), "sidebar-series.png"),
            (Entry("smart", "Robots, unread"), "sidebar-smart-list.png"),
            (Entry("tag", "robots"), "sidebar-tag.png"),
        ):
            sidebar.choose(entry)
            _settle(app, window)
            _save(window, out / name)
        window.close()
        window.library.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
