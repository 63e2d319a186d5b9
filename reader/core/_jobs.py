"""Typed library jobs (``Job[T]``: import, feed refresh, index rebuild) and a child process to run them.

Parsing and indexing are pure Python: on a thread they hold the GIL for seconds at a time and the
window's thread waits for it at every call into Python (measured: 110-180 ms UI stalls during a
1,000-issue import). A child process has its own interpreter, so the window never waits.

The child opens its own ``Library`` on the same data dir: SQLite (WAL, one write transaction per
file) and Whoosh's write lock keep the two processes consistent, and while a job runs it holds the
library's job lock so that a search in the window does not start indexing the same backlog (see
``Indexer.search``). Progress and the outcome come back over a pipe that the caller polls; nothing
here needs threads or Qt.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
import traceback
import types
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

from reader.core.errors import ReaderError
from reader.core.types import Changes, ImportOptions, ImportProgress, ImportReport, ProgressCallback

if TYPE_CHECKING:
    from reader.core._library import Library

T = TypeVar("T")
Placement = Literal["process", "thread"]
"""Where the window runs a job: long GIL-holding work in a child process, short work on a thread."""

CANCEL = "cancel"
JOB_NICENESS = 10
"""How much lower than the window's a job process runs (``os.nice``)."""
SEND_EVERY_S = 0.05
"""The child sends progress at most this often (and always the last step)."""


class Job(ABC, Generic[T]):
    """One piece of library work whose result is a ``T``: made by the constructors below, picklable.

    ``Job.import_paths(paths)`` is a ``Job[ImportReport]``; ``run`` calls that Library method
    directly. The window sends a job of placement "process" to a child process (``JobProcess``),
    one of placement "thread" to its worker thread; the CLI runs every job in line.

    Class attributes (one set per kind):
        kind: a short name for logs, process names and tests ("import_paths").
        placement: "process" for long GIL-holding work, "thread" for short work.
        title: how a sentence names it ("the import").
        may_change: what it may have changed before it reports its result, e.g. the issue list
            during an import: what a view reloads while it runs, and when it ends without a result.
    """

    kind: ClassVar[str]
    placement: ClassVar[Placement] = "process"
    title: ClassVar[str]
    may_change: ClassVar[Changes] = Changes()

    @abstractmethod
    def run(self, library: Library, progress: ProgressCallback | None = None) -> T:
        """Do the work on ``library`` in this process; ``progress`` may return False to cancel."""

    def run_held(
        self, library: Library, progress: ProgressCallback | None = None, on_wait: Callable[[], object] | None = None
    ) -> T:
        """Run as every long job runs: holding the library's job lock, after any job that holds it now
        (``on_wait`` is called first then), so a search elsewhere leaves the index backlog to this one."""
        with library.job_lock(on_wait):
            return self.run(library, progress)

    # -- the kinds of job ------------------------------------------------------------------------
    @staticmethod
    def import_paths(
        paths: Iterable[Path | str], options: ImportOptions | None = None, keep_images: bool = False
    ) -> Job[ImportReport]:
        """Import files and folders (``Library.import_paths``), keeping only the mail ``options`` keep
        (``Library.import_with_options``); ``keep_images``: then fetch the issues' images once and
        keep them offline (``Library.keep_images``; the report's ``images`` says what was kept)."""
        return _ImportPaths(tuple(str(p) for p in paths), options, keep_images)

    @staticmethod
    def import_samples() -> Job[ImportReport]:
        """Import the bundled sample newsletters (``Library.import_samples``)."""
        return _ImportSamples()

    @staticmethod
    def refresh(passwords: dict[str, str] | None = None) -> Job[ImportReport]:
        """Fetch every subscribed feed and mail folder (``Library.refresh``); ``passwords`` are mail
        passwords typed this session (``Library.session_passwords``), for a child with no keyring."""
        return _Refresh(tuple(sorted((passwords or {}).items())))

    @staticmethod
    def reindex() -> Job[Changes]:
        """Rebuild the search index from the database (``Library.reindex``)."""
        return _Reindex()

    @staticmethod
    def catch_up_links() -> Job[int]:
        """Scan the links of every issue not scanned at its text; the result is how many
        (``Library.catch_up_links``): an existing library's link index, filled in the background."""
        return _CatchUpLinks()

    @staticmethod
    def catch_up_index() -> Job[int]:
        """Index what is waiting for the index; the result is how many issues (``Library.catch_up_index``)."""
        return _CatchUpIndex()

    @staticmethod
    def preview_import(paths: Iterable[Path | str]) -> Job[ImportReport]:
        """A dry run of an import: what each file would do, writing nothing (``Library.preview_import``)."""
        return _PreviewImport(tuple(str(p) for p in paths))


