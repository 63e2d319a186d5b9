"""Reading newsletter files: detect the format, decode the text, split it into ParsedIssue records.

``parse_file`` is the one entry point; it raises IngestError (with a reason a person understands)
for anything it cannot import. ``collect_files`` picks the importable files out of files and folders.
Formats are recognised by content: Markdown (with front matter), HTML, email (.eml, .mbox),
RSS/Atom, and plain text (the sample dumps).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from reader.core._ingest.collect import collect_files, file_extension, path_text
from reader.core._ingest.decode import decode_bytes
from reader.core._ingest.detect import Format, binary_kind, detect_format
from reader.core._ingest.format_error import FormatError
from reader.core._ingest.mailbox_stream import StreamItem, iter_mbox
from reader.core._ingest.meta import strip_controls
from reader.core._ingest.own_export import OwnExportError, is_own_export, own_export_reason
from reader.core.errors import IngestError
from reader.core.types import ParsedIssue

__all__ = ["MAX_FILE_BYTES", "OwnExportError", "StreamItem", "collect_files", "iter_file", "parse_file"]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ISSUE_CHARS = 5_000_000  # a single-issue file (Markdown, HTML); real issues are well under 1 MB


def parse_file(path: Path, notes: list[str] | None = None) -> list[ParsedIssue]:
    """Read one file and return the issues it holds (at least one) or raise IngestError.

    Parts of the file that were skipped (an unreadable message of an mbox) are described in
    ``notes`` when it is given.

    Raises:
        OwnExportError: the file is Back Issue's own Markdown export (an IngestError).
        IngestError: anything else it cannot import, with the reason.
    """
    data = _read_bytes(path)
    kind = detect_format(data, file_extension(path))
    try:
        issues = _parse(kind, data, path, notes)
    except FormatError as exc:
        raise IngestError(f"{path.name}: {exc}", str(path)) from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror or exc})", str(path)) from None
    except (RecursionError, MemoryError, UnicodeError) as exc:  # one odd file never stops the others
        raise IngestError(f"{path.name}: cannot be read ({_failure(exc)})", str(path)) from None
    if not issues:
        raise IngestError(f"{path.name}: no newsletter issue found in this file", str(path))
    return [_without_controls(issue, path) for issue in issues]


def _without_controls(issue: ParsedIssue, path: Path) -> ParsedIssue:
    """Titles, publications and authors never carry terminal escapes (ESC, OSC) to a terminal or window
    title; a title that was nothing but control characters becomes the file's name."""
    author = strip_controls(issue.author) if issue.author else issue.author
    title, publication = strip_controls(issue.title), strip_controls(issue.publication)
    title = title.strip() or strip_controls(path_text(path).rsplit("/", 1)[-1]).strip() or "Untitled issue"
    publication = publication.strip() or "Unknown newsletter"
    return replace(issue, title=title, publication=publication, author=author)


def _parse(kind: Format, data: bytes, path: Path, notes: list[str] | None) -> list[ParsedIssue]:
    # Each format's parser is imported when a file of it comes (email, feedparser, YAML...): the
    # window's start imports none of them.
    source = path_text(path)  # a name with a non-UTF-8 byte cannot be stored as it is
    if kind in ("mbox", "email"):
        from reader.core._ingest.email_doc import parse_email, parse_mbox

        return parse_mbox(path, source, notes) if kind == "mbox" else [parse_email(data, source)]
    if kind == "feed":
        from reader.core._ingest.feed_doc import parse_feed

        return parse_feed(data, source)
    from reader.core._ingest.html_doc import declared_charset, parse_html
    from reader.core._ingest.markdown_doc import parse_markdown, split_front_matter
    from reader.core._ingest.plaintext import parse_plaintext

    text = decode_bytes(data, declared_charset(data) if kind == "html" else None)
    if not text.strip():
        raise FormatError("the file is empty")
    if kind in ("html", "markdown"):
        _check_issue_size(len(text))
    if kind == "html":
        return [parse_html(text, source, fallback_title=Path(source).stem)]
    if kind == "markdown":
        if is_own_export(split_front_matter(text)[0]):
            raise OwnExportError(own_export_reason(path.name), source)
        return [parse_markdown(text, source, Path(source).name)]
    return parse_plaintext(text, source=source)


def _check_issue_size(chars: int) -> None:
    """One issue larger than MAX_ISSUE_CHARS is refused (a 49 MB Markdown file took 1.16 GB to import)."""
    if chars > MAX_ISSUE_CHARS:
        raise FormatError(
            f"too long for one issue ({chars // 1_000_000} million characters; the limit is "
            f"{MAX_ISSUE_CHARS // 1_000_000} million)"
        )


def _failure(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "its structure is nested too deep"
    if isinstance(exc, MemoryError):
        return "not enough memory to read it"
    return f"a text encoding error: {exc}"


def _read_bytes(path: Path) -> bytes:
    size = 0
    with contextlib.suppress(OSError):  # _read_at_most says in words why it cannot be read
        size = path.stat().st_size
    if size > MAX_FILE_BYTES:  # refused before a byte is read (read(n) would allocate n bytes)
        raise IngestError(
            f"{path.name}: too large ({size // (1024 * 1024)} MB; the limit is "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB)",
            str(path),
        )
    data = _read_at_most(path, None)
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
        for item in iter_mbox(path, path_text(path)):
            found = True
            yield item if item.issue is None else replace(item, issue=_without_controls(item.issue, path))
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror or exc})", str(path)) from None
    if not found:
        raise IngestError(f"{path.name}: the mailbox holds no messages", str(path))


def _read_at_most(path: Path, limit: int | None) -> bytes:
    """The file's first ``limit`` bytes (all with None); IngestError in words when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return handle.read() if limit is None else handle.read(limit)
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file", str(path)) from None
    except IsADirectoryError:
        raise IngestError(f"{path}: a folder, not a file", str(path)) from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror})", str(path)) from None


def _read_head(path: Path) -> bytes:
    """The first 8 KB, for telling an mbox (streamed, no size limit) from files read whole."""
    head = _read_at_most(path, 8192)
    if not head.strip():
        raise IngestError(f"{path.name}: the file is empty", str(path))
    if binary_kind(head):
        raise IngestError(f"{path.name}: a binary file, not a newsletter", str(path))
    return head
