"""Prefix and wildcard queries whose expansion is capped, so ``a*`` cannot freeze a search."""

from __future__ import annotations

import fnmatch
import heapq
import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from whoosh import query
from whoosh.codec.whoosh3 import W3TermInfo, W3TermsReader
from whoosh.filedb.filetables import OrderedHashReader, _lengths
from whoosh.matching import NullMatcher

from reader.core._search.union import ConstantMatcher, TermUnion

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
    return sorted(btext for btext, _ in _most_frequent(reader, fieldname, prefixes, pattern))


def _most_frequent(reader: Any, fieldname: str, prefixes: Iterable[str],
                   pattern: re.Pattern[str] | None = None) -> list[tuple[bytes, int]]:
    """(term, document frequency) of ``most_frequent_terms``, most frequent first."""
    if fieldname not in reader.schema:
        return []
    field = reader.schema[fieldname]
    candidates: dict[bytes, int] = {}
    for prefix in dict.fromkeys(prefixes):
        for btext, frequency in islice(_prefix_frequencies(reader, fieldname, prefix), MAX_SCANNED):
            if pattern is None or pattern.match(field.from_bytes(btext)):
                candidates[btext] = frequency
    return heapq.nlargest(MAX_EXPANSION, candidates.items(), key=lambda item: item[1])


def _prefix_frequencies(reader: Any, fieldname: str, prefix: str) -> Iterator[tuple[bytes, int]]:
    """(term, document frequency) of a field's terms starting with ``prefix``, in order.

    Whoosh reads each term's key, length and info with a seek and a read of its own (three to four
    a term, a fifth of ``a*``); whoosh3's term file is read here a chunk at a time instead.
    """
    terms = getattr(reader, "_terms", None)
    tindex = getattr(terms, "_tindex", None)
    if not isinstance(terms, W3TermsReader) or not isinstance(tindex, OrderedHashReader):
        return ((btext, info.doc_frequency()) for btext, info in reader.iter_prefix(fieldname, prefix))
    keyprefix = terms._keycoder(fieldname, reader.schema[fieldname].to_bytes(prefix))
    unpack_info = W3TermInfo._struct.unpack_from
    return ((key[_FIELD_NUMBER:], unpack_info(value)[2]) for key, value in _keys_from(tindex, keyprefix))


_FIELD_NUMBER = 2  # a whoosh3 term key is the field's number (2 bytes), then the term
_CHUNK = 1 << 12


def _keys_from(tindex: OrderedHashReader, keyprefix: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(key, value) of an ordered hash file's keys starting with ``keyprefix``, read a chunk at a time."""
    pos = tindex.closest_key_pos(keyprefix)
    if pos is None:
        return
    dbfile, end, size, head = tindex.dbfile, tindex.endofdata, _CHUNK, _lengths.size
    while pos < end:
        buf = dbfile.get(pos, min(size, end - pos))
        at = 0
        while at + head <= len(buf):
            keylen, datalen = _lengths.unpack_from(buf, at)
            stop = at + head + keylen + datalen
            if stop > len(buf):
                break
            key = buf[at + head:at + head + keylen]
            if not key.startswith(keyprefix):
                return
            yield key, buf[at + head + keylen:stop]
            at = stop
        size = size * 2 if at == 0 else size  # a record longer than a chunk
        pos += at


class IdUnionMixin:
    """Match the union of a multi-term query's documents at a constant score (see ``union``).

    Whoosh ORs one scoring matcher per expanded term, which costs microseconds per posting in Python;
    reading the terms' posting blocks into one sorted id list, only as far as needed, is many times
    cheaper, and a prefix or a date range is a filter more than a relevance signal anyway.
    """

    fieldname: str
    boost: float

    def _btexts(self, ixreader: Any) -> Iterable[bytes]:
        raise NotImplementedError

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        if self.fieldname not in reader.schema:
            return NullMatcher()
        return ConstantMatcher(TermUnion(reader, self.fieldname, self._btexts(reader)), self.boost)


class UnionRange(IdUnionMixin, query.TermRange):  # type: ignore[misc]
    """A term range (dates) matched as one id union."""

    def _btexts(self, ixreader: Any) -> Iterable[bytes]:
        return query.TermRange._btexts(self, ixreader)  # type: ignore[no-any-return]

    def normalize(self) -> query.Query:
        """Whoosh's normalize() rebuilds a plain TermRange, which would drop the union matcher."""
        q = super().normalize()
        if type(q) is query.TermRange:
            return UnionRange(q.fieldname, q.start, q.end, q.startexcl, q.endexcl, boost=q.boost)
        return q


class CappedPrefix(IdUnionMixin, query.Prefix):  # type: ignore[misc]
    """A Prefix query over a few spellings of the prefix (as typed and as stemmed), capped."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0,
                 alternates: tuple[str, ...] = ()) -> None:
        super().__init__(fieldname, text, boost=boost)
        self.alternates = alternates

    def _btexts(self, ixreader: Any) -> list[bytes]:
        return most_frequent_terms(ixreader, self.fieldname, (self.text, *self.alternates))

    def terms_by_frequency(self, ixreader: Any) -> list[bytes]:
        """The terms of ``_btexts``, most frequent first (where a document is likeliest found)."""
        return [btext for btext, _ in _most_frequent(ixreader, self.fieldname, (self.text, *self.alternates))]

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
        return sorted(self._frequencies(ixreader))[:MAX_EXPANSION]

    def terms_by_frequency(self, ixreader: Any) -> list[bytes]:
        """The terms of ``_btexts``, most frequent first (where a document is likeliest found)."""
        frequencies = self._frequencies(ixreader)
        return sorted(sorted(frequencies)[:MAX_EXPANSION], key=lambda btext: -frequencies[btext])

    def _frequencies(self, ixreader: Any) -> dict[bytes, int]:
        found: dict[bytes, int] = {}
        for glob in (self.text, *self.alternates):
            pattern = re.compile(fnmatch.translate(glob))
            found.update(_most_frequent(ixreader, self.fieldname, [_literal_prefix(glob)], pattern))
        return found

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
