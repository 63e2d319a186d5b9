"""Prefix and wildcard queries whose expansion is capped, so ``a*`` cannot freeze a search."""

from __future__ import annotations

import fnmatch
import heapq
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from whoosh import query
from whoosh.matching import ListMatcher, NullMatcher, ReadTooFar

from reader.core.search.postings import term_blocks

MAX_EXPANSION = 50
"""A prefix or wildcard matches at most this many distinct terms: the most frequent ones."""
MAX_SCANNED = 20_000
"""At most this many candidate terms are looked at when choosing them."""


def most_frequent_terms(reader: Any, fieldname: str, prefixes: Iterable[str],
                        pattern: re.Pattern[str] | None = None) -> list[bytes]:
    """The (at most MAX_EXPANSION) most frequent terms of a field starting with one of ``prefixes``.

    Args:
        reader: a Whoosh IndexReader.
        fieldname: the field to expand in.
        prefixes: literal prefixes (analysed variants of what was typed).
        pattern: when given, a term must also match it (a wildcard pattern).
    """
    if fieldname not in reader.schema:
        return []
    field = reader.schema[fieldname]
    candidates: dict[bytes, int] = {}
    for prefix in dict.fromkeys(prefixes):
        for btext, info in islice(reader.iter_prefix(fieldname, prefix), MAX_SCANNED):
            if pattern is None or pattern.match(field.from_bytes(btext)):
                candidates[btext] = info.doc_frequency()
    best = heapq.nlargest(MAX_EXPANSION, candidates.items(), key=lambda item: item[1])
    return sorted(btext for btext, _ in best)


class IdUnionMixin:
    """Match the union of a multi-term query's documents at a constant score, in one pass.

    Whoosh ORs one scoring matcher per expanded term, which costs microseconds per posting in Python;
    collecting the ids of each term's posting blocks into one sorted list is many times cheaper, and
    a prefix or a date range is a filter more than a relevance signal anyway.
    """

    fieldname: str
    boost: float

    def _btexts(self, ixreader: Any) -> Iterable[bytes]:
        raise NotImplementedError

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        if self.fieldname not in reader.schema:
            return NullMatcher()
        btexts = list(self._btexts(reader))
        if not btexts:
            return NullMatcher()
        # A term in more documents than the segment has deleted surely has a live one: the matcher
        # is then known not to be empty without reading any posting.
        deleted = reader.doc_count_all() - reader.doc_count()
        live = max(reader.doc_frequency(self.fieldname, b) for b in btexts) > deleted
        return ConstantMatcher(lambda: self._union(reader, btexts), self.boost, surely_active=live)

    def _union(self, reader: Any, btexts: Iterable[bytes]) -> list[int]:
        """The sorted ids of the live documents holding any of ``btexts``."""
        ids: set[int] = set()
        for btext in btexts:
            for block_ids, _, _ in term_blocks(reader, self.fieldname, btext):
                ids.update(block_ids)
        if ids and reader.has_deletions():
            ids = {i for i in ids if not reader.is_deleted(i)}
        return sorted(ids)


