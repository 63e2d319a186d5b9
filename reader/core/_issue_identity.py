"""Which stored issue, if any, a parsed issue is: the keys it is known by and the import decision.

Keys, strongest first:

- the source's own key (``ParsedIssue.key``): Message-ID, feed entry id/guid or link, front matter
  ``id``/``url``;
- publication + number, where the issue has a number;
- publication + title + date (the *weak* key), decided by a fingerprint of the text.

A strong key that matches a stored issue updates it in place (reported "updated" only when
something really changed). A weak key never updates: the same text is "unchanged", different text
is a new issue kept apart from the one it resembles. An issue stored before it had its strong key
(by an older Back Issue) is adopted by that key when its text is the same.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from reader.core.types import ParsedIssue

Outcome = Literal["imported", "updated", "unchanged"]
NUMBER_PREFIX = "num:"


def normalise(value: str) -> str:
    """Casefolded words, punctuation dropped: how publications and titles are compared."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return re.sub(r"[\W_]+", " ", folded).strip()


def _hash16(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()[:16]


def legacy_identity(publication: str, title: str, number: int | None, date: str | None) -> str:
    """The identity string ids were derived from before issues had keys (kept so ids stay stable)."""
    if number is not None:
        return f"{normalise(publication)}|#{number}"
    return f"{normalise(publication)}|{normalise(title)}|{date or ''}"


def legacy_id(parsed: ParsedIssue) -> str:
    """An issue's id as earlier versions derived it: publication + number, else + title + date."""
    return _hash16(legacy_identity(parsed.publication, parsed.title, parsed.number, parsed.date))


def number_key(publication: str, number: int | None) -> str | None:
    """The publication + number key, or None without a number."""
    return None if number is None else f"{NUMBER_PREFIX}{normalise(publication)}|#{number}"


def weak_key(publication: str, title: str, date: str | None) -> str:
    """Publication + title + date: what two issues share when they merely look alike."""
    return f"{normalise(publication)}|{normalise(title)}|{date or ''}"


def fingerprint(markdown: str) -> str:
    """A hash of the issue's text, whitespace-insensitive."""
    return hashlib.sha256(" ".join(markdown.split()).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def content_hash(parsed: ParsedIssue) -> str:
    """A hash of everything an import can change about an issue."""
    fields = (parsed.publication, parsed.title, str(parsed.number), parsed.date or "", parsed.author or "")
    digest = hashlib.sha256("\x1f".join((*fields, parsed.markdown)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Keys:
    """Everything a parsed issue is known by."""

    strong: str | None
    explicit: bool
    weak: str
    fingerprint: str
    digest: str
    legacy_id: str
    legacy_identity: str

    @classmethod
    def of(cls, parsed: ParsedIssue) -> Keys:
        """The keys of a parsed issue."""
        strong = parsed.key or number_key(parsed.publication, parsed.number)
        return cls(
            strong=strong,
            explicit=parsed.key is not None,
            weak=weak_key(parsed.publication, parsed.title, parsed.date),
            fingerprint=fingerprint(parsed.markdown),
            digest=content_hash(parsed),
            legacy_id=legacy_id(parsed),
            legacy_identity=legacy_identity(parsed.publication, parsed.title, parsed.number, parsed.date),
        )


class DuplicateSeparator:
    """Gives a distinct key to an issue that repeats an earlier issue's key of the same source with other text.

    An mbox can hold two different messages under one Message-ID (a resent message, a careless
    mailer): the second must not replace the first. Its key gets its text's fingerprint, which is
    the same on every import, so re-importing the file still finds both. A repeat with the same
    text keeps the key (it is the same issue). Called once per issue, in file order, so a mailbox
    read as a stream is separated the same way as a list.
    """

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def __call__(self, issue: ParsedIssue) -> ParsedIssue:
        if issue.key is None:
            return issue
        digest = content_hash(issue)
        if self._seen.setdefault(issue.key, digest) != digest:
            return replace(issue, key=f"{issue.key}#{fingerprint(issue.markdown)}")
        return issue


def separate_duplicates(issues: list[ParsedIssue]) -> list[ParsedIssue]:
    """The issues of one source with repeated keys separated (see DuplicateSeparator)."""
    separate = DuplicateSeparator()
    return [separate(issue) for issue in issues]


@dataclass(frozen=True)
class Stored:
    """What identity needs to know of a stored issue."""

    id: str
    source_key: str | None
    weak_key: str
    fingerprint: str
    digest: str


class Lookup(Protocol):
    """Finding stored issues by key (the database, or the database plus a dry run's plan)."""

    def by_id(self, issue_id: str) -> Stored | None: ...
    def by_source_key(self, key: str) -> Stored | None: ...
    def by_fingerprint(self, value: str) -> list[Stored]: ...
    def by_weak_key(self, value: str) -> list[Stored]: ...
    def id_taken(self, issue_id: str) -> bool: ...


@dataclass(frozen=True)
class Decision:
    """What importing one parsed issue does.

    Attributes:
        issue_id: the stored issue it is (or the id of the new one).
        outcome: imported (new), updated (in place, its text or metadata changed) or unchanged.
        kept_apart: new, although an issue with the same publication, title and date exists.
        set_key: the stored issue gets this issue's strong key (adopted from an older version).
    """

    issue_id: str
    outcome: Outcome
    kept_apart: bool = False
    set_key: bool = False


def decide(keys: Keys, lookup: Lookup) -> Decision:
    """Which stored issue ``keys`` belong to, and whether it is new, updated or unchanged."""
    if keys.strong is not None:
        row = lookup.by_source_key(keys.strong)
        if row is not None:
            return Decision(row.id, "unchanged" if row.digest == keys.digest else "updated")
        row = _adoptable(keys, lookup)
        if row is not None:
            return Decision(row.id, "unchanged" if row.digest == keys.digest else "updated", set_key=True)
    else:
        for row in lookup.by_fingerprint(keys.fingerprint):
            if row.weak_key == keys.weak:
                return Decision(row.id, "unchanged")
    kept_apart = bool(lookup.by_weak_key(keys.weak))
    return Decision(_new_id(keys, lookup.id_taken), "imported", kept_apart=kept_apart)


def _adoptable(keys: Keys, lookup: Lookup) -> Stored | None:
    """A stored issue with the same text and a weaker key than ``keys.strong`` (stored before it had it)."""

    def weaker(row: Stored) -> bool:
        if row.source_key is None:
            return True
        return keys.explicit and row.source_key.startswith(NUMBER_PREFIX)

    candidates = [row for row in lookup.by_fingerprint(keys.fingerprint) if weaker(row)]
    candidates.sort(key=lambda row: (row.id != keys.legacy_id, row.weak_key != keys.weak, row.id))
    return candidates[0] if candidates else None


def _new_id(keys: Keys, taken: Callable[[str], bool]) -> str:
    """The legacy id when it is free (so ids match earlier versions'), else one derived from the keys."""
    if not taken(keys.legacy_id):
        return keys.legacy_id
    base = f"{keys.legacy_identity}|{keys.strong or keys.fingerprint}"
    candidate = _hash16(base)
    counter = 1
    while taken(candidate):
        counter += 1
        candidate = _hash16(f"{base}|{counter}")
    return candidate
