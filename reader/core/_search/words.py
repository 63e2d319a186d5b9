"""How text becomes the words the index holds: one analysis for the index, the query parser and the snippets.

Whoosh's ``StemmingAnalyzer`` cut ``C++``, ``C#`` and ``F#`` down to a one-letter word it then
dropped (so they could not be found at all), ``e-mail`` into ``mail`` and ``GPT-4`` into ``gpt``.
Here a word may carry a programming-language suffix (``++``, ``#``) or a leading dot (``.NET``),
and a hyphenated word is indexed both as its parts and joined (``wi-fi`` -> ``wi``, ``fi`` and
``wifi``), so ``Wi-Fi``, ``wifi`` and ``wi fi`` find each other, and ``e-mail`` finds ``email``.

Everything else is as before: words are lowercased, stop words and one-character words are
dropped (positions renumbered around them), and each word is Porter-stemmed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.lang.porter import stem

RAW_WORD = re.compile(
    r"\w+(?:[.\-]\w+)*"  # words, dotted (U.S, node.js, 3.5) and hyphenated (wi-fi, gpt-3.5-turbo)
    r"(?:(?:\+\+|#)(?![\w+#]))?"  # C++, C#, F#
    r"|\.(?<![\w.]\.)(?=[^\W\d_])\w+"  # .NET, .js: a dot that starts a name (not "3.5", not "a.b")
)
"""One word as written; Whoosh's own pattern was ``\\w+(\\.?\\w+)*``.

Written for speed (finding the words is two thirds of analysing a text): words first, and the
dot's look-behind checked only at a dot, not at every character (a fifth faster).
``test_search_words`` checks it finds what the pattern first written found."""

MIN_SIZE = 2
_CACHE_SIZE = 200_000


class Analysed(NamedTuple):
    """The index terms of one word as written.

    Attributes:
        parts: the terms of its hyphen-separated parts, in order (stop words and one-character
            parts left out); the word's only term when it has no hyphen.
        joined: for a hyphenated word, its parts written together and stemmed ("wifi"); else None.
        complete: True when no part was left out for being one character: then the parts, as a
            phrase, say the same as the joined word (``wi fi``); ``e-mail`` without its ``e`` does not.
    """

    parts: tuple[str, ...]
    joined: str | None
    complete: bool

    @property
    def terms(self) -> tuple[str, ...]:
        """Every term the index holds for the word."""
        return self.parts if self.joined is None or self.joined in self.parts else (self.joined, *self.parts)


_ANALYSED: dict[str, Analysed] = {}
_STEMS: dict[str, str] = {}


def stem_word(lower: str) -> str:
    """The Porter stem of a lowercased word (cached: words repeat a lot)."""
    found = _STEMS.get(lower)
    if found is None:
        found = str(stem(lower))
        if len(_STEMS) < _CACHE_SIZE:
            _STEMS[lower] = found
    return found


def _term(piece: str) -> str | None:
    lower = piece.lower()
    if len(lower) < MIN_SIZE or lower in STOP_WORDS:
        return None
    return stem_word(lower)


def analyse(word: str) -> Analysed:
    """The index terms of one word as ``RAW_WORD`` finds it (cached)."""
    found = _ANALYSED.get(word)
    if found is not None:
        return found
    if "-" in word:
        pieces = word.split("-")
        parts = tuple(t for t in map(_term, pieces) if t is not None)
        found = Analysed(parts, _term("".join(pieces)), all(len(p) >= MIN_SIZE for p in pieces))
    else:
        term = _term(word)
        found = Analysed(() if term is None else (term,), None, True)
    if len(_ANALYSED) < _CACHE_SIZE:
        _ANALYSED[word] = found
    return found


def index_terms(text: str) -> Iterator[tuple[str, int, int, int]]:
    """(term, position, start, end) of every term the index holds for ``text``.

    A hyphenated word's joined term shares the position of its first part, so a phrase of the
    parts ("wi fi router") still finds the hyphenated text.
    """
    pos = 0
    for match in RAW_WORD.finditer(text):
        analysed = analyse(match.group())
        start, end = match.span()
        joined = analysed.joined
        if joined is not None and joined not in analysed.parts:
            yield joined, pos, start, end
            if not analysed.parts:
                pos += 1
        for part in analysed.parts:
            yield part, pos, start, end
            pos += 1


_STEPS: dict[str, tuple[tuple[tuple[str, int], ...], int]] = {}
_ONE_TERM: dict[str, str] = {}
"""The words whose ``term_steps`` are one term that moves the position by one (most words), with that
term, and the stop words, with "" (no term, the position stays): ``term_positions``' short way."""


