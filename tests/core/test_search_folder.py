"""SearchIndex.open() on missing, stale, damaged and locked index folders: it says so and recovers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core._search import IssueDoc, SearchIndex
from reader.core._search.folder import STAMP_FILE
from reader.core.types import Issue

DOC = IssueDoc(Issue(id="i1", publication="Superfast AI", title="Robots"), [("", "Robots in factories.")])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An index folder holding one issue, closed, with a file of the user's beside Whoosh's."""
    index_dir = tmp_path / "index"
    index = SearchIndex(index_dir)
    index.open()
    index.rebuild([DOC])
    index.close()
    (index_dir / "readme.txt").write_text("not Whoosh's", encoding="utf-8")
    return index_dir


def _open(index_dir: Path) -> tuple[SearchIndex, str | None]:
    index = SearchIndex(index_dir)
    return index, index.open()


def _assert_reset_and_usable(index: SearchIndex, index_dir: Path) -> None:
    """Empty after the reset, rebuildable, and the user's file untouched."""
    assert index.doc_count() == 0
    index.rebuild([DOC])
    assert [hit.id for hit in index.search("robots")] == ["i1"]
    assert (index_dir / "readme.txt").read_text(encoding="utf-8") == "not Whoosh's"
    index.close()


def test_missing_folder_is_created_and_reported(tmp_path: Path) -> None:
    index, message = _open(tmp_path / "a" / "index")
    assert message == "The search index is missing; building it"
    assert index.doc_count() == 0
    index.close()


def test_good_folder_opens_silently(folder: Path) -> None:
    index, message = _open(folder)
    assert message is None
    assert index.doc_count() == 1
    index.close()


def test_other_schema_version_resets(folder: Path) -> None:
    (folder / STAMP_FILE).write_text(json.dumps({"schema": "backissue-search-0"}), encoding="utf-8")
    index, message = _open(folder)
    assert message == "The search index was made by an older version; rebuilding it"
    _assert_reset_and_usable(index, folder)
    assert json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))["schema"] != "backissue-search-0"


def test_missing_stamp_resets(folder: Path) -> None:
    (folder / STAMP_FILE).unlink()
    index, message = _open(folder)
    assert message is not None and "older version" in message
    _assert_reset_and_usable(index, folder)


def _whoosh_files(folder: Path, pattern: str) -> list[Path]:
    files = sorted(folder.glob(pattern))
    assert files, f"no {pattern} in {folder}"
    return files


def test_garbage_toc_resets(folder: Path) -> None:
    for toc in _whoosh_files(folder, "_MAIN_*.toc"):
        toc.write_bytes(b"\x00garbage\xff" * 10)
    index, message = _open(folder)
    assert message is not None and "damaged" in message
    _assert_reset_and_usable(index, folder)


def test_truncated_segment_resets(folder: Path) -> None:
    for segment in _whoosh_files(folder, "MAIN_*.seg"):
        data = segment.read_bytes()
        segment.write_bytes(data[: len(data) // 2])
    index, message = _open(folder)
    assert message is not None and "damaged" in message
    _assert_reset_and_usable(index, folder)


def test_missing_toc_resets(folder: Path) -> None:
    for toc in _whoosh_files(folder, "_MAIN_*.toc"):
        toc.unlink()
    index, message = _open(folder)
    assert message == "The search index was damaged (its table of contents is missing); rebuilding it"
    _assert_reset_and_usable(index, folder)
    assert not list(folder.glob("MAIN_*.seg.orphan"))


def test_stale_write_lock_of_a_dead_process_is_harmless(folder: Path) -> None:
    # A writer that dies leaves MAIN_WRITELOCK behind; Whoosh locks with flock, which dies with the
    # process, and commits through a new table of contents, so the index is whole: keep it.
    code = (
        "import os, sys\nfrom whoosh.filedb.filestore import FileStorage\n"
        "lock = FileStorage(sys.argv[1]).lock('MAIN_WRITELOCK')\nassert lock.acquire()\nos._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(folder)], check=True, timeout=60)
    assert (folder / "MAIN_WRITELOCK").exists()
    index, message = _open(folder)
    assert message is None
    assert index.doc_count() == 1
    index.update([IssueDoc(Issue(id="i2", publication="P", title="Cats"), [("", "Cats.")])])
    assert index.doc_count() == 2
    index.close()


def test_folder_that_is_a_file_falls_back_to_memory(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "index"
    not_a_folder.write_text("a user's file", encoding="utf-8")
    index, message = _open(not_a_folder)
    assert message is not None and "searching in memory" in message
    index.rebuild([DOC])
    assert [hit.id for hit in index.search("robots")] == ["i1"]
    assert not_a_folder.read_text(encoding="utf-8") == "a user's file"
    index.close()


def test_segments_are_read_through_files_not_copied_into_memory(folder: Path) -> None:
    """With memory maps Whoosh copies every segment's postings into a BytesIO per reader."""
    index, _ = _open(folder)
    index.update([IssueDoc(Issue(id="i2", publication="P", title="Gardening"), [("", "Soil.")])])
    reader = index._searcher.reader()
    for leaf, _ in reader.leaf_readers():
        postings = leaf._terms._postfile
        assert not hasattr(postings.file, "getbuffer")  # a BytesIO copy has one; a file does not
    assert [hit.id for hit in index.search("soil")] == ["i2"]
    index.close()
