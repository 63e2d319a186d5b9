"""The window stays responsive: list reads off the main thread, coalesced progress, cached result layout."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from reader.core import Job, Library
from reader.core.types import Changes, FileResult, ImportProgress, ImportReport, ProgressCallback
from reader.gui.issues.model import ID_ROLE, TITLE, IssueTableModel

if TYPE_CHECKING:
    from conftest import Driver


def _write_issues(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        text = f"# Garden Notes {n}\n\nIssue {n} is about compost and robots.\n"
        (folder / f"garden-{n}.md").write_text(text, encoding="utf-8")


def test_an_import_reads_the_list_off_the_main_thread_and_keeps_the_open_issue_selected(
    qtbot, driver: Driver, tmp_path: Path
) -> None:
    window = driver.window
    opened = driver.summary_where(number=313)
    driver.open_from_list(opened.id)
    readers: list[int] = []
    real_load = window.library.list_issues

    def load() -> list:
        readers.append(threading.get_ident())
        return real_load()

    driver.issue_model._load_all = load  # observe where the list is read (the Library call is unchanged)
    before = driver.issue_model.rowCount()

    _write_issues(tmp_path / "gardens", 12)
    window.import_paths([str(tmp_path / "gardens")])
    qtbot.waitUntil(lambda: not driver.importer.running, timeout=10000)
    driver.settle()

    assert driver.issue_model.rowCount() == before + 12
    assert readers  # the list was read again...
    assert threading.get_ident() not in readers  # ...never on the main thread
    assert driver.list_panel.current_issue_id() == opened.id  # the reload kept the reader's place


@dataclass(frozen=True)
class _BurstThenWait(Job[ImportReport]):
    """An import-like job on the worker thread: a burst of progress, then it waits to be released."""

    release: threading.Event
    kind = "burst"
    placement = "thread"
    title = "the import"
    may_change = Changes(issue_list=True)

    def run(self, library: Library, progress: ProgressCallback | None = None) -> ImportReport:
        assert progress is not None
        for done in range(200):  # many events in a burst, as with thousands of small files
            progress(ImportProgress(done, 200, f"/tmp/file-{done}.txt"))
        self.release.wait(5)
        return ImportReport((FileResult("/tmp/file-199.txt", "imported", issue_ids=("new",), imported=1),))


def test_progress_is_shown_from_a_timer_and_the_list_refreshes_at_most_once_a_second(
    qtbot, driver: Driver
) -> None:
    controller = driver.importer
    refreshes: list[Changes] = []
    controller.changed.connect(refreshes.append)
    release = threading.Event()

    controller.start(_BurstThenWait(release), "Importing…")
    qtbot.waitUntil(lambda: controller.progress.value() == 199)
    assert controller.label.text().startswith("Importing 200 of 200")
    assert len(refreshes) <= 1  # 200 events, not 200 list reloads
    release.set()
    qtbot.waitUntil(lambda: not controller.running)
    assert refreshes[-1].issue_list  # and once more at the end


def test_publications_follow_the_listed_issues(qtbot, driver: Driver, tmp_path: Path) -> None:
    window = driver.window
    path = tmp_path / "letter.md"
    path.write_text("---\npublication: Compost Quarterly\n---\n# Compost Quarterly 1\n\nWorms.\n", encoding="utf-8")
    window.import_paths([str(path)])
    qtbot.waitUntil(lambda: not driver.importer.running, timeout=10000)
    driver.settle()
    names = [driver.list_panel.publication.itemText(i) for i in range(driver.list_panel.publication.count())]
    assert names[1:] == sorted({s.publication for s in window.library.list_issues()}, key=str.casefold)


def test_sorting_survives_a_reload(driver: Driver) -> None:
    driver.issue_list.sortByColumn(TITLE, Qt.SortOrder.AscendingOrder)
    driver.issue_model.reload_later()
    driver.settle()
    titles = [driver.issue_model.summary(r).title.casefold() for r in range(driver.issue_model.rowCount())]
    assert titles == sorted(titles)


def test_search_results_are_laid_out_once_per_width(driver: Driver) -> None:
    driver.search("robots")
    view = driver.search_results
    delegate = view.itemDelegate()
    index = view.model().index(0, 0)
    option = QStyleOptionViewItem()
    option.initFrom(view)

    first = delegate.sizeHint(option, index)
    kept = len(delegate._documents)
    again = delegate.sizeHint(option, index)

    assert first == again
    assert first.height() > option.fontMetrics.height() * 2  # title, where, snippet: several lines
    assert len(delegate._documents) == kept  # the second ask reused the laid-out document


def test_refilling_the_publication_choices_does_not_refilter_the_list(driver: Driver) -> None:
    panel, proxy = driver.list_panel, driver.issue_proxy
    names = sorted({s.publication for s in driver.issue_model.rows})
    relayouts: list[int] = []
    proxy.layoutChanged.connect(lambda *_: relayouts.append(1))

    panel.set_publications(names)  # what every list reload during an import does
    assert relayouts == []

    panel.publication.setCurrentIndex(panel.publication.findData("Import AI"))
    assert relayouts == [1]
    assert {proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())} == {
        s.id for s in driver.issue_model.rows if s.publication == "Import AI"
    }


def test_a_window_lists_its_newest_issues_at_once_and_the_rest_when_read(
    qtbot, seeded_dir: Path, monkeypatch
) -> None:
    """At 50,000 issues reading and sorting every summary took 0.5 s before the first paint; the window
    lists the first page (from an index) when it is built and the whole list when the read arrives."""
    from reader.gui import build_window
    from reader.gui.mainwindow import window as window_module

    with Library(seeded_dir) as lib:
        every = [s.id for s in lib.list_issues()]
    monkeypatch.setattr(window_module, "FIRST_PAGE", 3)
    window = build_window(seeded_dir)
    try:
        model = window.findChild(IssueTableModel, "issueModel")
        assert [model.summary(row).id for row in range(model.rowCount())] == every[:3]  # before any event
        qtbot.waitUntil(lambda: model.rowCount() == len(every))
        assert [model.summary(row).id for row in range(model.rowCount())] == every
    finally:
        window.close()
        window.library.close()
        window.deleteLater()


def test_the_last_issue_opens_again_though_it_is_past_the_first_page(
    qtbot, windows, seeded_dir: Path, monkeypatch
) -> None:
    from reader.gui.mainwindow import window as window_module

    first = windows.driver(windows.open(seeded_dir))
    oldest = first.issue_model.summary(first.issue_model.rowCount() - 1).id
    first.open_from_list(oldest)
    windows.close(first.window)

    monkeypatch.setattr(window_module, "FIRST_PAGE", 2)
    again = windows.driver(windows.open(seeded_dir))
    assert again.issue_view.issue is not None and again.issue_view.issue.id == oldest
    qtbot.waitUntil(lambda: again.list_panel.current_issue_id() == oldest)  # its row, once listed
