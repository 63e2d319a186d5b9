"""The fast paths (words and phrases, prefix unions, early stop): the same hits as Whoosh's plain search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from whoosh import query

from reader.core._search import IssueDoc, SearchIndex
from reader.core._search.conjunction import ConjunctionRanker, conjunction_of
from reader.core._search.query import parse_query
from reader.core._search.union import TermUnion
from reader.core.types import Highlight, Issue

_WORDS = ("robots", "language", "model", "safety", "open", "source", "code", "learning", "data", "chess")


def _issue(n: int) -> IssueDoc:
    """A small issue whose words vary with ``n`` (so scores, lengths and phrases differ)."""
    words = [_WORDS[(n * 7 + i * (n % 5 + 1)) % len(_WORDS)] for i in range(8 + n % 13)]
    body = " ".join(words) + (" language model" if n % 3 == 0 else "") + (" open source" if n % 4 == 0 else "")
    date = f"2023-{n % 12 + 1:02d}-01" if n % 3 else f"2022-{n % 12 + 1:02d}-15"
    return IssueDoc(Issue(id=f"i{n}", publication="Weekly", title=f"Issue {n} {words[0]}", date=date, read=n % 4 == 1),
                    [("", body), (f"Part {words[1]}", " ".join(reversed(words)))])


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """Three segments, some issues replaced (deleted documents in older segments)."""
    index = SearchIndex(tmp_path_factory.mktemp("conj") / "ix")
    index.open()
    for start in (0, 40, 80):
        index.update([_issue(n) for n in range(start, start + 40)])
    index.update([_issue(n) for n in range(200, 240)])
    index.update([IssueDoc(Issue(id=f"i{n}", publication="Weekly", title="Replaced"), [("", "chess only")])
                  for n in range(5, 120, 11)])
    yield index
    index.close()


QUERIES = ["robots", "language model", '"language model"', '"open source" code', "robots NOT chess",
           '"language model" NOT safety', "chess", '"model language"', '"source open source"', "zebra",
           "learning data safety", "lang* model", "c?de* robots", "title:issue robots", "section:part chess",
           "publication:weekly robots", '"language model" rob*', "robots OR chess",
           "(chess OR data) AND language", "(chess OR chess OR zebra) model NOT safety",
           "is:unread robots", "date:2023 robots", "title:robots", "date:2022", "publication:weekly",
           "date:2023-02 \"language model\"", "(chess OR zebra) date:2022"]


def _canonical(ranked: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """Scores to 9 decimals, ties by document number: Whoosh adds a query's parts in another order,
    so exactly tied documents may differ in the last bit and swap places."""
    return sorted(((round(score, 9), doc) for score, doc in ranked), key=lambda item: (-item[0], item[1]))


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("limit", [1, 5, 500])
def test_same_hits_scores_and_order_as_whoosh(index: SearchIndex, text: str, limit: int) -> None:
    _assert_as_whoosh(index, text, limit)


def _assert_as_whoosh(index: SearchIndex, text: str, limit: int) -> None:
    searcher = index._searcher
    q = parse_query(index._parser, text)
    conj = conjunction_of(q)
    assert conj is not None
    fast = ConjunctionRanker().rank(searcher, conj, limit)
    assert fast is not None
    slow = [(hit.score, hit.docnum) for hit in searcher.search(q, limit=limit)]
    assert [score for score, _ in fast] == pytest.approx([score for score, _ in slow], rel=1e-12)
    fast, slow = _canonical(fast), _canonical(slow)
    cut = slow[-1][0] if len(slow) == limit else -1.0  # documents tied at the cut may differ
    assert [hit for hit in fast if hit[0] > cut] == [hit for hit in slow if hit[0] > cut]


def test_replaced_issues_are_not_found_in_their_old_segment(index: SearchIndex) -> None:
    assert {hit.id for hit in index.search("chess only")} >= {"i5", "i16"}
    assert all(hit.title == "Replaced" for hit in index.search("title:replaced"))
    assert "i5" not in {hit.id for hit in index.search('"language model"', limit=500)}


@pytest.mark.parametrize("text", ["robo*", "robots OR (chess language)", "robots^2 chess", "NOT robots chess^3",
                                  "title:\"weekly issue\" robots"])
def test_other_shapes_are_left_to_whoosh(index: SearchIndex, text: str) -> None:
    assert conjunction_of(parse_query(index._parser, text)) is None


def test_conjunction_parts() -> None:
    q = query.And([query.Phrase("text", ["languag", "model"]), query.Term("text", "code"),
                   query.Not(query.Term("text", "safeti"))])
    conj = conjunction_of(q)
    assert conj is not None
    assert conj.words == (("text", "languag"), ("text", "model"), ("text", "code"))
    assert conj.phrases == (("languag", "model"),)
    assert conj.excluded == (query.Term("text", "safeti"),)


@pytest.mark.parametrize("text", ["rob*", "l*", "lang* model", "c?de", "rob* NOT chess", "title:iss*", "s* OR chess"])
@pytest.mark.parametrize("limit", [1, 7, 500])
def test_prefixes_give_whoosh_hits_without_reading_everything(index: SearchIndex, text: str, limit: int) -> None:
    q = parse_query(index._parser, text)
    plain = index._searcher.search(q, limit=limit, optimize=False)  # no skipping of any kind
    expected = [(round(hit.score, 9), hit["key"]) for hit in plain]
    ranked = [(round(score, 9), fields["key"]) for fields, score in index._ranked(q, limit, "score")]
    assert ranked == expected


def _plain_union(reader: Any, btexts: list[bytes]) -> list[int]:
    ids = {doc for b in btexts for doc in reader.postings("text", b).all_ids()}  # skips deleted ones
    return sorted(ids)


@pytest.mark.parametrize("prefix", ["", "l", "s", "rob", "zzz"])
def test_term_union_read_step_by_step_is_the_plain_union(index: SearchIndex, prefix: str) -> None:
    for sub, _ in index._searcher.leaf_searchers():
        reader = sub.reader()
        btexts = [b for b in reader.lexicon("text") if b.decode().startswith(prefix)]
        expected = _plain_union(reader, btexts)
        walked = TermUnion(reader, "text", btexts)
        count = 0
        while walked.extend_to(count):  # one id at a time, as a collector walks it
            count += 1
        assert walked.ids == expected
        jumped = TermUnion(reader, "text", btexts)
        if expected:
            jumped.extend_past(expected[len(expected) // 2])
            assert jumped.ids == expected[: len(jumped.ids)] and jumped.ids[-1] >= expected[len(expected) // 2]
        jumped.complete()
        assert jumped.ids == expected



@pytest.fixture(scope="module")
def phrase_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """Sixty issues with both words many times but never side by side (the best scores), and three
    short ones where they form the phrase once (scored far below)."""
    index = SearchIndex(tmp_path_factory.mktemp("phrase") / "ix")
    index.open()
    apart = [IssueDoc(Issue(id=f"a{n}", publication="Weekly", title="Apart"),
                      [("", " ".join(["language robots model chess"] * (3 + n % 5)) + " data" * n)])
             for n in range(60)]
    index.update(apart[:30])
    filler = "and other words to make it long "
    together = [IssueDoc(Issue(id=f"t{n}", publication="Weekly", title="Together"),
                         [("", "a language model dogs " + filler * (5 + n))]) for n in range(3)]
    index.update([*apart[30:], *together])
    yield index
    index.close()


@pytest.mark.parametrize("limit", [1, 2, 3, 10])
def test_phrases_below_many_better_candidates_are_found(phrase_index: SearchIndex, limit: int) -> None:
    searcher = phrase_index._searcher
    q = parse_query(phrase_index._parser, '"language model"')
    conj = conjunction_of(q)
    assert conj is not None
    fast = ConjunctionRanker().rank(searcher, conj, limit)
    slow = [(hit.score, hit.docnum) for hit in searcher.search(q, limit=limit)]
    assert len(slow) == min(limit, 3)
    assert fast is not None
    assert [doc for _, doc in fast] == [doc for _, doc in slow]
    assert [score for score, _ in fast] == pytest.approx([score for score, _ in slow], rel=1e-12)
    words = conjunction_of(parse_query(phrase_index._parser, "language model"))
    assert words is not None
    best_words = ConjunctionRanker().rank(searcher, words, 60)
    assert best_words is not None
    assert not {doc for _, doc in slow} & {doc for _, doc in best_words}  # far below the first band


@pytest.mark.parametrize("text", ["model wor*", "model o*", "model d*", "language d*", "chess mod* lan*",
                                  "robots t?gether", "model w?r*", "\"language model\" oth*"])
@pytest.mark.parametrize("limit", [1, 3, 100])
def test_prefixes_that_the_best_documents_lack(phrase_index: SearchIndex, text: str, limit: int) -> None:
    """The prefix is checked for the best documents only, term by term (``model d*``: "dogs" is in
    three documents, "data" in most): widened when they lack it."""
    _assert_as_whoosh(phrase_index, text, limit)


@pytest.mark.parametrize("filters", [[("kind", "issue")], [("issue_id", "i3")], [("key", "nothing")],
                                     [("is", "unread"), ("kind", "issue")]])
@pytest.mark.parametrize("limit", [1, 500])
def test_filter_terms_of_any_unranked_field_as_whoosh(index: SearchIndex, filters: list[tuple[str, str]],
                                                     limit: int) -> None:
    """Terms of unranked fields (ids, kinds, stored-only fields) add their weight, or match nothing, as in Whoosh."""
    searcher = index._searcher
    q = query.And([query.Term("text", "robot"), *(query.Term(f, t) for f, t in filters)])
    conj = conjunction_of(q)
    assert conj is not None
    fast = ConjunctionRanker().rank(searcher, conj, limit)
    slow = [(hit.score, hit.docnum) for hit in searcher.search(q, limit=limit)]
    assert fast is not None
    assert _canonical(fast) == _canonical(slow)


@pytest.mark.parametrize("fieldname", ["highlight_id", "texts", "nosuchfield"])
def test_terms_of_fields_not_indexed_are_left_to_whoosh(index: SearchIndex, fieldname: str) -> None:
    conj = conjunction_of(query.And([query.Term("text", "robot"), query.Term(fieldname, "x")]))
    assert conj is not None
    assert ConjunctionRanker().rank(index._searcher, conj, 10) is None


_AT_BLOCK_EDGES = {0, 1, 126, 127, 128, 129, 255, 256, 300, 383, 384, 399}
"""Issues holding the rare word: on both sides of the common words' block boundaries (128 postings)."""


