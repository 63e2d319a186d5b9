"""Keeping Markdown rendering bounded in time and memory, whatever the text.

Python-Markdown scans forward from every ``[`` for its closing ``]`` (and from every ``](`` for its
``)``), to the end of the paragraph when there is none: ``'[' * 8000`` took 8 s, ``'![a' * 8000``
23 s. Lists nested thousands deep took gigabytes. Before rendering, ``tame`` therefore

- ``tame`` caps indentation and ``>`` quoting depth, so nesting stays a few dozen levels deep;
- ``too_long`` and ``too_costly`` (one linear pass estimating what those scans and the inline
  matches would cost) turn text that would take too long to format into plain paragraphs
  (``plain_fallback_html``) after a line saying why.
"""

from __future__ import annotations

import html
import re

MAX_RENDER_CHARS = 1_000_000  # ~3 s of formatting for ordinary text
MAX_INDENT = 128  # columns: 32 levels of four-space list nesting
MAX_QUOTE_DEPTH = 32
# What a unit of inline text may cost, per character of its own plus a constant: characters stepped
# over by bracket scans (Python loops, ~1 us each), and characters copied by inline matches (~1 ns).
_SCAN_PER_CHAR = 2
_SCAN_FLOOR = 200_000
_COPY_PER_CHAR = 500
_COPY_FLOOR = 20_000_000
_INLINE_TRIGGERS = "\\`*_[]!<&~"
# Blank lines, and the starts of list items, headings and quotes, begin a new unit of inline text.
_UNIT_SPLIT = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#|>|\|))")
_BRACKETS = re.compile(r"[\[\]()]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\n\r\f\v\xa0]+")
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_DEEP_QUOTE = re.compile(rf"^(?:[ \t]*>){{{MAX_QUOTE_DEPTH + 1},}}", re.MULTILINE)

TOO_LONG = "This issue is too long to format ({size} characters; the limit is {limit}): it is shown as plain text."
COSTLY = "This issue holds text too intricate to format quickly: it is shown as plain text."
FAILED = "This issue could not be formatted ({reason}): it is shown as plain text."


def too_long(markdown_text: str) -> str | None:
    """The message to show instead of formatting ``markdown_text``, or None when it can be rendered."""
    if len(markdown_text) > MAX_RENDER_CHARS:
        return TOO_LONG.format(size=f"{len(markdown_text):,}", limit=f"{MAX_RENDER_CHARS:,}")
    return None


def tame(markdown_text: str) -> str:
    """The Markdown with its nesting capped; ordinary text comes back unchanged."""
    text = markdown_text
    if " " * (MAX_INDENT + 1) in text or "\t" in text:
        text = _INDENT.sub(_capped_indent, text)
    if ">" in text:
        text = _DEEP_QUOTE.sub(_capped_quote, text)
    return text


def too_costly(markdown_text: str) -> str | None:
    """The message to show instead of formatting text whose inline parsing would explode, or None.

    The text is cut into the units Python-Markdown parses inline on their own (paragraphs, list
    items, headings); the text is too costly when its bracket scans, or its units' inline matches
    times their length (each match rebuilds the unit's string), are out of proportion to its length.
    """
    scans = copies = 0
    for unit in _UNIT_SPLIT.split(markdown_text):
        copies += len(unit) * sum(unit.count(char) for char in _INLINE_TRIGGERS)
        scans += scan_cost(unit)
    size = len(markdown_text)
    if scans > _SCAN_PER_CHAR * size + _SCAN_FLOOR or copies > _COPY_PER_CHAR * size + _COPY_FLOOR:
        return COSTLY
    return None


def scan_cost(chunk: str) -> int:
    """How many characters Python-Markdown's link scans would step over in ``chunk`` (an upper bound).

    Every ``[`` costs the distance to its matching ``]`` (or to the end); every ``(`` right after a
    ``]`` the distance to its matching ``)`` (or to the end). One pass over the brackets only.
    """
    end = len(chunk)
    cost = 0
    squares: list[int] = []
    rounds: list[tuple[int, bool]] = []
    for match in _BRACKETS.finditer(chunk):
        char, at = match.group(), match.start()
        if char == "[":
            squares.append(at)
        elif char == "]":
            if squares:
                cost += at - squares.pop()
        elif char == "(":
            rounds.append((at, at > 0 and chunk[at - 1] == "]"))
        elif rounds:
            start, counted = rounds.pop()
            cost += at - start if counted else 0
    cost += sum(end - at for at in squares)
    cost += sum(end - at for at, counted in rounds if counted)
    return cost


def plain_fallback(markdown_text: str, message: str) -> tuple[str, str]:
    """The text as (HTML, plain text): ``message``, then one escaped paragraph per non-blank line.

    Built directly, in linear time: the HTML holds only ``p``, ``em`` and escaped text (safe as it
    stands), and the plain text is what the pane shows for it.
    """
    blocks = [message]
    for line in markdown_text.splitlines():
        block = _SPACES.sub(" ", _CONTROLS.sub("", line)).strip(" ")
        if block:
            blocks.append(block)
    paragraphs = "".join(f"<p>{html.escape(block)}</p>" for block in blocks[1:])
    return f"<p><em>{html.escape(message)}</em></p>{paragraphs}", "\n".join(blocks)


def _capped_indent(match: re.Match[str]) -> str:
    indent = match.group()
    return indent if len(indent.expandtabs(4)) <= MAX_INDENT else " " * MAX_INDENT


def _capped_quote(match: re.Match[str]) -> str:
    return ">" * MAX_QUOTE_DEPTH
