"""Searching from the toolbar: results, marking every match in the issue, F3, errors, Esc."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from reader.gui.mainwindow.window import LIST_PAGE, SEARCH_PAGE
from reader.gui.search import panel as search_panel

if TYPE_CHECKING:
    from conftest import Driver


def _activate_first_result(driver: Driver) -> str:
    panel = driver.search_panel
    first = panel.model.index(0, 0)
    panel.results.activated.emit(first)
    return panel.model.hit(0).id


def test_typing_searches_in_the_background_and_lists_hits(driver: Driver) -> None:
    driver.search("robots")

    panel = driver.search_panel
    assert driver.left.currentIndex() == SEARCH_PAGE
    assert panel.model.rowCount() > 0
    assert "<b>" in panel.model.index(0, 0).data(Qt.ItemDataRole.UserRole + 2)  # matched words bold
    assert panel.status.text().endswith("results")


def test_activating_a_result_marks_every_match_and_f3_moves(qtbot, driver: Driver) -> None:
    window = driver.window
    driver.search("robots")
    issue_id = _activate_first_result(driver)

    core_text = window.library.plain_text(issue_id)
    title = driver.pane.document().firstBlock().text()
    in_title = [title[s.start : s.end] for s in window.library.match_spans("robots", title)]
    in_body = [core_text[s.start : s.end] for s in window.library.find_matches(issue_id, "robots")]
    spans = in_title + in_body
    marked = [s.cursor.selectedText() for s in driver.pane.extraSelections()]
    assert driver.issue_view.issue.id == issue_id
    assert len(spans) > 1
    assert marked == spans  # same text, same order: the title's, then the body's
    assert all(text.lower().startswith("robot") for text in marked)
    assert driver.match_label.text() == f"1 of {len(spans)}"

    driver.pane.setFocus()
    qtbot.keyClick(driver.pane, Qt.Key.Key_F3)
    assert driver.match_label.text() == f"2 of {len(spans)}"
    qtbot.keyClick(driver.pane, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(driver.pane, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert driver.match_label.text() == f"{len(spans)} of {len(spans)}"  # wraps around


def test_a_malformed_query_is_explained_under_the_box(driver: Driver) -> None:
    driver.search("NOT robots")

    panel = driver.search_panel
    assert panel.model.rowCount() == 0
    assert panel.status.isVisible()
    assert panel.status.text().startswith("Can't search for that:")
    assert "leave out" in panel.status.text()  # the core's reason, in words


def test_no_results_says_so(driver: Driver) -> None:
    driver.search("zyxwvutsrq")
    assert driver.search_panel.status.text() == "No issues match “zyxwvutsrq”."


def test_newest_order_searches_again_by_date(driver: Driver) -> None:
    driver.search("model")
    panel = driver.search_panel
    panel.set_sort("date")
    driver.qtbot.waitUntil(lambda: not driver.runner.busy)
    dates = [panel.model.hit(r).date or "" for r in range(panel.model.rowCount())]
    expected = driver.window.library.search("model", limit=search_panel.PAGE, sort="date")
    assert [h.id for h in expected] == [panel.model.hit(r).id for r in range(panel.model.rowCount())]
    assert dates == sorted(dates, reverse=True) or any(not d for d in dates)


def test_slash_focuses_the_box_and_escape_returns_to_the_list(qtbot, driver: Driver) -> None:
    driver.issue_list.setFocus()
    qtbot.keyClick(driver.issue_list, Qt.Key.Key_Slash)
    assert driver.search_box.hasFocus()
    driver.search("robots")

    qtbot.keyClick(driver.search_box, Qt.Key.Key_Escape)

    assert driver.search_box.text() == ""
    assert driver.left.currentIndex() == LIST_PAGE
    assert driver.issue_list.hasFocus()


def test_match_marks_follow_the_theme(driver: Driver) -> None:
    from reader.gui.reading.theme import THEMES

    driver.search("robots")
    _activate_first_result(driver)
    driver.appearance.set_theme("dark")

    backgrounds = {s.format.background().color().name() for s in driver.pane.extraSelections()}
    assert backgrounds == {THEMES["dark"].match, THEMES["dark"].current_match}


def test_results_come_a_page_at_a_time_and_scrolling_to_the_end_fetches_the_next(
    driver: Driver, monkeypatch
) -> None:
    monkeypatch.setattr(search_panel, "PAGE", 4)
    panel = driver.search_panel
    every = [(h.id, h.highlight_id) for h in driver.window.library.search("model", limit=100)]
    assert len(every) > 8  # the samples have more than two pages of them

    driver.search("model")
    assert panel.model.rowCount() == 4
    assert panel.status.text() == f"{len(every)} results"  # the whole count, not the page's

    panel.results.setFixedHeight(80)  # short enough that four rows overflow
    driver.qtbot.waitUntil(lambda: panel.results.verticalScrollBar().maximum() > 0)
    panel.results.verticalScrollBar().setValue(panel.results.verticalScrollBar().maximum())
    driver.qtbot.waitUntil(lambda: panel.model.rowCount() == 8 and not driver.runner.busy)

    while panel.load_more():
        driver.qtbot.waitUntil(lambda: not driver.runner.busy)
    shown = [(panel.model.hit(r).id, panel.model.hit(r).highlight_id) for r in range(panel.model.rowCount())]
    assert shown == every  # pages add up to the whole ranking, in order, nothing twice
    assert panel.status.text() == f"{len(every)} results"


def test_a_click_on_a_result_opens_it_at_its_matches(qtbot, driver: Driver) -> None:
    # Under Xvfb a person clicked a search result: it was selected and the pane stayed where it was
    # (results opened on "activated" only: a double-click or Enter).
    from PySide6.QtTest import QTest

    driver.search("robots")
    panel = driver.search_panel
    assert panel.model.rowCount() > 1
    view = panel.results
    second = panel.model.index(1, 0)
    view.scrollTo(second)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(second).center())
    qtbot.waitUntil(lambda: driver.issue_view.issue is not None and driver.issue_view.issue.id == panel.model.hit(1).id)
    assert driver.pane.extraSelections()  # its matches are marked
    assert driver.match_label.text().startswith("1 of ")
