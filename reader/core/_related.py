"""Related issues (more-like-this plus shared cited works) and a search as a timeline (issue #17)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from reader.core.errors import IssueNotFoundError
from reader.core.types import IssueSummary, RelatedIssue, TimelineBucket

SHARED_WEIGHT = 0.6
"""How much one shared work cited by only two issues counts, next to the best text match (1.0)."""


def related(
    issue_id: str,
    alike: Sequence[tuple[str, float]],
    shared: Mapping[str, list[tuple[str, int]]],
    summary: Callable[[str], IssueSummary],
    limit: int,
) -> list[RelatedIssue]:
    """The ``limit`` issues most related to ``issue_id``.

    Args:
        alike: (issue id, score) from more-like-this, best first; scores are scaled so the best is 1.
        shared: issue id -> (title, issues citing it) of each work it shares with ``issue_id``; a
            shared work counts ``SHARED_WEIGHT / log2(issues citing it)`` (rare works say more).
        summary: the summary of an issue id (IssueNotFoundError for one deleted meanwhile).
    """
    best = max((score for _, score in alike), default=0.0) or 1.0
    scores: dict[str, float] = {other: score / best for other, score in alike if other != issue_id}
    for other, works in shared.items():
        if other != issue_id:
            scores[other] = scores.get(other, 0.0) + sum(SHARED_WEIGHT / math.log2(max(count, 2)) for _, count in works)
    ranked: list[RelatedIssue] = []
    for other, score in sorted(scores.items(), key=lambda item: -item[1]):
        try:
            ranked.append(RelatedIssue(summary(other), round(score, 4), tuple(t for t, _ in shared.get(other, ()))))
        except IssueNotFoundError:
            continue
        if len(ranked) == limit:
            break
    return ranked


def timeline(matches: Iterable[tuple[str, str | None, str]]) -> list[TimelineBucket]:
    """(issue id, date, publication) of matching issues -> issues per month and publication, oldest first.

    Undated issues are counted under month "" (first)."""
    counts: Counter[tuple[str, str]] = Counter()
    for _, date, publication in matches:
        counts[(date[:7] if date and len(date) >= 7 else "", publication)] += 1
    return [TimelineBucket(month, publication, n) for (month, publication), n in sorted(counts.items())]
