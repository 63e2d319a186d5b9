"""The plain-text reader's line helpers take short ways for ordinary lines: they give what the full way gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core._ingest.markdown_escape import find_url
from reader.core._ingest.plaintext_lines import clean_line

# The characters that matter to the two helpers: spaces of every kind, invisible ones, line ends,
# controls, URL starts; and plain letters between them.
_PIECES = st.sampled_from([
    "a", "word", " ", "  ", "\t", "\n", "\r\n", "\r", "\xa0", "\u200b", "\ufeff", "\u00ad", "\x00", "\x1f", "\x7f",
    "\u2003", "é", "東", "https://example.com/a_(b)", "HTTP://X.ORG.", "mailto:a@b.c", "Mailto:", ":", "://",
])


def _clean_line_in_full(line: str) -> str:
    invisible = re.compile(r"[\u200b\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    return re.sub(r"\s{2,}|[^\S ]", " ", invisible.sub("", line)).strip()


@given(st.lists(_PIECES, max_size=20).map("".join))
@settings(max_examples=400, deadline=None)
def test_clean_line_is_the_full_cleaning(line: str) -> None:
    assert clean_line(line) == _clean_line_in_full(line)


def test_clean_line_examples() -> None:
    assert clean_line("  Import\u200b AI \t 242:\xa0news \n") == "Import AI 242: news"
    assert clean_line("plain line\r\n") == "plain line"


def test_find_url_examples() -> None:
    assert find_url("see https://example.com/a_(b). now") == (4, 29)
    assert find_url("no link here, none") is None
    assert find_url("Write to MAILTO:me@example.com") == (9, 30)
