"""Technical terms (C++, C#, .NET, Wi-Fi, e-mail, GPT-4...) are found as typed, on a real index in tmp_path."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import Library
from reader.core._search import IssueDoc, SearchIndex
from reader.core._search.words import RAW_WORD, index_terms, term_positions
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


# The word pattern as first written (dot-names first, the look-behind tried at every character):
# RAW_WORD was reordered for speed and must find exactly the same words.
_FIRST_RAW_WORD = re.compile(
    r"(?<![\w.])\.(?=[^\W\d_])\w+"
    r"|\w+(?:[.\-]\w+)*"
    r"(?:(?:\+\+|#)(?![\w+#]))?"
)
_PIECES = st.sampled_from([*"ab9_.-+# \n,é東", "NET", "js", "C", "3.5", "wi-fi"])


@given(st.lists(_PIECES, max_size=40).map("".join))
@settings(max_examples=500, deadline=None)
def test_raw_word_finds_what_the_first_pattern_found(text: str) -> None:
    assert RAW_WORD.findall(text) == _FIRST_RAW_WORD.findall(text)


def test_raw_word_on_technical_text() -> None:
    for text in (TECH_TEXT, "x++y ab#c .5 ..NET foo. .js a.b.c-d_e C#. F#,", "naïve café ΑΒΓ 東京 x_y _a ._b .9a"):
        assert RAW_WORD.findall(text) == _FIRST_RAW_WORD.findall(text)
    assert RAW_WORD.findall("on .NET and a.NET, C++ and C#.") == ["on", ".NET", "and", "a.NET", "C++", "and", "C#"]


_PHRASES = st.sampled_from(["the", "a", "of", "Wi-Fi", "e-mail", "x-ray", "state-of-the-art", "C++", ".NET",
                            "models", "model", "running", "GPT-4", "to-do", "I", "3.5", " ", ", ", "\n"])


@given(st.lists(_PHRASES, max_size=30).map(" ".join))
@settings(max_examples=300, deadline=None)
def test_term_positions_are_index_terms_grouped(text: str) -> None:
    # The indexing short way (one term per word from a cache) against the token-by-token way.
    expected: dict[str, list[int]] = {}
    for term, pos, _, _ in index_terms(text):
        expected.setdefault(term, []).append(pos)
    assert term_positions(text) == expected
    assert term_positions(text) == expected  # again, every word now cached
