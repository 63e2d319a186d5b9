"""Hostile Markdown renders in bounded time and memory, and an issue that cannot be formatted is
still shown and searchable (issue #13, "Hostile and odd files").

The shapes are the ones reported: runs of ``[`` and ``![a`` made Python-Markdown's link scans
quadratic (8 s and 23 s), lists nested thousands deep took gigabytes. The timeouts are generous
(10x and more what the fixed code takes); before the fix these cases ran for minutes.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import markdown
import pytest

from reader.core import Library
from reader.core import _render as render
from reader.core import _render_guard as render_guard

HOSTILE = {
    "brackets": "[" * 8000,
    "images": "![a" * 8000,
    "empty links": "[](" * 8000,
    "escapes": "\\[" * 20000,
    "many small paragraphs": ("[" * 150 + "\n\n") * 300,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_quadratic_inline_text_is_shown_as_plain_text_with_a_message(text: str) -> None:
    render._render.cache_clear()
    plain = render.plain_text(text)
    assert plain.startswith(render_guard.COSTLY)
    assert text.strip()[:20].replace("\\", "") in plain.replace("\\", "")  # the text itself is still there


@pytest.mark.timeout(60)
def test_lists_nested_thousands_deep_stay_small() -> None:
    # Tab-indented nesting: 3,000 levels in ~4.5 MB would be too long anyway, so 1,000 under the cap.
    text = "".join("\t" * depth + "- item\n" for depth in range(1000))
    render._render.cache_clear()
    tracemalloc.start()
    try:
        plain = render.plain_text(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert plain.count("item") == 1000
    assert peak < 200 * 1024 * 1024


def test_quotes_nested_deeper_than_the_cap_keep_their_text() -> None:
    text = ">" * 5000 + " deep\n"
    assert "deep" in render.plain_text(text)


def test_text_over_the_render_cap_is_plain_text_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_guard, "MAX_RENDER_CHARS", 100)
    render._render.cache_clear()
    plain = render.plain_text("# Title\n\n" + "*word* " * 40)
    assert plain.startswith("This issue is too long to format (289 characters; the limit is 100)")
    assert "*word*" in plain
    assert render.sections("# Title\n\n" + "*word* " * 40) == ()


def test_ordinary_markdown_is_formatted_as_before() -> None:
    text = "# News\n\nSee [the post](https://example.com/a) and ![pic](x.png), *now*.\n\n- one\n  - two\n"
    assert render_guard.too_costly(text) is None
    assert render.plain_text(text) == "News\nSee the post and [Image: pic], now.\none\ntwo"


def _fail(self: markdown.Markdown, source: str) -> str:
    raise ValueError("the Markdown library tripped")


def test_a_render_failure_shows_the_text_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown.Markdown, "convert", _fail)
    render._render.cache_clear()
    assert render.plain_text("Hello <b>there</b>") == (
        "This issue could not be formatted (ValueError): it is shown as plain text.\nHello <b>there</b>"
    )
    assert "&lt;b&gt;" in render.render_html("Hello <b>there</b>")


def test_an_issue_that_fails_to_render_is_still_indexed_and_search_does_not_hang(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "odd.md"
    path.write_text("# Odd\n\nA zeppelin over the harbour.\n", encoding="utf-8")
    assert library.import_paths([path]).imported == 1
    monkeypatch.setattr(markdown.Markdown, "convert", _fail)
    render._render.cache_clear()
    hits = library.search("zeppelin")
    assert [h.title for h in hits] == ["Odd"]
    assert library.search("zeppelin")  # nothing left pending that would be retried forever
