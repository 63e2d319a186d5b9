"""RSS and Atom files: entries as issues, and hostile or broken XML refused with an IngestError."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from reader.core._ingest import parse_file
from reader.core.errors import IngestError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def test_rss_entries_become_issues_of_the_feed() -> None:
    first, second = parse_file(FIXTURES / "rss.xml")
    assert {first.publication, second.publication} == {"Orchard Notes"}
    assert (first.title, first.number, first.date, first.author) == (
        "Orchard Notes 21: Pruning season",
        21,
        "2023-01-11",
        "Ines Marlow",
    )
    assert first.markdown == (
        "## Pruning\n\nCut above an *outward* bud. [Shears I like](https://orchard.example/shears).\n"
    )
    assert "<h2>Pruning</h2>" in first.original
    assert second.markdown == "Frost came early; the quinces did not mind.\n"  # escaped HTML in <description>


def test_atom_entries_with_html_content_and_text_summary() -> None:
    static, hum = parse_file(FIXTURES / "atom.xml")
    assert static.publication == "Signal & Noise"
    assert (static.title, static.number, static.date, static.author) == (
        "Issue #5: Static",
        5,
        "2023-03-01",
        "Theo Grant",
    )
    assert static.markdown == "Radio static is partly the **cosmic** background.\n"
    assert hum.date == "2023-02-22"  # only <updated>
    assert hum.markdown == "Mains hum is 50 or 60 Hz. Use &lt;shielded&gt; cables.\n"  # text stays text


def test_billion_laughs_is_refused_quickly_with_little_memory() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match=r"^billion_laughs\.xml: .*entities"):
            parse_file(FIXTURES / "billion_laughs.xml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_external_entities_are_refused() -> None:
    with pytest.raises(IngestError, match=r"^external_entity\.xml: .*entities") as caught:
        parse_file(FIXTURES / "external_entity.xml")
    assert "root:" not in str(caught.value)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_truncated_feed_is_an_ingest_error_with_a_position(tmp_path: Path) -> None:
    data = (FIXTURES / "rss.xml").read_bytes()
    path = _write(tmp_path, "cut.xml", data[: len(data) // 2])
    with pytest.raises(IngestError, match=r"^cut\.xml: the feed is not well-formed XML \(line \d+, column \d+\)$"):
        parse_file(path)


def test_feed_without_entries_is_an_ingest_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "empty.rss",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>',
    )
    with pytest.raises(IngestError, match=r"^empty\.rss: the feed has no entries$"):
        parse_file(path)


def test_entry_without_text_falls_back_to_its_link(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "links.xml",
        b'<rss version="2.0"><channel><title>Links</title><item><title>Only a link</title>'
        b"<link>https://links.example/1</link></item>"
        b"<item><title>Nothing at all</title></item></channel></rss>",
    )
    [issue] = parse_file(path)
    assert issue.markdown == "[Only a link](https://links.example/1)\n"


def test_html_entities_in_rss_are_read_leniently(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "entities.xml",
        b'<rss version="2.0"><channel><title>Caf&eacute; Post</title><item><title>Hello&nbsp;there</title>'
        b"<description>Tea &amp; cake</description></item></channel></rss>",
    )
    [issue] = parse_file(path)
    assert issue.publication == "Café Post"
    assert issue.title == "Hello there"
    assert "Tea & cake" in issue.markdown


def test_utf16_feed_is_detected_and_read(tmp_path: Path) -> None:
    text = (FIXTURES / "atom.xml").read_text(encoding="utf-8").replace('encoding="utf-8"', 'encoding="utf-16"')
    path = _write(tmp_path, "atom16.xml", text.encode("utf-16"))
    assert [i.title for i in parse_file(path)] == ["Issue #5: Static", "Issue #4: Hum"]


def test_unknown_xml_encoding_is_an_ingest_error(tmp_path: Path) -> None:
    data = (FIXTURES / "atom.xml").read_bytes().replace(b'encoding="utf-8"', b'encoding="tf-8"')
    with pytest.raises(IngestError, match=r"^atom\.xml: the feed declares an encoding that does not exist$"):
        parse_file(_write(tmp_path, "atom.xml", data))
