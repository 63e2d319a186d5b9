"""The Qt-free core of Back Issue: everything but the window.

This package's namespace is the core's whole public face: the :class:`Library` facade, the records
(``reader.core.types``) and errors (``reader.core.errors``) it uses, and the few helpers the window
and the command line truly need (long jobs, paths, UTF-16 text positions, restore). Every other
module is private (``_name``) and may change at any time; import-linter's ``private_modules``
contract keeps ``reader.gui`` and ``reader.cli`` out of them.
"""

from reader.core._anchoring import snap_to_words
from reader.core._annotations_io import AnnotationImportReport
from reader.core._backup import restore_library
from reader.core._jobs import Job, JobProcess
from reader.core._library import Library
from reader.core._notes import note_html, note_text
from reader.core._paths import DESKTOP_FILES, ENV_VAR, desktop_resource, resolve_data_dir
from reader.core._smart_lists import SmartListError
from reader.core._storage import DB_NAME, set_aside_damaged
from reader.core._tags import TagError
from reader.core._textmap import TextMap, from_utf16, to_utf16
from reader.core.errors import (
    AnnotationFormatError,
    CorruptDatabaseError,
    FeedError,
    HighlightNotFoundError,
    IngestError,
    IssueNotFoundError,
    LibraryLockedError,
    MailError,
    PasswordNeededError,
    QueryError,
    ReaderError,
    SearchIndexError,
    StorageError,
    UnsupportedFormatError,
    WrongPasswordError,
)
from reader.core.types import (  # daily review and importing from other readers (#18)
    REVIEW_ACTIONS,
    Changes,
    ColorLabel,
    FileResult,
    Highlight,
    HighlightEdit,
    HistoryItem,
    HistoryReport,
    ImportOptions,
    ImportProgress,
    ImportReport,
    Issue,
    IssueSummary,
    KeptImages,
    LibraryCounts,
    ParsedIssue,
    PublicationCount,
    ReviewAction,
    ReviewDay,
    ReviewItem,
    SearchHit,
    Section,
    Series,
    SmartList,
    StoredImages,
    Subscription,
    TagCount,
    TextSpan,
)

__all__ = [
    "DB_NAME",
    "DESKTOP_FILES",
    "ENV_VAR",
    "REVIEW_ACTIONS",
    "AnnotationFormatError",
    "AnnotationImportReport",
    "Changes",
    "ColorLabel",
    "CorruptDatabaseError",
    "FeedError",
    "FileResult",
    "Highlight",
    "HighlightEdit",
    "HighlightNotFoundError",
    "HistoryItem",
    "HistoryReport",
    "ImportOptions",
    "ImportProgress",
    "ImportReport",
    "IngestError",
    "Issue",
    "IssueNotFoundError",
    "IssueSummary",
    "Job",
    "JobProcess",
    "KeptImages",
    "Library",
    "LibraryCounts",
    "LibraryLockedError",
    "MailError",
    "ParsedIssue",
    "PasswordNeededError",
    "PublicationCount",
    "QueryError",
    "ReaderError",
    "ReviewAction",
    "ReviewDay",
    "ReviewItem",
    "SearchHit",
    "SearchIndexError",
    "Section",
    "Series",
    "SmartList",
    "SmartListError",
    "StorageError",
    "StoredImages",
    "Subscription",
    "TagCount",
    "TagError",
    "TextMap",
    "TextSpan",
    "UnsupportedFormatError",
    "WrongPasswordError",
    "desktop_resource",
    "from_utf16",
    "note_html",
    "note_text",
    "resolve_data_dir",
    "restore_library",
    "set_aside_damaged",
    "snap_to_words",
    "to_utf16",
]

# -- links and citations (issue #17) ----------------------------------------------------------------
from reader.core.types import Citation, LinkedWork, LinkOrder, RelatedIssue, TimelineBucket

__all__ += ["Citation", "LinkOrder", "LinkedWork", "RelatedIssue", "TimelineBucket"]
