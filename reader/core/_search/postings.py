"""Reading a term's postings a block at a time: Whoosh hands them out one posting per Python call.

A posting block holds up to 128 documents. Whoosh 2.7's default codec (whoosh3) stores a term's
blocks one after the other, each as a 4-byte length, a pickled info tuple (count, last id, highest
weight, compression, ...) and a zlib-compressed pickle of (delta-coded ids, weights, values). Its
matcher reads the info a byte at a time through the file object and unpickles the whole block,
values included, to hand out one id: for a phrase's positions that unpickling is a Python call to
``codecs.encode`` per posting, three quarters of the cost of a block.

Here a term's blocks are read from the postings file in one piece, and a block's ids and weights
are unpickled without its values: the data is inflated only as far as the values start, and that
prefix is closed as a pickle of (ids, weights). Values are decoded only for the blocks asked for.
Any other codec, an inlined posting list or a block of another shape is read the public way (the
matcher's own ``_read_*``, or one posting at a time), with the same results.
"""

from __future__ import annotations

import io
import pickle
import zlib
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any, overload

from whoosh.codec.whoosh3 import W3TermsReader
from whoosh.reading import TermNotFound

Block = tuple[Sequence[int], Sequence[float], Sequence[bytes]]
"""A block's document numbers, weights and (when asked for) encoded values such as positions."""

_VALUES_START = b"c_codecs\nencode\n"
"""How a protocol-2 pickle starts its first ``bytes`` value: the values tuple starts right there
(after a MARK when it holds more than three). Neither the ids nor the weights can contain it:
their opcodes (K, M, J, G, t, q, N, ...) recur at least every 9 bytes and none of them is in it."""
_PAIR_END = b"\x86."  # TUPLE2, STOP: the prefix as a pickle of (ids, weights)
_CHEAP_CALL = b"c_operator\nadd\n"  # what the values are unpickled through instead (``_LatinValues``)
_ENCODING = "latin1"
_MARK = 0x28


class RawBlock:
    """One stored posting block: its info at once, its data decoded only as far as it is asked for.

    Attributes:
        count: how many postings it holds.
        max_id: its last (highest) document number.
        max_weight: the highest weight of its postings.
    """

    __slots__ = ("_compressed", "_data", "_fixed", "_ids", "_values", "_weights", "count", "max_id", "max_weight")

    def __init__(self, info: tuple[Any, ...], data: bytes, fixed_size: int | None = None) -> None:
        self.count: int = info[0]
        self.max_id: int = info[1]
        self.max_weight: float = info[2]
        self._compressed = bool(info[3])
        self._data = data
        self._fixed = fixed_size  # the field format's value size (None: variable, as positions)
        self._ids: list[int] | None = None
        self._weights: Sequence[float] = ()
        self._values: Sequence[bytes] | None = None

    def ids(self) -> list[int]:
        """The block's document numbers, ascending."""
        if self._ids is None:
            self._read_ids_weights()
        assert self._ids is not None
        return self._ids

    def weights(self) -> Sequence[float]:
        """The block's weights (term frequencies), in the order of ``ids``."""
        if self._ids is None:
            self._read_ids_weights()
        return self._weights

    def values(self) -> Sequence[bytes]:
        """The block's encoded values (positions), in the order of ``ids``; the whole block is unpickled."""
        if self._values is None:
            data = zlib.decompress(self._data) if self._compressed else self._data
            at = data.find(_VALUES_START) if self._fixed is None or self._fixed < 0 else -1
            if at >= 0:  # each value as text + "latin1": bytes are made only for the values read
                data = data[:at] + _CHEAP_CALL + data[at + len(_VALUES_START):]
            ids, weights, values = pickle.loads(data)  # noqa: S301 - the index's own postings, as Whoosh reads them
            self._set(ids, weights)
            self._values = _LatinValues(values) if at >= 0 else self._split_values(values)
        return self._values

    def _split_values(self, values: Any) -> Sequence[Any]:
        """Values as whoosh3's ``_read_values`` hands them out (fixed-size ones are stored joined)."""
        fixed = self._fixed
        if fixed is None or fixed < 0:
            return values  # type: ignore[no-any-return]
        if fixed == 0:
            return (None,) * self.count
        return tuple(values[i:i + fixed] for i in range(0, len(values), fixed))

    def _read_ids_weights(self) -> None:
        count = self.count
        # Ids take at most 5 bytes each (mostly 2: small gaps), weights 9, the tuples' opcodes and
        # memo a few more: inflate what the usual block needs, and the rest of the bound if short.
        likely, bound = 32 + 11 * count + len(_VALUES_START), 32 + 14 * count + len(_VALUES_START)
        if self._compressed:
            inflater = zlib.decompressobj()
            head = inflater.decompress(self._data, likely)
            pair = _ids_weights(head, count)
            if pair is None and len(head) == likely:
                head += inflater.decompress(inflater.unconsumed_tail, bound - likely)
                pair = _ids_weights(head, count)
        else:
            pair = _ids_weights(self._data[:bound], count)
        if pair is None:
            self.values()  # another shape (no values, or an odd pickle): unpickle all of it
        else:
            self._set(*pair)

    def _set(self, deltas: Sequence[int], weights: Any) -> None:
        self._ids = list(accumulate(deltas))
        if weights is None:  # how whoosh3 stores "every weight 1.0", or all weights equal
            weights = (1.0,) * self.count
        elif isinstance(weights, float):
            weights = (weights,) * self.count
        self._weights = weights


