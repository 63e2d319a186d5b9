"""Where a query's words occur in a text, and short HTML snippets around them.

Whoosh's highlighter re-analyses whole documents through its filter chain and is the slow part of a
search; this module reads words with the same pattern and terms as the index analyzer
(``words.WordTokenizer``) but in one regex pass with a cache.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass

from whoosh import query

from reader.core._search.expansion import CappedPrefix, CappedWildcard
from reader.core._search.query import positive_leaves
from reader.core._search.schema import MARKED_FIELDS
from reader.core._search.words import RAW_WORD, analyse
from reader.core.types import TextSpan

_WORD = RAW_WORD  # the index analyzer's own pattern (``words``)
_SPACE = re.compile(r"\s+")
SNIPPET_WIDTH = 200
_LEAD = 40  # characters of context kept before the first match of a snippet
_CACHE_SIZE = 200_000
_ANALYSED: dict[str, tuple[str, tuple[str, ...]]] = {}
_MAX_ANCHORS = 200  # matches tried as a snippet's first match; later ones rarely beat them


class QueryTerms:
    """The positive words of a query, as the index analyses them, for marking them in text.

    Args:
        stems: analysed words (a word of the text matches when its stem is one of them).
        prefixes: a word matches when it, or its stem, starts with one of these.
        patterns: a word matches when it, or its stem, matches one of these (wildcards).
    """

    def __init__(self, stems: Iterable[str] = (), prefixes: Iterable[str] = (),
                 patterns: Iterable[re.Pattern[str]] = ()) -> None:
        self.stems = frozenset(stems)
        self._spaced = [(stem, f" {stem} ") for stem in self.stems]  # found in " a b c " without splitting it
        self.prefixes = tuple(sorted(set(prefixes)))
        self._globs = bool(patterns)
        alternatives = [re.escape(p) for p in self.prefixes] + [p.pattern for p in patterns]
        # One regex for every prefix and glob: a single C call per word rather than a Python loop.
        self._affixes = re.compile("|".join(alternatives)) if alternatives else None
        self._memo: dict[str, str | None] = {}

    @classmethod
    def from_query(cls, q: query.Query) -> QueryTerms:
        """Collect the words of ``q`` outside NOT, in the text fields that are shown."""
        stems: set[str] = set()
        prefixes: set[str] = set()
        patterns: set[re.Pattern[str]] = set()
        for leaf in positive_leaves(q):
            if leaf.field() not in MARKED_FIELDS:
                continue
            if isinstance(leaf, CappedPrefix):
                prefixes.update(leaf.prefixes)
            elif isinstance(leaf, CappedWildcard):
                patterns.update(leaf.regexes)
            elif isinstance(leaf, query.Phrase):
                stems.update(leaf.words)
            elif isinstance(leaf, query.Term) and isinstance(leaf.text, str):
                stems.add(leaf.text)
        return cls(stems, prefixes, patterns)

    def __bool__(self) -> bool:
        return bool(self.stems) or self._affixes is not None

    @property
    def stems_only(self) -> bool:
        """True when a word matches exactly when its analysed form is one of ``stems``."""
        return self._affixes is None

    @property
    def without_globs(self) -> bool:
        """True when the query has no wildcard pattern (only words and prefixes)."""
        return not self._globs

    def stems_among(self, stems: str) -> set[str]:
        """The query's own analysed words that are in ``stems`` (``word_stems``: space-separated)."""
        padded = f" {stems} "
        return {stem for stem, spaced in self._spaced if spaced in padded}

    def stems_in(self, stems: str) -> set[str]:
        """The analysed words of ``stems`` (``word_stems``: sorted, space-separated) that match:
        the query's own, and those starting with one of its prefixes (found by bisection)."""
        words = stems.split()
        found = set(self.stems.intersection(words))
        for prefix in self.prefixes:
            at = bisect_left(words, prefix)
            while at < len(words) and words[at].startswith(prefix):
                found.add(words[at])
                at += 1
        return found

    def match(self, word: str) -> str | None:
        """The analysed form of ``word`` when it is one of the query's words, else None."""
        if word in self._memo:
            return self._memo[word]
        lower, terms = _analyse(word)
        found = None
        for term in terms:
            if term in self.stems:
                found = term
                break
        if found is None and self._affixes is not None:
            found = _first_matching(self._affixes, (lower, *terms))
        if len(self._memo) < _CACHE_SIZE:
            self._memo[word] = found
        return found

    def matching_words(self, text: str) -> dict[str, str]:
        """The distinct words of ``text`` that match, each with its analysed form (one pass, no positions)."""
        if not self:
            return {}
        memo, found = self._memo, {}
        for word in set(_WORD.findall(text)):
            term = memo[word] if word in memo else self.match(word)  # the memo inlined: a hot loop
            if term is not None:
                found[word] = term
        return found


def _first_matching(pattern: re.Pattern[str], candidates: Iterable[str]) -> str | None:
    """The first of ``candidates`` that ``pattern`` matches at its start, else None."""
    match = pattern.match
    for candidate in candidates:
        if match(candidate):
            return candidate
    return None


def word_stems(text: str) -> str:
    """The distinct analysed words of ``text``, space-separated (as stored with each section)."""
    return " ".join(sorted({term for word in set(_WORD.findall(text)) for term in _analyse(word)[1]}))


