"""Fuzzing the renderer and the mail parser: every input gives a result or a FormatError, in bounded
time (10 s) and memory (200 MB peak, measured with tracemalloc), and the HTML stays sanitised.

Markdown inputs mix the syntax that drives nesting and backtracking in Python-Markdown (quotes,
lists, emphasis runs, unclosed links, raw HTML); mail inputs mangle the RFC 5322 fixtures with
MIME fragments (boundaries, encoded words, charsets), as tests/core/test_ingest_fuzz.py does.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core import _render as render
from reader.core._ingest.email_doc import parse_email
from reader.core._ingest.format_error import FormatError
from reader.core.types import ParsedIssue

MAX_BYTES = 200 * 1024 * 1024
FUZZ = settings(
    max_examples=100,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
T = TypeVar("T")

MARKDOWN_TOKENS = [
    "# ", "## ", "> ", "- ", "1. ", "* ", "**", "__", "_", "`", "```\n", "    ", "[", "](", ")", "![a](",
    "data:image/png;base64,iVBORw0KGgo=", "<", ">", "<script>alert(1)</script>", "<a href='javascript:x'>",
    "<img src=x onerror=y>", "&#", "&amp;", "|", "---\n", "\n", "\n\n", "\\", "http://example.com", "\u202e",
    "\x00", "\x1b[2J", "\U0001f600", "<!--", "-->", "<div>", "</div>",
]  # fmt: skip
MAIL = {
    p.name: p.read_bytes() for p in sorted((Path(__file__).resolve().parents[1] / "fixtures" / "formats").glob("*.eml"))
}
MAIL_TOKENS = [
    b"Content-Type: multipart/alternative; boundary=b\n", b"--b\n", b"--b--\n", b"=?utf-8?q?=FF?=",
    b"=?x-unknown?b?AAAA?=", b"Content-Transfer-Encoding: base64\n", b"Content-Transfer-Encoding: quoted-printable\n",
    b"charset=\"utf-16\"", b"\r\n", b"\x00", b"\xff\xfe", b"Subject: ", b"=\n", b"<html><body>", b"\n\n",
]  # fmt: skip


def _bounded(call: Callable[[], T]) -> T:
    """``call()``, failing if its peak allocation passes MAX_BYTES (the time bound is Hypothesis's deadline)."""
    tracemalloc.start()
    try:
        result = call()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MAX_BYTES, f"peak {peak / 1e6:.0f} MB"
    return result


markdown_texts = st.lists(
    st.one_of(
        st.sampled_from(MARKDOWN_TOKENS),
        st.text(max_size=20),
        st.builds(lambda token, n: token * n, st.sampled_from(MARKDOWN_TOKENS), st.integers(1, 2000)),
    ),
    max_size=40,
).map("".join)


@FUZZ
@given(markdown_texts)
def test_the_renderer_gives_sanitised_html_and_text_for_any_markdown(text: str) -> None:
    html = _bounded(lambda: render.render_html(text))
    plain = _bounded(lambda: render.plain_text(text))
    _bounded(lambda: render.sections(text))
    assert isinstance(html, str) and isinstance(plain, str)
    _assert_sanitised(html)


class _Elements(HTMLParser):
    """Collects the tags and attributes of rendered HTML (escaped text is text, not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _assert_sanitised(html: str) -> None:
    elements = _Elements()
    elements.feed(html)
    for tag, attrs in elements.tags:
        assert tag not in {"script", "style", "iframe", "object"}, html
        for name, value in attrs:
            assert not name.startswith("on"), html
            if name in {"href", "src"} and value:
                assert value.strip().lower().split(":")[0] in {"http", "https", "mailto", "data"} or ":" not in value


@st.composite
def mangled_mail(draw: st.DrawFn) -> bytes:
    data = bytearray(MAIL[draw(st.sampled_from(sorted(MAIL)))])
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["truncate", "insert", "repeat", "flip"]))
        if operation == "truncate":
            del data[at:]
        elif operation == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(MAIL_TOKENS), st.binary(max_size=16)))
        elif operation == "repeat":
            data[at:at] = draw(st.sampled_from(MAIL_TOKENS)) * draw(st.integers(1, 3000))
        elif at < len(data):
            data[at] ^= draw(st.integers(1, 255))
    return bytes(data)


@FUZZ
@given(mangled_mail())
def test_the_mail_parser_gives_an_issue_or_a_format_error(data: bytes) -> None:
    def parse() -> ParsedIssue | FormatError:
        try:
            return parse_email(data, source="fuzz.eml")
        except FormatError as exc:
            return exc

    outcome = _bounded(parse)
    if isinstance(outcome, ParsedIssue):
        assert outcome.title.strip() and isinstance(outcome.markdown, str)
    else:
        assert str(outcome)  # a reason in words
