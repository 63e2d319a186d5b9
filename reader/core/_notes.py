"""Notes are Markdown: how the window shows them (sanitised HTML, or one plain line)."""

from __future__ import annotations

from reader.core._render import plain_text, render_html


def note_html(note: str) -> str:
    """A note's Markdown as HTML that is safe to show (the same sanitiser as an issue's body).

    ``*RT-1*`` becomes ``<em>RT-1</em>``; raw HTML is escaped; links keep only http, https and
    mailto targets and images only inline ``data:`` sources, so showing a note fetches nothing.
    """
    return render_html(note)


def note_text(note: str) -> str:
    """A note as one line of plain text (its Markdown rendered, the markup gone, spaces collapsed)."""
    return " ".join(plain_text(note).split())
