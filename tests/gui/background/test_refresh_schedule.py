"""File ▸ Refresh Automatically: off by default; when on, the F5 refresh job starts when its interval
has passed (a fake clock), never while an import or refresh runs, and never when Off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from reader.gui.background.schedule import RefreshSchedule
from reader.gui.utils.settings import REFRESH_EVERY, open_settings

if TYPE_CHECKING:
    from conftest import Driver

WAIT_MS = 30000
HOUR = 3600.0


class Clock:
    """A clock the test moves on."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


def _schedule(driver: Driver, clock: Clock) -> RefreshSchedule:
    schedule = driver.child(RefreshSchedule, "refreshSchedule")
    schedule.clock = clock
    return schedule


def _subscribed(qtbot, driver: Driver, url: str) -> int:
    with qtbot.waitSignals([driver.feeds.subscribed], timeout=WAIT_MS):
        driver.feeds.subscribe(url)
    driver.settle()
    return len(driver.window.library.list_issues())


def test_off_by_default_and_off_starts_nothing(qtbot, driver: Driver, server) -> None:
    clock = Clock()
    schedule = _schedule(driver, clock)
    _subscribed(qtbot, driver, f"{server.base}/rss.xml")
    requests = len(server.requests)
    assert driver.window.action("RefreshOff").isChecked() and schedule.minutes == 0
    assert not schedule.timer.isActive()
    clock.now += 30 * 24 * HOUR
    assert not schedule.check()
    schedule.timer.setInterval(10)
    schedule.timer.start()  # even a timer that fires finds nothing due
    qtbot.wait(200)
    assert not driver.importer.running and len(server.requests) == requests


def test_a_chosen_interval_starts_the_refresh_when_due_and_not_while_one_runs(qtbot, driver: Driver, server) -> None:
    window = driver.window
    clock = Clock()
    schedule = _schedule(driver, clock)
    _subscribed(qtbot, driver, f"{server.base}/rss.xml")
    menu = window.findChild(QMenu, "menuRefreshAutomatically")
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["&Off", "Every &30 Minutes", "Every &Hour", "Every &Day"]
    window.action("RefreshHourly").trigger()  # as the menu does
    assert open_settings(window.library.data_dir).value(REFRESH_EVERY) in (60, "60")
    assert schedule.timer.isActive()
    requests = len(server.requests)

    clock.now += 0.5 * HOUR
    assert not schedule.check() and not driver.importer.running  # not due yet
    clock.now += 0.6 * HOUR
    schedule.timer.setInterval(10)  # the minute timer, shortened: it finds the refresh due and starts it
    qtbot.waitUntil(lambda: driver.importer.running, timeout=WAIT_MS)
    clock.now += 2 * HOUR
    assert not schedule.check()  # never while one runs, however overdue
    clock.now -= 2 * HOUR
    qtbot.waitUntil(lambda: not driver.importer.running and not driver.jobs._children, timeout=WAIT_MS)
    assert len(server.requests) == requests + 1  # one refresh, one request
    assert "Scheduled refresh finished" in window.statusBar().currentMessage()

    schedule.timer.setInterval(60_000)
    clock.now += 0.2 * HOUR
    assert not schedule.check()  # the last one counts from when it started
    window.action("RefreshOff").trigger()
    assert not schedule.timer.isActive()
    clock.now += 48 * HOUR
    assert not schedule.check()


def test_f5_counts_as_the_last_refresh_and_the_choice_is_kept(qtbot, windows, seeded_dir, server) -> None:
    clock = Clock()
    window = windows.open(seeded_dir)
    driver = windows.driver(window)
    schedule = _schedule(driver, clock)
    _subscribed(qtbot, driver, f"{server.base}/rss.xml")
    window.action("RefreshEvery30").trigger()
    clock.now += 0.6 * HOUR
    window.action("RefreshFeeds").trigger()  # F5
    qtbot.waitUntil(lambda: not driver.importer.running and not driver.jobs._children, timeout=WAIT_MS)
    clock.now += 0.2 * HOUR
    assert not schedule.check()  # 12 minutes after F5: not due
    windows.close(window)

    again = windows.open(seeded_dir)
    assert again.action("RefreshEvery30").isChecked()
    assert windows.driver(again).child(RefreshSchedule, "refreshSchedule").timer.isActive()
