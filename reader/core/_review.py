"""Daily review of highlights: which to show today, and when each comes back (FSRS).

Scheduling is the ``fsrs`` package's (Free Spaced Repetition Scheduler), without fuzzing so the
same answers give the same days; each highlight's card is kept as the package's JSON in
``review_cards``. Answers map to FSRS ratings: "more often" is Hard, "keep" Good, "less often"
Easy. "mastered" and "discard" take a highlight out of review.

The choice of today's highlights: due ones (never reviewed, or their card is due), those never
seen first, then those with a note, then those of starred issues, oldest due first; never two of
the same issue in a row (a highlight that would be is left for another day). Days are local days.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from fsrs import Card, Rating, Scheduler

from reader.core._storage import Database
from reader.core.errors import HighlightNotFoundError, ReaderError
from reader.core.types import Highlight, ReviewAction, ReviewDay, ReviewItem

DEFAULT_DAILY = 5
MAX_DAILY = 100
_DAILY_KEY = "review_daily"
_RATINGS = {"more": Rating.Hard, "keep": Rating.Good, "less": Rating.Easy}
_STATUS = {"mastered": "mastered", "discard": "discarded"}
STATUSES = ("active", "mastered", "discarded")
_MARKS = (". ", "! ", "? ", "\n")
_CONTEXT_LIMIT = 240
"""At most this many characters of context on each side of the quote."""


@lru_cache(maxsize=1)
def scheduler() -> Scheduler:
    """The FSRS scheduler: default weights, whole days (no learning steps), no random fuzz."""
    return Scheduler(enable_fuzzing=False, learning_steps=(), relearning_steps=())


def utc(now: datetime) -> datetime:
    """``now`` in UTC (a naive time is taken as UTC)."""
    return now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)


def local_day(now: datetime) -> str:
    """The reader's calendar day of ``now`` (local time), as ``2026-11-30``."""
    return utc(now).astimezone().date().isoformat()


def _iso(moment: datetime) -> str:
    return utc(moment).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse(text: str) -> datetime:
    return utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


# -- settings ------------------------------------------------------------------------------------


def daily_count(db: Database) -> int:
    """How many highlights a day the review shows (default 5)."""
    row = db.query_one("SELECT value FROM meta WHERE key = ?", (_DAILY_KEY,))
    try:
        return max(1, min(MAX_DAILY, int(row[0]))) if row else DEFAULT_DAILY
    except ValueError:
        return DEFAULT_DAILY


def set_daily_count(db: Database, count: int) -> None:
    """Keep ``count`` highlights a day; ReaderError outside 1..100."""
    if not 1 <= count <= MAX_DAILY:
        raise ReaderError(f"The daily review shows 1 to {MAX_DAILY} highlights, not {count}")
    with db.transaction() as tx:
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_DAILY_KEY, str(count)))


# -- today's queue ---------------------------------------------------------------------------------

_CANDIDATES = """
SELECT h.id, h.issue_id, h.quote, h.prefix, h.suffix, h.start, h."end", h.color, h.note, h.created,
       h.modified, h.detached, i.title AS issue_title, i.publication, i.date AS issue_date, i.starred,
       c.due, COALESCE(c.reviews, 0) AS reviews
FROM highlights h JOIN issues i ON i.id = h.issue_id
LEFT JOIN review_cards c ON c.highlight_id = h.id
WHERE COALESCE(c.status, 'active') = 'active'
"""


@dataclass(frozen=True)
class _Candidate:
    row: sqlite3.Row

    @property
    def issue_id(self) -> str:
        return str(self.row["issue_id"])

    def rank(self) -> tuple[bool, bool, bool, str, str, str]:
        row = self.row
        return (row["reviews"] > 0, not row["note"].strip(), not row["starred"], row["due"] or "",
                row["created"], row["id"])  # fmt: skip


