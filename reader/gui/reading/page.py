"""The page template around an issue's body: a header with title, publication, number, date, author."""

from __future__ import annotations

import html

from reader.core.types import IssueSummary
from reader.gui.utils.formatting import format_date, format_number

HEADER_BLOCKS = 3
"""Text blocks the header adds before the body (title, byline, rule); the body starts after them."""


def byline(summary: IssueSummary) -> str:
    """``Import AI · #313 · 2 Jan 2023 · by Jack Clark`` (empty parts left out)."""
    parts = [summary.publication, format_number(summary.number), format_date(summary.date)]
    if summary.author:
        parts.append(f"by {summary.author}")
    return " · ".join(p for p in parts if p)


def issue_page(summary: IssueSummary, body_html: str) -> str:
    """The whole page for the pane: our header (escaped) followed by the core's sanitised body."""
    return (
        f'<h1 class="issue-title">{html.escape(summary.title)}</h1>'
        f'<p class="byline">{html.escape(byline(summary))}</p>'
        "<hr/>"
        f"{body_html}"
    )


def placeholder_page(message: str) -> str:
    """What the pane shows with no issue open."""
    return f'<p class="byline" align="center"><br/><br/>{html.escape(message)}</p>'
