"""Long library jobs for the window: in a child process (``reader.core._jobs``), polled from a timer.

A job on the worker thread would hold Python's GIL for seconds and the window would wait for it at
every call into Python; a child process has its own. With a synchronous TaskRunner (tests, tools)
or ``processes=False`` the job runs through the TaskRunner instead, and a plain callable always
does (it cannot be sent to another process).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer

from reader.core import Job, JobProcess, Library
from reader.core.types import ImportProgress, ProgressCallback
from reader.gui.background.tasks import DoneCallback, TaskRunner

POLL_MS = 50
"""How often the window reads a child's progress and outcome."""
STOP_TIMEOUT_S = 10.0
"""When the window closes, how long a child gets to stop after Cancel before it is ended."""

Work = Job | Callable[[ProgressCallback], Any]


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

    def cancel(self) -> None:
        self._cancelled = True


class JobRunner(QObject):
    """Starts jobs and calls ``on_done(result, error)`` on the main thread when each ends.

    Args:
        library: the window's Library (its data dir is where a child process opens its own).
        tasks: the TaskRunner, for jobs that run in this process.
        parent: the owning QObject.
        processes: False runs every job in this process.
    """

    def __init__(
        self, library: Library, tasks: TaskRunner, parent: QObject | None = None, *, processes: bool = True
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._tasks = tasks
        self._processes = processes and not tasks.synchronous
        self._children: list[tuple[JobProcess, DoneCallback]] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self, work: Work, on_done: DoneCallback) -> RunningJob:
        """Run ``work``: a Job (in a child process when allowed) or a callable taking ``progress``."""
        if isinstance(work, Job) and self._processes:
            try:
                child = JobProcess(self._library.data_dir, work)
            except OSError:  # no process could be started (limits, memory): run it here, slower to the eye
                pass
            else:
                self._children.append((child, on_done))
                self._timer.start()
                return child
        handle = _ThreadJob()
        run = work if not isinstance(work, Job) else lambda progress: work.run(self._library, progress)
        self._tasks.run(lambda: run(handle.report), on_done)
        return handle

    def shut_down(self) -> None:
        """Cancel every child and wait up to STOP_TIMEOUT_S for it to end, then end it (window closing)."""
        self._timer.stop()
        for child, _on_done in self._children:
            child.stop(STOP_TIMEOUT_S)
        self._children.clear()

    def _poll(self) -> None:
        for entry in list(self._children):
            child, on_done = entry
            if child.poll():
                self._children.remove(entry)
                on_done(child.result, child.error)
        if not self._children:
            self._timer.stop()
