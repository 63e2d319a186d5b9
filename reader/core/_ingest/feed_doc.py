"""RSS and Atom documents: the feed is the publication, each entry an issue.

feedparser reads the XML with expat; before it does, the document goes through defusedxml so that
entity declarations (billion laughs, external entities) and malformed or cut-off XML are refused
without expanding anything.
"""

from __future__ import annotations

import io
import time
import xml.etree.ElementTree as ET
from typing import Any
from xml.parsers import expat

import defusedxml
import defusedxml.ElementTree
import feedparser

from reader.core._ingest.format_error import FormatError
from reader.core._ingest.html_to_markdown import html_to_markdown, text_to_markdown
from reader.core._ingest.markdown_escape import escape_inline, safe_url
from reader.core._ingest.meta import clean_text, number_from_title, source_key
from reader.core.types import ParsedIssue

# RSS written for browsers uses HTML entities (&nbsp;) that XML does not define; feedparser's
# lenient parser reads them, so that one well-formedness error is let through.
_UNDEFINED_ENTITY = expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def check_xml(data: bytes) -> None:
    """Refuse XML that declares entities, references external ones, or is not well-formed.

    Raises:
        FormatError: with the reason and, for malformed XML, the line and column.
    """
    parser = defusedxml.ElementTree.DefusedXMLParser(target=_Discard(), forbid_dtd=False)
    try:
        parser.feed(data)
        parser.close()
    except defusedxml.EntitiesForbidden:
        raise FormatError("the feed declares XML entities, which are refused for safety") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise FormatError("the feed refers to external XML resources, which are refused") from None
    except LookupError:
        raise FormatError("the feed declares an encoding that does not exist") from None
    except ET.ParseError as exc:
        if exc.code != _UNDEFINED_ENTITY:
            line, column = exc.position
            raise FormatError(f"the feed is not well-formed XML (line {line}, column {column})") from None


def parse_feed(data: bytes, source: str, base_url: str = "") -> list[ParsedIssue]:
    """Every entry of an RSS or Atom document, as issues of the feed's publication.

    Args:
        data: the feed document's bytes.
        source: stored on each issue (the file path or the feed URL).
        base_url: the address relative links are resolved against (a fetched feed's URL).

    Raises:
        FormatError: unsafe or malformed XML, not a feed, or a feed with no entries.
    """
    check_xml(data)
    headers = {"content-location": base_url} if base_url else {}
    # A stream, never bytes: feedparser would try to open bytes as a file name.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version"):
        raise FormatError("the XML is not an RSS or Atom feed")
    if not parsed.entries:
        raise FormatError("the feed has no entries")
    publication = clean_text(_field(parsed.feed, "title")) or "Feed"
    feed_author = clean_text(_field(parsed.feed, "author"))
    issues = [_entry_issue(entry, publication, feed_author, source) for entry in parsed.entries]
    found = [issue for issue in issues if issue is not None]
    if not found:
        raise FormatError("the feed's entries hold no text")
    return found


def _entry_issue(entry: Any, publication: str, feed_author: str | None, source: str) -> ParsedIssue | None:
    title = clean_text(_field(entry, "title")) or "(untitled)"
    original, markdown = _entry_body(entry)
    if not markdown.strip():
        link = str(_field(entry, "link") or "")
        if not link.startswith(("http://", "https://")):
            return None
        markdown = f"[{escape_inline(title)}]({safe_url(link)})\n"
    return ParsedIssue(
        publication=publication,
        title=title,
        markdown=markdown,
        original=original,
        number=number_from_title(title, publication),
        date=_entry_date(entry),
        author=clean_text(_field(entry, "author")) or feed_author,
        source=source,
        key=_entry_key(entry, publication),
    )


def _entry_key(entry: Any, publication: str) -> str | None:
    """The entry's identity: its id (RSS guid, Atom id), else its link."""
    return source_key("guid", _field(entry, "id"), publication) or source_key("url", _field(entry, "link"))


def _entry_body(entry: Any) -> tuple[str, str]:
    """(original, Markdown) from the entry's richest content, else its summary."""
    candidates = list(_field(entry, "content") or [])
    if _field(entry, "summary"):
        candidates.append(_field(entry, "summary_detail") or {"value": _field(entry, "summary")})
    candidates.sort(key=lambda c: str(_field(c, "type") or "") not in _HTML_TYPES)
    for candidate in candidates:
        value = str(_field(candidate, "value") or "")
        is_html = str(_field(candidate, "type") or "text/html") in _HTML_TYPES
        markdown = html_to_markdown(value) if is_html else text_to_markdown(value)
        if markdown.strip():
            return value, markdown
    return "", ""


def _entry_date(entry: Any) -> str | None:
    parsed = _field(entry, "published_parsed") or _field(entry, "updated_parsed")
    if not isinstance(parsed, time.struct_time):
        return None
    return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"


def _field(mapping: Any, key: str) -> Any:
    """A field as parsed, without feedparser's deprecated key aliases (updated -> published)."""
    return dict.get(mapping, key) if isinstance(mapping, dict) else None


class _Discard:
    """An ElementTree parser target that keeps nothing: the check needs no tree."""

    def close(self) -> None:
        return None
