"""Long library jobs (import, feed refresh, index catch-up) run in a child process.

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
import sys
import time
import traceback
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal

from reader.core.errors import ReaderError
from reader.core.types import ImportProgress, ProgressCallback

JobName = Literal["import_paths", "import_samples", "refresh", "catch_up_index", "reindex", "import_with_options"]

CANCEL = "cancel"
SEND_EVERY_S = 0.05
"""The child sends progress at most this often (and always the last step)."""


@dataclass(frozen=True)
class Job:
    """One long Library call, by name, that takes a ``progress`` callback.

    Attributes:
        name: the Library method ("import_paths", "import_samples", "refresh", "catch_up_index",
            "reindex").
        args: its positional arguments before ``progress`` (picklable: paths, strings).
    """

    name: JobName
    args: tuple[Any, ...] = ()

    def run(self, library: Any, progress: ProgressCallback | None = None) -> Any:
        """Call the job's method on ``library`` in this process."""
        return getattr(library, self.name)(*self.args, progress=progress)


@dataclass
class JobProcess:
    """A Job running in a child process; call ``poll()`` from the caller's loop until it returns True.

    Attributes:
        progress: the latest progress the child reported (None before the first).
        result: what the job returned, once finished without error.
        error: why it failed (a ReaderError with a message in words), once finished with an error.
    """

    data_dir: Path
    job: Job
    progress: ImportProgress | None = None
    result: Any = None
    error: ReaderError | None = None
    finished: bool = False
    _conn: Connection = field(init=False, repr=False)
    _process: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
        self._conn, child_end = context.Pipe()
        self._process = context.Process(
            target=_child_main, args=(str(self.data_dir), self.job, child_end), name=f"backissue-{self.job.name}",
            daemon=True,
        )
        with _no_main_module():
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

    def _end(self, result: Any = None, error: ReaderError | None = None) -> None:
        # No join here: a child that has sent its outcome takes ~90 ms more to shut its interpreter
        # down, and the caller is the window's thread. multiprocessing reaps it on the next start.
        self.result, self.error, self.finished = result, error, True
        self._conn.close()


@contextlib.contextmanager
def _no_main_module() -> Iterator[None]:
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


def _child_main(data_dir: str, job: Job, conn: Connection) -> None:
    """The child process: open the library, hold its job lock, run the job, send the outcome."""
    from reader.core._library import Library  # the child imports the core only, never Qt

    try:
        progress = _ChildProgress(conn)
        with Library(data_dir) as library, library.job_lock(lambda: progress(ImportProgress(0, 0, stage="wait"))):
            outcome: tuple[str, Any] = ("done", job.run(library, progress))
    except ReaderError as exc:
        outcome = ("error", str(exc))
    except Exception as exc:  # a bug: say what it was, and keep the traceback on stderr
        traceback.print_exc()
        outcome = ("error", f"The background job failed ({type(exc).__name__}: {exc})")
    with contextlib.suppress(OSError):  # nobody is listening any more
        conn.send(outcome)
    conn.close()
