"""Highlighting a selection in the pane lands on the right core text, even after an emoji."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

if TYPE_CHECKING:
    from conftest import Driver


def test_h_highlights_the_selection_after_an_emoji(qtbot, driver: Driver) -> None:
    window = driver.window
    summary = driver.summary_where(publication="Superfast AI")
    driver.open_from_list(summary.id)
    core_text = window.library.plain_text(summary.id)
    assert "🗞" in core_text  # the emoji counts 2 in Qt, 1 in Python: the test is about that gap
    action = window.action("Highlight")
    assert not action.isEnabled()

    qt_start, qt_end = driver.select("Embeddings", after="🗞")
    assert action.isEnabled()
    driver.pane.setFocus()
    qtbot.keyClick(driver.pane, Qt.Key.Key_H)

    (highlight,) = window.library.highlights(summary.id)
    assert highlight.quote == "Embeddings"
    assert core_text[highlight.start : highlight.end] == "Embeddings"
    assert core_text.index("🗞") < highlight.start
    assert core_text.find("Embeddings", core_text.index("🗞")) == highlight.start
    # shown at once: the highlights panel lists it and the pane paints it
    assert driver.highlights_model.rowCount() == 1
    assert "Embeddings" in driver.highlights_model.index(0, 0).data()
    (mark,) = driver.pane.extraSelections()
    assert mark.cursor.selectedText() == "Embeddings"
    # exactly over the quote in Qt's UTF-16 positions (the emoji before it counts two there)
    assert (mark.cursor.selectionStart(), mark.cursor.selectionEnd()) == (qt_start, qt_end)
    yellow = next(c.hex for c in window.library.color_labels() if c.key == highlight.color)
    assert mark.format.background().color().name() == yellow
    row = driver.issue_model.row_of(summary.id)
    assert driver.issue_model.summary(row).highlight_count == 1


def test_a_note_on_the_highlight_just_made(driver: Driver) -> None:
    window = driver.window
    summary = driver.summary_where(publication="Superfast AI")
    driver.open_from_list(summary.id)
    driver.select("RLHF", after="Concepts")
    highlight = driver.issue_view.highlight_selection()
    assert highlight is not None

    driver.issue_view.set_note(highlight, "read the InstructGPT paper")

    (stored,) = window.library.highlights(summary.id)
    assert stored.note == "read the InstructGPT paper"
    assert "read the InstructGPT paper" in driver.highlights_model.index(0, 0).data()


def test_highlighting_the_header_only_is_refused(driver: Driver) -> None:
    window = driver.window
    summary = driver.summary_where(publication="Superfast AI")
    driver.open_from_list(summary.id)
    cursor = QTextCursor(driver.pane.document())
    cursor.setPosition(0)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    driver.pane.setTextCursor(cursor)  # the title in our header is not part of the issue's text

    assert driver.issue_view.highlight_selection() is None
    assert window.library.highlights(summary.id) == []
