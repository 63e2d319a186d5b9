"""Naming an issue when the source does not say: its publication, number, title and date from hints.

Real archives rarely state everything. These helpers read what they do state, in the order a person
would trust it: the "Name NNN: ..." title pattern most newsletters use, the site of the issue's URL,
the file's name (``haskell-weekly-178.md``), a date in a leading comment or first line.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from reader.core._ingest.meta import clean_text, normalise_date

# "Import AI 329: Compute IS data", "Haskell Weekly Issue 178 - ...", "Rust Weekly #12 | ..."
_TITLE_PATTERN = re.compile(
    r"^(?P<name>[^\W\d][\w&'’.+]*(?:[ \t]+[\w&'’.+]+){0,5}?)[ \t]+"
    r"(?:(?:issue|no\.?|number|edition|episode|vol\.?)[ \t]*)?#?(?P<number>\d{1,6})"
    r"[ \t]*(?:[:|–—-][ \t]*\S|$)",
    re.IGNORECASE,
)
_NAME_STOP_WORDS = frozenset({"the", "a", "an", "in", "on", "of", "to", "and", "for", "at", "by", "with", "top"})
_LEADING_DATE = re.compile(r"^\d{4}[-_]\d{1,2}[-_]\d{1,2}(?:[-_ ]+|$)")
_TRAILING_NUMBER = re.compile(r"(?:^|[-_ ]+)(?:issue[-_ ]*|no[-_ ]*|n)?#?(\d{1,6})$", re.IGNORECASE)
_GENERIC_STEMS = frozenset({"index", "post", "readme", "issue", "newsletter", "content", "article", "email"})
_GENERIC_NAMES = _GENERIC_STEMS | {
    "edition", "number", "no", "vol", "volume", "part", "chapter", "episode", "week", "day", "data", "posts",
    "newsletters", "issues", "archive", "archives", "mail", "inbox", "downloads", "documents", "unsorted",
}  # fmt: skip
"""Words that name a kind of thing, never a publication ("Issue 41" is not published by "Issue")."""
_MACHINE_ID = re.compile(r"[0-9a-f]{10,}|\d{6,}", re.IGNORECASE)
"""A run of hex digits or digits that marks an identifier a platform made, not a name."""
_WELCOME = re.compile(
    r"\b(?i:welcome to (?:(?:another|this week's|the latest|this) (?:issue|edition) of |issue \#?\d+ of )?"
    r"(?:the )?)\*{0,2}"
    r"(?P<name>[A-Z][\w'&.+-]*(?: (?:[A-Z0-9][\w'&.+-]*|in|of|the|and|for|on|to)){0,5})\*{0,2}\s*[!.,:]",
)
_PLATFORM_WORDS = frozenset(
    {"substack", "mailchimp", "beehiiv", "buttondown", "ghost", "revue", "convertkit", "tinyletter", "www",
     "newsletter"}
)  # fmt: skip
_PLATFORM_HOSTS = ("substack.com", "beehiiv.com", "buttondown.email", "ghost.io", "getrevue.co", "mailchimp.com")
_COMMENT = re.compile(r"^\s*<!--(.*?)-->", re.DOTALL)
_MAX_DATE_LINE = 60
_MAX_TITLE_LINE = 120
_MAX_TITLE_WORDS = 16
_NOT_TITLE_START = re.compile(r"^(?:[#>|*+=~`<!\[-]|\d+[.)]\s|https?://)")


def title_pattern(title: str) -> tuple[str, int] | None:
    """("Import AI", 329) from "Import AI 329: Compute IS data; …"; None when the title has no such head.

    The name must look like a name (not "Top 10: ...", not a sentence) and be followed by the number
    and a separator (or the end of the title).
    """
    match = _TITLE_PATTERN.match(title.strip())
    if not match:
        return None
    name = match.group("name").strip(" .")
    words = name.split()
    if not words or (len(words) == 1 and words[0].lower() in _NAME_STOP_WORDS) or words[-1].lower() in _NAME_STOP_WORDS:
        return None
    if not any(ch.isupper() for ch in name) or name.lower() in _GENERIC_NAMES:
        return None
    return name, int(match.group("number"))


def welcome_name(body: str) -> str | None:
    """The name an opening line gives: "Welcome to Haskell Weekly!", "Hello and welcome to another issue
    of *This Week in Rust*!" (only in the first 600 characters; never a generic word)."""
    match = _WELCOME.search(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body[:600]))
    if not match:
        return None
    name = match.group("name").strip(" .*")
    words = name.split()
    if name.lower() in _GENERIC_NAMES or words[0].lower() in _NAME_STOP_WORDS or len(name) < 3:
        return None
    return name


