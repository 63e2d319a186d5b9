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
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Literal

from reader.core import _annotations_io as annotations_io
from reader.core import _backup as backups
from reader.core import _export_images as export_images
from reader.core import _export_markdown as export_md
from reader.core import _highlights_store as highlights_store
from reader.core import _history as history
from reader.core import _history_omnivore as omnivore
from reader.core import _history_readwise as readwise
from reader.core import _history_substack as substack
from reader.core import _image_fetch as image_fetch
from reader.core import _image_store as image_store
from reader.core import _imap as imap
from reader.core import _issue_delete as issue_delete
from reader.core import _issue_edits as issue_edits
from reader.core import _issues_store as issues_store
from reader.core import _mail_folders as mail_folders
from reader.core import _mail_password as mail_password
from reader.core import _opml as opml
from reader.core import _related as related_issues
from reader.core import _review as review_store
from reader.core import _series as series_store
from reader.core import _smart_lists as smart_lists
from reader.core import _subscriptions as subs
from reader.core import _tags as tags_store
from reader.core import _tags_io as tags_io
from reader.core._anchoring import make_anchor
from reader.core._annotations_io import AnnotationImportReport
from reader.core._clock import now_iso
from reader.core._feeds import FeedFetch, fetch_feed
from reader.core._holders import HolderLock
from reader.core._importer import Importer
from reader.core._indexer import Indexer
from reader.core._job_lock import JobLock
from reader.core._links import LinkIndex
from reader.core._paths import ensure_private_dir, sample_paths
from reader.core._rendered import RenderCache, render_markdown
from reader.core._storage import DB_NAME, Database
from reader.core.errors import FeedError, HighlightNotFoundError, ReaderError, StorageError
from reader.core.types import (
    Changes,
    Citation,
    ColorLabel,
    FileResult,
    Highlight,
    HighlightEdit,
    HistoryReport,
    ImportOptions,
    ImportProgress,
    ImportReport,
    Issue,
    IssueSummary,
    KeptImages,
    LibraryCounts,
    LinkedWork,
    LinkOrder,
    ProgressCallback,
    RelatedIssue,
    ReviewAction,
    ReviewDay,
    SearchHit,
    Series,
    SmartList,
    StoredImages,
    Subscription,
    TagCount,
    TextSpan,
    TimelineBucket,
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
        self._links = LinkIndex(self._db, self._render, self._lock)  # issue #17
        self._indexer.on_citations = self._links.store_found  # one render per issue for both indexes

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
        self._catch_up_links()  # what the index's catch-up did not hand over (it hands over what it indexed)
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
        self._catch_up_links()
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
    def list_issues(self, limit: int | None = None) -> list[IssueSummary]:
        """Every issue, newest first (undated issues after the dated ones); with ``limit``, the first
        ``limit`` in stored order, read at once from an index whatever the library's size (an undated
        issue of a series is not yet placed beside its neighbours)."""
        return issues_store.list_summaries(self._db, limit)

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
        """Delete one issue as ``delete_issues`` does; ``restore_issue(issue_id)`` undoes it."""
        return self.delete_issues([issue_id])

    def delete_issues(self, issue_ids: Iterable[str]) -> Changes:
        """Delete issues with everything that is theirs, in one transaction; the search index forgets them.

        The only way an issue leaves the library. Its highlights and notes go, its tags and its
        highlights' tags, its citations, its stored images' references (an image only it showed too)
        and its highlights' review cards. ``restore_issues(ids)`` undoes the whole deletion while this
        Library is open (the last 20 deletions are kept in memory, never on disk). Raises
        IssueNotFoundError, deleting nothing, when one id is not in the library.
        """
        ids = list(dict.fromkeys(issue_ids))
        if not ids:
            return Changes()
        with self._lock, self._db.transaction() as tx:
            deleted = [issue_delete.delete_issue(tx, issue_id) for issue_id in ids]
        self._deleted.push(deleted)
        return Changes(issues=frozenset(ids), issue_list=True, highlights=frozenset(ids))

    def restore_issue(self, issue_id: str) -> Changes:
        """Undo ``delete_issue``: the issue comes back with its id, state, highlights and notes."""
        return self.restore_issues([issue_id])

    def restore_issues(self, issue_ids: Iterable[str]) -> Changes:
        """Undo ``delete_issues``: the issues come back as they were (id, flags, highlights, notes, tags,
        citations, images), all in one transaction, or none.

        Raises ReaderError when one was not deleted through this Library, or was imported again since.
        """
        ids = list(dict.fromkeys(issue_ids))
        deleted = self._deleted.take(ids)
        try:
            with self._lock, self._db.transaction() as tx:
                for item in deleted:
                    issue_delete.restore_issue(tx, item)
        except ReaderError:
            self._deleted.put_back(deleted)
            raise
        return Changes(issues=frozenset(ids), issue_list=True, highlights=frozenset(ids))

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

    def match_spans(self, query: str, text: str) -> list[TextSpan]:
        """Where the query's terms occur in any ``text`` (an issue's title, say), as find_matches does."""
        return self._indexer.match_spans(query, text)

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
        if imap.is_mail_url(url):
            return self.subscribe_mail(url)
        url = subs.check_url(url)
        fetched = fetch_feed(url, None, None)
        subs.save_subscription(self._db, url, fetched)
        return self._store_feed(url, fetched)

    def subscriptions(self) -> list[Subscription]:
        """The subscribed feeds, then the subscribed mail folders."""
        return subs.all_subscriptions(self._db) + mail_folders.all_folders(self._db)

    def unsubscribe(self, url: str) -> bool:
        """Forget a feed or mail folder (its issues stay in the library)."""
        return subs.remove_subscription(self._db, url) or mail_folders.remove_folder(self._db, url)

    def refresh(self, progress: ProgressCallback | None = None) -> ImportReport:
        """Fetch new entries of every subscribed feed; a broken feed fails alone with its reason."""
        feeds = self.subscriptions()
        results: list[FileResult] = []
        for done, feed in enumerate(feeds):
            if progress is not None and progress(ImportProgress(done, len(feeds), feed.url)) is False:
                return ImportReport(tuple(results), cancelled=True)
            if imap.is_mail_url(feed.url):
                results.append(self._refresh_mail(feed.url))
                continue
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
        self.keep_images(result.issue_ids)  # a subscription's images are kept offline, fetched now once
        self._indexer.catch_up()
        self._catch_up_links()
        return result

    # -- mail folders (IMAP, read-only) ----------------------------------------------------------
    def subscribe_mail(
        self, url: str, password: str | None = None, progress: ProgressCallback | None = None
    ) -> FileResult:
        """Subscribe to a mail folder (``imaps://user@host/Folder``) and import its mail, read-only.

        ``password`` (when given) is kept in the system keyring once the server accepts it, or for
        this session when there is no keyring. Raises PasswordNeededError when none is given or
        known, WrongPasswordError, or MailError (certificate, connection, folder) in words; a
        failed first sync subscribes to nothing.
        """
        address = imap.parse_mail_url(url)
        known = mail_folders.is_subscribed(self._db, address.url)
        try:
            return self._sync_mail(address, password, progress)
        except ReaderError:
            if not known and self._db.query_one(
                "SELECT 1 FROM mail_folders WHERE url = ? AND uidvalidity IS NOT NULL", (address.url,)
            ) is None:
                mail_folders.remove_folder(self._db, address.url)
            raise

    def refresh_mail(
        self, url: str, password: str | None = None, progress: ProgressCallback | None = None
    ) -> FileResult:
        """Read the new mail of one subscribed folder (only UIDs above the last one imported)."""
        return self._sync_mail(imap.parse_mail_url(url), password, progress)

    @staticmethod
    def mail_password_kept() -> bool:
        """True when mail passwords go to the system keyring; False: asked for again each session."""
        return mail_password.keyring_available()

    @staticmethod
    def no_keyring_reason() -> str:
        """Why a mail password will be asked for again (no keyring), in words."""
        return mail_password.no_keyring_reason()

    @staticmethod
    def session_passwords() -> dict[str, str]:
        """Mail passwords typed this session (a job in a child process needs them when there is no keyring)."""
        return mail_password.session_passwords()

    @staticmethod
    def adopt_session_passwords(passwords: dict[str, str]) -> None:
        """Use mail passwords typed in another process of this session (the window's job child)."""
        mail_password.adopt_session_passwords(passwords)

    def _sync_mail(
        self, address: imap.MailFolderAddress, password: str | None, progress: ProgressCallback | None
    ) -> FileResult:
        def step(done: int, total: int) -> bool:
            return progress is None or progress(ImportProgress(0, 1, address.url, messages=done)) is not False

        result, _cancelled = mail_folders.sync(self._db, self._importer, address, password, step)
        self.keep_images(result.issue_ids)
        problem = self._catch_up_after_storing("The mail was")
        return result if problem is None else replace(result, reason=problem)

    def mail_password_needed(self, url: str) -> str | None:
        """The account ("user@host") of a mail folder whose password neither the keyring nor this
        session has (the caller asks for it); None when it is known or ``url`` is no mail folder."""
        if not imap.is_mail_url(url):
            return None
        address = imap.parse_mail_url(url)
        return None if mail_password.find_password(address.account) is not None else address.account

    # -- images kept offline ---------------------------------------------------------------------
    def keep_images(self, issue_ids: Iterable[str], progress: ProgressCallback | None = None) -> KeptImages:
        """Fetch the images of these issues now, once, and keep them in the library (trackers never).

        Called for every issue a subscription brings, and by an import with Keep images
        (``import --keep-images``, ``Job.import_paths(..., keep_images=True)``). Each image is
        capped (5 MB, 40 megapixels by its header), each issue too (20 MB, 60 images); what is
        refused stays an "[Image: alt]" placeholder. Reading never fetches anything. The issues
        are indexed again at the next catch-up (their text has an image character per image).
        """
        ids = list(issue_ids)
        if not ids:
            return KeptImages()
        with self._lock:
            return image_store.keep_images(self._db, ids, _plain_text_with, progress=progress)

    def fetch_image(self, issue_id: str, url: str) -> KeptImages:
        """Fetch one image of an issue, now, because the person asked (Fetch on its placeholder).

        The only network access reading ever makes, and only on that request: the image is
        checked as at import (its bytes, its pixels; a tracker never) but the issue's caps do not
        apply. Nothing is refused silently: ``refused`` says why. The download runs outside the
        library lock, so call it on a thread of its own; storing it is one short transaction.
        """
        with self._lock:
            known = image_store.keep_known(self._db, issue_id, url, _plain_text_with)
        if known is not None:
            return known
        try:  # the per-image cap is the issue's: the person asked for this one
            fetched = image_fetch.fetch_image(url, image_fetch.MAX_ISSUE_BYTES)
        except image_fetch.ImageRefused as exc:
            return KeptImages(refused=(f"{url}: {exc}",))
        with self._lock:
            return image_store.store_one(self._db, issue_id, url, fetched, _plain_text_with)

    def missing_images(self, issue_id: str) -> list[str]:
        """The issue's image addresses shown as placeholders that Fetch could bring (trackers never)."""
        return image_store.missing(self._db, issue_id)

    def stored_images(self) -> StoredImages:
        """How many images are kept offline and the space they take."""
        return image_store.totals(self._db)

    def remove_stored_images(self) -> StoredImages:
        """Remove every image kept offline (issues show placeholders again); returns what was freed,
        with the issues that showed them (``.changes``)."""
        with self._lock:
            freed = image_store.remove_all(self._db, _plain_text_with)
        self._catch_up_after_storing("The images were")
        return freed

    def _refresh_mail(self, url: str) -> FileResult:
        try:
            return self.refresh_mail(url)
        except FeedError as exc:
            return FileResult(url, "failed", str(exc))

    # -- export and annotation import ----------------------------------------------------------
    def _annotated_issues(self) -> list[tuple[Issue, list[Highlight]]]:
        return annotations_io.annotated_issues(self._db, self.get_issue)

    def export_markdown(self, out_dir: Path | str) -> list[Path]:
        """Write one Obsidian-friendly Markdown file per annotated issue; re-exporting updates in place."""
        labels = {c.key: c.label for c in self.color_labels()}
        self._catch_up_links()  # each file lists the issue's cited works (issue #17)
        items = self._annotated_issues()
        tags = export_md.ExportTags(tags_store.every_issue_tag(self._db), tags_store.every_highlight_tag(self._db))
        written = export_md.export_markdown(Path(out_dir), items, labels, tags, self._links.issue_citations)
        exported = [issue.id for issue, highlights in items if highlights or issue.note.strip()]
        export_images.export_images(self._db, Path(out_dir), list(zip(exported, written, strict=True)))
        return written

    def export_json(self, path: Path | str) -> int:
        """Write every highlight and note as W3C Web Annotation JSON; returns how many annotations."""
        labels = {c.key: c.label for c in self.color_labels()}
        items = self._annotated_issues()
        reviews = review_store.states(self._db)  # the daily-review state rides along (#18)
        records = tags_io.tagged_records(self._db, items, self.get_issue, reviews)  # tags, smart lists (#16)
        export_md.write_private_file(Path(path), tags_io.backup_text(self._db, records, labels))
        return len(records)

    def import_annotations(self, path: Path | str) -> AnnotationImportReport:
        """Import a W3C annotation JSON export; raises AnnotationFormatError for a bad file.

        Each annotation re-attaches to its issue by id or metadata and to its passage by its anchor;
        importing the same file twice adds nothing.
        """
        records = annotations_io.read_annotation_file(Path(path))
        found_lists = tags_io.read_smart_lists(Path(path))
        with self._lock:
            report = annotations_io.import_records(self._db, records, self.plain_text)
            report = replace(report, smart_lists=tags_io.import_smart_lists(self._db, found_lists))
            problem = self._catch_up_after_storing("The annotations were")
        return report if problem is None else replace(report, index_problem=problem)

    # -- daily review (#18) ----------------------------------------------------------------------
    def review_today(self, now: datetime | None = None) -> ReviewDay:
        """Today's review: the highlights left to show (at most the daily count), done, streak.

        ``now`` (an aware time; the clock by default) decides the day and what is due: tests pass it.
        """
        return review_store.review_day(self._db, now or datetime.now(timezone.utc), self.plain_text)

    def review_highlight(self, highlight_id: str, action: ReviewAction, now: datetime | None = None) -> Changes:
        """Answer for a highlight under review: "keep", "less" (often), "more" (often), "mastered",
        "discard". Scheduled by FSRS; raises HighlightNotFoundError or ReaderError (unknown answer)."""
        with self._lock, self._db.transaction() as tx:
            issue_id = review_store.record(tx, highlight_id, action, now or datetime.now(timezone.utc))
        return Changes(highlights=frozenset({issue_id}))

    def restore_to_review(self, highlight_id: str, now: datetime | None = None) -> Changes:
        """Bring a mastered or discarded highlight back into the daily review."""
        hl = highlights_store.get(self._db, highlight_id)
        with self._lock, self._db.transaction() as tx:
            review_store.restore(tx, highlight_id, now or datetime.now(timezone.utc))
        return Changes(highlights=frozenset({hl.issue_id}))

    def review_daily_count(self) -> int:
        """How many highlights a day the review shows (5 unless set)."""
        return review_store.daily_count(self._db)

    def set_review_daily_count(self, count: int) -> Changes:
        """Show ``count`` highlights a day (1-100); ReaderError otherwise."""
        review_store.set_daily_count(self._db, count)
        return Changes()

    def review_states(self) -> dict[str, dict[str, object]]:
        """Each reviewed highlight's state (status, reviews, due, lastReview, FSRS card), by id."""
        return dict(review_store.states(self._db))

    # -- importing from other readers (#18) -------------------------------------------------------
    def import_omnivore(self, path: Path | str) -> HistoryReport:
        """Import an Omnivore export (its zip, or the folder it unpacks to): issues with their text
        and labels (kept in the issue's front matter), highlights with notes placed in the text
        (one whose text is gone is kept detached). Raises HistoryFormatError (a ReaderError)."""
        files = history.ExportFiles(Path(path))
        try:
            return self._import_history("Omnivore export", lambda w: omnivore.import_omnivore(files, w))
        finally:
            files.close()

    def import_readwise(self, path: Path | str) -> HistoryReport:
        """Import a Readwise CSV export: highlights attached to an issue of the library found by
        address or title, else kept on a stub issue holding them."""
        file = Path(path)
        text = _read_text(file)
        return self._import_history(
            "Readwise CSV", lambda w: readwise.import_readwise(text, file.name, w, self._find_document)
        )

    def import_substack(self, path: Path | str, publication: str | None = None) -> HistoryReport:
        """Import a Substack archive export (``posts.csv`` + ``posts/*.html``, zipped or unpacked):
        every published post with its title, subtitle and date, under ``publication`` (else the
        export's name)."""
        files = history.ExportFiles(Path(path))
        try:
            return self._import_history("Substack export", lambda w: substack.import_substack(files, publication, w))
        finally:
            files.close()

    def import_opml(self, path: Path | str) -> HistoryReport:
        """Subscribe to the feeds of an OPML file (fetched at the next ``refresh``, not now)."""
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise history.HistoryFormatError(f"{file}: cannot read it ({exc.strerror or exc})") from None
        return self._import_history("OPML", lambda w: opml.import_opml(data, file.name, w))

    def export_opml(self) -> str:
        """The subscriptions as an OPML 2.0 document (what every feed reader imports)."""
        return opml.opml_text(self.subscriptions())

    def _import_history(self, source: str, run: Callable[[history.HistoryWriter], None]) -> HistoryReport:
        with self._lock:
            with self._db.transaction() as tx:
                writer = history.HistoryWriter(tx, self.plain_text)
                run(writer)
            self._catch_up_after_storing("The import was")
        return HistoryReport(source, tuple(writer.items))

    def _find_document(self, url: str, title: str) -> str | None:
        """An issue of the library by its address, else by its title (case aside)."""
        if url:
            row = self._db.query_one(
                "SELECT id FROM issues WHERE source = ? OR source_key = ? ORDER BY added LIMIT 1", (url, f"url:{url}")
            )
            if row is not None:
                return str(row[0])
        row = self._db.query_one(
            "SELECT id FROM issues WHERE title = ? COLLATE NOCASE ORDER BY added LIMIT 1", (title.strip(),)
        )
        return None if row is None else str(row[0])

    # -- the library's shelves (#16): series, archive, tags, smart lists --------------------------
    def library_counts(self) -> LibraryCounts:
        """The sidebar's counts (All, Unread, Starred, Has highlights, Archived, per publication and
        per tag) from SQL aggregates over indexes: no issue text is read."""
        return series_store.library_counts(self._db)

    def series(self, publication: str) -> Series:
        """A publication as a series: issue count, first and last date, numbering, the missing numbers,
        issues with highlights. Raises ReaderError when no issue has that publication."""
        return series_store.series(self._db, publication)

    def merge_publications(self, sources: Iterable[str], into: str) -> Changes:
        """Give every issue of ``sources`` the publication ``into`` (kept across re-imports, as a rename).

        Raises ReaderError for a source with no issue (nothing is changed then) or an empty ``into``.
        """
        names = [name for name in dict.fromkeys(sources) if name != into]
        if not names:
            raise ReaderError("Name at least one other publication to merge into " + repr(into))
        known = set(self.publications())
        unknown = [name for name in names if name not in known]
        if unknown:
            raise ReaderError(f"No issue has the publication {unknown[0]!r}")
        ids: list[str] = []
        with self._lock:
            for name in names:
                ids += issue_edits.rename_publication(self._db, name, into)
        return Changes(issues=frozenset(ids), issue_list=True)

    def set_archived(self, issue_ids: Iterable[str], archived: bool = True) -> Changes:
        """Archive issues (hidden from All and Unread, still found by search and ``is:archived``), or
        bring them back. Raises IssueNotFoundError (nothing changes then)."""
        with self._lock, self._db.transaction() as tx:
            changed = series_store.set_archived(tx, list(issue_ids), archived)
        return Changes(issues=frozenset(changed), issue_list=bool(changed))

    def archived_ids(self) -> set[str]:
        """The ids of the archived issues."""
        return series_store.archived_ids(self._db)

    def tag_issues(self, issue_ids: Iterable[str], names: Iterable[str]) -> Changes:
        """Tag issues (``tag:NAME`` finds them); names are lowercased, spaces become "-".

        Raises TagError (a ReaderError) for a bad name, IssueNotFoundError; nothing changes then.
        """
        return self._tag_issues(issue_ids, names, add=True)

    def untag_issues(self, issue_ids: Iterable[str], names: Iterable[str]) -> Changes:
        """Remove tags from issues (a tag they do not have is no error)."""
        return self._tag_issues(issue_ids, names, add=False)

    def _tag_issues(self, issue_ids: Iterable[str], names: Iterable[str], *, add: bool) -> Changes:
        wanted = tags_store.tag_names(names)
        with self._lock, self._db.transaction() as tx:
            changed = tags_store.set_issue_tags(tx, list(issue_ids), wanted, add)
        return Changes(issues=frozenset(changed), issue_list=bool(changed))

    def tag_highlight(self, highlight_id: str, names: Iterable[str]) -> Changes:
        """Tag a highlight (``hltag:NAME`` finds it). Raises TagError, HighlightNotFoundError."""
        return self._tag_highlight(highlight_id, names, add=True)

    def untag_highlight(self, highlight_id: str, names: Iterable[str]) -> Changes:
        """Remove tags from a highlight."""
        return self._tag_highlight(highlight_id, names, add=False)

    def _tag_highlight(self, highlight_id: str, names: Iterable[str], *, add: bool) -> Changes:
        wanted = tags_store.tag_names(names)
        with self._lock, self._db.transaction() as tx:
            issue_id = tags_store.set_highlight_tags(tx, highlight_id, wanted, add)
        touched = frozenset({issue_id} if issue_id else ())
        return Changes(issues=touched, highlights=touched, issue_list=bool(touched))

    def issue_tags(self, issue_id: str) -> list[str]:
        """An issue's tags, sorted."""
        return tags_store.issue_tags(self._db, issue_id)

    def highlight_tags(self, issue_id: str) -> dict[str, list[str]]:
        """The tags of the issue's highlights that have any, by highlight id."""
        return tags_store.highlight_tags_of_issue(self._db, issue_id)

    def tags(self) -> list[TagCount]:
        """Every tag with how many issues and highlights carry it (for the sidebar and completion)."""
        return tags_store.tag_counts(self._db)

    def tagged_issue_ids(self, name: str) -> list[str]:
        """The issues that carry tag ``name``, or have a highlight that does."""
        return tags_store.tagged_issue_ids(self._db, tags_store.tag_name(name))

    def smart_lists(self) -> list[SmartList]:
        """The smart lists (saved searches) in the user's order."""
        return smart_lists.all_lists(self._db)

    def smart_list(self, name: str) -> SmartList:
        """One smart list by name (any case); raises SmartListError (a ReaderError)."""
        return smart_lists.get(self._db, name)

    def create_smart_list(self, name: str, query: str, sort: str = "date") -> SmartList:
        """Save a search as a smart list at the end of the list.

        ``query`` is anything the search box accepts (checked now: QueryError if it cannot be read);
        ``sort`` is "date" (newest first), "score" (best match first) or "number".
        """
        self.count(query)
        return smart_lists.create(self._db, name, query, sort)

    def update_smart_list(self, name: str, *, new_name: str | None = None, query: str | None = None,
                          sort: str | None = None) -> SmartList:
        """Rename a smart list and/or change its query or order (None keeps each)."""
        if query is not None:
            self.count(query)
        return smart_lists.update(self._db, name, new_name=new_name, query=query, sort=sort)

    def delete_smart_list(self, name: str) -> SmartList:
        """Delete a smart list (the issues stay); returns it as it was."""
        return smart_lists.delete(self._db, name)

    def move_smart_list(self, name: str, position: int) -> list[SmartList]:
        """Move a smart list to ``position`` (0 is the first); returns the lists in their new order."""
        return smart_lists.move(self._db, name, position)

    def smart_list_issue_ids(self, name: str) -> list[str]:
        """The issues of a smart list in its order (each once, however many of its passages match)."""
        smart = self.smart_list(name)
        aliases = {c.label: c.key for c in self.color_labels()}
        ids = self._indexer.issue_ids(smart.query, aliases, ranked=smart.sort == "score")
        if smart.sort == "score":
            return ids
        order = {s.id: n for n, s in enumerate(self._ordered_for(smart.sort))}
        return sorted(ids, key=lambda i: order.get(i, len(order)))

    def _ordered_for(self, sort: str) -> list[IssueSummary]:
        summaries = self.list_issues()
        if sort == "number":
            summaries.sort(key=lambda s: (s.publication.casefold(), s.number is None, s.number or 0))
        return summaries

    def smart_list_counts(self) -> dict[str, int]:
        """How many issues each smart list holds now (a query the index cannot read counts 0)."""
        return {name: len(ids) for name, ids in self.smart_list_members().items()}

    def smart_list_members(self) -> dict[str, frozenset[str]]:
        """The issues each smart list holds now, by list name (a query the index cannot read holds none).

        The window counts them and shows a chosen list from them at once, reading it again meanwhile.
        """
        aliases = {c.label: c.key for c in self.color_labels()}
        members = {}
        for smart in self.smart_lists():
            try:
                members[smart.name] = frozenset(self._indexer.issue_ids(smart.query, aliases))
            except ReaderError:
                members[smart.name] = frozenset()
        return members

    # -- links and citations (issue #17) -------------------------------------------------------
    def catch_up_links(self, progress: ProgressCallback | None = None) -> int:
        """Store the citations of every issue not scanned at its current text; returns how many were scanned.

        Imports do this for what they store; an existing library catches up here (the window runs it
        in the background, as the search index's catch-up). ``progress`` sees stage "links" and may
        return False to stop (the rest stays pending).
        """
        return self._links.catch_up(progress)

    def link_backlog(self) -> int:
        """How many issues wait for their links to be scanned."""
        return len(self._links.pending())

    def links(self, site: str | None = None, text: str | None = None, *, order: LinkOrder = "issues",
              descending: bool = True, offset: int = 0, limit: int | None = None) -> list[LinkedWork]:
        """The works the issues cite, most cited first (after catching up), or one page of them.

        Args:
            site: only works on this site or its subdomains (``arxiv.org``, ``github.com``).
            text: only works whose title, link texts, address or site hold every word of this.
            order: sort by "issues" (citing issues, then last seen), "publications", "title", "site",
                "first_seen", "last_seen" or "anchors" (link texts); ``descending`` reverses.
            offset, limit: one page (the Links view reads 10,000s of works a page at a time).
        """
        if offset == 0:  # the next pages read what the first page's catch-up stored
            self._links.catch_up()
        return self._links.works(site, text, order, descending, offset, limit)

    def links_count(self, site: str | None = None, text: str | None = None) -> int:
        """How many works ``links(site, text)`` lists (read what ``links`` caught up on)."""
        return self._links.works_count(site, text)

    def link_sites(self, limit: int = 40) -> list[tuple[str, int]]:
        """The sites with the most cited works: (site, works), most first."""
        return self._links.sites(limit)

    def find_work(self, text: str) -> LinkedWork | None:
        """The cited work ``text`` names: an address in any form, an arXiv id, a DOI, a work key or a title."""
        self._links.catch_up()
        return self._links.find_work(text)

    def cited_by(self, work: str, limit: int | None = None) -> list[Citation]:
        """Every citation of a work (named as ``find_work`` takes it), newest issue first; the newest
        ``limit`` only when given (a paper cited by every issue has 10,000s: ``LinkedWork.citations``).

        Raises:
            ReaderError: no issue cites it.
        """
        found = self.find_work(work)
        if found is None:
            raise ReaderError(f"No issue cites {work[:200]!r}")
        return self._links.cited_by(found.key, limit)

    def issue_links(self, issue_id: str) -> list[Citation]:
        """An issue's citations in reading order; each knows how many other issues cite its work.

        Raises IssueNotFoundError."""
        issues_store.get_summary(self._db, issue_id)
        self._links.catch_up_issue(issue_id)  # this issue now; the counts of others as far as scanned
        return self._links.issue_citations(issue_id)

    def related(self, issue_id: str, limit: int = 5) -> list[RelatedIssue]:
        """The issues most related to one: Whoosh's more-like-this over its key terms, plus the works both
        cite (a work few issues cite counts more). Raises IssueNotFoundError."""
        issues_store.get_summary(self._db, issue_id)
        self._links.catch_up()
        return related_issues.related(
            issue_id,
            self._indexer.more_like(issue_id, self.plain_text(issue_id), top=limit * 4),
            self._links.sharing_issues(issue_id),
            lambda other: issues_store.get_summary(self._db, other),
            limit,
        )

    def timeline(self, query: str) -> list[TimelineBucket]:
        """A search as a timeline: how many issues of each publication matched, month by month (oldest
        first; undated issues are counted under month ""). Raises QueryError as ``search`` does."""
        aliases = {c.label: c.key for c in self.color_labels()}
        return related_issues.timeline(self._indexer.matching_issues(query, aliases))

    def _catch_up_links(self) -> None:
        """Scan the links of what was just stored; a failure leaves them pending (the next call retries)."""
        with contextlib.suppress(ReaderError):
            self._links.catch_up()

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
            "stored_images": self.stored_images().count,
            "stored_image_bytes": self.stored_images().size,

            **dict(zip(("linked works", "citations"), self._links.counts(), strict=True)),
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


def _plain_text_with(markdown: str, images: dict[str, tuple[str, str]]) -> str:
    """An issue's plain text as it shows with these kept images (for re-anchoring its highlights)."""
    return render_markdown(markdown, images).plain_text


def _issues(count: int) -> str:
    return f"{count} issue" if count == 1 else f"{count} issues"


def _ignoring_cancel(progress: ProgressCallback) -> ProgressCallback:
    """Pass progress on, but never cancel (what an import stored is always indexed)."""

    def report(step: ImportProgress) -> None:
        progress(step)

    return report


def _read_text(file: Path) -> str:
    """A text file's content (UTF-8, BOM dropped); HistoryFormatError in words when unreadable."""
    try:
        return file.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError as exc:
        raise history.HistoryFormatError(f"{file}: cannot read it ({exc.strerror or exc})") from None
