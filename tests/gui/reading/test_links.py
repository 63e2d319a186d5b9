"""Links in the pane: hovering one shows where it goes; one that nothing can open says so (issue #15)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QTextCursor

from reader.core import Library

if TYPE_CHECKING:
    from conftest import Driver, Windows

URL = "https://arxiv.org/abs/2212.06817"
# A Markdown issue with YAML front matter, as Hugo/Jekyll newsletters and Buttondown exports write them.
ISSUE = f"""---
title: "Robots in the kitchen"
date: 2023-01-09
publication: Field Notes
---

# Robots in the kitchen

RT-1 is described in [the RT-1 paper]({URL}), which is worth reading whole.
"""


def _open_linked_issue(windows: Windows, tmp_path: Path) -> Driver:
    data_dir = tmp_path / "data"
    source = tmp_path / "robots.md"
    source.write_text(ISSUE, encoding="utf-8")
    with Library(data_dir) as library:
        library.import_paths([source])
        (summary,) = library.list_issues()
    driver = windows.driver(windows.open(data_dir))
    driver.open_from_list(summary.id)
    return driver


def _link_point(driver: Driver) -> QPoint:
    found = driver.pane.document().find("the RT-1 paper")
    assert not found.isNull()
    cursor = QTextCursor(driver.pane.document())
    cursor.setPosition(found.selectionStart() + 4)
    return driver.pane.cursorRect(cursor).center()


def test_hovering_a_link_shows_its_address_in_the_status_bar(qtbot, windows: Windows, tmp_path: Path) -> None:
    driver = _open_linked_issue(windows, tmp_path)
    status = driver.window.statusBar()
    viewport = driver.pane.viewport()

    qtbot.mouseMove(viewport, _link_point(driver))
    qtbot.waitUntil(lambda: status.currentMessage() == URL)

    qtbot.mouseMove(viewport, QPoint(2, viewport.height() - 2))  # off the link: the address goes
    qtbot.waitUntil(lambda: status.currentMessage() == "")


def test_a_link_with_no_browser_to_open_it_says_so(qtbot, windows: Windows, tmp_path: Path) -> None:
    driver = _open_linked_issue(windows, tmp_path)
    asked: list[str] = []

    def no_browser(url: QUrl) -> bool:  # what QDesktopServices.openUrl answers with no browser set up
        asked.append(url.toString())
        return False

    driver.pane.open_url = no_browser
    qtbot.mouseClick(driver.pane.viewport(), Qt.MouseButton.LeftButton, pos=_link_point(driver))

    assert asked == [URL]
    message = driver.window.statusBar().currentMessage()
    assert message == f"Could not open {URL}: no web browser is set up to open it."
