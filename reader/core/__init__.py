"""The Qt-free core of Back Issue: everything but the window.

Public API: :class:`Library` and the records and errors it uses.
"""

from reader.core.annotations_io import AnnotationImportReport
from reader.core.errors import (
    AnnotationFormatError,
    CorruptDatabaseError,
    FeedError,
    HighlightNotFoundError,
    IngestError,
    IssueNotFoundError,
    LibraryLockedError,
    QueryError,
    ReaderError,
    SearchIndexError,
    StorageError,
    UnsupportedFormatError,
)
from reader.core.library import Library
from reader.core.types import (
    Changes,
    ColorLabel,
    FileResult,
    Highlight,
    ImportProgress,
    ImportReport,
    Issue,
    IssueSummary,
    ParsedIssue,
    SearchHit,
    Section,
    Subscription,
    TextSpan,
)

__all__ = [
    "AnnotationFormatError",
    "AnnotationImportReport",
    "Changes",
    "ColorLabel",
    "CorruptDatabaseError",
    "FeedError",
    "FileResult",
    "Highlight",
    "HighlightNotFoundError",
    "ImportProgress",
    "ImportReport",
    "IngestError",
    "Issue",
    "IssueNotFoundError",
    "IssueSummary",
    "Library",
    "LibraryLockedError",
    "ParsedIssue",
    "QueryError",
    "ReaderError",
    "SearchHit",
    "SearchIndexError",
    "Section",
    "StorageError",
    "Subscription",
    "TextSpan",
    "UnsupportedFormatError",
]
