"""The positions format of the index's text fields: Whoosh's own encoding, computed in one pass.

Whoosh's ``Positions.word_values`` runs the analyzer token by token (a Token object per word,
then a filter generator) and collects positions in dictionaries: a fifth of an import's time. For
the index's own analyzer (``WordTokenizer``) this format reads ``words.term_positions`` instead:
the same terms, positions and weights (every token's boost is 1), encoded by Whoosh's own
``Positions.encode``, so postings, phrase matching and the posting-block reader are unchanged.
Any other analyzer or mode goes through Whoosh's way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import formats

from reader.core._search.words import WordTokenizer, term_positions


class WordPositions(formats.Positions):  # type: ignore[misc]
    """``formats.Positions`` with a fast path for ``WordTokenizer`` at indexing time."""

    def index_items(self, value: str) -> list[tuple[bytes, int, float, bytes]]:
        """What ``fields.TEXT.index(value)`` yields through ``word_values`` for ``WordTokenizer``, as one
        list of (term bytes, frequency, weight, encoded positions): the writer hands them to its pool
        at once (the generators in between cost a third of indexing them)."""
        return [(term.encode("utf-8"), freq, weight, encoded) for term, freq, weight, encoded in self._terms(value)]

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        """(term, frequency, weight, encoded positions) of every term of ``value``."""
        if kwargs.get("mode") != "index" or type(analyzer) is not WordTokenizer or not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        yield from self._terms(value)

    def _terms(self, value: str) -> list[tuple[str, int, float, bytes]]:
        boost = self.field_boost
        encode = self.encode
        single = _SINGLE
        found = []
        for term, positions in term_positions(value).items():
            if len(positions) == 1:  # most terms of an issue occur once: their encoding is cached by position
                pos = positions[0]
                encoded = single.get(pos)
                if encoded is None:
                    encoded = encode(positions)
                    if len(single) < _SINGLE_CACHE:
                        single[pos] = encoded
                found.append((term, 1, boost, encoded))
            else:
                found.append((term, len(positions), len(positions) * boost, encode(positions)))
        return found


_SINGLE_CACHE = 100_000
_SINGLE: dict[int, bytes] = {}
"""``Positions.encode([pos])`` by position (a few bytes each)."""
