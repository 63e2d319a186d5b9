"""Backups of the library database with SQLite's online backup API: daily, the last seven kept."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from reader.core._holders import exclusive
from reader.core._paths import ensure_private_dir
from reader.core.errors import CorruptDatabaseError, LibraryLockedError, StorageError

KEEP = 7
PREFIX = "library-"
SUFFIX = ".sqlite3"
FAILURE_NOTE = "last-backup-failed.txt"


def backup_dir(data_dir: Path) -> Path:
    """Where backups of this library go."""
    return data_dir / "backups"


def list_backups(data_dir: Path) -> list[Path]:
    """Existing backups, oldest first."""
    folder = backup_dir(data_dir)
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX}")) if folder.is_dir() else []


def backup_now(db_path: Path, data_dir: Path) -> Path:
    """Copy the live database to a dated backup file (consistent even while it is in use).

    The copy enters the rotation only once ``PRAGMA integrity_check`` passes on it: a damaged copy
    is deleted, never pushes out a good backup, and is recorded so ``attention`` says so until a
    backup succeeds again. Raises StorageError (in words) when the backup fails.
    """
    folder = ensure_private_dir(backup_dir(data_dir))
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    partial = target.with_suffix(".partial")
    try:
        _copy_database(db_path, partial)
        problem = _integrity_problem(partial)
        if problem is None:
            os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        problem = f"the copy could not be made ({exc})"
    if problem is not None:
        partial.unlink(missing_ok=True)
        message = (
            f"The backup of {datetime.now().strftime('%Y-%m-%d %H:%M')} failed: {problem}. "
            f"The {_backups(len(list_backups(data_dir)))} already in {folder} were kept. "
            "The library may be damaged: restore a backup (`backissue restore FILE`) or check it (`backissue check`)."
        )
        _record_failure(data_dir, message)
        raise StorageError(message)
    (folder / FAILURE_NOTE).unlink(missing_ok=True)
    _prune(data_dir)
    return target


def _backups(count: int) -> str:
    return f"{count} backup" + ("" if count == 1 else "s")


def _copy_database(db_path: Path, target: Path) -> None:
    os.close(os.open(target, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))
    source = sqlite3.connect(db_path)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, opened without side files
    finally:
        dest.close()
        source.close()
    target.chmod(0o600)


def _integrity_problem(path: Path) -> str | None:
    """None when SQLite finds ``path`` sound; else the first problems it reports, in its words."""
    conn = sqlite3.connect(_ro_uri(path), uri=True)
    try:
        lines = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
    except sqlite3.DatabaseError as exc:
        return f"the copy is damaged ({exc})"
    finally:
        conn.close()
    if lines == ["ok"]:
        return None
    details = [" ".join(line.split()) for line in lines if not line.startswith("***")]
    return "the copy is damaged (" + "; ".join(details) + ")"


def _record_failure(data_dir: Path, message: str) -> None:
    with contextlib.suppress(OSError):
        (backup_dir(data_dir) / FAILURE_NOTE).write_text(message + "\n", encoding="utf-8")


def attention(data_dir: Path) -> str | None:
    """Why the library needs attention, from the last failed backup (None once a backup succeeded)."""
    try:
        return (backup_dir(data_dir) / FAILURE_NOTE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def backup_if_due(db_path: Path, data_dir: Path) -> Path | None:
    """Make a backup unless one was made today; returns the new backup or None."""
    today = datetime.now(timezone.utc).strftime("%Y%m%d")
    if any(p.name.startswith(f"{PREFIX}{today}") for p in list_backups(data_dir)):
        return None
    return backup_now(db_path, data_dir)


def _prune(data_dir: Path) -> None:
    for old in list_backups(data_dir)[:-KEEP]:
        old.unlink(missing_ok=True)


def _ro_uri(path: Path) -> str:
    """A read-only SQLite URI for ``path`` (``#``, ``?`` and ``%`` in the name are percent-encoded)."""
    return f"{path.resolve().as_uri()}?mode=ro"


def verify(path: Path) -> None:
    """Raise CorruptDatabaseError unless ``path`` is a sound SQLite database with an issues table."""
    _verify_as(path, path)


def _verify_as(path: Path, name: Path) -> None:
    """``verify`` of ``path``, a copy of ``name`` (which the messages name)."""
    if not path.is_file():
        raise CorruptDatabaseError(f"{name} is not a file")
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.execute("SELECT count(*) FROM issues").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise CorruptDatabaseError(f"{name} is not a Back Issue library: {exc}") from None
    if result != "ok":
        raise CorruptDatabaseError(f"{name} is damaged: {result}")


def restore(backup: Path, db_path: Path) -> Path | None:
    """Replace the database with a verified backup; a verified copy of the current one is kept beside it.

    The caller holds the library alone (see :func:`restore_library`). The current database, with
    whatever its WAL holds, is copied to ``<name>.before-restore-<time>.sqlite3`` and that copy is
    checked to hold the same issues, highlights and notes before anything is replaced (a damaged
    current database is kept byte for byte, with its WAL). Returns the kept copy (None if there was
    no database).
    """
    partial = db_path.with_name(db_path.name + ".restoring")
    try:  # only the copy is ever opened by SQLite: it leaves nothing beside the user's file
        shutil.copyfile(backup, partial)
        partial.chmod(0o600)
        _verify_as(partial, backup)
        _fsync(partial)
        kept = _keep_current(db_path) if db_path.exists() else None
        for suffix in ("-wal", "-shm"):  # the current ones are in ``kept`` (checkpointed or copied)
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(partial, db_path)
    except OSError as exc:
        raise StorageError(f"Restoring {backup} failed ({exc.strerror or exc}); the library was not replaced") from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
    return kept


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_current(db_path: Path) -> Path:
    """Copy the live database (and what its WAL holds) aside and check the copy; returns the copy."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    kept = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}{db_path.suffix}")
    for n in range(2, 1000):  # two restores within a second: never overwrite a kept copy
        if not kept.exists():
            break
        kept = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}-{n}{db_path.suffix}")
    try:
        _copy_checked(db_path, kept)
    except sqlite3.DatabaseError:  # a damaged database cannot be copied page by page: keep its bytes
        for suffix in ("", "-wal"):
            if Path(f"{db_path}{suffix}").exists():
                shutil.copy2(f"{db_path}{suffix}", f"{kept}{suffix}")
    except BaseException:
        kept.unlink(missing_ok=True)
        raise
    return kept


def _copy_checked(db_path: Path, kept: Path) -> None:
    """Checkpoint the WAL, copy with the backup API, and check the copy holds what the live file holds.

    The copy is made under a ``.partial`` name and gets its ``kept`` name only once checked, so a
    kill meanwhile never leaves a half copy that looks kept.
    """
    partial = kept.with_name(kept.name + ".partial")
    os.close(os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))
    try:
        source = sqlite3.connect(db_path)
        try:
            busy = source.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy:
                raise LibraryLockedError(f"The library {db_path} is being written to; try again")
            before = content_digest(source)
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
                problems = [row[0] for row in dest.execute("PRAGMA integrity_check")]
                after = content_digest(dest)
            finally:
                dest.close()
        finally:
            source.close()
        if problems != ["ok"] or after != before:
            raise StorageError(
                f"The copy of the current library ({kept}) does not hold what the library holds; nothing was replaced"
            )
        os.replace(partial, kept)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)


def content_digest(conn: sqlite3.Connection) -> str:
    """A digest of what a library holds that matters to its user: issues, their notes and states, highlights."""
    digest = hashlib.sha256()
    for sql in (
        "SELECT id, note, read, starred FROM issues ORDER BY id",
        "SELECT id, issue_id, quote, start, \"end\", color, note, modified FROM highlights ORDER BY id",
    ):
        for row in conn.execute(sql):
            digest.update(repr(tuple(row)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def restore_library(backup: Path, data_dir: Path) -> Path | None:
    """Replace the library in ``data_dir`` with a verified backup (see :func:`restore`).

    Refuses (LibraryLockedError, naming the processes) while any Library has it open; the search
    index, derived data, is removed and rebuilt on the next open.
    """
    from reader.core._storage import DB_NAME

    with exclusive(data_dir, "restore a backup"):
        kept = restore(backup, data_dir / DB_NAME)
        shutil.rmtree(data_dir / "index", ignore_errors=True)
    return kept
