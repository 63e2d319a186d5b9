"""One window per library, the index rebuilt in the background, daily backups, the xcb check, links."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from reader.gui import app, build_window
from reader.gui.misc.single_instance import LibraryAlreadyOpenError, server_name
from reader.gui.misc.startup import XCB_PACKAGES, missing_xcb_libraries, xcb_message

if TYPE_CHECKING:
    from conftest import Driver, Windows

    from reader.gui.mainwindow.window import MainWindow


def test_a_second_window_on_the_same_library_is_refused(windows: Windows, seeded_dir: Path) -> None:
    windows.open(seeded_dir)
    with pytest.raises(LibraryAlreadyOpenError, match="already open in another Back Issue window"):
        build_window(seeded_dir)


def test_the_lock_is_given_up_when_the_window_closes(windows: Windows, seeded_dir: Path) -> None:
    first = windows.open(seeded_dir)
    windows.close(first)
    assert windows.open(seeded_dir).library.list_issues()


def test_a_second_start_hands_its_files_to_the_open_window(
    qtbot, window: MainWindow, driver: Driver, tmp_path: Path
) -> None:
    letter = tmp_path / "letter.md"
    letter.write_text("# Compost Weekly 7\n\nWorms, again.\n", encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from reader.gui.misc.single_instance import send_to_running;"
        "sys.exit(0 if send_to_running(Path(sys.argv[1]), sys.argv[2:]) else 3)"
    )
    with qtbot.waitSignal(driver.guard.files_received, timeout=20000) as received:
        second = subprocess.Popen([sys.executable, "-c", script, str(window.library.data_dir), str(letter)])
    assert received.args == [[str(letter)]]
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=20000)
    assert second.returncode == 0
    qtbot.waitUntil(lambda: any(s.title == "Compost Weekly 7" for s in window.library.list_issues()), timeout=10000)


def test_main_exits_0_after_handing_over_and_1_when_nobody_answers(
    monkeypatch, windows: Windows, seeded_dir: Path
) -> None:
    windows.open(seeded_dir)
    sent: list[list[str]] = []
    monkeypatch.setattr(app, "send_to_running", lambda folder, paths: sent.append(paths) or True)
    assert app.main(seeded_dir, ["a.txt"]) == 0
    assert sent == [[str(Path("a.txt").resolve())]]

    said: list[str] = []
    monkeypatch.setattr(app, "send_to_running", lambda folder, paths: False)
    monkeypatch.setattr(app.QMessageBox, "information", lambda parent, title, text: said.append(text))
    assert app.main(seeded_dir) == 1
    assert said == ["This library is already open in another Back Issue window."]


def test_server_names_differ_by_library(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "x" / ".." / "a")


def test_a_missing_index_is_rebuilt_in_the_background_and_said_so(
    qtbot, windows: Windows, seeded_dir: Path
) -> None:
    shutil.rmtree(seeded_dir / "index")
    window = windows.open(seeded_dir)
    driver = windows.driver(window)
    assert driver.issue_model.rowCount() == 13  # the list is there while the index is rebuilt
    assert "Rebuilding the search index" in driver.index_status.text()
    qtbot.waitUntil(lambda: driver.index_status.isHidden(), timeout=20000)
    assert "Search index rebuilt (13 issues)" in window.statusBar().currentMessage()
    assert window.library.search("robots")


def test_a_backup_is_made_once_a_day_at_start(qtbot, windows: Windows, seeded_dir: Path, monkeypatch) -> None:
    from reader.gui.background import upkeep

    monkeypatch.setattr(upkeep, "BACKUP_DELAY_MS", 0)  # a minute after the window opens, in the app
    window = windows.open(seeded_dir)
    qtbot.waitUntil(lambda: (seeded_dir / "backups").is_dir())
    driver = windows.driver(window)
    qtbot.waitUntil(lambda: not driver.runner.busy)
    backups = list((seeded_dir / "backups").glob("library-*.sqlite3"))
    assert len(backups) == 1
    windows.close(window)
    reopened_driver = windows.driver(windows.open(seeded_dir))
    qtbot.wait(50)  # the due check runs
    qtbot.waitUntil(lambda: not reopened_driver.runner.busy)
    assert list((seeded_dir / "backups").glob("library-*.sqlite3")) == backups


def test_the_daily_backup_waits_for_a_running_import(qtbot, windows: Windows, seeded_dir: Path, monkeypatch) -> None:
    # Copying a 50,000-issue library (1.1 GB) beside an import held the window up for 114 ms.
    from reader.gui.background import upkeep
    from reader.gui.background.job_runner import JobRunner

    monkeypatch.setattr(upkeep, "BACKUP_DELAY_MS", 0)
    monkeypatch.setattr(upkeep, "BACKUP_RETRY_MS", 50)
    busy = [True]
    monkeypatch.setattr(JobRunner, "busy", property(lambda _self: busy[0]))
    windows.open(seeded_dir)
    qtbot.wait(300)
    assert not list((seeded_dir / "backups").glob("library-*.sqlite3"))  # not while the job runs
    busy[0] = False
    qtbot.waitUntil(lambda: len(list((seeded_dir / "backups").glob("library-*.sqlite3"))) == 1, timeout=10000)


def test_missing_xcb_libraries_are_named_with_the_packages_to_install() -> None:
    present = {"xcb-cursor": "libxcb-cursor.so.0", "xcb-icccm": "libxcb-icccm.so.4"}
    x11 = {"DISPLAY": ":0"}
    missing = missing_xcb_libraries(present.get, x11, "linux")
    assert missing == ["xcb-keysyms", "xcb-shape", "xkbcommon-x11"]
    line = xcb_message(missing)
    assert "\n" not in line
    assert "libxcb-keysyms" in line
    assert XCB_PACKAGES in line
    everything = {name: f"lib{name}.so" for name in ("xcb-cursor", "xcb-icccm", "xcb-keysyms", "xcb-shape",
                                                     "xkbcommon-x11")}
    assert missing_xcb_libraries(everything.get, x11, "linux") == []
    # Not asked when Qt will not load xcb: another platform, another OS. Asked without a display
    # too: Qt aborts on a missing library before it ever looks for the display.
    nothing = {}.get
    assert missing_xcb_libraries(nothing, {}, "linux") != []
    assert missing_xcb_libraries(nothing, {**x11, "QT_QPA_PLATFORM": "offscreen"}, "linux") == []
    assert missing_xcb_libraries(nothing, {**x11, "QT_QPA_PLATFORM": "wayland"}, "linux") == []
    assert missing_xcb_libraries(nothing, x11, "darwin") == []
    assert missing_xcb_libraries(nothing, {**x11, "QT_QPA_PLATFORM": "xcb"}, "linux") != []


def test_main_stops_with_the_line_before_qt_aborts(monkeypatch, capsys) -> None:
    monkeypatch.setattr(app, "display_problem", lambda: xcb_message(["xcb-cursor"]))
    monkeypatch.setattr(app.QApplication, "instance", staticmethod(lambda: None))  # as in a fresh process
    assert app.main() == 1
    assert "sudo apt install libxcb-cursor0" in capsys.readouterr().err


@pytest.mark.parametrize(("url", "opened"), [("https://example.org/a", True), ("mailto:a@example.org", True),
                                             ("file:///etc/passwd", False), ("javascript:alert(1)", False),
                                             ("smb://server/share", False)])
def test_only_web_and_mail_links_reach_the_system_browser(monkeypatch, window: MainWindow, driver: Driver, url: str,
                                                          opened: bool) -> None:
    handed: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda u: handed.append(u.toString()) or True)
    driver.pane.anchorClicked.emit(QUrl(url))
    assert handed == ([url] if opened else [])
    assert (url in window.statusBar().currentMessage()) is not opened