@pytest.fixture(scope="module")
def big_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """One segment of 400 issues (every common word in several blocks), a rare word at block edges."""
    index = SearchIndex(tmp_path_factory.mktemp("big") / "ix")
    index.open()
    docs = [IssueDoc(Issue(id=f"b{n}", publication="Weekly", title=f"Big {n}", date=f"2023-01-{n % 28 + 1:02d}"),
                     [("", "model " * (1 + n % 7) + "robots " * (n % 3) + "language " * (n % 5)
                       + ("zebra " if n in _AT_BLOCK_EDGES else "") + ("yak " if n % 50 == 3 else "")
                       + ("gnu " if n in (127, 255) else "") + ("emu" if n in (128, 256) else ""))])
            for n in range(400)]
    index.update(docs)
    yield index
    index.close()


@pytest.mark.parametrize("text", ["zebra model", "model zebra robots", "zebra \"language model\"",
                                  "(zebra OR yak) model", "model zebra NOT robots", "title:big zebra",
                                  "zebra date:2023", "yak mod*", "zebra yak", "model robots language",
                                  "(zebra OR yak) (model OR robots)", "gnu model", "emu model", "gnu emu"])
@pytest.mark.parametrize("limit", [1, 5, 500])
def test_rare_and_common_words_read_only_the_blocks_needed(big_index: SearchIndex, text: str, limit: int) -> None:
    """The common words are decoded only in the blocks that may hold the rare word's documents
    (``gnu`` is only in the last document of two blocks of ``model``, ``emu`` only in the first)."""
    _assert_as_whoosh(big_index, text, limit)


