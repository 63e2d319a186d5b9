"""Images in the reading pane: Fetch on a placeholder (only then, in the background), wide images fit
the pane, File ▸ Remove Stored Images… (with what it frees) brings the placeholders back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from reader.core import Library
from reader.gui.reading.pane import FETCH_SCHEME, ReadingPane
from tests.gui.conftest import Driver, Windows
from tests.image_server import ImageServer

WAIT_MS = 20000


def _add_letter(data_dir: Path, tmp_path: Path, body: str, keep: bool = False) -> str:
    """Import a Markdown letter into the library in ``data_dir`` (before the window opens); its id."""
    path = tmp_path / "letter.md"
    path.write_text(f"---\ntitle: Orchard Notes 3\npublication: Orchard Notes\ndate: 2030-03-01\n---\n\n{body}\n")
    with Library(data_dir) as library:
        [issue_id] = library.import_paths([path]).issue_ids
        if keep:
            library.keep_images([issue_id])
    return issue_id


def _click_text(qtbot: QtBot, pane: ReadingPane, text: str) -> None:
    """Click the middle of ``text`` in the pane, as a mouse does."""
    found = pane.document().find(text)
    assert not found.isNull(), text
    cursor = QTextCursor(pane.document())
    cursor.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    pane.setTextCursor(cursor)
    pane.ensureCursorVisible()
    rect = pane.cursorRect(cursor)
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.center().y()))


def _anchor_of(pane: ReadingPane, text: str) -> str:
    found = pane.document().find(text)
    cursor = QTextCursor(pane.document())
    cursor.setPosition(found.selectionStart() + 2)
    return cursor.charFormat().anchorHref()


def test_fetch_on_a_placeholder_fetches_that_image_only_when_clicked(
    qtbot: QtBot, windows: Windows, seeded_dir: Path, images: ImageServer, tmp_path: Path
) -> None:
    body = (f"Intro.\n\n![Red apple]({images.base}/red.png)\n\n![Blue]({images.base}/blue.png)\n\n"
            f"[A link]({images.base}/page.html)\n\nPruning season starts in March.")  # fmt: skip
    issue_id = _add_letter(seeded_dir, tmp_path, body)
    driver = windows.driver(windows.open(seeded_dir))
    driver.open_from_list(issue_id)
    pane = driver.pane
    assert "[Image: Red apple]" in pane.toPlainText() and "[Image: Blue]" in pane.toPlainText()
    assert _anchor_of(pane, "[Image: Blue]").startswith(f"{FETCH_SCHEME}:")
    assert _anchor_of(pane, "A link") == f"{images.base}/page.html"  # other links stay links
    driver.highlight = driver.select("Pruning season")
    driver.window.action("Highlight").trigger()
    driver.settle()
    assert images.requests == []  # opening and reading never go online

    opened: list[str] = []
    pane.open_url = lambda url: opened.append(url.toString()) or True
    _click_text(qtbot, pane, "[Image: Blue]")
    fetches = driver.child(type(driver.runner), "imageFetches")
    qtbot.waitUntil(lambda: not fetches.busy and "[Image: Blue]" not in pane.toPlainText(), timeout=WAIT_MS)
    driver.settle()
    assert images.requests == ["/blue.png"] and opened == []  # that one image, not the browser
    assert pane.image_widths() == [2]
    assert "[Image: Red apple]" in pane.toPlainText()  # the other one stays a placeholder
    assert "kept offline" in driver.window.statusBar().currentMessage()
    [highlight] = driver.window.library.highlights(issue_id)
    text = driver.window.library.plain_text(issue_id)
    assert text[highlight.start : highlight.end] == "Pruning season"  # moved with the image character
    selections = pane.extraSelections()
    assert selections[0].cursor.selectedText() == "Pruning season"  # painted where it moved


def test_a_refused_fetch_says_why_in_the_status_bar(
    qtbot: QtBot, windows: Windows, seeded_dir: Path, images: ImageServer, tmp_path: Path
) -> None:
    issue_id = _add_letter(seeded_dir, tmp_path, f"![Not really]({images.base}/lies.png)")
    driver = windows.driver(windows.open(seeded_dir))
    driver.open_from_list(issue_id)
    _click_text(qtbot, driver.pane, "[Image: Not really]")
    bar = driver.window.statusBar()
    qtbot.waitUntil(lambda: "Could not fetch the image" in bar.currentMessage(), timeout=WAIT_MS)
    assert "not a PNG, JPEG, GIF or WebP" in bar.currentMessage()
    assert "[Image: Not really]" in driver.pane.toPlainText()


def test_a_wide_image_fits_the_pane(
    qtbot: QtBot, windows: Windows, seeded_dir: Path, images: ImageServer, tmp_path: Path
) -> None:
    issue_id = _add_letter(seeded_dir, tmp_path, f"Intro.\n\n![Panorama]({images.base}/wide.png)\n\nEnd.", keep=True)
    window = windows.open(seeded_dir)
    driver = windows.driver(window)
    driver.open_from_list(issue_id)
    pane = driver.pane
    [width] = pane.image_widths()
    assert 0 < width < 3000 and width <= pane.viewport().width()
    assert pane.horizontalScrollBar().maximum() == 0  # no sideways scrolling for a 3,000-pixel picture
    window.action("SidePanel").trigger()  # F9: the side panel folds away, the pane widens
    qtbot.waitUntil(lambda: pane.image_widths()[0] > width)
    wide = pane.image_widths()[0]
    assert wide <= pane.viewport().width()
    assert pane.horizontalScrollBar().maximum() == 0
    window.action("SidePanel").trigger()
    qtbot.waitUntil(lambda: pane.image_widths()[0] < wide)  # narrower again with the pane
    assert pane.image_widths()[0] <= pane.viewport().width() and pane.horizontalScrollBar().maximum() == 0


def _answer_remove(qtbot: QtBot, driver: Driver, confirm: bool) -> QMessageBox:
    driver.window.action("RemoveImages").trigger()
    box = driver.window.findChild(QMessageBox, "removeImagesBox")
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    text = box.text()
    button = box.findChild(QPushButton, "removeImagesButton") if confirm else box.button(
        QMessageBox.StandardButton.Cancel)  # fmt: skip
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    box.setObjectName(text)  # what it said, for the caller (the box is deleted later)
    return box


def test_remove_stored_images_says_what_it_frees_and_shows_placeholders_again(
    qtbot: QtBot, windows: Windows, seeded_dir: Path, images: ImageServer, tmp_path: Path
) -> None:
    issue_id = _add_letter(seeded_dir, tmp_path, f"![Red apple]({images.base}/red.png)\n\nPruning.", keep=True)
    window = windows.open(seeded_dir)
    driver = windows.driver(window)
    driver.open_from_list(issue_id)
    assert driver.pane.image_widths() == [2]
    size = window.library.stored_images().size_text

    said = _answer_remove(qtbot, driver, confirm=False).objectName()
    assert "1 image" in said and f"frees {size}" in said
    driver.settle()
    assert window.library.stored_images().count == 1  # Cancel removes nothing

    _answer_remove(qtbot, driver, confirm=True)
    qtbot.waitUntil(lambda: "[Image: Red apple]" in driver.pane.toPlainText(), timeout=WAIT_MS)
    driver.settle()
    assert window.library.stats()["stored_images"] == 0
    assert driver.pane.image_widths() == []
    assert _anchor_of(driver.pane, "[Image: Red apple]").startswith(f"{FETCH_SCHEME}:")  # Fetch brings it back
    assert "freed" in window.statusBar().currentMessage()
    window.action("RemoveImages").trigger()
    assert "nothing to remove" in window.statusBar().currentMessage()
    assert QApplication.activeModalWidget() is None
