"""Keeps the Whoosh index (derived data) in step with SQLite (the store of record).

Issues whose row has ``indexed = 0`` are waiting for the index; ``catch_up`` feeds them to it in
batches and then marks them indexed. A missing, stale or damaged index is reset on open and every
issue is marked for indexing again, so the index can always be rebuilt from the database.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Literal

from reader.core import _highlights_store as highlights_store
from reader.core import _issues_store as issues_store
from reader.core import _links as links
from reader.core import _series as series
from reader.core import _tags as tags
from reader.core._job_lock import JobLock
from reader.core._render_ahead import MIN_ISSUES as RENDER_AHEAD_MIN
from reader.core._render_ahead import IndexTexts, RenderAhead, index_texts
from reader.core._rendered import RenderCache
from reader.core._search import IssueDoc, OpenSegment, SearchIndex
from reader.core._storage import Database
from reader.core.errors import SearchIndexError
from reader.core.types import ImportProgress, ProgressCallback, SearchHit, TextSpan

BATCH = 200
MAX_SEGMENT_BATCHES = 64
"""A catch-up's segments hold 1, 2, 4... batches, at most this many (12,800 issues: 50,000 in nine segments)."""
MERGE_BUDGET_PER_ISSUE = 2
"""A catch-up of n issues may rewrite up to 2n documents of older segments in merges (at least the
index's small budget): a large import pays for the merges its segments cause, a small one stays small."""


