"""Subscribed mail folders: stored in SQLite, synced over IMAP only when the person asks (or a schedule).

Each folder row keeps the UIDVALIDITY and the highest UID imported; a sync asks only for newer UIDs
and records the new last UID in the same transaction as each batch's issues. Messages go through
the same parser as mailbox files (``parse_email``: newsletter detection, publication naming,
Message-ID identity), so a renumbered folder (new UIDVALIDITY) is read again without duplicates.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from reader.core import _imap as imap
from reader.core import _mail_password as passwords
from reader.core._clock import now_iso
from reader.core._importer import Importer, file_result
from reader.core._ingest.format_error import FormatError
from reader.core._issue_identity import Decision
from reader.core._storage import Database
from reader.core.errors import MailError, PasswordNeededError, WrongPasswordError
from reader.core.types import FileResult, ParsedIssue, Subscription

MailProgress = Callable[[int, int], "bool | None"]
"""Called after each stored batch with (messages done, messages to read); False cancels the rest."""


def all_folders(db: Database) -> list[Subscription]:
    """Every subscribed mail folder, by title."""
    rows = db.query(
        "SELECT url, title, added, last_checked, last_error FROM mail_folders ORDER BY title COLLATE NOCASE"
    )
    return [Subscription(*row) for row in rows]


def is_subscribed(db: Database, url: str) -> bool:
    """True when ``url`` is a subscribed mail folder."""
    return db.query_one("SELECT 1 FROM mail_folders WHERE url = ?", (url,)) is not None


def remove_folder(db: Database, url: str) -> bool:
    """Forget a mail folder (its issues stay); True if there was one."""
    with db.transaction() as tx:
        return tx.execute("DELETE FROM mail_folders WHERE url = ?", (url,)).rowcount > 0


def password_for(address: imap.MailFolderAddress, given: str | None) -> str:
    """The password to use: the one given, else this session's or the keyring's; PasswordNeededError."""
    if given is not None:
        return given
    found = passwords.find_password(address.account)
    if found is not None:
        return found
    why = "" if passwords.keyring_available() else f" ({passwords.no_keyring_reason()})"
    raise PasswordNeededError(f"The password for {address.account} is needed{why}", address.account)


def sync(
    db: Database,
    importer: Importer,
    address: imap.MailFolderAddress,
    password: str | None = None,
    progress: MailProgress | None = None,
    timeout: float = imap.DEFAULT_TIMEOUT,
) -> tuple[FileResult, bool]:
    """Read the folder's new mail into the library; returns (result, cancelled).

    A password that was given is remembered (keyring, else this session) once the server accepts it;
    one the server refuses is forgotten. The folder is subscribed on its first successful login.

    Raises:
        PasswordNeededError: no password is known.
        WrongPasswordError, MailError: as ``imap.read_folder``; the folder's row records the error.
    """
    secret = password_for(address, password)
    _ensure_row(db, address)
    state = _state(db, address.url)
    decisions: list[Decision] = []
    problems: list[str] = []
    cancelled = False
    try:
        for batch in imap.read_folder(address, secret, state, timeout):
            if password is not None:
                passwords.keep_password(address.account, password)
                password = None
            cap = imap.MAX_MESSAGE_BYTES // 2**20
            problems += [f"message {uid} is larger than {cap} MB" for uid in batch.too_large]
            decisions += _store(importer, address.url, batch, problems)
            if progress is not None and progress(batch.done, batch.total) is False:
                cancelled = True
                break
    except WrongPasswordError as exc:
        passwords.forget_password(address.account)
        _record(db, address.url, str(exc))
        raise
    except MailError as exc:
        _record(db, address.url, str(exc))
        raise
    if password is not None:  # logged in, nothing new: the password was still right
        passwords.keep_password(address.account, password)
    _record(db, address.url, "")
    return _result(address.url, decisions, problems), cancelled


def _store(importer: Importer, url: str, batch: imap.MailBatch, problems: list[str]) -> list[Decision]:
    parsed = []
    for uid, data in batch.messages:
        try:
            parsed.append(_parse_email(data, url))
        except FormatError as exc:
            problems.append(f"message {uid}: {exc}")

    def record(tx: sqlite3.Connection) -> None:
        tx.execute(
            "UPDATE mail_folders SET uidvalidity = ?, last_uid = ? WHERE url = ?",
            (batch.state.uidvalidity, batch.state.last_uid, url),
        )

    return importer.store_batch(parsed, record)


def _result(url: str, decisions: list[Decision], problems: list[str]) -> FileResult:
    count = len(problems)
    reason = ""
    if problems:
        shown = "; ".join(problems[:3]) + ("; ..." if count > 3 else "")
        reason = f"{count} message{'s' if count != 1 else ''} skipped ({shown})"
    if not decisions:
        return FileResult(url, "unchanged", reason or "nothing new")
    return file_result(url, decisions, reason)


def _ensure_row(db: Database, address: imap.MailFolderAddress) -> None:
    with db.transaction() as tx:
        tx.execute(
            "INSERT INTO mail_folders (url, title, added) VALUES (?, ?, ?) ON CONFLICT(url) DO NOTHING",
            (address.url, f"{address.folder} ({address.account})", now_iso()),
        )


def _state(db: Database, url: str) -> imap.FolderState | None:
    row = db.query_one("SELECT uidvalidity, last_uid FROM mail_folders WHERE url = ?", (url,))
    if row is None or row["uidvalidity"] is None:
        return None
    return imap.FolderState(int(row["uidvalidity"]), int(row["last_uid"]))


def _record(db: Database, url: str, error: str) -> None:
    with db.transaction() as tx:
        tx.execute("UPDATE mail_folders SET last_checked = ?, last_error = ? WHERE url = ?", (now_iso(), error, url))


def _parse_email(data: bytes, url: str) -> ParsedIssue:
    from reader.core._ingest.email_doc import parse_email  # the email package: only when a folder syncs

    return parse_email(data, url)
