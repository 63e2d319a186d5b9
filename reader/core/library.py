"""The Library facade: the one object the GUI and the CLI call to import, read, search and annotate.

Everything below it (ingest, storage, search index, rendering, anchoring) is private to the core.
A Library is safe to share between threads: calls are serialised on one lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Literal

from reader.core.types import (
    Changes,
    ColorLabel,
    Highlight,
    ImportReport,
    Issue,
    IssueSummary,
    ProgressCallback,
    SearchHit,
    TextSpan,
)

SortOrder = Literal["score", "date"]


class Library:
    """A newsletter library in one data dir (SQLite database + Whoosh index beside it).

    Args:
        data_dir: the folder holding ``library.sqlite3`` and ``index/``; created 0700 if missing.
    """

    def __init__(self, data_dir: Path | str) -> None:
        raise NotImplementedError

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the database and the index; further calls raise ReaderError."""
        raise NotImplementedError

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- import ----------------------------------------------------------------------------------
    def import_paths(
        self, paths: Iterable[Path | str], progress: ProgressCallback | None = None
    ) -> ImportReport:
        """Import files and folders (recursively); one transaction per file."""
        raise NotImplementedError

    def import_samples(self, progress: ProgressCallback | None = None) -> ImportReport:
        """Import the bundled sample newsletters."""
        raise NotImplementedError

    def is_empty(self) -> bool:
        """True when the library holds no issue."""
        raise NotImplementedError

    # -- reading ---------------------------------------------------------------------------------
    def list_issues(self) -> list[IssueSummary]:
        """Every issue, newest first."""
        raise NotImplementedError

    def get_issue(self, issue_id: str) -> Issue:
        """The whole issue; raises IssueNotFoundError."""
        raise NotImplementedError

    def render_html(self, issue_id: str) -> str:
        """The issue's body as sanitised HTML (headings carry the Section anchors as ids)."""
        raise NotImplementedError

    def plain_text(self, issue_id: str) -> str:
        """The issue's rendered plain text: what highlight anchors and match spans index into."""
        raise NotImplementedError

    def set_read(self, issue_id: str, read: bool = True) -> Changes:
        """Mark an issue read or unread."""
        raise NotImplementedError

    def set_starred(self, issue_id: str, starred: bool = True) -> Changes:
        """Star or unstar an issue."""
        raise NotImplementedError

    # -- search ----------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20, sort: SortOrder = "score") -> list[SearchHit]:
        """Search issues, highlights and notes; raises QueryError for a query it cannot parse."""
        raise NotImplementedError

    def find_matches(self, issue_id: str, query: str) -> list[TextSpan]:
        """Where the query's terms occur in the issue's plain text (for marking every match)."""
        raise NotImplementedError

    def reindex(self, progress: ProgressCallback | None = None) -> Changes:
        """Rebuild the search index from the database."""
        raise NotImplementedError

    # -- highlights and notes --------------------------------------------------------------------
    def add_highlight(
        self, issue_id: str, start: int, end: int, color: str = "yellow", note: str = ""
    ) -> Highlight:
        """Highlight ``plain_text(issue_id)[start:end]``; committed at once."""
        raise NotImplementedError

    def highlights(self, issue_id: str | None = None) -> list[Highlight]:
        """The highlights of one issue in reading order, or of the whole library."""
        raise NotImplementedError

    def update_highlight(
        self, highlight_id: str, *, color: str | None = None, note: str | None = None
    ) -> Highlight:
        """Recolour a highlight and/or replace its note; returns the updated record."""
        raise NotImplementedError

    def delete_highlight(self, highlight_id: str) -> Highlight:
        """Delete a highlight; returns it as it was, so the caller can undo with restore_highlight."""
        raise NotImplementedError

    def restore_highlight(self, highlight: Highlight) -> Highlight:
        """Put back a deleted highlight (undo), with its id, times and note."""
        raise NotImplementedError

    def color_labels(self) -> list[ColorLabel]:
        """The five highlight colours with the user's labels."""
        raise NotImplementedError

    def rename_color(self, key: str, label: str) -> Changes:
        """Give a highlight colour a new label."""
        raise NotImplementedError

    def set_issue_note(self, issue_id: str, text: str) -> Changes:
        """Set the free note of an issue ("" removes it)."""
        raise NotImplementedError

    # -- status ----------------------------------------------------------------------------------
    def publications(self) -> list[str]:
        """The distinct publication names, sorted."""
        raise NotImplementedError

    @property
    def index_message(self) -> str | None:
        """Why the search index was rebuilt when the library opened (None when it was fine)."""
        raise NotImplementedError
