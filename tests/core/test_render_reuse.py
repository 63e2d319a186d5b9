"""The Markdown converter is reused (one per thread): nothing of one issue leaks into the next."""

from __future__ import annotations

import threading

import markdown

from reader.core import _render
from reader.core._paths import sample_paths

# Footnotes, reference links, duplicate headings and an abbreviation-like definition list: the parts
# of Python-Markdown that keep state between conversions unless reset.
STATEFUL = """# News

Text with a footnote[^1] and a [reference link][ref].

# News

Term
:   Definition

[^1]: The footnote.
[ref]: https://example.com/ref
"""
PLAIN = "# News\n\nA [reference link][ref] without its definition here.\n"


def _fresh(text: str) -> _render._Rendered:
    """The rendering with a converter made for this text alone (what every call did before)."""
    processor = _render._SafeTreeprocessor()
    md = markdown.Markdown(extensions=[*_render._extensions(), _render._SafeExtension(processor)])
    safe = _render._CLEANER.clean(md.convert(text))
    plain, starts, links = _render._PlainTextBuilder.build(safe)
    found = tuple(s for s in processor.sections if s.anchor in starts)
    return _render._Rendered(safe, found, plain, tuple(starts[s.anchor] for s in found), links)


def test_each_rendering_equals_a_fresh_converters() -> None:
    texts = [STATEFUL, PLAIN, STATEFUL, *(p.read_text(encoding="utf-8") for p in sample_paths()), PLAIN]
    for text in texts:
        assert _render._render_markdown(text) == _fresh(text)
    assert "example.com/ref" not in _render._render_markdown(PLAIN).html  # the definition did not stay


def test_threads_render_alike() -> None:
    results: dict[int, list[_render._Rendered]] = {}

    def work(n: int) -> None:
        results[n] = [_render._render_markdown(text) for text in (STATEFUL, PLAIN) * 20]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    expected = [_fresh(text) for text in (STATEFUL, PLAIN) * 20]
    assert all(results[n] == expected for n in range(4))


def test_a_failed_conversion_leaves_nothing_behind() -> None:
    nested = ">" * 5000 + " deep\n\n" + "- " * 3000 + "list\n"  # too deep for Python-Markdown: it raises
    assert "deep" in _render._render(nested).text  # shown as plain text instead
    for path in sample_paths():
        text = path.read_text(encoding="utf-8")
        assert _render._render_markdown(text) == _fresh(text)
