"""Bringing a reader's history from another app: what every importer shares.

Each importer (Omnivore, Readwise, Substack, OPML) reads its export into plain records and hands
them to a ``HistoryWriter`` inside one transaction: issues go in through the same identity rules
as any import (a strong key from the export, so a second run finds them), highlights get an id
derived from the export's own, and every item is reported (added / attached / detached / skipped
with a reason). A second run of the same export adds nothing: every item is "skipped: already in
the library".
"""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reader.core import _highlights_store as highlights_store
from reader.core import _issues_store as issues_store
from reader.core._anchoring import Anchor, make_anchor, resolve_anchor
from reader.core._clock import now_iso
from reader.core._rendered import render_markdown
from reader.core.errors import ReaderError
from reader.core.types import Highlight, HistoryItem, HistoryKind, HistoryOutcome, ParsedIssue

ALREADY = "already in the library"
MAX_MEMBER_BYTES = 50 * 1024 * 1024
"""A file of an export larger than this is refused (real issues are well under 1 MB)."""


class HistoryFormatError(ReaderError):
    """An export file is not what its importer reads (the message says what is wrong)."""


@dataclass(frozen=True)
class HighlightRecord:
    """A highlight read from an export: its own id there, quote, note and time."""

    source_id: str
    quote: str
    note: str = ""
    created: str = ""


@dataclass
class HistoryWriter:
    """Stores issues and highlights of one export in the caller's transaction, reporting each."""

    tx: sqlite3.Connection
    plain_text: Callable[[str], str]
    items: list[HistoryItem] = field(default_factory=list)
    now: str = field(default_factory=now_iso)

    def report(
        self, kind: HistoryKind, name: str, outcome: HistoryOutcome, reason: str = "", issue_id: str = ""
    ) -> None:
        """Add one line to the report."""
        self.items.append(HistoryItem(kind, name, outcome, reason, issue_id))

    def issue(self, parsed: ParsedIssue) -> tuple[str, str]:
        """Store an issue; returns its id and its plain text (to anchor highlights in)."""
        decision = issues_store.upsert_issue(self.tx, parsed, self.now)
        if decision.outcome == "unchanged":
            self.report("issue", parsed.title, "skipped", ALREADY, decision.issue_id)
            return decision.issue_id, self.plain_text(decision.issue_id)
        reason = "updated from the export" if decision.outcome == "updated" else ""
        self.report("issue", parsed.title, "added", reason, decision.issue_id)
        if decision.outcome == "updated":
            highlights_store.reanchor(self.tx, decision.issue_id, render_markdown(parsed.markdown).plain_text, self.now)
        return decision.issue_id, render_markdown(parsed.markdown).plain_text

    def highlight(self, issue_id: str, text: str, record: HighlightRecord, source: str) -> None:
        """Place a highlight in its issue's ``text``; one that cannot be found is kept detached."""
        name = _short(record.quote)
        if not record.quote.strip():
            self.report("highlight", name or "(empty)", "skipped", "the highlight has no text")
            return
        hl_id = hashlib.sha256(f"{source}\0{record.source_id}".encode("utf-8", "surrogatepass")).hexdigest()[:20]
        if self.tx.execute("SELECT 1 FROM highlights WHERE id = ?", (hl_id,)).fetchone():
            self.report("highlight", name, "skipped", ALREADY, issue_id)
            return
        quote = " ".join(record.quote.split())
        span = resolve_anchor(Anchor(quote, "", "", 0, len(quote)), text)
        anchor = make_anchor(text, span.start, span.end) if span else Anchor(quote, "", "", 0, 0)
        created = record.created or self.now
        highlights_store.insert(self.tx, Highlight(
            id=hl_id, issue_id=issue_id, quote=anchor.quote, prefix=anchor.prefix, suffix=anchor.suffix,
            start=anchor.start, end=anchor.end, color="yellow", note=record.note, created=created,
            modified=created, detached=span is None,
        ))  # fmt: skip
        issues_store.mark_unindexed(self.tx, issue_id)
        if span is None:
            self.report("highlight", name, "detached", "its text was not found in the issue; kept detached", issue_id)
        else:
            self.report("highlight", name, "attached", "", issue_id)


def front_matter(fields: Mapping[str, object], body: str) -> str:
    """``body`` under a YAML front matter of ``fields`` (the export's own data, kept in ``original``)."""
    import yaml  # imported when a history is converted, not when the window starts

    kept = {k: v for k, v in fields.items() if v not in (None, "", [], ())}
    return "---\n" + yaml.safe_dump(kept, allow_unicode=True, sort_keys=False) + "---\n\n" + body


def day_of(stamp: str | None) -> str | None:
    """``2024-05-03`` from an ISO time (or None)."""
    if not stamp or len(stamp) < 10 or stamp[4] != "-" or stamp[7] != "-":
        return None
    return stamp[:10]


class ExportFiles:
    """The files of an export given as a zip or as the folder it was unpacked to (read by name only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if path.is_dir():
            self._names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise HistoryFormatError(f"{path.name}: not a zip file or folder ({exc})") from None
            self._names = sorted(i.filename for i in self._zip.infolist() if not i.is_dir())
        else:
            raise HistoryFormatError(f"{path}: no such file or folder")
        prefix = _common_folder(self._names)
        self._by_name = {name[len(prefix):]: name for name in self._names}

    def names(self) -> list[str]:
        """Every file's name relative to the export's top folder."""
        return sorted(self._by_name)

    def text(self, name: str) -> str | None:
        """The file's text (UTF-8, a BOM dropped), None when the export has no such file."""
        real = self._by_name.get(name)
        if real is None:
            return None
        if self._zip is not None:
            if self._zip.getinfo(real).file_size > MAX_MEMBER_BYTES:
                raise HistoryFormatError(f"{name}: larger than {MAX_MEMBER_BYTES // 2**20} MB")
            data = self._zip.read(real)
        else:
            file = self.path / real
            if file.stat().st_size > MAX_MEMBER_BYTES:
                raise HistoryFormatError(f"{name}: larger than {MAX_MEMBER_BYTES // 2**20} MB")
            data = file.read_bytes()
        return data.decode("utf-8-sig", errors="replace")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _common_folder(names: list[str]) -> str:
    """The one top folder every file is in ("export/"), else "" (exports are zipped either way)."""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in n for n in names):
        return next(iter(tops)) + "/"
    return ""


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
