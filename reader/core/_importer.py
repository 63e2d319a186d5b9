"""Importing files into the library: parse each file, then store its issues in one transaction."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from reader.core import _highlights_store as highlights_store
from reader.core import _ingest as ingest
from reader.core import _issues_store as issues_store
from reader.core._clock import now_iso
from reader.core._import_plan import PlannedLookup
from reader.core._issue_identity import Decision, separate_duplicates
from reader.core._rendered import RenderCache, render_markdown
from reader.core._storage import Database
from reader.core.errors import IngestError, StorageError
from reader.core.types import (
    FileResult,
    FileStatus,
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

    def import_paths(self, paths: Sequence[Path], progress: ProgressCallback | None) -> ImportReport:
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
            results.append(self.import_file(path))
        if progress is not None:
            progress(ImportProgress(len(files), len(files), ""))
        return ImportReport(tuple(results))

    def import_file(self, path: Path) -> FileResult:
        """Parse one file and store its issues in one transaction; never raises for bad input."""
        notes: list[str] = []
        try:
            parsed = ingest.parse_file(path, notes)
        except ingest.OwnExportError as exc:
            return FileResult(str(path), "skipped", str(exc))
        except IngestError as exc:
            return FileResult(str(path), "failed", str(exc))
        try:
            stored = self.store(str(path), parsed)
            return replace(stored, reason=f"{path.name}: {'; '.join(notes)}") if notes else stored
        except StorageError as exc:
            return FileResult(str(path), "failed", str(exc))

    def store(self, source: str, parsed: list[ParsedIssue]) -> FileResult:
        """Store the issues of one source (a file, a feed) in one transaction."""
        decisions: list[Decision] = []
        now = now_iso()
        with self._lock, self._db.transaction() as tx:
            for issue in separate_duplicates(parsed):
                decision = issues_store.upsert_issue(tx, issue, now)
                if decision.outcome == "updated":
                    text = render_markdown(issue.markdown).plain_text
                    highlights_store.reanchor(tx, decision.issue_id, text, now)
                decisions.append(decision)
        return file_result(source, decisions)

    def preview_paths(self, paths: Sequence[Path]) -> ImportReport:
        """What ``import_paths`` would do with ``paths``, file by file, writing nothing."""
        plan = PlannedLookup(issues_store.DbLookup(self._db.connection()))
        files, skipped = ingest.collect_files(paths)
        named = set(paths)
        results = [
            FileResult(str(path), "failed" if path in named else "skipped", f"{path.name}: {reason}")
            for path, reason in skipped
        ]
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


def file_result(source: str, decisions: Sequence[Decision]) -> FileResult:
    """One file's result from the decisions taken for its issues."""
    counts = {"imported": 0, "updated": 0, "unchanged": 0}
    for decision in decisions:
        counts[decision.outcome] += 1
    kept_apart = sum(d.kept_apart for d in decisions)
    status: FileStatus = "imported" if counts["imported"] else "updated" if counts["updated"] else "unchanged"
    ids = tuple(dict.fromkeys(d.issue_id for d in decisions))
    return FileResult(source, status, "", ids, **counts, kept_apart=kept_apart)
