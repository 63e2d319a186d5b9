"""Notes through the note dialog, colours, undo of recolour/delete/notes, clicks between pane and panel."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu, QToolTip

from reader.core.types import Highlight
from reader.gui.annotations.dialogs import NoteDialog
from reader.gui.annotations.highlight_model import HIGHLIGHT_ROLE

if TYPE_CHECKING:
    from conftest import Driver, Windows


def _open_superfast(driver: Driver) -> str:
    summary = driver.summary_where(publication="Superfast AI")
    driver.open_from_list(summary.id)
    return summary.id


def _panel_rows(driver: Driver) -> list[Highlight]:
    model = driver.highlights_model
    return [model.index(r, 0).data(HIGHLIGHT_ROLE) for r in range(model.rowCount())]


def _add(driver: Driver, issue_id: str, start: int, end: int, colour: str, note: str = "") -> Highlight:
    """Add a highlight the way the window does (so the views hear about it)."""
    made = driver.editor.add(issue_id, start, end, colour, note)
    assert made is not None
    return made


def _hex(window, key: str) -> str:
    return next(c.hex for c in window.library.color_labels() if c.key == key)


def _painted(driver: Driver) -> dict[str, tuple[int, int, str]]:
    """Highlight marks in the pane: selected text -> (start, end, background)."""
    return {
        s.cursor.selectedText(): (s.cursor.selectionStart(), s.cursor.selectionEnd(),
                                  s.format.background().color().name())
        for s in driver.pane.extraSelections()
    }


def test_highlight_and_note_survive_a_restart_and_the_cli_sees_them(
    qtbot, driver: Driver, windows: Windows, seeded_dir: Path
) -> None:
    window = driver.window
    issue_id = _open_superfast(driver)
    driver.select("Embeddings", after="🗞")
    window.findChild(type(window.action("Highlight")), "actionHighlight").trigger()
    driver.select("RLHF", after="Concepts")
    answered = driver.answer_note("**Read** the InstructGPT paper\nsecond line")
    driver.pane.setFocus()
    qtbot.keyClick(driver.pane, Qt.Key.Key_N)  # a selection: the note makes a highlight

    assert len(answered) == 1 and isinstance(answered[0], NoteDialog)
    stored = {h.quote: h for h in window.library.highlights(issue_id)}
    assert set(stored) == {"Embeddings", "RLHF"}
    assert stored["RLHF"].note == "**Read** the InstructGPT paper\nsecond line"
    windows.close(window)

    reopened_driver = windows.driver(windows.open(seeded_dir))  # the last issue opens again
    assert reopened_driver.issue_view.issue is not None and reopened_driver.issue_view.issue.id == issue_id
    rows = _panel_rows(reopened_driver)
    assert [h.quote for h in rows] == sorted(stored, key=lambda q: stored[q].start)
    assert next(h for h in rows if h.quote == "RLHF").note.startswith("**Read**")
    windows.close(reopened_driver.window)

    listed = subprocess.run(
        [sys.executable, "-m", "reader.cli", "--data-dir", str(seeded_dir), "highlights", "--json"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    by_quote = {h["quote"]: h for h in json.loads(listed.stdout)}
    assert by_quote["RLHF"]["note"] == "**Read** the InstructGPT paper\nsecond line"
    assert by_quote["Embeddings"]["issue_id"] == issue_id


def test_digit_keys_pick_a_colour_and_h_reuses_it(qtbot, driver: Driver) -> None:
    window = driver.window
    issue_id = _open_superfast(driver)
    driver.pane.setFocus()
    driver.select("Embeddings", after="🗞")
    qtbot.keyClick(driver.pane, Qt.Key.Key_2)  # second colour: blue, "Question"
    driver.select("RLHF", after="Concepts")
    qtbot.keyClick(driver.pane, Qt.Key.Key_H)

    colours = {h.quote: h.color for h in window.library.highlights(issue_id)}
    assert colours == {"Embeddings": "blue", "RLHF": "blue"}
    assert driver.colours.actions["blue"].text() == "Question"
    assert _painted(driver)["RLHF"][2] == _hex(window, "blue")


def test_recolour_then_ctrl_z_restores_the_colour(qtbot, driver: Driver) -> None:
    window = driver.window
    issue_id = _open_superfast(driver)
    driver.select("RLHF", after="Concepts")
    (highlight,) = [driver.annotations.highlight("yellow")]
    menu = QMenu()
    driver.annotations.fill_highlight_menu(menu, highlight)
    recolour = next(a.menu() for a in menu.actions() if a.menu() is not None)
    next(a for a in recolour.actions() if a.text() == "To act on").trigger()

    assert window.library.highlights(issue_id)[0].color == "green"
    assert _painted(driver)["RLHF"][2] == _hex(window, "green")
    assert window.action("Undo").text() == "&Undo Recolour highlight"
    driver.pane.setFocus()
    qtbot.keyClick(driver.pane, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert window.library.highlights(issue_id)[0].color == "yellow"
    assert _painted(driver)["RLHF"][2] == _hex(window, "yellow")
    assert window.action("Redo").text() == "&Redo Recolour highlight"
    menu.deleteLater()


def test_delete_key_in_the_panel_then_ctrl_z_brings_the_same_highlight_back(qtbot, driver: Driver) -> None:
    window = driver.window
    issue_id = _open_superfast(driver)
    text = window.library.plain_text(issue_id)
    kept = _add(driver, issue_id, text.index("RLHF"), text.index("RLHF") + 4, "pink", "a note")
    row = driver.issue_model.row_of(issue_id)
    assert driver.issue_model.summary(row).highlight_count == 1
    view = driver.highlights_view
    view.setFocus()
    view.setCurrentIndex(driver.highlights_model.index(0, 0))

    qtbot.keyClick(view, Qt.Key.Key_Delete)

    assert window.library.highlights(issue_id) == []
    assert driver.highlights_model.rowCount() == 0
    assert driver.issue_model.summary(row).highlight_count == 0  # the list's count follows
    assert "RLHF" not in _painted(driver)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    (back,) = window.library.highlights(issue_id)
    assert (back.id, back.note, back.color, back.created) == (kept.id, "a note", "pink", kept.created)
    assert driver.issue_model.summary(row).highlight_count == 1
    assert "RLHF" in _painted(driver)


def test_note_edit_and_issue_note_are_undoable(qtbot, driver: Driver) -> None:
    window = driver.window
    issue_id = _open_superfast(driver)
    driver.select("RLHF", after="Concepts")
    highlight = driver.annotations.highlight()
    driver.answer_note("first thoughts")
    driver.press(Qt.Key.Key_N)  # no selection: the highlight just made
    assert window.library.highlights(issue_id)[0].note == "first thoughts"

    driver.answer_note("Worth a *re-read*")
    driver.press(Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)

    assert window.library.get_issue(issue_id).note == "Worth a *re-read*"
    assert driver.highlights_panel.note.isVisibleTo(window)
    assert "re-read" in driver.highlights_panel.note.text()
    driver.editor.stack.undo()
    assert window.library.get_issue(issue_id).note == ""
    assert not driver.highlights_panel.note.isVisibleTo(window)
    driver.editor.stack.undo()
    assert window.library.highlights(issue_id)[0].note == ""
    driver.editor.stack.undo()
    assert window.library.highlights(issue_id) == []  # the highlight itself
    driver.editor.stack.redo()
    assert [h.id for h in window.library.highlights(issue_id)] == [highlight.id]


def test_a_cancelled_note_dialog_makes_no_highlight(qtbot, driver: Driver) -> None:
    window = driver.window
    issue_id = _open_superfast(driver)
    driver.select("RLHF", after="Concepts")
    driver.answer_next_dialog(lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    driver.pane.setFocus()
    qtbot.keyClick(driver.pane, Qt.Key.Key_N)
    assert window.library.highlights(issue_id) == []


def test_clicking_a_panel_row_moves_the_pane_to_the_highlight(qtbot, driver: Driver) -> None:
    window = driver.window
    issue_id = _open_superfast(driver)
    text = window.library.plain_text(issue_id)
    last = text.rindex("RLHF")
    _add(driver, issue_id, 10, 30, "yellow")
    target = _add(driver, issue_id, last, last + 4, "green")
    driver.pane.verticalScrollBar().setValue(0)
    view = driver.highlights_view
    index = driver.highlights_model.index(1, 0)
    assert index.data(HIGHLIGHT_ROLE).id == target.id

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())

    start, _end, _ = _painted(driver)["RLHF"]
    assert driver.pane.textCursor().position() == start
    assert not driver.pane.textCursor().hasSelection()  # "h" must not highlight it twice
    flashes = [s for s in driver.pane.extraSelections() if s.cursor.selectionStart() == start]
    assert len(flashes) == 2  # the highlight and its flash
    rect = driver.pane.cursorRect(driver.pane.textCursor())
    assert 0 <= rect.top() < driver.pane.viewport().height()


def test_clicking_a_highlight_in_the_pane_selects_it_in_the_panel(qtbot, driver: Driver) -> None:
    window = driver.window
    issue_id = _open_superfast(driver)
    text = window.library.plain_text(issue_id)
    at = text.index("RLHF")
    _add(driver, issue_id, 10, 30, "yellow")
    target = _add(driver, issue_id, at, at + 4, "blue", "see InstructGPT")
    start, _end, _ = _painted(driver)["RLHF"]
    cursor = QTextCursor(driver.pane.document())
    cursor.setPosition(start + 2)
    driver.pane.setTextCursor(cursor)
    driver.pane.ensureCursorVisible()
    pos = driver.pane.cursorRect(cursor).center()

    qtbot.mouseClick(driver.pane.viewport(), Qt.MouseButton.LeftButton, pos=pos)

    assert driver.highlights_panel.current_highlight().id == target.id
    assert QToolTip.text() == "<qt><p>see InstructGPT</p></qt>"  # the note, rendered from Markdown
    menu = QMenu()
    driver.annotations.fill_pane_menu(menu, start + 2)
    labels = [a.text() for a in menu.actions()]
    assert {"&Recolour", "Edit &Note…", "&Delete Highlight"} <= set(labels)
    menu.deleteLater()
