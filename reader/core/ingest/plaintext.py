"""Plain-text newsletter dumps (the shapes of the bundled samples) to ParsedIssue records."""

from __future__ import annotations

from reader.core.types import ParsedIssue


def parse_plaintext(text: str, source: str = "") -> list[ParsedIssue]:
    """Split a plain-text dump into issues and normalise each to Markdown."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    title = lines[0].strip()
    return [ParsedIssue(publication=title, title=title, markdown=text, original=text, source=source)]
