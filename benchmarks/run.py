"""Run the Back Issue benchmark: ``.venv/bin/python -m benchmarks.run [--issues 1000 10000] [--quick]``.

For each corpus size it generates the seeded corpus, indexes it in SQLite FTS5 and times the query
mix there, then runs the product side (``benchmarks.library_bench``), the GUI figures
(``benchmarks.gui_bench``), the sidebar (``benchmarks.shelves_bench``, #16, on a copy of the built
library) and the Links view (``benchmarks.links_bench``, #17, its own corpus with ~40 links per issue)
in their own processes, checks the targets, prints the tables and writes
``benchmarks/results/<date>-<n>.json``. ``--no-shelves`` / ``--no-links`` leave those out (the links
corpus is imported again: minutes at 10,000 issues).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import generate_corpus, write_corpus
from benchmarks.fts5_baseline import Fts5Baseline
from benchmarks.growth import format_growth, growth, plot_growth
from benchmarks.queries import query_mix
from benchmarks.query_timing import summarise, time_queries
from benchmarks.report import format_profile, format_results
from benchmarks.targets import check_targets
from benchmarks.vocabulary import build_vocabulary

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
LIBRARY_TIMEOUT_S = 25 * 60
GUI_TIMEOUT_S = 15 * 60
STALL_QUERIES = ("model", "a*", '"language model"', "robots date:2019", "mar*")
COLD_STARTS = 3
NEW_ISSUES = 50
"""Issues added to each library once it is built: the "adding 50 new issues" figure."""
MAX_STALL_ISSUES = 10000
"""The GUI import-stall figure imports the corpus again through the window up to this size; above
it, the window opens a copy of the built library and imports STALL_NEW_ISSUES new issues into it."""
STALL_NEW_ISSUES = 2000


def _child(module: str, args: list[str], out: Path, timeout: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``python -m module args --out out`` from the repository root; its JSON or an error note."""
    command = [sys.executable, "-m", module, *args, "--out", str(out)]
    child_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    try:
        done = subprocess.run(command, cwd=ROOT, env=child_env, timeout=timeout, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return {"skipped": f"timed out after {timeout} s"}
    if done.returncode != 0 or not out.exists():
        return {"skipped": f"exit {done.returncode}: {done.stderr.strip()[-800:]}"}
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def code_version() -> dict[str, Any]:
    """The commit measured and whether ``reader/`` had uncommitted changes (runs are compared by it)."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            return ""

    changed = [line for line in git("status", "--porcelain", "--", "reader").splitlines() if line.strip()]
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "reader_files_changed": len(changed)}


def fts5_side(issues: list[Any], folder: Path, mix: list[Any], repeats: int) -> dict[str, Any]:
    """Index the corpus in FTS5 and time the translated query mix."""
    fts = Fts5Baseline(folder / "fts5.sqlite3")
    load_s = fts.load(issues)
    translated = {q.text: q.fts5 for q in mix}
    timings = time_queries(lambda text: fts.search(translated[text]), [(q.kind, q.text) for q in mix], repeats)
    result = {
        "load_s": round(load_s, 2),
        "size_mb": round(fts.size_bytes() / 1e6, 1),
        "search": summarise(timings),
    }
    fts.close()
    return result


def cold_start(data: Path, work: Path, env: dict[str, str]) -> dict[str, Any]:
    """The median of COLD_STARTS fresh processes (by time to first paint), with every run's figure."""
    runs = []
    for _ in range(COLD_STARTS):
        env_start = {**env, "BENCH_T0": repr(time.monotonic())}
        args = ["cold-start", "--data", str(data)]
        runs.append(_child("benchmarks.gui_bench", args, work / "gui-cold.json", GUI_TIMEOUT_S, env_start))
    if any("skipped" in run for run in runs):
        return next(run for run in runs if "skipped" in run)
    runs.sort(key=lambda run: float(run.get("painted_s", run.get("shown_s", 0.0))))
    return {**runs[len(runs) // 2], "painted_s_runs": [run.get("painted_s") for run in runs]}


def gui_side(data: Path, corpus: Path, work: Path, issues: int, scroll: bool) -> dict[str, Any]:
    """Cold start on the imported library, import/search stalls, and (once) the 100k-row scroll."""
    env = {"QT_QPA_PLATFORM": "offscreen"}
    gui: dict[str, Any] = {}
    gui["cold_start"] = cold_start(data, work, env)
    queries = [arg for q in STALL_QUERIES for arg in ("--query", q)]
    gui_data = work / "gui-data"
    shutil.rmtree(gui_data, ignore_errors=True)
    if issues > MAX_STALL_ISSUES:  # a large library: new issues into a copy of it, not all again
        shutil.copytree(data, gui_data, ignore=shutil.ignore_patterns("holders", "*.lock", "backups"))
        corpus = work / "stall-new"
    stall_args = ["stalls", "--data", str(gui_data), "--corpus", str(corpus), *queries]
    gui["stalls"] = _child("benchmarks.gui_bench", stall_args, work / "gui-stalls.json", GUI_TIMEOUT_S, env)
    if issues > MAX_STALL_ISSUES:
        gui["stalls"]["imported_into"] = f"a copy of the {issues}-issue library ({STALL_NEW_ISSUES} new issues)"
    shutil.rmtree(gui_data, ignore_errors=True)
    if scroll:
        gui["scroll"] = _child("benchmarks.gui_bench", ["scroll", "--rows", "100000"],
                               work / "gui-scroll.json", GUI_TIMEOUT_S, env)  # fmt: skip
    return gui


def shelves_side(data: Path, work: Path, issues: int) -> dict[str, Any]:
    """The sidebar's figures on a copy of the built library (its publications and tags are rewritten)."""
    copy = work / "shelves-data"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("holders", "open.lock", "backups"))
    args = ["--issues", str(issues), "--data-dir", str(copy)]
    return _child("benchmarks.shelves_bench", args, work / "shelves.json", LIBRARY_TIMEOUT_S,
                  {"QT_QPA_PLATFORM": "offscreen"})


def links_side(work: Path, issues: int) -> dict[str, Any]:
    """The Links view's and cited-by's figures on a library of ``issues`` issues with ~40 links each."""
    args = ["--issues", str(issues), "--data-dir", str(work / "links-data")]
    return _child("benchmarks.links_bench", args, work / "links.json", LIBRARY_TIMEOUT_S,
                  {"QT_QPA_PLATFORM": "offscreen"})


def compare(library: dict[str, Any], fts: dict[str, Any]) -> dict[str, Any]:
    """Whoosh / FTS5 latency ratios, overall and per query."""
    ours, theirs = library["search"]["overall"], fts["search"]["overall"]
    per_query = {q["query"]: q["median_ms"] for q in fts["search"]["queries"]}
    return {
        "p50_ratio": round(ours["p50_ms"] / max(theirs["p50_ms"], 0.01), 1),
        "p95_ratio": round(ours["p95_ms"] / max(theirs["p95_ms"], 0.01), 1),
        "fts5_median_ms": per_query,
    }


def run_size(count: int, args: argparse.Namespace, work: Path, scroll: bool) -> dict[str, Any]:
    """Every figure for one corpus size; writes and returns the results."""
    folder = work / f"n{count}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"[{count}] generating the corpus…", flush=True)
    stall_new = STALL_NEW_ISSUES if count > MAX_STALL_ISSUES else 0
    issues = generate_corpus(count, args.seed, extra=NEW_ISSUES + stall_new)  # the first ``count`` as without extra
    write_corpus(issues[count:count + NEW_ISSUES], folder / "new", args.seed)
    if stall_new:
        write_corpus(issues[count + NEW_ISSUES:], folder / "stall-new", args.seed)
    issues = issues[:count]
    files, size, digest = write_corpus(issues, folder / "corpus", args.seed)
    mix = query_mix(build_vocabulary(args.seed))
    print(f"[{count}] {files} files, {size / 1e6:.1f} MB; FTS5 baseline…", flush=True)
    fts = fts5_side(issues, folder, mix, args.repeats)
    del issues
    print(f"[{count}] Back Issue: import, search, open (own process)…", flush=True)
    library = _child("benchmarks.library_bench", ["--corpus", str(folder / "corpus"), "--data",
                     str(folder / "data"), "--seed", str(args.seed), "--repeats", str(args.repeats),
                     "--new", str(folder / "new")],
                     folder / "library.json", LIBRARY_TIMEOUT_S)  # fmt: skip
    if "skipped" in library:
        raise SystemExit(f"the Library benchmark failed: {library['skipped']}")
    results: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="seconds"), "issues": count, "seed": args.seed,
        "corpus_files": files, "corpus_bytes": size, "corpus_sha256": digest, "repeats": args.repeats,
        "python": sys.version.split()[0], "cpus": os.cpu_count(), "library": library, "fts5": fts,
        "comparison": compare(library, fts), "code": code_version(),
    }  # fmt: skip
    if not args.no_gui:
        print(f"[{count}] GUI figures (offscreen)…", flush=True)
        results["gui"] = gui_side(folder / "data", folder / "corpus", folder, count, scroll)
    if not args.no_shelves:
        print(f"[{count}] sidebar figures (#16)…", flush=True)
        results["shelves"] = shelves_side(folder / "data", folder, count)
    if not args.no_links:
        print(f"[{count}] Links view figures (#17, its own corpus)…", flush=True)
        results["links"] = links_side(folder, count)
    results["targets"] = check_targets(results)
    if args.profile:
        print(f"[{count}] profiling import and the slowest queries…", flush=True)
        slowest = [s["query"] for s in library["search"]["slowest"]]
        results["profile"] = _child("benchmarks.library_bench", ["--corpus", str(folder / "corpus"), "--data",
                                    str(folder / "profile-data"), "--profile", *slowest],
                                    folder / "profile.json", LIBRARY_TIMEOUT_S)  # fmt: skip
    return results


