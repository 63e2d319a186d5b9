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

    def check(self, results: dict[str, Any]) -> dict[str, Any]:
        """The figure, the limit and "pass" / "FAIL" / "n/a" (figure missing or skipped)."""
        try:
            value = self.read(results)
        except (KeyError, TypeError, ZeroDivisionError):
            value = None
        if value is None:
            verdict = "n/a"
        else:
            verdict = "pass" if (value >= self.limit if self.higher else value <= self.limit) else "FAIL"
        op = ">=" if self.higher else "<="
        return {"target": self.name, "value": value, "limit": f"{op} {self.limit:g} {self.unit}",
                "verdict": verdict}  # fmt: skip


def _gui(results: dict[str, Any], part: str, key: str) -> float | None:
    value = results.get("gui", {}).get(part, {}).get(key)
    return None if value is None else float(value)


TARGETS = (
    Target("search p95", 50, "ms", lambda r: r["library"]["search"]["overall"]["p95_ms"]),
    Target("search p95 / FTS5 p95", 3, "x", lambda r: r["comparison"]["p95_ratio"]),
    Target("import throughput", 20, "issues/s", lambda r: r["library"]["import"]["issues_per_s"], higher=True),
    Target("cold start to first paint", 1.5, "s", lambda r: _gui(r, "cold_start", "painted_s")),
    Target("open issue p95", 100, "ms", lambda r: r["library"]["open_issue"]["p95_ms"]),
    Target("peak RSS (Library process)", 300, "MB", lambda r: r["library"]["peak_rss_mb"]),
    Target("UI stall during import", 100, "ms", lambda r: _gui(r, "stalls", "import_max_gap_ms")),
    Target("UI stall during search", 100, "ms", lambda r: _gui(r, "stalls", "search_max_gap_ms")),
    Target("scroll 100k rows: max frame", 100, "ms", lambda r: _gui(r, "scroll", "scroll_max_frame_ms")),
    # issue #17 (benchmarks/links_bench.py, its result under "links")
    Target("Links view read", 200, "ms", lambda r: r["links"]["links_view_ms"]),
    Target("Links view sort", 200, "ms", lambda r: r["links"]["links_sort_ms"]),
    Target("cited-by p95", 50, "ms", lambda r: r["links"]["cited_by"]["p95_ms"]),
)


def check_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target checked against ``results``."""
    return [target.check(results) for target in TARGETS]
