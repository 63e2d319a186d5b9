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

from reader.core.errors import StorageError

JOB_LOCK_NAME = "job.lock"


class JobLock:
    """A cross-process lock on ``<data dir>/job.lock`` (fcntl on POSIX, msvcrt on Windows)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / JOB_LOCK_NAME

    @contextmanager
    def held(self, on_wait: Callable[[], object] | None = None) -> Iterator[None]:
        """Hold the lock for the block, waiting for another job to finish first (``on_wait`` says so).

        Raises:
            StorageError: the lock file cannot be created or opened (the message says why).
        """
        lock = self._lock()
        acquired = self._acquire(lock, blocking=False)
        if not acquired:
            if on_wait is not None:
                on_wait()
            acquired = self._acquire(lock, blocking=True)  # on Windows this gives up after 10 s: run anyway
        try:
            yield
        finally:
            if acquired:
                lock.release()

    def held_elsewhere(self) -> bool:
        """True while some job holds the lock (tried without waiting, released at once).

        A lock that cannot be opened at all counts as not held: searching still works.
        """
        try:
            lock = self._lock()
            if not self._acquire(lock, blocking=False):
                return True
        except StorageError:
            return False
        lock.release()
        return False

    def _acquire(self, lock: FileLock, blocking: bool) -> bool:
        try:
            return bool(lock.acquire(blocking=blocking))
        except OSError as exc:
            raise self._error(exc) from None

    def _lock(self) -> FileLock:
        if not self.path.exists():
            try:
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            except OSError as exc:
                raise self._error(exc) from None
        return FileLock(str(self.path))

    def _error(self, exc: OSError) -> StorageError:
        return StorageError(
            f"Cannot use the library's job lock {self.path} ({exc.strerror or exc}); "
            "check that the library folder is yours and writable"
        )
