""""Did you mean …" and the total number of hits, on a real Whoosh index in tmp_path and on the samples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core import Library, QueryError
from reader.core._search import SearchIndex
from tests.core.test_search import CORPUS


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex(tmp_path_factory.mktemp("suggest") / "index")
    idx.open()
    idx.rebuild(CORPUS)
    yield idx
    idx.close()


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("robts", "robots"),  # shown as the text spells it, not as the stem "robot"
        ("factries", "factories"),
        ("langauge modles", "language models"),
        ('"langauge models"', '"language models"'),
        ("title:robts", "title:robots"),
        ("cats AND dgs", "cats AND dogs"),
        ("welcme NOT robts", "welcome NOT robts"),  # words left out are not corrected
    ],
)
def test_misspellings_get_a_suggestion_from_the_index(index: SearchIndex, query: str, suggestion: str) -> None:
    assert index.suggest(query) == suggestion
    assert index.search(suggestion)


@pytest.mark.parametrize("query", ["robots", "cats dogs", "xqzvv", "robo*", "date:2023", "the"])
def test_known_or_hopeless_words_get_no_suggestion(index: SearchIndex, query: str) -> None:
    assert index.suggest(query) is None


@pytest.mark.parametrize("query", ["robots", "robo*", "robot arm", '"robot arm"', "cats OR robots", "is:starred",
                                   "xqzvv", "the"])
def test_count_is_the_number_of_hits_without_a_limit(index: SearchIndex, query: str) -> None:
    assert index.count(query) == len(index.search(query, limit=1000))


def test_count_and_suggest_refuse_what_search_refuses(index: SearchIndex) -> None:
    for call in (index.count, index.suggest):
        with pytest.raises(QueryError, match="no field"):
            call("foo:bar")


def test_library_count_and_suggestion_on_the_samples(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        assert lib.count("model") == len(lib.search("model", limit=1000)) > 10
        assert lib.search("model", limit=5) and len(lib.search("model", limit=5)) == 5
        assert lib.suggest_query("modle") == "model"
        assert lib.suggest_query("model") is None


def test_match_spans_finds_the_query_in_any_text_such_as_a_title(library: Library) -> None:
    # The window marks matches in the title heading, which is not part of the plain text.
    title = "Import AI 313: Smarter robots via foundation models; a robot learns"
    spans = library.match_spans("robots", title)
    assert [title[s.start : s.end] for s in spans] == ["robots", "robot"]  # stemmed, as search matches
    assert library.match_spans("robots", "") == []
    with pytest.raises(QueryError):
        library.match_spans("NOT robots", title)