class _LatinValues(Sequence[bytes]):
    """A block's values unpickled as ``operator.add(text, "latin1")`` rather than ``codecs.encode(text, "latin1")``.

    Protocol 2 pickles each ``bytes`` value as a call of ``_codecs.encode`` on its latin-1 text and
    the name of that encoding; ``operator.add`` (also C, without the codec lookup) takes the same
    arguments at 60% of the cost and makes a string the garbage collector does not track. Only the
    values read are made bytes. (A value pickled another way is kept as it is.)
    """

    __slots__ = ("_wrapped",)

    def __init__(self, wrapped: Sequence[Any]) -> None:
        self._wrapped = wrapped

    def __len__(self) -> int:
        return len(self._wrapped)

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [_unwrap(value) for value in self._wrapped[index]]
        return _unwrap(self._wrapped[index])


def _unwrap(value: Any) -> bytes:
    if type(value) is str:
        if not value.endswith(_ENCODING):  # Python's pickler always names latin-1 here
            raise ValueError("a posting value pickled with another encoding")
        return value[:-len(_ENCODING)].encode(_ENCODING)
    return value  # type: ignore[no-any-return]


def _ids_weights(head: bytes, count: int) -> tuple[Sequence[int], Any] | None:
    """(delta-coded ids, weights) from the start of a block's pickle, or None when it is not found."""
    at = head.find(_VALUES_START)
    if at < 0:
        return None
    if count > 3:  # a longer tuple starts with MARK; up to three end with TUPLE1-3 instead
        if head[at - 1] != _MARK:
            return None
        at -= 1
    try:
        pair = pickle.loads(head[:at] + _PAIR_END)  # noqa: S301 - the start of the index's own block
    except Exception:  # any odd pickle: the block is read the plain way
        return None
    if type(pair) is not tuple or len(pair) != 2 or type(pair[0]) is not tuple or len(pair[0]) != count:
        return None
    weights = pair[1]
    if not (weights is None or type(weights) is float or (type(weights) is tuple and len(weights) == count)):
        return None
    return pair[0], weights


def raw_blocks(reader: Any, fieldname: str, btext: bytes) -> list[RawBlock] | None:
    """A term's stored posting blocks in one segment reader (deleted documents included).

    [] when the term is not in the segment; None when its postings are not whoosh3 blocks (another
    codec, or a posting list inlined in the term info): read those with ``term_blocks``.
    """
    stream = block_stream(reader, fieldname, btext)
    return None if stream is None else list(stream)


def block_stream(reader: Any, fieldname: str, btext: bytes) -> Iterator[RawBlock] | None:
    """``raw_blocks`` one block at a time, the postings file read only as far as the blocks taken."""
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        return None
    try:
        info = terms.term_info(fieldname, btext)
    except (KeyError, TermNotFound):
        return iter(())
    if info.is_inlined():
        return None
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh3 reads the length back as a 1-tuple
        length = length[0]
    fixed = reader.schema[fieldname].format.fixed_value_size()
    return _BlockStream(terms._postfile, offset, length, fixed)


_FIRST_READ = 1 << 13
_LARGEST_READ = 1 << 20


