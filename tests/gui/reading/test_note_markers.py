"""A highlight with a note shows it in the text: a ✎ after it, a dotted underline, the note on hover."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QHelpEvent, QImage, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

if TYPE_CHECKING:
    from conftest import Driver

NOTE = "Check *RT-1* against Gato"  # Markdown, as the note dialog takes it


def _open_import_ai(driver: Driver) -> str:
    # seeds/000_...txt: the Import AI issue whose RT-1 story mentions "Kitchen1"
    summary = driver.summary_where(publication="Import AI", number=313)
    driver.open_from_list(summary.id)
    return summary.id


def _end_region(driver: Driver, end: int) -> QImage:
    """The pixels around the end of a highlight (where a mark for its note belongs)."""
    pane = driver.pane
    cursor = QTextCursor(pane.document())
    cursor.setPosition(end)
    caret = pane.cursorRect(cursor)
    return pane.viewport().grab(QRect(caret.x() - 4, caret.top(), 20, caret.height())).toImage()


def test_a_note_is_marked_in_the_text_and_shown_rendered_on_hover(qtbot, driver: Driver) -> None:
    issue_id = _open_import_ai(driver)
    start, end = driver.select("Kitchen1")
    driver.pane.setFocus()
    qtbot.keyClick(driver.pane, Qt.Key.Key_H)
    driver.pane.ensureCursorVisible()
    qtbot.wait(10)
    without_note = _end_region(driver, end)
    text_before = driver.pane.document().toPlainText()

    driver.answer_note(NOTE)
    driver.press(Qt.Key.Key_N)  # no selection: the note goes on the highlight just made
    assert driver.window.library.highlights(issue_id)[0].note == NOTE
    qtbot.wait(10)

    # something now shows at the end of the highlight, and the document's text is untouched
    assert _end_region(driver, end) != without_note
    assert driver.pane.document().toPlainText() == text_before
    (mark,) = driver.pane.extraSelections()
    assert mark.format.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine

    # hovering the highlight shows the whole note, rendered (not the raw asterisks)
    cursor = QTextCursor(driver.pane.document())
    cursor.setPosition((start + end) // 2)
    middle = driver.pane.cursorRect(cursor).center()
    viewport = driver.pane.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, middle, viewport.mapToGlobal(middle))
    QApplication.sendEvent(viewport, event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "<em>RT-1</em>" in QToolTip.text()
    assert "*RT-1*" not in QToolTip.text()

    # and nothing shows on the text next to it
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    away = QPoint(middle.x(), middle.y() + 200)
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, away, viewport.mapToGlobal(away)))
    qtbot.wait(50)
    assert not QToolTip.isVisible()
