"""The Links view, an issue's Links and Related tabs, and the topic timeline in the real window (issue #17).

The library holds the samples (title-only "Read more: … (arXiv)." citations) plus three Markdown issues
whose links have real newsletter shapes (tests/fixtures/links; see tests/core/test_links_urls.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QTableView, QTabWidget

from reader.core import Library
from reader.gui.links import works_model
from reader.gui.links.timeline import TimelineChart
from reader.gui.links.works_model import WORK_ROLE
from reader.gui.mainwindow.window import MainWindow
from tests.gui.conftest import Driver, Windows

LINKS = Path(__file__).resolve().parents[2] / "fixtures" / "links"
SHOTS = Path(__file__).resolve().parents[3] / "resources" / "screenshots"


@pytest.fixture
def linked_dir(seeded_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "linked"
    shutil.copytree(seeded_template, target)
    with Library(target) as lib:
        lib.import_paths(sorted(LINKS.glob("*.md")))
    return target


@pytest.fixture
def opened(windows: Windows, linked_dir: Path) -> tuple[MainWindow, Driver]:
    window = windows.open(linked_dir)
    return window, windows.driver(window)


def _table(driver: Driver) -> QTableView:
    return driver.child(QTableView, "linksTable")


def _show_links(window: MainWindow, driver: Driver) -> QTableView:
    window.action("LinksView").trigger()
    table = _table(driver)
    driver.qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    return table


def test_links_view_lists_works_sorted_and_filtered(opened: tuple[MainWindow, Driver]) -> None:
    window, driver = opened
    table = _show_links(window, driver)
    assert driver.child(QTableView, "linksTable").isVisible()
    top = table.model().index(0, 0).data(WORK_ROLE)
    # Most cited first: RT-1, linked by the three fixtures and cited by title in the sample Import AI 313
    # ("Check out the website: RT-1: Robotics Transformer for Real-World Control at Scale (official website).")
    assert (top.key, top.issues) == ("arxiv:2212.06817", 4)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # sorted by the library, in the background
    driver.qtbot.waitUntil(lambda: table.model().index(0, 0).data(WORK_ROLE).key != top.key)
    titles = [table.model().index(r, 0).data() for r in range(table.model().rowCount())]
    assert titles == sorted(titles, key=str.lower)
    site = driver.child(QComboBox, "linksSite")
    driver.qtbot.waitUntil(lambda: site.count() > 1)
    assert site.itemText(1).startswith("arxiv.org (")  # the sites with most works first
    site.setCurrentText("github.com")
    driver.qtbot.waitUntil(lambda: {table.model().index(r, 0).data(WORK_ROLE).site
                                    for r in range(table.model().rowCount())} == {"github.com"})
    works = [table.model().index(r, 0).data(WORK_ROLE) for r in range(table.model().rowCount())]
    assert {"github:google-research/robotics_transformer", "github:huggingface/transformers"} <= {w.key for w in works}
    site.setCurrentText("arxiv.org")
    driver.qtbot.waitUntil(lambda: table.model().rowCount() >= 12)  # the samples' "(arXiv)" and the linked papers
    count = driver.child(QLabel, "linksCount")
    driver.child(QLineEdit, "linksFilter").setText("robotics transformer")
    driver.qtbot.waitUntil(lambda: [table.model().index(r, 0).data(WORK_ROLE).key
                                    for r in range(table.model().rowCount())] == ["arxiv:2212.06817"])
    assert count.text().startswith("1 of ")


def test_the_table_reads_more_works_as_it_is_scrolled(opened: tuple[MainWindow, Driver],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(works_model, "PAGE", 5)
    window, driver = opened
    table = _show_links(window, driver)
    model = table.model()
    assert model.rowCount() % 5 == 0 and model.matching > 10  # pages (the view fills its height)
    while model.rowCount() < model.matching:  # the view asks the model for more (fetchMore)
        table.scrollToBottom()
        driver.qtbot.waitUntil(lambda: not driver.runner.busy)
    keys = [model.index(r, 0).data(WORK_ROLE).key for r in range(model.rowCount())]
    assert len(keys) == len(set(keys)) == len(window.library.links())


def test_choosing_a_work_lists_citations_and_opens_the_issue_at_the_link(opened: tuple[MainWindow, Driver]) -> None:
    window, driver = opened
    table = _show_links(window, driver)
    window.findChild(QLineEdit, "linksFilter").setText("robotics transformer")
    table.selectRow(0)
    citations = driver.child(QListWidget, "linksCitations")
    driver.qtbot.waitUntil(lambda: citations.count() == 5)  # Import AI 313 cites it twice, by title
    assert "“Researchers at Google trained RT-1, a transformer" in citations.item(1).text()
    citations.itemActivated.emit(citations.item(1))
    driver.qtbot.waitUntil(lambda: window.windowTitle().startswith("The Batch 180"))
    cursor = driver.pane.textCursor()
    text = driver.pane.toPlainText()
    assert text[cursor.position():cursor.position() + 4] == "RT-1"


def test_issue_links_tab_says_how_often_each_is_cited_elsewhere(opened: tuple[MainWindow, Driver]) -> None:
    window, driver = opened
    batch = next(s.id for s in window.library.list_issues() if s.publication == "The Batch")
    window.open_issue(batch)
    links = driver.child(QListWidget, "issueLinksList")
    driver.qtbot.waitUntil(lambda: links.count() >= 5)
    texts = [links.item(i).text() for i in range(links.count())]
    assert "RT-1\narxiv.org · also cited in 3 other issues" in texts
    assert "survey of labs\ndeeplearning.us20.list-manage.com · only here" in texts
    tabs = driver.child(QTabWidget, "issueLinksTabs")
    assert tabs.tabText(0) == "Links (5)"  # arXiv, GitHub, DOI, the Mailchimp click, YouTube
    related = driver.child(QListWidget, "relatedList")
    driver.qtbot.waitUntil(lambda: related.count() > 0 and "Import AI" in related.item(0).text())
    assert "cites" in related.item(0).text()
    links.itemClicked.emit(links.item(0))  # go to the link in the pane
    driver.qtbot.waitUntil(lambda: driver.pane.textCursor().position() > 0)


def test_timeline_draws_a_search_by_month_and_publication(opened: tuple[MainWindow, Driver]) -> None:
    window, driver = opened
    window.action("Timeline").trigger()
    box = driver.child(QLineEdit, "timelineQuery")
    box.setText("robots")
    box.returnPressed.emit()
    chart = driver.child(TimelineChart, "timelineChart")
    summary = driver.child(QLabel, "timelineSummary")
    driver.qtbot.waitUntil(lambda: bool(summary.text()))
    expected = {(b.month, b.publication, b.issues) for b in window.library.timeline("robots") if b.month}
    assert {(b.month, b.publication, b.issues) for b in chart.buckets} == expected
    assert {("2023-01", "Import AI", 1), ("2023-02", "The Batch", 1), ("2023-03", "Import AI", 1)} <= expected
    assert "undated, not drawn" in summary.text()  # most samples have no date
