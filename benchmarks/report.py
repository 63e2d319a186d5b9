"""Printing one run's results as plain-text tables."""

from __future__ import annotations

from typing import Any


def _row(cells: list[Any], widths: list[int]) -> str:
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A left-aligned text table."""
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]
    lines = [_row(headers, widths), _row(["-" * w for w in widths], widths)]
    return "\n".join(lines + [_row(r, widths) for r in rows])


def format_results(results: dict[str, Any]) -> str:
    """The whole report of one corpus size."""
    lib, fts, cmp_ = results["library"], results["fts5"], results["comparison"]
    imp, search, fsearch = lib["import"], lib["search"]["overall"], fts["search"]["overall"]
    parts = [
        f"=== Back Issue benchmark: {results['issues']} issues, {imp['files']} files, {imp['megabytes']} MB "
        f"(seed {results['seed']}, corpus sha256 {results['corpus_sha256'][:12]}) ===",
        table(
            ["figure", "Back Issue (Whoosh)", "FTS5 baseline", "ratio"],
            [
                ["import + index total", f"{imp['total_s']} s", f"{fts['load_s']} s (index only)", ""],
                ["  parse+store / index", f"{imp['parse_store_s']} s / {imp['index_s']} s", "", ""],
                ["  throughput", f"{imp['issues_per_s']} issues/s, {imp['mb_per_s']} MB/s", "", ""],
                ["search p50", f"{search['p50_ms']} ms", f"{fsearch['p50_ms']} ms", f"{cmp_['p50_ratio']}x"],
                ["search p95", f"{search['p95_ms']} ms", f"{fsearch['p95_ms']} ms", f"{cmp_['p95_ratio']}x"],
                ["search max", f"{search['max_ms']} ms", f"{fsearch['max_ms']} ms", ""],
                [
                    "open issue p50/p95",
                    f"{lib['open_issue']['p50_ms']} / {lib['open_issue']['p95_ms']} ms",
                    "",
                    "",
                ],
                [
                    "add highlight p50/p95",
                    f"{lib['add_highlight']['p50_ms']} / {lib['add_highlight']['p95_ms']} ms",
                    "",
                    "",
                ],
                ["peak RSS", f"{lib['peak_rss_mb']} MB", "", ""],
                ["index size on disk", f"{lib.get('index_mb')} MB (database {lib.get('database_mb')} MB)",
                 f"{fts.get('size_mb')} MB", ""],
                ["adding 50 issues", _added(lib.get("add_issues")), "", ""],
            ],
        ),
        "",
        "search latency by kind (p50 / p95 ms):",
        table(
            ["kind", "Back Issue", "FTS5"],
            [
                [
                    k,
                    f"{v['p50_ms']} / {v['p95_ms']}",
                    f"{fts['search']['by_kind'][k]['p50_ms']} / {fts['search']['by_kind'][k]['p95_ms']}",
                ]
                for k, v in lib["search"]["by_kind"].items()
            ],
        ),
        "",
        "5 slowest queries (median ms, hits; FTS5 median ms for the same query):",
        table(
            ["query", "Back Issue", "hits", "FTS5"],
            [
                [s["query"], s["median_ms"], s["hits"], cmp_["fts5_median_ms"].get(s["query"], "")]
                for s in lib["search"]["slowest"]
            ],
        ),
        "",
        _gui_lines(results.get("gui", {})),
        _side_lines("sidebar (#16)", results.get("shelves")),
        _side_lines("links (#17)", results.get("links")),
        "",
        "targets:",
        table(
            ["target", "value", "limit", "verdict"],
            [[t["target"], t["value"], t["limit"], t["verdict"]] for t in results["targets"]],
        ),
    ]
    errors = [q for q in lib["search"]["queries"] if "error" in q]
    if errors:
        parts += ["", "queries that failed: " + "; ".join(f"{q['query']}: {q['error']}" for q in errors)]
    return "\n".join(parts)


def _added(figures: dict[str, Any] | None) -> str:
    if not figures:
        return "not measured"
    return (f"{figures['total_s']} s for {figures['issues']} issues (import + index, merges included; "
            f"segments {figures['segments_before']} -> {figures['segments_after']})")


def _side_lines(title: str, figures: dict[str, Any] | None) -> str:
    """One line per figure of a side benchmark (sidebar, links); nested figures on one line each."""
    if figures is None:
        return f"{title}: not measured"
    lines = [f"{title}:"]
    for key, value in figures.items():
        shown = ", ".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else value
        lines.append(f"  {key}: {shown}")
    return "\n".join(lines)


def _gui_lines(gui: dict[str, Any]) -> str:
    lines = ["GUI (offscreen):"]
    for part, figures in gui.items():
        shown = {k: v for k, v in figures.items() if not k.endswith("stack")}
        lines.append(f"  {part}: " + ", ".join(f"{k}={v}" for k, v in shown.items()))
    return "\n".join(lines)


def format_profile(profile: dict[str, Any], count: int = 15) -> str:
    """The heaviest functions of the import and of the slowest queries."""
    lines = []
    for part in ("import", "search"):
        data = profile[part]
        lines.append(f"--- cProfile {part} (total {data['total_s']} s) top {count} by cumulative time ---")
        rows = [[r["cumtime_s"], r["tottime_s"], r["calls"], r["function"]] for r in data["by_cumulative"][:count]]
        lines.append(table(["cum s", "own s", "calls", "function"], rows))
        lines.append(f"--- {part}: top {count} by own time ---")
        rows = [[r["tottime_s"], r["cumtime_s"], r["calls"], r["function"]] for r in data["by_own_time"][:count]]
        lines.append(table(["own s", "cum s", "calls", "function"], rows))
    return "\n".join(lines)
