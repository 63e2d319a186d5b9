"""Search in the window: the whole count, "Did you mean …" to click, matches in the title (issue #15)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from reader.gui.search import panel as search_panel

if TYPE_CHECKING:
    from conftest import Driver


def test_the_status_says_how_many_results_there_are_in_all(driver: Driver, monkeypatch) -> None:
    monkeypatch.setattr(search_panel, "PAGE", 4)  # a page smaller than the hits, as 50 is at 10,000 issues
    total = driver.window.library.count("model")
    assert total > 4

    driver.search("model")

    assert driver.search_panel.model.rowCount() == 4
    assert driver.search_panel.status.text() == f"{total} results"
    assert not driver.search_panel.suggestion.isVisible()  # plenty of results: nothing to suggest


def test_a_misspelling_offers_did_you_mean_and_clicking_it_searches(qtbot, driver: Driver) -> None:
    panel = driver.search_panel
    driver.search("robts")
    assert panel.status.text() == "No issues match “robts”."
    assert panel.suggestion.isVisible()
    assert panel.suggestion.text() == "Did you mean “robots”?"

    qtbot.mouseClick(panel.suggestion, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.query == "robots" and not driver.runner.busy)

    assert driver.search_box.text() == "robots"
    count = driver.window.library.count("robots")
    assert panel.status.text() == f"{count} result{'s' * (count != 1)}"
    assert panel.model.rowCount() == count > 0
    assert not panel.suggestion.isVisible()


def test_opening_a_result_marks_the_query_in_the_title_too(driver: Driver) -> None:
    driver.search("robots")
    panel = driver.search_panel
    row = next(r for r in range(panel.model.rowCount()) if panel.model.hit(r).title.startswith("Import AI 313"))
    panel.results.activated.emit(panel.model.index(row, 0))

    document = driver.pane.document()
    title_block = document.findBlockByNumber(0)
    assert title_block.text().startswith("Import AI 313: Smarter robots")
    in_title = [
        s for s in driver.pane.extraSelections()
        if document.findBlock(s.cursor.selectionStart()) == title_block
    ]
    assert [s.cursor.selectedText().lower() for s in in_title] == ["robots"]
    assert driver.match_label.text().endswith(f"of {driver.pane.match_count}")
