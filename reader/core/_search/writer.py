"""How the index is written: Whoosh's segment writer with field lengths read once, and a merge policy
whose cost a small import can bound.

Whoosh writes a new segment per commit and then asks a merge policy which old segments to rewrite
into it. Its default (``MERGE_SMALL``) waits until about sixteen segments of like size exist and then
rewrites every one of them, however large: at 3,000 issues a 50-issue import paid for rewriting
the whole index. ``tiered_merge`` sorts segments into tiers of ``FANOUT``-fold sizes and merges a
tier only once it holds ``FANOUT`` segments, smallest tier first, and only while the documents it
rewrites stay within the budget the caller gives: a small import merges small segments only; a
large import (whose budget grows with it) pays for the larger merges its own segments caused.
Each document is so rewritten about log_FANOUT(index size / segment size) times in all.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from whoosh import writing
from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.reading import SegmentReader

from reader.core._search.pool import TermPool
from reader.core._search.positions import WordPositions
from reader.core._search.words import WordTokenizer

FANOUT = 8
"""Segments of like size (within a factor of FANOUT) merged together once there are this many."""
MIN_SEGMENT = 64
"""Segments below this many documents count as one tier (a note or a highlight re-indexed alone)."""

MergePolicy = Callable[[Any, Sequence[Any]], list[Any]]


def tier(doc_count: int) -> int:
    """The tier of a segment: 0 below MIN_SEGMENT documents, then one tier per FANOUT-fold size."""
    if doc_count < MIN_SEGMENT:
        return 0
    return 1 + int(math.log(doc_count / MIN_SEGMENT, FANOUT))


def plan_merge(sizes: Sequence[int], budget: int) -> list[int]:
    """Which segments (by index in ``sizes``, their document counts) to merge within ``budget`` documents.

    Tiers are taken smallest first; a tier with FANOUT or more segments is merged, and what it
    makes joins the next tier up, which may then be full in turn (a cascade, as long as the budget
    lasts). A tier too costly for the budget is left for a larger import or ``merge_all``.
    """
    by_tier: dict[int, list[int]] = {}
    for index, size in enumerate(sizes):
        by_tier.setdefault(tier(size), []).append(index)
    chosen: list[int] = []
    carried = 0  # documents merged so far: they become one segment, which joins its own tier
    for level in sorted(by_tier):
        members = by_tier[level]
        joins = 1 if carried and tier(carried) == level else 0
        if len(members) + joins < FANOUT:
            continue
        cost = sum(sizes[i] for i in members)
        if carried + cost > budget:
            break
        chosen.extend(members)
        carried += cost
    return chosen


def tiered_merge(budget: int) -> MergePolicy:
    """A Whoosh merge policy (``writer.commit(mergetype=...)``) rewriting at most ``budget`` documents."""

    def policy(writer: Any, segments: Sequence[Any]) -> list[Any]:
        sizes = [segment.doc_count_all() for segment in segments]
        chosen = set(plan_merge(sizes, budget))
        for index in sorted(chosen):
            reader = SegmentReader(writer.storage, writer.schema, segments[index])
            writer.add_reader(reader)
            reader.close()
        return [segment for index, segment in enumerate(segments) if index not in chosen]

    return policy


class SegmentWriter(writing.SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer with the ``TermPool`` and each document's field lengths read once.

    Whoosh's writer asks the per-document reader for a field length at every posting (a file seek
    and read each: a third of writing a segment); here the lengths of a field are read for every
    document at once, the first time the field is met.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        limitmb = kwargs.get("limitmb", 128)
        self.pool = TermPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        self._plain = not any(f.separate_spelling() or f.vector for _name, f in self.schema.items())

    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``add_document``, with each field's postings handed to the pool at once (and the
        index's own text fields' terms made in one pass, ``WordPositions.index_items``): a third of
        indexing an issue was the generators and calls between the analyzer and the pool. A schema
        with spelling fields or term vectors goes Whoosh's way."""
        if not self._plain:
            super().add_document(**fields)
            return
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                boost = self._field_boost(fields, fieldname, docboost)
                freq = self.pool.add_postings(fieldname, docnum, _index_items(field, value), boost)
                length = freq if field.scorable else 0
            stored = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(stored))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _FieldLengths(pdr) if pdr is not None else None
        if _writes_blocks(self.fieldwriter):
            add_term_postings(self.fieldwriter, self.schema, lengths, self.pool.iter_terms())
        else:
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr is not None:
            pdr.close()


def _index_items(field: Any, value: Any) -> Iterable[tuple[bytes, int, float, bytes | None]]:
    """``field.index(value)``; in one pass for the index's own text fields (``WordPositions``)."""
    if type(field.format) is WordPositions and type(field.analyzer) is WordTokenizer and isinstance(value, str):
        return field.format.index_items(value)
    return field.index(value)  # type: ignore[no-any-return]


def _writes_blocks(fieldwriter: Any) -> bool:
    """Whether the field writer is Whoosh 2.7's default codec's, whose posting blocks we fill whole."""
    return type(fieldwriter) is W3FieldWriter


def add_term_postings(fieldwriter: Any, schema: Any, lengths: _FieldLengths | None,
                      terms: Iterable[tuple[str, bytes, list[tuple[int, float, bytes | None]]]]) -> None:
    """Write sorted terms' postings as Whoosh's ``FieldWriter.add_postings`` does, a block at a time.

    Whoosh hands its postings writer one posting per call (``add_posting``: type checks, block
    statistics, a field-length lookup each): a third of writing a segment. Here each block's ids,
    weights, values and statistics are set at once and written by the codec's own ``_write_block``,
    so the bytes are the same (tested against Whoosh's writer, block statistics included).
    """
    lastfn = None
    column: list[Any] | None = None
    for fieldname, btext, entries in terms:
        postings = [e for e in entries if e[0] != -1]  # docnum -1: a spelling word, never a posting
        if not postings:
            continue
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfn = fieldname
            column = lengths.column(fieldname) if lengths is not None else None
        fieldwriter.start_term(btext)
        postwriter = fieldwriter._postwriter
        size = postwriter._blocklimit
        for start in range(0, len(postings), size):
            if start:
                postwriter._write_block()  # a full block, written when the next posting arrives
            _fill_block(postwriter, postings[start:start + size], column)
        fieldwriter.finish_term()
    if lastfn is not None:
        fieldwriter.finish_field()


def _fill_block(postwriter: Any, block: list[tuple[int, float, bytes | None]], column: list[Any] | None) -> None:
    """Set a postings writer's buffered block as ``add_posting`` would leave it after ``block``."""
    ids = [docnum for docnum, _, _ in block]
    weights = [weight for _, weight, _ in block]
    postwriter._ids = array("I", ids)
    postwriter._weights = array("f", weights)
    postwriter._values = [value for _, _, value in block if value]
    postwriter._maxweight = max(0, *weights)
    lengths = [length for docnum in ids if (length := column[docnum])] if column is not None else []
    postwriter._minlength = min(lengths) if lengths else None
    postwriter._maxlength = max(lengths) if lengths else 0


class _FieldLengths:
    """``doc_field_length`` of a per-document reader, each field's column read once into a list."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._count = reader.doc_count_all()
        self._fields: dict[str, list[Any]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> Any:
        return self.column(fieldname, default)[docnum]

    def column(self, fieldname: str, default: int = 0) -> list[Any]:
        """Every document's length of the field, by document number."""
        column = self._fields.get(fieldname)
        if column is None:
            read = self._reader.doc_field_length
            column = self._fields[fieldname] = [read(doc, fieldname, default) for doc in range(self._count)]
        return column
