"""The Notebook: every highlight and note grouped by issue, filters, going to a highlight, export/import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.core.types import Highlight, IssueSummary
from reader.gui.annotations.highlight_model import HIGHLIGHT_ROLE
from reader.gui.annotations.notebook_model import ISSUE_ID_ROLE, NotebookIssue, NotebookModel
from reader.gui.search.model import hit_plain

if TYPE_CHECKING:
    from conftest import Driver


def _annotate(driver: Driver) -> dict[str, Highlight]:
    """Three highlights in two issues (one with a note) and an issue note, made through the window."""
    window = driver.window
    superfast = driver.summary_where(publication="Superfast AI").id
    robots = driver.summary_where(number=313).id
    made = {}
    for issue_id, word, colour, note in (
        (superfast, "RLHF", "yellow", "zebra crossing idea"),
        (superfast, "Embeddings", "blue", ""),
        (robots, "robots", "blue", ""),
    ):
        text = window.library.plain_text(issue_id)
        at = text.index(word)
        made[word] = driver.editor.add(issue_id, at, at + len(word), colour, note)
    driver.editor.set_issue_note(robots, "Come back to the robotics part")
    return made


def _show_notebook(driver: Driver) -> NotebookModel:
    window = driver.window
    driver.press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert driver.notebook_dock.isVisible()
    assert window.action("Notebook").isChecked()
    driver.qtbot.waitUntil(lambda: not driver.runner.busy and driver.notebook.model.rowCount() > 0)
    return driver.notebook.model


def _tree(model: NotebookModel) -> dict[str, list[str]]:
    """Issue id -> the texts of its child rows."""
    tree = {}
    for row in range(model.rowCount()):
        issue = model.index(row, 0)
        tree[issue.data(ISSUE_ID_ROLE)] = [model.index(r, 0, issue).data() for r in range(model.rowCount(issue))]
    return tree


def test_notebook_groups_by_issue_and_filters(qtmodeltester, driver: Driver) -> None:
    made = _annotate(driver)
    model = _show_notebook(driver)
    superfast, robots = made["RLHF"].issue_id, made["robots"].issue_id

    tree = _tree(model)
    assert set(tree) == {superfast, robots}
    assert tree[robots][0] == "Issue note: Come back to the robotics part"
    in_reading_order = sorted(("RLHF", "Embeddings"), key=lambda w: made[w].start)
    assert [t.split("”")[0] for t in tree[superfast]] == [f"“{w}" for w in in_reading_order]
    assert any("✎ zebra crossing idea" in t for t in tree[superfast])
    qtmodeltester.check(model, force_py=True)

    notebook = driver.notebook
    notebook.colour.setCurrentIndex(notebook.colour.findData("blue"))
    assert {k: len(v) for k, v in _tree(model).items()} == {superfast: 1, robots: 1}  # no issue note
    notebook.text.setText("ZEBRA")
    assert _tree(model) == {}  # zebra is on the yellow one
    notebook.colour.setCurrentIndex(0)
    assert list(_tree(model)) == [superfast]
    assert notebook.count.text() == "1 highlight"
    notebook.text.clear()
    notebook.publication.setCurrentIndex(notebook.publication.findData("Import AI"))
    assert list(_tree(model)) == [robots]
    qtmodeltester.check(model, force_py=True)


def test_activating_a_notebook_row_opens_the_issue_at_the_highlight(driver: Driver) -> None:
    made = _annotate(driver)
    model = _show_notebook(driver)
    driver.open_from_list(made["robots"].issue_id)
    issue_row = next(r for r in range(model.rowCount())
                     if model.index(r, 0).data(ISSUE_ID_ROLE) == made["RLHF"].issue_id)
    parent = model.index(issue_row, 0)
    child = next(model.index(r, 0, parent) for r in range(model.rowCount(parent))
                 if model.index(r, 0, parent).data(HIGHLIGHT_ROLE).quote == "RLHF")

    driver.notebook.tree.activated.emit(child)

    assert driver.issue_view.issue.id == made["RLHF"].issue_id
    cursor = driver.pane.textCursor()
    painted = {s.cursor.selectedText(): s.cursor.selectionStart() for s in driver.pane.extraSelections()}
    assert cursor.position() == painted["RLHF"]
    assert driver.highlights_panel.current_highlight().id == made["RLHF"].id


def test_a_search_hit_in_a_note_says_so_and_opens_at_the_highlight(driver: Driver) -> None:
    made = _annotate(driver)
    driver.open_from_list(made["robots"].issue_id)
    driver.search("zebra")

    panel = driver.search_panel
    hits = [panel.model.hit(r) for r in range(panel.model.rowCount())]
    (hit,) = [h for h in hits if h.highlight_id == made["RLHF"].id]
    assert hit.kind == "note"
    assert "in your note" in hit_plain(hit)
    row = hits.index(hit)
    panel.results.activated.emit(panel.model.index(row, 0))

    assert driver.issue_view.issue.id == made["RLHF"].issue_id
    assert driver.highlights_panel.current_highlight().id == made["RLHF"].id
    painted = {s.cursor.selectedText(): s.cursor.selectionStart() for s in driver.pane.extraSelections()}
    assert driver.pane.textCursor().position() == painted["RLHF"]


def test_export_json_then_import_it_back_after_a_delete(monkeypatch, driver: Driver, tmp_path: Path) -> None:
    made = _annotate(driver)
    _show_notebook(driver)
    window = driver.window
    out = tmp_path / "annotations.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "md"))
    reports: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: reports.append(text))

    _click(driver, "notebookExportJson")
    _click(driver, "notebookExportMarkdown")
    assert json.loads(out.read_text(encoding="utf-8"))
    assert len(list((tmp_path / "md").glob("*.md"))) == 2
    driver.editor.delete(made["robots"])
    assert driver.issue_model.summary(driver.issue_model.row_of(made["robots"].issue_id)).highlight_count == 0

    _click(driver, "notebookImport")

    assert reports and reports[0].startswith("1 added")
    assert made["robots"].id in {h.id for h in window.library.highlights()}
    row = driver.issue_model.row_of(made["robots"].issue_id)
    assert driver.issue_model.summary(row).highlight_count == 1


def _click(driver: Driver, name: str) -> None:
    from PySide6.QtWidgets import QPushButton

    button = driver.notebook.findChild(QPushButton, name)
    assert button is not None, name
    driver.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    driver.qtbot.waitUntil(lambda: not driver.runner.busy)


def test_thousands_of_highlights_filter_in_the_model() -> None:
    issues = []
    for i in range(200):
        summary = IssueSummary(id=f"i{i}", publication=("Alpha", "Beta")[i % 2], title=f"Issue {i}")
        highlights = tuple(
            Highlight(id=f"h{i}-{j}", issue_id=summary.id, quote=f"quote {j} of {i}", prefix="", suffix="",
                      start=j * 10, end=j * 10 + 5, color=("yellow", "blue")[j % 2])
            for j in range(25)
        )
        issues.append(NotebookIssue(summary, "", highlights))
    model = NotebookModel(lambda: {"yellow": "#f9e27d", "blue": "#9fd0f5"})
    model.set_issues(issues)
    assert model.highlight_count() == 5000
    model.set_filter(colour="blue", publication="Beta", text="of 7")
    shown = {model.index(r, 0).data(ISSUE_ID_ROLE) for r in range(model.rowCount())}
    assert shown == {f"i{i}" for i in range(200) if i % 2 and "of 7" in f"quote 0 of {i}"}
    assert model.highlight_count() == 12 * len(shown)


def _row_of(model: NotebookModel, quote: str):
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            value = index.data(HIGHLIGHT_ROLE)
            if isinstance(value, Highlight) and value.quote == quote:
                return index
    raise AssertionError(f"no row for {quote!r}")


def _menu_action(driver: Driver, quote: str, text: str):
    menu = driver.notebook.menu_for(_row_of(driver.notebook.model, quote))
    assert menu is not None
    (action,) = [a for a in menu.actions() if a.text().replace("&", "") == text]
    return action


def test_a_notes_menu_in_the_notebook_edits_and_deletes_highlights_undoably(driver: Driver) -> None:
    made = _annotate(driver)
    model = _show_notebook(driver)
    window = driver.window

    answered = driver.answer_note("zebra crossing, revised")
    _menu_action(driver, "RLHF", "Edit Note…").trigger()
    assert answered
    driver.qtbot.waitUntil(lambda: _row_of(model, "RLHF").data(HIGHLIGHT_ROLE).note == "zebra crossing, revised")
    assert window.library.highlights(made["RLHF"].issue_id)[0].note == "zebra crossing, revised"

    _menu_action(driver, "Embeddings", "Delete Highlight").trigger()
    driver.qtbot.waitUntil(lambda: driver.notebook.count.text() == "2 highlights")
    assert made["Embeddings"].id not in {h.id for h in window.library.highlights()}

    driver.editor.stack.undo()  # Ctrl+Z brings it back
    driver.qtbot.waitUntil(lambda: driver.notebook.count.text() == "3 highlights")
    assert _row_of(model, "Embeddings").data(HIGHLIGHT_ROLE).id == made["Embeddings"].id


def test_issue_rows_have_no_highlight_menu(driver: Driver) -> None:
    _annotate(driver)
    model = _show_notebook(driver)
    assert driver.notebook.menu_for(model.index(0, 0)) is None
