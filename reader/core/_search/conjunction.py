"""Fast ranking of the most common searches: words, phrases and prefixes that must all match.

Whoosh scores one document at a time through layers of Python matcher objects (about 10 µs per
document and word). A common word is in most issues, so at 10,000 issues one word cost 50-100 ms
and a two-word phrase 300 ms (every document holding both words had its positions compared). Here
whole posting blocks are read at once, scored with Whoosh's BM25F formula and the same
global statistics, and phrase positions are compared only for the best candidates, in score order,
until there are enough hits. Whoosh scores a phrase as the sum of its words too, so the hits, their
scores and their order are Whoosh's (up to the last bits of float addition in exact ties).

Words of other scored fields (title:, author:, section:...) and prefixes ANDed with words are
ranked here too (a prefix adds its constant score, as in Whoosh), and so are ORs of words (each
word present adds its score, as in Whoosh's union). Anything else (nested groups, boosts,
unscored filters such as is: or date:, sorting by date) is left to Whoosh.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import query
from whoosh.scoring import BM25F

from reader.core._search.expansion import CappedPrefix, CappedWildcard
from reader.core._search.postings import blocks_of, deleted_set, term_blocks
from reader.core._search.schema import SCORED_FIELDS, TEXT
from reader.core._search.union import TermUnion

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
    """

    words: tuple[Word, ...]
    phrases: tuple[tuple[str, ...], ...]
    choices: tuple[tuple[Word, ...], ...] = ()
    unions: tuple[CappedPrefix | CappedWildcard, ...] = ()
    excluded: tuple[query.Query, ...] = ()


def conjunction_of(q: query.Query) -> Conjunction | None:
    """``q`` as a Conjunction, or None when it has any other shape (or no word to score)."""
    words: list[Word] = []
    phrases: list[tuple[str, ...]] = []
    choices: list[tuple[Word, ...]] = []
    unions: list[CappedPrefix | CappedWildcard] = []
    excluded: list[query.Query] = []
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
        else:
            word = _scored_word(part)
            if word is None:
                return None
            words.append(word)
    if not words and not choices:
        return None
    return Conjunction(tuple(words), tuple(phrases), tuple(choices), tuple(unions), tuple(excluded))


def _scored_word(q: query.Query) -> Word | None:
    """(field, word) of a plain Term of a scored field, else None."""
    if type(q) is query.Term and q.boost == 1.0 and q.field() in SCORED_FIELDS and isinstance(q.text, str):
        return q.field(), q.text
    return None


class _Postings:
    """One word's postings in one segment: weights by document, and positions on demand.

    Positions are decoded only for the blocks of the documents asked about (a block's values cost
    several times its ids and weights).
    """

    def __init__(self, reader: Any, word: Word) -> None:
        self.weights: dict[int, float] = {}
        fieldname, text = word
        field = reader.schema[fieldname]
        self._format = field.format
        self._blocks = blocks_of(reader, fieldname, field.to_bytes(text))
        self._last_ids = [block.max_id for block in self._blocks]
        for block in self._blocks:
            self.weights.update(zip(block.ids(), block.weights(), strict=True))

    def positions(self, doc: int) -> set[int]:
        """The word's positions in document ``doc`` (of this segment)."""
        block = self._blocks[bisect_left(self._last_ids, doc)]
        values = block.values()
        return set(self._format.decode_positions(values[bisect_left(block.ids(), doc)]))


