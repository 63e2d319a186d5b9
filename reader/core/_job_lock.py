"""The library's job lock: held by a long job (import, refresh, index catch-up) in another process.

While it is held, a search elsewhere does not start indexing the job's backlog itself: it searches
what is indexed, and the job indexes the rest (two processes indexing the same issues would each
hold the other up at Whoosh's write lock).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.util.filelock import FileLock

JOB_LOCK_NAME = "job.lock"


class JobLock:
    """A cross-process lock on ``<data dir>/job.lock`` (fcntl on POSIX, msvcrt on Windows)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / JOB_LOCK_NAME

    @contextmanager
    def held(self, on_wait: Callable[[], object] | None = None) -> Iterator[None]:
        """Hold the lock for the block, waiting for another job to finish first (``on_wait`` says so)."""
        lock = self._lock()
        acquired = lock.acquire(blocking=False)
        if not acquired:
            if on_wait is not None:
                on_wait()
            acquired = lock.acquire(blocking=True)  # on Windows this gives up after 10 s: run anyway
        try:
            yield
        finally:
            if acquired:
                lock.release()

    def held_elsewhere(self) -> bool:
        """True while some job holds the lock (tried without waiting, released at once)."""
        lock = self._lock()
        if not lock.acquire(blocking=False):
            return True
        lock.release()
        return False

    def _lock(self) -> FileLock:
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        return FileLock(str(self.path))
