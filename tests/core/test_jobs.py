"""Long jobs in a child process: progress, outcome, cancel, failures, and the window's Library beside it."""

from __future__ import annotations

import time
from pathlib import Path

from reader.core import Library
from reader.core._job_lock import JobLock
from reader.core._jobs import Job, JobProcess
from reader.core.types import Changes, ImportProgress, ImportReport

WAIT_S = 60


def _finish(process: JobProcess) -> JobProcess:
    deadline = time.monotonic() + WAIT_S
    while not process.poll():
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.02)
    return process


def _importing_gardens(data_dir: Path, tmp_path: Path) -> JobProcess:
    """A child importing 1,000 small files, once it has reported its first progress."""
    job = JobProcess(data_dir, Job.import_paths([_write_issues(tmp_path / "gardens", 1000)]))
    deadline = time.monotonic() + WAIT_S
    while job.progress is None:
        assert not job.poll(), "the job finished too soon"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    return job


def _write_issues(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"garden-{n:03}.md").write_text(f"# Garden Notes {n}\n\nCompost and worms, part {n}.\n", "utf-8")
    return folder


def test_an_import_in_a_child_process_reports_progress_and_its_issues_are_searchable_here(
    library: Library, data_dir: Path, seeds_dir: Path
) -> None:
    assert library.search("compute") == []  # the window's library is open (with its searcher) throughout
    job = _finish(JobProcess(data_dir, Job.import_paths([seeds_dir])))

    assert job.error is None
    report = job.result
    assert isinstance(report, ImportReport)
    assert report.imported == 13
    assert job.progress == ImportProgress(13, 13, stage="index")  # the last step: indexing the 13 issues
    assert len(library.list_issues()) == 13
    assert library.search("compute")  # the child's index commits are seen without reopening


def test_cancel_stops_the_child_after_the_current_file_and_keeps_what_it_stored(
    library: Library, data_dir: Path, tmp_path: Path
) -> None:
    job = JobProcess(data_dir, Job.import_paths([_write_issues(tmp_path / "gardens", 300)]))
    job.cancel()  # at once: however fast the child is, it hears this before its second file
    _finish(job)

    assert job.error is None and job.result.cancelled
    stored = len(library.list_issues())
    assert job.result.imported == stored
    assert stored < 300