class _BlockStream(Iterator[RawBlock]):
    """The blocks of a term's postings (a 4-byte header tag, then one block after another), read
    from the file in chunks that double up to a megabyte: a few reads for a whole common word, one
    small read for the first block of each of fifty prefix terms."""

    def __init__(self, postfile: Any, offset: int, length: int, fixed_size: int | None) -> None:
        self._file = postfile
        self._next = offset  # the file position of the first byte not read yet
        self._end = offset + length
        self._buf = b""
        self._at = 0
        self._chunk = _FIRST_READ
        self._fixed = fixed_size
        self._last = False
        self._take(4)  # the header tag

    def __next__(self) -> RawBlock:
        if self._last:
            raise StopIteration
        length = int.from_bytes(self._take(4), "big", signed=True)
        self._last = length < 0  # the last block's length is negative
        body = self._take(abs(length))
        stream = io.BytesIO(body)
        info = pickle.load(stream)  # noqa: S301 - the index's own block info, as Whoosh reads it
        return RawBlock(info, body[stream.tell():], self._fixed)

    def _take(self, size: int) -> bytes:
        if self._at + size > len(self._buf):
            want = min(max(size - (len(self._buf) - self._at), self._chunk), self._end - self._next)
            self._buf = self._buf[self._at:] + self._file.get(self._next, want)
            self._at, self._next = 0, self._next + want
            self._chunk = min(self._chunk * 2, _LARGEST_READ)
            if size > len(self._buf):
                raise ValueError("a posting list ends inside a block")
        piece = self._buf[self._at:self._at + size]
        self._at += size
        return piece


class LoadedBlock:
    """A block read through the matcher interface (any codec), with the same accessors as RawBlock."""

    __slots__ = ("_ids", "_values", "_weights", "count", "max_id", "max_weight")

    def __init__(self, ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes]) -> None:
        self.count = len(ids)
        self.max_id = ids[-1]
        self.max_weight = max(weights)
        self._ids, self._weights, self._values = list(ids), weights, values

    def ids(self) -> list[int]:
        """The block's document numbers, ascending."""
        return self._ids

    def weights(self) -> Sequence[float]:
        """The block's weights, in the order of ``ids``."""
        return self._weights

    def values(self) -> Sequence[bytes]:
        """The block's encoded values, in the order of ``ids``."""
        return self._values


PostingBlock = RawBlock | LoadedBlock


def blocks_of(reader: Any, fieldname: str, btext: bytes) -> Sequence[PostingBlock]:
    """Every posting block of a term in one segment reader (deleted documents included), in id order.

    Whoosh3 blocks are decoded only as far as asked (``RawBlock``); any other postings are read at
    once through Whoosh's matcher, values included.
    """
    raw = raw_blocks(reader, fieldname, btext)
    if raw is not None:
        return raw
    if (fieldname, btext) not in reader:
        return []
    return [LoadedBlock(*block) for block in _matcher_blocks(reader, fieldname, btext) if len(block[0])]


def term_blocks(reader: Any, fieldname: str, btext: bytes, with_values: bool = False) -> Iterator[Block]:
    """The posting blocks of a term in one segment reader, deleted documents included.

    Args:
        reader: a segment's IndexReader (the caller drops deleted documents: ``deleted_set``).
        fieldname: the field.
        btext: the term as bytes.
        with_values: also read each posting's value (positions); otherwise values are empty.
    """
    stream = block_stream(reader, fieldname, btext)
    for block in blocks_of(reader, fieldname, btext) if stream is None else stream:
        yield block.ids(), block.weights(), block.values() if with_values else ()


def _matcher_blocks(reader: Any, fieldname: str, btext: bytes) -> Iterator[Block]:
    """Blocks through the matcher: whole blocks from a block matcher, else one posting at a time."""
    matcher = reader.postings(fieldname, btext)
    matcher = getattr(matcher, "child", matcher)  # the filter Whoosh puts around a segment with deletions
    if not hasattr(matcher, "_read_ids"):
        yield from _one_by_one(matcher)
        return
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        matcher._read_values()
        yield matcher._ids, matcher._weights, matcher._values
        matcher._next_block()


def deleted_set(reader: Any) -> frozenset[int]:
    """The deleted document numbers of a segment reader, read once (rather than ``is_deleted`` per document)."""
    if not reader.has_deletions():
        return frozenset()
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is not None and hasattr(segment, "deleted_docs"):
        return frozenset(segment.deleted_docs())
    return frozenset(d for d in range(reader.doc_count_all()) if reader.is_deleted(d))


def _one_by_one(matcher: Any) -> Iterator[Block]:
    ids, weights, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value())
        matcher.next()
    if ids:
        yield ids, weights, values
