"""The one exception hierarchy of the core: everything the Library raises is a ReaderError."""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error the core raises on purpose; its message is meant for the user."""


class IngestError(ReaderError):
    """A file could not be read as a newsletter (binary, empty, too large, malformed...)."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class UnsupportedFormatError(IngestError):
    """The file's content is not a format Back Issue can import."""


class QueryError(ReaderError):
    """A search query could not be understood; the message says why, in words."""


class IssueNotFoundError(ReaderError):
    """No issue with that id is in the library."""


class HighlightNotFoundError(ReaderError):
    """No highlight with that id is in the library."""


class StorageError(ReaderError):
    """The database could not be opened, read or written."""


class CorruptDatabaseError(StorageError):
    """The database file is damaged; it is never overwritten."""


class LibraryLockedError(StorageError):
    """Another process holds the library's write lock for too long."""


class SearchIndexError(ReaderError):
    """The search index is missing, stale or unreadable (it can be rebuilt from the database)."""


class AnnotationFormatError(ReaderError):
    """An annotation export file could not be understood."""


class FeedError(ReaderError):
    """A feed could not be fetched or parsed."""


# -- mail folders (IMAP subscriptions) -----------------------------------------------------------
class MailError(FeedError):
    """A mail folder could not be read (login, certificate, connection, folder); the message says why."""


class PasswordNeededError(MailError):
    """No password is known for a mail account: the caller asks the person, then passes it in.

    Attributes:
        account: the account ("user@host") the password is for.
    """

    def __init__(self, message: str, account: str) -> None:
        super().__init__(message)
        self.account = account


class WrongPasswordError(MailError):
    """The mail server refused the user name or password (a stored one is forgotten)."""
