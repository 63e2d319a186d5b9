"""Markdown issues with optional front matter (YAML ``---``, TOML ``+++`` or ``Key: Value`` lines)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
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
from reader.core._ingest.naming import (
    leading_date,
    name_for_slug,
    publication_from_stem,
    readable_stem,
    site_slug,
    slug_tokens,
    title_like_line,
    title_pattern,
    welcome_name,
)
from reader.core.types import ParsedIssue

_T = TypeVar("_T")
_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_MAX_FRONT_MATTER = 64 * 1024
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}):[ \t]*(.*)$")
_ATX1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_SETEXT1 = re.compile(r"^(\S[^\n]*)\n=+[ \t]*$", re.MULTILINE)
_PUBLICATION_KEYS = ("publication", "newsletter", "series", "site", "source")
_URL_KEYS = ("url", "link", "canonical_url", "permalink", "original_url")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_KEYS = {
    "title": ("title", "subject"),
    "date": ("date", "published", "pubdate"),
    "publication": ("category", "categories"),
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
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    title = (
        _pick(meta, "title", clean_text)
        or _first_title_heading(body)
        or title_like_line(body)
        or readable_stem(stem)
        or "Untitled"
    )
    publication, pattern_number = _publication(meta, title, stem, source, body)
    number = _pick(meta, "number", normalise_number)
    if number is None:
        number = pattern_number if pattern_number is not None else number_from_title(title, publication)
    date = _pick(meta, "date", normalise_date) or leading_date(body) or date_from_name(file_name)
    return ParsedIssue(
        publication=publication,
        title=title,
        markdown=body.strip() + "\n",
        original=text,
        number=number,
        date=date,
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


def _publication(meta: dict[str, Any], title: str, stem: str, source: str, body: str) -> tuple[str, int | None]:
    """(publication, the number its naming gave) from the first hint that names one; never the title.

    Front matter (``publication`` ... ``source``) > the "Name NNN: ..." title pattern > the site of the
    issue's URL > ``category`` > the file name's stem when it ends in a number > an opening "Welcome
    to NAME" > the folder's name.
    """
    for key in _PUBLICATION_KEYS:
        value = clean_text(meta.get(key))
        if value:
            return _named(value, title), None
    pattern = title_pattern(title)
    if pattern:
        return pattern
    for key in _URL_KEYS:
        url = clean_text(meta.get(key))
        slug = site_slug(url) if url else None
        if slug:
            return name_for_slug(slug, title), None
    category = _pick(meta, "publication", clean_text)
    if category and category != title:
        return category, None
    # A stem names the publication only when it ends in the issue's number ("haskell-weekly-178"):
    # "first.md" or "welcome-to-2023.md" are an issue's own name, and the folder says more.
    by_stem = publication_from_stem(stem)
    if by_stem and by_stem[1] is not None:
        return by_stem
    welcome = welcome_name(body)  # "Welcome to Haskell Weekly!" (its files are issue-41.markdown)
    if welcome:
        return welcome, None
    found = publication_from_stem(Path(source).parent.name)
    return found if found else ("Unsorted", None)


def _named(value: str, title: str) -> str:
    """A front-matter name as written, or a slug/URL (``substack_importai``) resolved against the title."""
    if value.startswith(("http://", "https://")):
        slug = site_slug(value)
        return name_for_slug(slug, title) if slug else value
    if " " not in value and re.search(r"[-_.]", value):
        slug = slug_tokens(value)
        return name_for_slug(slug, title) if slug else value
    return value


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


def _first_title_heading(body: str) -> str | None:
    """The first level-1 heading (``# Title`` or a ``===`` underline); a ``##`` section never is a title."""
    atx = _ATX1.search(body)
    setext = _SETEXT1.search(body)
    candidates = [m for m in (atx, setext) if m]
    if not candidates:
        return None
    heading = min(candidates, key=lambda m: m.start()).group(1)
    return clean_text(_LINK.sub(r"\1", heading).replace("**", "").replace("`", ""))
