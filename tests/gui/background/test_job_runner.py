"""The one job runner: each typed Job runs where its kind belongs, and its result arrives on the main thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from reader.core import Job, Library
from reader.core.types import ProgressCallback
from reader.gui.background.job_runner import JobRunner
from reader.gui.background.tasks import TaskRunner

WAIT_MS = 30000


@dataclass(frozen=True)
class _WhichThread(Job[int]):
    """Short work: it says which thread ran it."""

    kind = "which_thread"
    placement = "thread"
    title = "the test job"

    def run(self, library: Library, progress: ProgressCallback | None = None) -> int:
        return threading.get_ident()


def test_a_short_job_runs_on_the_worker_thread_and_its_result_arrives_on_the_main_thread(
    qtbot, library: Library
) -> None:
    tasks = TaskRunner()
    runner = JobRunner(library, tasks)  # child processes allowed: this kind does not want one
    outcomes: list[tuple[int | None, BaseException | None, int]] = []

    runner.start(_WhichThread(), lambda result, error: outcomes.append((result, error, threading.get_ident())))
    assert runner._children == []
    qtbot.waitUntil(lambda: bool(outcomes), timeout=WAIT_MS)
    tasks.shut_down()

    [(ran_on, error, delivered_on)] = outcomes
    assert error is None
    assert ran_on != threading.get_ident()  # the worker ran it...
    assert delivered_on == threading.get_ident()  # ...and the main thread heard the result


def test_a_synchronous_runner_runs_a_long_job_in_line_without_a_notice(qtbot, library: Library) -> None:
    runner = JobRunner(library, TaskRunner(synchronous=True))  # tests and tools: by choice, not a fallback
    notices: list[str] = []
    runner.notice.connect(notices.append)
    outcomes: list[tuple[int | None, BaseException | None]] = []

    runner.start(Job.catch_up_index(), lambda result, error: outcomes.append((result, error)))

    assert outcomes == [(0, None)]  # done before start returned: nothing was waiting for the index
    assert runner._children == [] and notices == []
