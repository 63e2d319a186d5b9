"""Reading newsletter files: detect the format, decode the text, split it into ParsedIssue records.

``parse_file`` is the one entry point; it raises IngestError (with a reason a person understands)
for anything it cannot import. ``collect_files`` picks the importable files out of files and folders.
Formats are recognised by content: Markdown (with front matter), HTML, email (.eml, .mbox),
RSS/Atom, and plain text (the sample dumps).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reader.core._ingest.collect import collect_files, file_extension
from reader.core._ingest.decode import decode_bytes
from reader.core._ingest.detect import Format, binary_kind, detect_format
from reader.core._ingest.email_doc import parse_email, parse_mbox
from reader.core._ingest.feed_doc import parse_feed
from reader.core._ingest.format_error import FormatError
from reader.core._ingest.html_doc import declared_charset, parse_html
from reader.core._ingest.mailbox_stream import StreamItem, iter_mbox
from reader.core._ingest.markdown_doc import parse_markdown
from reader.core._ingest.plaintext import parse_plaintext
from reader.core.errors import IngestError
from reader.core.types import ParsedIssue

__all__ = ["MAX_FILE_BYTES", "StreamItem", "collect_files", "iter_file", "parse_file"]

MAX_FILE_BYTES = 50 * 1024 * 1024


def parse_file(path: Path) -> list[ParsedIssue]:
    """Read one file and return the issues it holds (at least one) or raise IngestError."""
    data = _read_bytes(path)
    kind = detect_format(data, file_extension(path))
    try:
        issues = _parse(kind, data, path)
    except FormatError as exc:
        raise IngestError(f"{path.name}: {exc}", str(path)) from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror or exc})", str(path)) from None
    if not issues:
        raise IngestError(f"{path.name}: no newsletter issue found in this file", str(path))
    return issues


def _parse(kind: Format, data: bytes, path: Path) -> list[ParsedIssue]:
    source = str(path)
    if kind == "mbox":
        return parse_mbox(path, source)
    if kind == "email":
        return [parse_email(data, source)]
    if kind == "feed":
        return parse_feed(data, source)
    text = decode_bytes(data, declared_charset(data) if kind == "html" else None)
    if not text.strip():
        raise FormatError("the file is empty")
    if kind == "html":
        return [parse_html(text, source, fallback_title=path.stem)]
    if kind == "markdown":
        return [parse_markdown(text, source, path.name)]
    return parse_plaintext(text, source=source)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(
                f"{path.name}: too large ({size // (1024 * 1024)} MB; the limit is "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB)",
                str(path),
            )
        with path.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file", str(path)) from None
    except IsADirectoryError:
        raise IngestError(f"{path}: a folder, not a file", str(path)) from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror})", str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise IngestError(f"{path.name}: too large (it grew while being read)", str(path))
    if not data.strip():
        raise IngestError(f"{path.name}: the file is empty", str(path))
    if binary_kind(data):
        raise IngestError(f"{path.name}: a binary file, not a newsletter", str(path))
    return data


def iter_file(path: Path) -> Iterator[StreamItem]:
    """The issues of one file as a stream: an mbox message by message (any size), other files at once.

    A message that cannot be read comes as a StreamItem with its problem; the others still come.

    Raises:
        IngestError: the file cannot be read or holds no issue (raised before the first item).
    """
    head = _read_head(path)
    if detect_format(head, file_extension(path)) != "mbox":
        for number, issue in enumerate(parse_file(path), start=1):
            yield StreamItem(number, issue=issue)
        return
    found = False
    try:
        for item in iter_mbox(path, str(path)):
            found = True
            yield item
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror or exc})", str(path)) from None
    if not found:
        raise IngestError(f"{path.name}: the mailbox holds no messages", str(path))


def _read_head(path: Path) -> bytes:
    """The first 8 KB, for telling an mbox (streamed, no size limit) from files read whole."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file", str(path)) from None
    except IsADirectoryError:
        raise IngestError(f"{path}: a folder, not a file", str(path)) from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror})", str(path)) from None
    if not head.strip():
        raise IngestError(f"{path.name}: the file is empty", str(path))
    if binary_kind(head):
        raise IngestError(f"{path.name}: a binary file, not a newsletter", str(path))
    return head
