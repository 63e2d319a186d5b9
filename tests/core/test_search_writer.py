"""How the index is written: the same postings and scores as Whoosh's own writer; merges a small write can afford."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import writing

from reader.core._search import IssueDoc, SearchIndex
from reader.core._search.documents import issue_documents
from reader.core._search.index import SMALL_MERGE_BUDGET
from reader.core._search.writer import FANOUT, MIN_SEGMENT, plan_merge, tier
from reader.core.types import Issue

_WORDS = ("robots", "language", "model", "safety", "open", "source", "code", "learning", "data", "chess")


def _issue(n: int) -> IssueDoc:
    """A small issue whose words and lengths vary with ``n`` (BM25 reads each document's field lengths)."""
    words = [_WORDS[(n * 7 + i * (n % 5 + 1)) % len(_WORDS)] for i in range(3 + n % 17)]
    return IssueDoc(Issue(id=f"i{n}", publication="Weekly", title=f"Issue {n} {words[0]}"),
                    [("", " ".join(words)), (f"Part {words[-1]}", " ".join(reversed(words)) * (n % 3 + 1))])


def _scores(index: SearchIndex, text: str) -> list[tuple[str, float]]:
    return sorted((hit.id, round(hit.score, 9)) for hit in index.search(text, limit=1000))


def test_plan_merge_waits_for_a_full_tier() -> None:
    assert plan_merge([10] * (FANOUT - 1), budget=10_000) == []
    assert plan_merge([10] * FANOUT, budget=10_000) == list(range(FANOUT))


def test_plan_merge_never_rewrites_large_segments_on_a_small_budget() -> None:
    big = [5000] * FANOUT  # a full tier of large segments, left by an earlier import
    small = [3] * FANOUT
    chosen = plan_merge(big + small, budget=SMALL_MERGE_BUDGET)
    assert chosen == list(range(FANOUT, 2 * FANOUT))  # the small ones only
    assert sorted(plan_merge(big + small, budget=100_000)) == list(range(2 * FANOUT))  # a large import: both tiers


def test_plan_merge_cascades_into_the_next_tier() -> None:
    # Seven segments of one tier and a full tier below: merged, the small ones make the eighth.
    sizes = [MIN_SEGMENT * 2] * (FANOUT - 1) + [MIN_SEGMENT // 4] * FANOUT
    assert tier(sum([MIN_SEGMENT // 4] * FANOUT)) == tier(MIN_SEGMENT * 2)
    assert sorted(plan_merge(sizes, budget=100_000)) == list(range(len(sizes)))


def test_same_scores_as_whoosh_own_writer(tmp_path: Path) -> None:
    ours = SearchIndex(tmp_path / "ours")
    ours.open()
    theirs = SearchIndex(tmp_path / "theirs")
    theirs.open()
    for start in range(0, 120, 30):  # several segments, and one issue replaced (a deleted document)
        ours.update([_issue(n) for n in range(start, start + 30)])
        with theirs._ix.writer() as writer:  # Whoosh's stock writer, merge policy and all
            writer.mergetype = writing.MERGE_SMALL
            for doc in [_issue(n) for n in range(start, start + 30)]:
                for fields in issue_documents(doc):
                    writer.add_document(**fields)
    theirs._new_searcher()
    for text in ("robots", "language model", '"open source"', "title:issue chess", "section:part data", "lang*"):
        assert _scores(ours, text) == _scores(theirs, text), text
    ours.close()
    theirs.close()


def test_small_writes_keep_few_segments_and_a_large_budget_merges_the_rest(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    index.open()
    for n in range(40):  # forty small writes: a highlight or a new issue at a time
        index.update([_issue(n)])
    assert len(index.segment_sizes()) <= FANOUT  # at most FANOUT - 1 left by the policy, and the new one
    assert sum(index.segment_sizes()) == 40
    before = _scores(index, "robots")
    for start in range(40, 40 + FANOUT * MIN_SEGMENT, MIN_SEGMENT):  # a full tier of larger segments
        with index.merging(0):
            index.update([_issue(n) for n in range(start, start + MIN_SEGMENT)])
    tier_one = [size for size in index.segment_sizes() if tier(size) == 1]
    assert len(tier_one) == FANOUT  # a full tier (the small segments went into the first of them)
    assert sum(tier_one) > SMALL_MERGE_BUDGET  # more than a small write may rewrite
    index.update([_issue(0)])
    assert [tier(size) for size in index.segment_sizes()].count(1) == FANOUT  # left alone
    index.merge(budget=10_000)  # when idle: the full tier is merged
    assert [tier(size) for size in index.segment_sizes()].count(1) == 0
    assert [hit for hit in _scores(index, "robots") if hit[0] in {h[0] for h in before}] != []
    assert index.doc_count() == 40 + FANOUT * MIN_SEGMENT
    index.close()


@pytest.mark.parametrize("sizes", [[], [1], [0, 0, 0]])
def test_plan_merge_of_nothing_much(sizes: list[int]) -> None:
    assert plan_merge(sizes, budget=SMALL_MERGE_BUDGET) == []


def test_same_term_statistics_as_whoosh_own_writer(tmp_path: Path) -> None:
    # Each term's block statistics (shortest and longest document, weights) come from the field
    # lengths the writer reads while writing postings: ours reads them once per field.
    from reader.core._search.writer import SegmentWriter

    infos = []
    for name, make in (("ours", SegmentWriter), ("theirs", writing.SegmentWriter)):
        index = SearchIndex(tmp_path / name)
        index.open()
        writer = make(index._ix)
        for doc in [_issue(n) for n in range(60)]:
            for fields in issue_documents(doc):
                writer.add_document(**fields)
        writer.commit()
        with index._ix.reader() as reader:
            infos.append({(field, text): _stats(reader.term_info(field, text)) for field, text in reader.all_terms()})
        index.close()
    assert infos[0] == infos[1]
    assert any(minimum != maximum for minimum, maximum, _, _ in infos[0].values())


def _stats(info: Any) -> tuple[int, int, float, int]:
    return info.min_length(), info.max_length(), info.weight(), info.doc_frequency()


def _all_postings(index: SearchIndex) -> list[tuple[Any, ...]]:
    """Every (field, term, document, weight, encoded value) of the index."""
    found = []
    with index._ix.reader() as reader:
        for field, text in reader.all_terms():
            matcher = reader.postings(field, text)
            while matcher.is_active():
                found.append((field, text, matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
    return found


@pytest.mark.parametrize("limitmb", [32, 0])
def test_term_pool_writes_the_postings_whoosh_own_pool_writes(tmp_path: Path, limitmb: int) -> None:
    # limitmb=0: the pool spills to a run after every posting's term, so the runs are merged term by term.
    from reader.core._search.writer import SegmentWriter

    found = []
    for name, make in (("ours", SegmentWriter), ("theirs", writing.SegmentWriter)):
        index = SearchIndex(tmp_path / name)
        index.open()
        for start in (0, 40):  # two segments, merged by the second commit
            writer = make(index._ix, limitmb=limitmb)
            for doc in [_issue(n) for n in range(start, start + 40)]:
                for fields in issue_documents(doc):
                    writer.add_document(**fields)
            writer.commit(mergetype=writing.OPTIMIZE if start else writing.NO_MERGE)
        assert index.segment_sizes() == [80]
        found.append(_all_postings(index))
        index.close()
    assert found[0] == found[1]
    assert len(found[0]) > 500
    assert not list((tmp_path / "ours").glob("*.run"))  # the runs are removed


def test_issue_ids_read_from_the_column_across_segments(tmp_path: Path) -> None:
    # Smart lists read each hit's issue from the issue_id column; documents of later segments are
    # numbered after the earlier ones', so a wrong offset would name another segment's issue.
    index = SearchIndex(tmp_path / "ix")
    index.open()
    for start in range(0, 90, 30):
        index.update([_issue(n) for n in range(start, start + 30)])
    assert len(index.segment_sizes()) == 3
    for text in ("robots", "chess", "title:issue"):
        hits = {hit.id for hit in index.search(text, limit=1000)}
        assert set(index.issue_ids(text)) == hits and hits, text
    index.close()


def _blocks(index: SearchIndex) -> dict[tuple[str, bytes], list[tuple[Any, ...]]]:
    """Each term's posting blocks as the codec wrote them: ids, weights, values and block statistics."""
    found: dict[tuple[str, bytes], list[tuple[Any, ...]]] = {}
    with index._ix.reader() as reader:
        for field, text in reader.all_terms():
            matcher = reader.postings(field, text)
            matcher = getattr(matcher, "child", matcher)
            blocks = found[(field, text)] = []
            while matcher.is_active():
                matcher._read_ids()
                matcher._read_weights()
                matcher._read_values()
                blocks.append((tuple(matcher._ids), tuple(matcher._weights), tuple(matcher._values),
                               matcher.block_max_weight(), matcher.block_min_length(), matcher.block_max_length()))
                matcher._next_block()
    return found


@pytest.mark.parametrize("limitmb", [32, 0])
def test_posting_blocks_are_the_ones_whoosh_own_writer_writes(tmp_path: Path, limitmb: int) -> None:
    # add_term_postings fills each 128-posting block at once: 300 issues give the common words
    # several blocks each (and the last one partly full), with differing field lengths in each.
    from reader.core._search.writer import SegmentWriter

    found = []
    for name, make in (("ours", SegmentWriter), ("theirs", writing.SegmentWriter)):
        index = SearchIndex(tmp_path / name)
        index.open()
        writer = make(index._ix, limitmb=limitmb)
        for doc in [_issue(n) for n in range(300)]:
            for fields in issue_documents(doc):
                writer.add_document(**fields)
        writer.commit(mergetype=writing.NO_MERGE)
        with index._ix.reader() as reader:  # what add_document stores beside the postings
            stored = list(reader.all_stored_fields())
            lengths = {(f, d): reader.doc_field_length(d, f) for d in range(reader.doc_count_all())
                       for f in reader.schema.scorable_names()}
        found.append((_blocks(index), stored, lengths))
        index.close()
    assert found[0] == found[1]
    assert max(len(blocks) for blocks in found[0][0].values()) >= 3
    assert any(len(blocks[-1][0]) not in (1, 128) for blocks in found[0][0].values())
    assert any(length > 1 for length in found[0][2].values()) and len(found[0][1]) >= 300
