"""Mailboxes of any size: an mbox read as a stream of messages, a Maildir's messages, one at a time.

An mbox is split on its ``From `` separator lines (at the start of the file or after a blank line)
while it is read, so memory holds one message, never the mailbox; ``>From `` lines (mboxrd quoting,
what Gmail Takeout writes) get their ``>`` back. A message larger than MAX_MESSAGE_BYTES is skipped
and named, the rest still import.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.core._ingest.format_error import FormatError
from reader.core.types import ParsedIssue

MAX_MESSAGE_BYTES = 50 * 1024 * 1024
_READ_CHUNK = 1024 * 1024  # a line longer than this is read in pieces


@dataclass(frozen=True)
class StreamItem:
    """One message of a mailbox: its issue, or why it was skipped (``number`` counts from 1)."""

    number: int
    issue: ParsedIssue | None = None
    problem: str = ""
    in_mailbox: bool = False


def iter_mbox(path: Path, source: str) -> Iterator[StreamItem]:
    """Each message of the mbox at ``path``, parsed, in file order; memory holds one message at a time.

    Raises:
        OSError: the file cannot be read.
    """
    from reader.core._ingest.email_doc import parse_email  # the email package: only when mail comes

    for number, (raw, too_large) in enumerate(_raw_messages(path), start=1):
        if too_large:
            limit = MAX_MESSAGE_BYTES // 2**20
            yield StreamItem(number, problem=f"message {number}: larger than {limit} MB, skipped", in_mailbox=True)
            continue
        try:
            yield StreamItem(number, issue=parse_email(raw, source), in_mailbox=True)
        except FormatError as exc:
            yield StreamItem(number, problem=f"message {number}: {exc}", in_mailbox=True)


def _raw_messages(path: Path) -> Iterator[tuple[bytes, bool]]:
    """(message bytes, too large) per message; the separator line itself is left out."""
    lines: list[bytes] = []
    size = 0
    too_large = False
    started = False
    previous_blank = True
    with path.open("rb") as handle:
        for line in iter(lambda: handle.readline(_READ_CHUNK), b""):
            if line.startswith(b"From ") and previous_blank:
                if started:
                    yield _finish(lines, too_large)
                lines, size, too_large, started = [], 0, False, True
                previous_blank = False
                continue
            previous_blank = line in (b"\n", b"\r\n")
            if not started or too_large:
                continue
            size += len(line)
            if size > MAX_MESSAGE_BYTES:
                too_large, lines = True, []
                continue
            lines.append(_unquote(line))
    if started:
        yield _finish(lines, too_large)


def _finish(lines: list[bytes], too_large: bool) -> tuple[bytes, bool]:
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]  # the blank line before the next separator belongs to the mbox
    return b"".join(lines), too_large


def _unquote(line: bytes) -> bytes:
    """mboxrd: ``>From `` (any number of ``>``) loses one ``>``."""
    if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
        return line[1:]
    return line
