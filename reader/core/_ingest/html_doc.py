"""Saved newsletter pages and HTML email bodies: metadata from the head, content as Markdown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from reader.core._ingest.format_error import FormatError
from reader.core._ingest.html_to_markdown import html_to_markdown
from reader.core._ingest.meta import clean_text, normalise_date, number_from_title
from reader.core.types import ParsedIssue

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_TITLE_META = ("og:title", "twitter:title", "title")
_SITE_META = ("og:site_name", "application-name")
_AUTHOR_META = ("author", "article:author", "dc.creator")
_DATE_META = ("article:published_time", "date", "dc.date", "pubdate", "og:published_time")


@dataclass
class HtmlMeta:
    """What an HTML document says about itself in its head (and its first heading)."""

    title: str | None = None
    site: str | None = None
    author: str | None = None
    date: str | None = None
    h1: str | None = None
    opened_html: bool = False
    closed_html: bool = False


def declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta charset>`` or http-equiv tag declares in the first kilobytes."""
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def read_meta(html: str) -> HtmlMeta:
    """Read title, site name, author, date and the first ``<h1>`` from an HTML document."""
    reader = _MetaReader()
    reader.feed(html)
    reader.close()
    meta = reader.meta
    return HtmlMeta(
        title=_first(reader.metas, _TITLE_META) or clean_text(reader.title_text),
        site=_first(reader.metas, _SITE_META),
        author=_first(reader.metas, _AUTHOR_META),
        date=normalise_date(_first(reader.metas, _DATE_META)),
        h1=clean_text(reader.h1_text),
        opened_html=meta.opened_html,
        closed_html=meta.closed_html,
    )


def parse_html(html: str, source: str, fallback_title: str) -> ParsedIssue:
    """One issue from a whole HTML document.

    Raises:
        FormatError: the document is cut off (opens ``<html>`` but never closes it) or has no text.
    """
    meta = read_meta(html)
    if meta.opened_html and not meta.closed_html:
        raise FormatError("the HTML is cut off (it never closes its <html> element)")
    markdown = html_to_markdown(html)
    if not markdown.strip():
        raise FormatError("the HTML page holds no readable text")
    title = meta.title or meta.h1 or fallback_title
    publication = meta.site or title
    return ParsedIssue(
        publication=publication,
        title=title,
        markdown=markdown,
        original=html,
        number=number_from_title(title, publication),
        date=meta.date,
        author=meta.author,
        source=source,
    )


def _first(metas: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = clean_text(metas.get(name))
        if value:
            return value
    return None


class _MetaReader(HTMLParser):
    """Collects <title>, <meta name/property=... content=...> and the first <h1> text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta = HtmlMeta()
        self.metas: dict[str, str] = {}
        self.title_text = ""
        self.h1_text = ""
        self._in: str | None = None
        self._h1_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.meta.opened_html = True
        elif tag == "meta":
            values = {k: v or "" for k, v in attrs}
            key = (values.get("property") or values.get("name") or "").lower()
            if key and key not in self.metas:
                self.metas[key] = values.get("content", "")
        elif tag == "title" and not self.title_text:
            self._in = "title"
        elif tag == "h1" and not self._h1_done:
            self._in = "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == "html":
            self.meta.closed_html = True
        if tag == self._in:
            self._h1_done = self._h1_done or tag == "h1"
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title" and len(self.title_text) < 1000:
            self.title_text += data
        elif self._in == "h1" and len(self.h1_text) < 1000:
            self.h1_text += data
