"""Email newsletters: .eml and .mbox, MIME parts, transfer encodings, charsets, broken messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core._ingest import parse_file
from reader.core.errors import IngestError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def test_multipart_email_prefers_the_html_part_and_ignores_the_attachment() -> None:
    [issue] = parse_file(FIXTURES / "multipart.eml")
    assert issue.publication == "Tidewatch"  # the List-Id name, not the sender
    assert issue.title == "Tidewatch #9: Low tides — and a café"  # RFC 2047 encoded subject
    assert (issue.number, issue.date, issue.author) == (9, "2023-01-10", "Nora Vance")
    assert issue.markdown == (
        "# Low tides\n\nThe lowest tide of the year is on Saturday. Meet at the café at 6am.\n\n"
        "[Tide table](https://tidewatch.example/tides)\n"
    )
    assert "JVBER" not in issue.markdown
    assert issue.original.startswith("<html><body><h1>Low tides</h1>")


def test_plain_latin1_quoted_printable_email_is_escaped_text() -> None:
    [issue] = parse_file(FIXTURES / "plain_latin1.eml")
    assert issue.publication == "Club Bulletin"  # the sender's display name without a List-Id
    assert (issue.title, issue.number, issue.date) == ("Bulletin no. 14", 14, "2023-04-01")
    assert "Le café ouvre à 8h. Résumé naïf de la semaine:" in issue.markdown
    assert "\\*pique-nique\\* samedi &lt;apportez des fruits&gt;" in issue.markdown
    assert "[https://club.example/agenda](https://club.example/agenda)" in issue.markdown


def test_mbox_gives_one_issue_per_message_in_order() -> None:
    issues = parse_file(FIXTURES / "digest.mbox")
    assert [i.title for i in issues] == ["Dispatch 1: Kites", "Dispatch 2: Bees", "Dispatch 3: Clouds"]
    assert [i.date for i in issues] == ["2023-05-01", "2023-05-02", "2023-05-03"]
    assert {i.publication for i in issues} == {"Dispatch"}
    assert issues[1].markdown.startswith("Bees dance to give directions.")


def test_email_detected_by_content_whatever_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "saved-message.txt"
    path.write_bytes((FIXTURES / "plain_latin1.eml").read_bytes())
    [issue] = parse_file(path)
    assert issue.title == "Bulletin no. 14"


def test_garbage_headers_do_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "odd.eml"
    path.write_text(
        "From: =?bogus-charset?q?=FF=FE?= <<<@@>\nTo: ,,,\nSubject: =?utf-8?b?!!!?=\n"
        "Date: yesterday-ish\nList-Id: <>\nContent-Type: text/plain; charset=no-such-charset\n\nHello.\n",
        encoding="utf-8",
    )
    [issue] = parse_file(path)
    assert issue.date is None
    assert issue.markdown == "Hello.\n"
    assert issue.title
    assert issue.publication


def _message_without_body() -> str:
    return "From: A <a@example.org>\nTo: b@example.org\nSubject: Empty\nDate: Mon, 01 May 2023 08:00:00 +0000\n\n"


def test_email_with_no_body_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "nobody.eml"
    path.write_text(_message_without_body(), encoding="utf-8")
    with pytest.raises(IngestError, match=r"^nobody\.eml: the email has no body$"):
        parse_file(path)


def test_email_with_only_an_attachment_has_no_body(tmp_path: Path) -> None:
    path = tmp_path / "attachment.eml"
    path.write_text(
        "From: A <a@example.org>\nSubject: File\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: application/pdf\n'
        "Content-Disposition: attachment; filename=x.pdf\nContent-Transfer-Encoding: base64\n\n"
        "JVBERi0=\n--b--\n",
        encoding="utf-8",
    )
    with pytest.raises(IngestError, match="no body"):
        parse_file(path)


def test_truncated_multipart_email_is_an_ingest_error(tmp_path: Path) -> None:
    data = (FIXTURES / "multipart.eml").read_bytes()
    path = tmp_path / "cut.eml"
    path.write_bytes(data[: data.index(b"--inner\nContent-Type: text/html")])
    with pytest.raises(IngestError, match=r"^cut\.eml: the message is cut off"):
        parse_file(path)


def test_mbox_skips_a_bad_message_by_its_number_and_keeps_the_others(tmp_path: Path) -> None:
    good = (FIXTURES / "digest.mbox").read_text(encoding="utf-8")
    path = tmp_path / "mixed.mbox"
    path.write_text(good + "From x@example.org Mon May  8 08:00:00 2023\n" + _message_without_body(), encoding="utf-8")
    notes: list[str] = []
    issues = parse_file(path, notes)
    assert len(issues) == 3
    assert notes == ["message 4 of 4 skipped: the email has no body"]


def test_mbox_of_only_bad_messages_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.mbox"
    path.write_text("From x@example.org Mon May  8 08:00:00 2023\n" + _message_without_body(), encoding="utf-8")
    reason = r"no readable message \(message 1 of 1 skipped: the email has no body\)$"
    with pytest.raises(IngestError, match=r"^bad\.mbox: " + reason):
        parse_file(path)
