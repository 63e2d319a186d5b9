"""Importing files into the library: parse each file, then store its issues in one transaction."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from reader.core import _highlights_store as highlights_store
from reader.core import _image_store as image_store
from reader.core import _ingest as ingest
from reader.core import _issue_edits as issue_edits
from reader.core import _issues_store as issues_store
from reader.core._clock import now_iso
from reader.core._import_plan import PlannedLookup
from reader.core._issue_identity import Decision, DuplicateSeparator, separate_duplicates
from reader.core._rendered import RenderCache, render_markdown
from reader.core._storage import Database
from reader.core.errors import IngestError, StorageError
from reader.core.types import (
    FileResult,
    FileStatus,
    ImportOptions,
    ImportProgress,
    ImportReport,
    ParsedIssue,
    ProgressCallback,
)


class Importer:
    """Turns files into stored issues; the Library's import_paths delegates here."""

    def __init__(self, db: Database, render: RenderCache, lock: threading.RLock) -> None:
        self._db = db
        self._render = render
        self._lock = lock
        self._names = PublicationNames()

    def import_paths(
        self, paths: Sequence[Path], progress: ProgressCallback | None, options: ImportOptions | None = None,
        on_stored: Callable[[Sequence[str]], None] | None = None,
    ) -> ImportReport:
        """Import every file under ``paths``; see Library.import_paths.

        ``on_stored`` is called with the ids of the issues each file added or changed, once stored.
        """
        files, skipped = ingest.collect_files(paths)
        results = _skipped_results(paths, skipped)
        self._names = PublicationNames()
        with self._db.bulk():  # an fsync per file was a third of storing them
            return self._import_files(files, results, progress, options, on_stored)

    def _import_files(
        self, files: Sequence[Path], results: list[FileResult], progress: ProgressCallback | None,
        options: ImportOptions | None, on_stored: Callable[[Sequence[str]], None] | None,
    ) -> ImportReport:
        for done, path in enumerate(files):
            if progress is not None and progress(ImportProgress(done, len(files), str(path))) is False:
                return ImportReport(tuple(results), cancelled=True)
            per_message = _per_message(progress, done, len(files), str(path))
            result = self.import_stream(path, options or ImportOptions(), per_message)
            if result is None:
                return ImportReport(tuple(results), cancelled=True)
            results.append(result)
            if on_stored is not None and (result.imported or result.updated):
                on_stored(result.issue_ids)
        if progress is not None:
            progress(ImportProgress(len(files), len(files), ""))
        return ImportReport(tuple(results))

    def import_stream(
        self, path: Path, options: ImportOptions, progress: Callable[[int], bool] | None = None
    ) -> FileResult | None:
        """Import one file read as a stream (an mbox message by message), keeping what ``options`` keep.

        One transaction for the file; ``progress(messages read)`` may return False to cancel, which
        rolls the file back and returns None. Unreadable messages are skipped and named in the reason.
        """
        tally = _Tally()
        separate = DuplicateSeparator()
        now = now_iso()
        try:
            with self._lock, self._db.transaction() as tx:
                for item in ingest.iter_file(path):
                    if item.in_mailbox and progress is not None and progress(item.number) is False:
                        raise _Cancelled
                    if item.issue is None:
                        tally.problems.append(item.problem)
                    elif not options.keeps(item.issue):
                        tally.excluded += 1
                    else:
                        tally.decisions.append(self._store_one(tx, separate(item.issue), now))
        except _Cancelled:
            return None
        except ingest.OwnExportError as exc:
            return FileResult(str(path), "skipped", str(exc))
        except (IngestError, StorageError) as exc:
            return FileResult(str(path), "failed", str(exc))
        except UnicodeError as exc:  # text the parsers let through but the database refuses: this file only
            return FileResult(str(path), "failed", f"{path.name}: holds text that cannot be stored ({exc})")
        return tally.result(str(path))

    def store(self, source: str, parsed: list[ParsedIssue]) -> FileResult:
        """Store the issues of one source (a file, a feed) in one transaction."""
        now = now_iso()
        self._names = PublicationNames()
        with self._lock, self._db.transaction() as tx:
            decisions = [self._store_one(tx, issue, now) for issue in separate_duplicates(parsed)]
        return file_result(source, decisions)

    def store_batch(
        self, parsed: list[ParsedIssue], then: Callable[[sqlite3.Connection], None] | None = None
    ) -> list[Decision]:
        """Store some issues of one source and run ``then`` in the same transaction (a mail folder
        records the last UID it holds there: a sync cut off later leaves exactly what was recorded)."""
        now = now_iso()
        with self._lock, self._db.transaction() as tx:
            decisions = [self._store_one(tx, issue, now) for issue in separate_duplicates(parsed)]
            if then is not None:
                then(tx)
        return decisions

    def _store_one(self, tx: sqlite3.Connection, issue: ParsedIssue, now: str) -> Decision:
        issue = self._names.spelled_as_stored(tx, issue)
        decision = issues_store.upsert_issue(tx, issue, now)
        if decision.outcome == "updated":
            issue_edits.reapply_edits(tx, decision.issue_id)  # the person's corrections win
            images = image_store.stored_for(tx, decision.issue_id)  # the text as it shows, kept images too
            highlights_store.reanchor(tx, decision.issue_id, render_markdown(issue.markdown, images).plain_text, now)
        return decision

    def preview_paths(self, paths: Sequence[Path]) -> ImportReport:
        """What ``import_paths`` would do with ``paths``, file by file, writing nothing."""
        plan = PlannedLookup(issues_store.DbLookup(self._db.connection()))
        files, skipped = ingest.collect_files(paths)
        results = _skipped_results(paths, skipped)
        for path in files:
            results.append(self._preview_file(path, plan))
        return ImportReport(tuple(results))

    def _preview_file(self, path: Path, plan: PlannedLookup) -> FileResult:
        try:
            parsed = ingest.parse_file(path)
        except ingest.OwnExportError as exc:
            return FileResult(str(path), "skipped", str(exc))
        except IngestError as exc:
            return FileResult(str(path), "failed", str(exc))
        return file_result(str(path), [plan.plan(issue) for issue in separate_duplicates(parsed)])


