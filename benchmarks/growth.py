"""How each figure grows with the library: a line per figure ("search p95 x1.9 for x5 issues") and a plot.

The plot needs matplotlib, which only the benchmark's optional extra installs
(``pip install -e '.[bench]'``); the app never imports it. Without it the lines are still printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One figure of a size's results, and whether a bigger value is better."""

    name: str
    unit: str
    read: Callable[[dict[str, Any]], float | None]
    higher_is_better: bool = False


def _get(*keys: str) -> Callable[[dict[str, Any]], float | None]:
    def read(results: dict[str, Any]) -> float | None:
        value: Any = results
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return None if value is None else float(value)

    return read


FIGURES = (
    Figure("import + index", "issues/s", _get("library", "import", "issues_per_s"), higher_is_better=True),
    Figure("search p50", "ms", _get("library", "search", "overall", "p50_ms")),
    Figure("search p95", "ms", _get("library", "search", "overall", "p95_ms")),
    Figure("worst query", "ms", _get("library", "search", "overall", "max_ms")),
    Figure("FTS5 search p95", "ms", _get("fts5", "search", "overall", "p95_ms")),
    Figure("adding 50 issues", "s", _get("library", "add_issues", "total_s")),
    Figure("open issue p95", "ms", _get("library", "open_issue", "p95_ms")),
    Figure("add highlight p95", "ms", _get("library", "add_highlight", "p95_ms")),
    Figure("peak RSS", "MB", _get("library", "peak_rss_mb")),
    Figure("index size", "MB", _get("library", "index_mb")),
    Figure("FTS5 size", "MB", _get("fts5", "size_mb")),
    Figure("cold start to first paint", "s", _get("gui", "cold_start", "painted_s")),
    Figure("cold start to the whole list", "s", _get("gui", "cold_start", "listed_all_s")),
)


def growth(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each figure and each step between sizes: both values and the factors of figure and size."""
    rows = []
    ordered = sorted(runs, key=lambda r: r["issues"])
    for figure in FIGURES:
        for small, large in pairwise(ordered):
            before, after = figure.read(small), figure.read(large)
            if before is None or after is None:
                continue
            rows.append({
                "figure": figure.name, "unit": figure.unit, "from_issues": small["issues"],
                "to_issues": large["issues"], "from": before, "to": after,
                "factor": round(after / before, 2) if before else None,
                "size_factor": round(large["issues"] / small["issues"], 2),
            })  # fmt: skip
    return rows


def format_growth(rows: list[dict[str, Any]]) -> str:
    """One line per figure and step: "search p95 46.0 -> 88.1 ms: x1.9 for x5 issues (1,000 -> 5,000)"."""
    lines = ["growth with the library:"]
    for row in rows:
        factor = "n/a" if row["factor"] is None else f"x{row['factor']:g}"
        lines.append(
            f"  {row['figure']} {_short(row['from'])} -> {_short(row['to'])} {row['unit']}: {factor} for "
            f"x{row['size_factor']:g} issues ({row['from_issues']:,} -> {row['to_issues']:,})"
        )
    return "\n".join(lines)


def _short(value: float) -> str:
    return f"{round(value, 1 if abs(value) >= 10 else 2):g}"


def plot_growth(runs: list[dict[str, Any]], path: Path) -> str:
    """Draw each figure against the number of issues (log-log) into ``path``; says what it did."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "growth plot skipped: matplotlib is not installed (pip install -e '.[bench]')"
    ordered = sorted(runs, key=lambda r: r["issues"])
    sizes = [r["issues"] for r in ordered]
    shown = [f for f in FIGURES if all(f.read(r) is not None for r in ordered)]
    columns = 3
    rows = (len(shown) + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 2.4 * rows), squeeze=False)
    for ax, figure in zip(axes.flat, shown, strict=False):
        values = [figure.read(r) for r in ordered]
        ax.plot(sizes, values, marker="o")
        ax.set_xscale("log")
        ax.set_title(f"{figure.name} ({figure.unit})", fontsize=9)
        ax.set_xticks(sizes, [f"{n:,}" for n in sizes], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.set_ylim(bottom=0)  # a change of a few percent should look like one
        ax.grid(True, alpha=0.3)
    for ax in list(axes.flat)[len(shown):]:
        ax.set_visible(False)
    fig.suptitle("Back Issue: figures by number of issues", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return f"growth plot written to {path}"


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.growth RESULTS.json... --plot PNG``: the growth lines (and plot) of
    results written by separate runs (the 50,000-issue size runs on its own)."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("results", type=Path, nargs="+")
    parser.add_argument("--plot", type=Path)
    args = parser.parse_args(argv)
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in args.results]
    print(format_growth(growth(runs)))
    if args.plot is not None:
        print(plot_growth(runs, args.plot))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
