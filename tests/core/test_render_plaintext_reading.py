"""The plain text is read from the sanitiser's HTML by pattern; it must be what HTMLParser's reading gives.

The plain text is the coordinate system of every highlight: one character read differently would
move them all. Each case renders Markdown through the real pipeline (Python-Markdown, nh3) and reads
the HTML both ways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import _render as render

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))


def _read_by_parser(safe_html: str) -> tuple[object, ...]:
    builder = render._PlainTextBuilder()
    builder.feed(safe_html)
    builder.close()
    builder._flush()
    return tuple(builder._blocks), dict(builder._anchor_blocks), tuple(builder._links)


def _read_by_pattern(safe_html: str) -> tuple[object, ...]:
    builder = render._PlainTextBuilder()
    assert builder._read_sanitised(safe_html), "the sanitiser's HTML should be read by pattern"
    builder._flush()
    return tuple(builder._blocks), dict(builder._anchor_blocks), tuple(builder._links)


def _sanitised(markdown: str) -> str:
    return render._CLEANER.clean(render._converter()[0].convert(markdown))


_PIECES = st.sampled_from([
    "word", " ", "\n", "\n\n", "# Head", "## Sub & co", "- item", "1. one", "> quote", "    code", "```\n",
    "**bold**", "*em*", "`a<b>&c`", "[link](https://x.org/?a=1&b=\"2\">3)", "<https://y.org/a>b>",
    "![alt \"q\"](data:image/png;base64,iVBO=)", "![remote](https://t.co/p.gif)", "<b>raw</b>", "&amp;",
    "&copy;", "&#169;", "&bogus;", "a<b", "x > y", "|a|b|\n|-|-|\n|1|2|", "[^1]\n\n[^1]: note", "---",
    "line  \nbreak", "\xa0", "é東🎉", "<!-- c -->", "<script>x</script>", "Term\n: def", "[j](javascript:x)",
])  # fmt: skip


@given(st.lists(_PIECES, max_size=25).map("".join))
@settings(max_examples=300, deadline=None)
def test_pattern_reading_is_the_parser_reading(markdown: str) -> None:
    safe_html = _sanitised(markdown)
    assert _read_by_pattern(safe_html) == _read_by_parser(safe_html)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_pattern_reading_of_the_seeds(seed: Path) -> None:
    safe_html = _sanitised(seed.read_text(encoding="utf-8"))
    assert _read_by_pattern(safe_html) == _read_by_parser(safe_html)


def test_escaped_text_and_attributes_are_read_back() -> None:
    safe_html = _sanitised('[x](https://e.org/?q="a">b&c=1 "t>i&amp;tle")\n\n# H & <i>\n\n<https://y.org/a>b>')
    assert 'title="a&quot;&gt;b&amp;c=1' in safe_html  # the sanitiser's escapes, read back below
    blocks, anchors, links = _read_by_pattern(safe_html)
    assert blocks == ("x", "H & <i>", "https://y.org/ab>")
    assert anchors == {"h-i": 1}
    assert links == (("https://e.org/?q=", "x"), ("https://y.org/a", "https://y.org/a"))
    assert (blocks, anchors, links) == _read_by_parser(safe_html)


def test_html_not_written_by_the_sanitiser_is_left_to_the_parser() -> None:
    builder = render._PlainTextBuilder()
    assert not builder._read_sanitised("<p>a < b</p>")
    assert render._PlainTextBuilder.build("<p>a < b</p>")[0] == "a < b"
