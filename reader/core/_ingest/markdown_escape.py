"""Writing untrusted source text into Markdown so it renders as the same text, never as markup or HTML."""

from __future__ import annotations

import re

# Characters Python-Markdown gives meaning to anywhere in a line (it honours a backslash before each).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}])")
# "&name;" / "&#123;" would render as the character it names; a bare "&" is already safe.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What makes a line a heading, list item or quote when it starts the line.
_BLOCK_START = re.compile(r"^(#|[-+]|\d{1,9}[.)](?:\s|$))")
_ENTITY_AT_START = frozenset("=~")
_URL = re.compile(r"\b(?:https?://|mailto:)[^\s<>\"'`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\"’”)]}"
_URL_UNSAFE = {"(": "%28", ")": "%29", " ": "%20", "`": "%60", "\\": "%5C", "<": "%3C", ">": "%3E"}


def escape_inline(text: str) -> str:
    """Escape ``text`` for use inside a Markdown line (it stays literal text, never HTML).

    Args:
        text: plain text from a source.

    Returns:
        The text with Markdown punctuation backslash-escaped and ``<``, ``>``, ``|`` (table
        cells) and entity-looking ``&`` written as HTML entities.
    """
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;")


def escape_line(text: str) -> str:
    """Escape a whole line as :func:`link_urls` does; it also cannot start a heading, list, rule or fence."""
    escaped = link_urls(text)
    if escaped[:1] in _ENTITY_AT_START:  # "===" (setext heading), "~~~" (code fence): no backslash escape
        return f"&#{ord(escaped[0])};{escaped[1:]}"
    match = _BLOCK_START.match(escaped)
    if not match:
        return escaped
    if match.group(1)[0].isdigit():
        digits = match.group(1).rstrip(".) \t")
        return digits + "\\" + escaped[len(digits) :]
    return "\\" + escaped


def safe_url(url: str) -> str:
    """A URL fit for a Markdown link destination (characters Markdown would misread percent-encoded)."""
    return "".join(_URL_UNSAFE.get(ch, ch) for ch in url)


def find_url(text: str) -> tuple[int, int] | None:
    """The span of the first http(s)/mailto URL in ``text`` (without trailing punctuation), or None."""
    match = _URL.search(text) if ":" in text else None  # most lines have no URL: skip the regex
    if not match:
        return None
    end = match.end()
    while end > match.start() and text[end - 1] in _URL_TRAILING and not _balanced(text[match.start() : end]):
        end -= 1
    return (match.start(), end) if end > match.start() else None


def _balanced(url: str) -> bool:
    """True when a URL ending in ")" has its "(" inside it (Wikipedia-style), so the ")" belongs to it."""
    return url.endswith(")") and url.count("(") >= url.count(")")


def link_urls(text: str) -> str:
    """Escape ``text`` as :func:`escape_inline` does, turning each bare URL in it into a Markdown link."""
    parts: list[str] = []
    rest = text
    while (span := find_url(rest)) is not None:
        start, end = span
        url = rest[start:end]
        parts.append(escape_inline(rest[:start]))
        parts.append(f"[{escape_inline(url)}]({safe_url(url)})")
        rest = rest[end:]
    parts.append(escape_inline(rest))
    return "".join(parts)
