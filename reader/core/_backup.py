"""Backups of the library database with SQLite's online backup API: daily, the last seven kept."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from reader.core._paths import ensure_private_dir
from reader.core.errors import CorruptDatabaseError, StorageError

KEEP = 7
PREFIX = "library-"
SUFFIX = ".sqlite3"


def backup_dir(data_dir: Path) -> Path:
    """Where backups of this library go."""
    return data_dir / "backups"


def list_backups(data_dir: Path) -> list[Path]:
    """Existing backups, oldest first."""
    folder = backup_dir(data_dir)
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX}")) if folder.is_dir() else []


def backup_now(db_path: Path, data_dir: Path) -> Path:
    """Copy the live database to a dated backup file (consistent even while it is in use)."""
    folder = ensure_private_dir(backup_dir(data_dir))
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    partial = target.with_suffix(".partial")
    try:
        source = sqlite3.connect(db_path)
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        partial.chmod(0o600)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"Backup to {folder} failed: {exc}") from None
    _prune(data_dir)
    return target


def backup_if_due(db_path: Path, data_dir: Path) -> Path | None:
    """Make a backup unless one was made today; returns the new backup or None."""
    today = datetime.now(timezone.utc).strftime("%Y%m%d")
    if any(p.name.startswith(f"{PREFIX}{today}") for p in list_backups(data_dir)):
        return None
    return backup_now(db_path, data_dir)


def _prune(data_dir: Path) -> None:
    for old in list_backups(data_dir)[:-KEEP]:
        old.unlink(missing_ok=True)


def verify(path: Path) -> None:
    """Raise CorruptDatabaseError unless ``path`` is a sound SQLite database with an issues table."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.execute("SELECT count(*) FROM issues").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise CorruptDatabaseError(f"{path} is not a Back Issue library: {exc}") from None
    if result != "ok":
        raise CorruptDatabaseError(f"{path} is damaged: {result}")


def restore(backup: Path, db_path: Path) -> Path | None:
    """Replace the database with a verified backup; the current file is kept beside it.

    The library must be closed. Returns where the replaced database was moved (None if there was none).
    """
    verify(backup)
    kept = None
    if db_path.exists():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        kept = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}{db_path.suffix}")
        os.replace(db_path, kept)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    partial = db_path.with_suffix(".partial")
    shutil.copyfile(backup, partial)
    partial.chmod(0o600)
    os.replace(partial, db_path)
    return kept


def restore_library(backup: Path, data_dir: Path) -> Path | None:
    """Replace the library in ``data_dir`` with a verified backup (see :func:`restore`)."""
    from reader.core._storage import DB_NAME

    return restore(backup, data_dir / DB_NAME)
