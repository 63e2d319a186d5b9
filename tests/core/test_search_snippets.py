"""find_matches in one regex pass: the same matches as reading the distinct words first, then their places."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core._search.snippets import QueryTerms, _Match, find_matches
from reader.core._search.words import RAW_WORD

_PIECES = ["Robots", "robot", "robotics", "wi-fi", "Wi-Fi", "e-mail", "node.js", ".NET", "C++", "C#", "3.5",
           "gpt-3.5-turbo", "models", "modelling", "language", "the", "a", "U.S.", "x", "-", ".", "+", "#", "é"]


def _two_passes(terms: QueryTerms, text: str) -> list[_Match]:
    """What find_matches did before: the matching distinct words, then every place of them."""
    words = terms.matching_words(text)
    return [_Match(m.start(), m.end(), words[m.group()]) for m in RAW_WORD.finditer(text) if m.group() in words]


_TERMS = [QueryTerms(["robot", "model"]), QueryTerms(["wifi", "fi"]), QueryTerms(["email", "net", "c++"]),
          QueryTerms([], ["rob", "lang"]), QueryTerms(["3.5"], [], [re.compile("mod.l.*")]), QueryTerms()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.lists(st.sampled_from([" ", "", "\n", ", ", "-", "."]),
                                                                    min_size=30, max_size=30))
def test_one_pass_finds_what_two_passes_find(pieces: list[str], separators: list[str]) -> None:
    text = "".join(piece + sep for piece, sep in zip(pieces, separators, strict=False))
    for terms in _TERMS:
        assert find_matches(terms, text) == _two_passes(terms, text)


def test_matches_carry_the_query_term() -> None:
    text = "Robots and wi-fi robots; node.js"
    found = find_matches(QueryTerms(["robot", "wifi"]), text)
    assert [(text[m.start:m.end], m.term) for m in found] == [("Robots", "robot"), ("wi-fi", "wifi"),
                                                             ("robots", "robot")]


@settings(max_examples=200, deadline=None)
@given(st.sets(st.sampled_from(["robot", "model", "languag", "a", "ab", "c++", "3.5", "wifi", "fi"]), max_size=6),
       st.sets(st.sampled_from(["robot", "robots", "model", "languag", "ab", "b", "c++", "3.5", "wifi", "fi", "x"])))
def test_stems_among_is_the_split_intersection(query: set[str], section: set[str]) -> None:
    """Substring tests on the padded stems line find what splitting it finds (and no part of a stem)."""
    line = " ".join(sorted(section))
    assert QueryTerms(query).stems_among(line) == set(query).intersection(line.split())
