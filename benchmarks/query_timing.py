"""Timing a query mix against any search function: one warm-up pass, then repeated measured passes."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.measure import latency_summary

SLOWEST_SHOWN = 5


@dataclass(frozen=True)
class QueryTiming:
    """The measured latencies of one query (seconds) and how many hits it gave."""

    text: str
    kind: str
    samples: tuple[float, ...]
    hits: int
    error: str = ""

    @property
    def median_ms(self) -> float:
        """The query's median latency in milliseconds."""
        ordered = sorted(self.samples)
        return ordered[len(ordered) // 2] * 1000 if ordered else 0.0


def time_queries(
    run: Callable[[str], Sequence[Any]], queries: Sequence[tuple[str, str]], repeats: int
) -> list[QueryTiming]:
    """Time each ``(kind, text)`` query ``repeats`` times after one warm-up pass over the whole mix.

    A query that raises is recorded with its error and no samples (the mix goes on).
    """
    errors: dict[str, str] = {}
    hits: dict[str, int] = {}
    for _kind, text in queries:
        try:
            hits[text] = len(run(text))
        except Exception as exc:  # a benchmark reports failures, it does not stop on them
            errors[text] = f"{type(exc).__name__}: {exc}"
    samples: dict[str, list[float]] = {text: [] for _kind, text in queries}
    for _ in range(repeats):
        for _kind, text in queries:
            if text in errors:
                continue
            start = time.perf_counter()
            run(text)
            samples[text].append(time.perf_counter() - start)
    return [
        QueryTiming(text, kind, tuple(samples[text]), hits.get(text, 0), errors.get(text, "")) for kind, text in queries
    ]


def summarise(timings: Sequence[QueryTiming]) -> dict[str, Any]:
    """Latency over every sample, per kind, the slowest queries and the failures."""
    every = [s for t in timings for s in t.samples]
    kinds = dict.fromkeys(t.kind for t in timings)
    slowest = sorted(timings, key=lambda t: t.median_ms, reverse=True)[:SLOWEST_SHOWN]
    return {
        "overall": latency_summary(every),
        "by_kind": {k: latency_summary([s for t in timings if t.kind == k for s in t.samples]) for k in kinds},
        "slowest": [{"query": t.text, "median_ms": round(t.median_ms, 2), "hits": t.hits} for t in slowest],
        "queries": [_query_row(t) for t in timings],
    }


def _query_row(timing: QueryTiming) -> dict[str, Any]:
    row: dict[str, Any] = {
        "query": timing.text,
        "kind": timing.kind,
        "median_ms": round(timing.median_ms, 2),
        "hits": timing.hits,
    }
    if timing.error:
        row["error"] = timing.error
    return row