def is_generic_name(name: str) -> bool:
    """True for words that name a kind of thing (issue, edition, posts, 2016), not a publication."""
    lowered = name.strip().lower()
    return lowered in _GENERIC_NAMES or lowered.isdigit()


def readable_stem(stem: str) -> str:
    """A file stem as words: ``haskell-weekly-178`` -> "Haskell Weekly 178" (a leading date dropped)."""
    stem = _LEADING_DATE.sub("", stem)
    words = [w for w in re.split(r"[-_\s]+", stem) if w]
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in words)


def publication_from_stem(stem: str) -> tuple[str, int | None] | None:
    """("Haskell Weekly", 178) from ``haskell-weekly-178``; None for a generic or empty stem."""
    stem = _LEADING_DATE.sub("", stem)
    number: int | None = None
    match = _TRAILING_NUMBER.search(stem)
    if match and match.start() > 0:
        number = int(match.group(1))
        stem = stem[: match.start()]
    name = readable_stem(stem)
    if not name or is_generic_name(name) or not any(ch.isalpha() for ch in name):
        return None
    return name, number


def number_from_stem(stem: str) -> int | None:
    """The issue number a file name ends with (``newsletter-name-123``), else None."""
    found = publication_from_stem(stem)
    return found[1] if found else None


def site_slug(url: str) -> str | None:
    """The site's own name in a URL: importai.substack.com -> "importai", www.example.com -> "example"."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    labels = [label for label in host.split(".") if label not in _PLATFORM_WORDS]
    if any(host.endswith(platform) for platform in _PLATFORM_HOSTS):
        return labels[0] if labels and labels[0] not in {p.split(".")[0] for p in _PLATFORM_HOSTS} else None
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else None)


def slug_tokens(value: str) -> str | None:
    """The name part of a slug such as ``substack_importai`` ("importai"): platform words dropped."""
    words = [w for w in re.split(r"[-_.\s]+", value.lower()) if w and w not in _PLATFORM_WORDS]
    return "".join(words) or None


def name_for_slug(slug: str, *hints: str) -> str:
    """The slug spelled as one of ``hints`` spells it ("importai" in "Import AI 329" -> "Import AI").

    A run of words in a hint whose letters, joined, equal the slug's is the name; without one the
    slug is only made readable ("import-ai" -> "Import Ai").
    """
    target = re.sub(r"[\W_]+", "", slug.lower())
    for hint in hints:
        words = re.findall(r"[\w&'’+]+", hint)
        for start in range(len(words)):
            joined = ""
            for end in range(start, min(len(words), start + 6)):
                joined += re.sub(r"[\W_]+", "", words[end].lower())
                if joined == target:
                    return " ".join(words[start : end + 1])
                if not target.startswith(joined):
                    break
    return readable_stem(slug)


def leading_date(body: str) -> str | None:
    """A date in a leading HTML comment (``<!-- 2019-09-26 -->``) or alone on the first line."""
    comment = _COMMENT.match(body)
    if comment:
        found = _date_alone(comment.group(1))
        if found:
            return found
        body = body[comment.end() :]
    first = next((line for line in body.split("\n") if line.strip()), "")
    return _date_alone(first)


def _date_alone(text: str) -> str | None:
    text = text.strip().strip("*_").strip()
    text = re.sub(r"^(?:date|published|posted)\s*:\s*", "", text, flags=re.IGNORECASE)
    if not text or len(text) > _MAX_DATE_LINE:
        return None
    return normalise_date(text)


def title_like_line(body: str) -> str | None:
    """The first line, when it reads like a title: short, no sentence end, not a block or a date."""
    lines = [line.strip() for line in strip_leading_comments(body).split("\n")]
    first = next((line for line in lines if line), "")
    if not first or len(first) > _MAX_TITLE_LINE or _NOT_TITLE_START.match(first):
        return None
    text = clean_text(first.replace("**", "").replace("__", "").strip("*_ "))
    if not text or len(text.split()) > _MAX_TITLE_WORDS or text[-1] in ".,;:!" or _date_alone(text):
        return None
    return text


def strip_leading_comments(body: str) -> str:
    """The text after any HTML comments that open it."""
    while (match := _COMMENT.match(body)) is not None:
        body = body[match.end() :]
    return body


def looks_like_name(text: str) -> bool:
    """A publication-like name (a list's description sentence or an address is not one)."""
    if "@" in text or re.search(r"\S+ at \S+\.\w+", text) or len(text) > 40:
        return False
    if sum(ch.isalpha() for ch in text) < 2 or _MACHINE_ID.search(text):
        return False  # real List-Ids: "0" (Inxmail), "5e78d7ef2297cc80842b7591emc list" (Mailchimp)
    words = text.split()
    return 0 < len(words) <= 5 and not re.search(r"[.!?;:,]\s|[.!?]$", text)
