"""Positions across two renderings of the same text (the core's plain text and a view's), and UTF-16 offsets.

The two renderings may differ in whitespace, list markers, a header block the view prepends, nbsp
and zero-width characters. ``TextMap`` aligns their visible characters in order (whitespace and
invisible characters take no part), so a highlight span made in one maps onto the other. Qt counts
positions in UTF-16 code units; ``Utf16Offsets`` converts Python indexes to them and back.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from reader.core.types import TextSpan

_INVISIBLE_RE = re.compile(r"[\s\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_VISIBLE_RE = re.compile(r"[^\s\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
_KEY = 8  # visible characters that must agree to pick up the alignment after a difference
_NEAR = 256  # how far to look for that agreement before looking through the whole region
_FAR_SEARCHES = 64  # whole-region searches allowed per region (keeps unrelated texts linear)


@dataclass(frozen=True)
class _Visible:
    """A text's visible characters, where each one is in the text, and its lines' visible parts."""

    chars: str
    positions: list[int]
    line_keys: list[str]
    line_starts: list[int]  # index in ``chars`` where each key starts

    @classmethod
    def of(cls, text: str) -> _Visible:
        positions: list[int] = []
        for word in _VISIBLE_RE.finditer(text):
            positions.extend(range(word.start(), word.end()))
        chars = _INVISIBLE_RE.sub("", text)
        breaks = [bisect_left(positions, m.start()) for m in re.finditer("\n", text)]
        bounds = sorted({0, *breaks, len(chars)})
        starts = [s for s, e in pairwise(bounds) if e > s]
        keys = [chars[s:e] for s, e in pairwise(bounds) if e > s]
        return cls(chars, positions, keys, [*starts, len(chars)])


@dataclass(frozen=True)
class _Runs:
    """Matched stretches ``(src[i], dst[j], length)`` of visible characters, increasing in both."""

    src: list[int]
    dst: list[int]
    length: list[int]

    def swapped(self) -> _Runs:
        return _Runs(self.dst, self.src, self.length)

    def at_or_after(self, k: int) -> tuple[int, int] | None:
        """(source, destination) of visible char ``k`` if matched, else of the next matched one."""
        r = bisect_right(self.src, k) - 1
        if r >= 0 and k < self.src[r] + self.length[r]:
            return k, self.dst[r] + k - self.src[r]
        return (self.src[r + 1], self.dst[r + 1]) if r + 1 < len(self.src) else None

    def at_or_before(self, k: int) -> tuple[int, int] | None:
        """(source, destination) of visible char ``k`` if matched, else of the last matched one before."""
        r = bisect_right(self.src, k) - 1
        if r < 0 or k < 0:
            return None
        offset = min(k - self.src[r], self.length[r] - 1)
        return self.src[r] + offset, self.dst[r] + offset


class TextMap:
    """Maps Python string indexes between two renderings of the same content.

    Args:
        core_text: the core's plain text (what anchors index into).
        view_text: the view's text (for example ``QTextDocument.toPlainText()``).

    Mapping is clamped to the texts and monotonic. A position on a visible character that both
    texts share maps onto that same character; other positions map to the next shared character.
    """

    def __init__(self, core_text: str, view_text: str) -> None:
        self._core, self._view = _Visible.of(core_text), _Visible.of(view_text)
        self._core_len, self._view_len = len(core_text), len(view_text)
        self._forward = _align(self._core, self._view)
        self._backward = self._forward.swapped()

    def to_view(self, i: int) -> int:
        """The view index for core index ``i`` (the start of what follows ``i``)."""
        return _map_start(self._forward, self._core, self._view, self._core_len, self._view_len, i)

    def to_core(self, j: int) -> int:
        """The core index for view index ``j`` (the start of what follows ``j``)."""
        return _map_start(self._backward, self._view, self._core, self._view_len, self._core_len, j)

    def span_to_view(self, span: TextSpan) -> TextSpan:
        """The view span covering the same visible characters as the core ``span``."""
        start = _map_start(self._forward, self._core, self._view, self._core_len, self._view_len, span.start, True)
        end = _map_end(self._forward, self._core, self._view, self._core_len, span.end)
        return TextSpan(start, max(start, end))

    def span_to_core(self, span: TextSpan) -> TextSpan:
        """The core span covering the same visible characters as the view ``span``."""
        start = _map_start(self._backward, self._view, self._core, self._view_len, self._core_len, span.start, True)
        end = _map_end(self._backward, self._view, self._core, self._view_len, span.end)
        return TextSpan(start, max(start, end))


def _map_start(
    runs: _Runs, src: _Visible, dst: _Visible, src_len: int, dst_len: int, i: int, snap: bool = False
) -> int:
    """A shared character maps onto itself; a position between them keeps its offset into the gap
    (or, with ``snap``, moves on to the next shared character)."""
    i = min(max(i, 0), src_len)
    k = bisect_left(src.positions, i)
    following = runs.at_or_after(k)
    if following is not None and (snap or src.positions[following[0]] == i):
        return dst.positions[following[1]]
    upper = dst_len if following is None else dst.positions[following[1]]
    preceding = runs.at_or_before(k - 1)
    if preceding is None:
        return min(upper, i)
    src_gap, dst_gap = src.positions[preceding[0]] + 1, dst.positions[preceding[1]] + 1
    return min(upper, dst_gap + i - src_gap)


def _map_end(runs: _Runs, src: _Visible, dst: _Visible, src_len: int, i: int) -> int:
    """Just past the last shared character before ``i`` (so spans do not grow into gaps)."""
    k = bisect_left(src.positions, min(max(i, 0), src_len))
    preceding = runs.at_or_before(k - 1)
    return 0 if preceding is None else dst.positions[preceding[1]] + 1


def _align(a: _Visible, b: _Visible) -> _Runs:
    """Line by line first (cheap, and it keeps repeated lines such as a title in place), then
    character by character inside the stretches of lines that differ."""
    if a.chars == b.chars:
        return _Runs([0], [0], [len(a.chars)]) if a.chars else _Runs([], [], [])
    runs: list[tuple[int, int, int]] = []
    matcher = difflib.SequenceMatcher(None, a.line_keys, b.line_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ai, ae, bj, be = a.line_starts[i1], a.line_starts[i2], b.line_starts[j1], b.line_starts[j2]
        if tag == "equal":
            runs.append((ai, bj, ae - ai))
        elif tag == "replace":
            runs.extend(_walk(a.chars, ai, ae, b.chars, bj, be))
    runs = [r for r in runs if r[2] > 0]
    return _Runs([r[0] for r in runs], [r[1] for r in runs], [r[2] for r in runs])


def _walk(a: str, i: int, i_end: int, b: str, j: int, j_end: int) -> list[tuple[int, int, int]]:
    """Align ``a[i:i_end]`` with ``b[j:j_end]`` by runs of equal characters, skipping differences."""
    runs: list[tuple[int, int, int]] = []
    far_searches = _FAR_SEARCHES
    while i < i_end and j < j_end:
        n = _run_length(a, i, i_end, b, j, j_end)
        if n:
            runs.append((i, j, n))
            i, j = i + n, j + n
            continue
        skip = _resync(a, i, i_end, b, j, j_end, far_searches > 0)
        if skip is None:
            far_searches -= 1
            skip = (1, 1)  # an unmatched character on each side
        i, j = i + skip[0], j + skip[1]
    return runs


def _run_length(a: str, i: int, i_end: int, b: str, j: int, j_end: int) -> int:
    """How many characters agree from ``a[i]`` and ``b[j]`` on (galloping, so long runs are cheap)."""
    limit, n, step = min(i_end - i, j_end - j), 0, 1
    while n < limit:
        size = min(step, limit - n)
        if a[i + n : i + n + size] == b[j + n : j + n + size]:
            n, step = n + size, step * 2
        elif size == 1:
            break
        else:
            step = max(1, size // 2)
    return n


def _resync(a: str, i: int, i_end: int, b: str, j: int, j_end: int, search_far: bool) -> tuple[int, int] | None:
    """The cheapest (skip in a, skip in b) after which characters agree again, nearby first."""
    for di, dj in ((0, 1), (1, 0), (1, 1)):  # one marker, one dropped or one changed character
        if _agree(a, i + di, i_end, b, j + dj, j_end, min(_KEY, i_end - i - di, j_end - j - dj)):
            return di, dj
    attempts = [(_KEY, _NEAR), (3, _NEAR), (1, _NEAR)]
    if search_far:
        attempts.append((_KEY, max(i_end - i, j_end - j)))
    for key, window in attempts:
        key = min(key, i_end - i, j_end - j)
        options = []
        found = b.find(a[i : i + key], j + 1, min(j_end, j + window + key))
        if found >= 0:
            options.append((0, found - j))
        found = a.find(b[j : j + key], i + 1, min(i_end, i + window + key))
        if found >= 0:
            options.append((found - i, 0))
        options.extend((d, d) for d in range(2, 4) if _agree(a, i + d, i_end, b, j + d, j_end, key))
        if options:
            return min(options, key=sum)
    return None


def _agree(a: str, i: int, i_end: int, b: str, j: int, j_end: int, key: int) -> bool:
    return key >= 1 and i + key <= i_end and j + key <= j_end and a[i : i + key] == b[j : j + key]


class Utf16Offsets:
    """Converts between Python indexes (code points) and UTF-16 code-unit offsets of one text.

    Args:
        text: the text; characters outside the Basic Multilingual Plane (emoji) are 2 units.
    """

    def __init__(self, text: str) -> None:
        self._length = len(text)
        self._astral = [m.start() for m in _ASTRAL_RE.finditer(text)]
        self._astral_units = [p + k for k, p in enumerate(self._astral)]

    def to_utf16(self, i: int) -> int:
        """The UTF-16 offset of Python index ``i`` (clamped to the text)."""
        i = min(max(i, 0), self._length)
        return i + bisect_left(self._astral, i)

    def from_utf16(self, u: int) -> int:
        """The Python index of UTF-16 offset ``u`` (clamped; inside a surrogate pair, its start)."""
        u = min(max(u, 0), self._length + len(self._astral))
        return u - bisect_left(self._astral_units, u)


@lru_cache(maxsize=8)
def _offsets(text: str) -> Utf16Offsets:
    return Utf16Offsets(text)


def to_utf16(text: str, i: int) -> int:
    """The UTF-16 code-unit offset of Python index ``i`` in ``text`` (tables cached per text)."""
    return _offsets(text).to_utf16(i)


def from_utf16(text: str, u: int) -> int:
    """The Python index of UTF-16 code-unit offset ``u`` in ``text`` (tables cached per text)."""
    return _offsets(text).from_utf16(u)
