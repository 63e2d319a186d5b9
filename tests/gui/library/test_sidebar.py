"""The library sidebar (#16) in the real window on a seeded library (the samples: Import AI 301-310
and 313, Superfast AI, Best in AI): choosing entries, live counts, series header, smart lists,
tags and archive on the list's selection (delete: tests/gui/issues/test_delete_issue.py). Driven
through objectNames and the action table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QMenu

from reader.gui.issues.model import ID_ROLE
from reader.gui.library.dialogs import SmartListDialog, TagsDialog
from reader.gui.library.series_header import SeriesHeader
from reader.gui.library.shelf import ShelfController
from reader.gui.library.sidebar import Entry, LibrarySidebar

if TYPE_CHECKING:
    from tests.gui.conftest import Driver

IMPORT_AI_310 = "0f3bc90a8f73c2dc"
IMPORT_AI_313 = "014716ed6888197c"
SUPERFAST = "33c8433ca45bf63a"


def sidebar(driver: Driver) -> LibrarySidebar:
    return driver.child(LibrarySidebar, "librarySidebar")


def shown_ids(driver: Driver) -> list[str]:
    proxy = driver.issue_proxy
    return [str(proxy.index(row, 0).data(ID_ROLE)) for row in range(proxy.rowCount())]


def settle_counts(driver: Driver) -> None:
    driver.child(ShelfController, "shelfController").refresh_now()
    driver.settle()


def choose(driver: Driver, entry: Entry) -> None:
    assert sidebar(driver).choose(entry), entry
    driver.settle()


def select_rows(driver: Driver, ids: list[str]) -> None:
    table, proxy = driver.issue_list, driver.issue_proxy
    selection = table.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for issue_id in ids:
        selection.select(proxy.index_of(issue_id), flags)


def test_shelves_show_counts_and_choosing_filters_the_list(driver: Driver) -> None:
    settle_counts(driver)
    bar = sidebar(driver)
    assert bar.count_text(Entry("all")) == "13"
    assert bar.count_text(Entry("unread")) == "13"
    assert bar.count_text(Entry("publication", "Import AI")) == "11"
    choose(driver, Entry("publication", "Superfast AI"))
    assert shown_ids(driver) == [SUPERFAST]
    choose(driver, Entry("all"))
    assert len(shown_ids(driver)) == 13


def test_keyboard_moves_through_the_sidebar(driver: Driver) -> None:
    bar = sidebar(driver)
    settle_counts(driver)
    bar.setFocus()
    choose(driver, Entry("all"))
    QTest.keyClick(bar, Qt.Key.Key_Down)  # All -> Unread
    driver.settle()
    assert bar.current_entry() == Entry("unread")
    QTest.keyClick(bar, Qt.Key.Key_Down)  # -> Starred: none yet
    driver.settle()
    assert shown_ids(driver) == []


def test_counts_stay_live_as_issues_are_read(driver: Driver) -> None:
    settle_counts(driver)
    driver.open_from_list(IMPORT_AI_310)
    driver.qtbot.waitUntil(lambda: sidebar(driver).count_text(Entry("unread")) == "12")
    assert sidebar(driver).count_text(Entry("publication", "Import AI")) == "10"


def test_publication_shows_series_header_with_missing_numbers(driver: Driver) -> None:
    choose(driver, Entry("publication", "Import AI"))
    header = driver.child(SeriesHeader, "seriesHeader")
    label = driver.child(QLabel, "seriesSummary")
    driver.qtbot.waitUntil(lambda: "missing #311–#312" in label.text())
    assert header.isVisible() and "11 issues" in label.text() and "#301–#313" in label.text()
    numbers = [driver.issue_model.summary(driver.issue_model.row_of(i)).number for i in shown_ids(driver)]
    assert numbers == sorted(numbers)  # by number
    header.order.setCurrentIndex(header.order.findData("date"))
    choose(driver, Entry("all"))
    assert not header.isVisible()


def _menu_action(driver: Driver, entry: Entry, text: str) -> None:
    menu = QMenu()
    sidebar(driver).menu_requested.emit(menu, entry)
    [action] = [a for a in menu.actions() if a.text() == text]
    action.trigger()


def test_rename_and_merge_publication_from_the_context_menu(driver: Driver) -> None:
    settle_counts(driver)

    def rename(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("Superfast")
        dialog.accept()

    driver.answer_next_dialog(rename)
    _menu_action(driver, Entry("publication", "Superfast AI"), "Rename Publication…")
    assert "Superfast" in driver.window.library.publications()

    def merge(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("Import AI")
        dialog.accept()

    driver.answer_next_dialog(merge)
    _menu_action(driver, Entry("publication", "Superfast"), "Merge Into…")
    settle_counts(driver)
    assert driver.window.library.publications() == ["Best in AI", "Import AI"]
    driver.qtbot.waitUntil(lambda: sidebar(driver).count_text(Entry("publication", "Import AI")) == "12")


def test_save_search_as_smart_list_then_edit_and_delete(driver: Driver) -> None:
    driver.search_box.setText("AlphaZero")
    driver.search_panel.run_now()
    driver.settle()

    def save(dialog: QDialog) -> None:
        assert isinstance(dialog, SmartListDialog)
        dialog.name_edit.setText("Games")
        dialog.accept()

    driver.answer_next_dialog(save)
    driver.window.action("SaveSmartList").trigger()
    assert [s.query for s in driver.window.library.smart_lists()] == ["AlphaZero"]
    driver.qtbot.waitUntil(lambda: sidebar(driver).current_entry() == Entry("smart", "Games"))
    driver.settle()
    expected = {h.id for h in driver.window.library.search("AlphaZero", limit=100)}
    assert set(shown_ids(driver)) == expected and IMPORT_AI_310 in expected
    driver.qtbot.waitUntil(lambda: sidebar(driver).count_text(Entry("smart", "Games")) == str(len(expected)))

    def edit(dialog: QDialog) -> None:
        assert isinstance(dialog, SmartListDialog)
        dialog.query_edit.setText('publication:"Import AI"')
        dialog.accept()

    driver.answer_next_dialog(edit)
    _menu_action(driver, Entry("smart", "Games"), "Edit Smart List…")
    driver.qtbot.waitUntil(lambda: len(shown_ids(driver)) == 11)
    _menu_action(driver, Entry("smart", "Games"), "Delete Smart List")
    driver.settle()
    assert driver.window.library.smart_lists() == []


def test_tag_selected_issues_and_filter_by_tag(driver: Driver) -> None:
    select_rows(driver, [IMPORT_AI_310, IMPORT_AI_313])

    def tag(dialog: QDialog) -> None:
        assert isinstance(dialog, TagsDialog)
        dialog.add_edit.setText("robots, games")
        dialog.accept()

    driver.answer_next_dialog(tag)
    driver.window.action("TagIssues").trigger()
    lib = driver.window.library
    assert lib.issue_tags(IMPORT_AI_310) == lib.issue_tags(IMPORT_AI_313) == ["games", "robots"]
    driver.qtbot.waitUntil(lambda: sidebar(driver).count_text(Entry("tag", "robots")) == "2")
    choose(driver, Entry("tag", "robots"))
    assert sorted(shown_ids(driver)) == sorted([IMPORT_AI_310, IMPORT_AI_313])


def test_tag_a_highlight_from_the_highlights_menu(driver: Driver) -> None:
    lib = driver.window.library
    edit = lib.annotate(IMPORT_AI_310, "AlphaZero")
    shelf = driver.child(ShelfController, "shelfController")

    def tag(dialog: QDialog) -> None:
        assert isinstance(dialog, TagsDialog)
        dialog.add_edit.setText("to-cite")
        dialog.accept()

    driver.answer_next_dialog(tag)
    menu = QMenu()
    driver.highlights_panel.menu_requested.emit(menu, edit.highlight)
    [action] = [a for a in menu.actions() if a.text() == "Tags…"]
    action.trigger()
    assert lib.highlight_tags(IMPORT_AI_310) == {edit.highlight.id: ["to-cite"]}
    shelf.refresh_now()
    driver.qtbot.waitUntil(lambda: sidebar(driver).count_text(Entry("tag", "to-cite")) == "1")


def test_archive_hides_from_all_and_unread_and_shows_in_archived(driver: Driver) -> None:
    settle_counts(driver)
    choose(driver, Entry("all"))
    select_rows(driver, [SUPERFAST])
    driver.window.action("ArchiveIssues").trigger()
    driver.qtbot.waitUntil(lambda: SUPERFAST not in shown_ids(driver))
    assert sidebar(driver).count_text(Entry("archived")) == "1"
    assert sidebar(driver).count_text(Entry("all")) == "12"
    choose(driver, Entry("archived"))
    assert shown_ids(driver) == [SUPERFAST]
    select_rows(driver, [SUPERFAST])
    driver.window.action("ArchiveIssues").trigger()  # all archived: brings them back
    driver.qtbot.waitUntil(lambda: shown_ids(driver) == [])
    assert driver.window.library.archived_ids() == set()




def test_a_smart_list_shows_its_last_counted_issues_at_once(driver: Driver, monkeypatch) -> None:
    # At 10,000 issues reading a smart list again (a search) took 161 ms; the rows its last count
    # found show at once, and the fresh read replaces them only if they changed.
    import threading

    library = driver.window.library
    library.create_smart_list("Chess", "AlphaZero", "date")
    settle_counts(driver)
    expected = set(library.smart_list_issue_ids("Chess"))
    assert expected
    reading, release = threading.Event(), threading.Event()
    real = library.smart_list_issue_ids

    def slow(name: str) -> list[str]:
        reading.set()
        release.wait(10)
        return real(name)

    monkeypatch.setattr(library, "smart_list_issue_ids", slow)
    assert sidebar(driver).choose(Entry("smart", "Chess"))
    driver.qtbot.waitUntil(reading.is_set)
    assert set(shown_ids(driver)) == expected  # before the read again has returned
    release.set()
    driver.settle()
    assert set(shown_ids(driver)) == expected


def test_a_click_on_the_first_row_after_choosing_a_publication_opens_it(qtbot, driver: Driver) -> None:
    # Under Xvfb, a person chose "matklad" in the sidebar and clicked its first issue: the row was
    # selected and the pane still said "Choose an issue to read" (the list had made that row
    # current without selecting it, so the click changed nothing the list listened to).
    settle_counts(driver)
    bar = sidebar(driver)
    item = bar._find(Entry("publication", "Superfast AI"))
    assert item is not None
    bar.scrollToItem(item)
    QTest.mouseClick(bar.viewport(), Qt.MouseButton.LeftButton, pos=bar.visualItemRect(item).center())
    driver.settle()
    table, proxy = driver.issue_list, driver.issue_proxy
    first = proxy.index(0, 0)
    assert shown_ids(driver) and first.isValid()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(first).center())
    driver.settle()
    view = driver.window.findChild(QObject, "issueView")
    assert view is not None and view.issue is not None and view.issue.id == str(first.data(ID_ROLE))
