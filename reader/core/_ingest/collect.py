"""Choosing which files of the paths a person picked are worth importing, and why the others are not."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from reader.core._ingest.detect import binary_kind

IMPORTABLE_SUFFIXES = frozenset(
    {
        "", ".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".html", ".htm", ".xhtml",
        ".eml", ".mbox", ".mbx", ".xml", ".rss", ".atom",
    }
)  # fmt: skip
_SNIFF_BYTES = 8192

Skipped = tuple[Path, str]


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The files to import under ``paths`` (folders recursively) and the ones skipped, with a reason.

    Hidden files and folders met while walking are skipped (a hidden file named explicitly is kept);
    so are files of other types (images, PDFs, archives, any binary by content) and missing paths.
    Files come back sorted within each folder, each once.
    """
    files: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for path in paths:
        for candidate, reason in _walk(Path(path)):
            if reason is not None:
                skipped.append((candidate, reason))
                continue
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    return files, skipped


def _walk(path: Path) -> Iterator[tuple[Path, str | None]]:
    """(path, None) for each file to import, (path, reason) for each one skipped."""
    if path.is_dir():
        yield from _walk_folder(path)
    elif path.is_file():
        yield path, skip_reason(path)
    elif path.exists():
        yield path, "not a regular file (a pipe, device or socket)"
    else:
        yield path, "no such file or folder"


def _walk_folder(folder: Path) -> Iterator[tuple[Path, str | None]]:
    unreadable: list[OSError] = []
    top = folder.resolve()
    for root, dirs, names in os.walk(folder, onerror=unreadable.append):
        yield from _unreadable_folders(unreadable)
        base = Path(root)
        if is_maildir(base):
            dirs[:] = [d for d in dirs if d != "tmp"]  # messages still being delivered
        if _in_maildir(base):
            yield from _maildir_messages(base, names)
            continue
        for name in sorted(dirs):
            if name.startswith("."):
                yield base / name, "hidden folder"
            elif (base / name).is_symlink():
                yield base / name, "link to a folder (not followed)"
            elif is_library_folder(base / name):
                yield base / name, "a Back Issue library's own folder (its database, index and backups)"
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and not (base / d).is_symlink() and not is_library_folder(base / d)
        )
        for name in sorted(names):
            path = base / name
            yield path, "hidden file" if name.startswith(".") else _not_regular(path, top) or skip_reason(path)
    yield from _unreadable_folders(unreadable)


LIBRARY_MARKER = "library.sqlite3"
"""A folder holding this file is a Back Issue library: never imported from (lock and holder files)."""


def is_library_folder(folder: Path) -> bool:
    """True for a Back Issue data dir (walking a home folder must not import the library itself)."""
    return (folder / LIBRARY_MARKER).is_file()


def _unreadable_folders(errors: list[OSError]) -> Iterator[tuple[Path, str | None]]:
    """Every folder os.walk could not list, said out loud (it would skip them without a word)."""
    while errors:
        exc = errors.pop(0)
        yield Path(exc.filename or "?"), f"cannot read this folder ({exc.strerror or exc})"


def _not_regular(path: Path, top: Path) -> str | None:
    """Why a file met in a folder is not read: a FIFO, device or socket (reading one could hang the
    import), or a link leading out of the folder being imported (``/etc/passwd``)."""
    try:
        if path.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(top):
                return "link to a file outside the imported folder (not followed)"
        mode = path.stat().st_mode
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop
        return f"cannot read it ({getattr(exc, 'strerror', None) or 'broken link'})"
    return None if stat.S_ISREG(mode) else "not a regular file (a pipe, device or socket)"


def skip_reason(path: Path) -> str | None:
    """Why ``path`` is not a newsletter file (by type, then by content), or None to import it."""
    suffix = file_extension(path)
    if suffix not in IMPORTABLE_SUFFIXES:
        return f"not a newsletter file type ({suffix})"
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    kind = binary_kind(head)
    return f"{kind}, not a newsletter" if kind else None


def file_extension(path: Path) -> str:
    """The lowercased extension, or "" when the last dot is prose ("Issue no. 5", "AI 1.11.2023")."""
    suffix = path.suffix.lower()
    word = suffix[1:]
    if word.isascii() and word.isalnum() and len(word) <= 8 and not word.isdigit():
        return suffix
    return ""


def path_text(path: Path | str) -> str:
    """The path as text that can be stored and shown: bytes that are not UTF-8 become U+FFFD."""
    return os.fsencode(path).decode("utf-8", errors="replace")


_MAILDIR_PARTS = ("cur", "new", "tmp")


def is_maildir(folder: Path) -> bool:
    """A Maildir: a folder holding ``cur/``, ``new/`` and ``tmp/``."""
    return all((folder / part).is_dir() for part in _MAILDIR_PARTS)


def _in_maildir(folder: Path) -> bool:
    return folder.name in ("cur", "new") and is_maildir(folder.parent)


def _maildir_messages(folder: Path, names: list[str]) -> Iterator[tuple[Path, str | None]]:
    """Every message of a Maildir's ``cur/`` or ``new/``: names like ``1696233600.M1P2.host:2,S`` have no type."""
    for name in sorted(names):
        path = folder / name
        if name.startswith("."):
            yield path, "hidden file"
            continue
        try:
            with path.open("rb") as handle:
                kind = binary_kind(handle.read(_SNIFF_BYTES))
        except OSError as exc:
            yield path, f"cannot read it ({exc.strerror or exc})"
            continue
        yield path, f"{kind}, not a newsletter" if kind else None
