"""The posting-block reader: every term's blocks as Whoosh's own matcher reads them."""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from reader.core._search import IssueDoc, SearchIndex, expansion, postings
from reader.core._search.postings import RawBlock, blocks_of, deleted_set, raw_blocks, term_blocks
from reader.core.types import Issue

_WORDS = ("robots", "language", "model", "safety", "open", "source", "code", "chess")


def _issue(n: int) -> IssueDoc:
    words = [_WORDS[(n * 5 + i * (n % 3 + 1)) % len(_WORDS)] for i in range(3 + n % 9)]
    body = " ".join(words) + (" model" * (n % 4))  # weights vary within a block, and some are all 1.0
    return IssueDoc(Issue(id=f"i{n}", publication="Weekly", title=f"Issue {n}", date=f"2020-01-{n % 28 + 1:02d}"),
                    [("", body)])


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """A segment of 300 issues (several blocks a term), another of 20, and replaced issues (deletions)."""
    index = SearchIndex(tmp_path_factory.mktemp("postings") / "ix")
    index.open()
    index.update([_issue(n) for n in range(300)])
    index.update([_issue(n) for n in range(300, 320)])
    index.update([IssueDoc(Issue(id=f"i{n}", publication="Weekly", title="Replaced"), [("", "chess")])
                  for n in range(0, 300, 7)])
    yield index
    index.close()


def _readers(index: SearchIndex) -> list[Any]:
    return [sub.reader() for sub, _ in index._searcher.leaf_searchers()]


def _whoosh_blocks(reader: Any, fieldname: str, btext: bytes) -> list[tuple[list[int], list[float], list[Any]]]:
    """Blocks as Whoosh's own block matcher decodes them (deleted documents included)."""
    matcher = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    found = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        matcher._read_values()
        found.append((list(matcher._ids), list(matcher._weights), list(matcher._values)))
        matcher._next_block()
    return found


@pytest.mark.parametrize("fieldname", ["text", "title", "date", "issue_id", "kind", "publication"])
def test_every_term_reads_as_whoosh_reads_it(index: SearchIndex, fieldname: str) -> None:
    several = 0
    for reader in _readers(index):
        if fieldname not in reader.schema:
            continue
        for btext in reader.lexicon(fieldname):
            expected = _whoosh_blocks(reader, fieldname, btext)
            raw = raw_blocks(reader, fieldname, btext)
            assert raw is not None
            # ids and weights first (the partial read), then values (the whole block)
            assert [(b.ids(), list(b.weights())) for b in raw] == [(i, w) for i, w, _ in expected]
            assert [(b.ids(), list(b.weights()), list(b.values())) for b in raw] == expected
            assert [list(b.values()) for b in raw_blocks(reader, fieldname, btext) or []] == [v for _, _, v in expected]
            assert [(b.count, b.max_id, b.max_weight) for b in raw] == [(len(i), i[-1], max(w)) for i, w, _ in expected]
            several += len(raw) > 1
    if fieldname in ("text", "kind"):
        assert several  # the fixture does have terms of several blocks


def test_missing_terms_and_fields_have_no_blocks(index: SearchIndex) -> None:
    reader = _readers(index)[0]
    assert raw_blocks(reader, "text", b"zzzz") == []
    assert list(term_blocks(reader, "text", b"zzzz")) == []
    assert blocks_of(reader, "text", b"zzzz") == []


def test_other_readers_are_read_through_the_matcher(index: SearchIndex) -> None:
    """A reader that is not whoosh3's (here: its term reader hidden) gives the same blocks, the public way."""
    reader = _readers(index)[0]

    class Other:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def __getattr__(self, name: str) -> Any:
            if name == "_terms":
                raise AttributeError(name)
            return getattr(self._inner, name)

        def __contains__(self, term: Any) -> bool:
            return term in self._inner

    other = Other(reader)
    assert raw_blocks(other, "text", b"model") is None
    assert [(list(i), list(w), list(v)) for i, w, v in term_blocks(other, "text", b"model", with_values=True)] == \
        _whoosh_blocks(reader, "text", b"model")


def _block(ids: tuple[int, ...], weights: Any, values: Any, fixed: int | None = None) -> RawBlock:
    data = zlib.compress(pickle.dumps((ids, weights, values), 2), 3)
    info = (len(ids), sum(ids), 1.0, 3, 0, 0)
    return RawBlock(info, data, fixed)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 200])
