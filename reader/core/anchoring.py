"""Highlight anchors after the W3C Web Annotation selectors, re-placed on changed text.

An anchor is a TextQuoteSelector (the exact quote and up to 32 characters of context each side) plus a
TextPositionSelector (start, end) over an issue's plain text. ``resolve_anchor`` places it again on a
text that may have changed: the old position if it still holds the quote, else the exact quote whose
context agrees best, else a close (fuzzy) match found through the context and the quote's ends.
A quote that is not reasonably there resolves to None (the highlight is "detached", never moved to
a wrong place). Everything here is a pure function over strings; indexes are Python str indexes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from reader.core.errors import ReaderError
from reader.core.types import TextSpan

CONTEXT_CHARS = 32
"""How many characters of context an anchor keeps on each side of its quote."""

MIN_SIMILARITY = 0.75
"""How close (0..1) a changed passage must be to the quote for a fuzzy match to be accepted."""

_MIN_CONTEXT_AGREEMENT = 0.5  # of the two context sides together, for an exact quote elsewhere
_DISTINCTIVE_QUOTE = 16  # a unique exact quote this long is trusted even without context
_SEEDS_PER_KEY = 8  # occurrences of each search key considered, nearest to the old position first
_EXACT_CANDIDATES = 32
_KEY_CHARS = 16
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


class InvalidRangeError(ReaderError, ValueError):
    """A highlight range that is empty or outside the text."""


@dataclass(frozen=True)
class Anchor:
    """Where a highlight is: the quoted text, its context and its position when it was made.

    Attributes:
        quote: the exact highlighted text (W3C TextQuoteSelector ``exact``).
        prefix: up to 32 characters before the quote.
        suffix: up to 32 characters after the quote.
        start: index of the quote's first character in the text (TextPositionSelector).
        end: index just past the quote's last character.
    """

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int


def make_anchor(text: str, start: int, end: int) -> Anchor:
    """The anchor of ``text[start:end]``, exactly as selected.

    Args:
        text: the issue's plain text.
        start: index of the first selected character.
        end: index just past the last selected character.

    Returns:
        The Anchor.

    Raises:
        InvalidRangeError: the range is empty or not inside the text.
    """
    if not 0 <= start < end <= len(text):
        raise InvalidRangeError(
            f"The range {start}..{end} is not a selection in a text of {len(text)} characters"
        )
    prefix = text[max(0, start - CONTEXT_CHARS) : start]
    return Anchor(text[start:end], prefix, text[end : end + CONTEXT_CHARS], start, end)


def resolve_anchor(anchor: Anchor, text: str) -> TextSpan | None:
    """Place an anchor on a text, which may differ from the one it was made on.

    Args:
        anchor: the stored anchor.
        text: the current plain text.

    Returns:
        The span of the quote (or of its closest acceptable variant) in ``text``, or None when the
        quote is no longer reasonably there (the highlight is then detached).
    """
    if not anchor.quote or not text:
        return None
    start, end = anchor.start, anchor.end
    if 0 <= start < end <= len(text) and text[start:end] == anchor.quote:
        return TextSpan(start, end)
    return _exact_match(anchor, text) or _fuzzy_match(anchor, text)


# -- exact quote elsewhere ---------------------------------------------------------------------


def _exact_match(anchor: Anchor, text: str) -> TextSpan | None:
    quote = anchor.quote
    starts = set(_nearest(text, quote, anchor.start, _EXACT_CANDIDATES))
    starts.update(_context_anchored_starts(anchor, text))
    if not starts:
        return None
    scored = [(_context_score(anchor, text, s, s + len(quote)), -abs(s - anchor.start), s) for s in starts]
    agreement, _, best = max(scored)
    trusted = len(starts) == 1 and len(quote) >= _DISTINCTIVE_QUOTE and text.count(quote) == 1
    if agreement >= _MIN_CONTEXT_AGREEMENT or trusted:
        return TextSpan(best, best + len(quote))
    return None


def _context_anchored_starts(anchor: Anchor, text: str) -> Iterable[int]:
    """Occurrences of the quote whose whole prefix or whole suffix is still next to it."""
    quote, prefix, suffix = anchor.quote, anchor.prefix, anchor.suffix
    if prefix:
        yield from (p + len(prefix) for p in _nearest(text, prefix + quote, anchor.start, _SEEDS_PER_KEY))
    elif text.startswith(quote):
        yield 0
    if suffix:
        yield from _nearest(text, quote + suffix, anchor.start, _SEEDS_PER_KEY)
    elif text.endswith(quote):
        yield len(text) - len(quote)


def _context_score(anchor: Anchor, text: str, start: int, end: int) -> float:
    """How much of the anchor's context surrounds ``text[start:end]``: 0 (none) to 2 (both sides)."""
    if anchor.prefix:
        before = text[max(0, start - len(anchor.prefix)) : start]
        prefix_score = _common_suffix_len(anchor.prefix, before) / len(anchor.prefix)
    else:
        prefix_score = float(start == 0)
    if anchor.suffix:
        after = text[end : end + len(anchor.suffix)]
        suffix_score = _common_prefix_len(anchor.suffix, after) / len(anchor.suffix)
    else:
        suffix_score = float(end == len(text))
    return prefix_score + suffix_score


