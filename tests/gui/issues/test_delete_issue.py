"""Issue ▸ Delete… (Delete): the list's selection (one issue or many) goes after one confirmation naming
what goes with it; one Edit ▸ Undo brings all of it back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton

from reader.gui.issues.model import ID_ROLE

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


def _click_row(driver: Driver, row: int, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> str:
    """Click a row of the issue list as a person does (Shift held extends the selection); its issue's id."""
    table = driver.issue_list
    index = table.model().index(row, 1)
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifiers, table.visualRect(index).center())
    driver.settle()
    return str(index.data(ID_ROLE))


def test_delete_a_shift_click_selection_at_once_and_one_undo_restores_both_with_their_tags(
    qtbot, driver: Driver
) -> None:
    window, model = driver.window, driver.issue_model
    library = window.library
    driver.issue_list.setFocus()
    first = _click_row(driver, 0)
    second = _click_row(driver, 1, Qt.KeyboardModifier.ShiftModifier)
    assert driver.list_panel.selected_ids() == [first, second]
    library.tag_issues([first, second], ["keep-me"])
    highlight = library.add_highlight(second, 0, 10, "yellow", "a note").highlight
    library.tag_highlight(highlight.id, ["quoted"])
    before = model.rowCount()
    asked: list[str] = []

    def confirm(box: QMessageBox) -> None:
        asked.append(f"{box.windowTitle()}: {box.text()}")
        qtbot.mouseClick(_button(box, "Delete"), Qt.MouseButton.LeftButton)

    answered = driver.answer_next_dialog(confirm)
    qtbot.keyClick(driver.issue_list, Qt.Key.Key_Delete)
    assert answered, "no confirmation was asked"
    driver.settle()
    assert asked == ["Delete Issues: Delete 2 issues and their 1 highlight and 1 note?"]  # one question for both
    assert model.row_of(first) is None and model.row_of(second) is None and model.rowCount() == before - 2
    assert window.statusBar().currentMessage().startswith("Deleted 2 issues")

    driver.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one Edit ▸ Undo
    driver.settle()
    assert model.row_of(first) is not None and model.row_of(second) is not None and model.rowCount() == before
    assert library.issue_tags(first) == library.issue_tags(second) == ["keep-me"]
    assert library.highlight_tags(second) == {highlight.id: ["quoted"]}
    assert [h.note for h in library.highlights(second)] == ["a note"]


def test_one_delete_command_in_the_menus_with_delete_and_shift_delete(driver: Driver) -> None:
    actions = [a for a in driver.window.findChildren(QAction) if a.text().startswith("&Delete") and a.menu() is None]
    deleting = [a for a in actions if "Highlight" not in a.text()]
    assert [a.objectName() for a in deleting] == ["actionDeleteIssue"]
    assert [k.toString() for k in deleting[0].shortcuts()] == ["Del", "Shift+Del"]
