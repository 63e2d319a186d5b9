"""Reading a term's postings a block at a time: Whoosh hands them out one posting per Python call.

A posting block holds up to 128 documents; reading its ids and weights as arrays costs about what
reading one posting through the matcher interface does, so bulk work (scoring every document of a
common word, the union of a prefix's terms) reads blocks. This relies on the block matcher of
Whoosh 2.7's default codec; any other matcher is read one posting at a time, the public way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

Block = tuple[Sequence[int], Sequence[float], Sequence[bytes]]
"""A block's document numbers, weights and (when asked for) encoded values such as positions."""


def term_blocks(reader: Any, fieldname: str, btext: bytes, with_values: bool = False) -> Iterator[Block]:
    """The posting blocks of a term in one segment reader, deleted documents included.

    Args:
        reader: a segment's IndexReader (the caller drops deleted documents: ``reader.is_deleted``).
        fieldname: the field.
        btext: the term as bytes.
        with_values: also read each posting's value (positions); otherwise values are empty.
    """
    if (fieldname, btext) not in reader:
        return
    matcher = reader.postings(fieldname, btext)
    matcher = getattr(matcher, "child", matcher)  # the filter Whoosh puts around a segment with deletions
    if not hasattr(matcher, "_read_ids"):
        yield from _one_by_one(matcher, with_values)
        return
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        if with_values:
            matcher._read_values()
        yield matcher._ids, matcher._weights, matcher._values if with_values else ()
        matcher._next_block()


def _one_by_one(matcher: Any, with_values: bool) -> Iterator[Block]:
    ids, weights, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value() if with_values else b"")
        matcher.next()
    if ids:
        yield ids, weights, values
