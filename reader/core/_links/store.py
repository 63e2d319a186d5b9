"""The link index in SQLite: each work once (``works``), each citation of it (``citations``).

Derived data, like the search index: ``catch_up`` scans the issues whose text it has not seen
(``link_scans`` remembers the content hash each was scanned at) and stores their citations; the
counts on ``works`` are refreshed for the works the triggers marked (``works_dirty``), so an issue
deleted or re-dated elsewhere is reflected at the next catch-up.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

from reader.core._links.extract import FoundCitation, extract_citations, title_key
from reader.core._links.urls import WorkRef, work_from_query
from reader.core._rendered import RenderCache
from reader.core._storage import Database
from reader.core.types import Citation, ImportProgress, LinkedWork, ProgressCallback

BATCH = 100
POPULAR = 1000
"""A work with more citations than this is read issue by issue, newest first, when a page is asked for."""
ANCHOR_SEPARATOR = "\x1f"
_WORK_COLUMNS = "w.key, w.kind, w.site, w.url, w.title, w.issues, w.publications, w.citations, " \
                "w.first_seen, w.last_seen, w.anchors"
_REFRESH = """
UPDATE works SET (issues, publications, citations, first_seen, last_seen) = (
    SELECT count(DISTINCT c.issue_id), count(DISTINCT i.publication), count(*), min(i.date), max(i.date)
    FROM citations c JOIN issues i ON i.id = c.issue_id WHERE c.work_id = works.id),
  anchors = coalesce((SELECT group_concat(anchor, char(31)) FROM (
    SELECT anchor FROM citations WHERE work_id = works.id GROUP BY anchor ORDER BY count(*) DESC, anchor LIMIT 5
  )), ''),
  title = coalesce((SELECT title FROM citations WHERE work_id = works.id
                    ORDER BY length(title_key) DESC, ordinal LIMIT 1), title)
