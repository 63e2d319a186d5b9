"""Encodings: BOMs, UTF-8, UTF-16, Latin-1 and cp1252 decoded without mojibake."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core._ingest import parse_file
from reader.core._ingest.decode import decode_bytes

ACCENTED = "café — naïve"
ACCENTED_LATIN1 = "café naïve, déjà vu à Noël"  # Latin-1 has no em dash


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (ACCENTED, "utf-8"),
        (ACCENTED, "utf-8-sig"),
        (ACCENTED, "utf-16"),  # with BOM
        (ACCENTED, "utf-16-be"),
        (ACCENTED, "cp1252"),
        (ACCENTED_LATIN1, "latin-1"),
        ("“Quoted” text – with dashes… and ‘more’", "cp1252"),
    ],
)
def test_decode_bytes_round_trips(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode_bytes(data) == text


def test_a_declared_charset_is_tried_before_guessing() -> None:
    assert decode_bytes("Привет, мир".encode("koi8-r"), declared="koi8-r") == "Привет, мир"


def test_an_unknown_declared_charset_is_ignored() -> None:
    assert decode_bytes("café".encode("cp1252"), declared="x-no-such") == "café"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_files_in_each_encoding_import_without_mojibake(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "issue.md"
    path.write_bytes(f"# {ACCENTED}\n\nLe {ACCENTED} encore.\n".encode(encoding))
    [issue] = parse_file(path)
    assert issue.title == ACCENTED
    assert issue.markdown == f"# {ACCENTED}\n\nLe {ACCENTED} encore.\n"
    assert "\ufeff" not in issue.original


def test_latin1_plain_text_file(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(f"{ACCENTED_LATIN1}\n\nUn paragraphe très court.\n".encode("latin-1"))
    [issue] = parse_file(path)
    assert ACCENTED_LATIN1 in issue.original
    assert "très" in issue.original
