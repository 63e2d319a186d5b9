"""Plain-text newsletter dumps to ParsedIssue records: split into issues, read each header, body to Markdown.

The shapes handled are those of real dumps: one issue per file whose first line is its title
("Import AI 313: ...", "Superfast AI 1/11/2023", a scraped web page with chrome around it), or a
run of issues of one publication each starting with a "<Publication> <number>:" line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from reader.core._ingest.plaintext_body import bullet_text, read_body
from reader.core._ingest.plaintext_lines import (
    IssueTitle,
    byline_author,
    clean_line,
    is_chrome,
    match_issue_title,
    meta_date,
    same_name,
)
from reader.core._ingest.plaintext_markdown import body_markdown
from reader.core.types import ParsedIssue

DEFAULT_PUBLICATION = "Unknown newsletter"
"""The publication of an issue whose text does not name one."""

_MAX_TITLE_CHARS = 150
_HEADER_LINES = 6
_MAX_DEK_TITLE_WORDS = 30


@dataclass(frozen=True)
class _Header:
    author: str | None = None
    date: str | None = None
    dek: str | None = None
    consumed: int = 0


def parse_plaintext(text: str, source: str = "") -> list[ParsedIssue]:
    """Split a plain-text dump into issues and normalise each to Markdown.

    Args:
        text: the decoded text of the file.
        source: where it came from (stored on each issue).

    Returns:
        The issues in source order; an empty list when the text holds nothing but blank lines
        or page chrome. Each issue's ``original`` is its exact slice of ``text``.
    """
    lines = text.splitlines(keepends=True)
    first = _first_content(lines, 0)
    if first is None:
        return []
    title, first = _find_title(lines, first)
    starts = _issue_starts(lines, first, title) if title else [first]
    if len(starts) == 1:
        return [_build_issue(lines[first:], text, source)]
    offsets = [0, *accumulate(len(line) for line in lines)]
    ends = [*starts[1:], len(lines)]
    return [
        _build_issue(lines[start:end], text[offsets[start] : offsets[end]], source)
        for start, end in zip(starts, ends, strict=True)
    ]


def _first_content(lines: Sequence[str], start: int) -> int | None:
    """The index of the first line from ``start`` that is neither blank nor page chrome."""
    for index in range(start, len(lines)):
        if lines[index].strip() and clean_line(lines[index]) and not is_chrome(lines[index]):
            return index
    return None


def _find_title(lines: Sequence[str], first: int) -> tuple[IssueTitle | None, int]:
    """The first issue's title and its line; a lone publication-name header line is skipped."""
    title = match_issue_title(lines[first])
    if title is not None:
        return title, first
    second = _first_content(lines, first + 1)
    if second is not None:
        title = match_issue_title(lines[second])
        if title is not None and same_name(title.publication, lines[first]):
            return title, second
    return None, first


def _issue_starts(lines: Sequence[str], first: int, title: IssueTitle) -> list[int]:
    """Indexes of the lines that begin an issue: ``first`` and every later title of that publication."""
    key = title.publication.casefold()
    starts = [first]
    for index in range(first + 1, len(lines)):
        line = lines[index]
        if line[:1].isspace() or line[: len(key)].casefold() != key:
            continue
        other = match_issue_title(line)
        if other and other.kind == title.kind and same_name(other.publication, title.publication):
            starts.append(index)
    return starts


def _build_issue(lines: Sequence[str], original: str, source: str) -> ParsedIssue:
    """One issue from its lines, the first of which is its title line."""
    title_line = clean_line(lines[0])
    head = match_issue_title(title_line)
    header = _read_header(lines[1:], wants_title=head is not None and head.kind == "date" and not head.rest)
    body_start = 1 + header.consumed
    if head is None and len(title_line) > _MAX_TITLE_CHARS:
        body_start = 0  # a first line too long for a title is the first paragraph
    markdown = body_markdown(read_body(_without_tail_chrome(lines[body_start:])))
    return ParsedIssue(
        publication=head.publication if head else DEFAULT_PUBLICATION,
        title=_title(title_line, head, header),
        markdown=markdown,
        original=original,
        number=head.number if head else None,
        date=(head.date if head else None) or header.date,
        author=header.author,
        source=source,
    )


def _title(title_line: str, head: IssueTitle | None, header: _Header) -> str:
    if head is None:
        return _shorten(title_line)
    if head.kind != "date":
        return title_line
    return head.rest or header.dek or f"{head.publication} {head.date}"


def _shorten(text: str) -> str:
    if len(text) <= _MAX_TITLE_CHARS:
        return text
    return text[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-–—") + "…"


def _read_header(lines: Sequence[str], *, wants_title: bool) -> _Header:
    """Byline, date stamp, chrome and (when the title line has no title text) a dek under the title."""
    author = date = dek = None
    index = seen = 0
    while index < len(lines) and seen < _HEADER_LINES:
        text = clean_line(lines[index])
        seen += bool(text)
        is_date, iso = meta_date(text) if text else (False, None)
        if not text or is_chrome(text) or is_date:
            date = date or iso
        elif author is None and (name := byline_author(text)):
            author = name
        elif wants_title and dek is None and _fits_title(text):
            dek = text
        else:
            break
        index += 1
    return _Header(author, date, dek, index)


def _fits_title(text: str) -> bool:
    """True for a line that can serve as the issue's title (a dek such as "Welcome to 2023! ...")."""
    return (
        len(text.split()) <= _MAX_DEK_TITLE_WORDS
        and len(text) <= _MAX_TITLE_CHARS * 2
        and (text[0].isalnum() or text[0] in "\"'‘“")
        and bullet_text(text) is None
    )


def _without_tail_chrome(lines: Sequence[str]) -> Sequence[str]:
    end = len(lines)
    while end and (not clean_line(lines[end - 1]) or is_chrome(lines[end - 1])):
        end -= 1
    return lines[:end]
