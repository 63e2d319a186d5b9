"""Reading newsletter files: detect the format, decode the text, split it into ParsedIssue records.

``parse_file`` is the one entry point; it raises IngestError (with a reason a person understands)
for anything it cannot import.
"""

from __future__ import annotations

from pathlib import Path

from reader.core.errors import IngestError
from reader.core.ingest.plaintext import parse_plaintext
from reader.core.types import ParsedIssue

MAX_FILE_BYTES = 50 * 1024 * 1024


def parse_file(path: Path) -> list[ParsedIssue]:
    """Read one file and return the issues it holds (at least one) or raise IngestError."""
    data = _read_bytes(path)
    text = _decode(data, path)
    issues = parse_plaintext(text, source=str(path))
    if not issues:
        raise IngestError(f"{path.name}: no newsletter issue found in this file", str(path))
    return issues


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(
                f"{path.name}: too large ({size // (1024 * 1024)} MB; the limit is "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB)",
                str(path),
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file", str(path)) from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror})", str(path)) from None
    if not data.strip():
        raise IngestError(f"{path.name}: the file is empty", str(path))
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{path.name}: a binary file, not a newsletter", str(path))
    return data


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