def rerun_gui(count: int, args: argparse.Namespace, work: Path, scroll: bool) -> dict[str, Any]:
    """The GUI figures again, on the corpus and library an earlier run left in ``work``, merged into
    that size's results of today (the library and FTS5 figures are kept; ``code`` says which commit
    measured the GUI)."""
    folder = work / f"n{count}"
    results: dict[str, Any] = json.loads(_results_path(count).read_text(encoding="utf-8"))
    shutil.rmtree(folder / "gui-data", ignore_errors=True)
    print(f"[{count}] GUI figures again (offscreen)…", flush=True)
    results["gui"] = gui_side(folder / "data", folder / "corpus", folder, count, scroll)
    results["gui"]["code"] = code_version()
    results["targets"] = check_targets(results)
    return results


def _results_path(count: int) -> Path:
    return RESULTS / f"{dt.date.today().isoformat()}-{count}.json"


def save(results: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/<date>-<n>.json``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = _results_path(results["issues"])
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, nargs="+", default=[1000, 10000], help="corpus sizes")
    parser.add_argument("--quick", action="store_true", help="one smoke run of 300 issues")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeats", type=int, default=3, help="measured passes over the query mix")
    parser.add_argument("--no-gui", action="store_true", help="skip the GUI figures")
    parser.add_argument("--no-shelves", action="store_true", help="skip the sidebar figures (#16)")
    parser.add_argument("--no-links", action="store_true", help="skip the Links view figures (#17; imports again)")
    parser.add_argument("--profile", action="store_true", help="also cProfile import and slowest queries")
    parser.add_argument("--workdir", type=Path, help="keep corpora and libraries here (default: a temp dir)")
    parser.add_argument("--gui-only", action="store_true",
                        help="measure the GUI again on the corpora and libraries a run left in --workdir, "
                        "into that size's results of today")  # fmt: skip
    args = parser.parse_args(argv)
    if args.gui_only and args.workdir is None:
        parser.error("--gui-only needs the --workdir of an earlier run")
    sizes = [300] if args.quick else args.issues
    work = args.workdir or Path(tempfile.mkdtemp(prefix="backissue-bench-"))
    runs = []
    try:
        for index, count in enumerate(sizes):
            measure = rerun_gui if args.gui_only else run_size
            results = measure(count, args, work, scroll=index == 0)
            runs.append(results)
            print(format_results(results), flush=True)
            if "profile" in results and "skipped" not in results["profile"]:
                print(format_profile(results["profile"]), flush=True)
            print(f"results written to {save(results)}\n", flush=True)
        if len(runs) > 1:
            print(format_growth(growth(runs)), flush=True)
            print(plot_growth(runs, RESULTS / f"{dt.date.today().isoformat()}-growth.png"), flush=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