def test_blocks_of_every_shape_decode_alike(count: int) -> None:
    deltas = tuple([5] + [1, 300, 70000][: count - 1] + [2] * max(0, count - 4))
    values = tuple(pickle.dumps([i], 2) for i in range(count))
    for weights in (None, 2.0, tuple(float(i % 5 + 1) for i in range(count))):
        block = _block(deltas, weights, values)
        ids = block.ids()
        assert block._values is None  # read without unpickling the values
        assert len(ids) == count and ids[0] == 5 and ids == sorted(ids)
        expected = (1.0,) * count if weights is None else (weights,) * count if isinstance(weights, float) else weights
        assert tuple(block.weights()) == expected
        assert tuple(block.values()) == values
        assert list(block.values()[1:3]) == list(values[1:3])


def test_values_pickled_another_way_are_kept() -> None:
    """An empty value is pickled as a call of ``bytes``, not ``_codecs.encode``: the pattern the fast
    reads look for then comes later, and the block is still read right."""
    values = (b"", b"\xff\x00abc", b"", b"\xe9t\xe9", b"\xe9t\xe9")
    block = _block((1, 1, 1, 1, 1), (1.0, 2.0, 1.0, 1.0, 3.0), values)
    assert block.ids() == [1, 2, 3, 4, 5]
    assert tuple(block.weights()) == (1.0, 2.0, 1.0, 1.0, 3.0)
    assert tuple(block.values()) == values


def test_a_block_without_variable_values_is_read_whole() -> None:
    block = _block((3, 1, 1), (1.0, 2.0, 3.0), b"abcdef", fixed=2)  # fixed-size values are stored joined
    assert block.ids() == [3, 4, 5]
    assert block.values() == (b"ab", b"cd", b"ef")
    assert _block((3,), None, None, fixed=0).values() == (None,)


def test_deleted_set_is_the_deleted_documents(index: SearchIndex) -> None:
    for reader in _readers(index):
        assert deleted_set(reader) == {d for d in range(reader.doc_count_all()) if reader.is_deleted(d)}
    assert any(deleted_set(reader) for reader in _readers(index))


@pytest.mark.parametrize("chunk", [16, 100, 1 << 15])
@pytest.mark.parametrize("prefix", ["", "m", "mo", "model", "i", "zz", "2020"])
def test_prefix_scan_reads_what_whoosh_reads(index: SearchIndex, monkeypatch: pytest.MonkeyPatch,
                                             chunk: int, prefix: str) -> None:
    """The term file read a chunk at a time (records across chunk ends, longer than a chunk) gives
    Whoosh's own terms and frequencies, in order."""
    monkeypatch.setattr(expansion, "_CHUNK", chunk)
    found = 0
    for reader in _readers(index):
        for fieldname in ("text", "title", "date", "issue_id"):
            expected = [(btext, info.doc_frequency()) for btext, info in reader.iter_prefix(fieldname, prefix)]
            assert list(expansion._prefix_frequencies(reader, fieldname, prefix)) == expected
            found += len(expected)
    assert found or prefix == "zz"


@pytest.mark.parametrize("first_read", [4, 100, 3000])
def test_postings_read_in_small_chunks_are_the_same(index: SearchIndex, monkeypatch: pytest.MonkeyPatch,
                                                    first_read: int) -> None:
    """Blocks cut across reads of the postings file (and reads smaller than a block) decode alike."""
    monkeypatch.setattr(postings, "_FIRST_READ", first_read)
    for reader in _readers(index):
        for btext in [b"model", b"robot", b"chess", b"zzzz"]:
            expected = _whoosh_blocks(reader, "text", btext) if ("text", btext) in reader else []
            stream = postings.block_stream(reader, "text", btext)
            assert stream is not None
            assert [(b.ids(), list(b.weights()), list(b.values())) for b in stream] == expected


def test_a_block_of_wide_ids_is_inflated_further() -> None:
    """Ids far apart take 5 bytes each: more than the first inflation guesses, so it goes on."""
    deltas = (5, *([70000] * 127))
    weights = tuple(float(i % 7 + 1) for i in range(128))
    values = tuple(pickle.dumps([i], 2) for i in range(128))
    block = _block(deltas, weights, values)
    assert block.ids() == [5 + 70000 * i for i in range(128)]
    assert block._values is None  # still without unpickling the values
    assert tuple(block.weights()) == weights
