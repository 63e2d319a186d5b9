"""Backups are verified before they enter the rotation; restore keeps what the live library held."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.core import DB_NAME, Library, LibraryLockedError, StorageError, restore_library

ROOT = Path(__file__).resolve().parents[2]


def _highlight_then_die(data_dir: Path) -> str:
    """A process highlights a passage and dies without closing: its commit is in the WAL only.

    This is what a killed window leaves behind (SQLite checkpoints on a clean close only).
    """
    code = (
        "import os, sys\nfrom reader.core import Library\n"
        "lib = Library(sys.argv[1])\niid = lib.list_issues()[0].id\n"
        "print(lib.annotate(iid, lib.plain_text(iid)[10:40].strip(), note='kept note').highlight.id, flush=True)\n"
        "os._exit(0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    return done.stdout.strip()


def _count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_restore_keeps_the_work_that_was_only_in_the_wal(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        backup = lib.backup()
    assert backup is not None
    highlight_id = _highlight_then_die(seeded_dir)
    assert Path(f"{seeded_dir / DB_NAME}-wal").stat().st_size > 0  # the highlight is in the WAL only

    kept = restore_library(backup, seeded_dir)

    assert kept is not None and _count(kept, "highlights") == 1  # was 0: the WAL was deleted
    conn = sqlite3.connect(kept)
    assert conn.execute("SELECT note FROM highlights WHERE id = ?", (highlight_id,)).fetchone()[0] == "kept note"
    conn.close()
    with Library(seeded_dir) as lib:
        assert lib.highlights() == [] and len(lib.list_issues()) == 13


def test_restore_refuses_while_a_library_is_open_and_says_who(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        backup = lib.backup()
        assert backup is not None
        iid = lib.list_issues()[0].id
        lib.annotate(iid, lib.plain_text(iid)[10:40].strip(), note="written by the window")
        with pytest.raises(LibraryLockedError, match=rf"process {os.getpid()} \("):
            restore_library(backup, seeded_dir)
        assert len(lib.highlights()) == 1  # nothing was replaced under the open library
    kept = restore_library(backup, seeded_dir)  # closed: now it may
    assert kept is not None and _count(kept, "highlights") == 1


def test_restore_refuses_while_another_process_holds_the_library(seeded_dir: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.sqlite3"
    shutil.copyfile(seeded_dir / DB_NAME, backup)
    code = (
        "import sys, time\nfrom reader.core import Library\n"
        "lib = Library(sys.argv[1])\nprint('open', flush=True)\ntime.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(seeded_dir)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(LibraryLockedError, match=rf"process {holder.pid} \(-c"):
            restore_library(backup, seeded_dir)
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    assert restore_library(backup, seeded_dir) is not None  # a killed holder's lock is gone with it


def test_restore_from_a_name_with_a_hash_leaves_no_stray_files(seeded_dir: Path, tmp_path: Path) -> None:
    # SQLite URIs end the path at '#': "file:.../my#backup.sqlite3?mode=ro" opened (and created) ".../my".
    folder = tmp_path / "saved"
    folder.mkdir()
    backup = folder / "my#backup.sqlite3"
    with Library(seeded_dir) as lib:
        made = lib.backup()
    assert made is not None
    shutil.copyfile(made, backup)
    restore_library(backup, seeded_dir)
    assert sorted(p.name for p in folder.iterdir()) == ["my#backup.sqlite3"]


def _damage_an_overflow_page(db: Path) -> None:
    """Point the first overflow page of a long note at a page that does not exist.

    Overflow pages (SQLite file format, section 1.6) start with the 4-byte number of the next one.
    """
    data = bytearray(db.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    page = next(p for p in range(len(data) // size) if data[p * size + 4 : (p + 1) * size] == b"Q" * (size - 4))
    data[page * size : page * size + 4] = (0x7FFFFFFF).to_bytes(4, "big")
    db.write_bytes(bytes(data))


def test_a_damaged_backup_never_pushes_out_a_good_one(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        good = lib.backup()
        assert good is not None
        iid = lib.list_issues()[0].id
        lib.annotate(iid, lib.plain_text(iid)[10:40].strip(), note="Q" * 20_000)
    for day in range(1, 8):  # a week of good daily backups
        shutil.copyfile(good, good.with_name(f"library-2026110{day}-030000.sqlite3"))
    good.unlink()
    before = sorted(p.name for p in (seeded_dir / "backups").iterdir())
    _damage_an_overflow_page(seeded_dir / DB_NAME)

    with Library(seeded_dir) as lib:
        assert len(lib.list_issues()) == 13  # the damage does not show in the list
        assert lib.health() == []
        with pytest.raises(StorageError, match=r"backup .* failed: the copy is damaged .*7 backups .* were kept"):
            lib.backup()
        assert lib.health() and "damaged" in lib.health()[0]
    with Library(seeded_dir) as lib:  # a later window still learns of it
        assert "failed" in lib.health()[0]
        with pytest.raises(StorageError, match="damaged"):
            lib.backup(if_due=True)  # the daily backup keeps failing, and saying so
    kept = sorted(p.name for p in (seeded_dir / "backups").glob("library-*.sqlite3"))
    assert kept == [name for name in before if name.startswith("library-")]  # all seven good ones


def test_backissue_backup_of_a_damaged_library_exits_1_with_words(
    seeded_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library(seeded_dir) as lib:
        iid = lib.list_issues()[0].id
        lib.annotate(iid, lib.plain_text(iid)[10:40].strip(), note="Q" * 20_000)
    _damage_an_overflow_page(seeded_dir / DB_NAME)
    assert main(["--data-dir", str(seeded_dir), "backup"]) == 1  # was 0, "Backed up to ..."
    err = capsys.readouterr().err
    assert "failed: the copy is damaged" in err and "Traceback" not in err
    assert list((seeded_dir / "backups").glob("library-*")) == []
