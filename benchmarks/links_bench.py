"""The link index at scale (issue #17): import with ~40 links per issue, the Links view's read and sort,
``cited-by`` and an issue's links.

Usage: ``.venv/bin/python -m benchmarks.links_bench --issues 1000 [--links 40] [--out FILE]``.
Issues are Markdown files with YAML front matter; links are drawn from a pool of works with a Zipf-like
popularity (a few papers cited everywhere, most once), in the forms newsletters send them (arXiv
abs/pdf/versions, GitHub with paths, utm-tagged pages, Substack-style redirects are left out: their
decoding cost is per link and measured in the unit tests).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from reader.core import Library

_FORMS = (
    lambda n: f"https://arxiv.org/abs/{2200 + n // 10000}.{n % 10000:05d}",
    lambda n: f"http://arxiv.org/pdf/{2200 + n // 10000}.{n % 10000:05d}v2.pdf",
    lambda n: f"https://github.com/lab{n % 97}/project-{n}/tree/main/src",
    lambda n: f"https://www.blog{n % 53}.example.com/posts/{n}/?utm_source=newsletter&utm_medium=email",
)


def _issue_text(index: int, links: int, pool: int, rng: random.Random) -> str:
    lines = ["---", f"title: Synthetic issue {index}", "publication: " + f"Letter {index % 7}",
             f"number: {index}", f"date: {2020 + index % 4}-{1 + index % 12:02d}-{1 + index % 28:02d}", "---",
             f"# Issue {index}", ""]
    for k in range(links):
        work = min(int(rng.paretovariate(1.1)), pool) if rng.random() < 0.5 else rng.randrange(pool)
        url = _FORMS[work % len(_FORMS)](work)
        lines.append(f"Item {k}: a sentence about work {work} cites [paper {work}]({url}) for its results.")
        lines.append("")
    return "\n".join(lines)


def run(issues: int, links: int, seed: int = 2024) -> dict[str, Any]:
    """Build a library of ``issues`` issues with ``links`` links each and time the link queries."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i in range(issues):
            (corpus / f"issue-{i:05d}.md").write_text(_issue_text(i, links, issues * 4, rng), encoding="utf-8")
        with Library(Path(tmp) / "data") as lib:
            start = time.perf_counter()
            lib.import_paths([corpus])
            import_s = time.perf_counter() - start
            start = time.perf_counter()
            works = lib.links()
            view_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            sorted(works, key=lambda w: w.title.lower())
            sort_ms = (time.perf_counter() - start) * 1000
            cited = _times(lambda: lib.cited_by(rng.choice(works[:200]).key), 50)
            ids = [s.id for s in lib.list_issues()]
            issue_links = _times(lambda: lib.issue_links(rng.choice(ids)), 50)
            stats = lib.stats()
    return {
        "issues": issues, "links_per_issue": links, "works": len(works), "citations": stats["citations"],
        "import_s": round(import_s, 2), "import_issues_per_s": round(issues / import_s, 1),
        "links_view_ms": round(view_ms, 1), "links_sort_ms": round(sort_ms, 1),
        "cited_by": cited, "issue_links": issue_links,
    }


def _times(fn: Any, count: int) -> dict[str, float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    return {"median_ms": round(statistics.median(samples), 2), "p95_ms": round(p95, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--links", type=int, default=40)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = run(args.issues, args.links)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
