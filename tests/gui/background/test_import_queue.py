"""Imports asked for while another runs wait their turn; the progress counts files the right way."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.types import ImportProgress, ImportReport
from reader.gui.background.imports import IMPORT, progress_text

if TYPE_CHECKING:
    from conftest import Driver, Windows

WAIT_MS = 60000


def _write_issues(folder: Path, count: int, word: str) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"{word}-{n:03}.md").write_text(f"# {word.title()} {n}\n\nAll about {word} {n}.\n", "utf-8")
    return folder


def test_the_last_progress_step_says_13_of_13_not_14_of_13() -> None:
    # The importer reports ImportProgress(total, total, "") once every file is read (_importer.py).
    assert progress_text(ImportProgress(13, 13, ""), IMPORT) == "Importing 13 of 13"
    assert progress_text(ImportProgress(12, 13, "/x/last.md"), IMPORT) == "Importing 13 of 13  last.md"
    assert progress_text(ImportProgress(0, 13, "/x/first.md"), IMPORT) == "Importing 1 of 13  first.md"


class _HeldJob:
    """Stands for the child process: the test sets the progress the child would have sent."""

    def __init__(self) -> None:
        self.progress: ImportProgress | None = None

    def cancel(self) -> None:
        pass


def test_the_status_bar_says_13_of_13_when_the_last_file_is_read(qtbot, driver: Driver, monkeypatch) -> None:
    held, finish = _HeldJob(), []
    monkeypatch.setattr(driver.jobs, "start", lambda job, on_done: finish.append(on_done) or held)
    driver.window.import_paths(["/tmp/a", "/tmp/b"])
    label = driver.importer.label
    assert label.text() == "Importing 2 items…"

    held.progress = ImportProgress(12, 13, "/mail/last.md")  # the child's last two steps (_jobs._ChildProgress)
    qtbot.waitUntil(lambda: label.text() == "Importing 13 of 13  last.md")
    held.progress = ImportProgress(13, 13, "")
    qtbot.waitUntil(lambda: label.text() != "Importing 13 of 13  last.md")
    assert label.text() == "Importing 13 of 13"
    finish[0](ImportReport(), None)
    assert not driver.importer.running


def test_a_folder_named_at_start_of_a_new_library_is_imported_after_the_samples(
    qtbot, windows: Windows, tmp_path: Path
) -> None:
    # `backissue --data-dir NEW gui FOLDER`: the window starts the sample import, then app.main asks
    # for FOLDER at once; it used to be refused ("An import is already under way.") and never imported.
    window = windows.open(tmp_path / "new-library")
    driver = windows.driver(window)
    assert driver.importer.running  # the samples
    window.import_paths([str(_write_issues(tmp_path / "pond", 3, "pond"))])

    assert driver.importer.queued == 1
    assert "1 more queued" in driver.importer.label.text()
    assert "queued" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not driver.importer.running, timeout=WAIT_MS)
    driver.settle()
    titles = {s.title for s in window.library.list_issues()}
    assert {"Pond 0", "Pond 1", "Pond 2"} <= titles
    assert any(s.publication == "Superfast AI" for s in window.library.list_issues())  # samples too


def test_the_same_import_asked_twice_while_one_runs_is_queued_once(qtbot, windows: Windows, tmp_path: Path) -> None:
    window = windows.open(tmp_path / "new-library")
    driver = windows.driver(window)
    folder = str(_write_issues(tmp_path / "pond", 2, "pond"))
    window.import_paths([folder])
    window.import_paths([folder])
    assert driver.importer.queued == 1
    qtbot.waitUntil(lambda: not driver.importer.running, timeout=WAIT_MS)
