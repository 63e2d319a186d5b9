"""Reading the body lines of a plain-text issue: blank lines, section rules, indentation, hard wraps."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.core._ingest.plaintext_lines import clean_line, is_separator

_BULLET = re.compile(r"^(?:[•◦▪‣●∙·–]|[*-](?=\s))\s*(?P<text>\S.*)$")
_MIN_WRAPPED_LINES = 8
_WRAP_PERCENTILE = 0.9
_MAX_WRAP_WIDTH = 80
_WRAP_FILL = 0.65


@dataclass(frozen=True)
class BodyLine:
    """One logical line of an issue body.

    Attributes:
        text: the line with spacing normalised (hard-wrapped lines joined back into one).
        indented: the source line started with white space.
        after_break: the line is the first one after a section rule ("#####").
    """

    text: str
    indented: bool = False
    after_break: bool = False


@dataclass(frozen=True)
class Body:
    """The body of an issue as logical lines.

    Attributes:
        lines: the non-blank lines, in order.
        spaced: paragraphs are separated by blank lines (else each line stands alone, as in dumps
            that lost their blank lines).
    """

    lines: tuple[BodyLine, ...]
    spaced: bool


def bullet_text(text: str) -> str | None:
    """The text of a bullet line ("• item", "- item", "* item", "– item"), else None."""
    match = _BULLET.match(text)
    return match["text"] if match else None


def read_body(raw_lines: Sequence[str]) -> Body:
    """The logical lines of an issue body from its raw source lines.

    Args:
        raw_lines: the source lines after the issue's title and header (no line endings needed).

    Returns:
        The Body: blank lines and section rules dropped (the line after a rule marked), lines of
        a hard-wrapped text joined back into paragraphs.
    """
    width = _wrap_width(raw_lines)
    lines: list[BodyLine] = []
    parts: list[list[str]] = []  # the source pieces of each logical line, joined at the end
    after_break = blank_before = False
    blanks = last_length = 0
    for raw in raw_lines:
        text = clean_line(raw)
        if not text or is_separator(text):
            blanks += not text
            after_break = after_break or bool(text)
            blank_before = True
            continue
        if width and parts and not blank_before and _continues(last_length, text, width):
            parts[-1].append(text)
        else:
            lines.append(BodyLine("", raw[:1].isspace(), after_break and bool(lines)))
            parts.append([text])
        after_break = blank_before = False
        last_length = len(text)
    joined = tuple(
        BodyLine(" ".join(p), line.indented, line.after_break) for line, p in zip(lines, parts, strict=True)
    )
    return Body(joined, spaced=blanks * 5 >= len(lines))


def _wrap_width(raw_lines: Sequence[str]) -> int:
    """The column a hard-wrapped text was wrapped at, or 0 when its lines are not hard-wrapped."""
    lengths = sorted(len(line.rstrip()) for line in raw_lines if line.strip())
    if len(lengths) < _MIN_WRAPPED_LINES:
        return 0
    width = lengths[int(len(lengths) * _WRAP_PERCENTILE) - 1]
    long_lines = sum(length >= width * _WRAP_FILL for length in lengths)
    if width > _MAX_WRAP_WIDTH or long_lines * 2 < len(lengths):
        return 0
    return width


def _continues(last_length: int, text: str, width: int) -> bool:
    """True when ``text`` continues a paragraph whose previous source line was ``last_length`` long."""
    return last_length >= width * _WRAP_FILL and bullet_text(text) is None
