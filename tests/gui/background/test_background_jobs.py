"""Imports run in a child process: the window lists and finds what it stored, Cancel and closing stop it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from reader.core import Job

if TYPE_CHECKING:
    from conftest import Driver

WAIT_MS = 30000


def _write_issues(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        text = f"# Garden Notes {n}\n\nIssue {n} is about compost and earthworms.\n"
        (folder / f"garden-{n:03}.md").write_text(text, encoding="utf-8")
    return folder


def _child_pid(driver: Driver) -> int:
    ((child, _on_done),) = driver.jobs._children
    return int(child._process.pid)


def test_an_import_runs_in_a_child_process_and_the_window_lists_and_finds_its_issues(
    qtbot, driver: Driver, tmp_path: Path
) -> None:
    window = driver.window
    before = driver.issue_model.rowCount()

    window.import_paths([str(_write_issues(tmp_path / "gardens", 30))])
    assert _child_pid(driver) != os.getpid()  # another process: its work never holds this one's GIL
    qtbot.waitUntil(lambda: not driver.importer.running, timeout=WAIT_MS)
    driver.settle()

    assert driver.issue_model.rowCount() == before + 30
    assert window.statusBar().currentMessage().startswith("Import finished: 30 new")
    driver.search("earthworms")
    assert driver.search_panel.model.rowCount() == 30  # the window's searcher sees the child's index


def test_cancel_stops_the_child_after_the_file_it_is_reading(qtbot, driver: Driver, tmp_path: Path) -> None:
    window = driver.window
    before = driver.issue_model.rowCount()
    window.import_paths([str(_write_issues(tmp_path / "gardens", 400))])

    qtbot.mouseClick(driver.importer.cancel_button, Qt.MouseButton.LeftButton)  # at once: no race with a fast child
    qtbot.waitUntil(lambda: not driver.importer.running, timeout=WAIT_MS)
    driver.settle()

    assert window.statusBar().currentMessage().startswith("Import cancelled:")
    added = driver.issue_model.rowCount() - before
    assert added < 400
    assert len(window.library.search("earthworms", limit=1000)) == added  # what was stored is indexed


def test_closing_the_window_ends_a_child_that_does_not_stop_in_time(
    qtbot, windows, seeded_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    from reader.core._job_lock import JobLock
    from reader.gui.background import job_runner

    monkeypatch.setattr(job_runner, "STOP_TIMEOUT_S", 0.5)
    window = windows.open(seeded_dir)
    driver = windows.driver(window)
    before = len(window.library.list_issues())
    with JobLock(seeded_dir).held():  # the child is surely still running: it waits for this lock
        window.import_paths([str(_write_issues(tmp_path / "gardens", 20))])
        ((child, _on_done),) = driver.jobs._children
        qtbot.waitUntil(lambda: "Waiting for another import" in driver.importer.label.text(), timeout=WAIT_MS)

        windows.close(window)  # Cancel is not heard while it waits: after the timeout it is ended

        assert not child._process.is_alive()
        assert child.finished and "stopped" in str(child.error)
    from reader.core import Library

    with Library(seeded_dir) as reopened:
        assert len(reopened.list_issues()) == before  # it never got to import anything
        assert reopened.check() == []


def test_when_no_process_can_be_started_the_import_runs_in_the_window_process_and_says_so(
    qtbot, driver: Driver, tmp_path: Path, monkeypatch
) -> None:
    from reader.core._job_lock import JobLock
    from reader.gui.background import job_runner

    def refuse(*_args: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(job_runner, "JobProcess", refuse)
    window = driver.window
    before = driver.issue_model.rowCount()

    with JobLock(window.library.data_dir).held():  # holds it running, so the note can be read meanwhile
        window.import_paths([str(_write_issues(tmp_path / "gardens", 5))])
        assert driver.jobs._children == []
        assert window.statusBar().currentMessage() == (
            "Could not start a background process: running the import in the window; it may pause."
        )
        # in the window it still waits for another job on the library, as a child would
        qtbot.waitUntil(lambda: "Waiting for another import" in driver.importer.label.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not driver.importer.running, timeout=WAIT_MS)
    driver.settle()

    assert driver.issue_model.rowCount() == before + 5
    assert window.statusBar().currentMessage().startswith("Import finished: 5 new")


def test_a_backlog_left_by_a_kill_is_indexed_by_a_child_at_start(
    qtbot, windows, seeded_dir: Path, tmp_path: Path
) -> None:
    import sqlite3

    from reader.core import Library

    with Library(seeded_dir) as lib:
        lib.import_paths([_write_issues(tmp_path / "gardens", 60)])
    conn = sqlite3.connect(seeded_dir / "library.sqlite3")
    with conn:  # as if the app was killed after storing the import and before indexing it
        conn.execute("UPDATE issues SET indexed = 0")
    conn.close()

    window = windows.open(seeded_dir)

    driver = windows.driver(window)

    assert "73 issues are not indexed yet" in driver.index_status.text()
    ((child, _on_done),) = driver.jobs._children
    assert child.job == Job.catch_up_index()
    qtbot.waitUntil(lambda: driver.index_status.isHidden(), timeout=WAIT_MS)
    assert "Search index rebuilt (73 issues)" in window.statusBar().currentMessage()
    assert window.library.index_backlog() == 0


def test_an_import_waits_for_a_job_already_running_on_the_library_and_says_so(
    qtbot, driver: Driver, tmp_path: Path
) -> None:
    from reader.core._job_lock import JobLock

    window = driver.window
    before = driver.issue_model.rowCount()
    with JobLock(window.library.data_dir).held():  # as a command-line import would
        window.import_paths([str(_write_issues(tmp_path / "gardens", 5))])
        qtbot.waitUntil(lambda: "Waiting for another import" in driver.importer.label.text(), timeout=WAIT_MS)
        assert driver.importer.running
    qtbot.waitUntil(lambda: not driver.importer.running, timeout=WAIT_MS)
    driver.settle()

    assert driver.issue_model.rowCount() == before + 5


def test_an_existing_librarys_links_are_scanned_by_a_child_at_start(
    qtbot, windows, seeded_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    import sqlite3

    from reader.core import Library
    from reader.gui.background.job_runner import JobRunner

    started: list[object] = []
    real_start = JobRunner.start

    def noting(runner: JobRunner, job: Job, on_done):  # type: ignore[no-untyped-def]
        started.append((job, runner._processes))
        return real_start(runner, job, on_done)

    monkeypatch.setattr(JobRunner, "start", noting)

    with Library(seeded_dir) as lib:
        lib.import_paths([_write_issues(tmp_path / "gardens", 60)])
    conn = sqlite3.connect(seeded_dir / "library.sqlite3")
    with conn:  # as a library from before the link index (or one killed while scanning) has it
        conn.execute("DELETE FROM link_scans")
    conn.close()

    window = windows.open(seeded_dir)
    driver = windows.driver(window)

    # in a child (the backlog is counted off the main thread first): the first Links view would
    # otherwise scan 73 issues at once
    qtbot.waitUntil(lambda: (Job.catch_up_links(), True) in started, timeout=WAIT_MS)
    assert Job.catch_up_links().placement == "process"
    qtbot.waitUntil(lambda: not driver.jobs._children, timeout=WAIT_MS)
    assert window.library.link_backlog() == 0
