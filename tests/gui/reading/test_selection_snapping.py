"""Highlighting what a mouse selected: a ragged drag snaps to whole words (issue #15, the first hour)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

if TYPE_CHECKING:
    from conftest import Driver

# The RT-1 story of the Import AI sample (seeds/000_...txt): "... see Import AI 291). “SayCan with
# RT-1 achieves a 67% execution success rate ..." — the passage the first-hour report quoted.
_PASSAGE = "). “SayCan with RT-1"


def _open_import_ai(driver: Driver) -> str:
    summary = next(
        driver.issue_model.summary(row)
        for row in range(driver.issue_model.rowCount())
        if _PASSAGE in driver.window.library.plain_text(driver.issue_model.summary(row).id)
    )
    driver.open_from_list(summary.id)
    return summary.id


def _point(driver: Driver, position: int, *, left_half: bool = True) -> QPoint:
    """The viewport point of a document position, scrolled into view (where a mouse would press)."""
    pane = driver.pane
    cursor = QTextCursor(pane.document())
    cursor.setPosition(position)
    pane.setTextCursor(cursor)
    pane.ensureCursorVisible()
    rect = pane.cursorRect(cursor)
    return QPoint(rect.x() + (1 if left_half else -1), rect.center().y())


def _highlight_with_h(qtbot, driver: Driver) -> None:
    driver.pane.setFocus()
    qtbot.keyClick(driver.pane, Qt.Key.Key_H)


def test_a_ragged_drag_highlights_whole_words(qtbot, driver: Driver) -> None:
    issue_id = _open_import_ai(driver)
    document = driver.pane.document()
    start = document.find(_PASSAGE).selectionStart()  # on the ")" before the quote
    end = document.find("success rate").selectionStart() + len("succe")  # inside "success"
    pane = driver.pane
    # press at the start, drag to the end, release: as a person selects
    begin_at = _point(driver, start)
    probe = QTextCursor(document)
    probe.setPosition(end)
    end_at = QPoint(pane.cursorRect(probe).x(), pane.cursorRect(probe).center().y())
    qtbot.mousePress(pane.viewport(), Qt.MouseButton.LeftButton, pos=begin_at)
    qtbot.mouseMove(pane.viewport(), end_at)
    qtbot.mouseRelease(pane.viewport(), Qt.MouseButton.LeftButton, pos=end_at)
    assert pane.textCursor().selectedText().startswith(").")  # the drag itself was ragged
    assert pane.textCursor().selectedText().endswith("succe")

    _highlight_with_h(qtbot, driver)

    (highlight,) = driver.window.library.highlights(issue_id)
    assert highlight.quote == "SayCan with RT-1 achieves a 67% execution success"
    (mark,) = pane.extraSelections()
    assert mark.cursor.selectedText() == highlight.quote


def test_a_double_clicked_word_and_a_triple_clicked_paragraph_are_highlighted_whole(qtbot, driver: Driver) -> None:
    issue_id = _open_import_ai(driver)
    pane, document = driver.pane, driver.pane.document()
    word = document.find("Kitchen1").selectionStart() + 3
    at = _point(driver, word)
    qtbot.mouseDClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=at)
    _highlight_with_h(qtbot, driver)
    assert [h.quote for h in driver.window.library.highlights(issue_id)] == ["Kitchen1"]

    paragraph = document.find("Compounding returns").block()
    at = _point(driver, paragraph.position() + 5)
    qtbot.mouseDClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=at)  # the third click
    assert pane.textCursor().selectedText().rstrip("\u2029") == paragraph.text()
    _highlight_with_h(qtbot, driver)
    quotes = {h.quote for h in driver.window.library.highlights(issue_id)}
    assert paragraph.text() in quotes  # the whole paragraph, its closing quote and all
