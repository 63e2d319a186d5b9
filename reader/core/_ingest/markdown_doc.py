"""Markdown issues with optional front matter (YAML ``---``, TOML ``+++`` or ``Key: Value`` lines)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import yaml

from reader.core._ingest.detect import META_KEYS
from reader.core._ingest.format_error import FormatError
from reader.core._ingest.meta import (
    clean_text,
    date_from_name,
    normalise_date,
    normalise_number,
    number_from_title,
    source_key,
)
from reader.core.types import ParsedIssue

_T = TypeVar("_T")
_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_MAX_FRONT_MATTER = 64 * 1024
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}):[ \t]*(.*)$")
_ATX = re.compile(r"^#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_SETEXT = re.compile(r"^(\S[^\n]*)\n(?:=+|-+)[ \t]*$", re.MULTILINE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_KEYS = {
    "title": ("title", "subject"),
    "date": ("date", "published", "pubdate"),
    "publication": ("publication", "newsletter", "category", "categories", "series"),
    "author": ("author", "authors", "by"),
    "number": ("number", "issue", "issue_number"),
}


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so one bad date (2023-13-45) cannot sink the block."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_markdown(text: str, source: str, file_name: str) -> ParsedIssue:
    """One issue from a Markdown document.

    Args:
        text: the decoded document.
        source: where it came from (stored on the issue).
        file_name: the file's name, for a leading ISO date and a last-resort title.

    Raises:
        FormatError: nothing but front matter.
    """
    meta, body = split_front_matter(text)
    if not body.strip():
        raise FormatError("the Markdown file holds front matter but no text")
    title = _pick(meta, "title", clean_text) or _first_heading(body) or _title_from_name(file_name)
    publication = _pick(meta, "publication", clean_text) or title
    number = _pick(meta, "number", normalise_number)
    return ParsedIssue(
        publication=publication,
        title=title,
        markdown=body.strip() + "\n",
        original=text,
        number=number if number is not None else number_from_title(title, publication),
        date=_pick(meta, "date", normalise_date) or date_from_name(file_name),
        author=_pick(meta, "author", clean_text),
        source=source,
        key=_front_matter_key(meta),
    )


def _front_matter_key(meta: dict[str, Any]) -> str | None:
    """The document's own identity from its front matter: ``id``, else its address.

    A short ``id`` is scoped by the publication the front matter names (not by one guessed from
    the title, which changes when the title is corrected).
    """
    key = source_key("id", meta.get("id"), _pick(meta, "publication", clean_text) or "")
    for name in ("url", "permalink", "link", "canonical_url"):
        key = key or source_key("url", meta.get(name))
    return key


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split a document into its front matter (keys lowercased; {} when absent or unreadable) and body."""
    text = text.lstrip("\ufeff")
    first, _, rest = text.partition("\n")
    fence = first.strip()
    if fence in _FENCES:
        block, body = _until_fence(rest, _FENCES[fence])
        if block is not None:
            return (_load_yaml(block) if fence == "---" else _load_toml(block)), body
    return _header_lines(text)


def _until_fence(text: str, closers: tuple[str, ...]) -> tuple[str | None, str]:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.strip() in closers:
            return "\n".join(lines[:index]), "\n".join(lines[index + 1 :])
    return None, text


def _load_yaml(block: str) -> dict[str, Any]:
    if len(block) > _MAX_FRONT_MATTER:
        return {}
    try:
        data = yaml.load(block, Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return {}
    return _lower_keys(data)


def _load_toml(block: str) -> dict[str, Any]:
    if len(block) > _MAX_FRONT_MATTER:
        return {}
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return _lower_keys(tomllib.loads(block))
        except (tomllib.TOMLDecodeError, ValueError, RecursionError):
            return {}
    return _simple_toml(block)  # pragma: no cover - Python 3.10 only


def _simple_toml(block: str) -> dict[str, Any]:
    """``key = "value"`` lines only: enough for front matter where tomllib is missing (Python 3.10)."""
    data: dict[str, Any] = {}
    for line in block.split("\n"):
        key, sep, value = line.partition("=")
        if sep and key.strip():
            data[key.strip().lower()] = value.strip().strip("\"'")
    return data


def _header_lines(text: str) -> tuple[dict[str, Any], str]:
    """``Title: ...`` lines up to the first blank line, when the first of them is a known key."""
    lines = text.split("\n")
    data: dict[str, Any] = {}
    for index, line in enumerate(lines):
        match = _HEADER_LINE.match(line.strip())
        if not line.strip() or not match:
            body_start = index
            break
        data[match.group(1).strip().lower()] = match.group(2)
    else:
        body_start = len(lines)
    if not data or next(iter(data)) not in META_KEYS:
        return {}, text
    return data, "\n".join(lines[body_start:])


def _lower_keys(data: object) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    return {str(k).lower(): v for k, v in data.items() if isinstance(k, (str, int))}


def _pick(meta: dict[str, Any], field: str, normalise: Callable[[Any], _T | None]) -> _T | None:
    for key in _KEYS[field]:
        value = normalise(meta.get(key))
        if value is not None:
            return value
    return None


def _first_heading(body: str) -> str | None:
    atx = _ATX.search(body)
    setext = _SETEXT.search(body)
    candidates = [m for m in (atx, setext) if m]
    if not candidates:
        return None
    heading = min(candidates, key=lambda m: m.start()).group(1)
    return clean_text(_LINK.sub(r"\1", heading).replace("**", "").replace("`", ""))


def _title_from_name(file_name: str) -> str:
    stem = file_name.rsplit(".", 1)[0]
    stem = re.sub(r"^\d{4}-\d{1,2}-\d{1,2}[-_ ]*", "", stem)
    return clean_text(re.sub(r"[-_]+", " ", stem)) or "Untitled"
