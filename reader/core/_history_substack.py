"""Substack's archive export: every post of a publication with its title, subtitle and date.

A writer's export (Settings -> Exports) is a zip with ``posts.csv`` (columns ``post_id``,
``post_date``, ``is_published``, ``email_sent_at``, ``inbox_sent_at``, ``type``, ``audience``,
``title``, ``subtitle``, ``podcast_url``) and ``posts/<post_id>.html`` (the post's body), where
``post_id`` is ``<number>.<slug>``. The export does not name the publication: it is given, else
taken from the export's file or folder name.
"""

from __future__ import annotations

import csv
import io
import re

from reader.core._history import ExportFiles, HistoryFormatError, HistoryWriter, day_of, front_matter
from reader.core._ingest.format_error import FormatError
from reader.core._ingest.html_to_markdown import html_to_markdown, text_to_markdown
from reader.core._ingest.markdown_escape import escape_inline
from reader.core.types import ParsedIssue

_POST_ID = re.compile(r"^[\w.\-]+$")


def import_substack(files: ExportFiles, publication: str | None, writer: HistoryWriter) -> None:
    """Import every published post of a Substack export through ``writer``."""
    text = files.text("posts.csv")
    if text is None:
        raise HistoryFormatError(f"{files.path.name}: not a Substack export (no posts.csv in it)")
    name = (publication or "").strip() or publication_from_name(files.path.stem)
    reader = csv.DictReader(io.StringIO(text))
    if not {"post_id", "title"} <= set(reader.fieldnames or []):
        raise HistoryFormatError("posts.csv: not Substack's (it needs the columns post_id and title)")
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise HistoryFormatError(f"posts.csv: cannot be read ({exc})") from None
    for row in rows:
        _import_post(files, name, row, writer)


def publication_from_name(stem: str) -> str:
    """"the-weekly-export" -> "The Weekly": the export's name without Substack's suffixes."""
    words = re.sub(r"[-_.]+", " ", stem).split()
    while words and (words[-1].lower() in ("export", "substack", "posts") or words[-1].isdigit()):
        words.pop()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "Substack"


def _import_post(files: ExportFiles, publication: str, row: dict[str, str], writer: HistoryWriter) -> None:
    post_id = (row.get("post_id") or "").strip()
    title = (row.get("title") or "").strip() or "(untitled)"
    if not post_id or not _POST_ID.match(post_id):
        writer.report("issue", title, "skipped", f"its post_id {post_id!r} is not a file name")
        return
    if (row.get("is_published") or "true").strip().lower() in ("false", "0", "no"):
        writer.report("issue", title, "skipped", "a draft, never published")
        return
    html = files.text(f"posts/{post_id}.html")
    if html is None:
        writer.report("issue", title, "skipped", f"the export has no posts/{post_id}.html")
        return
    try:
        body = html_to_markdown(html)
    except FormatError as exc:
        writer.report("issue", title, "skipped", f"its HTML cannot be read ({exc})")
        return
    subtitle = (row.get("subtitle") or "").strip()
    lead = f"*{escape_inline(subtitle)}*\n\n" if subtitle else ""
    date = day_of((row.get("post_date") or row.get("email_sent_at") or "").strip())
    fields = {"title": title, "subtitle": subtitle, "publication": publication, "post_id": post_id,
              "date": row.get("post_date"), "audience": row.get("audience"), "type": row.get("type")}  # fmt: skip
    writer.issue(ParsedIssue(
        publication=publication, title=title, markdown=lead + (body or text_to_markdown(title)),
        original=front_matter(fields, html), date=date, source=f"substack:{post_id}",
        key=f"substack:{publication.casefold()}:{post_id}",
    ))  # fmt: skip
