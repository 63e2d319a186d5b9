"""The core's plain text against what Qt lays out from the same sanitised HTML.

Highlight anchors index into ``render.plain_text``; the pane holds ``QTextDocument.toPlainText()``.
They are built to be equal; where they are not, ``TextMap`` must still carry every character over.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from reader.core._ingest.plaintext import parse_plaintext
from reader.core._render import plain_text, render_html
from reader.core._textmap import TextMap, from_utf16, to_utf16
from reader.core.types import TextSpan

SEEDS = sorted((Path(__file__).parents[3] / "seeds").glob("*.txt"))

SAMPLES = {
    "headings-lists-links": (
        "# Hello 🎉 World\n\nIntro **bold**, *em* and a [link](https://example.com) &amp; more.\n\n"
        "## News\n- a [link](http://x.example) and item\n- second *item*\n    - nested\n\n"
        "1. one\n2. two\n"
    ),
    "quotes-breaks-code": (
        "> quote *em*\n> more\n>\n> second para\n\nText with a hard  \nbreak and a <b>raw</b> tag  \nend.\n\n"
        "```\ncode  kept\n   indented\n```\n"
    ),
    "loose-lists-rules-tables": (
        "* loose one\n\n* loose two\n  continues  \n\n---\n\n| h1 | h2 |\n|----|----|\n| c1 | c2 |\n\nafter\n"
    ),
    "images-entities-emoji": (
        "A ![pic](data:image/png;base64,iVBORw0KGgo=) image, a ![remote](http://t.example/x.gif) one.\n\n"
        "Non&nbsp;breaking&nbsp;&nbsp;space, &#8203;zero width, 👩‍👩‍👧 family.\n\n### 🚀 Launch\n"
    ),
    "edges": "| a |\n|---|\n| b |\n\n| c |\n|---|\n| d |\n\n- \n- x\n\na  \nb  \n\n---\n\n    code at the end\n",
}


def _issue_markdowns() -> dict[str, str]:
    found = dict(SAMPLES)
    for seed in SEEDS:
        issues = parse_plaintext(seed.read_text(encoding="utf-8"), str(seed))
        found.update({f"{seed.stem}-{n}": issue.markdown for n, issue in enumerate(issues)})
    return found


MARKDOWNS = _issue_markdowns()


def _qt_text(markdown: str) -> str:
    document = QTextDocument()
    document.setHtml(render_html(markdown))
    return document.toPlainText()


@pytest.mark.parametrize("name", sorted(MARKDOWNS))
def test_core_plain_text_matches_qt(qapp: QApplication, name: str) -> None:
    markdown = MARKDOWNS[name]
    core, view = plain_text(markdown), _qt_text(markdown)
    assert core.split() == view.split()  # the same words in the same order
    tmap = TextMap(core, view)
    for start, line in _lines(core):
        span = tmap.span_to_view(TextSpan(start, start + len(line)))
        assert view[span.start : span.end] == line.strip()


@pytest.mark.parametrize("name", sorted(MARKDOWNS))
def test_core_plain_text_equals_qt_exactly(qapp: QApplication, name: str) -> None:
    """Today the texts are identical, so the pane needs no mapping; if a Qt upgrade breaks this,
    the pane still works through TextMap (above) and render's layout rules need a look."""
    assert plain_text(MARKDOWNS[name]) == _qt_text(MARKDOWNS[name])


def _lines(text: str) -> list[tuple[int, str]]:
    lines, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((start, line))
        start += len(line) + 1
    return lines


def test_utf16_offsets_are_qt_cursor_positions(qapp: QApplication) -> None:
    markdown = SAMPLES["images-entities-emoji"] + "\n\nEmoji 🎉 then target word.\n"
    document = QTextDocument()
    document.setHtml(render_html(markdown))
    text = plain_text(markdown)
    cursor = document.find("target")
    start = text.index("target")
    assert cursor.selectionStart() == to_utf16(text, start)
    assert from_utf16(text, cursor.selectionEnd()) == start + len("target")
