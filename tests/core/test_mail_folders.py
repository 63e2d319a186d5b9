"""Mail folders over IMAP against a real Dovecot on 127.0.0.1 (tests/imap_server.py).

Read-only, incremental by UIDVALIDITY + last UID, Message-ID identity across a renumbered folder,
passwords never in the library, refusals in words.
"""

from __future__ import annotations

import ssl
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import imapclient
import pytest

from reader.core import Library
from reader.core import _imap as imap
from reader.core import _mail_password as mail_password
from reader.core.errors import MailError, PasswordNeededError, WrongPasswordError
from tests.imap_server import FOLDER, PASSWORD, USER, Dovecot, newsletter


@pytest.fixture(autouse=True)
def _no_session_passwords() -> Iterator[None]:
    """Each test starts with no password typed this session (the module keeps them in memory)."""
    mail_password._session.clear()
    yield
    mail_password._session.clear()


@pytest.fixture
def trusted(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Dovecot:
    """The fixture's self-signed certificate trusted the way OpenSSL lets a user add one (SSL_CERT_FILE)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cert))
    return dovecot


def _titles(library: Library) -> list[str]:
    return sorted(s.title for s in library.list_issues())


def _unseen_on_server(server: Dovecot) -> int:
    context = ssl.create_default_context(cafile=str(server.cert))
    with imapclient.IMAPClient("127.0.0.1", port=server.port, ssl=True, ssl_context=context, timeout=10) as client:
        client.login(USER, PASSWORD)
        client.select_folder(FOLDER, readonly=True)
        return len(client.search(["UNSEEN"]))


def test_first_sync_imports_every_message_and_marks_nothing_read(trusted: Dovecot, library: Library) -> None:
    trusted.add_many([newsletter(n) for n in (1, 2, 3)])
    result = library.subscribe_mail(trusted.url(), PASSWORD)
    assert (result.status, result.imported) == ("imported", 3)
    assert _titles(library) == [f"Orchard Notes #{n}: Season {n}" for n in (1, 2, 3)]
    assert {s.publication for s in library.list_issues()} == {"Orchard Notes"}
    assert [s.url for s in library.subscriptions()] == [trusted.url()]
    assert _unseen_on_server(trusted) == 3  # EXAMINE + BODY.PEEK: still unread in the mail client


def test_incremental_sync_asks_only_for_newer_mail(trusted: Dovecot, library: Library) -> None:
    trusted.add_many([newsletter(n) for n in (1, 2)])
    library.subscribe_mail(trusted.url(), PASSWORD)
    trusted.add(newsletter(3))
    result = library.refresh_mail(trusted.url())  # the session remembered the password
    assert (result.imported, result.unchanged) == (1, 0)  # 1 and 2 were not fetched again
    again = library.refresh_mail(trusted.url())
    assert (again.status, again.reason) == ("unchanged", "nothing new")
    assert len(library.list_issues()) == 3


def test_a_message_added_while_syncing_comes_in_once(
    trusted: Dovecot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "BATCH_MESSAGES", 2)
    trusted.add_many([newsletter(n) for n in range(1, 6)])
    added = []

    def deliver_during_the_sync(step: object) -> None:
        if not added:
            trusted.add(newsletter(99))
            added.append(True)

    library.subscribe_mail(trusted.url(), PASSWORD, progress=deliver_during_the_sync)
    library.refresh_mail(trusted.url())
    library.refresh_mail(trusted.url())
    titles = _titles(library)
    assert len(titles) == 6 and len(set(titles)) == 6
    assert "Orchard Notes #99: Season 99" in titles


def test_a_new_uidvalidity_reads_again_without_duplicates(trusted: Dovecot, library: Library) -> None:
    trusted.add_many([newsletter(n) for n in (1, 2, 3)])
    library.subscribe_mail(trusted.url(), PASSWORD)
    library.set_read(library.list_issues()[0].id)
    trusted.change_uidvalidity()
    result = library.refresh_mail(trusted.url())
    assert (result.imported, result.unchanged) == (0, 3)  # Message-ID identity: the same issues
    assert len(library.list_issues()) == 3
    assert sum(s.read for s in library.list_issues()) == 1


def test_a_wrong_password_is_refused_in_words_and_nothing_is_subscribed(trusted: Dovecot, library: Library) -> None:
    trusted.add(newsletter(1))
    with pytest.raises(WrongPasswordError, match="refused the user name or password"):
        library.subscribe_mail(trusted.url(), "not the password")
    assert library.subscriptions() == [] and library.is_empty()
    with pytest.raises(PasswordNeededError):  # the refused password was not kept
        library.subscribe_mail(trusted.url())


def test_an_untrusted_certificate_is_refused_before_the_password_is_sent(dovecot: Dovecot, library: Library) -> None:
    dovecot.add(newsletter(1))
    with pytest.raises(MailError, match=r"certificate is not trusted.*refuses to send your password"):
        library.subscribe_mail(dovecot.url(), PASSWORD)
    assert library.subscriptions() == []
    log = (dovecot.root / "dovecot.log").read_text()
    assert "user=<reader>" not in log  # no login was ever attempted


def test_starttls_on_the_plain_port(trusted: Dovecot, library: Library) -> None:
    trusted.add(newsletter(1))
    assert library.subscribe_mail(trusted.url("imap"), PASSWORD).imported == 1
    assert "TLS" in (trusted.root / "dovecot.log").read_text()


def test_the_server_gone_mid_sync_leaves_only_whole_batches(
    trusted: Dovecot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "BATCH_MESSAGES", 2)
    trusted.add_many([newsletter(n) for n in range(1, 7)])

    def stop_after_the_first_batch(step: object) -> None:
        trusted.crash()

    with pytest.raises(MailError, match=r"connection to the mail server was lost|cannot connect"):
        library.subscribe_mail(trusted.url(), PASSWORD, progress=stop_after_the_first_batch)
    # The first batch was stored with its last UID, in one transaction; nothing of the second.
    assert len(library.list_issues()) == 2
    [folder] = library.subscriptions()
    assert "lost" in folder.last_error
    trusted.start()
    result = library.refresh_mail(trusted.url())
    assert (result.imported, result.unchanged) == (4, 0)
    assert len(set(_titles(library))) == 6


def test_no_password_known_says_why_it_will_be_asked_again(trusted: Dovecot, library: Library) -> None:
    assert not library.mail_password_kept()  # this machine's keyring backend: the fail backend
    with pytest.raises(PasswordNeededError, match="no system keyring is available") as caught:
        library.subscribe_mail(trusted.url())
    assert caught.value.account == f"{USER}@127.0.0.1"


def test_the_password_never_reaches_the_library_files(trusted: Dovecot, library: Library, data_dir: Path) -> None:
    trusted.add(newsletter(1))
    library.subscribe_mail(trusted.url(), PASSWORD)
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("imaps://mail.example.org/News", "names no user"),
        ("imaps://me:secret@mail.example.org/News", "Do not put the password in the address"),
        ("imaps://me@/News", "names no mail server"),
        ("pop3://me@mail.example.org/", "not a mail folder address"),
        ("imaps://me@mail.example.org:port/News", "not a valid mail folder address"),
    ],
)
def test_bad_addresses_are_refused_in_words(url: str, message: str) -> None:
    with pytest.raises(MailError, match=message):
        imap.parse_mail_url(url)


@pytest.mark.timeout(180)
def test_five_thousand_messages_are_read_in_bounded_memory(trusted: Dovecot) -> None:
    # 5,000 letters of ~20 KB: ~100 MB of mail. Read batch by batch (at most 200 messages or 16 MB),
    # the peak stays a fraction of the folder. (Storing and indexing 5,000 issues takes ~75 s on
    # the loaded CI machine, so the whole import path is covered by the smaller tests above.)
    body = "A longer letter about orchards, pruning and the season's apples.\r\n" * 300
    trusted.add_many(newsletter(n, body=f"{body}{n}") for n in range(5000))
    address = imap.parse_mail_url(trusted.url())
    count, last = 0, 0
    tracemalloc.start()
    try:
        for batch in imap.read_folder(address, PASSWORD, None):
            count += len(batch.messages)
            last = batch.state.last_uid
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (count, last) == (5000, 5000)
    assert peak < 25 * 2**20, f"peak {peak / 2**20:.1f} MB for ~100 MB of mail"