@dataclass(frozen=True)
class _ImportPaths(Job[ImportReport]):
    paths: tuple[str, ...]
    options: ImportOptions | None = None
    keep_images: bool = False
    kind = "import_paths"
    title = "the import"
    may_change = Changes(issue_list=True)

    def run(self, library: Library, progress: ProgressCallback | None = None) -> ImportReport:
        if self.options is not None:
            report = library.import_with_options(self.paths, self.options, progress)
        else:
            report = library.import_paths(self.paths, progress)
        if not self.keep_images or report.cancelled:
            return report
        kept = library.keep_images(report.issue_ids, progress)
        library.catch_up_index(None if progress is None else _ignoring_cancel(progress))
        return replace(report, images=kept)


def _ignoring_cancel(progress: ProgressCallback) -> ProgressCallback:
    """What was stored is indexed whatever Cancel says (only reading more files can be cancelled)."""

    def report(step: ImportProgress) -> bool:
        progress(step)
        return True

    return report


@dataclass(frozen=True)
class _PreviewImport(Job[ImportReport]):
    paths: tuple[str, ...]
    kind = "preview_import"
    title = "the import preview"

    def run(self, library: Library, progress: ProgressCallback | None = None) -> ImportReport:
        return library.preview_import(self.paths)


@dataclass(frozen=True)
class _ImportSamples(Job[ImportReport]):
    kind = "import_samples"
    title = "the import"
    may_change = Changes(issue_list=True)

    def run(self, library: Library, progress: ProgressCallback | None = None) -> ImportReport:
        return library.import_samples(progress)


@dataclass(frozen=True)
class _Refresh(Job[ImportReport]):
    passwords: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    kind = "refresh"
    title = "the feed refresh"
    may_change = Changes(issue_list=True)

    def run(self, library: Library, progress: ProgressCallback | None = None) -> ImportReport:
        if self.passwords:
            library.adopt_session_passwords(dict(self.passwords))
        return library.refresh(progress)


@dataclass(frozen=True)
class _Reindex(Job[Changes]):
    kind = "reindex"
    title = "the index rebuild"
    may_change = Changes(index=True)

    def run(self, library: Library, progress: ProgressCallback | None = None) -> Changes:
        return library.reindex(progress)


@dataclass(frozen=True)
class _CatchUpLinks(Job[int]):
    kind = "catch_up_links"
    title = "the link index"

    def run(self, library: Library, progress: ProgressCallback | None = None) -> int:
        return library.catch_up_links(progress)


@dataclass(frozen=True)
class _CatchUpIndex(Job[int]):
    kind = "catch_up_index"
    title = "the index rebuild"

    def run(self, library: Library, progress: ProgressCallback | None = None) -> int:
        return library.catch_up_index(progress)


