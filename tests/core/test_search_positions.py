"""The index's one-pass positions format gives exactly what Whoosh's own Positions format gives."""

from __future__ import annotations

import pytest
from whoosh import formats

from reader.core._paths import sample_paths
from reader.core._search.positions import WordPositions
from reader.core._search.schema import ANALYZER, build_schema
from reader.core._search.words import WordTokenizer

SAMPLES = sample_paths()
# Hyphens, technical terms, stop words, one-letter words, numbers, dots, repeated words, unicode.
EDGE_TEXT = ("Wi-Fi e-mail C++ C# F# .NET GPT-3.5-turbo a-b x- -y the-end U.S. node.js 3.5 and-or "
             "state-of-the-art I a an the model models modelling Zürich naïve café 東京 x-ray x-ray")

def _whoosh_values(text: str) -> list[tuple[str, int, float, bytes]]:
    return sorted(formats.Positions().word_values(text, WordTokenizer(), mode="index"))

@pytest.mark.parametrize("text", [EDGE_TEXT, "", "a the of", *(p.read_text(encoding="utf-8") for p in SAMPLES)])
def test_fast_path_equals_whoosh_positions(text: str) -> None:
    assert SAMPLES  # the bundled samples are real newsletter text
    assert sorted(WordPositions().word_values(text, WordTokenizer(), mode="index")) == _whoosh_values(text)

def test_field_boost_is_applied_as_whoosh_does() -> None:
    fast = sorted(WordPositions(field_boost=2.5).word_values(EDGE_TEXT, WordTokenizer(), mode="index"))
    slow = sorted(formats.Positions(field_boost=2.5).word_values(EDGE_TEXT, WordTokenizer(), mode="index"))
    assert fast == slow

def test_query_mode_and_other_analyzers_take_whoosh_path() -> None:
    from whoosh.analysis import StandardAnalyzer

    text = "Wi-Fi models"
    assert list(WordPositions().word_values(text, StandardAnalyzer(), mode="index")) == list(
        formats.Positions().word_values(text, StandardAnalyzer(), mode="index"))
    assert sorted(WordPositions().word_values(text, ANALYZER, mode="query")) == sorted(
        formats.Positions().word_values(text, ANALYZER, mode="query"))

def test_every_text_field_of_the_schema_uses_it() -> None:
    schema = build_schema()
    for name in ("text", "headings", "highlight", "note", "title", "publication", "author"):
        assert type(schema[name].format) is WordPositions, name
