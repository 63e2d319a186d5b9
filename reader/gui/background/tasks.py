"""Background work for the library (one writer thread, one reader thread), results on the main thread."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

DoneCallback = Callable[[Any, "BaseException | None"], None]
"""Receives ``(result, error)`` on the main thread: exactly one of them is meaningful."""


class _Job(QRunnable):
    """Runs one callable on the pool's thread and hands the outcome to the runner's relay signal."""

    def __init__(self, runner: TaskRunner, fn: Callable[[], Any], on_done: DoneCallback) -> None:
        super().__init__()
        self._runner = runner
        self._fn = fn
        self._on_done = on_done

    def run(self) -> None:
        try:
            result, error = self._fn(), None
        except Exception as exc:  # delivered to the caller, who decides what the user sees
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the runner was deleted (the app quit meanwhile): no one to tell
            self._runner._relay.emit(self._on_done, (result, error))


class TaskRunner(QObject):
    """Runs library work one task at a time on a single worker thread, and reads beside it.

    Tasks never touch widgets: they return a value (or raise), and ``on_done(result, error)``
    runs on the main thread. ``read`` queues read-only work (listing issues) on a second thread,
    so the list can refresh while a long import holds the worker (the Library gives each thread
    its own SQLite connection; WAL lets it read while the worker writes). ``post`` lets a running
    task hand intermediate values to a main-thread callback. With ``synchronous=True`` everything
    runs inline (tests, tools).

    Signals:
        busy_changed(bool): emitted when the runner starts or finishes its queues.
    """

    busy_changed = Signal(bool)
    _relay = Signal(object, object)

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self._synchronous = synchronous
        self._pending = 0
        self._closed = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # SQLite and Whoosh: one writer, in order
        self._reader = QThreadPool(self)
        self._reader.setMaxThreadCount(1)
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def synchronous(self) -> bool:
        """True when tasks run inline on the calling thread."""
        return self._synchronous

    @property
    def busy(self) -> bool:
        """True while a task is queued or running."""
        return self._pending > 0

    def run(self, fn: Callable[[], Any], on_done: DoneCallback | None = None) -> None:
        """Queue ``fn``; call ``on_done(result, error)`` on the main thread when it ends."""
        self._start(self._pool, fn, on_done)

    def read(self, fn: Callable[[], Any], on_done: DoneCallback | None = None) -> None:
        """Queue read-only ``fn`` on the reader thread (it does not wait for the worker's queue)."""
        self._start(self._reader, fn, on_done)

    def _start(self, pool: QThreadPool, fn: Callable[[], Any], on_done: DoneCallback | None) -> None:
        callback = on_done or _ignore
        self._set_pending(self._pending + 1)
        if self._synchronous:
            try:
                result, error = fn(), None
            except Exception as exc:
                result, error = None, exc
            self._finish(callback, result, error)
            return
        pool.start(_Job(self, fn, callback))

    def post(self, callback: Callable[[Any], None], value: Any) -> None:
        """From any thread: call ``callback(value)`` on the main thread (queued)."""
        if self._synchronous:
            callback(value)
        else:
            self._relay.emit(_Post(callback), (value, None))

    def wait(self, msecs: int = -1) -> bool:
        """Block until both threads are idle (shutdown and tests); True when they are."""
        return self._pool.waitForDone(msecs) and self._reader.waitForDone(msecs)

    def shut_down(self) -> None:
        """Wait for both threads, then deliver nothing more (the window and its library are going away)."""
        self.wait()
        self._closed = True

    @Slot(object, object)
    def _deliver(self, callback: Any, outcome: tuple[Any, BaseException | None]) -> None:
        if self._closed:
            return
        if isinstance(callback, _Post):
            callback.fn(outcome[0])
            return
        self._finish(callback, *outcome)

    def _finish(self, callback: DoneCallback, result: Any, error: BaseException | None) -> None:
        self._set_pending(self._pending - 1)
        callback(result, error)

    def _set_pending(self, count: int) -> None:
        was_busy = self.busy
        self._pending = count
        if was_busy != self.busy:
            self.busy_changed.emit(self.busy)


class _Post:
    """Marks a relayed call as an intermediate value, not a task's end."""

    def __init__(self, fn: Callable[[Any], None]) -> None:
        self.fn = fn


def _ignore(result: Any, error: BaseException | None) -> None:
    """The default completion callback: results nobody asked for are dropped."""
    del result, error
