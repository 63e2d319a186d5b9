"""The index folder: its schema stamp, checking that an index in it can be read, and resetting it."""

from __future__ import annotations

import gc
import json
import re
import shutil
import warnings
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage, RamStorage

from reader.core._search.schema import SCHEMA_VERSION, build_schema

INDEX_NAME = "MAIN"
STAMP_FILE = "backissue-index.json"
# What Whoosh writes in its folder: _MAIN_<gen>.toc, MAIN_<id>.seg and friends, MAIN_WRITELOCK, MAIN.tmp/.
_WHOOSH_NAME = re.compile(rf"^_?{INDEX_NAME}[_.]")
_TOC_NAME = re.compile(rf"^_{INDEX_NAME}_[0-9]+\.toc$")

STALE_MESSAGE = "The search index was made by an older version; rebuilding it"
MISSING_MESSAGE = "The search index is missing; building it"


def storage(folder: Path) -> FileStorage:
    """The folder as Whoosh storage, without memory maps.

    With a map, Whoosh copies each segment's sub-files (postings, terms) whole into a BytesIO when a
    reader opens them: the index's size again in private memory, for every open reader (peak RSS
    599 MB at 10,000 issues). Read through the file instead, the operating system's page cache keeps
    what is used, once.
    """
    return FileStorage(str(folder), supports_mmap=False)


def read_stamp(folder: Path) -> str | None:
    """The schema version the folder's index was made with, or None when unknown."""
    try:
        data = json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("schema") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None


def check_folder(folder: Path) -> str | None:
    """Why the index in ``folder`` cannot be used as it is, in words; None when it can."""
    names = [p.name for p in folder.iterdir()]
    if not any(_TOC_NAME.match(name) for name in names):
        if any(_WHOOSH_NAME.match(name) for name in names):
            return "The search index was damaged (its table of contents is missing); rebuilding it"
        return MISSING_MESSAGE
    if read_stamp(folder) != SCHEMA_VERSION:
        return STALE_MESSAGE
    # Whoosh leaves the files of an index it failed to read open; they are closed as the error unwinds
    # (or by the collection below), quietly: the message returned says what matters.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            validate(storage(folder).open_index(INDEX_NAME))
        except Exception as exc:  # any failure to read derived data means: rebuild it
            problem = f"The search index was damaged ({type(exc).__name__}); rebuilding it"
        else:
            return None
        gc.collect()
    return problem


def validate(ix: Any) -> None:
    """Read a little of every segment, so a truncated or garbled file fails here rather than mid-search."""
    with ix.reader() as reader:
        last = reader.doc_count_all() - 1
        if last >= 0:
            reader.stored_fields(last)
        for fieldname in ("key", "text"):
            for btext in _first(reader.lexicon(fieldname)):
                list(reader.postings(fieldname, btext).all_ids())


def _first(items: Any) -> list[Any]:
    for item in items:
        return [item]
    return []


def reset_folder(folder: Path) -> Any:
    """Delete Whoosh's files and the stamp (nothing else), then create an empty index and stamp it."""
    for path in folder.iterdir():
        if path.name == STAMP_FILE or _WHOOSH_NAME.match(path.name):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    ix = storage(folder).create_index(build_schema(), indexname=INDEX_NAME)
    (folder / STAMP_FILE).write_text(json.dumps({"schema": SCHEMA_VERSION}) + "\n", encoding="utf-8")
    return ix


def open_folder(folder: Path) -> tuple[Any, str | None]:
    """Open (or reset and create) the index in ``folder``: the Whoosh index and a message, or None.

    Never raises for a bad folder: when the folder cannot be written at all, the index lives in
    memory for this session and the message says so.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        problem = check_folder(folder)
        if problem is None:
            return storage(folder).open_index(INDEX_NAME), None
        return reset_folder(folder), problem
    except OSError as exc:
        ix = RamStorage().create_index(build_schema(), indexname=INDEX_NAME)
        reason = exc.strerror or type(exc).__name__  # e.g. "Not a directory", "Permission denied"
        return ix, f"The search index folder {folder} cannot be used ({reason}); searching in memory for now"