class ConjunctionRanker:
    """Ranks Conjunctions over one searcher; keeps each segment's field-length factors between searches."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, str, float, float, float], list[float]] = {}

    def rank(self, searcher: Any, conj: Conjunction, limit: int) -> Ranked | None:
        """The best ``limit`` documents, or None when the searcher's weighting is not BM25F."""
        weighting = searcher.weighting
        if type(weighting) is not BM25F:
            return None
        if searcher.doc_count_all() == 0:
            return []  # an empty index: Whoosh's idf would take the log of 0
        k1 = weighting.K1
        every_word = [*conj.words, *(w for choice in conj.choices for w in choice)]
        fields = {fieldname for fieldname, _ in every_word}
        b = {f: weighting._field_B.get(f, weighting.B) for f in fields}
        avgfl = {f: searcher.avg_field_length(f) or 1 for f in fields}
        idf = {word: searcher.idf(*word) for word in every_word}
        plain_excluded = [q for q in conj.excluded if _term_of(q) is None]
        excluded = self._excluded(searcher, plain_excluded)
        base = float(len(conj.excluded)) + sum(float(u.boost) for u in conj.unions)
        candidates: list[tuple[float, int, int, dict[Word, _Postings]]] = []
        for sub, offset in _segments(searcher):
            reader = sub.reader()
            postings = {w: _Postings(reader, w) for w in dict.fromkeys(every_word)}
            required = [set(postings[w].weights) for w in dict.fromkeys(conj.words)]
            required += [set().union(*(postings[w].weights for w in choice)) for choice in conj.choices]
            required += [_union_ids(reader, u) for u in conj.unions]
            left_out = {d - offset for d in excluded}
            for q in conj.excluded:
                term = _term_of(q)
                if term is not None:
                    left_out.update(d for ids, _, _ in term_blocks(reader, *term) for d in ids)
            docs = _common_docs(reader, required, left_out)
            if not docs:
                continue
            norms = {f: self._norms(reader, f, b[f], k1, avgfl[f]) for f in fields}
            scores = [base] * len(docs)
            for word in every_word:  # a word of a choice scores where it occurs (Whoosh's union adds them)
                weights, word_idf, kplus, norm = postings[word].weights, idf[word], k1 + 1, norms[word[0]]
                # bm25() of whoosh.scoring, its K1 * ((1 - B) + B * fl / avgfl) read from ``norm``
                scores = [s + word_idf * ((weights[d] * kplus) / (weights[d] + norm[d])) if d in weights else s
                          for s, d in zip(scores, docs, strict=True)]
            candidates += [(s, -(d + offset), d, postings) for s, d in zip(scores, docs, strict=True)]
        if not conj.phrases:
            best = heapq.nlargest(limit, candidates, key=lambda c: (c[0], c[1]))
            return [(score, -neg) for score, neg, _, _ in best]
        candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
        ranked: Ranked = []
        for score, neg, doc, postings in candidates:
            if all(_has_phrase(postings, phrase, doc) for phrase in conj.phrases):
                ranked.append((score, -neg))
                if len(ranked) >= limit:
                    break
        return ranked

    def _excluded(self, searcher: Any, queries: Iterable[query.Query]) -> set[int]:
        found: set[int] = set()
        for q in queries:
            found.update(searcher.docs_for_query(q))
        return found

    def _norms(self, reader: Any, fieldname: str, b: float, k1: float, avgfl: float) -> list[float]:
        """``K1 * ((1 - B) + B * fl / avgfl)`` of every document of a segment (fl: its field length).

        Kept per segment and statistics: segments do not change, and the statistics only when the
        index does.
        """
        segment = reader.segment() if hasattr(reader, "segment") else None
        key = (segment.segment_id() if segment is not None else id(reader), fieldname, b, k1, avgfl)
        norms = self._cache.get(key)
        if norms is None:
            lengths = (reader.doc_field_length(d, fieldname, 1) or 1 for d in range(reader.doc_count_all()))
            norms = [k1 * ((1 - b) + b * fl / avgfl) for fl in lengths]
            if len(self._cache) > _MAX_CACHED_SEGMENTS:  # merged-away segments and old statistics
                self._cache.clear()
            self._cache[key] = norms
        return norms


def _segments(searcher: Any) -> list[tuple[Any, int]]:
    return [(searcher, 0)] if searcher.is_atomic() else list(searcher.subsearchers)


def _term_of(q: query.Query) -> tuple[str, bytes] | None:
    """(field, term bytes) of a plain Term of a text field, read from posting blocks, not one by one."""
    if type(q) is not query.Term or not isinstance(q.text, str) or q.fieldname not in SCORED_FIELDS:
        return None
    return q.fieldname, q.text.encode("utf-8")  # what TEXT fields' to_bytes does


def _union_ids(reader: Any, leaf: CappedPrefix | CappedWildcard) -> set[int]:
    """The live documents of a segment matching a prefix or wildcard."""
    if leaf.fieldname not in reader.schema:
        return set()
    union = TermUnion(reader, leaf.fieldname, leaf._btexts(reader))
    union.complete()
    return set(union.ids)


def _common_docs(reader: Any, required: Sequence[set[int]], excluded: set[int]) -> list[int]:
    """Documents of the segment in every one of ``required``, less the excluded and the deleted ones."""
    by_size = sorted(required, key=len)
    docs = set(by_size[0]).intersection(*by_size[1:]) - excluded
    return sorted(docs.difference(deleted_set(reader)))


def _has_phrase(postings: dict[Word, _Postings], phrase: tuple[str, ...], doc: int) -> bool:
    """Whether the words of ``phrase`` are at consecutive positions in ``doc``."""
    starts = postings[(TEXT, phrase[0])].positions(doc)
    for offset, word in enumerate(phrase[1:], start=1):
        starts &= {p - offset for p in postings[(TEXT, word)].positions(doc)}
        if not starts:
            return False
    return bool(starts)
