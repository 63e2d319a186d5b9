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
_NEAR_WINDOW = 4096  # characters each side of the old position searched before the whole text
_KEY_CHARS = 16
_CHAR_LEVEL_MAX = 100  # longer quotes are compared word by word (char-level difflib is quadratic-ish)
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
        raise InvalidRangeError(f"{start}..{end} is not a selection in a text of {len(text)} characters")
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
    # Near the old position first (edits rarely move text far), then the whole text.
    near, whole = _Area.around(text, anchor.start, _NEAR_WINDOW), _Area.around(text, anchor.start, None)
    return (
        _exact_match(anchor, near, min_agreement=1.0)
        or _exact_match(anchor, whole, min_agreement=_MIN_CONTEXT_AGREEMENT)
        or _fuzzy_match(anchor, near)
        or _fuzzy_match(anchor, whole)
    )


@dataclass(frozen=True)
class _Area:
    """Where to look: ``text[lo:hi]``, nearest to ``hint`` first."""

    text: str
    hint: int
    lo: int
    hi: int

    @classmethod
    def around(cls, text: str, hint: int, window: int | None) -> _Area:
        hint = min(max(hint, 0), len(text))
        if window is None:
            return cls(text, hint, 0, len(text))
        return cls(text, hint, max(0, hint - window), min(len(text), hint + window))

    def nearest(self, needle: str, limit: int, hint: int | None = None) -> tuple[list[int], bool]:
        """Up to ``limit`` starts of ``needle`` on each side of the hint, and whether that is all."""
        text, hi = self.text, min(len(self.text), self.hi + len(needle))
        hint = self.hint if hint is None else min(max(hint, self.lo), self.hi)
        after: list[int] = []
        position = hint
        while len(after) < limit and (position := text.find(needle, position, hi)) >= 0:
            after.append(position)
            position += 1
        before: list[int] = []
        end = min(hi, hint + len(needle) - 1)
        while len(before) < limit and (position := text.rfind(needle, self.lo, end)) >= 0:
            before.append(position)
            end = position + len(needle) - 1
        return after + before, len(after) < limit and len(before) < limit


# -- exact quote elsewhere ---------------------------------------------------------------------


def _exact_match(anchor: Anchor, area: _Area, min_agreement: float) -> TextSpan | None:
    """The occurrence of the exact quote whose context agrees best (nearest on ties)."""
    quote, text = anchor.quote, area.text
    occurrences, complete = area.nearest(quote, _EXACT_CANDIDATES)
    if not occurrences:
        return None
    starts = set(occurrences)
    if not complete:  # too many to score them all: add those still next to their whole context
        starts.update(_context_anchored_starts(anchor, area))
    scored = [(_context_score(anchor, text, s, s + len(quote)), -abs(s - anchor.start), s) for s in starts]
    agreement, _, best = max(scored)
    unique = complete and len(starts) == 1 and area.lo == 0 and area.hi == len(text)
    if agreement >= min_agreement or (unique and len(quote) >= _DISTINCTIVE_QUOTE):
        return TextSpan(best, best + len(quote))
    return None


def _context_anchored_starts(anchor: Anchor, area: _Area) -> Iterable[int]:
    """Occurrences of the quote whose whole prefix or whole suffix is still next to it."""
    quote, prefix, suffix, text = anchor.quote, anchor.prefix, anchor.suffix, area.text
    if prefix:
        found, _ = area.nearest(prefix + quote, _SEEDS_PER_KEY, area.hint - len(prefix))
        yield from (p + len(prefix) for p in found)
    elif text.startswith(quote):
        yield 0
    if suffix:
        yield from area.nearest(quote + suffix, _SEEDS_PER_KEY)[0]
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


# -- fuzzy ---------------------------------------------------------------------------------------


