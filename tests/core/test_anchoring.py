"""Highlight anchors: made exactly, re-placed after edits, detached rather than misplaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from reader.core._anchoring import CONTEXT_CHARS, Anchor, InvalidRangeError, make_anchor, resolve_anchor
from reader.core.errors import ReaderError
from reader.core.types import TextSpan

SEED = next((Path(__file__).parents[2] / "seeds").glob("000_*.txt")).read_text(encoding="utf-8")
SENTENCE = "RT-1 can be paired with other techniques to increase real world robot performance."


def _resolved_text(anchor: Anchor, text: str) -> str | None:
    span = resolve_anchor(anchor, text)
    return None if span is None else text[span.start : span.end]


def _seed_anchor(quote: str = SENTENCE) -> Anchor:
    start = SEED.index(quote)
    return make_anchor(SEED, start, start + len(quote))


# -- make_anchor --------------------------------------------------------------------------------


def test_make_anchor_keeps_the_exact_quote_and_32_characters_each_side() -> None:
    anchor = _seed_anchor()
    assert anchor.quote == SENTENCE
    assert len(anchor.prefix) == len(anchor.suffix) == CONTEXT_CHARS
    around = SEED[anchor.start - CONTEXT_CHARS : anchor.end + CONTEXT_CHARS]
    assert around == anchor.prefix + SENTENCE + anchor.suffix


def test_make_anchor_near_the_edges_keeps_what_context_there_is() -> None:
    assert make_anchor("  abc  ", 0, 7) == Anchor("  abc  ", "", "", 0, 7)
    assert make_anchor("xy hello z", 3, 8) == Anchor("hello", "xy ", " z", 3, 8)


@pytest.mark.parametrize(("start", "end"), [(3, 3), (4, 2), (-1, 2), (0, 11), (12, 13)])
def test_make_anchor_rejects_empty_or_outside_ranges(start: int, end: int) -> None:
    with pytest.raises(InvalidRangeError) as caught:
        make_anchor("some text!", start, end)
    assert isinstance(caught.value, ReaderError)


# -- examples on a real issue ---------------------------------------------------------------------


def test_unchanged_text_resolves_to_the_same_place() -> None:
    anchor = _seed_anchor()
    assert resolve_anchor(anchor, SEED) == TextSpan(anchor.start, anchor.end)


def test_paragraph_inserted_before_moves_the_highlight_with_its_quote() -> None:
    anchor = _seed_anchor()
    paragraph = "A new paragraph the editor added later, with a few words.\n\n"
    edited = SEED[:100] + paragraph + SEED[100:]
    shift = len(paragraph)
    assert resolve_anchor(anchor, edited) == TextSpan(anchor.start + shift, anchor.end + shift)


def test_typo_fixed_inside_the_highlight_gives_the_corrected_passage() -> None:
    quote = "The approach seems to work in a preliminary way"
    anchor = _seed_anchor(quote)
    fixed = quote.replace("preliminary", "preliminery")  # a correction changes the quote by one letter
    edited = SEED.replace(quote, fixed)
    span = resolve_anchor(anchor, edited)
    assert span is not None
    assert edited[span.start : span.end] == fixed


def test_long_highlight_with_corrections_is_found_and_far_moves_are_followed() -> None:
    quote = SEED[SEED.index("What is RT-1?") : SEED.index("Google wrote.") + len("Google wrote.")]
    anchor = _seed_anchor(quote)
    fixed = quote.replace("behavior", "behaviour").replace("17 months", "seventeen months")
    edited = "An essay.\n" * 1000 + SEED.replace(quote, fixed)  # 10,000 characters further on
    span = resolve_anchor(anchor, edited)
    assert span is not None
    assert edited[span.start : span.end] == fixed


def test_highlight_deleted_from_the_text_is_detached() -> None:
    anchor = _seed_anchor()
    assert resolve_anchor(anchor, SEED.replace(SENTENCE, "")) is None


def test_highlight_mostly_rewritten_is_detached_not_moved() -> None:
    anchor = _seed_anchor()
    rewritten = "RT-1 pairs with planners such as SayCan to get better results."
    assert resolve_anchor(anchor, SEED.replace(SENTENCE, rewritten)) is None


def test_emoji_before_the_highlight_shift_it_by_code_points() -> None:
    anchor = _seed_anchor()
    edited = "🎉🚀 " + SEED
    assert resolve_anchor(anchor, edited) == TextSpan(anchor.start + 3, anchor.end + 3)


def test_duplicate_quote_resolves_to_the_occurrence_with_matching_context() -> None:
    text = "alpha beta GAMMA delta. zeta eta GAMMA theta."
    anchor = make_anchor(text, text.rindex("GAMMA"), text.rindex("GAMMA") + 5)
    edited = "Preface. " + text
    assert resolve_anchor(anchor, edited) == TextSpan(anchor.start + 9, anchor.end + 9)


def test_duplicate_quote_with_equal_context_picks_the_nearest_to_the_old_position() -> None:
    text = "word " * 20
    anchor = make_anchor(text, 50, 54)
    assert resolve_anchor(anchor, "xx" + text) == TextSpan(52, 56)


def test_short_quote_changed_in_place_stays_in_place() -> None:
    text = "The RT-1 model. " + "Other things happen here. " * 3 + "RT-1 again."
    anchor = make_anchor(text, 4, 8)
    assert resolve_anchor(anchor, text.replace("RT-1 model", "RT-2 model")) == TextSpan(4, 8)


def test_short_quote_found_elsewhere_without_its_context_is_detached() -> None:
    text = "The RT-1 model. " + "Other things happen here. " * 3 + "RT-1 again."
    anchor = make_anchor(text, 4, 8)
    assert resolve_anchor(anchor, text.replace("RT-1 model", "GPT-3 model")) is None


def test_empty_quote_or_text_does_not_resolve() -> None:
    assert resolve_anchor(Anchor("", "", "", 0, 0), "text") is None
    assert resolve_anchor(Anchor("text", "", "", 0, 4), "") is None


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        ("real world", "real world", True),  # unchanged
        ("real world", "real-world", True),  # one character
        ("real world robot performance", "actual robot success rates", True),  # similarity 0.80
        ("other techniques to increase real world robot performance",
         "SayCan to get more done", False),  # 0.55
        ("paired with other techniques to increase real world robot performance",
         "combined with planners for better results", False),  # 0.46
    ],
)  # fmt: skip
def test_fuzzy_match_threshold(old: str, new: str, found: bool) -> None:
    anchor = _seed_anchor()
    edited = SEED.replace(SENTENCE, SENTENCE.replace(old, new))
    span = resolve_anchor(anchor, edited)
    assert (span is not None) is found
    if span is not None:
        assert edited[span.start : span.end] == SENTENCE.replace(old, new)


# -- properties -----------------------------------------------------------------------------------

ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-'\n"
small_texts = st.text(alphabet="ab \n", min_size=1, max_size=120)
rich_texts = st.text(alphabet=ALPHABET, min_size=40, max_size=400)
# No character twice: a passage like the highlight elsewhere would be a wrong place, not a near copy.
DISTINCT = [chr(c) for c in range(0x21, 0x250)]
distinct_texts = st.builds(lambda r, n: "".join(r.sample(DISTINCT, n)), st.randoms(), st.integers(40, 200))
inserts = st.text(alphabet="ab \né😀", max_size=40)


@st.composite
def text_and_range(draw: st.DrawFn, texts: st.SearchStrategy[str], min_len: int = 1) -> tuple[str, int, int]:
    text = draw(texts)
    assume(len(text) >= min_len)
    start = draw(st.integers(0, len(text) - min_len))
    end = draw(st.integers(start + min_len, len(text)))
    return text, start, end


@given(text_and_range(small_texts), st.data(), inserts)
def test_edits_outside_the_highlight_keep_it_on_its_quote(
    case: tuple[str, int, int], data: st.DataObject, replacement: str
) -> None:
    text, start, end = case
    anchor = make_anchor(text, start, end)
    if data.draw(st.booleans(), label="before"):
        a = data.draw(st.integers(0, start), label="a")
        b = data.draw(st.integers(a, start), label="b")
    else:
        a = data.draw(st.integers(end, len(text)), label="a")
        b = data.draw(st.integers(a, len(text)), label="b")
    edited = text[:a] + replacement + text[b:]
    assert _resolved_text(anchor, edited) == anchor.quote


@given(text_and_range(distinct_texts, min_len=12), st.data(), st.text(alphabet=ALPHABET, max_size=12))
def test_edits_inside_the_highlight_match_fuzzily_or_detach_never_elsewhere(
    case: tuple[str, int, int], data: st.DataObject, replacement: str
) -> None:
    text, start, end = case
    anchor = make_anchor(text, start, end)
    a = data.draw(st.integers(start + 1, end - 1), label="a")
    b = data.draw(st.integers(a, end - 1), label="b")
    edited = text[:a] + replacement + text[b:]
    assume(edited != text and anchor.quote not in edited)
    new_end = end + len(edited) - len(text)
    span = resolve_anchor(anchor, edited)
    if span is not None:
        assert span.start < new_end  # overlaps where the highlight was
        assert span.end > start


@given(text_and_range(rich_texts))
def test_unchanged_text_always_resolves_in_place(case: tuple[str, int, int]) -> None:
    text, start, end = case
    assert resolve_anchor(make_anchor(text, start, end), text) == TextSpan(start, end)


# -- snapping a selection to words (issue #15: a drag saved "). “SayCan … succe") ----------------
_SAYCAN = "(see Import AI 291). “SayCan with RT-1 achieves a 67% execution success rate in Kitchen1”"


def _snapped(text: str, start: int, end: int) -> str | None:
    from reader.core import snap_to_words

    span = snap_to_words(text, start, end)
    return None if span is None else text[span.start : span.end]


def test_a_ragged_drag_snaps_to_whole_words() -> None:
    start = _SAYCAN.index("). “")
    end = _SAYCAN.index("success") + len("succe")
    assert _snapped(_SAYCAN, start, end) == "SayCan with RT-1 achieves a 67% execution success"


def test_a_word_cut_at_the_start_is_extended_and_joiners_stay_inside_words() -> None:
    text = "they don't use state-of-the-art tools"
    start = text.index("n't")
    assert _snapped(text, start, text.index("-of") + 2) == "don't use state-of-the-art"


def test_a_whole_word_or_paragraph_stays_as_it_is() -> None:
    text = "A sentence ends here. Another one follows!"
    assert _snapped(text, 2, 10) == "sentence"
    assert _snapped(text, 0, len(text)) == text  # the final "!" was selected: it stays
    assert _snapped(text, 0, text.index(".")) == "A sentence ends here"  # not selected: not added


def test_a_selection_without_words_only_loses_its_spaces() -> None:
    text = "before 🚀 after"
    assert _snapped(text, 6, 9) == "🚀"
    assert _snapped(text, 6, 7) is None


def test_a_quote_mark_selected_against_the_words_stays_when_it_pairs_one_inside() -> None:
    paragraph = "“SayCan works,” they write. “Due to this, it falls.”"
    assert _snapped(paragraph, 0, len(paragraph)) == paragraph  # a triple-clicked paragraph
    assert _snapped(paragraph, 0, paragraph.index(",")) == "SayCan works"
    tail = paragraph.index("they")
    assert _snapped(paragraph, tail - 2, len(paragraph)) == "they write. “Due to this, it falls.”"
