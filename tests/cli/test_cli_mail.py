"""``backissue subscribe imaps://…`` against a real Dovecot, and the images kept offline, from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import main
from reader.core import _mail_password as mail_password
from tests.imap_server import PASSWORD, Dovecot, newsletter


@pytest.fixture(autouse=True)
def _no_session_passwords() -> None:
    mail_password._session.clear()


def test_subscribe_asks_for_the_password_and_says_why_it_is_not_kept(
    dovecot: Dovecot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cert))
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PASSWORD)
    dovecot.add_many([newsletter(1), newsletter(2)])
    assert main(["--data-dir", str(data_dir), "subscribe", dovecot.url()]) == 0
    err = capsys.readouterr().err
    assert asked == ["Password for reader@127.0.0.1: "]
    assert "no system keyring is available" in err
    assert "2 new issues" in err
    assert main(["--data-dir", str(data_dir), "subscriptions"]) == 0
    assert dovecot.url() in capsys.readouterr().out


def test_an_untrusted_certificate_is_a_message_not_a_traceback(
    dovecot: Dovecot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)
    assert main(["--data-dir", str(data_dir), "subscribe", dovecot.url()]) != 0
    err = capsys.readouterr().err
    assert "certificate is not trusted" in err and "Traceback" not in err


def test_stats_and_remove_images(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "remove-images"]) == 0
    assert "Removed 0 stored images (0 bytes)" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "stats"]) == 0
    assert "stored images: 0" in capsys.readouterr().out
