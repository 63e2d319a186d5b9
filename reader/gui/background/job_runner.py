"""The one way the window runs library jobs: each typed ``Job[T]`` where its kind belongs.

A job of placement "process" (import, feed refresh, index rebuild: seconds of GIL-holding Python)
runs in a child process (``reader.core.JobProcess``) polled from a timer: on the window's worker
thread it would hold the GIL and the window would wait for it at every call into Python. A job of
placement "thread" (short work) runs on the TaskRunner's worker. Either way ``on_done(result,
error)`` is called on the main thread. When no process can be started the job runs on the worker
and ``notice`` says so; with a synchronous TaskRunner (tests, tools) or ``processes=False`` every
job runs through the TaskRunner, by choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from reader.core import Job, JobProcess, Library
from reader.core.types import ImportProgress
from reader.gui.background.tasks import TaskRunner

POLL_MS = 50
"""How often the window reads a child's progress and outcome."""
STOP_TIMEOUT_S = 10.0
"""When the window closes, how long a child gets to stop after Cancel before it is ended."""

T = TypeVar("T")
JobDone = Callable[[T | None, BaseException | None], None]
"""Receives a job's ``(result, error)`` on the main thread: exactly one of them is meaningful."""


class RunningJob(Protocol):
    """What the caller holds while a job runs: its latest progress, and Cancel."""

    @property
    def progress(self) -> ImportProgress | None:
        """The latest progress reported (None before the first)."""

    def cancel(self) -> None:
        """Stop after the current file or batch."""


class _ThreadJob:
    """A job on the TaskRunner's worker: the worker leaves its progress here and reads Cancel."""

    def __init__(self) -> None:
        self.progress: ImportProgress | None = None
        self._cancelled = False

    def report(self, progress: ImportProgress) -> bool:
        """The progress callback (runs on the worker thread): one reference swap; False cancels."""
        self.progress = progress
        return not self._cancelled

    def waiting(self) -> None:
        """Another job holds the library: say "wait" until it ends."""
        self.report(ImportProgress(0, 0, stage="wait"))

    def cancel(self) -> None:
        self._cancelled = True


class JobRunner(QObject):
    """Starts jobs, each in a child process or on the worker thread as its kind asks.

    Args:
        library: the window's Library (its data dir is where a child process opens its own).
        tasks: the TaskRunner, for jobs that run in this process.
        parent: the owning QObject.
        processes: False runs every job in this process.

    Signals:
        notice(str): a job that belongs in a child process runs in this process instead (no
            process could be started), so the window may pause: for the status bar.
    """

    notice = Signal(str)

    def __init__(
        self, library: Library, tasks: TaskRunner, parent: QObject | None = None, *, processes: bool = True
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._tasks = tasks
        self._processes = processes and not tasks.synchronous
        self._children: list[tuple[JobProcess[Any], JobDone[Any]]] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def busy(self) -> bool:
        """True while a job runs in a child process (jobs on the worker thread run in turn with its tasks)."""
        return bool(self._children)

    def start(self, job: Job[T], on_done: JobDone[T]) -> RunningJob:
        """Run ``job`` where its kind belongs; ``on_done(result, error)`` follows on the main thread."""
        if job.placement == "process" and self._processes:
            try:
                child = JobProcess(self._library.data_dir, job)
            except OSError:  # limits, memory: run it here, and say the window may pause
                self.notice.emit(
                    f"Could not start a background process: running {job.title} in the window; it may pause."
                )
            else:
                self._children.append((child, on_done))
                self._timer.start()
                return child
        return self._on_thread(job, on_done)

    def shut_down(self) -> None:
        """Cancel every child and wait up to STOP_TIMEOUT_S for it to end, then end it (window closing)."""
        self._timer.stop()
        for child, _on_done in self._children:
            child.stop(STOP_TIMEOUT_S)
        self._children.clear()

    def _on_thread(self, job: Job[T], on_done: JobDone[T]) -> RunningJob:
        handle = _ThreadJob()
        library = self._library
        if job.placement == "process":  # long work holds the job lock here as it would in a child

            def work() -> T:
                return job.run_held(library, handle.report, handle.waiting)
        else:

            def work() -> T:
                return job.run(library, handle.report)

        self._tasks.run(work, on_done)
        return handle

    def _poll(self) -> None:
        for entry in list(self._children):
            child, on_done = entry
            if child.poll():
                self._children.remove(entry)
                on_done(child.result, child.error)
        if not self._children:
            self._timer.stop()
