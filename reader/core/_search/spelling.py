""""Did you mean …": a query's unknown words replaced by the nearest words the index holds.

The index holds stems ("technolog"), which are no words to show. So the nearest stem is found with
Whoosh's edit-distance automaton over each segment's terms, and then shown as the word it stands for
in a document that holds it (the spelling closest to what was typed: "technology").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import query
from whoosh.support.levenshtein import damerau_levenshtein

from reader.core._search.query import positive_leaves
from reader.core._search.schema import MARKED_FIELDS
from reader.core._search.snippets import QueryTerms
from reader.core._search.words import RAW_WORD

_Replacement = tuple[int, int, str]  # (start, end, word) in the query text


def suggest(searcher: Any, q: query.Query, text: str) -> str | None:
    """``text`` with each unknown word of ``q`` replaced by the nearest known one; None when none is.

    Args:
        searcher: a Whoosh searcher.
        q: the query parsed from ``text`` (its words carry their character ranges in ``text``).
        text: the query text as parsed (``query.cleaned_text``).
    """
    replacements: dict[tuple[int, int], str] = {}
    for field, term, start, end in _typed_words(q):
        typed = text[start:end]
        if (start, end) in replacements or not RAW_WORD.fullmatch(typed) or searcher.doc_frequency(field, term):
            continue
        best = _nearest_term(searcher, field, term)
        word = _shown_word(searcher, field, best, typed) if best is not None else None
        if word is not None and word != typed.lower():
            replacements[(start, end)] = word
    if not replacements:
        return None
    for (start, end), word in sorted(replacements.items(), reverse=True):
        text = text[:start] + word + text[end:]
    return text


def _typed_words(q: query.Query) -> Iterator[tuple[str, str, int, int]]:
    """(field, term, start, end) of each word of ``q`` outside NOT whose place in the text is known."""
    for leaf in positive_leaves(q):
        if leaf.field() not in MARKED_FIELDS:
            continue
        if type(leaf) is query.Term and isinstance(leaf.text, str) and getattr(leaf, "startchar", None) is not None:
            yield leaf.field(), leaf.text, leaf.startchar, leaf.endchar
        elif type(leaf) is query.Phrase and leaf.char_ranges and len(leaf.char_ranges) == len(leaf.words):
            for word, (start, end) in zip(leaf.words, leaf.char_ranges, strict=True):
                if start is not None:
                    yield leaf.field(), word, start, end


def _nearest_term(searcher: Any, field: str, term: str) -> str | None:
    """The known term nearest to ``term`` (fewest edits, then most documents), sharing its first letter."""
    maxdist = 1 if len(term) <= 4 else 2
    found: set[str] = set()
    for sub, _ in searcher.leaf_searchers():
        found.update(sub.reader().terms_within(field, term, maxdist, prefix=1))
    found.discard(term)
    if not found:
        return None
    return min(found, key=lambda t: (damerau_levenshtein(t, term), -searcher.doc_frequency(field, t), t))


def _shown_word(searcher: Any, field: str, term: str, typed: str) -> str | None:
    """The word of a document holding ``term`` that stands for it, spelled closest to ``typed``."""
    docnum = next(iter(searcher.docs_for_query(query.Term(field, term))), None)
    if docnum is None:
        return None
    fields = searcher.stored_fields(docnum)
    texts = [fields.get("title", ""), *(t for pair in fields.get("texts") or [] for t in pair)]
    words = {w.lower() for w in QueryTerms([term]).matching_words("\n".join(texts))}
    if not words:
        return None
    return min(words, key=lambda w: (damerau_levenshtein(w, typed.lower()), w))
