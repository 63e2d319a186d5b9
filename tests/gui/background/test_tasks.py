"""The TaskRunner: work on the worker thread, (result, error) back on the main thread, in order."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from reader.gui.background.tasks import TaskRunner


def test_results_come_back_on_the_main_thread_in_order(qtbot) -> None:
    runner = TaskRunner()
    seen: list[tuple[object, object, bool]] = []
    worker_threads: set[int] = set()

    def work(n: int) -> int:
        worker_threads.add(threading.get_ident())
        return n * n

    def record(result: object, error: object) -> None:
        seen.append((result, error, QThread.currentThread().isMainThread()))

    for n in range(5):
        runner.run(lambda n=n: work(n), record)
    qtbot.waitUntil(lambda: len(seen) == 5)

    assert seen == [(n * n, None, True) for n in range(5)]
    assert threading.get_ident() not in worker_threads
    assert len(worker_threads) == 1  # one worker: SQLite and Whoosh never see two writers
    assert not runner.busy


def test_an_exception_is_delivered_not_raised(qtbot) -> None:
    runner = TaskRunner()
    outcome: list[tuple[object, BaseException | None]] = []

    def boom() -> None:
        raise ValueError("bad file")

    with qtbot.waitSignal(runner.busy_changed):
        runner.run(boom, lambda r, e: outcome.append((r, e)))
    qtbot.waitUntil(lambda: bool(outcome))
    result, error = outcome[0]
    assert result is None
    assert isinstance(error, ValueError)
    assert str(error) == "bad file"


def test_post_hands_progress_to_the_main_thread(qtbot) -> None:
    runner = TaskRunner()
    progress: list[tuple[int, bool]] = []

    def work() -> str:
        for i in range(3):
            runner.post(lambda v: progress.append((v, QThread.currentThread().isMainThread())), i)
        return "done"

    done: list[object] = []
    runner.run(work, lambda r, e: done.append(r))
    qtbot.waitUntil(lambda: done == ["done"])
    assert progress == [(0, True), (1, True), (2, True)]  # all delivered before the result


@pytest.mark.parametrize("fails", [False, True])
def test_synchronous_mode_runs_inline(fails: bool) -> None:
    runner = TaskRunner(synchronous=True)
    outcome: list[tuple[object, object]] = []

    def work() -> int:
        if fails:
            raise RuntimeError("no")
        return 7

    runner.run(work, lambda r, e: outcome.append((r, type(e))))
    assert outcome == [((None, RuntimeError) if fails else (7, type(None)))]
