"""Notes are Markdown: the highlights panel and the notebook show them rendered and whole (issue #15)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetricsF, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from reader.gui.annotations.highlight_model import HIGHLIGHT_ROLE
from reader.gui.annotations.notebook_model import ISSUE_ID_ROLE

if TYPE_CHECKING:
    from conftest import Driver

# A note as people write them in the note dialog: Markdown, and longer than two lines of a panel.
NOTE = (
    "Check *RT-1* against **Gato**: both train one policy on many tasks, but RT-1 tokenises "
    "actions and runs at 3 Hz on a real robot, while Gato plays Atari and captions images as well. "
    "Worth comparing the evaluation kitchens, the number of demonstrations and the unseen tasks."
)


def _note_on_kitchen(qtbot, driver: Driver) -> str:
    """Select a word of the Import AI sample (seeds/000_...txt), highlight it with N and write NOTE."""
    summary = driver.summary_where(publication="Import AI", number=313)
    driver.open_from_list(summary.id)
    driver.select("Kitchen1")
    driver.answer_note(NOTE)
    driver.pane.setFocus()
    qtbot.keyClick(driver.pane, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: driver.highlights_model.rowCount() == 1)
    return summary.id


def test_the_highlights_panel_shows_the_whole_note_rendered(qtbot, driver: Driver) -> None:
    _note_on_kitchen(qtbot, driver)
    view = driver.highlights_view
    index = driver.highlights_model.index(0, 0)
    rect = view.visualRect(index)

    # the row grows to hold the whole note (it was cut to two lines, "✎ Check *RT-1*…")
    lines = rect.height() / QFontMetricsF(view.font()).lineSpacing()
    assert lines >= 5, f"the row is {lines:.1f} lines high"
    # hovering it shows the note rendered, not its asterisks
    at = rect.center()
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert "<em>RT-1</em>" in QToolTip.text() and "<strong>Gato</strong>" in QToolTip.text()
    assert "*" not in index.data()  # what screen readers are given: the note's words
    QToolTip.hideText()


def test_the_notebook_lists_notes_rendered_and_shows_them_whole(qtbot, driver: Driver) -> None:
    issue_id = _note_on_kitchen(qtbot, driver)
    driver.press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    model = driver.notebook.model
    qtbot.waitUntil(lambda: not driver.runner.busy and model.rowCount() > 0)
    parent = next(model.index(r, 0) for r in range(model.rowCount())
                  if model.index(r, 0).data(ISSUE_ID_ROLE) == issue_id)
    row = next(model.index(r, 0, parent) for r in range(model.rowCount(parent))
               if model.index(r, 0, parent).data(HIGHLIGHT_ROLE) is not None)
    assert "*RT-1*" not in row.data() and "RT-1" in row.data()

    tree = driver.notebook.tree
    tree.scrollTo(row)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(row).center())

    detail = driver.notebook.detail
    assert detail.textFormat() == Qt.TextFormat.RichText
    assert "<em>RT-1</em>" in detail.text()
    assert "unseen tasks" in detail.text()  # the whole note