def _analyse(word: str) -> tuple[str, tuple[str, ...]]:
    """``word`` lowercased, and its index terms (``words.analyse``); cached, words repeat a lot."""
    cached = _ANALYSED.get(word)
    if cached is None:
        cached = (word.lower(), analyse(word).terms)
        if len(_ANALYSED) < _CACHE_SIZE:
            _ANALYSED[word] = cached
    return cached


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    term: str


def find_matches(terms: QueryTerms, text: str) -> list[_Match]:
    """Every word of ``text`` that matches one of ``terms``, in order (one regex pass over the text)."""
    if not terms:
        return []
    memo, match, found = terms._memo, terms.match, []
    for m in _WORD.finditer(text):
        word = m.group()
        term = memo[word] if word in memo else match(word)  # the memo inlined: a hot loop
        if term is not None:
            found.append(_Match(m.start(), m.end(), term))
    return found


def match_spans(terms: QueryTerms, text: str) -> list[TextSpan]:
    """Where ``terms`` occur in ``text`` as Python string index ranges."""
    return [TextSpan(m.start, m.end) for m in find_matches(terms, text)]


def best_section(terms: QueryTerms, sections: Sequence[tuple[str, str]],
                 stems: Sequence[tuple[str, str]] | None = None) -> int:
    """The section whose heading and text match most distinct words; -1 when none matches.

    A word in the heading adds half a point more, so a heading breaks ties without outweighing a
    section whose text holds more of the query.

    Args:
        terms: the query's words.
        sections: (heading, text) pairs.
        stems: for each section, ``word_stems`` of its heading and of its text, stored at indexing
            time: when the query has no prefix or wildcard, sets of stems answer without reading
            the texts again (the same answer: a word matches exactly when its stem is a query stem).
    """
    found: list[tuple[Set[str], Set[str]]]
    if stems is not None and terms.stems_only and len(stems) == len(sections):
        found = [(terms.stems_among(h), terms.stems_among(t)) for h, t in stems]
    elif stems is not None and terms.without_globs and len(stems) == len(sections):
        # A prefix: the sections' stored stems, searched by bisection, rather than every word of every
        # section through the prefix regex (what made "a*" the slowest query). Counted by stem, so
        # "running" and "runs" are one word here.
        found = [(terms.stems_in(h), terms.stems_in(t)) for h, t in stems]
    else:
        found = [(set(terms.matching_words(heading).values()), set(terms.matching_words(text).values()))
                 for heading, text in sections]
    best, best_score = -1, 0.0
    for i, (in_heading, in_text) in enumerate(found):
        score = len(in_heading | in_text) + 0.5 * len(in_heading)
        if score > best_score:
            best, best_score = i, score
    return best


def make_snippet(text: str, matches: Sequence[_Match], width: int = SNIPPET_WIDTH) -> str:
    """About ``width`` characters of ``text`` on one line, HTML-escaped, matched words in ``<b>``."""
    start = _window_start(text, matches, width)
    end = _word_end(text, min(len(text), start + width))
    parts = ["…"] if start > 0 else []
    pos = start
    for m in matches:
        if m.start < start or m.end > end:
            continue
        parts += [_escape(text[pos:m.start]), "<b>", _escape(text[m.start:m.end]), "</b>"]
        pos = m.end
    parts.append(_escape(text[pos:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts).strip()


def _window_start(text: str, matches: Sequence[_Match], width: int) -> int:
    """Start of the window holding the most distinct matched words (the earliest of the best)."""
    if not matches:
        return _word_start(text, 0)
    best_start, best_key = matches[0].start, (0, 0)
    for i, first in enumerate(matches[:_MAX_ANCHORS]):
        limit = first.start + width - _LEAD
        inside = []
        for m in matches[i:]:
            if m.end > limit:
                break
            inside.append(m.term)
        key = (len(set(inside)), len(inside))
        if key > best_key:
            best_start, best_key = first.start, key
    # Near the end of the text, start earlier so the snippet still shows ``width`` characters.
    return _word_start(text, max(0, min(best_start - _LEAD, len(text) - width)))


def _word_start(text: str, pos: int) -> int:
    """``pos`` moved forward past a partly cut word (and leading spaces)."""
    if pos > 0 and not text[pos - 1].isspace():
        space = text.find(" ", pos, pos + 20)
        pos = space + 1 if space >= 0 else pos
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _word_end(text: str, pos: int) -> int:
    """``pos`` moved back to the end of the last whole word."""
    if pos >= len(text) or text[pos].isspace():
        return pos
    space = text.rfind(" ", pos - 20, pos)
    return space if space > 0 else pos


def _escape(text: str) -> str:
    return html.escape(_SPACE.sub(" ", text), quote=False)


def section_snippet(terms: QueryTerms, sections: Sequence[tuple[str, str]],
                    stems: Sequence[tuple[str, str]] | None = None) -> tuple[str, str]:
    """The best-matching section's heading and a snippet of its text.

    When no section matches (the query matched the title or only filtered), the heading is "" and the
    snippet is the start of the first section with text. ``stems`` as for ``best_section``.
    """
    index = best_section(terms, sections, stems)
    if index >= 0:
        heading, text = sections[index]
        return heading, make_snippet(text, find_matches(terms, text))
    first_text = next((text for _, text in sections if text.strip()), "")
    return "", make_snippet(first_text, [])