def _common_prefix_len(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def _common_suffix_len(a: str, b: str) -> int:
    return _common_prefix_len(a[::-1], b[::-1])


def _nearest(text: str, needle: str, hint: int, limit: int) -> list[int]:
    """Up to ``limit`` start indexes of ``needle`` on each side of ``hint``, nearest first."""
    hint = min(max(hint, 0), len(text))
    found: list[int] = []
    position = hint
    while len(found) < limit and (position := text.find(needle, position)) >= 0:
        found.append(position)
        position += 1
    before: list[int] = []
    end = hint + len(needle) - 1
    while len(before) < limit and (position := text.rfind(needle, 0, end)) >= 0:
        before.append(position)
        end = position + len(needle) - 1
    return found + before


# -- fuzzy ---------------------------------------------------------------------------------------


def _fuzzy_match(anchor: Anchor, text: str) -> TextSpan | None:
    """The best passage close to the quote, found from the context and the quote's two ends."""
    quote = anchor.quote
    slack = max(8, len(quote) // 4)
    starts, ends = _seed_starts(anchor, text), _seed_ends(anchor, text)
    candidates = {(s, _closest(ends, s + len(quote), slack)) for s in starts}
    candidates |= {(_closest(starts, e - len(quote), slack), e) for e in ends}
    best: tuple[float, float, int, int] | None = None
    for start, end in candidates:
        start, end = max(0, start), min(len(text), end)
        if end <= start:
            continue
        similarity = _similarity(quote, text[start:end])
        context = _context_score(anchor, text, start, end)
        recognisable = len(quote) >= _DISTINCTIVE_QUOTE or context >= _MIN_CONTEXT_AGREEMENT
        if similarity < MIN_SIMILARITY or not recognisable:
            continue  # a short quote is only recognisable by its context
        score = (similarity + context / 4, -abs(start - anchor.start))
        if best is None or score > best[:2]:
            best = (*score, start, end)
    return None if best is None else TextSpan(best[2], best[3])


def _seed_starts(anchor: Anchor, text: str) -> set[int]:
    """Likely new starts: just after the prefix's end, or where the quote's head occurs."""
    head = anchor.quote[: _head_len(anchor.quote)]
    seeds = set(_nearest(text, head, anchor.start, _SEEDS_PER_KEY))
    key = anchor.prefix[-_KEY_CHARS:]
    if key:
        seeds.update(p + len(key) for p in _nearest(text, key, anchor.start - len(key), _SEEDS_PER_KEY))
    return seeds


def _seed_ends(anchor: Anchor, text: str) -> set[int]:
    """Likely new ends: just before the suffix's start, or where the quote's tail ends."""
    tail = anchor.quote[-_head_len(anchor.quote) :]
    seeds = {p + len(tail) for p in _nearest(text, tail, anchor.end - len(tail), _SEEDS_PER_KEY)}
    key = anchor.suffix[:_KEY_CHARS]
    if key:
        seeds.update(_nearest(text, key, anchor.end, _SEEDS_PER_KEY))
    return seeds


def _head_len(quote: str) -> int:
    return min(len(quote), max(4, min(2 * _KEY_CHARS, len(quote) // 3)))


def _closest(positions: set[int], target: int, slack: int) -> int:
    """The position within ``slack`` of ``target`` nearest to it, else ``target`` itself."""
    near = [p for p in positions if abs(p - target) <= slack]
    if near:
        return min(near, key=lambda p: abs(p - target))
    return target


def _similarity(quote: str, passage: str) -> float:
    """0..1: characters in common for short quotes, words in common for long ones (fast either way)."""
    if max(len(quote), len(passage)) <= 300:
        a: str | list[str] = quote
        b: str | list[str] = passage
    else:
        a, b = _TOKEN_RE.findall(quote), _TOKEN_RE.findall(passage)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < MIN_SIMILARITY or matcher.quick_ratio() < MIN_SIMILARITY:
        return 0.0  # cheap upper bounds already rule it out
    return matcher.ratio()
