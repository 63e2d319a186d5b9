"""Omnivore's export (the zip it gave users before shutting down): issues, labels and highlights.

The zip holds ``metadata_<from>_to_<to>.json`` files (a list of items: ``id``, ``slug``, ``title``,
``description``, ``author``, ``url``, ``state``, ``labels``, ``savedAt``, ``updatedAt``,
``publishedAt``), ``content/<slug>.html`` (the readable content) and ``highlights/<slug>.md``: each
highlight as ``> quote``, then its labels as ``#label`` words and its note, blocks separated by a
blank line (Omnivore's export-handler, ``highlightToMarkdown``).

Labels are kept in the issue's front matter (``labels:`` in its original text) and on the parsed
issue, to be mapped to tags once the library has them.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from reader.core._history import (
    ExportFiles,
    HighlightRecord,
    HistoryFormatError,
    HistoryWriter,
    day_of,
    front_matter,
)
from reader.core._ingest.format_error import FormatError
from reader.core._ingest.html_to_markdown import html_to_markdown, text_to_markdown
from reader.core.types import ParsedIssue

_METADATA = re.compile(r"^metadata_\d+_to_\d+\.json$")
_SLUG = re.compile(r"^[\w.\-]+$")
SOURCE = "omnivore"


def import_omnivore(files: ExportFiles, writer: HistoryWriter) -> None:
    """Import every item of an Omnivore export through ``writer``."""
    items = _items(files)
    for item in items:
        _import_item(files, writer, item)


def _items(files: ExportFiles) -> list[dict[str, Any]]:
    names = [n for n in files.names() if _METADATA.match(n)]
    if not names:
        raise HistoryFormatError(
            f"{files.path.name}: not an Omnivore export (no metadata_N_to_M.json file in it)"
        )
    items: list[dict[str, Any]] = []
    for name in names:
        try:
            data = json.loads(files.text(name) or "")
        except json.JSONDecodeError as exc:
            raise HistoryFormatError(f"{name}: not valid JSON ({exc})") from None
        if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
            raise HistoryFormatError(f"{name}: expected a list of items")
        items += data
    return items


def _import_item(files: ExportFiles, writer: HistoryWriter, item: dict[str, Any]) -> None:
    title = _text(item.get("title")) or _text(item.get("url")) or "(untitled)"
    item_id, slug = _text(item.get("id")), _text(item.get("slug"))
    if not item_id and not slug:
        writer.report("issue", title, "skipped", "the item has neither an id nor a slug")
        return
    if slug and not _SLUG.match(slug):
        writer.report("issue", title, "skipped", f"its slug {slug!r} is not a file name")
        return
    html = files.text(f"content/{slug}.html") if slug else None
    try:
        body = html_to_markdown(html) if html and html.strip() else ""
    except FormatError as exc:
        writer.report("issue", title, "skipped", f"its content cannot be read ({exc})")
        return
    description = _text(item.get("description"))
    markdown = body or text_to_markdown(description or title)
    labels = tuple(_labels(item.get("labels")))
    url = _text(item.get("url"))
    fields = {"title": title, "url": url, "author": _text(item.get("author")), "labels": list(labels),
              "omnivore_id": item_id, "slug": slug, "state": _text(item.get("state")),
              "saved": _text(item.get("savedAt")), "published": _text(item.get("publishedAt"))}  # fmt: skip
    parsed = ParsedIssue(
        publication=_publication(item),
        title=title,
        markdown=markdown,
        original=front_matter(fields, html or description),
        date=day_of(_text(item.get("publishedAt"))) or day_of(_text(item.get("savedAt"))),
        author=_text(item.get("author")) or None,
        source=url or f"omnivore:{slug}",
        key=f"omnivore:{item_id or slug}",
        labels=labels,
    )
    issue_id, text = writer.issue(parsed)
    notes = files.text(f"highlights/{slug}.md") if slug else None
    for number, record in enumerate(parse_highlights(notes or "")):
        keyed = HighlightRecord(f"{item_id or slug}#{number}:{record.quote}", record.quote, record.note)
        writer.highlight(issue_id, text, keyed, SOURCE)


def parse_highlights(markdown: str) -> list[HighlightRecord]:
    """The highlights of one ``highlights/<slug>.md``: each quote with its note (labels dropped).

    A block starting ``> `` begins a highlight (its lines continue until a blank line); a block
    made only of ``#label`` words holds its labels; any other block is (part of) its note.
    """
    records: list[HighlightRecord] = []
    quote: list[str] | None = None
    note: list[str] = []
    for block in re.split(r"\n\s*\n", markdown.replace("\r\n", "\n")):
        stripped = block.strip()
        if stripped.startswith(">"):
            if quote is not None:
                records.append(HighlightRecord("", _quote_text(quote), "\n\n".join(note)))
            quote, note = stripped.splitlines(), []
        elif quote is not None and stripped and not _only_labels(stripped):
            note.append(stripped)
    if quote is not None:
        records.append(HighlightRecord("", _quote_text(quote), "\n\n".join(note)))
    return records


def _quote_text(lines: list[str]) -> str:
    return " ".join(line.lstrip(">").strip() for line in lines if line.lstrip(">").strip())


def _only_labels(block: str) -> bool:
    return all(word.startswith("#") and len(word) > 1 for word in block.split())


def _labels(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    names = [v.get("name") if isinstance(v, dict) else v for v in value]
    return [n.strip() for n in names if isinstance(n, str) and n.strip()]


def _publication(item: dict[str, Any]) -> str:
    """The newsletter: its author (Omnivore's sender name for newsletters), else the site's host."""
    author = _text(item.get("author"))
    if author:
        return author
    host = urlsplit(_text(item.get("url"))).hostname or ""
    return host.removeprefix("www.") or "Omnivore"


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