def _fuzzy_match(anchor: Anchor, area: _Area) -> TextSpan | None:
    """The best passage close to the quote, found from the context and the quote's two ends."""
    quote, text = anchor.quote, area.text
    slack = max(8, len(quote) // 4)
    starts, ends = _seed_starts(anchor, area), _seed_ends(anchor, area)
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


def _seed_starts(anchor: Anchor, area: _Area) -> set[int]:
    """Likely new starts: just after the prefix's end, or where the quote's head occurs."""
    head = anchor.quote[: _head_len(anchor.quote)]
    seeds = set(area.nearest(head, _SEEDS_PER_KEY)[0])
    key = anchor.prefix[-_KEY_CHARS:]
    if key:
        found, _ = area.nearest(key, _SEEDS_PER_KEY, area.hint - len(key))
        seeds.update(p + len(key) for p in found)
    return seeds


def _seed_ends(anchor: Anchor, area: _Area) -> set[int]:
    """Likely new ends: just before the suffix's start, or where the quote's tail ends."""
    tail = anchor.quote[-_head_len(anchor.quote) :]
    hint_end = area.hint + len(anchor.quote)
    seeds = {p + len(tail) for p in area.nearest(tail, _SEEDS_PER_KEY, hint_end - len(tail))[0]}
    key = anchor.suffix[:_KEY_CHARS]
    if key:
        seeds.update(area.nearest(key, _SEEDS_PER_KEY, hint_end)[0])
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
    if max(len(quote), len(passage)) <= _CHAR_LEVEL_MAX:
        a: str | list[str] = quote
        b: str | list[str] = passage
    else:
        a, b = _TOKEN_RE.findall(quote), _TOKEN_RE.findall(passage)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < MIN_SIMILARITY or matcher.quick_ratio() < MIN_SIMILARITY:
        return 0.0  # cheap upper bounds already rule it out
    return matcher.ratio()


_JOINERS = frozenset("'’-")  # inside a word ("don't", "state-of-the-art"), not at its ends
_SENTENCE_ENDS = frozenset(".!?…")
_PAIRS = {"“": "”", "(": ")", "[": "]"}


def snap_to_words(text: str, start: int, end: int) -> TextSpan | None:
    """A selection of ``text[start:end]`` snapped to whole words, as a person meant it.

    A drag rarely starts and stops on word boundaries: ``). “SayCan … succe`` means
    ``SayCan … success``. A word cut at either end is extended to the whole word; spaces and
    punctuation before the first word and after the last are dropped, except what was selected
    right against the words and belongs to them: a full stop (or ``!``, ``?``, ``…``) after the
    last word, so a whole sentence or paragraph keeps its end, and a quote mark or bracket that
    opens or closes one left open inside the span. A selection with no word in it (an emoji, a
    dash) only loses its spaces.

    Args:
        text: the issue's plain text.
        start: index of the first selected character.
        end: index just past the last selected character.

    Returns:
        The snapped span, or None when nothing but spaces was selected.
    """
    start, end = max(0, start), min(len(text), end)
    first = next((i for i in range(start, end) if _in_word(text, i)), None)
    if first is None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return TextSpan(start, end) if end > start else None
    last = next(i for i in range(end - 1, first - 1, -1) if _in_word(text, i))
    while first > 0 and _in_word(text, first - 1):
        first -= 1
    stop = last + 1
    while stop < len(text) and _in_word(text, stop):
        stop += 1
    while stop < end and text[stop] in _SENTENCE_ENDS:
        stop += 1
    for opener, closer in _PAIRS.items():
        unclosed, unopened = _unpaired(text[first:stop], opener, closer)
        if unclosed and stop < end and text[stop] == closer:
            stop += 1
        if unopened and first > start and text[first - 1] == opener:
            first -= 1
    return TextSpan(first, stop)


def _unpaired(text: str, opener: str, closer: str) -> tuple[bool, bool]:
    """Whether ``text`` leaves an ``opener`` unclosed, and whether it closes one it never opened."""
    depth, unopened = 0, False
    for char in text:
        if char == opener:
            depth += 1
        elif char == closer:
            if depth:
                depth -= 1
            else:
                unopened = True
    return depth > 0, unopened


def _in_word(text: str, i: int) -> bool:
    """Whether ``text[i]`` is part of a word (a letter, digit, or a joiner between two of them)."""
    char = text[i]
    if char.isalnum() or char == "_":
        return True
    return char in _JOINERS and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
