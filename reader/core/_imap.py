"""Reading one IMAP folder, read-only and incrementally, with ``imapclient``.

Read-only by construction: the folder is opened with EXAMINE (``select_folder(readonly=True)``) and
messages are fetched with ``BODY.PEEK[]``, which never sets \\Seen; nothing here stores flags,
copies, moves, expunges or deletes. TLS is required (``imaps://``, or ``imap://`` with STARTTLS)
except on a loopback host; certificates are checked against the system's authorities (OpenSSL's
``SSL_CERT_FILE`` adds one). Messages come in batches bounded by count and bytes, so memory stays
bounded however large the folder; each batch is handed to the caller, which stores it together with
the last UID it holds (a connection lost mid-sync leaves exactly the batches before it).
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import socket
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from reader.core.errors import MailError, WrongPasswordError

MAX_MESSAGE_BYTES = 25 * 1024 * 1024
"""A larger message is left out (named in the result): newsletters are far smaller."""
BATCH_MESSAGES = 200
BATCH_BYTES = 16 * 1024 * 1024
"""A batch is fetched, parsed and stored before the next is asked for: memory stays bounded."""
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class MailFolderAddress:
    """Where a mail folder is: ``imaps://user@host[:port]/Folder`` (or ``imap://`` for STARTTLS)."""

    url: str
    secure: bool  # imaps (TLS from the first byte); False: imap, which upgrades with STARTTLS
    user: str
    host: str
    port: int
    folder: str

    @property
    def account(self) -> str:
        """The keyring account: ``user@host`` (the port is left out: one password per mailbox)."""
        return f"{self.user}@{self.host}"

    @property
    def loopback(self) -> bool:
        """True for 127.0.0.1, ::1 and localhost: the only hosts allowed without TLS."""
        if self.host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def is_mail_url(url: str) -> bool:
    """True for an ``imap://`` or ``imaps://`` address."""
    return url.strip().lower().startswith(("imap://", "imaps://"))


def parse_mail_url(url: str) -> MailFolderAddress:
    """The parts of a mail folder address; MailError, in words, for anything missing or wrong."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise MailError(f"{url!r} is not a valid mail folder address ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("imap", "imaps"):
        raise MailError(f"{url!r} is not a mail folder address (it must start with imaps:// or imap://)")
    if not parts.hostname:
        raise MailError(f"{url!r} names no mail server (imaps://user@host/Folder)")
    if not parts.username:
        raise MailError(f"{url!r} names no user (imaps://user@host/Folder)")
    if parts.password:
        raise MailError("Do not put the password in the address: Back Issue asks for it and keeps it in the keyring")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    secure = scheme == "imaps"
    return MailFolderAddress(
        url=url, secure=secure, user=unquote(parts.username), host=parts.hostname,
        port=port or (993 if secure else 143), folder=folder,
    )  # fmt: skip


@dataclass(frozen=True)
class FolderState:
    """What the last sync got to: the folder's UIDVALIDITY and the highest UID imported."""

    uidvalidity: int | None
    last_uid: int


@dataclass(frozen=True)
class MailBatch:
    """Some messages of the folder, in UID order, and the state to record once they are stored."""

    messages: list[tuple[int, bytes]]
    state: FolderState
    too_large: list[int]  # UIDs left out for their size
    done: int  # messages handled so far (this batch included)
    total: int  # messages this sync looks at