def test_a_job_that_cannot_open_the_library_fails_with_a_message_in_words(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    (data_dir / "library.sqlite3").write_bytes(b"this is not a database" * 100)

    job = _finish(JobProcess(data_dir, Job.import_samples()))

    assert job.result is None
    assert job.error is not None and "damaged" in str(job.error)


def test_a_child_that_dies_is_reported_and_the_library_stays_usable(
    library: Library, data_dir: Path, tmp_path: Path
) -> None:
    job = _importing_gardens(data_dir, tmp_path)
    job._process.kill()  # as the OOM killer or a crash would
    _finish(job)

    assert job.error is not None and "stopped unexpectedly" in str(job.error)
    assert library.check() == []
    assert library.catch_up_index() == len(library.list_issues())  # what it stored gets indexed here


def test_search_leaves_the_backlog_to_a_job_that_holds_the_lock(library: Library, data_dir: Path) -> None:
    library.import_samples()
    issue = library.list_issues()[0]
    library.annotate(issue.id, library.plain_text(issue.id)[:20], note="zanzibar")  # pending for the index

    with JobLock(data_dir).held():  # as a job in another process would
        assert library.search("zanzibar") == []
        assert library.index_backlog() == 1
    assert [hit.highlight_id != "" for hit in library.search("zanzibar")] == [True]


def test_stop_ends_a_child_that_does_not_finish_in_time_and_the_library_stays_consistent(
    library: Library, data_dir: Path, tmp_path: Path
) -> None:
    job = _importing_gardens(data_dir, tmp_path)

    job.stop(timeout=0)  # no time to finish the file it is on: it is terminated

    assert not job._process.is_alive()
    assert job.finished and job.error is not None and "stopped" in str(job.error)
    assert library.check() == []
    assert len(library.list_issues()) < 1000


def test_a_script_without_a_main_guard_can_start_a_job(tmp_path: Path, seeds_dir: Path) -> None:
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"  # spawn would run this again in the child, were it its __main__
    script.write_text(
        "import time\n"
        "from reader.core._jobs import Job, JobProcess\n"
        f"job = JobProcess({str(tmp_path / 'data')!r}, Job.import_paths([{str(seeds_dir)!r}]))\n"
        "while not job.poll():\n"
        "    time.sleep(0.02)\n"
        "print(job.error, job.result.imported)\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["None", "13"]


def test_each_kind_of_job_calls_its_library_method_and_survives_pickling(
    library: Library, data_dir: Path, seeds_dir: Path
) -> None:
    import pickle

    jobs = [
        Job.import_paths([seeds_dir]), Job.import_samples(), Job.refresh(), Job.reindex(), Job.catch_up_index(),
        Job.catch_up_links(),
    ]  # fmt: skip
    assert [pickle.loads(pickle.dumps(job)) for job in jobs] == jobs  # what a spawned child receives

    imported = jobs[0].run(library)
    assert isinstance(imported, ImportReport) and imported.imported == 13
    assert jobs[1].run(library).unchanged == 13  # the samples are the seeds
    assert jobs[2].run(library) == ImportReport(())  # no subscriptions: nothing fetched
    assert jobs[3].run(library) == Changes(index=True)
    assert jobs[4].run(library) == 0  # the rebuild left nothing waiting
    assert jobs[5].run(library) == 0  # the import scanned its links
    assert [job.placement for job in jobs] == ["process"] * 6  # all long, GIL-holding work
    assert jobs[0].may_change.issue_list and jobs[3].may_change.index


def test_run_held_waits_for_a_job_holding_the_library_and_says_so(library: Library, data_dir: Path) -> None:
    import threading

    waited = threading.Event()
    outcome: list[int] = []
    with JobLock(data_dir).held():  # as a job in another process would
        job = Job.catch_up_index()
        worker = threading.Thread(target=lambda: outcome.append(job.run_held(library, None, waited.set)))
        worker.start()
        assert waited.wait(WAIT_S)
        assert outcome == []  # still waiting for the lock
    worker.join(WAIT_S)
    assert outcome == [0]


def test_a_large_import_in_a_child_process_finishes(library: Library, data_dir: Path, tmp_path: Path) -> None:
    # A window's job child is daemonic; at 400 issues the import's render helper tried to start a
    # process of its own there and the job died ("daemonic processes are not allowed to have
    # children") after storing part of the folder; the window's next search then indexed the rest.
    from reader.core._render_ahead import MIN_ISSUES

    job = _finish(JobProcess(data_dir, Job.import_paths([_write_issues(tmp_path / "gardens", MIN_ISSUES + 20)])))
    assert job.error is None, job.error
    assert isinstance(job.result, ImportReport) and job.result.imported == MIN_ISSUES + 20
    assert library.index_backlog() == 0  # indexed by the child, not left for a search here


class _CanRenderAhead(Job[bool]):
    """Whether an import in the job's process may render ahead in a helper process of its own."""

    kind = "can_render_ahead"
    title = "the check"

    def run(self, library: Library, progress: object = None) -> bool:
        from reader.core._render_ahead import RenderAhead

        with RenderAhead(library._db, min_issues=0) as ahead:
            return bool(ahead._enabled)


def test_an_import_in_a_child_process_renders_ahead_in_a_helper(data_dir: Path) -> None:
    # The daemonic job child could not start the render helper: a window's import ran at 66
    # issues/s (2,455 issues in 37 s), against 101/s with it (24 s, benchmarks.gui_bench stalls).
    job = _finish(JobProcess(data_dir, _CanRenderAhead()))
    assert job.error is None, job.error
    assert job.result is True


class _Niceness(Job[int]):
    """The job process's niceness."""

    kind = "niceness"
    title = "the check"

    def run(self, library: Library, progress: object = None) -> int:
        import os

        return os.nice(0)


def test_a_job_process_runs_below_the_window(data_dir: Path) -> None:
    # With the import and its render helper on both cores, the window waited for a core: a 102 ms
    # stall importing 2,000 issues into 50,000 (benchmarks.gui_bench stalls); niced, 74 ms.
    import os

    from reader.core._jobs import JOB_NICENESS

    job = _finish(JobProcess(data_dir, _Niceness()))
    assert job.error is None, job.error
    assert job.result == min(os.nice(0) + JOB_NICENESS, 19)
