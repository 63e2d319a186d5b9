"""Keeps the Whoosh index (derived data) in step with SQLite (the store of record).

Issues whose row has ``indexed = 0`` are waiting for the index; ``catch_up`` feeds them to it in
batches and then marks them indexed. A missing, stale or damaged index is reset on open and every
issue is marked for indexing again, so the index can always be rebuilt from the database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal

from reader.core import _highlights_store as highlights_store
from reader.core import _issues_store as issues_store
from reader.core._job_lock import JobLock
from reader.core._render import section_texts
from reader.core._rendered import RenderCache
from reader.core._search import IssueDoc, SearchIndex
from reader.core._storage import Database
from reader.core.types import ImportProgress, ProgressCallback, SearchHit, TextSpan

BATCH = 200


class Indexer:
    """The bridge between the database and the search index."""

    def __init__(
        self, db: Database, index_dir: Path, render: RenderCache, lock: threading.RLock, jobs: JobLock
    ) -> None:
        self._db = db
        self._jobs = jobs
        self._render = render
        self._lock = lock
        self._index = SearchIndex(index_dir)
        self.message = self._index.open()
        if self.message is not None:
            self._mark_all_unindexed()

    def close(self) -> None:
        """Close the index."""
        self._index.close()

    def doc_count(self) -> int:
        """Number of issues in the index."""
        return self._index.doc_count()

    def _mark_all_unindexed(self) -> None:
        with self._lock, self._db.transaction() as tx:
            tx.execute("UPDATE issues SET indexed = 0")

    def pending(self) -> list[str]:
        """Ids of issues the index has not caught up with (0: changed; 2: being indexed, or killed meanwhile)."""
        return [row[0] for row in self._db.query("SELECT id FROM issues WHERE indexed != 1")]

    def catch_up(self, progress: ProgressCallback | None = None) -> int:
        """Index every pending issue, in batches; returns how many were indexed.

        The library lock is held one batch at a time, so a highlight made meanwhile waits for
        nothing but its own SQLite transaction.
        """
        self._forget_removed()
        ids = self.pending()
        for start in range(0, len(ids), BATCH):
            if progress is not None and progress(ImportProgress(start, len(ids), stage="index")) is False:
                return start
            with self._lock:
                self._index_batch(ids[start : start + BATCH])
        if ids and progress is not None:
            progress(ImportProgress(len(ids), len(ids), stage="index"))
        return len(ids)

    def removals(self) -> list[str]:
        """Ids of deleted issues the index still has to forget."""
        return [row[0] for row in self._db.query("SELECT issue_id FROM index_removals")]

    def _forget_removed(self) -> None:
        # The row went in with the deletion, in the same transaction: a kill before this point only
        # leaves the removal for the next catch-up. A re-imported issue of the same id is pending
        # and is indexed again below.
        with self._lock:
            ids = self.removals()
            if not ids:
                return
            self._index.delete(ids)
            with self._db.transaction() as tx:
                tx.executemany("DELETE FROM index_removals WHERE issue_id = ?", [(i,) for i in ids])

    def _index_batch(self, batch: list[str]) -> None:
        # Claim the rows (2), index them, then mark only rows still claimed: a change made while the
        # batch was being indexed set its row back to 0, so it stays pending for the next catch-up.
        params = [(i,) for i in batch]
        with self._db.transaction() as tx:
            tx.executemany("UPDATE issues SET indexed = 2 WHERE id = ?", params)
        self._index.update(self._docs(batch))
        with self._db.transaction() as tx:
            tx.executemany("UPDATE issues SET indexed = 1 WHERE id = ? AND indexed = 2", params)

    def rebuild(self, progress: ProgressCallback | None = None) -> None:
        """Rebuild the index from scratch from the database."""
        with self._lock:
            ids = [row[0] for row in self._db.query("SELECT id FROM issues")]

            def count(done: int) -> bool | None:
                return None if progress is None else progress(ImportProgress(done, len(ids)))

            self._index.rebuild(self._docs(ids), count)
            with self._db.transaction() as tx:
                tx.execute("UPDATE issues SET indexed = 1")
                tx.execute("DELETE FROM index_removals")

    def _docs(self, ids: list[str]) -> Iterator[IssueDoc]:
        labels = {c.key: c.label for c in highlights_store.color_labels(self._db)}
        for issue_id in ids:
            yield self._doc(issue_id, labels)

    def _doc(self, issue_id: str, labels: Mapping[str, str]) -> IssueDoc:
        rendered = self._render.get(issue_id, keep=False)  # the section texts come from render's own cache
        issue = issues_store.get_issue(self._db, issue_id, rendered.sections)
        sections = [(s.title if s else "", text) for s, text in section_texts(issue.markdown)]
        return IssueDoc(issue, sections, highlights_store.for_issue(self._db, issue_id), labels)

    def search(
        self, query: str, limit: int, sort: Literal["score", "date"], aliases: Mapping[str, str]
    ) -> list[SearchHit]:
        """Search, after catching up with any pending changes (unless a job in another process is at it)."""
        if (self.pending() or self.removals()) and not self._jobs.held_elsewhere():
            self.catch_up()
        hits = self._index.search(query, limit=limit, sort=sort, color_aliases=aliases)
        removed = set(self.removals())  # deleted while another process's job holds the index
        return [hit for hit in hits if hit.id not in removed] if removed else hits

    def count(self, query: str, aliases: Mapping[str, str]) -> int:
        """How many hits the query has in all, after catching up as ``search`` does."""
        self._catch_up_for_search()
        return self._index.count(query, aliases)

    def suggest(self, query: str, aliases: Mapping[str, str]) -> str | None:
        """The query with unknown words replaced by the nearest known ones, or None."""
        self._catch_up_for_search()
        return self._index.suggest(query, aliases)

    def _catch_up_for_search(self) -> None:
        if self.pending() and not self._jobs.held_elsewhere():
            self.catch_up()

    def match_spans(self, query: str, text: str) -> list[TextSpan]:
        """Where the query's terms occur in ``text``."""
        return self._index.match_spans(query, text)
