"""The documents holding any of several terms (a prefix, a wildcard, a date range), at one score.

Two costs are avoided. Reading every posting of fifty common terms (``a*``) costs ~100 ms at 10,000
issues, while a page of hits for the prefix alone needs only its first documents: the union is read
a block per term at a time, in document order, as far as it is asked for. And since every document
scores the same, the collector may stop as soon as its page is full: ``ConstantMatcher`` reports its
score as a block quality, which lets it skip the rest of a segment and whole later segments.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.matching import ListMatcher, NullMatcher, ReadTooFar

from reader.core._search.postings import Block, deleted_set, term_blocks

INCREMENTAL_STEPS = 8
"""After this many one-block steps the rest of the union is read at once (set union and sort are C)."""


class TermUnion:
    """The sorted ids of a segment's live documents holding any of ``btexts``, read as needed.

    ``ids`` only ever grows; every id up to its last one is final (each term has been read at least
    that far), so a matcher can walk it while it grows.
    """

    def __init__(self, reader: Any, fieldname: str, btexts: Iterable[bytes]) -> None:
        self.ids: list[int] = []
        self._reader = reader
        btexts = list(btexts)
        self._streams: list[Iterator[Block]] = [term_blocks(reader, fieldname, b) for b in btexts]
        # A term in more documents than the segment has deleted surely has a live one.
        deleted = reader.doc_count_all() - reader.doc_count()
        self.surely_nonempty = any(reader.doc_frequency(fieldname, b) > deleted for b in btexts)
        self._bounds: list[tuple[int, int]] = []  # (last id read from a stream, stream index), a heap
        self._pending: set[int] = set()  # ids read but beyond what is final
        self._steps = 0
        self._started = False  # nothing is read before a document is asked for
        self._deleted_docs: frozenset[int] | None = None

    def _deleted(self) -> frozenset[int]:
        if self._deleted_docs is None:
            self._deleted_docs = deleted_set(self._reader)
        return self._deleted_docs

    def _read_block(self, index: int) -> None:
        block = next(self._streams[index], None)
        if block is not None and len(block[0]):
            self._pending.update(block[0])
            heapq.heappush(self._bounds, (block[0][-1], index))

    def extend_to(self, count: int) -> bool:
        """Read until ``ids`` holds more than ``count`` ids; False when the union is smaller."""
        while len(self.ids) <= count and self._more():
            self._step()
        return len(self.ids) > count

    def extend_past(self, docnum: int) -> None:
        """Read until ``ids`` reaches ``docnum`` or the union is complete."""
        while (not self.ids or self.ids[-1] < docnum) and self._more():
            self._step()

    def complete(self) -> None:
        """Read everything that is left."""
        while self._more():
            self._step()

    def _more(self) -> bool:
        return not self._started or bool(self._pending or self._bounds)

    def _step(self) -> None:
        """Make more ids final: read one more block of the term that is least far, or all the rest."""
        self._steps += 1
        if not self._started:
            self._started = True
            for index in range(len(self._streams)):
                self._read_block(index)
        elif self._steps > INCREMENTAL_STEPS:
            for index in range(len(self._streams)):
                for block in self._streams[index]:
                    self._pending.update(block[0])
            self._bounds = []
        elif self._bounds:
            _, index = heapq.heappop(self._bounds)
            self._read_block(index)
        bound = self._bounds[0][0] if self._bounds else None
        final = self._pending if bound is None else {d for d in self._pending if d <= bound}
        self._pending = set() if bound is None else self._pending - final
        if final and self._reader.has_deletions():
            final = final.difference(self._deleted())
        self.ids.extend(sorted(final))


class ConstantMatcher(ListMatcher):  # type: ignore[misc]
    """The documents of a TermUnion, each scoring ``weight``, for Whoosh's collectors and matchers.

    Once a collector holds a page of documents at least this good, no later document of this matcher
    (alone, or added to other words' scores) can beat them: its quality says so, and the collector
    skips the rest without reading it.
    """

    _i: int

    def __init__(self, union: TermUnion, weight: float, position: int = 0) -> None:
        super().__init__(union.ids, all_weights=weight, position=position)
        self._union = union
        self._skipped = False

    def is_active(self) -> bool:
        if self._skipped:
            return False
        if self._i == 0 and self._union.surely_nonempty:
            return True  # without reading: a collector asks before it decides to skip the segment
        return self._i < len(self._ids) or self._union.extend_to(self._i)

    def id(self) -> int:
        self._union.extend_to(self._i)
        return int(self._ids[self._i])

    def next(self) -> bool:
        self._i += 1
        return True  # "a new block": the collector then checks the quality again

    def skip_to(self, id: int) -> None:
        if not self.is_active():
            raise ReadTooFar
        self._union.extend_past(id)
        if id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)

    def all_ids(self) -> Iterator[int]:
        self._union.complete()
        return iter(self._ids)

    def copy(self) -> ConstantMatcher:
        twin = ConstantMatcher(self._union, self._all_weights, self._i)
        twin._skipped = self._skipped
        return twin

    def replace(self, minquality: float = 0) -> Any:
        if minquality and self._all_weights <= minquality:
            return NullMatcher()  # nothing here can beat what the collector holds: not even read
        return self if self.is_active() else NullMatcher()

    def supports_block_quality(self) -> bool:
        return True

    def max_quality(self) -> float:
        return float(self._all_weights)

    def block_quality(self) -> float:
        return float(self._all_weights)

    def skip_to_quality(self, minquality: float) -> int:
        if self._all_weights <= minquality:
            self._skipped = True  # the rest is never read
            return 1
        return 0
