"""Hostile mail is refused or imported in bounded time and memory, one file at a time (issue #13).

Shapes as reported: a 2 MB Subject (75 s, 1.3 GB in the stdlib's header parser), multipart
nested 2,000 deep (RecursionError), a 50-message mbox with one message without a body.
Messages follow RFC 5322 / RFC 2046 (multipart with boundaries) and mboxo "From " separators.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from reader.core import Library
from reader.core._ingest import parse_file
from reader.core._ingest.email_doc import MAX_HEADER_CHARS
from reader.core.errors import IngestError


def _message(subject: str, body: str = "Hello from the list.\n") -> str:
    return (
        f"From: Letters <letters@example.org>\nTo: you@example.org\nSubject: {subject}\n"
        f"Date: Mon, 01 May 2023 08:00:00 +0000\nContent-Type: text/plain; charset=utf-8\n\n{body}"
    )


@pytest.mark.timeout(60)
def test_a_two_megabyte_subject_is_cut_and_parsed_quickly(tmp_path: Path) -> None:
    path = tmp_path / "long.eml"
    path.write_text(_message("word " * 400_000), encoding="utf-8")
    tracemalloc.start()
    try:
        issue = parse_file(path)[0]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert issue.title.startswith("word word")
    assert MAX_HEADER_CHARS < 2_000_000
    assert peak < 200 * 1024 * 1024


@pytest.mark.timeout(120)
def test_multipart_nested_two_thousand_deep_fails_that_file_only(tmp_path: Path, library: Library) -> None:
    head = "From: a@example.org\nSubject: Deep\nMIME-Version: 1.0\n"
    parts = "".join(f"Content-Type: multipart/mixed; boundary=b{d}\n\n--b{d}\n" for d in range(2000))
    deep = tmp_path / "deep.eml"
    deep.write_text(head + parts + "Content-Type: text/plain\n\nhi\n", encoding="utf-8")
    fine = tmp_path / "fine.eml"
    fine.write_text(_message("Fine"), encoding="utf-8")
    with pytest.raises(IngestError, match=r"^deep\.eml: the message's MIME parts are nested too deep$"):
        parse_file(deep)
    report = library.import_paths([tmp_path])
    assert report.imported == 1
    assert [f.reason for f in report.failed] == ["deep.eml: the message's MIME parts are nested too deep"]


def test_a_fifty_message_mbox_with_one_empty_message_imports_the_other_49(tmp_path: Path, library: Library) -> None:
    messages = [_message(f"Letter {n}", "" if n == 17 else f"Body {n}.\n") for n in range(1, 51)]
    path = tmp_path / "letters.mbox"
    path.write_text("".join(f"From letters@example.org Mon May  1 08:00:00 2023\n{m}\n" for m in messages), "utf-8")
    report = library.import_paths([path])
    assert report.imported == 49
    assert not report.failed
    assert report.files[0].reason == "letters.mbox: 1 message skipped (message 17: the email has no body)"


def test_a_file_name_with_a_non_utf8_byte_imports_with_the_others(tmp_path: Path, library: Library) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    odd = Path(bytes(folder).decode() + "/" + b"caf\xe9.md".decode("utf-8", "surrogateescape"))
    odd.write_text("# Cafe\n\nText.\n", encoding="utf-8")
    (folder / "plain.md").write_text("# Plain\n\nText.\n", encoding="utf-8")
    report = library.import_paths([folder])
    assert report.imported == 2, report
    assert {i.title for i in library.list_issues()} == {"Cafe", "Plain"}


def test_a_markdown_file_over_the_issue_cap_is_refused_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core import _ingest

    monkeypatch.setattr(_ingest, "MAX_ISSUE_CHARS", 1_000_000)
    path = tmp_path / "huge.md"
    path.write_text("# Huge\n\n" + "word " * 300_000, encoding="utf-8")
    with pytest.raises(IngestError, match=r"^huge\.md: too long for one issue \(1 million characters; the limit is 1"):
        parse_file(path)


def test_raw_eight_bit_headers_of_old_list_mail_import(tmp_path: Path) -> None:
    # Shape of a 2002 Mailman 2 archive message (perceval's tests/data/mbox/mbox_unknown_encoding.mbox):
    # a From display name in raw UTF-8 bytes and, here, a Subject in raw Latin-1 bytes, neither
    # RFC 2047-encoded, and a text/plain part without a charset. The parser keeps such bytes as lone
    # surrogates, which SQLite refused with a traceback that ended the whole import.
    message = (
        b"From yuancong@example.com  Fri Aug 23 13:11:33 2002\n"
        b'From: "\xc3\x94\xc2\xac\xc2\xb4\xc3\x8f" <yuancong@example.com>\n'
        b"To: platform-swt-dev@eclipse.org\n"
        b"Date: Sat, 24 Aug 2002 01:24:49 +0800\n"
        b"Content-Type: text/plain\n"
        b"Message-ID: <20020823171132.541DB44147@example.com>\n"
        b"Subject: [platform-swt-dev] Caf\xe9 thread question\n"
        b"List-Id: Eclipse Platform SWT component developers list. <platform-swt-dev.eclipse.org>\n\n"
        b"Hi,\n   How can I refresh a control from another thread?\n"
    )
    path = tmp_path / "old-list.mbox"
    path.write_bytes(message + b"\n" + message.replace(b"541DB", b"541DC").replace(b"Caf\xe9", b"Tea"))
    with Library(tmp_path / "lib") as lib:
        report = lib.import_paths([path])
        assert (report.imported, report.failed) == (2, ())
        titles = sorted(issue.title for issue in lib.list_issues())
        assert titles == ["[platform-swt-dev] Café thread question", "[platform-swt-dev] Tea thread question"]
        issue = lib.get_issue(lib.list_issues()[0].id)
        assert issue.author is None or "\udcc3" not in issue.author
        assert lib.search("refresh")
