"""Input that cannot be imported ends in one IngestError naming the file, never another exception."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core._ingest import MAX_FILE_BYTES, parse_file
from reader.core.errors import IngestError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def _expect_error(path: Path, message: str) -> IngestError:
    with pytest.raises(IngestError, match=message) as caught:
        parse_file(path)
    assert caught.value.path == str(path)
    return caught.value


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: no disk used
    assert path.stat().st_size > MAX_FILE_BYTES
    _expect_error(path, r"^huge\.md: too large \(100 MB; the limit is 50 MB\)$")


@pytest.mark.parametrize("content", [b"", b"   \n\t\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    _expect_error(path, r"^empty\.txt: the file is empty$")


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n" + bytes(range(200, 256)), b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", b"# title\x00\x01\x02" * 20],
)
def test_a_binary_renamed_md_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(content)
    _expect_error(path, r"^notes\.md: a binary file, not a newsletter$")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    _expect_error(tmp_path / "gone.md", r"gone\.md: no such file$")
    _expect_error(tmp_path, r"a folder, not a file$")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions (not root)")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.md"
    path.write_text("# hi\n", encoding="utf-8")
    path.chmod(0)
    _expect_error(path, r"locked\.md: cannot read it")
