"""TextMap between two renderings of a text, and UTF-16 offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core._render import plain_text
from reader.core._textmap import TextMap, Utf16Offsets, from_utf16, to_utf16
from reader.core.types import TextSpan

CORE = "Google trains a big model\nRT-1 is one model.\nfirst item\nsecond item 🎉 done\nThe end."


def _visible(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch != "\u200b")


def _visible_indexes(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if not ch.isspace()]


def _assert_maps_every_visible_char(core: str, view: str) -> TextMap:
    tmap = TextMap(core, view)
    for i in _visible_indexes(core):
        j = tmap.to_view(i)
        assert view[j] == core[i]
        assert tmap.to_core(j) == i
    return tmap


def test_identical_texts_map_to_themselves() -> None:
    tmap = _assert_maps_every_visible_char(CORE, CORE)
    assert [tmap.to_view(i) for i in range(len(CORE) + 1)] == list(range(len(CORE) + 1))


def test_prepended_header_shifts_positions() -> None:
    header = "Import AI 313\nby Jack Clark · 2023-01-09\n\n"
    tmap = _assert_maps_every_visible_char(CORE, header + CORE)
    assert tmap.to_view(0) == len(header)
    assert tmap.to_core(0) == 0  # header positions map to where the core text begins
    assert tmap.span_to_core(TextSpan(0, len(header))) == TextSpan(0, 0)


def test_header_repeating_the_title_keeps_the_title_on_the_body() -> None:
    core = "Import AI 313\nBody text of the issue.\nMore text."
    view = "Import AI 313\n2023-01-09\n\nImport AI 313\nBody text of the issue.\nMore text."
    tmap = _assert_maps_every_visible_char(core, view)
    assert tmap.span_to_view(TextSpan(0, 13)) == TextSpan(26, 39)


def test_list_markers_nbsp_zero_width_and_collapsed_whitespace_are_absorbed() -> None:
    view = (
        "Google  trains\u00a0a big model\n\n"
        "RT-1\u200b is one\tmodel.\n"
        "• first item\n"
        "2. second item 🎉\u2028done\n"
        "The end.\n"
    )
    tmap = _assert_maps_every_visible_char(CORE, view)
    span = TextSpan(CORE.index("first"), CORE.index("done") + 4)
    view_span = tmap.span_to_view(span)
    assert view[view_span.start : view_span.end] == "first item\n2. second item 🎉\u2028done"
    assert tmap.span_to_core(view_span) == span


def test_span_ends_stop_at_the_last_shared_character() -> None:
    core, view = "alpha beta", "alpha   beta"
    tmap = TextMap(core, view)
    assert tmap.span_to_view(TextSpan(0, 6)) == TextSpan(0, 5)  # "alpha " -> "alpha"
    assert tmap.span_to_view(TextSpan(6, 10)) == TextSpan(8, 12)
    assert tmap.span_to_core(TextSpan(5, 8)) == TextSpan(6, 6)  # only spaces: empty, at the next word
    assert [tmap.to_core(j) for j in range(5, 9)] == [5, 6, 6, 6]  # a gap keeps its offset, clamped


def test_positions_are_clamped() -> None:
    tmap = TextMap("abc", "  abc  ")
    assert tmap.to_view(-5) == 2
    assert tmap.to_view(99) == 5  # the end: just past the last shared character, then the gap
    assert tmap.to_core(99) == 3
    assert tmap.to_core(0) == 0
    assert tmap.span_to_view(TextSpan(-3, 99)) == TextSpan(2, 5)


def test_unrelated_texts_map_without_error() -> None:
    tmap = TextMap("completely different", "nothing in common here: xyz")
    assert 0 <= tmap.to_view(5) <= len("nothing in common here: xyz")
    assert TextMap("", "view").to_view(0) == 0
    assert TextMap("core", "").to_view(2) == 0


def test_real_issue_with_a_view_that_differs_everywhere() -> None:
    seed = next((Path(__file__).parents[2] / "seeds").glob("002_*.txt"))
    core = plain_text(seed.read_text(encoding="utf-8"))
    lines = core.split("\n")
    view = "Import AI\n2023-01-01\n\n" + "\n".join(
        ("• " if k % 3 == 0 else "") + line.replace(" ", "\u00a0" if k % 2 else "  ") for k, line in enumerate(lines)
    )
    tmap = TextMap(core, view)
    for i in _visible_indexes(core)[::53]:
        assert view[tmap.to_view(i)] == core[i]
        assert tmap.to_core(tmap.to_view(i)) == i


# -- properties -----------------------------------------------------------------------------------

repetitive_words = st.lists(st.text(alphabet="abcdeé😀-", min_size=1, max_size=6), min_size=1, max_size=30)
spaces = st.sampled_from([" ", "  ", "\n", "\u00a0", " \u200b", "\n\n", "\t"])
markers = st.sampled_from(["", "", "• ", "1. ", "- "])
# Letters used once each, so that there is exactly one right alignment to find.
DISTINCT = [chr(c) for c in range(0x41, 0x250) if chr(c).isalpha()] + ["😀", "🎉", "🚀"]


@st.composite
def distinct_words(draw: st.DrawFn) -> list[str]:
    letters = draw(st.randoms()).sample(DISTINCT, draw(st.integers(1, 80)))
    cuts = sorted(set(draw(st.lists(st.integers(1, len(letters)), max_size=20))) | {len(letters)})
    return ["".join(letters[a:b]) for a, b in zip([0, *cuts], cuts, strict=False) if b > a]


@st.composite
def two_renderings(draw: st.DrawFn, words: st.SearchStrategy[list[str]] = repetitive_words) -> tuple[str, str]:
    """The same words laid out twice: single spaces vs. arbitrary whitespace, markers and a header."""
    items = draw(words)
    core = " ".join(items)
    view = draw(st.sampled_from(["", "Τίτλος\n２０２４·０１·０１\n\n"]))
    for word in items:
        view += draw(markers) if view.endswith("\n") else ""
        view += word + draw(spaces)
    return core, view


@given(two_renderings(distinct_words()))
def test_every_visible_character_round_trips(texts: tuple[str, str]) -> None:
    core, view = texts
    _assert_maps_every_visible_char(core, view)


@given(two_renderings(), st.data())
def test_mapping_is_monotonic_and_clamped(texts: tuple[str, str], data: st.DataObject) -> None:
    core, view = texts
    tmap = TextMap(core, view)
    i = data.draw(st.integers(-3, len(core) + 3))
    j = data.draw(st.integers(-3, len(view) + 3))
    assert 0 <= tmap.to_view(i) <= tmap.to_view(i + 1) <= len(view)
    assert 0 <= tmap.to_core(j) <= tmap.to_core(j + 1) <= len(core)


@given(two_renderings(distinct_words()), st.data())
def test_spans_round_trip_onto_the_same_visible_text(texts: tuple[str, str], data: st.DataObject) -> None:
    core, view = texts
    start = data.draw(st.integers(0, len(core)))
    end = data.draw(st.integers(start, len(core)))
    tmap = TextMap(core, view)
    in_view = tmap.span_to_view(TextSpan(start, end))
    back = tmap.span_to_core(in_view)
    assert _visible(core[back.start : back.end]) == _visible(core[start:end])
    assert _visible(view[in_view.start : in_view.end])[:1] == _visible(core[start:end])[:1]


# -- UTF-16 -------------------------------------------------------------------------------------


def test_utf16_offsets_count_emoji_as_two_units() -> None:
    text = "a😀b🎉🎉c"
    assert [to_utf16(text, i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 8, 9]
    assert [from_utf16(text, u) for u in range(10)] == [0, 1, 1, 2, 3, 3, 4, 4, 5, 6]


def test_utf16_offsets_are_clamped() -> None:
    offsets = Utf16Offsets("😀x")
    assert offsets.to_utf16(-1) == 0
    assert offsets.to_utf16(10) == 3
    assert offsets.from_utf16(10) == 2


@given(st.text(max_size=60))
def test_utf16_round_trips(text: str) -> None:
    units = len(text.encode("utf-16-le")) // 2
    assert to_utf16(text, len(text)) == units
    for i in range(len(text) + 1):
        u = to_utf16(text, i)
        assert from_utf16(text, u) == i
        assert len(text[:i].encode("utf-16-le")) // 2 == u


@pytest.mark.parametrize("text", ["", "plain ascii", "ünïcödé BMP ✓", "🎉" * 5])
def test_utf16_end_offset_matches_encoding(text: str) -> None:
    assert to_utf16(text, len(text)) == len(text.encode("utf-16-le")) // 2
