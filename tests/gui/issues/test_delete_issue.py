"""Issue ▸ Delete Issue… (Delete): a confirmation naming what goes with it, then Edit ▸ Undo brings it back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

if TYPE_CHECKING:
    from conftest import Driver

SHOTS = Path(os.environ.get("BACKISSUE_SHOTS", "")) if os.environ.get("BACKISSUE_SHOTS") else None


def _annotated_issue(driver: Driver) -> str:
    """An issue with 2 highlights, one of them with a note."""
    library = driver.window.library
    issue = driver.summary_where(publication="Superfast AI")
    text = library.plain_text(issue.id)
    library.add_highlight(issue.id, 0, 10, "yellow", "")
    library.add_highlight(issue.id, 20, 40, "green", "worth a second read")
    assert text[0:10].strip() and text[20:40].strip()
    return issue.id


def _button(box: QMessageBox, label: str) -> QPushButton:
    (button,) = [b for b in box.buttons() if b.text() == label]
    assert isinstance(button, QPushButton)
    return button


def test_delete_asks_naming_its_highlights_and_notes_and_undo_brings_it_back(qtbot, driver: Driver) -> None:
    window, model = driver.window, driver.issue_model
    issue_id = _annotated_issue(driver)
    driver.open_from_list(issue_id)
    before = model.rowCount()
    asked: list[str] = []

    def confirm(box: QMessageBox) -> None:
        asked.append(box.text())
        if SHOTS:
            box.grab().save(str(SHOTS / "delete-confirmation.png"))
        qtbot.mouseClick(_button(box, "Delete"), Qt.MouseButton.LeftButton)

    answered = driver.answer_next_dialog(confirm)
    driver.issue_list.setFocus()
    qtbot.keyClick(driver.issue_list, Qt.Key.Key_Delete)  # as a person presses Delete on the row
    assert answered, "no confirmation was asked"
    driver.settle()

    (question,) = asked
    assert "and its 2 highlights and 1 note?" in question
    assert model.row_of(issue_id) is None and model.rowCount() == before - 1
    assert driver.issue_view.issue is None  # the pane no longer shows the deleted issue
    assert "deleted" in driver.pane.toPlainText()
    assert window.statusBar().currentMessage().startswith("Deleted “")
    assert driver.child(QPushButton, "undoDeleteButton").isVisible()

    driver.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Edit ▸ Undo
    driver.settle()
    assert model.row_of(issue_id) is not None and model.rowCount() == before
    assert len(window.library.highlights(issue_id)) == 2
    assert driver.issue_view.issue is not None and driver.issue_view.issue.id == issue_id
    assert not driver.child(QPushButton, "undoDeleteButton").isVisible()


def test_cancel_keeps_the_issue_and_the_status_bar_undo_button_restores(qtbot, driver: Driver) -> None:
    issue = driver.summary_where(publication="Superfast AI")
    driver.open_from_list(issue.id)

    driver.answer_next_dialog(lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))
    driver.window.action("DeleteIssue").trigger()
    driver.settle()
    assert driver.issue_model.row_of(issue.id) is not None  # Cancel (Escape) deletes nothing

    driver.answer_next_dialog(lambda box: qtbot.mouseClick(_button(box, "Delete"), Qt.MouseButton.LeftButton))
    driver.window.action("DeleteIssue").trigger()
    driver.settle()
    assert driver.issue_model.row_of(issue.id) is None
    qtbot.mouseClick(driver.child(QPushButton, "undoDeleteButton"), Qt.MouseButton.LeftButton)
    driver.settle()
    assert driver.issue_model.row_of(issue.id) is not None
