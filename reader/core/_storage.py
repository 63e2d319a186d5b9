"""SQLite, the store of record: issues, read state, highlights, notes, colour labels.

One connection per thread (WAL lets readers run while a writer writes); writes go through
``transaction()``, which takes SQLite's write lock up front (BEGIN IMMEDIATE) and retries while
another process holds it. SQL is only ever built from constants; values are parameters.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.core._schema import MIGRATIONS, SCHEMA_VERSION
from reader.core.errors import CorruptDatabaseError, LibraryLockedError, StorageError

DB_NAME = "library.sqlite3"
LOCK_WAIT_SECONDS = 30.0
BUSY_TIMEOUT = 2.0  # SQLite's own wait per attempt; _begin keeps retrying up to LOCK_WAIT_SECONDS
log = logging.getLogger(__name__)


class Database:
    """The library's SQLite file, opened with WAL, foreign keys and migrations applied."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._closed = False
        self._connections: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        _create_private(path)
        self._migrate(self.connection())

    # -- connections -----------------------------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        if self._closed:
            raise StorageError("the library is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
            with self._guard:
                self._connections.append(conn)
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise _open_error(self.path, exc) from None
        if mode.lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        return conn

    def close(self) -> None:
        """Close every thread's connection."""
        with self._guard:
            self._closed = True
            for conn in self._connections:
                conn.close()
            self._connections.clear()

    # -- statements ------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        try:
            return self.connection().execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _storage_error(self.path, exc) from None

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """Run a read query and return its first row, or None."""
        rows = self.query(sql, params)
        return rows[0] if rows else None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._write_lock:
            conn = self.connection()
            self._begin(conn)
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                _rollback(conn)
                raise _storage_error(self.path, exc) from None
            except BaseException:
                _rollback(conn)
                raise

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Within the block, this thread's commits skip the disk flush (``synchronous = NORMAL``).

        For re-doable bulk work (an import's one transaction per file): in WAL mode a commit then
        survives a crash or kill of the app, and only a power loss may take the last few back
        (never damaging the file). The first ordinary commit after the block flushes them all.
        """
        conn = self.connection()
        conn.execute("PRAGMA synchronous = NORMAL")
        try:
            yield
        finally:
            conn.execute("PRAGMA synchronous = FULL")

    def _begin(self, conn: sqlite3.Connection) -> None:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        warned = False
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise _storage_error(self.path, exc) from None
                if not warned:
                    log.warning("the library is busy (another Back Issue is writing to it); waiting...")
                    warned = True
                if time.monotonic() > deadline:
                    raise LibraryLockedError(
                        f"The library at {self.path.parent} is in use by another program "
                        f"(waited {LOCK_WAIT_SECONDS:.0f} s). Close it and try again."
                    ) from None
                time.sleep(0.2)

    # -- migrations ------------------------------------------------------------------------------
    def _migrate(self, conn: sqlite3.Connection) -> None:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise _open_error(self.path, exc) from None
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path} was written by a newer Back Issue (schema {version}); update the app to open it"
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction() as tx:
                MIGRATIONS[number](tx)
                tx.execute(f"PRAGMA user_version = {int(number)}")

    def integrity_check(self) -> list[str]:
        """SQLite's integrity check: ``["ok"]`` when the file is sound."""
        return [row[0] for row in self.query("PRAGMA integrity_check")]


def set_aside_damaged(data_dir: Path) -> list[Path]:
    """Rename a library's database (with its WAL files) and index with a ``.damaged-<timestamp>`` suffix.

    Nothing is deleted; a new library can then be created in ``data_dir``. Returns the new names.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    moved = []
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", "index"):
        source = data_dir / name
        if source.exists():
            target = data_dir / f"{name}.damaged-{stamp}"
            source.rename(target)
            moved.append(target)
    return moved


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open (SQLite ends some itself, e.g. on a full disk)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _create_private(path: Path) -> None:
    """Create an empty database file readable by the user only, before SQLite opens it.

    SQLite gives its -wal and -shm files the mode of the database file, so they are private too.
    """
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return
    except OSError as exc:
        raise StorageError(f"Cannot create the library database {path}: {exc.strerror}") from None


def _open_error(path: Path, exc: sqlite3.DatabaseError) -> StorageError:
    text = str(exc)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return CorruptDatabaseError(
            f"The library database {path} is damaged ({text}). It has not been changed; "
            "move it aside to start a new library, or restore a backup."
        )
    return StorageError(f"Cannot open the library database {path}: {text}")


def _storage_error(path: Path, exc: sqlite3.DatabaseError) -> StorageError:
    text = str(exc)
    if "disk" in text and "full" in text:
        return StorageError(f"The disk holding {path} is full; nothing was written.")
    if "readonly" in text or "read-only" in text:
        return StorageError(f"The library {path} is read-only; nothing was written.")
    return _open_error(path, exc)
