"""OPML subscription lists, the format every feed reader imports and exports.

OPML 2.0 (opml.org/spec2): ``<opml version="2.0"><head><title/></head><body>`` with an
``<outline type="rss" text="..." title="..." xmlUrl="..." htmlUrl="..."/>`` per feed, possibly
nested in folder outlines. Importing adds each feed as a subscription without fetching it (the
next refresh does); the XML is parsed by defusedxml, which refuses entity tricks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from xml.etree.ElementTree import Element, SubElement, indent, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from reader.core._clock import now_iso
from reader.core._history import HistoryFormatError, HistoryWriter
from reader.core._subscriptions import check_url
from reader.core.errors import FeedError
from reader.core.types import Subscription

MAX_OPML_BYTES = 10 * 1024 * 1024


def import_opml(data: bytes, name: str, writer: HistoryWriter) -> None:
    """Subscribe to every feed of an OPML file (no network: the next refresh fetches them)."""
    if len(data) > MAX_OPML_BYTES:
        raise HistoryFormatError(f"{name}: larger than {MAX_OPML_BYTES // 2**20} MB; not a subscription list")
    try:
        root = SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise HistoryFormatError(f"{name}: not readable OPML ({exc})") from None
    if root.tag != "opml" or root.find("body") is None:
        raise HistoryFormatError(f"{name}: not an OPML file (no <opml> with a <body>)")
    for outline in _feeds(root.find("body")):
        _subscribe(writer, outline)


def _feeds(node: Element | None) -> Iterator[Element]:
    if node is None:
        return
    for child in node.findall("outline"):
        if child.get("xmlUrl") or child.get("xmlurl"):
            yield child
        yield from _feeds(child)


def _subscribe(writer: HistoryWriter, outline: Element) -> None:
    raw = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
    title = (outline.get("title") or outline.get("text") or "").strip() or raw
    try:
        url = check_url(raw)
    except FeedError as exc:
        writer.report("feed", title, "skipped", str(exc))
        return
    if _subscribed(writer.tx, url):
        writer.report("feed", title, "skipped", "already subscribed")
        return
    writer.tx.execute("INSERT INTO feeds (url, title, added) VALUES (?, ?, ?)", (url, title, now_iso()))
    writer.report("feed", title, "added", "fetched at the next refresh")


def _subscribed(tx: sqlite3.Connection, url: str) -> bool:
    return tx.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone() is not None


def opml_text(subscriptions: Sequence[Subscription]) -> str:
    """The subscriptions as an OPML 2.0 document."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = "Back Issue subscriptions"
    SubElement(head, "dateCreated").text = now_iso()
    body = SubElement(root, "body")
    for feed in subscriptions:
        SubElement(body, "outline", type="rss", text=feed.title, title=feed.title, xmlUrl=feed.url)
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"