def term_steps(word: str) -> tuple[tuple[tuple[str, int], ...], int]:
    """``index_terms`` of one word as (term, position offset) pairs and how far it moves the position (cached)."""
    found = _STEPS.get(word)
    if found is None:
        analysed = analyse(word)
        steps: list[tuple[str, int]] = []
        offset = 0
        joined = analysed.joined
        if joined is not None and joined not in analysed.parts:
            steps.append((joined, 0))
            if not analysed.parts:
                offset = 1
        for part in analysed.parts:
            steps.append((part, offset))
            offset += 1
        found = (tuple(steps), offset)
        if len(_STEPS) < _CACHE_SIZE:
            _STEPS[word] = found
            if found == ((), 0) or (offset == 1 and len(steps) == 1 and steps[0][1] == 0):
                _ONE_TERM[word] = steps[0][0] if steps else ""
    return found


def term_positions(text: str) -> dict[str, list[int]]:
    """Each term the index holds for ``text`` with its positions: ``index_terms`` without the spans, in one pass.

    What indexing needs (no character offsets); several times faster than going through tokens.
    """
    positions: dict[str, list[int]] = {}
    pos = 0
    one_term = _ONE_TERM.get
    for word in RAW_WORD.findall(text):
        term = one_term(word)
        if term is None:  # a hyphenated word, or one not seen yet
            steps, advance = term_steps(word)
            for term, offset in steps:
                at = positions.get(term)
                if at is None:
                    positions[term] = [pos + offset]
                else:
                    at.append(pos + offset)
            pos += advance
        elif term:
            at = positions.get(term)
            if at is None:
                positions[term] = [pos]
            else:
                at.append(pos)
            pos += 1
    return positions


def query_terms(text: str) -> Iterator[tuple[str, int, int]]:
    """(term, start, end) of the words of a phrase as typed in a query, in order.

    A hyphenated word gives its parts when they say the same as the whole ("wi fi"), else its
    joined term ("email" for "e-mail": the "e" alone is not indexed).
    """
    for match in RAW_WORD.finditer(text):
        analysed = analyse(match.group())
        start, end = match.span()
        if analysed.joined is not None and not analysed.complete:
            yield analysed.joined, start, end
        else:
            for part in analysed.parts:
                yield part, start, end


class WordTokenizer(Tokenizer):  # type: ignore[misc]
    """The analyzer of every text field: ``index_terms`` when indexing, ``query_terms`` for queries.

    A Whoosh tokenizer that also lowercases, drops stop words and stems (one pass rather than a
    chain of filters). Pickled into the index's table of contents, so it keeps no state.
    """

    is_morph = True

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        if not tokenize:  # one word, as a prefix or wildcard is analysed
            lower = value.lower()
            if removestops and (len(lower) < MIN_SIZE or lower in STOP_WORDS):
                return
            terms: Iterator[tuple[str, int, int, int]] = iter([(stem_word(lower), 0, 0, len(value))])
        elif mode == "query":
            terms = ((term, i, start, end) for i, (term, start, end) in enumerate(query_terms(value)))
        else:
            terms = index_terms(value)
        for text, pos, start, end in terms:
            t.text = text
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t
