"""The product side of the benchmark, run in its own process so its peak RSS is the Library's alone.

It imports the synthetic corpus through the real ``Library.import_paths``, adds a few highlights, times
the query mix through ``Library.search`` and opens random issues cold; or, with ``--profile``, runs the
import and the given queries under cProfile. It prints nothing but writes one JSON file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import latency_summary, peak_rss_mb, timed
from benchmarks.profiling import profile_call
from benchmarks.queries import query_mix
from benchmarks.query_timing import summarise, time_queries
from benchmarks.vocabulary import build_vocabulary
from reader.core._library import Library
from reader.core.types import ImportProgress

OPENED_ISSUES = 200
HIGHLIGHTED_ISSUES = 20
PROFILE_REPEATS = 3


def measure_import(lib: Library, corpus: Path) -> dict[str, Any]:
    """Import the corpus folder; parse+store time is split from indexing by the last progress call."""
    files = sorted(corpus.glob("*.txt"))
    size = sum(f.stat().st_size for f in files)
    marks: dict[str, float] = {}

    def progress(p: ImportProgress) -> None:
        if p.stage == "read" and p.done == p.total:
            marks["stored"] = time.perf_counter()

    start = time.perf_counter()
    report = lib.import_paths([corpus], progress)
    seconds = time.perf_counter() - start
    summaries = lib.list_issues()
    stored = marks.get("stored", start + seconds) - start
    return {
        "files": len(files),
        "megabytes": round(size / 1e6, 2),
        "issues": len(summaries),
        "imported": report.imported,
        "failed_files": len(report.failed),
        "failures": [f.reason for f in report.failed[:5]],
        "dated_issues": sum(1 for s in summaries if s.date),
        "total_s": round(seconds, 2),
        "parse_store_s": round(stored, 2),
        "index_s": round(seconds - stored, 2),
        "issues_per_s": round(len(summaries) / seconds, 1),
        "mb_per_s": round(size / 1e6 / seconds, 3),
    }


def measure_add(lib: Library, new: Path) -> dict[str, Any]:
    """Add a few newer issues to the library just built: import + index, merges included."""
    segments_before = len(lib._indexer._index.segment_sizes())
    start = time.perf_counter()
    report = lib.import_paths([new])
    seconds = time.perf_counter() - start
    return {"issues": report.imported, "total_s": round(seconds, 2), "segments_before": segments_before,
            "segments_after": len(lib._indexer._index.segment_sizes())}  # fmt: skip


def folder_mb(folder: Path) -> float:
    """The size of the files under ``folder`` in MB."""
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6, 1)


def add_highlights(lib: Library, rng: random.Random) -> dict[str, Any]:
    """Highlight a passage in a few random issues (each is indexed at once, as in the app)."""
    ids = [s.id for s in lib.list_issues()]
    samples = []
    for issue_id in rng.sample(ids, min(HIGHLIGHTED_ISSUES, len(ids))):
        text = lib.plain_text(issue_id)
        start = rng.randrange(max(1, len(text) - 200))
        began = time.perf_counter()
        lib.add_highlight(issue_id, start, start + 80, note="bench note")
        samples.append(time.perf_counter() - began)
    return latency_summary(samples)


def measure_open(data: Path, rng: random.Random) -> dict[str, Any]:
    """Open random issues in a freshly opened Library (cold render cache): get_issue + HTML + highlights."""
    open_s, lib = timed(lambda: Library(data))
    with lib:
        ids = [s.id for s in lib.list_issues()]
        samples = []
        for issue_id in rng.sample(ids, min(OPENED_ISSUES, len(ids))):
            start = time.perf_counter()
            lib.get_issue(issue_id)
            lib.render_html(issue_id)
            lib.highlights(issue_id)
            samples.append(time.perf_counter() - start)
    return {"library_open_s": round(open_s, 3), **latency_summary(samples)}


def run_benchmark(corpus: Path, data: Path, seed: int, repeats: int, new: Path | None = None) -> dict[str, Any]:
    """Import, highlight, search, open (and add ``new`` issues): every product figure of one corpus."""
    rng = random.Random(seed)
    mix = [(q.kind, q.text) for q in query_mix(build_vocabulary(seed))]
    with Library(data) as lib:
        result: dict[str, Any] = {"import": measure_import(lib, corpus)}
        result["index_mb"] = folder_mb(data / "index")
        result["database_mb"] = round((data / "library.sqlite3").stat().st_size / 1e6, 1)
        result["add_highlight"] = add_highlights(lib, rng)
        timings = time_queries(lambda text: lib.search(text, limit=20), mix, repeats)
        result["search"] = summarise(timings)
        if new is not None:
            result["add_issues"] = measure_add(lib, new)
    result["open_issue"] = measure_open(data, rng)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def run_profile(corpus: Path, data: Path, queries: list[str], dump_dir: Path) -> dict[str, Any]:
    """cProfile the import (parse, store, index) and the given queries (each PROFILE_REPEATS times)."""
    dump_dir.mkdir(parents=True, exist_ok=True)
    with Library(data) as lib:
        _, import_profile = profile_call(lambda: lib.import_paths([corpus]), dump_dir / "import.prof")
        for text in queries:  # warm-up outside the profile, as in the timed run
            lib.search(text, limit=20)

        def run_queries() -> None:
            for _ in range(PROFILE_REPEATS):
                for text in queries:
                    lib.search(text, limit=20)

        _, search_profile = profile_call(run_queries, dump_dir / "search.prof")
    return {"import": import_profile, "search": search_profile, "queries": queries,
            "repeats": PROFILE_REPEATS, "dumps": str(dump_dir)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.library_bench --corpus DIR --data DIR --out FILE``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--new", type=Path, help="a folder of newer issues to add at the end (timed)")
    parser.add_argument("--profile", nargs="*", metavar="QUERY", help="profile import and these queries")
    args = parser.parse_args(argv)
    if args.profile is not None:
        result = run_profile(args.corpus, args.data, args.profile, args.out.parent / "profiles")
    else:
        result = run_benchmark(args.corpus, args.data, args.seed, args.repeats, args.new)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
