"""Newsletters as email: one ``.eml`` message, or an ``.mbox`` holding one issue per message."""

from __future__ import annotations

import email.errors
import email.utils
import mailbox
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path

from reader.core._ingest.decode import decode_bytes
from reader.core._ingest.format_error import FormatError
from reader.core._ingest.html_to_markdown import html_to_markdown, text_to_markdown
from reader.core._ingest.mail_meta import gmail_labels, is_newsletter, mail_publication, sender_name
from reader.core._ingest.meta import clean_text, normalise_date, number_from_title
from reader.core.types import ParsedIssue

# Header and MIME parsing of hostile mail can trip these inside the stdlib's email package.
_EMAIL_FAILURES = (email.errors.MessageError, ValueError, LookupError, TypeError, AttributeError)
_CUT_OFF = (email.errors.CloseBoundaryNotFoundDefect, email.errors.StartBoundaryNotFoundDefect)


def parse_email(data: bytes, source: str) -> ParsedIssue:
    """One issue from the bytes of one RFC 5322 message.

    Raises:
        FormatError: the message has no readable body or its MIME structure is cut off.
    """
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return _issue_from_message(message, source)


def parse_mbox(path: Path, source: str) -> list[ParsedIssue]:
    """Every message of an mbox file, in file order, one issue each.

    Raises:
        FormatError: the mbox holds no message, or one message is unreadable (named by its number).
    """
    box = mailbox.mbox(path, create=False)
    try:
        raw_messages = [box.get_bytes(key) for key in box.iterkeys()]
    finally:
        box.close()
    if not raw_messages:
        raise FormatError("the mailbox holds no messages")
    issues = []
    for index, raw in enumerate(raw_messages, start=1):
        try:
            issues.append(parse_email(raw, source))
        except FormatError as exc:
            raise FormatError(f"message {index} of {len(raw_messages)}: {exc}") from None
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
