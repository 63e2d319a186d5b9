"""Formats are recognised by content: a misnamed file still goes to the right parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core._ingest import parse_file
from reader.core._ingest.detect import binary_kind, detect_format

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("yaml_front_matter.md", "markdown"),
        ("toml_front_matter.md", "markdown"),
        ("header_lines.md", "markdown"),
        ("saved_page.html", "html"),
        ("email_body.html", "html"),
        ("multipart.eml", "email"),
        ("plain_latin1.eml", "email"),
        ("digest.mbox", "mbox"),
        ("rss.xml", "feed"),
        ("atom.xml", "feed"),
        ("billion_laughs.xml", "feed"),
        ("other_plain.txt", "text"),
    ],
)
def test_fixture_formats_are_detected_without_their_extension(fixture: str, expected: str) -> None:
    assert detect_format((FIXTURES / fixture).read_bytes(), suffix="") == expected


def test_the_sample_newsletters_are_plain_text() -> None:
    for seed in sorted(SEEDS.glob("*.txt")):
        assert detect_format(seed.read_bytes(), ".txt") == "text", seed.name


@pytest.mark.parametrize(
    ("fixture", "wrong_name", "title"),
    [
        ("rss.xml", "feed.md", "Orchard Notes 21: Pruning season"),
        ("saved_page.html", "page.txt", "Issue 12: Paper boats"),
        ("multipart.eml", "mail.html", "Tidewatch #9: Low tides — and a café"),
        ("yaml_front_matter.md", "notes.txt", "The Lantern Weekly #42: Tidepools and tiny robots"),
    ],
)
def test_misnamed_files_are_parsed_by_content(tmp_path: Path, fixture: str, wrong_name: str, title: str) -> None:
    path = tmp_path / wrong_name
    path.write_bytes((FIXTURES / fixture).read_bytes())
    assert parse_file(path)[0].title == title


def test_prose_starting_with_from_is_not_a_mailbox() -> None:
    assert detect_format(b"From the editor: a slow week.\nNothing else happened.\n", ".txt") == "text"


def test_a_markdown_extension_settles_plain_prose() -> None:
    assert detect_format(b"Just prose, no marks.\n", ".md") == "markdown"
    assert detect_format(b"Just prose, no marks.\n", ".txt") == "text"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
        (b"PK\x03\x04rest", "a ZIP archive (or an Office document)"),
        (b"text\x00with a null", "a binary file"),
        (bytes(range(1, 32)) * 10, "a binary file"),
        ("plain text é".encode("utf-16"), None),
        (b"plain text\n\twith tabs\r\n", None),
        (b"a" * 95 + b"\x01" * 5, None),  # 5 % control bytes: still text
        (b"a" * 93 + b"\x02\x1f\x7f\x0b\x01\x01\x01", "a binary file"),  # 6 % (\x7f is not counted)
        (b"a" * 50 + b"\t\n\x0c\r\x1b" * 10, None),  # tabs, newlines, form feeds, escapes are text
    ],
)
def test_binary_kind(data: bytes, kind: str | None) -> None:
    assert binary_kind(data) == kind