@pytest.fixture(scope="module")
def kinds_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """300 issues (kind:issue in several blocks); ten of them have highlights that outscore every issue."""
    index = SearchIndex(tmp_path_factory.mktemp("kinds") / "ix")
    index.open()
    docs = []
    for n in range(300):
        quote = "zebra zebra model"
        highlights = [Highlight(id=f"h{n}", issue_id=f"k{n}", quote=quote, prefix="", suffix="", start=0,
                                end=len(quote), color="yellow")] if n % 30 == 7 else []
        body = "model " * (2 + n % 5) + ("zebra " if n % 10 == 7 else "") + "filler words " * (20 + n % 13)
        docs.append(IssueDoc(Issue(id=f"k{n}", publication="Weekly", title=f"Kinds {n}"), [("", body)], highlights))
    index.update(docs)
    yield index
    index.close()


@pytest.mark.parametrize("words", [["zebra"], ["zebra", "model"], ["model"]])
@pytest.mark.parametrize("limit", [1, 3, 50])
def test_a_common_filter_term_checked_late_as_whoosh(kinds_index: SearchIndex, words: list[str], limit: int) -> None:
    """kind:issue is in most documents: it is checked for the best ones only (the highlights that
    score best are left out, and the next band read), and adds its weight 1.0 as in Whoosh."""
    searcher = kinds_index._searcher
    q = query.And([*(query.Term("text", w) for w in words), query.Term("kind", "issue")])
    conj = conjunction_of(q)
    assert conj is not None
    fast = ConjunctionRanker().rank(searcher, conj, limit)
    slow = [(hit.score, hit.docnum) for hit in searcher.search(q, limit=limit)]
    assert fast is not None
    assert slow
    assert _canonical(fast) == _canonical(slow)
    best_text = searcher.search(query.And([query.Term("text", w) for w in words]), limit=1)
    assert best_text[0]["kind"] == "highlight" or words == ["model"]  # the best without the filter is left out


def test_field_lengths_are_read_once_per_segment(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # A new issue changes every field's average length, so each segment's BM25 factors are made
    # again; the lengths they are made from are read only for the new segment (reading them all
    # again made the first search after an import take 2 s at 50,000 issues).
    from whoosh.reading import SegmentReader

    index = SearchIndex(tmp_path / "ix")
    index.open()
    index.update([_issue(n) for n in range(40)])
    index.update([_issue(n) for n in range(40, 80)])
    read: list[int] = []
    length = SegmentReader.doc_field_length
    monkeypatch.setattr(SegmentReader, "doc_field_length", lambda self, *a: read.append(1) or length(self, *a))
    ranker = ConjunctionRanker()
    conj = conjunction_of(parse_query(index._parser, "robots"))
    assert conj is not None
    before = ranker.rank(index._searcher, conj, 10)
    first = len(read)
    assert first >= 80  # every document's length of the scored fields, once
    index.update([_issue(n) for n in range(80, 85)])
    read.clear()
    after = ranker.rank(index._searcher, conj, 10)
    assert 0 < len(read) <= 5 * first // 80  # the new segment's five documents only
    assert before and after and after != before  # the averages changed: so did the scores
    index.close()