def review_day(db: Database, now: datetime, plain_text: Callable[[str], str]) -> ReviewDay:
    """Today's review as of ``now``: what is left to show, what was done, the streak."""
    day = local_day(now)
    daily = daily_count(db)
    seen_today = {r[0] for r in db.query("SELECT DISTINCT highlight_id FROM review_log WHERE day = ?", (day,))}
    rows = db.query(_CANDIDATES)
    due_by = _iso(now)
    candidates = sorted(
        (_Candidate(r) for r in rows if r["id"] not in seen_today and (r["due"] is None or r["due"] <= due_by)),
        key=_Candidate.rank,
    )
    last = db.query_one("SELECT issue_id FROM review_log WHERE day = ? ORDER BY id DESC LIMIT 1", (day,))
    chosen = _choose(candidates, max(0, daily - len(seen_today)), None if last is None else last[0])
    texts: dict[str, str] = {}
    items = tuple(_item(c.row, texts, plain_text) for c in chosen)
    return ReviewDay(day=day, daily=daily, done=len(seen_today), items=items,
                     streak=_streak(db, day), in_review=len(rows))  # fmt: skip


def _choose(candidates: list[_Candidate], count: int, last_issue: str | None) -> list[_Candidate]:
    """The first ``count`` candidates in rank order such that no two neighbours share an issue."""
    chosen: list[_Candidate] = []
    left = list(candidates)
    while left and len(chosen) < count:
        pick = next((c for c in left if c.issue_id != last_issue), None)
        if pick is None:
            break
        chosen.append(pick)
        left.remove(pick)
        last_issue = pick.issue_id
    return chosen


def _item(row: sqlite3.Row, texts: dict[str, str], plain_text: Callable[[str], str]) -> ReviewItem:
    hl = Highlight(
        id=row["id"], issue_id=row["issue_id"], quote=row["quote"], prefix=row["prefix"], suffix=row["suffix"],
        start=row["start"], end=row["end"], color=row["color"], note=row["note"], created=row["created"],
        modified=row["modified"], detached=bool(row["detached"]),
    )  # fmt: skip
    if hl.detached:
        context, q_start = hl.quote, 0
    else:
        if hl.issue_id not in texts:
            texts[hl.issue_id] = plain_text(hl.issue_id)
        context, q_start = sentence_around(texts[hl.issue_id], hl.start, hl.end)
    return ReviewItem(
        highlight=hl, title=row["issue_title"], publication=row["publication"], date=row["issue_date"],
        starred=bool(row["starred"]), context=context, quote_start=q_start, quote_end=q_start + hl.end - hl.start,
        reviews=row["reviews"], due=row["due"],
    )  # fmt: skip


