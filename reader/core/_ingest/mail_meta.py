"""What a mail's headers say about it: the publication it belongs to, whether it is a newsletter, its labels.

List mail names its list in ``List-Id`` (Mailman 2: ``Description <name.host>``, where the
description may be a whole sentence; Mailman 3 and most platforms: ``"Name" <name.host>`` or just
``<name.host>``). Pipermail archives write senders as ``sb at example.org (Name)`` and tag subjects
with ``[List]``. Newsletter platforms add their own headers.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable

from reader.core._ingest.meta import clean_text
from reader.core._ingest.naming import looks_like_name, name_for_slug, title_pattern

HeaderReader = Callable[[str], str]

_SUBJECT_TAG = re.compile(r"^\s*(?:(?:re|fwd?|aw)\s*:\s*)*\[([^\]]{1,40})\]", re.IGNORECASE)
_LIST_ID = re.compile(r"^\s*(.*?)\s*<([^<>@\s]+)>\s*$", re.DOTALL)
_PIPERMAIL_FROM = re.compile(r"^\s*\S+ at \S+\s*\((.+)\)\s*$")
_ADDRESS_LIKE = re.compile(r"@|\S+ at \S+\.\w+")
# Headers only bulk senders write (platform headers: Substack, Mailchimp, Beehiiv, Buttondown,
# ConvertKit, Campaign Monitor, SendGrid, Mailgun, Amazon SES campaigns, Revue, Ghost).
_PLATFORM_HEADERS = (
    "X-Substack-Post-Id", "X-MC-User", "X-Mailchimp-Campaign", "X-Beehiiv-Type", "X-Newsletter",
    "X-Campaign", "X-CampaignID", "X-Campaign-Id", "X-Mailgun-Tag", "X-SG-EID", "X-CSA-Complaints",
    "X-Buttondown-Newsletter", "X-ConvertKit-Broadcast", "X-Ghost-Newsletter", "Feedback-ID",
)  # fmt: skip
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})


def mail_publication(header: HeaderReader, title: str) -> str:
    """The publication a mail belongs to; never an address, a list's description sentence or the title.

    The ``List-Id`` name when it is name-like > a subject's ``[List]`` tag > the sender's display name
    (for list mail, after the "Name NNN: ..." title pattern: a list's poster is a person) > that
    pattern > the list id made readable > "Email".
    """
    list_name, list_id = _list_id(header("List-Id"))
    if list_name and looks_like_name(list_name):
        return list_name
    tag = _SUBJECT_TAG.match(header("Subject"))
    if tag and looks_like_name(tag.group(1).strip()):
        return tag.group(1).strip()
    pattern = title_pattern(title)
    sender = sender_name(header("From (raw)") or header("From"))
    # A list's poster is a person, not the publication; a newsletter's sender name is its name.
    for candidate in (pattern[0] if pattern else None, sender)[:: 1 if list_id else -1]:
        if candidate:
            return candidate
    if list_id:
        return name_for_slug(list_id.split(".")[0], title)
    return "Email"


def sender_name(from_header: str) -> str | None:
    """The display name of a From header ("Sam Lee"), pipermail's ``sb at host (Name)`` too; never an address."""
    pipermail = _PIPERMAIL_FROM.match(from_header)
    name = pipermail.group(1) if pipermail else email.utils.parseaddr(from_header)[0]
    text = clean_text(name.strip().strip("\"'"))
    if not text or _ADDRESS_LIKE.search(text):
        return None
    return text


def is_newsletter(header: HeaderReader) -> bool:
    """True when headers mark bulk mail: List-Id, List-Unsubscribe, Precedence: bulk, or a platform's header."""
    if header("List-Id").strip() or header("List-Unsubscribe").strip():
        return True
    if header("Precedence").strip().lower() in _BULK_PRECEDENCE:
        return True
    return any(header(name).strip() for name in _PLATFORM_HEADERS)


def gmail_labels(header: HeaderReader) -> tuple[str, ...]:
    """The labels of a Gmail Takeout message (``X-Gmail-Labels: Inbox,Newsletters,"Work, old"``)."""
    raw = header("X-Gmail-Labels")
    labels = re.findall(r'"([^"]*)"|([^,]+)', raw)
    return tuple(dict.fromkeys(part.strip() for pair in labels for part in pair if part.strip()))


def _list_id(value: str) -> tuple[str | None, str | None]:
    match = _LIST_ID.match(value)
    if not match:
        return None, None
    name = clean_text(match.group(1).strip().strip("\"'")) if match.group(1) else None
    return name, match.group(2)

