"""Technical terms (C++, C#, .NET, Wi-Fi, e-mail, GPT-4...) are found as typed, on a real index in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core import Library
from reader.core._search import IssueDoc, SearchIndex
from reader.core.types import Issue, TextSpan

TECH_TEXT = ("We rewrote it in C++ and C#, then F# on .NET with Node.js. GPT-4 and gpt-3.5-turbo on Wi-Fi. "
             "Send an e-mail to the U.S. office. It is state-of-the-art.")
TECH = IssueDoc(Issue(id="tech", publication="P", title="Tech notes"), [("", TECH_TEXT)])
# The spellings people also write: joined, spaced, another case.
SPELLINGS = IssueDoc(Issue(id="spellings", publication="P", title="Spellings"),
                     [("", "Our wifi and email work; so does GPT4 in the state of the art lab.")])
# Words that must not be confused with the terms above.
PLAIN = IssueDoc(Issue(id="plain", publication="P", title="Plain words"),
                 [("", "A net, a node, a c and an e, the mail, the gpt model, a turbo car, the us.")])


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex(tmp_path_factory.mktemp("words") / "index")
    idx.open()
    idx.rebuild([TECH, SPELLINGS, PLAIN])
    yield idx
    idx.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("C++", {"tech"}),
        ("c++", {"tech"}),
        ("C#", {"tech"}),
        ("F#", {"tech"}),
        (".NET", {"tech"}),
        ("Node.js", {"tech"}),
        ("GPT-4", {"tech", "spellings"}),
        ("gpt4", {"tech", "spellings"}),
        ("Wi-Fi", {"tech", "spellings"}),
        ("wifi", {"tech", "spellings"}),
        ('"wi fi"', {"tech"}),
        ("e-mail", {"tech", "spellings"}),
        ("email", {"tech", "spellings"}),
        ("U.S.", {"tech"}),
        ("3.5-turbo", {"tech"}),
        ("gpt-3.5-turbo", {"tech"}),
        ("state-of-the-art", {"tech", "spellings"}),
        ('"C++ and C#"', {"tech"}),
    ],
)
def test_technical_terms_are_found_as_typed(index: SearchIndex, query: str, expected: set[str]) -> None:
    assert {hit.id for hit in index.search(query)} == expected


@pytest.mark.parametrize(("query", "marked"), [
    ("C++", ["C++"]), ("C#", ["C#"]), ("F#", ["F#"]), (".NET", [".NET"]), ("wifi", ["Wi-Fi"]),
    ("email", ["e-mail"]), ("GPT-4", ["GPT-4"]), ("U.S.", ["U.S"]), ("3.5-turbo", ["gpt-3.5-turbo"]),
])
def test_match_spans_mark_the_whole_term(index: SearchIndex, query: str, marked: list[str]) -> None:
    assert [TECH_TEXT[s.start:s.end] for s in index.match_spans(query, TECH_TEXT)] == marked


def test_snippet_marks_the_term(index: SearchIndex) -> None:
    (hit,) = index.search("C#")
    assert "<b>C#</b>" in hit.snippet


def test_library_find_matches_agrees_with_search(data_dir: Path, tmp_path: Path) -> None:
    # Markdown with YAML front matter, as in tests/fixtures/formats/yaml_front_matter.md.
    source = tmp_path / "tech.md"
    source.write_text("---\ntitle: Tech notes\nnewsletter: Dev Weekly\ndate: 2024-03-01\n---\n\n"
                      "We ship C++ and C# code over Wi-Fi.\n", encoding="utf-8")
    with Library(data_dir) as lib:
        lib.import_paths([source])
        (hit,) = lib.search("C++")
        text = lib.plain_text(hit.id)
        spans = lib.find_matches(hit.id, "C++ wifi")
        assert [text[s.start:s.end] for s in spans] == ["C++", "Wi-Fi"]
        assert all(isinstance(s, TextSpan) for s in spans)