def sentence_around(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence(s) holding ``text[start:end]``, and where the quote starts in it.

    A sentence ends at ``.``, ``!`` or ``?`` followed by a space, or at a line break; at most
    240 characters are taken on each side (cut at a word, marked with an ellipsis).
    """
    limit_begin = max(0, start - _CONTEXT_LIMIT)
    begins = [text.rfind(m, limit_begin, start) + len(m) for m in _MARKS if text.rfind(m, limit_begin, start) >= 0]
    begin = max([limit_begin, *begins])
    limit_stop = min(len(text), end + _CONTEXT_LIMIT)
    stops = [text.find(m, end, limit_stop) + 1 for m in _MARKS if text.find(m, end, limit_stop) >= 0]
    stop = min([limit_stop, *stops])
    head, tail = text[begin:start], text[end:stop]
    if begin == limit_begin > 0:  # cut inside a long sentence: at a word, marked
        if text[begin - 1] != " " and " " in head:
            head = head[head.index(" ") + 1 :]
        head = "\u2026" + head.lstrip()
    if stop == limit_stop < len(text):
        if text[stop] != " " and " " in tail:
            tail = tail[: tail.rindex(" ")]
        tail = tail.rstrip() + "\u2026"
    return (head.lstrip() + text[start:end] + tail.rstrip()), len(head.lstrip())


def _streak(db: Database, today: str) -> int:
    """Days in a row with at least one review, ending today (or yesterday, before today's review)."""
    days = {r[0] for r in db.query("SELECT DISTINCT day FROM review_log")}
    cursor = date.fromisoformat(today)
    if today not in days:
        cursor -= timedelta(days=1)
    streak = 0
    while cursor.isoformat() in days:
        streak += 1
        cursor -= timedelta(days=1)
    return streak


# -- answering -------------------------------------------------------------------------------------


def record(tx: sqlite3.Connection, highlight_id: str, action: ReviewAction, now: datetime) -> str:
    """Store the reader's answer for a highlight; returns its issue id. Raises HighlightNotFoundError."""
    found = tx.execute("SELECT issue_id FROM highlights WHERE id = ?", (highlight_id,)).fetchone()
    if found is None:
        raise HighlightNotFoundError(f"No highlight with id {highlight_id}")
    if action not in (*_RATINGS, *_STATUS):
        raise ReaderError(f"Unknown review answer {action!r}; use keep, less, more, mastered or discard")
    row = tx.execute("SELECT card, reviews FROM review_cards WHERE highlight_id = ?", (highlight_id,)).fetchone()
    card_json, reviews = ("", 0) if row is None else (row[0], row[1])
    status, due = "active", None
    if action in _RATINGS:
        card = Card.from_json(card_json) if card_json else Card(card_id=_card_id(highlight_id), due=utc(now))
        card, _log = scheduler().review_card(card, _RATINGS[action], utc(now))
        card_json, due = card.to_json(), _iso(card.due)
    else:
        status = _STATUS[action]
    tx.execute(
        "INSERT OR REPLACE INTO review_cards (highlight_id, status, card, due, reviews, last_review, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (highlight_id, status, card_json, due, reviews + 1, _iso(now), _iso(now)),
    )
    tx.execute(
        "INSERT INTO review_log (highlight_id, issue_id, day, action, at) VALUES (?, ?, ?, ?, ?)",
        (highlight_id, found[0], local_day(now), action, _iso(now)),
    )
    return str(found[0])


def restore(tx: sqlite3.Connection, highlight_id: str, now: datetime) -> None:
    """Bring a mastered or discarded highlight back into review (its schedule kept)."""
    tx.execute(
        "UPDATE review_cards SET status = 'active', updated = ? WHERE highlight_id = ?", (_iso(now), highlight_id)
    )


def _card_id(highlight_id: str) -> int:
    return int(hashlib.sha256(highlight_id.encode("utf-8")).hexdigest()[:13], 16)


# -- export and import (the W3C JSON carries it under "backissue:review") -----------------------


def states(db: Database) -> dict[str, dict[str, Any]]:
    """The review state of every highlight that has one, by highlight id (JSON-ready)."""
    rows = db.query("SELECT highlight_id, status, card, due, reviews, last_review FROM review_cards")
    return {r[0]: _state(r) for r in rows}


def _state(row: sqlite3.Row) -> dict[str, Any]:
    return {"status": row[1], "reviews": row[4], "due": row[3], "lastReview": row[5],
            "card": json.loads(row[2]) if row[2] else None}  # fmt: skip


def check_state(state: Mapping[str, Any]) -> str | None:
    """What is wrong with a review state read from a file (None when it is usable)."""
    if state.get("status") not in STATUSES:
        return f"'status' must be one of {', '.join(STATUSES)}"
    if not isinstance(state.get("reviews", 0), int) or state.get("reviews", 0) < 0:
        return "'reviews' must be a whole number"
    for key in ("due", "lastReview"):
        value = state.get(key)
        if value is not None and not _is_time(value):
            return f"{key!r} must be an ISO time"
    card = state.get("card")
    if card is not None:
        try:
            Card.from_dict(card)
        except (TypeError, ValueError, KeyError, AttributeError):
            return "'card' is not an FSRS card"
    return None


def _is_time(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        _parse(value)
    except ValueError:
        return False
    return True


def adopt(tx: sqlite3.Connection, highlight_id: str, state: Mapping[str, Any]) -> bool:
    """Take a review state from an export unless the library's is as recent; True when taken."""
    row = tx.execute("SELECT last_review FROM review_cards WHERE highlight_id = ?", (highlight_id,)).fetchone()
    theirs = state.get("lastReview")
    if row is not None and (theirs is None or (row[0] is not None and _parse(row[0]) >= _parse(theirs))):
        return False
    card = state.get("card")
    tx.execute(
        "INSERT OR REPLACE INTO review_cards (highlight_id, status, card, due, reviews, last_review, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (highlight_id, state["status"], json.dumps(card) if card else "", state.get("due"),
         int(state.get("reviews", 0)), theirs, theirs or ""),
    )  # fmt: skip
    return True