class ConstantMatcher(ListMatcher):  # type: ignore[misc]
    """Sorted document ids at one score, read only when needed, which lets the collector stop early.

    Once Whoosh's collector holds ``limit`` documents at least this good, no later document of this
    matcher (alone, or added to other words' scores) can beat them: its quality says so, and the
    collector skips the rest of the segment, and whole later segments, without reading their ids.

    Args:
        load_ids: returns the sorted ids (called at most once, when first needed).
        weight: the score of every document.
        surely_active: True when the ids are known not to be empty (they are then read only when a
            document is asked for).
    """

    def __init__(self, load_ids: Callable[[], list[int]], weight: float, surely_active: bool = False) -> None:
        self._load = load_ids
        self._loaded: list[int] | None = None
        self._surely_active = surely_active
        super().__init__(None, all_weights=weight)

    def is_active(self) -> bool:
        if self._loaded is None and self._surely_active:
            return True
        return bool(self._i < len(self._ids))

    @property
    def _ids(self) -> list[int]:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    @_ids.setter
    def _ids(self, ids: list[int] | None) -> None:
        if ids is not None:
            self._loaded = ids

    def copy(self) -> ConstantMatcher:
        twin = ConstantMatcher(self._load, self._all_weights, self._surely_active)
        twin._loaded, twin._i = self._loaded, self._i
        return twin

    def replace(self, minquality: float = 0) -> Any:
        if minquality and self._all_weights <= minquality:
            return NullMatcher()  # nothing here can beat what the collector holds: not even read
        return super().replace(minquality)

    def supports_block_quality(self) -> bool:
        return True

    def max_quality(self) -> float:
        return float(self._all_weights)

    def block_quality(self) -> float:
        return float(self._all_weights)

    def skip_to_quality(self, minquality: float) -> int:
        if self._all_weights <= minquality:
            self._i = len(self._ids)
            return 1
        return 0

    def next(self) -> bool:
        self._i += 1
        return True  # "a new block": the collector then checks the quality again

    def skip_to(self, id: int) -> None:
        if not self.is_active():
            raise ReadTooFar
        if id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)


class UnionRange(IdUnionMixin, query.TermRange):  # type: ignore[misc]
    """A term range (dates) matched as one id union."""


class CappedPrefix(IdUnionMixin, query.Prefix):  # type: ignore[misc]
    """A Prefix query over a few spellings of the prefix (as typed and as stemmed), capped."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0,
                 alternates: tuple[str, ...] = ()) -> None:
        super().__init__(fieldname, text, boost=boost)
        self.alternates = alternates

    def _btexts(self, ixreader: Any) -> list[bytes]:
        return most_frequent_terms(ixreader, self.fieldname, (self.text, *self.alternates))

    @property
    def prefixes(self) -> tuple[str, ...]:
        """Every spelling of the prefix that is expanded."""
        return (self.text, *self.alternates)


class CappedWildcard(IdUnionMixin, query.Wildcard):  # type: ignore[misc]
    """A glob (``c?ts``) over a few spellings of it (as typed and as stemmed: "c?t"), capped."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0,
                 alternates: tuple[str, ...] = ()) -> None:
        super().__init__(fieldname, text, boost=boost)
        self.alternates = alternates

    def normalize(self) -> query.Query:
        # Whoosh's own normalize() turns "robo*" into a plain (uncapped) Prefix; keep ours.
        text = self.text
        if "?" not in text and text.endswith("*") and text.find("*") == len(text) - 1:
            return CappedPrefix(self.fieldname, text[:-1], boost=self.boost)
        return self

    def _btexts(self, ixreader: Any) -> list[bytes]:
        found: dict[bytes, None] = {}
        for glob in (self.text, *self.alternates):
            pattern = re.compile(fnmatch.translate(glob))
            found.update(dict.fromkeys(most_frequent_terms(ixreader, self.fieldname, [_literal_prefix(glob)],
                                                           pattern)))
        return sorted(found)[:MAX_EXPANSION]

    @property
    def literal_prefix(self) -> str:
        """The text before the first wildcard character."""
        return _literal_prefix(self.text)

    @property
    def regexes(self) -> tuple[re.Pattern[str], ...]:
        """Each spelling of the glob as a regular expression over whole words."""
        return tuple(re.compile(fnmatch.translate(glob)) for glob in (self.text, *self.alternates))


def _literal_prefix(glob: str) -> str:
    return str(re.split(r"[*?\[]", glob, maxsplit=1)[0])


def expanded_terms(q: query.Query, reader: Any) -> Iterator[tuple[str, bytes]]:
    """The (field, term) pairs a capped query expands to in ``reader`` (for tests and diagnostics)."""
    for leaf in [q] if q.is_leaf() else q.leaves():
        if isinstance(leaf, query.MultiTerm):
            for btext in leaf._btexts(reader):
                yield leaf.fieldname, btext
