"""The performance targets of Back Issue and their pass/fail against one run's figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    """A named limit on one figure of the results (``higher`` when bigger is better)."""

    name: str
    limit: float
    unit: str
    read: Callable[[dict[str, Any]], float | None]
    higher: bool = False
    large_limit: float | None = None
    """The limit for libraries of more than LARGE issues (issue #20: 50,000), when it differs."""

    def check(self, results: dict[str, Any]) -> dict[str, Any]:
        """The figure, the limit and "pass" / "FAIL" / "n/a" (figure missing or skipped)."""
        try:
            value = self.read(results)
        except (KeyError, TypeError, ZeroDivisionError):
            value = None
        large = self.large_limit is not None and results.get("issues", 0) > LARGE
        limit = self.large_limit if large and self.large_limit is not None else self.limit
        met = value is not None and (value >= limit if self.higher else value <= limit)
        verdict = "n/a" if value is None else "pass" if met else "FAIL"
        op = ">=" if self.higher else "<="
        return {"target": self.name, "value": value, "limit": f"{op} {limit:g} {self.unit}",
                "verdict": verdict}  # fmt: skip


LARGE = 10_000


def _gui(results: dict[str, Any], part: str, key: str) -> float | None:
    value = results.get("gui", {}).get(part, {}).get(key)
    return None if value is None else float(value)


def _sidebar_stall(shelves: dict[str, Any]) -> float:
    """The main thread's share of a counts refresh: the first (slowest) apply or the p95 of the rest."""
    return max(float(shelves["sidebar_apply_first_ms"]), float(shelves["sidebar_apply"]["p95_ms"]))


def _choose_ms(shelves: dict[str, Any]) -> float:
    """The slowest of choosing a publication, a tag and a smart list: ids read plus first rows shown."""
    choices = [v for k, v in shelves.items() if k.startswith("choose_")]
    return max(float(c["read_ms"]) + float(c["show_ms"]) for c in choices)


TARGETS = (  # issue #20: up to 10,000 issues, then (large_limit) at 50,000
    Target("search p95", 40, "ms", lambda r: r["library"]["search"]["overall"]["p95_ms"], large_limit=100),
    Target("search p95 / FTS5 p95", 2, "x", lambda r: r["comparison"]["p95_ratio"], large_limit=3),
    Target("worst query", 250, "ms", lambda r: r["library"]["search"]["overall"]["max_ms"], large_limit=500),
    Target("import throughput", 100, "issues/s", lambda r: r["library"]["import"]["issues_per_s"], higher=True),
    Target("adding 50 issues (import + index)", 3, "s", lambda r: r["library"]["add_issues"]["total_s"],
           large_limit=5),
    Target("cold start to first paint", 0.8, "s", lambda r: _gui(r, "cold_start", "painted_s"), large_limit=1),
    Target("open issue p95", 100, "ms", lambda r: r["library"]["open_issue"]["p95_ms"]),
    Target("peak RSS (Library process)", 200, "MB", lambda r: r["library"]["peak_rss_mb"], large_limit=400),
    Target("UI stall during import", 100, "ms", lambda r: _gui(r, "stalls", "import_max_gap_ms")),
    Target("UI stall during search", 100, "ms", lambda r: _gui(r, "stalls", "search_max_gap_ms")),
    Target("scroll 100k rows: max frame", 100, "ms", lambda r: _gui(r, "scroll", "scroll_max_frame_ms")),
    # issue #16 (benchmarks/shelves_bench.py, its result under "shelves")
    Target("sidebar counts refresh stall", 100, "ms", lambda r: _sidebar_stall(r["shelves"])),
    Target("choosing a sidebar entry: first rows", 100, "ms", lambda r: _choose_ms(r["shelves"])),
    # issue #17 (benchmarks/links_bench.py, its result under "links")
    Target("Links view open", 200, "ms", lambda r: r["links"]["links_view_open_ms"]),
    Target("Links view sort", 200, "ms", lambda r: r["links"]["links_view_sort_ms"]),
    Target("cited-by p95", 50, "ms", lambda r: r["links"]["cited_by"]["p95_ms"]),
)


def check_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target checked against ``results``."""
    return [target.check(results) for target in TARGETS]