@dataclass
class JobProcess(Generic[T]):
    """A Job running in a child process; call ``poll()`` from the caller's loop until it returns True.

    Attributes:
        progress: the latest progress the child reported (None before the first).
        result: what the job returned, once finished without error.
        error: why it failed (a ReaderError with a message in words), once finished with an error.
    """

    data_dir: Path
    job: Job[T]
    progress: ImportProgress | None = None
    result: T | None = None
    error: ReaderError | None = None
    finished: bool = False
    _conn: Connection = field(init=False, repr=False)
    _process: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
        self._conn, child_end = context.Pipe()
        self._process = context.Process(
            target=_child_main, args=(str(self.data_dir), self.job, child_end), name=f"backissue-{self.job.kind}",
            daemon=True,
        )
        with without_main_module():
            self._process.start()
        child_end.close()

    def poll(self) -> bool:
        """Read what the child has sent; True once the job has finished (see ``result`` / ``error``)."""
        if self.finished:
            return True
        self._drain()
        if not self.finished and not self._process.is_alive():
            self._drain()  # it may have sent its outcome just before it ended
            if not self.finished:
                code = self._process.exitcode
                self._end(error=ReaderError(f"The background job stopped unexpectedly (exit code {code})"))
        return self.finished

    def cancel(self) -> None:
        """Ask the child to stop after the file (or index batch) it is working on."""
        if not self.finished:
            with contextlib.suppress(OSError):  # it has just ended
                self._conn.send(CANCEL)

    def stop(self, timeout: float = 10.0) -> None:
        """Cancel, wait up to ``timeout`` seconds for the child to end, then end it (window closing)."""
        self.cancel()
        deadline = time.monotonic() + timeout
        while not self.poll() and time.monotonic() < deadline:
            time.sleep(0.05)
        if not self.finished:
            self._process.terminate()  # one transaction per file: the library stays consistent
            self._end(error=ReaderError("The background job was stopped"))
        self._process.join(5)

    def _drain(self) -> None:
        try:
            while not self.finished and self._conn.poll():
                kind, value = self._conn.recv()
                if kind == "progress":
                    self.progress = value
                elif kind == "done":
                    self._end(result=value)
                else:
                    self._end(error=ReaderError(value))
        except (EOFError, OSError):
            pass  # the child is gone: poll() reports how it ended

    def _end(self, result: T | None = None, error: ReaderError | None = None) -> None:
        # No join here: a child that has sent its outcome takes ~90 ms more to shut its interpreter
        # down, and the caller is the window's thread. multiprocessing reaps it on the next start.
        self.result, self.error, self.finished = result, error, True
        self._conn.close()


@contextlib.contextmanager
def without_main_module() -> Iterator[None]:
    """Start the child without the caller's ``__main__``: it needs nothing from it, and spawn would
    run it again in the child (a script without a ``__name__`` guard would open a second window)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class _ChildProgress:
    """The progress callback inside the child: reports, at most every SEND_EVERY_S, and hears Cancel."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._cancelled = False
        self._sent_at = 0.0

    def __call__(self, progress: ImportProgress) -> bool:
        try:
            while self._conn.poll():
                self._cancelled = self._cancelled or self._conn.recv() == CANCEL
        except (EOFError, OSError):  # the window has gone: stop after this step
            self._cancelled = True
        now = time.monotonic()
        if not self._cancelled and (now - self._sent_at >= SEND_EVERY_S or progress.done + 1 >= progress.total):
            self._sent_at = now
            self._conn.send(("progress", progress))
        return not self._cancelled


def _waiting(progress: ProgressCallback) -> Callable[[], object]:
    """What the child says while another job holds the library: a "wait" step."""
    return lambda: progress(ImportProgress(0, 0, stage="wait"))


def _lower_priority() -> None:
    """Run the job (and its render helper, which inherits it) below the window's priority: with the
    import and its helper on both cores, the window waited for a core (a 102 ms stall at 50,000
    issues); niced, it gets one when it needs it and the import the rest."""
    with contextlib.suppress(AttributeError, OSError):  # no os.nice (Windows), or not allowed
        os.nice(JOB_NICENESS)


def _child_main(data_dir: str, job: Job[Any], conn: Connection) -> None:
    """The child process: open the library, hold its job lock, run the job, send the outcome."""
    from reader.core._library import Library  # the child imports the core only, never Qt

    # Daemonic (the window ends it as it closes), and multiprocessing forbids a daemonic process
    # children of its own: cleared here, in the child's own record only, so an import may render
    # ahead in a helper (``RenderAhead``; it ends itself with this process). A window's import ran
    # at 66 issues/s without it, 118 with it in a process of its own.
    multiprocessing.current_process().daemon = False
    _lower_priority()
    try:
        progress = _ChildProgress(conn)
        with Library(data_dir) as library:
            outcome: tuple[str, object] = ("done", job.run_held(library, progress, _waiting(progress)))
    except ReaderError as exc:
        outcome = ("error", str(exc))
    except Exception as exc:  # a bug: say what it was, and keep the traceback on stderr
        traceback.print_exc()
        outcome = ("error", f"The background job failed ({type(exc).__name__}: {exc})")
    with contextlib.suppress(OSError):  # nobody is listening any more
        conn.send(outcome)
    conn.close()
