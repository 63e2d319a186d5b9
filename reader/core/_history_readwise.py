"""Readwise's CSV export: highlights attached to issues already in the library, else to a stub issue.

Readwise's export (readwise.io/export, "Export to CSV") has the columns ``Highlight``, ``Book
Title``, ``Book Author``, ``Amazon Book ID``, ``Note``, ``Color``, ``Tags``, ``Location Type``,
``Location``, ``Highlighted at`` and ``Document tags``. Some exports (and Reader's) add a ``URL``
or ``Source URL`` column: when present it is matched first.

A document is found in the library by its address (an issue's source or key), else by its title
(same words, case aside). Its highlights are placed in that issue's text (detached when the text
is not found). A document not in the library becomes a stub issue whose text is its highlights.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from reader.core._history import HighlightRecord, HistoryFormatError, HistoryWriter, day_of, front_matter
from reader.core._ingest.html_to_markdown import text_to_markdown
from reader.core.types import ParsedIssue

SOURCE = "readwise"
_REQUIRED = ("Highlight", "Book Title")
_URL_COLUMNS = ("URL", "Source URL", "url", "source_url")


@dataclass
class _Document:
    title: str
    author: str
    url: str
    tags: str
    highlights: list[HighlightRecord] = field(default_factory=list)


def import_readwise(text: str, name: str, writer: HistoryWriter, find: Callable[[str, str], str | None]) -> None:
    """Import a Readwise CSV export's text; ``find(url, title)`` is an issue id already in the library."""
    for doc in read_documents(text, name):
        stub = _stub(doc)
        known_stub = writer.tx.execute("SELECT 1 FROM issues WHERE source_key = ?", (stub.key,)).fetchone()
        issue_id = None if known_stub else find(doc.url, doc.title)
        if issue_id is None:
            issue_id, plain = writer.issue(stub)  # a stub: new, or the one an earlier run made
        else:
            plain = writer.plain_text(issue_id)
        for record in doc.highlights:
            writer.highlight(issue_id, plain, record, SOURCE)


def read_documents(text: str, name: str) -> list[_Document]:
    """The export's highlights grouped by document, in file order; HistoryFormatError for another CSV."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = reader.fieldnames or []
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        raise HistoryFormatError(
            f"{name}: not a Readwise CSV export (no {' or '.join(repr(c) for c in missing)} column)"
        )
    url_column = next((c for c in _URL_COLUMNS if c in columns), None)
    docs: dict[tuple[str, str, str], _Document] = {}
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise HistoryFormatError(f"{name}: the CSV cannot be read ({exc})") from None
    for row in rows:
        title = (row.get("Book Title") or "").strip() or "(untitled)"
        author = (row.get("Book Author") or "").strip()
        url = (row.get(url_column) or "").strip() if url_column else ""
        doc = docs.setdefault((title, author, url), _Document(title, author, url, (row.get("Document tags") or "")))
        quote = (row.get("Highlight") or "").strip()
        stamp = (row.get("Highlighted at") or "").strip()
        source_id = hashlib.sha256(f"{title}\0{author}\0{quote}\0{stamp}".encode()).hexdigest()
        doc.highlights.append(HighlightRecord(source_id, quote, (row.get("Note") or "").strip(), _iso(stamp)))
    return list(docs.values())


def _stub(doc: _Document) -> ParsedIssue:
    body = "\n\n".join(text_to_markdown(h.quote) for h in doc.highlights if h.quote.strip()) or doc.title
    dates = sorted(d for d in (day_of(h.created) for h in doc.highlights) if d)
    fields = {"title": doc.title, "author": doc.author, "url": doc.url, "document_tags": doc.tags,
              "imported_from": "Readwise CSV (a stub: the document was not in the library)"}  # fmt: skip
    key = hashlib.sha256(f"{doc.title}\0{doc.author}\0{doc.url}".encode()).hexdigest()[:24]
    return ParsedIssue(
        publication=doc.author or "Readwise",
        title=doc.title,
        markdown=body,
        original=front_matter(fields, body),
        date=dates[0] if dates else None,
        author=doc.author or None,
        source=doc.url or "readwise",
        key=f"readwise:{key}",
    )


def _iso(stamp: str) -> str:
    """Readwise's ``2024-05-03 14:02:11+00:00`` as ``2024-05-03T14:02:11Z`` ("" when not a time)."""
    if len(stamp) < 19 or stamp[4] != "-":
        return ""
    return stamp[:10] + "T" + stamp[11:19] + "Z"
