"""Who has the library open: every open Library holds a shared lock and registers itself.

``<data dir>/open.lock`` is locked shared (``flock``) by every open Library, in any process, for as
long as it is open; each also writes ``holders/<pid>-<n>.txt`` saying what it is. Restoring a
backup takes the lock exclusively without waiting: while anyone holds the library it refuses, and
names the holders (process id and command line) from those files. The kernel drops a killed
process's lock, so a stale holder file never blocks anything; it is only read to name holders.

On systems without ``fcntl`` (Windows) the lock is not taken and restore cannot tell.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from reader.core.errors import LibraryLockedError, StorageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "open.lock"
HOLDERS_DIR = "holders"
OPEN_WAIT_SECONDS = 30.0
_counter = itertools.count(1)


def _open_lock_file(data_dir: Path) -> IO[bytes]:
    path = data_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError as exc:
        raise StorageError(f"Cannot open the library's lock file {path}: {exc.strerror or exc}") from None
    return os.fdopen(fd, "r+b")


class HolderLock:
    """This Library's shared hold on its data dir (see the module docstring)."""

    def __init__(self, data_dir: Path) -> None:
        self._file: IO[bytes] | None = None
        self._record: Path | None = None
        if fcntl is None:  # pragma: no cover
            return
        self._file = _open_lock_file(data_dir)
        deadline = time.monotonic() + OPEN_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    self._file.close()
                    raise LibraryLockedError(
                        f"The library at {data_dir} is being restored from a backup; try again when that is done"
                    ) from None
                time.sleep(0.1)
        self._record = _register(data_dir)

    def release(self) -> None:
        """Let go of the library (idempotent)."""
        if self._record is not None:
            self._record.unlink(missing_ok=True)
            self._record = None
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the lock
            self._file = None


def _register(data_dir: Path) -> Path | None:
    """Write this holder's record; a library whose folder cannot take it still opens."""
    folder = data_dir / HOLDERS_DIR
    record = folder / f"{os.getpid()}-{next(_counter)}.txt"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        record.write_text(f"{os.getpid()}\n{describe_process()}\n", encoding="utf-8")
    except OSError:
        return None
    return record


def describe_process() -> str:
    """What this process is, in a few words: its command line, shortened."""
    argv = [Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python", *sys.argv[1:]]
    text = " ".join(argv)
    return text if len(text) <= 120 else text[:117] + "..."


def holders(data_dir: Path) -> list[str]:
    """The live processes registered as holding the library, each as "process PID (what)"."""
    found = []
    folder = data_dir / HOLDERS_DIR
    for record in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        try:
            pid_text, _, what = record.read_text(encoding="utf-8").partition("\n")
            pid = int(pid_text)
        except (OSError, ValueError):
            continue
        if _alive(pid):
            found.append(f"process {pid} ({what.strip() or 'unknown'})")
        else:
            record.unlink(missing_ok=True)  # left by a process that was killed
    return list(dict.fromkeys(found))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


@contextmanager
def exclusive(data_dir: Path, doing: str) -> Iterator[None]:
    """Hold the library alone for the block; LibraryLockedError (naming the holders) if anyone has it open."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    lock_file = _open_lock_file(data_dir)
    try:
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            names = holders(data_dir)
            who = "; ".join(names) if names else "another program"
            raise LibraryLockedError(
                f"Cannot {doing}: the library at {data_dir} is open in {who}. Close it and try again."
            ) from None
        yield
    finally:
        with contextlib.suppress(OSError):
            lock_file.close()
