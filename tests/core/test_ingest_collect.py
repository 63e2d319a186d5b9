"""collect_files: which files of the picked paths are imported, and why the others are skipped."""

from __future__ import annotations

from pathlib import Path

from reader.core._ingest import collect_files


def _tree(root: Path) -> None:
    files = {
        "a.md": b"# A\n",
        "b.txt": b"Plain\n",
        "Issue no. 5": b"An extensionless dump\n",
        "sub/c.html": b"<html><body><p>C</p></body></html>",
        "sub/deeper/d.eml": b"From: x@example.org\nTo: y@example.org\n\nHi\n",
        "sub/feed.xml": b"<rss version='2.0'/>",
        ".hidden.md": b"# secret\n",
        ".git/config": b"[core]\n",
        "photo.jpg": b"\xff\xd8\xff\xe0 jpeg",
        "renamed.txt": b"%PDF-1.4 not text",
        "archive.zip": b"PK\x03\x04",
        "data.json": b"{}",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_folders_are_walked_recursively_and_sorted(tmp_path: Path) -> None:
    _tree(tmp_path)
    files, _ = collect_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "Issue no. 5",
        "a.md",
        "b.txt",
        "sub/c.html",
        "sub/feed.xml",
        "sub/deeper/d.eml",
    ]


def test_hidden_and_unknown_and_binary_files_are_reported(tmp_path: Path) -> None:
    _tree(tmp_path)
    _, skipped = collect_files([tmp_path])
    reasons = {p.relative_to(tmp_path).as_posix(): reason for p, reason in skipped}
    assert reasons == {
        ".git": "hidden folder",
        ".hidden.md": "hidden file",
        "photo.jpg": "not a newsletter file type (.jpg)",
        "archive.zip": "not a newsletter file type (.zip)",
        "data.json": "not a newsletter file type (.json)",
        "renamed.txt": "a PDF document, not a newsletter",
    }


def test_explicit_files_missing_paths_and_duplicates(tmp_path: Path) -> None:
    _tree(tmp_path)
    hidden = tmp_path / ".hidden.md"
    files, skipped = collect_files([hidden, tmp_path / "a.md", tmp_path / "a.md", tmp_path / "nope.md"])
    assert files == [hidden, tmp_path / "a.md"]  # a file named explicitly is wanted, hidden or not
    assert skipped == [(tmp_path / "nope.md", "no such file or folder")]


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "x.md").write_text("# X\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    files, skipped = collect_files([tmp_path])
    assert files == [tmp_path / "real" / "x.md"]
    assert skipped == [(tmp_path / "loop", "link to a folder (not followed)")]