def _skipped_results(paths: Sequence[Path], skipped: Sequence[tuple[Path, str]]) -> list[FileResult]:
    """What walking the folders left out: a file the person named is a failure; one met while walking
    a folder is only skipped."""
    named = set(paths)
    return [
        FileResult(str(path), "failed" if path in named else "skipped", f"{path.name}: {reason}")
        for path, reason in skipped
    ]


def file_result(source: str, decisions: Sequence[Decision], reason: str = "", excluded: int = 0) -> FileResult:
    """One file's result from the decisions taken for its issues."""
    counts = {"imported": 0, "updated": 0, "unchanged": 0}
    for decision in decisions:
        counts[decision.outcome] += 1
    kept_apart = sum(d.kept_apart for d in decisions)
    status: FileStatus = "imported" if counts["imported"] else "updated" if counts["updated"] else "unchanged"
    ids = tuple(dict.fromkeys(d.issue_id for d in decisions))
    return FileResult(source, status, reason, ids, **counts, kept_apart=kept_apart, excluded=excluded)


class PublicationNames:
    """One spelling per publication: "This Week In Rust" is stored as the library's "This Week in Rust".

    Real archives spell a name differently now and then (a capital, a stray space); those issues
    belong to the same series. The names are read once per import, then kept up to date as it goes.
    """

    def __init__(self) -> None:
        self._spelling: dict[str, str] | None = None

    def spelled_as_stored(self, tx: sqlite3.Connection, issue: ParsedIssue) -> ParsedIssue:
        """``issue`` with its publication spelled as the library already spells it (if it does)."""
        if self._spelling is None:
            rows = tx.execute("SELECT DISTINCT publication FROM issues").fetchall()
            self._spelling = {_name_key(row[0]): row[0] for row in rows}
        stored = self._spelling.setdefault(_name_key(issue.publication), issue.publication)
        return issue if stored == issue.publication else replace(issue, publication=stored)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass
class _Tally:
    """What one streamed file gave: a decision per stored issue, messages filtered out, problems."""

    decisions: list[Decision] = field(default_factory=list)
    excluded: int = 0
    problems: list[str] = field(default_factory=list)

    def result(self, source: str) -> FileResult:
        name = Path(source).name
        if not self.decisions and self.excluded:
            note = f"{self.excluded} message{'s' if self.excluded != 1 else ''} left out by the filter"
            return FileResult(source, "skipped", f"{name}: nothing to keep ({note})", excluded=self.excluded)
        if not self.decisions and self.problems:
            return FileResult(source, "failed", f"{name}: {_problems_text(self.problems)}")
        reason = f"{name}: {_problems_text(self.problems)}" if self.problems else ""
        return file_result(source, self.decisions, reason, self.excluded)


class _Cancelled(Exception):
    """Cancel was asked for in the middle of a file: its transaction rolls back."""


def _per_message(progress: ProgressCallback | None, done: int, total: int, path: str) -> Callable[[int], bool] | None:
    """A per-message callback reporting file ``done`` of ``total`` with the messages read so far."""
    if progress is None:
        return None
    report = progress

    def step(messages: int) -> bool:
        return report(ImportProgress(done, total, path, messages=messages)) is not False

    return step


def _problems_text(problems: list[str]) -> str:
    count = len(problems)
    shown = "; ".join(problems[:3]) + ("; ..." if count > 3 else "")
    return f"{count} message{'s' if count != 1 else ''} skipped ({shown})"