class Indexer:
    """The bridge between the database and the search index."""

    def __init__(
        self, db: Database, index_dir: Path, render: RenderCache, lock: threading.RLock, jobs: JobLock
    ) -> None:
        self._db = db
        self._jobs = jobs
        self._render = render
        self._ahead: RenderAhead | None = None
        self._lock = lock
        self._index = SearchIndex(index_dir)
        self.on_citations: Callable[[list[tuple[str, str, list[links.FoundCitation]]]], None] | None = None
        """Called after each indexed batch with the citations extracted from it (the link index keeps them)."""
        self._found: list[tuple[str, str, list[links.FoundCitation]]] = []
        self._collecting = False  # only a catch-up batch hands citations over (a rebuild would hold them all)
        self.message = self._index.open()
        if self.message is not None:
            self._mark_all_unindexed()

    def close(self) -> None:
        """Close the index."""
        self._index.close()

    def doc_count(self) -> int:
        """Number of issues in the index."""
        self._reopen_if_vanished()
        return self._index.doc_count()

    def _mark_all_unindexed(self) -> None:
        with self._lock, self._db.transaction() as tx:
            tx.execute("UPDATE issues SET indexed = 0")

    def pending(self) -> list[str]:
        """Ids of issues the index has not caught up with (0: changed; 2: being indexed, or killed meanwhile)."""
        return [row[0] for row in self._db.query("SELECT id FROM issues WHERE indexed != 1")]

    def catch_up(self, progress: ProgressCallback | None = None, *, helper: bool = True) -> int:
        """Index every pending issue, in batches; returns how many were indexed.

        Batches are written into segments of growing size (``segment_plan``): Whoosh's merges
        re-add every posting, so a large catch-up that writes few large segments never pays for
        merging its own small ones. The library lock is held one batch at a time, so a highlight
        made meanwhile waits for nothing but its own SQLite transaction. ``helper=False`` never
        starts the render helper process (a search's catch-up runs on a thread of a process that
        may show a window, where sending batches to a helper would hold the GIL).
        """
        self._reopen_if_vanished()
        self._forget_removed()
        ids = self.pending()
        batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
        ahead = self._ahead or RenderAhead(self._db, enabled=helper and len(ids) >= RENDER_AHEAD_MIN, min_issues=0)
        done = 0
        with self._index.merging(MERGE_BUDGET_PER_ISSUE * len(ids)), contextlib.ExitStack() as stack:
            if ahead is not self._ahead:
                stack.enter_context(ahead)
            if batches:
                ahead.submit(batches[0])
            groups = segment_plan(batches)
            for number, group in enumerate(groups):
                upcoming = groups[number + 1][0] if number + 1 < len(groups) else []
                finished = self._index_segment(group, upcoming, ahead, partial(_report, progress, done, len(ids)))
                done += finished
                if finished < sum(map(len, group)):
                    return done
        if ids and progress is not None:
            progress(ImportProgress(len(ids), len(ids), stage="index"))
        return len(ids)

    def _index_segment(
        self, group: list[list[str]], upcoming: list[str], ahead: RenderAhead, progress: Callable[[int], bool]
    ) -> int:
        """Index these batches into one segment; how many issues were indexed (0 when cancelled).

        Rows are claimed (``indexed = 2``) batch by batch and marked indexed only once the segment
        is committed, and only if still claimed: a change made meanwhile set its row back to 0, so it
        stays pending for the next catch-up (as does everything of a cancelled or killed segment).
        """
        with _index_folder_errors(self._index.index_dir):
            segment = self._index.open_segment()
        claimed: list[tuple[str]] = []
        try:
            for number, batch in enumerate(group):
                if not progress(len(claimed)):
                    segment.cancel()
                    return 0
                # the next batch is rendered in the helper while this one is indexed
                ahead.submit(group[number + 1] if number + 1 < len(group) else upcoming)
                with self._lock, _index_folder_errors(self._index.index_dir):
                    claimed += self._add_batch(segment, batch, ahead.take(batch))
            with self._lock, _index_folder_errors(self._index.index_dir):
                segment.commit()
        except BaseException:
            segment.cancel()
            raise
        with self._db.transaction() as tx:
            tx.executemany("UPDATE issues SET indexed = 1 WHERE id = ? AND indexed = 2", claimed)
        return len(claimed)

    @contextmanager
    def rendering_ahead(self) -> Iterator[RenderAhead]:
        """Within the block, issues submitted (as an import stores them) are rendered in a helper
        process for the catch-ups made in the block; see ``RenderAhead``."""
        with RenderAhead(self._db, min_issues=RENDER_AHEAD_MIN) as ahead:
            self._ahead = ahead
            try:
                yield ahead
            finally:
                self._ahead = None

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

    def _add_batch(
        self, segment: OpenSegment, batch: list[str], rendered: Mapping[str, IndexTexts]
    ) -> list[tuple[str]]:
        """Claim the rows (2) and add the issues to the open segment; the claimed rows' parameters."""
        params = [(i,) for i in batch]
        with self._db.transaction() as tx:
            tx.executemany("UPDATE issues SET indexed = 2 WHERE id = ?", params)
        self._found, self._collecting = [], self.on_citations is not None
        try:
            segment.add(self._docs(batch, rendered))
        finally:
            self._collecting = False
        if self.on_citations is not None:
            found, self._found = self._found, []
            self.on_citations(found)
        return params

    def rebuild(self, progress: ProgressCallback | None = None) -> None:
        """Rebuild the index from scratch from the database.

        Every issue is claimed (2) first and marked indexed (1) only if still claimed at the end: a
        highlight or note made meanwhile (here or in another process) set its row back to 0, so it
        stays pending for the next catch-up. Cancelled, the old index stays, and what was pending
        before stays pending.
        """
        with self._lock:
            self._reopen_if_vanished()
            waiting = [(i,) for i in self.pending()]
            forgotten = [(i,) for i in self.removals()]  # not in the rebuilt index; later deletions may be
            with self._db.transaction() as tx:
                tx.execute("UPDATE issues SET indexed = 2")
            ids = [row[0] for row in self._db.query("SELECT id FROM issues")]

            def count(done: int) -> bool | None:
                return None if progress is None else progress(ImportProgress(done, len(ids)))

            with _index_folder_errors(self._index.index_dir):
                done = self._index.rebuild(self._docs(ids), count)
            with self._db.transaction() as tx:
                tx.execute("UPDATE issues SET indexed = 1 WHERE indexed = 2")
                if done:
                    tx.executemany("DELETE FROM index_removals WHERE issue_id = ?", forgotten)
                else:
                    tx.executemany("UPDATE issues SET indexed = 0 WHERE id = ?", waiting)

    def tidy(self) -> list[int]:
        """Do the segment merges small imports left undone (any size); the segment sizes after it."""
        with self._lock, _index_folder_errors(self._index.index_dir):
            self._reopen_if_vanished()
            self._index.merge(budget=sum(self._index.segment_sizes()))
            return self._index.segment_sizes()

    def _reopen_if_vanished(self) -> None:
        """The index folder was deleted while open: start a new index and mark every issue pending."""
        if self._index.vanished():
            with self._lock:
                self.message = self._index.open()
                self._mark_all_unindexed()

    def differences(self) -> list[str]:
        """Where the index disagrees with the database, issue by issue and highlight by highlight.

        Issues waiting for the index (changed since it caught up) are left out: they are expected
        to differ until the next catch-up.
        """
        self._reopen_if_vanished()
        expected = self._expected_keys()
        settled = {row[0] for row in self._db.query("SELECT id FROM issues WHERE indexed = 1")}
        pending = {row[0] for row in self._db.query("SELECT id FROM issues WHERE indexed != 1")}
        pending |= set(self.removals())  # deleted: the index forgets them at the next catch-up
        found = {key for key in self._index.stored_keys() if key.split("/", 1)[0] not in pending}
        missing = sorted(k for k in expected - found if k.split("/", 1)[0] in settled)
        stale = sorted(found - expected)
        problems = []
        if missing:
            problems.append(f"search index: {_entries(len(missing))} missing (e.g. {_describe(missing[0])})")
        if stale:
            example = _describe(stale[0])
            problems.append(f"search index: {_entries(len(stale))} no longer in the library (e.g. {example})")
        return [f"{p}: run `backissue reindex`" for p in problems]

    def _expected_keys(self) -> set[str]:
        keys = {row[0] for row in self._db.query("SELECT id FROM issues")}
        keys |= {f"{row[0]}/note" for row in self._db.query("SELECT id FROM issues WHERE trim(note) != ''")}
        for row in self._db.query("SELECT issue_id, id, note FROM highlights"):
            keys.add(f"{row[0]}/h/{row[1]}")
            if row[2].strip():
                keys.add(f"{row[0]}/n/{row[1]}")
        return keys

    def _docs(self, ids: list[str], rendered: Mapping[str, IndexTexts] | None = None) -> Iterator[IssueDoc]:
        labels = {c.key: c.label for c in highlights_store.color_labels(self._db)}
        for issue_id in ids:
            yield self._doc(issue_id, labels, (rendered or {}).get(issue_id))

    def _doc(self, issue_id: str, labels: Mapping[str, str], ahead: IndexTexts | None = None) -> IssueDoc:
        markdown, digest = issues_store.markdown_of(self._db, issue_id)
        # Rendered ahead in the helper: used only if the text is still the one it rendered.
        texts = ahead if ahead is not None and ahead.digest == digest else index_texts(markdown, digest)
        issue = issues_store.get_issue(self._db, issue_id, texts.sections)
        citations = list(texts.citations)
        # The hash is read before the text: a change meanwhile only makes the link index scan it again.
        if self._collecting:
            self._found.append((issue_id, digest, citations))
        return IssueDoc(
            issue, texts.texts, highlights_store.for_issue(self._db, issue_id), labels,
            tags=tags.issue_tags(self._db, issue_id), highlight_tags=tags.highlight_tags_of_issue(self._db, issue_id),
            archived=series.is_archived(self._db, issue_id),
            links=links.link_terms(citations), cites=links.cited_texts(citations), stems=texts.stems,
        )  # fmt: skip

    def search(
        self, query: str, limit: int, sort: Literal["score", "date"], aliases: Mapping[str, str]
    ) -> list[SearchHit]:
        """Search, after catching up with any pending changes (unless a job in another process is at it)."""
        self._catch_up_for_search()
        hits = self._index.search(query, limit=limit, sort=sort, color_aliases=aliases)
        removed = set(self.removals())  # deleted while another process's job holds the index
        return [hit for hit in hits if hit.id not in removed] if removed else hits

    def count(self, query: str, aliases: Mapping[str, str]) -> int:
        """How many hits the query has in all, after catching up as ``search`` does."""
        self._catch_up_for_search()
        return self._index.count(query, aliases)

    def issue_ids(self, query: str, aliases: Mapping[str, str], ranked: bool = False) -> list[str]:
        """The distinct issues the query matches (smart lists), after catching up as ``search`` does."""
        self._catch_up_for_search()
        ids = self._index.issue_ids(query, aliases, ranked)
        removed = set(self.removals())
        return [i for i in ids if i not in removed] if removed else ids

    def suggest(self, query: str, aliases: Mapping[str, str]) -> str | None:
        """The query with unknown words replaced by the nearest known ones, or None."""
        self._catch_up_for_search()
        return self._index.suggest(query, aliases)

    def _catch_up_for_search(self) -> None:
        self._reopen_if_vanished()
        if (self.pending() or self.removals()) and not self._jobs.held_elsewhere():
            self.catch_up(helper=False)

    def more_like(self, issue_id: str, text: str, top: int) -> list[tuple[str, float]]:
        """Issues most like ``issue_id`` by the key terms of its ``text`` (after catching up)."""
        self._catch_up_for_search()
        return self._index.more_like(issue_id, text, top)

    def matching_issues(self, query: str, aliases: Mapping[str, str]) -> list[tuple[str, str | None, str]]:
        """(id, date, publication) of every issue the query matches (after catching up)."""
        self._catch_up_for_search()
        return self._index.matching_issues(query, aliases)

    def match_spans(self, query: str, text: str) -> list[TextSpan]:
        """Where the query's terms occur in ``text``."""
        return self._index.match_spans(query, text)


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _describe(key: str) -> str:
    """A document key in words: ``<issue>/h/<hl>`` is "highlight <hl> of issue <issue>"."""
    parts = key.split("/")
    if len(parts) == 1:
        return f"issue {key}"
    if parts[1] == "note":
        return f"the note of issue {parts[0]}"
    what = "highlight" if parts[1] == "h" else "the note of highlight"
    return f"{what} {parts[2]} of issue {parts[0]}"


@contextmanager
def _index_folder_errors(folder: Path) -> Iterator[None]:
    """An index folder (or its write lock) the system refuses: a SearchIndexError in words, not a traceback."""
    try:
        yield
    except OSError as exc:
        raise SearchIndexError(f"The search index folder {folder} cannot be written ({exc.strerror or exc})") from None


def segment_plan(batches: list[list[str]]) -> list[list[list[str]]]:
    """Batches grouped into segments of 1, 2, 4, ... batches (at most ``MAX_SEGMENT_BATCHES``).

    The first issues are searchable after one batch; a catch-up of n batches writes about log2(n)
    segments, of sizes in different merge tiers, so it causes no merges of its own.
    """
    groups: list[list[list[str]]] = []
    size = 1
    start = 0
    while start < len(batches):
        groups.append(batches[start : start + size])
        start += size
        size = min(size * 2, MAX_SEGMENT_BATCHES)
    return groups


def _report(progress: ProgressCallback | None, before: int, total: int, done: int) -> bool:
    """Tell ``progress`` how far the index stage is (``before`` this segment, ``done`` in it); False to cancel."""
    return progress is None or progress(ImportProgress(before + done, total, stage="index")) is not False
