"""Odd things in an imported folder: pipes, links leaving the folder, folders that cannot be read (#13).

Before: a FIFO named ``x.md`` hung the import forever (holding the job lock), a link to
``/etc/passwd`` became an issue, and an unreadable subfolder was skipped without a word.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core._ingest import collect
from reader.core._ingest.collect import collect_files


@pytest.mark.timeout(30)
def test_a_fifo_named_like_markdown_is_skipped_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.md")
    (tmp_path / "ok.md").write_text("# Ok\n", encoding="utf-8")
    files, skipped = collect_files([tmp_path])
    assert files == [tmp_path / "ok.md"]
    assert skipped == [(tmp_path / "x.md", "not a regular file (a pipe, device or socket)")]


@pytest.mark.timeout(30)
def test_a_fifo_named_explicitly_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.md")
    reason = "not a regular file (a pipe, device or socket)"
    assert collect_files([tmp_path / "x.md"]) == ([], [(tmp_path / "x.md", reason)])


def test_a_link_leaving_the_folder_is_skipped_with_a_reason(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "passwd.txt").symlink_to(outside)
    (folder / "real.md").write_text("# Real\n", encoding="utf-8")
    (folder / "inside.md").symlink_to(folder / "real.md")
    files, skipped = collect_files([folder])
    assert skipped == [(folder / "passwd.txt", "link to a file outside the imported folder (not followed)")]
    assert files == [folder / "inside.md"]  # a link within the folder is fine (the real file is the same one)


def test_an_unreadable_subfolder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod 000 does not stop root (CI runs as root), so os.walk's listing of that folder is made to
    # fail as it does for an ordinary user: os.scandir raises PermissionError.
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.md").write_text("# Hidden\n", encoding="utf-8")
    (tmp_path / "ok.md").write_text("# Ok\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(collect.os, "scandir", scandir)
    files, skipped = collect_files([tmp_path])
    assert files == [tmp_path / "ok.md"]
    assert skipped == [(locked, "cannot read this folder (Permission denied)")]


def test_a_library_folder_inside_an_imported_folder_is_skipped(tmp_path: Path) -> None:
    # Importing a home folder must not import the library itself: its lock and holder records
    # (holders/<pid>.txt) are plain text files that would become "issues".
    library_dir = tmp_path / "backissue"
    (library_dir / "holders").mkdir(parents=True)
    (library_dir / "library.sqlite3").write_bytes(b"SQLite format 3\x00")
    (library_dir / "holders" / "123-1.txt").write_text("123 backissue gui\n", encoding="utf-8")
    (tmp_path / "issue.md").write_text("# An issue\n\nText.\n", encoding="utf-8")
    files, skipped = collect_files([tmp_path])
    assert files == [tmp_path / "issue.md"]
    assert (library_dir, "a Back Issue library's own folder (its database, index and backups)") in skipped
