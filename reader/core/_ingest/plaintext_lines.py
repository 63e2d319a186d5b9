"""Recognising single lines of plain-text newsletter dumps: issue titles, bylines, dates, page chrome."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_DAY_SUFFIX = r"(?:st|nd|rd|th)?"
# One alternative per date shape, each with its own named groups so the parts are unambiguous.
_DATE = (
    r"(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<um>\d{1,2})/(?P<ud>\d{1,2})/(?P<uy>\d{4})"
    rf"|(?P<wm>{_MONTH})\.?\s+(?P<wd>\d{{1,2}}){_DAY_SUFFIX},?\s+(?P<wy>\d{{4}})"
    rf"|(?P<ed>\d{{1,2}}){_DAY_SUFFIX}\s+(?P<em>{_MONTH})\.?,?\s+(?P<ey>\d{{4}}))"
)
_DATE_ONLY = re.compile(rf"^{_DATE}$", re.IGNORECASE)
_NAME = r"(?P<pub>[^\W\d_][^:\n]{0,60}?)"
_NUMBERED_TITLE = re.compile(
    rf"^{_NAME}\s+(?:#\s*|No\.?\s*|Issue\s+#?\s*)?(?P<num>\d{{1,6}})\s*(?::|\s[-–—|]|$)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_DATED_TITLE = re.compile(
    rf"^{_NAME}\s*[,|–—-]?\s+{_DATE}\s*(?:(?::|[|–—-])\s*(?P<rest>.*))?$", re.IGNORECASE
)
_EDITION_TITLE = re.compile(
    rf"^{_NAME}\s+(?:{_MONTH}\s+(?:\d{{4}}\s+)?)?(?:edition|issue)\b(?P<rest>.*)$", re.IGNORECASE
)
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|and|&|de|van|von|der|da|di|la|le)"
_BYLINE = re.compile(rf"^(?i:by|written by)\s+(?P<name>[A-Z][\w'’.-]*(?:,?\s+{_NAME_WORD}){{0,5}})$")
_META_DATE = re.compile(
    r"^(?i:updated|last updated|published|posted|sent|date)(?:\s+on)?\s*:?\s*(?P<value>.{1,40})$"
)
_DATEISH = re.compile(rf"\d|\b{_MONTH}\b", re.IGNORECASE)
_CHROME_WORDS = frozenset(
    (
        "search", "menu", "home", "skip to content", "skip to main content", "sign in", "log in", "login",
        "sign up", "subscribe", "subscribe now", "share", "share this", "share this post", "tweet", "like",
        "comment", "comments", "reply", "print", "email", "facebook", "twitter", "linkedin", "copy link",
        "recent posts", "see all", "back to top", "all posts", "follow", "post not marked as liked",
        "write a comment", "leave a comment", "log in to like",
    )
)  # fmt: skip
_CHROME_COUNT = re.compile(
    r"^\d[\d,.]*\s*[km]?\s+(?:views?|likes?|comments?|shares?|reads?|subscribers?|min(?:ute)?s?\s+read)$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^([#*=~_+-])(?:\s*\1){2,}$")
_SPACES = re.compile(r"\s{2,}|[^\S ]")  # runs of spaces, and lone tabs/NBSPs; not single spaces
_MAX_SHORT_LINE = 100  # longer lines are never chrome, bylines or date stamps
_INVISIBLE = re.compile(r"[\u200b\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

TitleKind = Literal["number", "date", "edition"]


@dataclass(frozen=True)
class IssueTitle:
    """What an issue's title line says about it.

    Attributes:
        publication: the newsletter's name ("Import AI").
        kind: which marker follows the name: an issue number, a date or "Edition"/"Issue".
        rest: the title text after the marker ("" when the line is only name and marker).
        number: the issue number for kind "number".
        date: the ISO date for kind "date".
    """

    publication: str
    kind: TitleKind
    rest: str
    number: int | None = None
    date: str | None = None


def clean_line(line: str) -> str:
    """A source line with invisible characters removed and every run of spaces made one space."""
    text = line.rstrip("\r\n")
    if text.isprintable() and "  " not in text:  # most lines: nothing invisible (all of it is unprintable)
        return text.strip()
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def match_issue_title(line: str) -> IssueTitle | None:
    """The publication and marker of a "<Name> <number>: ...", "<Name> <date>" or "<Name> Edition" line."""
    if len(line) > _MAX_SHORT_LINE * 4:
        return None
    text = clean_line(line)
    if (match := _DATED_TITLE.match(text)) and (date := _date_from(match)):
        return IssueTitle(_name(match["pub"]), "date", (match["rest"] or "").strip(), date=date)
    if match := _NUMBERED_TITLE.match(text):
        return IssueTitle(_name(match["pub"]), "number", match["rest"].strip(), number=int(match["num"]))
    if match := _EDITION_TITLE.match(text):
        return IssueTitle(_name(match["pub"]), "edition", match["rest"].strip(" -–—:|"))
    return None


def same_name(a: str, b: str) -> bool:
    """True when two publication names are the same, ignoring case, spacing and end punctuation."""
    return _name(a).casefold() == _name(b).casefold()


def parse_date(text: str) -> str | None:
    """The ISO date of a full date ("2023-01-11", US "1/11/2023", "Jan 11, 2023", "11 January 2023")."""
    match = _DATE_ONLY.match(clean_line(text))
    return _date_from(match) if match else None


def meta_date(line: str) -> tuple[bool, str | None]:
    """Whether a line is a date stamp ("Updated: Nov 3", "Jan 11, 2023"), and its ISO date if complete."""
    if len(line) > _MAX_SHORT_LINE:
        return False, None
    text = clean_line(line)
    if (date := parse_date(text)) is not None:
        return True, date
    match = _META_DATE.match(text)
    if match and _DATEISH.search(match["value"]):
        return True, parse_date(match["value"])
    return False, None


def byline_author(line: str) -> str | None:
    """The name in a byline such as "by Jack Clark", else None."""
    if len(line) > _MAX_SHORT_LINE:
        return None
    match = _BYLINE.match(clean_line(line))
    return match["name"].rstrip(",") if match else None


def is_chrome(line: str) -> bool:
    """True for web-page furniture a scrape leaves behind: "Search", "Share", "135 views", ..."""
    if len(line) > _MAX_SHORT_LINE:
        return False
    text = clean_line(line)
    return text.casefold().rstrip(".:!") in _CHROME_WORDS or bool(_CHROME_COUNT.match(text))


def is_separator(line: str) -> bool:
    """True for a section rule: a line of one repeated mark ("#####", "-----", "* * *")."""
    return bool(_SEPARATOR.match(line.strip()))


def _name(text: str) -> str:
    return clean_line(text).rstrip(" ,:;|-–—")


def _date_from(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups["iy"]:
        parts = (groups["iy"], groups["im"], groups["id"])
    elif groups["uy"]:
        parts = (groups["uy"], groups["um"], groups["ud"])
    elif groups["wy"]:
        parts = (groups["wy"], str(_MONTHS[groups["wm"].lower()]), groups["wd"])
    else:
        parts = (groups["ey"], str(_MONTHS[groups["em"].lower()]), groups["ed"])
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return None
