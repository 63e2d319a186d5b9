"""Importing files into the library: parse each file, then store its issues in one transaction."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.core import _highlights_store as highlights_store
from reader.core import _ingest as ingest
from reader.core import _issue_edits as issue_edits
from reader.core import _issues_store as issues_store
from reader.core._clock import now_iso
from reader.core._issues_store import UpsertResult
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

    def import_paths(
        self, paths: Sequence[Path], progress: ProgressCallback | None, options: ImportOptions | None = None
    ) -> ImportReport:
        """Import every file under ``paths``; see Library.import_paths."""
        files, skipped = ingest.collect_files(paths)
        named = set(paths)
        results = [
            # A file the person named is a failure; one met while walking a folder is only skipped.
            FileResult(str(path), "failed" if path in named else "skipped", f"{path.name}: {reason}")
            for path, reason in skipped
        ]
        for done, path in enumerate(files):
            if progress is not None and progress(ImportProgress(done, len(files), str(path))) is False:
                return ImportReport(tuple(results), cancelled=True)
            per_message = _per_message(progress, done, len(files), str(path))
            result = self.import_stream(path, options or ImportOptions(), per_message)
            if result is None:
                return ImportReport(tuple(results), cancelled=True)
            results.append(result)
        if progress is not None:
            progress(ImportProgress(len(files), len(files), ""))
        return ImportReport(tuple(results))

    def import_file(self, path: Path) -> FileResult:
        """Parse one file and store its issues in one transaction; never raises for bad input."""
        try:
            parsed = ingest.parse_file(path)
        except IngestError as exc:
            return FileResult(str(path), "failed", str(exc))
        try:
            return self.store(str(path), parsed)
        except StorageError as exc:
            return FileResult(str(path), "failed", str(exc))

    def import_stream(
        self, path: Path, options: ImportOptions, progress: Callable[[int], bool] | None = None
    ) -> FileResult | None:
        """Import one file read as a stream (an mbox message by message), keeping what ``options`` keep.

        One transaction for the file; ``progress(messages read)`` may return False to cancel, which
        rolls the file back and returns None. Unreadable messages are skipped and named in the reason.
        """
        counts = {"imported": 0, "updated": 0, "unchanged": 0, "excluded": 0}
        ids: list[str] = []
        problems: list[str] = []
        now = now_iso()
        try:
            with self._lock, self._db.transaction() as tx:
                for item in ingest.iter_file(path):
                    if item.in_mailbox and progress is not None and progress(item.number) is False:
                        raise _Cancelled
                    if item.issue is None:
                        problems.append(item.problem)
                    elif not options.keeps(item.issue):
                        counts["excluded"] += 1
                    else:
                        outcome = self._store_one(tx, item.issue, now, ids)
                        counts[outcome] += 1
        except _Cancelled:
            return None
        except IngestError as exc:
            return FileResult(str(path), "failed", str(exc))
        except StorageError as exc:
            return FileResult(str(path), "failed", str(exc))
        return _stream_result(str(path), counts, ids, problems)

    def _store_one(self, tx: sqlite3.Connection, issue: ParsedIssue, now: str, ids: list[str]) -> UpsertResult:
        issue_id, outcome = issues_store.upsert_issue(tx, issue, now)
        if outcome == "updated":
            issue_edits.reapply_edits(tx, issue_id)
            highlights_store.reanchor(tx, issue_id, render_markdown(issue.markdown).plain_text, now)
        if not ids or ids[-1] != issue_id:
            ids.append(issue_id)
        return outcome

    def store(self, source: str, parsed: list[ParsedIssue]) -> FileResult:
        """Store the issues of one source (a file, a feed) in one transaction."""
        counts = {"imported": 0, "updated": 0, "unchanged": 0}
        ids: list[str] = []
        now = now_iso()
        with self._lock, self._db.transaction() as tx:
            for issue in parsed:
                issue_id, outcome = issues_store.upsert_issue(tx, issue, now)
                if outcome == "updated":
                    issue_edits.reapply_edits(tx, issue_id)
                    text = render_markdown(issue.markdown).plain_text
                    highlights_store.reanchor(tx, issue_id, text, now)
                counts[outcome] += 1
                ids.append(issue_id)
        status: FileStatus = "imported" if counts["imported"] else "updated" if counts["updated"] else "unchanged"
        return FileResult(source, status, "", tuple(dict.fromkeys(ids)), **counts)


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


def _stream_result(source: str, counts: dict[str, int], ids: list[str], problems: list[str]) -> FileResult:
    stored = counts["imported"] + counts["updated"] + counts["unchanged"]
    reason = _problems_text(problems)
    if not stored and counts["excluded"]:
        excluded = counts["excluded"]
        note = f"{excluded} message{'s' if excluded != 1 else ''} left out by the filter"
        return FileResult(source, "skipped", f"{Path(source).name}: nothing to keep ({note})", excluded=excluded)
    if not stored and problems:
        return FileResult(source, "failed", f"{Path(source).name}: {reason}")
    status: FileStatus = "imported" if counts["imported"] else "updated" if counts["updated"] else "unchanged"
    return FileResult(
        source, status, reason, tuple(dict.fromkeys(ids)),
        counts["imported"], counts["updated"], counts["unchanged"], counts["excluded"],
    )  # fmt: skip


def _problems_text(problems: list[str]) -> str:
    if not problems:
        return ""
    count = len(problems)
    shown = "; ".join(problems[:3]) + ("; ..." if count > 3 else "")
    return f"{count} message{'s' if count != 1 else ''} skipped ({shown})"

