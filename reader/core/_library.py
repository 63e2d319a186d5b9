"""The Library facade: the one object the GUI and the CLI call to import, read, search and annotate.

Everything below it (ingest, storage, search index, rendering, anchoring) is private to the core.
A Library may be shared between threads: each thread reads through its own SQLite connection, and
writes (imports, highlights, index updates) are serialised on one lock.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Literal

from reader.core import _annotations_io as annotations_io
from reader.core import _annotations_json as annotations_json
from reader.core import _backup as backups
from reader.core import _export_markdown as export_md
from reader.core import _highlights_store as highlights_store
from reader.core import _issue_delete as issue_delete
from reader.core import _issue_edits as issue_edits
from reader.core import _issues_store as issues_store
from reader.core import _subscriptions as subs
from reader.core._anchoring import make_anchor
from reader.core._annotations_io import AnnotationImportReport
from reader.core._clock import now_iso
from reader.core._feeds import FeedFetch, fetch_feed
from reader.core._holders import HolderLock
from reader.core._importer import Importer
from reader.core._indexer import Indexer
from reader.core._job_lock import JobLock
from reader.core._paths import ensure_private_dir, sample_paths
from reader.core._rendered import RenderCache
from reader.core._storage import DB_NAME, Database
from reader.core.errors import FeedError, HighlightNotFoundError, ReaderError, StorageError
from reader.core.types import (
    Changes,
    ColorLabel,
    FileResult,
    Highlight,
    HighlightEdit,
    ImportOptions,
    ImportProgress,
    ImportReport,
    Issue,
    IssueSummary,
    ProgressCallback,
    SearchHit,
    Subscription,
    TextSpan,
)

SortOrder = Literal["score", "date"]


class Library:
    """A newsletter library in one data dir (SQLite database + Whoosh index beside it).

    Args:
        data_dir: the folder holding ``library.sqlite3`` and ``index/``; created 0700 if missing.

    Raises:
        StorageError: the database cannot be opened (CorruptDatabaseError when it is damaged; the
            file is never overwritten).
    """

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = ensure_private_dir(Path(data_dir))
        self._holder = HolderLock(self.data_dir)  # restore refuses while any Library holds this
        try:
            self._db = Database(self.data_dir / DB_NAME)
        except BaseException:
            self._holder.release()
            raise
        with contextlib.suppress(StorageError):  # an unusable index folder: the index says so, in memory
            ensure_private_dir(self.data_dir / "index")
        self._lock = threading.RLock()
        self._render = RenderCache(self._db)
        self._jobs = JobLock(self.data_dir)
        self._indexer = Indexer(self._db, self.data_dir / "index", self._render, self._lock, self._jobs)
        self._importer = Importer(self._db, self._render, self._lock)
        self._deleted = issue_delete.UndoStack()

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the database and the index; further calls raise ReaderError."""
        with self._lock:
            self._indexer.close()
            self._db.close()
            self._holder.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- import ----------------------------------------------------------------------------------
    def import_paths(self, paths: Iterable[Path | str], progress: ProgressCallback | None = None) -> ImportReport:
        """Import files and folders (recursively); one transaction per file.

        Every file gets a FileResult (imported / updated / unchanged / failed with a reason /
        skipped); a failed file leaves the library unchanged. ``progress`` is called between files
        and may return False to cancel the rest. The search index then catches up with what was
        stored (``progress`` sees stage "index"; Cancel no longer applies).
        """
        with self._indexer.rendering_ahead() as ahead:  # rendered for the index as files are stored
            report = self._importer.import_paths([Path(p) for p in paths], progress, on_stored=ahead.submit)
            count = report.imported + report.updated
            stored = _issues(count) + (" was" if count == 1 else " were")
            problem = self._catch_up_after_storing(stored, None if progress is None else _ignoring_cancel(progress))
        return report if problem is None else replace(report, index_problem=problem)

    def preview_import(self, paths: Iterable[Path | str]) -> ImportReport:
        """A dry run of ``import_paths``: what each file would do, writing nothing.

        Each FileResult counts the issues that would be new (``imported``, of which ``kept_apart``
        look like an issue already here but are different), ``updated`` and ``unchanged``; files
        that would fail or be skipped say why. Files are judged in order, as an import would.
        """
        return self._importer.preview_paths([Path(p) for p in paths])

    def import_with_options(
        self, paths: Iterable[Path | str], options: ImportOptions, progress: ProgressCallback | None = None
    ) -> ImportReport:
        """Import as ``import_paths`` does, keeping only the mail ``options`` keep (newsletters, a label).

        Mail left out is counted in each FileResult's ``excluded``; files other than mail are kept.
        """
        report = self._importer.import_paths([Path(p) for p in paths], progress, options)
        self._indexer.catch_up(None if progress is None else _ignoring_cancel(progress))
        return report

    def import_samples(self, progress: ProgressCallback | None = None) -> ImportReport:
        """Import the bundled sample newsletters."""
        return self.import_paths(sample_paths(), progress)

    def is_empty(self) -> bool:
        """True when the library holds no issue."""
        return self._db.query_one("SELECT 1 FROM issues LIMIT 1") is None

    def _catch_up_after_storing(self, stored: str, progress: ProgressCallback | None = None) -> str | None:
        """Index what was just stored; when that fails, a message (the stored work stays pending)."""
        try:
            self._indexer.catch_up(progress)
        except ReaderError as exc:
            return _index_problem(exc, stored, self.index_backlog())
        return None

    # -- reading ---------------------------------------------------------------------------------
    def list_issues(self) -> list[IssueSummary]:
        """Every issue, newest first (undated issues after the dated ones)."""
        return issues_store.list_summaries(self._db)

    def get_issue(self, issue_id: str) -> Issue:
        """The whole issue; raises IssueNotFoundError."""
        return issues_store.get_issue(self._db, issue_id, self._render.sections(issue_id))

    def render_html(self, issue_id: str) -> str:
        """The issue's body as sanitised HTML (headings carry the Section anchors as ids)."""
        return self._render.html(issue_id)

    def plain_text(self, issue_id: str) -> str:
        """The issue's rendered plain text: what highlight anchors and match spans index into."""
        return self._render.plain_text(issue_id)

    def set_read(self, issue_id: str, read: bool = True) -> Changes:
        """Mark an issue read or unread."""
        issues_store.set_flag(self._db, issue_id, "read", read)
        return Changes(issues=frozenset({issue_id}))

    def set_starred(self, issue_id: str, starred: bool = True) -> Changes:
        """Star or unstar an issue."""
        issues_store.set_flag(self._db, issue_id, "starred", starred)
        return Changes(issues=frozenset({issue_id}))

    def edit_issue(
        self,
        issue_id: str,
        *,
        title: str | None = None,
        publication: str | None = None,
        number: int | str | None = None,
        date: str | None = None,
        author: str | None = None,
    ) -> Changes:
        """Correct what the import found; None leaves a field as it is, "" clears number, date or author.

        The edits survive a re-import of the same file (the text still updates). Raises
        IssueNotFoundError, or ReaderError (EditError) for an empty title/publication or a bad number/date.
        """
        edits = issue_edits.check_edits(title, publication, number, date, author)
        with self._lock:
            issue_edits.edit_issue(self._db, issue_id, edits)
        return Changes(issues=frozenset({issue_id}), issue_list=True)

    def rename_publication(self, old: str, new: str) -> Changes:
        """Rename a publication on every issue of it (kept across re-imports); raises ReaderError if none."""
        with self._lock:
            ids = issue_edits.rename_publication(self._db, old, new)
        return Changes(issues=frozenset(ids), issue_list=True)

    def publications(self) -> list[str]:
        """The distinct publication names, sorted."""
        rows = self._db.query("SELECT DISTINCT publication FROM issues ORDER BY publication COLLATE NOCASE")
        return [row[0] for row in rows]

    # -- deleting issues -------------------------------------------------------------------------
    def delete_issue(self, issue_id: str) -> Changes:
        """Delete an issue with its highlights and notes; the search index forgets it.

        The only way an issue leaves the library. ``restore_issue(issue_id)`` undoes it while this
        Library is open (the last 20 deletions are kept in memory, never on disk). Raises
        IssueNotFoundError.
        """
        with self._lock, self._db.transaction() as tx:
            deleted = issue_delete.delete_issue(tx, issue_id)
        self._deleted.push(deleted)
        return Changes(issues=frozenset({issue_id}), issue_list=True, highlights=frozenset({issue_id}))

    def restore_issue(self, issue_id: str) -> Changes:
        """Undo ``delete_issue``: the issue comes back with its id, state, highlights and notes.

        Raises ReaderError when it was not deleted through this Library, or was imported again since.
        """
        deleted = self._deleted.take(issue_id)
        try:
            with self._lock, self._db.transaction() as tx:
                issue_delete.restore_issue(tx, deleted)
        except ReaderError:
            self._deleted.put_back(deleted)
            raise
        return Changes(issues=frozenset({issue_id}), issue_list=True, highlights=frozenset({issue_id}))

    # -- search ----------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20, sort: SortOrder = "score") -> list[SearchHit]:
        """Search issues, highlights and notes; raises QueryError for a query it cannot parse."""
        aliases = {c.label: c.key for c in self.color_labels()}
        return self._indexer.search(query, limit, sort, aliases)

    def count(self, query: str) -> int:
        """How many hits ``search(query)`` has in all (for "20 of 48"); raises QueryError as search does.

        Cheaper than a search with no limit: no scores, no snippets.
        """
        aliases = {c.label: c.key for c in self.color_labels()}
        return self._indexer.count(query, aliases)

    def suggest_query(self, query: str) -> str | None:
        """"Did you mean …": the query with words no issue holds replaced by the nearest that one does.

        None when every word is in the library, or no near word is. Raises QueryError as search does.
        """
        aliases = {c.label: c.key for c in self.color_labels()}
        return self._indexer.suggest(query, aliases)

    def find_matches(self, issue_id: str, query: str) -> list[TextSpan]:
        """Where the query's terms occur in the issue's plain text (for marking every match)."""
        return self._indexer.match_spans(query, self.plain_text(issue_id))

    def reindex(self, progress: ProgressCallback | None = None) -> Changes:
        """Rebuild the search index from the database."""
        self._indexer.rebuild(progress)
        return Changes(index=True)

    def catch_up_index(self, progress: ProgressCallback | None = None) -> int:
        """Bring the search index up to date with the database; returns how many issues it indexed.

        ``progress`` is called before each batch and may return False to stop (the rest stays pending).
        """
        return self._indexer.catch_up(progress)

    def tidy_index(self) -> list[int]:
        """Do the index merges small imports left for later (worth running when idle, in the background).

        Returns the number of documents in each segment afterwards.
        """
        return self._indexer.tidy()

    def index_backlog(self) -> int:
        """How many issues are waiting for the search index (changed since it last caught up)."""
        return len(self._indexer.pending())

    def job_lock(self, on_wait: Callable[[], object] | None = None) -> AbstractContextManager[None]:
        """Hold the library's job lock while a long job runs (``reader.core._jobs`` does, in its child).

        While another process holds it, ``search`` leaves the backlog of unindexed issues to that job.
        When another job holds it now, ``on_wait`` is called, then this waits for that job to end.
        """
        return self._jobs.held(on_wait)

    @property
    def index_message(self) -> str | None:
        """Why the search index was rebuilt when the library opened (None when it was fine).

        A new, empty library has nothing to rebuild, so nothing to say.
        """
        return None if self.is_empty() else self._indexer.message

    # -- highlights and notes --------------------------------------------------------------------
    def add_highlight(
        self, issue_id: str, start: int, end: int, color: str = "yellow", note: str = ""
    ) -> HighlightEdit:
        """Highlight ``plain_text(issue_id)[start:end]``; committed at once. Returns the new highlight."""
        text = self.plain_text(issue_id)
        if not 0 <= start < end <= len(text) or not text[start:end].strip():
            raise ReaderError("Select some text of the issue to highlight")
        self._check_color(color)
        anchor = make_anchor(text, start, end)
        now = now_iso()
        hl = Highlight(
            id=highlights_store.new_highlight_id(), issue_id=issue_id, quote=anchor.quote,
            prefix=anchor.prefix, suffix=anchor.suffix, start=anchor.start, end=anchor.end,
            color=color, note=note, created=now, modified=now,
        )  # fmt: skip
        return self._store_highlight(hl, new=True)

    def annotate(self, issue_id: str, quote: str, note: str = "", color: str = "yellow",
                 occurrence: int = 1) -> HighlightEdit:
        """Highlight an occurrence of ``quote`` in the issue (the CLI's ``annotate``): the first by default.

        Raises ReaderError when the text is not in the issue, or occurs fewer than ``occurrence`` times.
        """
        starts = self._quote_starts(issue_id, quote)
        if not starts:
            raise ReaderError(f"The text {quote[:60]!r} is not in issue {issue_id}")
        if not 1 <= occurrence <= len(starts):
            times = "once" if len(starts) == 1 else f"{len(starts)} times"
            raise ReaderError(f"The text {quote[:60]!r} occurs {times} in issue {issue_id}, "
                              f"so occurrence {occurrence} does not exist")
        start = starts[occurrence - 1]
        return self.add_highlight(issue_id, start, start + len(quote), color, note)

    def quote_occurrences(self, issue_id: str, quote: str) -> int:
        """How many times ``quote`` occurs in the issue's plain text (without overlaps)."""
        return len(self._quote_starts(issue_id, quote))

    def _quote_starts(self, issue_id: str, quote: str) -> list[int]:
        text = self.plain_text(issue_id)
        if not quote.strip():
            return []
        starts, start = [], text.find(quote)
        while start >= 0:
            starts.append(start)
            start = text.find(quote, start + len(quote))
        return starts

    def highlights(self, issue_id: str | None = None) -> list[Highlight]:
        """The highlights of one issue in reading order, or of the whole library."""
        if issue_id is None:
            return highlights_store.every(self._db)
        return highlights_store.for_issue(self._db, issue_id)

    def update_highlight(
        self, highlight_id: str, *, color: str | None = None, note: str | None = None
    ) -> HighlightEdit:
        """Recolour a highlight and/or replace its note; returns the updated record."""
        hl = highlights_store.get(self._db, highlight_id)
        if color is not None:
            self._check_color(color)
        changed = replace(
            hl,
            color=hl.color if color is None else color,
            note=hl.note if note is None else note,
            modified=now_iso(),
        )
        return self._store_highlight(changed, new=False)

    def delete_highlight(self, highlight_id: str) -> HighlightEdit:
        """Delete a highlight; returns it as it was, so the caller can undo with restore_highlight."""
        hl = highlights_store.get(self._db, highlight_id)
        with self._db.transaction() as tx:
            highlights_store.delete(tx, highlight_id)
            issues_store.mark_unindexed(tx, hl.issue_id)
        return HighlightEdit.of(hl)

    def restore_highlight(self, highlight: Highlight) -> HighlightEdit:
        """Put back a deleted highlight (undo), with its id, times and note."""
        try:
            highlights_store.get(self._db, highlight.id)
        except HighlightNotFoundError:
            return self._store_highlight(highlight, new=True)
        return self._store_highlight(highlight, new=False)

    def _store_highlight(self, hl: Highlight, *, new: bool) -> HighlightEdit:
        # Committed at once; the search index catches up before the next search (an index
        # commit costs ~0.1 s, too much to pay on every keystroke that makes a highlight).
        with self._db.transaction() as tx:
            (highlights_store.insert if new else highlights_store.save)(tx, hl)
            issues_store.mark_unindexed(tx, hl.issue_id)
        return HighlightEdit.of(hl)

    def color_labels(self) -> list[ColorLabel]:
        """The five highlight colours with the user's labels."""
        return highlights_store.color_labels(self._db)

    def rename_color(self, key: str, label: str) -> Changes:
        """Give a highlight colour a new label."""
        self._check_color(key)
        if not label.strip():
            raise ReaderError("A colour label cannot be empty")
        highlights_store.rename_color(self._db, key, label.strip())
        return Changes(highlights=frozenset(h.issue_id for h in self.highlights()))

    def issue_notes(self) -> dict[str, str]:
        """The free note of every issue that has one, by issue id."""
        return {row[0]: row[1] for row in self._db.query("SELECT id, note FROM issues WHERE note != ''")}

    def set_issue_note(self, issue_id: str, text: str) -> Changes:
        """Set the free note of an issue ("" removes it)."""
        issues_store.set_note(self._db, issue_id, text)
        return Changes(issues=frozenset({issue_id}), highlights=frozenset({issue_id}))

    def _check_color(self, key: str) -> None:
        keys = [c.key for c in self.color_labels()]
        if key not in keys:
            raise ReaderError(f"Unknown highlight colour {key!r}; choose one of {', '.join(keys)}")

    # -- subscriptions (the only network access, and only when asked) ---------------------------
    def subscribe(self, url: str) -> FileResult:
        """Subscribe to a feed: fetch it once and import its entries; raises FeedError."""
        url = subs.check_url(url)
        fetched = fetch_feed(url, None, None)
        subs.save_subscription(self._db, url, fetched)
        return self._store_feed(url, fetched)

    def subscriptions(self) -> list[Subscription]:
        """The subscribed feeds."""
        return subs.all_subscriptions(self._db)

    def unsubscribe(self, url: str) -> bool:
        """Forget a feed (its issues stay in the library)."""
        return subs.remove_subscription(self._db, url)

    def refresh(self, progress: ProgressCallback | None = None) -> ImportReport:
        """Fetch new entries of every subscribed feed; a broken feed fails alone with its reason."""
        feeds = self.subscriptions()
        results: list[FileResult] = []
        for done, feed in enumerate(feeds):
            if progress is not None and progress(ImportProgress(done, len(feeds), feed.url)) is False:
                return ImportReport(tuple(results), cancelled=True)
            try:
                fetched = subs.fetch_subscription(self._db, feed.url)
            except FeedError as exc:
                results.append(FileResult(feed.url, "failed", str(exc)))
                continue
            results.append(self._store_feed(feed.url, fetched))
        return ImportReport(tuple(results))

    def _store_feed(self, url: str, fetched: FeedFetch) -> FileResult:
        if fetched.status == "not-modified" or not fetched.issues:
            return FileResult(url, "unchanged", "nothing new")
        result = self._importer.store(url, fetched.issues)
        self._indexer.catch_up()
        return result

    # -- export and annotation import ----------------------------------------------------------
    def _annotated_issues(self) -> list[tuple[Issue, list[Highlight]]]:
        return annotations_io.annotated_issues(self._db, self.get_issue)

    def export_markdown(self, out_dir: Path | str) -> list[Path]:
        """Write one Obsidian-friendly Markdown file per annotated issue; re-exporting updates in place."""
        labels = {c.key: c.label for c in self.color_labels()}
        return export_md.export_markdown(Path(out_dir), self._annotated_issues(), labels)

    def export_json(self, path: Path | str) -> int:
        """Write every highlight and note as W3C Web Annotation JSON; returns how many annotations."""
        labels = {c.key: c.label for c in self.color_labels()}
        items = self._annotated_issues()
        export_md.write_private_file(Path(path), annotations_json.annotations_json_text(items, labels))
        return sum(len(h) for _, h in items) + sum(1 for issue, _ in items if issue.note)

    def import_annotations(self, path: Path | str) -> AnnotationImportReport:
        """Import a W3C annotation JSON export; raises AnnotationFormatError for a bad file.

        Each annotation re-attaches to its issue by id or metadata and to its passage by its anchor;
        importing the same file twice adds nothing.
        """
        records = annotations_io.read_annotation_file(Path(path))
        with self._lock:
            report = annotations_io.import_records(self._db, records, self.plain_text)
            problem = self._catch_up_after_storing("The annotations were")
        return report if problem is None else replace(report, index_problem=problem)

    # -- maintenance -----------------------------------------------------------------------------
    def backup(self, *, if_due: bool = False) -> Path | None:
        """Back up the database (SQLite backup API); with ``if_due``, only if none was made today.

        The last seven backups are kept in ``<data_dir>/backups``.
        """
        if if_due:
            return backups.backup_if_due(self._db.path, self.data_dir)
        return backups.backup_now(self._db.path, self.data_dir)

    def health(self) -> list[str]:
        """What needs the user's attention, in words (e.g. the last backup failed: the library is
        damaged); [] when nothing does. Kept on disk, so a window opened later can show it."""
        note = backups.attention(self.data_dir)
        return [note] if note else []

    def check(self) -> list[str]:
        """Integrity and consistency checks; returns the problems found (empty when all is well)."""
        problems = [f"database: {line}" for line in self._db.integrity_check() if line != "ok"]
        problems += self._indexer.differences()
        orphans = self._db.query("SELECT count(*) FROM highlights WHERE issue_id NOT IN (SELECT id FROM issues)")[0][0]
        if orphans:
            problems.append(f"{orphans} highlights belong to no issue")
        return problems

    def stats(self) -> dict[str, int | str]:
        """Counts for ``backissue stats``: issues, publications, highlights, notes, index size."""
        row = self._db.query_one(
            "SELECT (SELECT count(*) FROM issues), (SELECT count(DISTINCT publication) FROM issues),"
            " (SELECT count(*) FROM highlights), (SELECT count(*) FROM highlights WHERE note != ''),"
            " (SELECT count(*) FROM issues WHERE read = 0)"
        )
        assert row is not None
        return {
            "issues": row[0],
            "publications": row[1],
            "highlights": row[2],
            "notes": row[3],
            "unread": row[4],
            "indexed": self._indexer.doc_count(),
            "data_dir": str(self.data_dir),
        }


def _index_problem(exc: ReaderError, stored: str, waiting: int) -> str:
    """Why the index could not catch up after ``stored`` (words) was stored, and what that means."""
    reason = str(exc).removesuffix(" nothing was written.").removesuffix(";").rstrip(". ")
    return (
        f"{stored} stored, but the search index could not catch up ({reason}). "
        f"{_issues(waiting)} {'waits' if waiting == 1 else 'wait'} for it; searches find "
        "them once it can be written again (or run `backissue reindex`)."
    )


def _issues(count: int) -> str:
    return f"{count} issue" if count == 1 else f"{count} issues"


def _ignoring_cancel(progress: ProgressCallback) -> ProgressCallback:
    """Pass progress on, but never cancel (what an import stored is always indexed)."""

    def report(step: ImportProgress) -> None:
        progress(step)

    return report