WHERE id IN (SELECT work_id FROM works_dirty)
"""


_SHOWN_TITLE = ("CASE WHEN w.kind = 'github' THEN substr(w.url, 20) WHEN w.title != '' THEN w.title"
                " WHEN w.anchors != '' THEN substr(w.anchors, 1, instr(w.anchors || char(31), char(31)) - 1)"
                " ELSE w.url END")
WORK_ORDERS: dict[str, str] = {
    "issues": "w.issues", "publications": "w.publications", "title": f"lower({_SHOWN_TITLE})",
    "site": "lower(w.site)", "first_seen": "coalesce(w.first_seen, '')", "last_seen": "coalesce(w.last_seen, '')",
    "anchors": "lower(w.anchors)",
}
"""What the Links view sorts by: the SQL of each order (the title as ``_work`` shows it)."""


class LinkIndex:
    """Keeps the citations of every issue and answers the Links view, ``cited-by`` and ``links``."""

    def __init__(self, db: Database, render: RenderCache, lock: threading.RLock) -> None:
        self._db = db
        self._render = render
        self._lock = lock

    # -- catching up -------------------------------------------------------------------------------
    def pending(self) -> list[str]:
        """Issues whose citations are not stored for their current text."""
        # Two covering indexes (issues_content_hash, link_scans_hash): no issue's text is read.
        rows = self._db.query(
            "SELECT i.id FROM issues i WHERE NOT EXISTS (SELECT 1 FROM link_scans s INDEXED BY link_scans_hash"
            " WHERE s.issue_id = i.id AND s.content_hash = i.content_hash)"
        )
        return [row[0] for row in rows]

    def catch_up(self, progress: ProgressCallback | None = None) -> int:
        """Scan every pending issue (in batches, one transaction each); returns how many were scanned."""
        ids = self.pending()
        for start in range(0, len(ids), BATCH):
            if progress is not None and progress(ImportProgress(start, len(ids), stage="index")) is False:
                return start
            self._scan_batch(ids[start:start + BATCH])
        if self._db.query_one("SELECT 1 FROM works_dirty LIMIT 1") is not None:
            with self._lock, self._db.transaction() as tx:
                refresh_works(tx)
        return len(ids)

    def catch_up_issue(self, issue_id: str) -> None:
        """Scan one issue if its citations are not stored for its current text (the rest may wait)."""
        row = self._db.query_one(
            "SELECT 1 FROM issues i LEFT JOIN link_scans s ON s.issue_id = i.id WHERE i.id = ?"
            " AND (s.content_hash IS NULL OR s.content_hash != i.content_hash)", (issue_id,))
        if row is not None:
            self._scan_batch([issue_id])

    def store_found(self, found: Sequence[tuple[str, str, Sequence[FoundCitation]]]) -> None:
        """Store citations another pass extracted: (issue id, content hash they were read at, citations).

        The search index's catch-up renders every issue it indexes and extracts its citations for
        ``link:``; it hands them here, so an import renders each issue once, not twice.
        """
        if not found:
            return
        with self._lock, self._db.transaction() as tx:
            for issue_id, digest, citations in found:
                if tx.execute("SELECT 1 FROM issues WHERE id = ?", (issue_id,)).fetchone() is not None:
                    store_citations(tx, issue_id, digest, citations)
            refresh_works(tx)

    def _scan_batch(self, batch: Sequence[str]) -> None:
        found = []
        for issue_id in batch:
            row = self._db.query_one("SELECT content_hash FROM issues WHERE id = ?", (issue_id,))
            if row is None:
                continue  # deleted meanwhile
            rendered = self._render.get(issue_id, keep=False)
            found.append((issue_id, row[0], extract_citations(rendered.html, rendered.plain_text)))
        with self._lock, self._db.transaction() as tx:
            for issue_id, digest, citations in found:
                store_citations(tx, issue_id, digest, citations)
            refresh_works(tx)

    # -- reading -----------------------------------------------------------------------------------
    def works(self, site: str | None = None, text: str | None = None, order: str = "issues",
              descending: bool = True, offset: int = 0, limit: int | None = None) -> list[LinkedWork]:
        """Cited works, most cited first (or by ``order``, a key of ``WORK_ORDERS``); ``site`` keeps one
        site (and its subdomains), ``text`` those whose title, anchors, address or site hold every word.
        ``offset``/``limit`` read one page: the order and the filters are SQL, so a page of 10,000s of
        works costs one sorted scan, not the whole list."""
        where, params = self._filters(site, text)
        direction = "DESC" if descending else "ASC"
        if order == "issues":  # the default order: the works_ranked index, ties as before
            ordering = f"w.issues {direction}, w.last_seen {direction}, w.id"
        else:
            ordering = f"{WORK_ORDERS[order]} {direction}, w.issues DESC, w.id"
        sql = (f"SELECT {_WORK_COLUMNS} FROM works w WHERE {where}"  # noqa: S608 (constant SQL)
               f" ORDER BY {ordering} LIMIT ? OFFSET ?")
        return [_work(row) for row in self._db.query(sql, [*params, -1 if limit is None else limit, offset])]

    def works_count(self, site: str | None = None, text: str | None = None) -> int:
        """How many works ``works`` lists with these filters."""
        where, params = self._filters(site, text)
        row = self._db.query_one(f"SELECT count(*) FROM works w WHERE {where}", params)  # noqa: S608 (constant SQL)
        return int(row[0]) if row is not None else 0

    def sites(self, limit: int = 40) -> list[tuple[str, int]]:
        """The sites most works are on, with how many: (site, works), most first."""
        rows = self._db.query("SELECT site, count(*) FROM works WHERE citations > 0 AND site != ''"
                              " GROUP BY site ORDER BY count(*) DESC, site LIMIT ?", (limit,))
        return [(row[0], int(row[1])) for row in rows]

    @staticmethod
    def _filters(site: str | None, text: str | None) -> tuple[str, list[str]]:
        where, params = ["w.citations > 0"], []
        if site:
            site = site.strip().lower().removeprefix("www.")
            where.append("(lower(w.site) = ? OR w.site LIKE ?)")
            params += [site, f"%.{site}"]
        for word in (text or "").split():
            likes = [f"w.{column} LIKE ? ESCAPE '\\'" for column in ("title", "anchors", "url", "key", "site")]
            where.append("(" + " OR ".join(likes) + ")")
            params += [f"%{_like(word)}%"] * len(likes)
        return " AND ".join(where), params

    def find_work(self, text: str) -> LinkedWork | None:
        """The work ``text`` names: an address in any form, an arXiv id, a DOI, ``owner/repo``, a work key,
        or (failing those) a title cited without address."""
        text = text.strip()
        keys = [text] if ":" in text and not text.lower().startswith(("http:", "https:")) else []
        ref = work_from_query(text)
        if ref is not None:
            keys.insert(0, ref.key)
        for key in keys:
            row = self._db.query_one(f"SELECT {_WORK_COLUMNS} FROM works w WHERE w.key = ? AND w.citations > 0",  # noqa: S608 (constant column list)
                                     (key,))
            if row is not None:
                return _work(row)
        wanted = title_key(text)
        if wanted:
            row = self._db.query_one(
                f"SELECT {_WORK_COLUMNS} FROM citations c JOIN works w ON w.id = c.work_id"  # noqa: S608 (constant column list)
                " WHERE c.title_key = ? AND c.title_key != '' ORDER BY w.issues DESC LIMIT 1", (wanted,))
            if row is not None:
                return _work(row)
        return None

    def cited_by(self, key: str, limit: int | None = None) -> list[Citation]:
        """Every citation of the work with ``key`` (the newest ``limit``), newest issue first."""
        work = self._db.query_one("SELECT id, citations FROM works WHERE key = ?", (key,))
        if work is None:
            return []
        columns = (f"{_WORK_COLUMNS}, c.issue_id, i.title, i.publication, i.date, c.anchor, c.context,"
                   " c.start, c.url")
        if limit is not None and work[1] > POPULAR:
            # Walk the issues newest first (issues_date) and stop at ``limit``: sorting every citation of
            # a paper cited by every issue took seconds at 10,000 issues.
            source = "issues i CROSS JOIN citations c ON c.issue_id = i.id JOIN works w ON w.id = c.work_id"
        else:
            source = "citations c JOIN works w ON w.id = c.work_id JOIN issues i ON i.id = c.issue_id"
        rows = self._db.query(
            f"SELECT {columns} FROM {source} WHERE c.work_id = ?"  # noqa: S608 (constant SQL)
            " ORDER BY i.date DESC, i.id, c.ordinal LIMIT ?", (work[0], -1 if limit is None else limit))
        return [_citation(row) for row in rows]

    def issue_citations(self, issue_id: str) -> list[Citation]:
        """An issue's citations in reading order, each with its work's counts across the library."""
        rows = self._db.query(
            f"SELECT {_WORK_COLUMNS}, c.issue_id, i.title, i.publication, i.date, c.anchor, c.context, c.start, c.url"  # noqa: S608 (constant column list)
            " FROM citations c JOIN works w ON w.id = c.work_id JOIN issues i ON i.id = c.issue_id"
            " WHERE c.issue_id = ? ORDER BY c.ordinal", (issue_id,))
        return [_citation(row) for row in rows]

    def sharing_issues(self, issue_id: str) -> dict[str, list[tuple[str, int]]]:
        """Other issues citing a work this issue cites: issue id -> [(work title, issues citing it)]."""
        rows = self._db.query(
            "SELECT DISTINCT o.issue_id, w.title, w.issues FROM citations c"
            " JOIN citations o ON o.work_id = c.work_id AND o.issue_id != c.issue_id"
            " JOIN works w ON w.id = c.work_id WHERE c.issue_id = ?", (issue_id,))
        shared: dict[str, list[tuple[str, int]]] = {}
        for other, title, issues in rows:
            shared.setdefault(other, []).append((title, issues))
        return shared

    def counts(self) -> tuple[int, int]:
        """(works cited, citations) in the whole library."""
        row = self._db.query_one("SELECT (SELECT count(*) FROM works WHERE citations > 0),"
                                 " (SELECT count(*) FROM citations)")
        return (row[0], row[1]) if row is not None else (0, 0)


def store_citations(tx: sqlite3.Connection, issue_id: str, digest: str, found: Sequence[FoundCitation]) -> None:
    """Replace an issue's citations with ``found`` (inside the caller's transaction)."""
    tx.execute("DELETE FROM citations WHERE issue_id = ?", (issue_id,))
    for ordinal, cite in enumerate(found):
        work_id = _work_id(tx, cite)
        tx.execute(
            "INSERT INTO citations (issue_id, work_id, ordinal, url, anchor, context, start, title, title_key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (issue_id, work_id, ordinal, cite.work.url if cite.work else "", cite.anchor, cite.context,
             cite.start, cite.title, cite.title_key),
        )
        if cite.work is not None and cite.title_key:
            # Earlier citations of the same title without an address are this work.
            tx.execute(
                "UPDATE citations SET work_id = ? WHERE title_key = ? AND title_key != '' AND url = ''"
                " AND work_id != ?",
                (work_id, cite.title_key, work_id),
            )
    tx.execute("INSERT OR REPLACE INTO link_scans (issue_id, content_hash) VALUES (?, ?)", (issue_id, digest))


def refresh_works(tx: sqlite3.Connection) -> None:
    """Recount the works the triggers marked, and forget works no issue cites any more."""
    tx.execute(_REFRESH)
    tx.execute("DELETE FROM works WHERE id IN (SELECT work_id FROM works_dirty) AND citations = 0"
               " AND id NOT IN (SELECT work_id FROM citations)")
    tx.execute("DELETE FROM works_dirty")


def _work_id(tx: sqlite3.Connection, cite: FoundCitation) -> int:
    ref = cite.work
    if ref is None:
        if cite.title_key:  # a title another issue links with an address: that work
            # "title_key != ''" lets SQLite use the partial index citations_title
            row = tx.execute("SELECT work_id FROM citations WHERE title_key = ? AND title_key != '' AND url != ''"
                             " LIMIT 1", (cite.title_key,)).fetchone()
            if row is not None:
                return int(row[0])
        key = f"title:{cite.title_key or cite.title.casefold()}|{cite.source.casefold()}"
        ref = WorkRef(key, "title", cite.site, "")
    row = tx.execute("SELECT id FROM works WHERE key = ?", (ref.key,)).fetchone()
    if row is not None:
        return int(row[0])
    cursor = tx.execute("INSERT INTO works (key, kind, site, url, ident, title) VALUES (?, ?, ?, ?, ?, ?)",
                        (ref.key, ref.kind, ref.site, ref.url, ref.ident, cite.title))
    return int(cursor.lastrowid or 0)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _work(row: Any) -> LinkedWork:
    anchors = tuple(a for a in (row[10] or "").split(ANCHOR_SEPARATOR) if a)
    title = row[4] or (anchors[0] if anchors else row[3])
    if row[1] == "github":  # link texts of a repository are rarely its name ("code is on GitHub")
        title = row[3].removeprefix("https://github.com/")
    return LinkedWork(row[0], row[1], row[2], row[3], title,
                      row[5], row[6], row[7], row[8], row[9], anchors)


def _citation(row: Any) -> Citation:
    return Citation(_work(row), row[11], row[12], row[13], row[14], row[15], row[16], row[17], row[18])
