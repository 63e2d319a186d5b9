"""Recognising what a file holds by its content (the extension is only a tie-breaker)."""

from __future__ import annotations

import re
from typing import Literal

from reader.core._ingest.decode import bom_encoding, sniff_text

Format = Literal["markdown", "html", "email", "mbox", "feed", "text"]

_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"RIFF", "a media file"),
    (b"ID3", "an MP3 file"),
)
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13, 27})
_MAX_CONTROL_RATIO = 0.05

_XML_ROOT = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<\?[^>]*\?>|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)\s*)*"
    r"<(rss|feed|rdf:RDF)\b",
    re.DOTALL | re.IGNORECASE,
)
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b", re.I | re.S)
_HTML_TAG = re.compile(r"^\s*<(?:div|table|p|article|main|section|center|span|h[1-6])\b", re.I)
_EMAIL_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9-]{0,60}):[ \t]", re.MULTILINE)
_EMAIL_ONLY_HEADERS = {
    "to", "subject", "message-id", "mime-version", "content-type", "received", "return-path",
    "delivered-to", "list-id", "list-unsubscribe", "reply-to", "x-mailer", "dkim-signature",
}  # fmt: skip
_FRONT_MATTER_START = re.compile(r"^(?:---|\+\+\+)[ \t]*\r?\n")
_ATX_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
META_KEYS = frozenset({"title", "date", "publication", "newsletter", "category", "author", "number", "issue"})
_META_LINE = re.compile(r"^\s*([A-Za-z]+)[ \t]*:[ \t]*\S")
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def binary_kind(data: bytes) -> str | None:
    """What kind of binary file ``data`` starts like ("a PDF document"), or None for text."""
    head = data[:8192]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if bom_encoding(head):
        return None
    if b"\x00" in head:
        return "a binary file"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # one pass, not one per byte value
    if head and controls / len(head) > _MAX_CONTROL_RATIO:
        return "a binary file"
    return None


def detect_format(data: bytes, suffix: str = "") -> Format:
    """The format of a text document, from its first few kilobytes (and its suffix when ambiguous)."""
    head = sniff_text(data)
    suffix = suffix.lower()
    if _looks_like_mbox(head) or (suffix in {".mbox", ".mbx"} and _looks_like_email(head)):
        return "mbox"
    if _XML_ROOT.match(head):
        return "feed"
    if _HTML_START.match(head) or (suffix in _HTML_SUFFIXES and _HTML_TAG.match(head)):
        return "html"
    if _looks_like_email(head):
        return "email"
    if suffix in _MARKDOWN_SUFFIXES or _looks_like_markdown(head):
        return "markdown"
    return "text"


def _looks_like_mbox(head: str) -> bool:
    """An mbox "From sender date" separator line followed by a header ("From the editor" is prose)."""
    lines = head.split("\n", 2)
    return lines[0].startswith("From ") and len(lines) > 1 and bool(_EMAIL_HEADER.match(lines[1]))


def _looks_like_email(head: str) -> bool:
    """A block of RFC 5322 headers at the very top, with From: and another header only mail has."""
    block = re.split(r"\r?\n\r?\n", head, maxsplit=1)[0]
    names = {m.group(1).lower() for m in _EMAIL_HEADER.finditer(block)}
    first = _EMAIL_HEADER.match(block)
    return bool(first) and "from" in names and bool(names & _EMAIL_ONLY_HEADERS)


def _looks_like_markdown(head: str) -> bool:
    """Front matter or a metadata header line opens the file, or it has an ATX heading."""
    if _FRONT_MATTER_START.match(head) or _ATX_HEADING.search(head[:2048]):
        return True
    meta = _META_LINE.match(head)
    return meta is not None and meta.group(1).lower() in META_KEYS
