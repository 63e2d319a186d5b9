"""The data dir is used as found, odd places give messages in words, exports replace only their own files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reader.cli import main
from reader.core import DB_NAME, Library, ReaderError, StorageError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_existing_data_dir_keeps_its_permissions(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o750)
    with Library(folder):
        pass
    assert _mode(folder) == 0o750  # was chmodded to 0700
    assert _mode(folder / DB_NAME) == 0o600


def test_a_new_data_dir_is_private(tmp_path: Path) -> None:
    with Library(tmp_path / "new" / "data"):
        pass
    assert _mode(tmp_path / "new" / "data") == 0o700 and _mode(tmp_path / "new" / "data" / DB_NAME) == 0o600


def test_a_data_dir_that_is_a_file_gets_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("mine\n")
    with pytest.raises(StorageError, match="is not a folder"):
        Library(not_a_folder)  # was FileExistsError from mkdir
    assert main(["--data-dir", str(not_a_folder), "list"]) == 1
    assert "is not a folder" in capsys.readouterr().err
    assert not_a_folder.read_text() == "mine\n"


def test_an_unusable_job_lock_gives_a_message(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "job.lock").mkdir()  # cannot be opened for writing (permissions do not stop root, this does)
    assert main(["--data-dir", str(data), "import", str(seeds_dir / "001_783a6711c307df5b.txt")]) == 1
    err = capsys.readouterr().err
    assert "Cannot use the library's job lock" in err and "Traceback" not in err  # was IsADirectoryError
    with Library(data) as lib:  # searching does not need the job lock
        lib.import_paths([seeds_dir / "001_783a6711c307df5b.txt"])
        assert lib.search("Embeddings")


def test_an_unusable_index_write_lock_gives_a_message(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    with Library(data):
        pass
    (data / "index" / "MAIN_WRITELOCK").mkdir()  # Whoosh's write lock cannot be opened
    assert main(["--data-dir", str(data), "import", str(seeds_dir / "001_783a6711c307df5b.txt")]) == 1
    err = capsys.readouterr().err
    assert "1 issue was stored, but the search index could not catch up" in err
    assert "cannot be written" in err and "Traceback" not in err
    assert main(["--data-dir", str(data), "reindex"]) == 1
    assert "cannot be written" in capsys.readouterr().err


def test_export_onto_a_fifo_refuses_and_leaves_it(seeded_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with Library(seeded_dir) as lib:
        iid = lib.list_issues()[0].id
        lib.annotate(iid, lib.plain_text(iid)[10:40].strip())
        with pytest.raises(ReaderError, match="it is a FIFO, not a regular file"):
            lib.export_json(fifo)  # was replaced by a regular file
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_reexport_removes_the_file_of_an_issue_left_without_annotations(seeded_dir: Path, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "my-own-note.md").write_text("---\ntitle: mine\ntags: [backissue]\n---\nkeep me\n")
    not_its_name = "---\nid: abc\ntags: [backissue]\n---\nnot ours: the name is not its id's\n"
    (vault / "copy-0123456789.md").write_text(not_its_name)
    with Library(seeded_dir) as lib:
        first, second = (i.id for i in lib.list_issues()[:2])
        only = lib.annotate(first, lib.plain_text(first)[10:40].strip()).highlight
        lib.annotate(second, lib.plain_text(second)[10:40].strip())
        [gone, kept] = lib.export_markdown(vault)
        lib.delete_highlight(only.id)

        assert lib.export_markdown(vault) == [kept]

    assert not gone.exists()  # was left behind, showing a deleted highlight
    assert sorted(p.name for p in vault.glob("*.md")) == sorted(["my-own-note.md", "copy-0123456789.md", kept.name])
