"""Issue ▸ Edit Details… (Ctrl+E): correct the title, publication, number, date and author."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from reader.gui.issues.details import IssueDetailsDialog

if TYPE_CHECKING:
    from conftest import Driver

SHOTS = os.environ.get("BACKISSUE_SHOTS")


def _type(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def test_edit_details_saves_to_the_library_and_the_list_and_refuses_a_bad_date(qtbot, driver: Driver) -> None:
    issue = driver.summary_where(publication="Superfast AI")
    driver.open_from_list(issue.id)
    seen: list[str] = []

    def fill(dialog: IssueDetailsDialog) -> None:
        assert isinstance(dialog, IssueDetailsDialog)
        assert dialog.fields["title"].text() == issue.title
        if SHOTS:
            dialog.grab().save(str(Path(SHOTS) / "edit-details.png"))
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        _type(qtbot, dialog.fields["date"], "2023-02-30")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        seen.append(dialog.problem.text())  # refused: the dialog stays open and says why
        assert dialog.isVisible()
        _type(qtbot, dialog.fields["date"], "2023-01-15")
        _type(qtbot, dialog.fields["title"], "Welcome, corrected")
        _type(qtbot, dialog.fields["number"], "7")
        _type(qtbot, dialog.fields["author"], "Ada")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    answered = driver.answer_next_dialog(fill)
    driver.press(Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert answered
    driver.settle()

    assert seen and seen[0].startswith("Not saved:")
    stored = driver.window.library.get_issue(issue.id)
    assert (stored.title, stored.number, stored.date, stored.author) == ("Welcome, corrected", 7, "2023-01-15", "Ada")
    row = driver.issue_model.row_of(issue.id)
    assert row is not None and driver.issue_model.summary(row).title == "Welcome, corrected"
    assert "Welcome, corrected" in driver.pane.toPlainText()  # the pane's header shows it
