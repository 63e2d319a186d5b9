"""The writer's posting pool: postings grouped by term as they arrive, spilled to disk a term at a time.

Whoosh's ``PostingPool`` keeps every posting as a ``(field, term, docnum, weight, value)`` tuple,
sorts them all when the segment is written, and past its memory limit pickles them to temporary
runs one posting at a time, then merges the runs posting by posting: at a few thousand issues
per segment that spilling cost as much as indexing the issues. Documents reach the pool in
document order, so a term's postings are already sorted as they arrive: ``TermPool`` appends
each to its term's list, sorts only the terms, and spills a whole term's list at once (a
thousandth of the pickling). The runs are merged term by term; a term found in several runs has
its lists joined in run order, which is document order.
"""

from __future__ import annotations

import heapq
import pickle
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from whoosh.util import random_name

Posting = tuple[str, bytes, int, float, bytes | None]
"""What Whoosh's writer hands a pool: (field name, term bytes, document number, weight, encoded value)."""
_Key = tuple[str, bytes]
_Entry = tuple[int, float, bytes | None]

_TERM_BYTES = 150  # a new term: its key tuple, bytes object, list and dict slot (measured with sys.getsizeof)
_POSTING_BYTES = 90  # a posting: its tuple, float, list slot and value object, besides the value's own bytes


class TermPool:
    """A drop-in for Whoosh's ``PostingPool`` (``SegmentWriter.pool``): ``add``, ``iter_postings``, ``cleanup``."""

    def __init__(self, tempstore: Any, segment: Any = None, limitmb: int = 32) -> None:
        self._tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.fieldnames: set[str] = set()
        self._terms: dict[_Key, list[_Entry]] = {}
        self._runs: list[str] = []

    def add(self, item: Posting) -> None:
        """Add one posting; documents must arrive in increasing order (Whoosh's writer does so)."""
        fieldname, text, docnum, weight, value = item
        self.add_postings(fieldname, docnum, ((text, 0, weight, value),), 1.0)

    def add_postings(self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, int, float, bytes | None]],
                     boost: float) -> int:
        """Add one field's postings of one document at once (Whoosh's own writer hands the pool each one as a
        call and a tuple: ``add``); returns the sum of their frequencies.

        ``items`` are ``(term bytes, frequency, weight, encoded value)`` as ``fields.TEXT.index`` gives
        them; each weight is multiplied by ``boost`` (the field's), as Whoosh's writer does.
        """
        terms = self._terms
        size = 0
        length = 0
        for text, freq, weight, value in items:
            key = (fieldname, text)
            entries = terms.get(key)
            if entries is None:
                entries = terms[key] = []
                size += _TERM_BYTES + len(text)
            entries.append((docnum, weight * boost, value))
            size += _POSTING_BYTES + (len(value) if value else 0)
            length += freq
        if size:
            self.fieldnames.add(fieldname)
            self.size += size
            if self.size > self.limit:
                self._spill()
        return length

    def iter_terms(self) -> Iterator[tuple[str, bytes, list[_Entry]]]:
        """Each term's (field, term bytes, [(docnum, weight, value)...]), sorted by field and term,
        its postings in document order (what ``writer.add_term_postings`` writes a block at a time)."""
        if not self._runs:
            terms, self._terms = self._terms, {}
            for key in sorted(terms):
                yield key[0], key[1], terms[key]
            return
        self._spill()
        runs = [self._read_run(path) for path in self._runs]
        last: _Key | None = None
        joined: list[_Entry] = []
        for key, entries in heapq.merge(*runs, key=_first):  # stable: equal terms come in run order
            if key != last:
                if last is not None:
                    yield last[0], last[1], joined
                last, joined = key, []
            joined.extend(entries)
        if last is not None:
            yield last[0], last[1], joined

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting, sorted by field, term and document (what ``add_postings`` expects)."""
        if not self._runs:
            terms, self._terms = self._terms, {}
            for key in sorted(terms):
                fieldname, text = key
                for docnum, weight, value in terms[key]:
                    yield fieldname, text, docnum, weight, value
            return
        self._spill()
        runs = [self._read_run(path) for path in self._runs]
        for key, entries in heapq.merge(*runs, key=_first):  # stable: equal terms come in run order
            fieldname, text = key
            for docnum, weight, value in entries:
                yield fieldname, text, docnum, weight, value

    def cleanup(self) -> None:
        """Remove the temporary runs (after the segment is written, or when the writer is cancelled)."""
        for path in self._runs:
            if self._tempstore.file_exists(path):
                self._tempstore.delete_file(path)
        self._runs = []
        self._terms = {}

    def _spill(self) -> None:
        if not self._terms:
            return
        path = f"{random_name()}.run"
        file: BinaryIO = self._tempstore.create_file(path).raw_file()
        with file:
            for key in sorted(self._terms):  # one pickle per term: no memo keeping a whole run alive
                pickle.dump((key, self._terms[key]), file, pickle.HIGHEST_PROTOCOL)
        self._runs.append(path)
        self._terms = {}
        self.size = 0

    def _read_run(self, path: str) -> Iterator[tuple[_Key, list[_Entry]]]:
        file: BinaryIO = self._tempstore.open_file(path).raw_file()
        with file:
            while True:
                try:
                    yield pickle.load(file)  # noqa: S301 - our own run file, written just before
                except EOFError:
                    return


def _first(entry: tuple[_Key, list[_Entry]]) -> _Key:
    return entry[0]
