"""Newsletters as email: one ``.eml`` message, or an ``.mbox`` holding one issue per message."""

from __future__ import annotations

import email.errors
import email.utils
import mailbox
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from pathlib import Path

from reader.core._ingest.decode import decode_bytes
from reader.core._ingest.format_error import FormatError
from reader.core._ingest.html_to_markdown import html_to_markdown, text_to_markdown
from reader.core._ingest.mail_meta import gmail_labels, is_newsletter, mail_publication, sender_name
from reader.core._ingest.meta import clean_text, normalise_date, number_from_title, source_key
from reader.core.types import ParsedIssue

# Header and MIME parsing of hostile mail can trip these inside the stdlib's email package.
_EMAIL_FAILURES = (email.errors.MessageError, ValueError, LookupError, TypeError, AttributeError)
MAX_HEADER_CHARS = 16 * 1024  # far more than any real Subject, From or Content-Type
_CUT_OFF = (email.errors.CloseBoundaryNotFoundDefect, email.errors.StartBoundaryNotFoundDefect)


def parse_email(data: bytes, source: str) -> ParsedIssue:
    """One issue from the bytes of one RFC 5322 message.

    Raises:
        FormatError: the message has no readable body or its MIME structure is cut off.
    """
    try:
        message = BytesParser(policy=_CAPPED_POLICY).parsebytes(data)
        assert isinstance(message, EmailMessage)
        return _issue_from_message(message, source)
    except RecursionError:
        raise FormatError("the message's MIME parts are nested too deep") from None


class _CappedHeaders(EmailPolicy):
    """The default policy, but a header value is cut to MAX_HEADER_CHARS before it is parsed.

    The stdlib's structured header parser is quadratic: a 2 MB Subject took 75 s and 1.3 GB.
    """

    def header_fetch_parse(self, name: str, value: str) -> str:
        if isinstance(value, str):
            value = _undeclared_bytes(value[:MAX_HEADER_CHARS])
        return super().header_fetch_parse(name, value)  # type: ignore[no-any-return]


def _undeclared_bytes(value: str) -> str:
    """A header with raw 8-bit bytes (no RFC 2047 encoding, as old list mail has) read as UTF-8, else Latin-1.

    The parser keeps such bytes as lone surrogates, which no database or window can take.
    """
    if value.isascii() or not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


_CAPPED_POLICY = _CappedHeaders()


def parse_mbox(path: Path, source: str, notes: list[str] | None = None) -> list[ParsedIssue]:
    """Every readable message of an mbox file, in file order, one issue each.

    A message that cannot be read is skipped and named by its number in ``notes``; the others import.

    Raises:
        FormatError: the mbox holds no message, or none of its messages is readable.
    """
    box = mailbox.mbox(path, create=False)
    try:
        raw_messages = [box.get_bytes(key) for key in box.iterkeys()]
    finally:
        box.close()
    if not raw_messages:
        raise FormatError("the mailbox holds no messages")
    issues, problems = [], []
    for index, raw in enumerate(raw_messages, start=1):
        try:
            issues.append(parse_email(raw, source))
        except FormatError as exc:
            problems.append(f"message {index} of {len(raw_messages)} skipped: {exc}")
    if not issues:
        raise FormatError(f"no readable message ({problems[0]})")
    if notes is not None:
        notes.extend(problems)
    return issues


def _issue_from_message(message: EmailMessage, source: str) -> ParsedIssue:
    if any(isinstance(d, _CUT_OFF) for part in message.walk() for d in part.defects):
        raise FormatError("the message is cut off (its MIME parts never close)")
    markdown, original = _body(message)
    return _mail_issue(message, markdown, original, source)


def _mail_issue(message: EmailMessage, markdown: str, original: str, source: str) -> ParsedIssue:
    """The issue's fields from the headers: publication by mail_meta's rules, the list/platform signals."""

    def header(name: str) -> str:
        if name.endswith(" (raw)"):
            return _raw_header(message, name.removesuffix(" (raw)"))
        return _header(message, name)

    title = clean_text(header("Subject")) or "(no subject)"
    publication = mail_publication(header, title)
    return ParsedIssue(
        publication=publication,
        title=title,
        markdown=markdown,
        original=original,
        number=number_from_title(title, publication),
        date=normalise_date(header("Date")),
        author=sender_name(_raw_header(message, "From") or header("From")),
        source=source,
        key=source_key("mid", _header(message, "Message-ID"), publication),
        newsletter=is_newsletter(header),
        labels=gmail_labels(header),
    )


def _raw_header(message: Message, name: str) -> str:
    """A header as written, unfolded (the parsed From drops pipermail's ``(Name)`` comment)."""
    try:
        for key, value in message.raw_items():
            if key.lower() == name.lower():
                return " ".join(str(make_header(decode_header(str(value)))).split())
    except _EMAIL_FAILURES:
        return ""
    return ""


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
        return str(value) if value is not None else ""
    except _EMAIL_FAILURES:
        return ""


def _body(message: EmailMessage) -> tuple[str, str]:
    """The body as (Markdown, original text): the HTML part when it has text, else the plain part."""
    for kind in ("html", "plain"):
        part = _find_part(message, kind)
        if part is None:
            continue
        original = _part_text(part)
        markdown = html_to_markdown(original) if kind == "html" else text_to_markdown(original)
        if markdown.strip():
            return markdown, original
    raise FormatError("the email has no body")


def _find_part(message: EmailMessage, kind: str) -> EmailMessage | None:
    try:
        part = message.get_body(preferencelist=(kind,))
    except _EMAIL_FAILURES:
        return None
    return part if isinstance(part, EmailMessage) else None


def _part_text(part: EmailMessage) -> str:
    try:
        payload = part.get_payload(decode=True)
    except _EMAIL_FAILURES:
        return ""
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError, ValueError):
            pass
    return decode_bytes(payload)
