"""Normalising untrusted metadata (front matter, headers, feed fields) to the types ParsedIssue holds."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from typing import Any

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TEXT_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")
_NUMBER_IN_TITLE = re.compile(
    r"(?:#|\b(?:issue|no\.?|number|edition|episode|vol\.?)\s*#?\s*)(\d{1,6})\b", re.IGNORECASE
)
_MAX_TEXT = 500
# C0 and C1 controls (ESC, OSC...) that would reach a terminal or a window title; \t \n \r are spaces here.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # and lone surrogates
_MAX_NUMBER = 10**9


def first_scalar(value: Any) -> Any:
    """The value itself, or the first item of a list/tuple (front matter often lists one author)."""
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def clean_text(value: Any) -> str | None:
    """A one-line display string from a str/int/float value; None for anything else or blank."""
    value = first_scalar(value)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = " ".join(_CONTROLS.sub("", str(value)).split())[:_MAX_TEXT]
    return text or None


def strip_controls(text: str) -> str:
    """``text`` without C0/C1 control characters (terminal escapes) and lone surrogates, keeping tabs and newlines."""
    return _CONTROLS.sub("", text)


def normalise_date(value: Any) -> str | None:
    """An ISO ``YYYY-MM-DD`` date from a date, datetime or date-like string; None when unsure."""
    value = first_scalar(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    text = value.strip()[:100]
    return _iso_prefix(text) or _rfc2822(text) or _written_date(text)


def date_from_name(name: str) -> str | None:
    """The ISO date a file name starts with (``2023-01-11-import-ai.md``), else None."""
    match = _ISO_DATE.match(name)
    return _valid_date(*match.groups()) if match else None


def normalise_number(value: Any) -> int | None:
    """An issue number from an int or a string such as ``"313"``, ``"#313"``, ``"Issue 313"``."""
    value = first_scalar(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < _MAX_NUMBER else None
    if isinstance(value, str):
        match = re.search(r"\d{1,9}", value)
        return int(match.group()) if match else None
    return None


def number_from_title(title: str, publication: str = "") -> int | None:
    """The issue number a title states ("#12", "Issue 12", "Import AI 313: ..."), else None."""
    match = _NUMBER_IN_TITLE.search(title)
    if match:
        return int(match.group(1))
    if publication and title.lower().startswith(publication.lower()):
        rest = re.match(r"\s*(\d{1,6})\b", title[len(publication) :])
        if rest:
            return int(rest.group(1))
    return None


def _valid_date(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _iso_prefix(text: str) -> str | None:
    match = _ISO_DATE.match(text)
    return _valid_date(*match.groups()) if match else None


def _rfc2822(text: str) -> str | None:
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed else None


def _written_date(text: str) -> str | None:
    for fmt in _TEXT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


_MAX_KEY = 1000


def source_key(kind: str, value: Any, scope: str = "") -> str | None:
    """A source's own identity for an issue, ``kind:value`` (Message-ID, guid, link, front matter id).

    A value that is not globally unique by its shape (no ``:``, ``@`` or ``/`` in it: "313", "a1")
    is scoped by ``scope`` (the publication), so two feeds numbering their entries 1, 2, 3 do not
    collide. None for a missing, blank or non-scalar value.
    """
    value = first_scalar(value)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = "".join(str(value).split())[:_MAX_KEY]
    if not text:
        return None
    if not any(mark in text for mark in ":@/"):
        text = f"{' '.join(scope.casefold().split())}|{text}"
    return f"{kind}:{text}"
