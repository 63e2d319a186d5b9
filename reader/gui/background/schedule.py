"""Refreshing the subscriptions (feeds and mail folders) on a schedule: off until the person picks one.

A minute timer checks whether the chosen interval has passed since the last refresh (F5 counts);
when it has, it starts the same refresh job as F5, never while an import or refresh is running, and
without asking for anything (a mail folder whose password is not known fails with the reason). The
last refresh time is kept in the settings, so a daily refresh happens once a day across restarts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QAction

from reader.gui.utils.settings import LAST_REFRESH, REFRESH_EVERY, int_value

SCHEDULES: tuple[tuple[str, int], ...] = (
    ("RefreshOff", 0),
    ("RefreshEvery30", 30),
    ("RefreshHourly", 60),
    ("RefreshDaily", 24 * 60),
)
"""Each schedule's action key (actions.py) and its interval in minutes (0: off, the default)."""
CHECK_MS = 60_000
"""How often the timer looks whether a refresh is due."""


class RefreshSchedule(QObject):
    """Starts a refresh when the chosen interval has passed since the last one.

    Args:
        settings: where the interval and the last refresh time are kept.
        start_refresh: starts the refresh job (as F5 does, asking nothing); True when it started.
        busy: True while an import or refresh runs (or waits): no refresh starts then.
        parent: the window.
        clock: the time in seconds (tests pass a fake one).
    """

    def __init__(
        self,
        settings: QSettings,
        start_refresh: Callable[[], bool],
        busy: Callable[[], bool],
        parent: QObject | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._start_refresh = start_refresh
        self._busy = busy
        self.clock = clock
        self.timer = QTimer(self)
        self.timer.setObjectName("refreshTimer")
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self._actions: dict[int, QAction] = {}
        self._follow(self.minutes)

    @property
    def minutes(self) -> int:
        """The interval in minutes (0: off)."""
        minutes = int_value(self._settings, REFRESH_EVERY, 0)
        return minutes if minutes in {m for _k, m in SCHEDULES} else 0

    def set_minutes(self, minutes: int) -> None:
        """Choose the interval (0 turns the schedule off); the first refresh is an interval from now
        unless an earlier refresh is known."""
        self._settings.setValue(REFRESH_EVERY, minutes)
        if minutes and self._last() is None:
            self.note_refreshed()
        self._follow(minutes)

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Make File ▸ Refresh Automatically's choices set the schedule (the saved one is ticked)."""
        for key, minutes in SCHEDULES:
            action = actions[key]
            self._actions[minutes] = action
            action.triggered.connect(lambda _checked=False, m=minutes: self.set_minutes(m))
        self._actions[self.minutes].setChecked(True)
        actions["RefreshFeeds"].triggered.connect(self.note_refreshed)  # F5 counts as a refresh

    def note_refreshed(self) -> None:
        """A refresh started now (the next one is due an interval later)."""
        self._settings.setValue(LAST_REFRESH, f"{self.clock():.0f}")

    def due(self) -> bool:
        """True when the schedule is on and its interval has passed since the last refresh."""
        last = self._last()
        return bool(self.minutes) and (last is None or self.clock() - last >= self.minutes * 60)

    def check(self) -> bool:
        """Start the refresh if it is due and nothing is running; True when it started."""
        if not self.due() or self._busy():
            return False
        self.note_refreshed()
        return self._start_refresh()

    def _last(self) -> float | None:
        try:
            return float(str(self._settings.value(LAST_REFRESH, "")))
        except ValueError:
            return None

    def _follow(self, minutes: int) -> None:
        if minutes:
            self.timer.start()
        else:
            self.timer.stop()
        if minutes in self._actions:
            self._actions[minutes].setChecked(True)
