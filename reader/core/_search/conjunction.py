"""Fast ranking of the most common searches: words, phrases and prefixes that must all match.

Whoosh scores one document at a time through layers of Python matcher objects (about 10 µs per
document and word). A common word is in most issues, so at 10,000 issues one word cost 50-100 ms
and a two-word phrase 300 ms (every document holding both words had its positions compared). Here
whole posting blocks are read at once (``postings``), every matching document is scored with
Whoosh's BM25F formula and the same global statistics in C-driven passes, and the best are taken
in bands of scores. Phrases and prefixes are checked for those best documents only, band after
band until there are enough hits. Whoosh scores a phrase as the sum of its words too, so the hits,
their scores and their order are Whoosh's (up to the last bits of float addition in exact ties).

Words of other scored fields (title:, author:, section:...) are ranked here too, and so are
prefixes ANDed with words (a prefix adds its constant score, as in Whoosh), ORs of words (each
word present adds its score, as in Whoosh's union) and terms of unscored fields such as kind:,
is: or date: (each adds its weight, as Whoosh's WeightScorer does). Anything else (nested groups,
boosts, ranges, sorting by date) is left to Whoosh.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import chain, compress
from typing import Any

from whoosh import formats, query
from whoosh.scoring import BM25F

from reader.core._search.expansion import CappedPrefix, CappedWildcard
from reader.core._search.postings import PostingBlock, block_stream, blocks_of, deleted_set, term_blocks
from reader.core._search.schema import SCORED_FIELDS, TEXT

_MAX_CACHED_SEGMENTS = 64
Ranked = list[tuple[float, int]]
"""(score, document number in the whole index), best first."""


Word = tuple[str, str]
"""(field, analysed word)."""


@dataclass(frozen=True)
class Conjunction:
    """A query of words and phrases that must all occur, maybe with prefixes, minus excluded queries.

    Attributes:
        words: (field, word) to score, one per word of each term and phrase (a repeated word
            scores again, as in Whoosh); fields are those scored with BM25F.
        phrases: the phrases (of TEXT) whose words must be adjacent and in order.
        choices: groups of words (an OR) of which at least one must occur; each one present scores.
        unions: prefix and wildcard queries that must match too; each adds its boost to the score.
        excluded: queries whose documents are left out (the NOT parts; in Whoosh each also adds
            1.0 to the score of every document it lets through, which is kept).
        filters: (field, text) terms of unranked fields (kind:issue, date:2019) that must occur; each
            adds its posting's weight to the score, as Whoosh's WeightScorer does.
    """

    words: tuple[Word, ...]
    phrases: tuple[tuple[str, ...], ...]
    choices: tuple[tuple[Word, ...], ...] = ()
    unions: tuple[CappedPrefix | CappedWildcard, ...] = ()
    excluded: tuple[query.Query, ...] = ()
    filters: tuple[Word, ...] = ()


def conjunction_of(q: query.Query) -> Conjunction | None:
    """``q`` as a Conjunction, or None when it has any other shape (or no word to score)."""
    words: list[Word] = []
    phrases: list[tuple[str, ...]] = []
    choices: list[tuple[Word, ...]] = []
    unions: list[CappedPrefix | CappedWildcard] = []
    excluded: list[query.Query] = []
    filters: list[Word] = []
    for part in q.children() if type(q) is query.And else [q]:
        kind = type(part)
        if kind is query.Not and part.boost == 1.0:
            excluded.append(part.query)
        elif kind in (CappedPrefix, CappedWildcard):
            unions.append(part)
        elif kind is query.Or and part.boost == 1.0 and not part.scale and not part.minmatch:
            choice = [_scored_word(child) for child in part.children()]
            if None in choice:
                return None
            choices.append(tuple(w for w in choice if w is not None))
        elif kind is query.Phrase and part.field() == TEXT and part.slop == 1 and part.words and part.boost == 1.0:
            words.extend((TEXT, word) for word in part.words)
            phrases.append(tuple(part.words))
        elif (word := _scored_word(part)) is not None:
            words.append(word)
        elif (term := _filter_term(part)) is not None:
            filters.append(term)
        else:
            return None
    if not words and not choices and not filters:
        return None
    return Conjunction(tuple(words), tuple(phrases), tuple(choices), tuple(unions), tuple(excluded), tuple(filters))


def _filter_term(q: query.Query) -> Word | None:
    """(field, text) of a plain Term of a field that is not ranked (kind:, date:, is:...), else None."""
    if type(q) is query.Term and q.boost == 1.0 and q.field() not in SCORED_FIELDS and isinstance(q.text, str):
        return q.field(), q.text
    return None


def _scored_word(q: query.Query) -> Word | None:
    """(field, word) of a plain Term of a scored field, else None."""
    if type(q) is query.Term and q.boost == 1.0 and q.field() in SCORED_FIELDS and isinstance(q.text, str):
        return q.field(), q.text
    return None


class _Postings:
    """One word's postings in one segment: ids and weights in id order, positions on demand.

    Blocks are decoded only where asked (``read``): a common word ANDed with a rare one is read
    only in the blocks that can hold the rare word's documents. Positions are decoded only for the
    blocks of the documents asked about (a block's values cost several times its ids and weights).
    """

    def __init__(self, reader: Any, word: Word) -> None:
        fieldname, text = word
        field = reader.schema[fieldname]
        self._format = field.format
        self._blocks = blocks_of(reader, fieldname, field.to_bytes(text))
        self._last_ids = [block.max_id for block in self._blocks]
        self.count = sum(block.count for block in self._blocks)
        self.ids: list[int] = []
        self._weights: list[float] = []
        self._by_doc: dict[int, float] | None = None

    def read(self, candidates: list[int] | None) -> None:
        """Decode the blocks that may hold one of ``candidates`` (ascending), or every block (None)."""
        blocks: Iterable[PostingBlock] = self._blocks
        if candidates is not None:
            blocks = [block for block, low in zip(self._blocks, [-1, *self._last_ids], strict=False)
                      if _any_within(candidates, low, block.max_id)]
        self.ids = list(chain.from_iterable(block.ids() for block in blocks))
        self._weights = list(chain.from_iterable(block.weights() for block in blocks))

    def weights_in(self, docs: set[int]) -> list[float]:
        """The weights of the documents of ``docs`` (all of which hold the word), in id order."""
        if len(docs) == len(self.ids):  # then they are all the ids read
            return self._weights
        return list(compress(self._weights, map(docs.__contains__, self.ids)))

    def weight_of(self) -> dict[int, float]:
        """Weights by document."""
        if self._by_doc is None:
            self._by_doc = dict(zip(self.ids, self._weights, strict=True))
        return self._by_doc

    def positions(self, doc: int) -> set[int]:
        """The word's positions in document ``doc`` (of this segment)."""
        block = self._blocks[bisect_left(self._last_ids, doc)]
        values = block.values()
        return set(self._format.decode_positions(values[bisect_left(block.ids(), doc)]))


class _LazyUnion:
    """Whether a document of a segment holds any term of a prefix or wildcard, read as asked.

    The union of fifty common terms is most of a segment's postings, while only the best documents
    of the other words need checking: each is looked up in one block of each term, the most frequent
    term first, and a term's postings are read only as far as the documents asked about.
    """

    def __init__(self, reader: Any, leaf: CappedPrefix | CappedWildcard) -> None:
        self._reader = reader
        self._fieldname = leaf.fieldname
        self._terms = leaf.terms_by_frequency(reader) if leaf.fieldname in reader.schema else []
        self._read: list[_LazyTerm] = []

    def __contains__(self, doc: int) -> bool:
        for index in range(len(self._terms)):
            if index == len(self._read):
                self._read.append(_LazyTerm(self._reader, self._fieldname, self._terms[index]))
            if doc in self._read[index]:
                return True
        return False


class _LazyTerm:
    """Whether a document of a segment holds a term, its blocks read only as far as asked."""

    def __init__(self, reader: Any, fieldname: str, btext: bytes) -> None:
        stream = block_stream(reader, fieldname, btext)
        self._stream = iter(blocks_of(reader, fieldname, btext)) if stream is None else stream
        self._blocks: list[PostingBlock] = []
        self._last_ids: list[int] = []
        self._done = False

    def __contains__(self, doc: int) -> bool:
        while not self._done and (not self._last_ids or self._last_ids[-1] < doc):
            block = next(self._stream, None)
            if block is None:
                self._done = True
            else:
                self._blocks.append(block)
                self._last_ids.append(block.max_id)
        at = bisect_left(self._last_ids, doc)
        if at == len(self._blocks):
            return False
        ids = self._blocks[at].ids()
        found = bisect_left(ids, doc)
        return found < len(ids) and ids[found] == doc


@dataclass
class _Scored:
    """One segment's matching documents (ascending), their scores, and what the best must pass."""

    offset: int
    postings: dict[Word, _Postings]
    docs: list[int]
    scores: list[float]
    unions: list[_LazyUnion | _LazyTerm]

    def passes(self, doc: int, phrases: Sequence[tuple[str, ...]]) -> bool:
        """Whether ``doc`` holds a term of each prefix, each filter term checked late and each phrase."""
        return all(doc in union for union in self.unions) and all(
            _has_phrase(self.postings, phrase, doc) for phrase in phrases)


class _Scorer:
    """Scores a segment's documents word by word, as Whoosh's BM25F does, one C-driven pass a word."""

    def __init__(self, conj: Conjunction, idf: dict[Word, float], k1: float, base: float) -> None:
        self.required = set(conj.words)
        self.every_word = [*conj.words, *(w for choice in conj.choices for w in choice)]
        self.words = list(dict.fromkeys([*self.every_word, *conj.filters]))
        self.fields = sorted({fieldname for fieldname, _ in self.every_word})
        self._filters = conj.filters
        self._idf = idf
        self._kplus = k1 + 1
        self._base = base

    def scores(self, postings: dict[Word, _Postings], docs: list[int], docset: set[int],
               norms: dict[str, list[float]]) -> list[float]:
        """The score of each of ``docs`` (ascending, and as a set; every required word and filter
        term is in each)."""
        weights = {w: postings[w].weights_in(docset) for w in self.required}
        lengths = {f: list(map(norms[f].__getitem__, docs)) for f in self.fields}
        required = [(weights[w], lengths[w[0]], self._idf[w]) for w in self.every_word if w in self.required]
        scores = _add_pairs([self._base] * len(docs), required, self._kplus)
        kplus = self._kplus
        for word in self.every_word:
            if word in self.required:
                continue
            # a word of a choice scores where it occurs (Whoosh's union adds them)
            present, norm, word_idf = map(postings[word].weight_of().get, docs), lengths[word[0]], self._idf[word]
            scores = [s + word_idf * ((w * kplus) / (w + n)) if w is not None else s
                      for s, w, n in zip(scores, present, norm, strict=True)]
        for term in self._filters:  # an unscored field's term adds its weight (Whoosh's WeightScorer)
            scores = [s + w for s, w in zip(scores, postings[term].weights_in(docset), strict=True)]
        return scores


_Column = tuple[list[float], list[float], float]
"""A word's weight in each document, each document's ``K1 * ((1 - B) + B * fl / avgfl)``, its idf."""


def _add_pairs(scores: list[float], words: Sequence[_Column], kplus: float) -> list[float]:
    """``scores`` plus each word's bm25() of whoosh.scoring, two words a pass, added in order."""
    for at in range(0, len(words) - 1, 2):
        (w1, n1, idf1), (w2, n2, idf2) = words[at], words[at + 1]
        scores = [s + idf1 * ((a * kplus) / (a + m)) + idf2 * ((b * kplus) / (b + n))
                  for s, a, m, b, n in zip(scores, w1, n1, w2, n2, strict=True)]
    if len(words) % 2:
        w1, n1, idf1 = words[-1]
        scores = [s + idf1 * ((a * kplus) / (a + m)) for s, a, m in zip(scores, w1, n1, strict=True)]
    return scores


class ConjunctionRanker:
    """Ranks Conjunctions over one searcher; keeps each segment's field-length factors between searches."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, str, float, float, float], list[float]] = {}
        self._lengths: dict[tuple[Any, str], list[int]] = {}

    def rank(self, searcher: Any, conj: Conjunction, limit: int) -> Ranked | None:
        """The best ``limit`` documents, or None when the searcher's weighting is not BM25F (or a
        filter term's field is scored after all, or not indexed)."""
        weighting = searcher.weighting
        if type(weighting) is not BM25F or not all(_unranked(searcher, f) for f, _ in conj.filters):
            return None
        if searcher.doc_count_all() == 0:
            return []  # an empty index: Whoosh's idf would take the log of 0
        k1 = weighting.K1
        every_word = [*conj.words, *(w for choice in conj.choices for w in choice)]
        idf = {word: searcher.idf(*word) for word in every_word}
        late = _late_filters(searcher, conj)
        # Whoosh adds a filter term's weight, 1.0 for each of those checked late
        base = float(len(conj.excluded)) + sum(float(u.boost) for u in conj.unions) + len(late)
        conj = replace(conj, filters=tuple(f for f in conj.filters if f not in late))
        scorer = _Scorer(conj, idf, k1, base)
        b = {f: weighting._field_B.get(f, weighting.B) for f in scorer.fields}
        avgfl = {f: searcher.avg_field_length(f) or 1 for f in scorer.fields}
        excluded = self._excluded(searcher, [q for q in conj.excluded if _term_of(q) is None])
        scored: list[_Scored] = []
        for sub, offset in _segments(searcher):
            reader = sub.reader()
            postings = {w: _Postings(reader, w) for w in scorer.words}
            docs, docset = _matching_docs(reader, conj, postings, {d - offset for d in excluded})
            if docs:
                norms = {f: self._norms(reader, f, b[f], k1, avgfl[f]) for f in scorer.fields}
                unions: list[_LazyUnion | _LazyTerm] = [_LazyUnion(reader, u) for u in conj.unions]
                unions += [_LazyTerm(reader, f, reader.schema[f].to_bytes(t)) for f, t in late]
                scored.append(_Scored(offset, postings, docs, scorer.scores(postings, docs, docset, norms), unions))
        return _best(scored, conj.phrases, limit)

    def _excluded(self, searcher: Any, queries: Iterable[query.Query]) -> set[int]:
        found: set[int] = set()
        for q in queries:
            found.update(searcher.docs_for_query(q))
        return found

    def _norms(self, reader: Any, fieldname: str, b: float, k1: float, avgfl: float) -> list[float]:
        """``K1 * ((1 - B) + B * fl / avgfl)`` of every document of a segment (fl: its field length).

        Kept per segment and statistics: segments do not change, and the statistics only when the
        index does. The field lengths are kept apart, per segment only: every new issue changes the
        average length, and reading 50,000 lengths again made the first search after adding a few
        issues take 2 s; the factors are then made from the kept lengths (a few ms).
        """
        segment = reader.segment() if hasattr(reader, "segment") else None
        segment_key = segment.segment_id() if segment is not None else id(reader)
        key = (segment_key, fieldname, b, k1, avgfl)
        norms = self._cache.get(key)
        if norms is None:
            lengths = self._field_lengths(reader, segment_key, fieldname)
            norms = [k1 * ((1 - b) + b * fl / avgfl) for fl in lengths]
            if len(self._cache) > _MAX_CACHED_SEGMENTS:  # merged-away segments and old statistics
                self._cache.clear()
            self._cache[key] = norms
        return norms

    def _field_lengths(self, reader: Any, segment_key: Any, fieldname: str) -> list[int]:
        """Every document's length of the field in this segment (1 for none), read once per segment."""
        key = (segment_key, fieldname)
        lengths = self._lengths.get(key)
        if lengths is None:
            length = reader.doc_field_length
            lengths = [length(d, fieldname, 1) or 1 for d in range(reader.doc_count_all())]
            if len(self._lengths) > _MAX_CACHED_SEGMENTS:  # merged-away segments
                self._lengths.clear()
            self._lengths[key] = lengths
        return lengths


def _segments(searcher: Any) -> list[tuple[Any, int]]:
    return [(searcher, 0)] if searcher.is_atomic() else list(searcher.subsearchers)


def _late_filters(searcher: Any, conj: Conjunction) -> list[Word]:
    """The filter terms checked only for the best documents, like prefixes: those that always weigh
    1.0 (an unboosted Existence field, such as kind:) and are not the rarest required term, so most
    documents hold them (kind:issue). A rarer filter (date:2019) is read first instead, as a word."""
    required = [*conj.words, *conj.filters]
    frequency = {term: searcher.doc_frequency(*term) for term in required}
    late = []
    for term in conj.filters:
        field_format = searcher.schema[term[0]].format
        if type(field_format) is formats.Existence and field_format.field_boost == 1.0 and any(
                frequency[other] < frequency[term] for other in required if other != term):
            late.append(term)
    return late


def _unranked(searcher: Any, fieldname: str) -> bool:
    """Whether a field is indexed but not scored (Whoosh scores its terms by their weight)."""
    if fieldname not in searcher.schema:
        return False
    field = searcher.schema[fieldname]
    return field.format is not None and not field.scorable


def _term_of(q: query.Query) -> tuple[str, bytes] | None:
    """(field, term bytes) of a plain Term of a text field, read from posting blocks, not one by one."""
    if type(q) is not query.Term or not isinstance(q.text, str) or q.fieldname not in SCORED_FIELDS:
        return None
    return q.fieldname, q.text.encode("utf-8")  # what TEXT fields' to_bytes does


def _matching_docs(reader: Any, conj: Conjunction, postings: dict[Word, _Postings],
                   left_out: set[int]) -> tuple[list[int], set[int]]:
    """The segment's live documents holding every word, filter term and a word of each choice, less
    ``left_out`` and the documents of the excluded terms: ascending, and as a set. (Prefixes are
    checked later, for the best documents only: ``_LazyUnion``.)

    The rarest word is read first, and each other word only in the blocks that may hold the
    documents left.
    """
    docs: list[int] | None = None
    for word in sorted(dict.fromkeys([*conj.words, *conj.filters]), key=lambda w: postings[w].count):
        postings[word].read(docs)
        docs = postings[word].ids if docs is None else _kept(postings[word].ids, set(docs))
    for choice in conj.choices:
        for word in choice:
            postings[word].read(docs)
        either = set().union(*(postings[w].ids for w in choice))
        docs = sorted(either) if docs is None else _kept(docs, either)
    live = set(docs or ())
    for q in conj.excluded:
        term = _term_of(q)
        if term is not None:
            for ids, _, _ in term_blocks(reader, *term):
                live.difference_update(ids)
    live.difference_update(left_out)
    live.difference_update(deleted_set(reader))
    if docs is None or len(live) == len(docs):  # nothing left out
        return docs or [], live
    return _kept(docs, live), live


def _kept(ids: list[int], keep: set[int]) -> list[int]:
    """The ids (ascending) that are in ``keep``, in order."""
    return list(compress(ids, map(keep.__contains__, ids)))


def _any_within(ascending: list[int], low: int, high: int) -> bool:
    """Whether any of ``ascending`` is above ``low`` and at most ``high``."""
    at = bisect_right(ascending, low)
    return at < len(ascending) and ascending[at] <= high


def _best(scored: Sequence[_Scored], phrases: Sequence[tuple[str, ...]], limit: int) -> Ranked:
    """The best ``limit`` documents holding every phrase and prefix, best first (ties: lower document number).

    Documents are taken in bands of scores, each read with C-level ``compress``: those scoring at
    least the ``limit``-th best score first, then four times as many below them while phrases
    leave too few.
    """
    every = list(chain.from_iterable(seg.scores for seg in scored))
    ranked: Ranked = []
    high: float | None = None
    want = limit
    while every and len(ranked) < limit:
        low = heapq.nlargest(want, every)[-1]
        for score, neg, doc, seg in _band(scored, low, high):
            if seg.passes(doc, phrases):
                ranked.append((score, -neg))
                if len(ranked) >= limit:
                    break
        if want >= len(every):
            break
        high, want = low, want * 4
    return ranked


def _band(scored: Sequence[_Scored], low: float, high: float | None) -> list[tuple[float, int, int, _Scored]]:
    """(score, -global document number, document, segment) of the documents scoring from ``low`` up
    to (not including) ``high``, best first."""
    band = []
    for seg in scored:
        offset = seg.offset
        picked = compress(zip(seg.scores, seg.docs, strict=True), map(low.__le__, seg.scores))
        band += [(score, -(doc + offset), doc, seg) for score, doc in picked if high is None or score < high]
    band.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return band


def _has_phrase(postings: dict[Word, _Postings], phrase: tuple[str, ...], doc: int) -> bool:
    """Whether the words of ``phrase`` are at consecutive positions in ``doc``."""
    starts = postings[(TEXT, phrase[0])].positions(doc)
    for offset, word in enumerate(phrase[1:], start=1):
        starts &= {p - offset for p in postings[(TEXT, word)].positions(doc)}
        if not starts:
            return False
    return bool(starts)