def read_folder(
    address: MailFolderAddress, password: str, state: FolderState | None, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[MailBatch]:
    """The folder's messages newer than ``state``, batch by batch, read-only.

    A UIDVALIDITY other than the stored one means the server renumbered the folder: every message
    is read again (Message-ID identity keeps them from being imported twice).

    Raises:
        WrongPasswordError: the server refused the login.
        MailError: no connection, a certificate or TLS failure, no such folder, a timeout, or the
            connection lost (the batches already yielded stay valid).
    """
    client = _connect(address, timeout)
    try:
        yield from _read(client, address, password, state)
    except (imaplib.IMAP4.abort, OSError, ssl.SSLError) as exc:
        raise MailError(f"{address.url}: the connection to the mail server was lost ({_why(exc)})") from None
    except imaplib.IMAP4.error as exc:
        raise MailError(f"{address.url}: the mail server answered with an error ({_text(exc)})") from None
    finally:
        _close(client)


def check_login(address: MailFolderAddress, password: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Log in and open the folder read-only, reading nothing; raises as ``read_folder`` does."""
    for _batch in read_folder(address, password, FolderState(None, 1 << 62), timeout):
        break


def _read(
    client: object, address: MailFolderAddress, password: str, state: FolderState | None
) -> Iterator[MailBatch]:
    from imapclient import IMAPClient
    from imapclient.exceptions import LoginError

    assert isinstance(client, IMAPClient)
    try:
        client.login(address.user, password)
    except LoginError:
        raise WrongPasswordError(f"{address.url}: the mail server refused the user name or password") from None
    try:
        info = client.select_folder(address.folder, readonly=True)
    except imaplib.IMAP4.error as exc:
        raise MailError(f"{address.url}: cannot open the folder {address.folder!r} ({_text(exc)})") from None
    uidvalidity = int(info.get(b"UIDVALIDITY", 0))
    start = state.last_uid + 1 if state is not None and state.uidvalidity == uidvalidity else 1
    if start >= (1 << 32):
        return
    found = client.search(["UID", f"{start}:*"])  # "n:*" always includes the highest UID: filter
    uids = sorted(uid for uid in found if uid >= start)
    sizes = _sizes(client, uids)
    done = 0
    for batch in _batches(uids, sizes):
        wanted = [uid for uid in batch if sizes.get(uid, 0) <= MAX_MESSAGE_BYTES]
        fetched = client.fetch(wanted, ["BODY.PEEK[]"]) if wanted else {}
        messages = [(uid, bytes(fetched[uid][b"BODY[]"])) for uid in wanted if b"BODY[]" in fetched.get(uid, {})]
        done += len(batch)
        yield MailBatch(
            messages, FolderState(uidvalidity, max(batch)), [u for u in batch if u not in wanted], done, len(uids)
        )


def _sizes(client: object, uids: Sequence[int]) -> dict[int, int]:
    """Each message's size (RFC822.SIZE), asked in slices so a huge folder is no huge command."""
    sizes: dict[int, int] = {}
    for index in range(0, len(uids), 1000):
        chunk = list(uids[index : index + 1000])
        for uid, data in client.fetch(chunk, ["RFC822.SIZE"]).items():  # type: ignore[attr-defined]
            sizes[int(uid)] = int(data.get(b"RFC822.SIZE", 0))
    return sizes


def _batches(uids: Sequence[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    batch: list[int] = []
    total = 0
    for uid in uids:
        size = min(sizes.get(uid, 0), MAX_MESSAGE_BYTES)
        if batch and (len(batch) >= BATCH_MESSAGES or total + size > BATCH_BYTES):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch


def _connect(address: MailFolderAddress, timeout: float) -> object:
    """A connected client, over TLS (imaps, or STARTTLS) unless the host is loopback and offers none."""
    from imapclient import IMAPClient
    from imapclient.imapclient import SocketTimeout

    context = ssl.create_default_context()
    where = f"{address.url}:"
    try:
        client = IMAPClient(
            address.host, port=address.port, ssl=address.secure, ssl_context=context,
            timeout=SocketTimeout(connect=timeout, read=timeout),
        )  # fmt: skip
        if not address.secure:
            _start_tls(client, address, context)
    except ssl.SSLCertVerificationError as exc:
        raise MailError(f"{where} the mail server's certificate is not trusted ({exc.verify_message}); "
                        "Back Issue refuses to send your password to it") from None
    except ssl.SSLError as exc:
        raise MailError(f"{where} the secure connection failed ({exc.reason or exc})") from None
    except socket.gaierror:
        raise MailError(f"{where} cannot find the mail server (offline, or the name does not exist)") from None
    except TimeoutError:
        raise MailError(f"{where} the mail server did not answer within {timeout:g} seconds") from None
    except ConnectionRefusedError:
        raise MailError(f"{where} the mail server refused the connection (is the port right?)") from None
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailError(f"{where} cannot connect to the mail server ({_why(exc)})") from None
    return client


def _start_tls(client: object, address: MailFolderAddress, context: ssl.SSLContext) -> None:
    from imapclient import IMAPClient

    assert isinstance(client, IMAPClient)
    if client.has_capability("STARTTLS"):
        client.starttls(context)
    elif not address.loopback:
        _close(client)
        raise MailError(
            f"{address.url}: the mail server offers no encryption (STARTTLS); Back Issue sends passwords "
            "only over TLS (use imaps:// if the server has it)"
        )


def _close(client: object) -> None:
    from imapclient import IMAPClient

    assert isinstance(client, IMAPClient)
    try:
        client.logout()
    except Exception:  # already gone: nothing to close
        with contextlib.suppress(Exception):
            client.shutdown()


def _why(exc: BaseException) -> str:
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "no answer in time"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return _text(exc) or type(exc).__name__


def _text(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return text.strip()

