"""The link index at scale (issue #17): import with ~40 links per issue, the Links view's read and sort,
``cited-by`` and an issue's links. Targets (#17): the Links view opens and sorts in under 200 ms, cited-by
answers in under 50 ms.

Usage: ``.venv/bin/python -m benchmarks.links_bench --issues 1000 [--links 40] [--data-dir DIR] [--no-gui]
[--out FILE]``.
``--data-dir`` keeps the built library there and reuses it when it already holds the issues (the import
of 10,000 issues takes minutes; the queries are what is compared). The GUI figures time the real Links
view (``LinksPanel``, offscreen): from ``reload()`` until its first rows are shown, and a click on the
Work column's header (sort by title) until the sorted rows are shown.
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


def run(issues: int, links: int, seed: int = 2024, data_dir: Path | None = None, gui: bool = True) -> dict[str, Any]:
    """Build a library of ``issues`` issues with ``links`` links each and time the link queries."""
    if data_dir is not None:
        return _run_in(data_dir, issues, links, seed, gui)
    with tempfile.TemporaryDirectory() as tmp:
        return _run_in(Path(tmp) / "data", issues, links, seed, gui)


def _build(data: Path, issues: int, links: int, rng: random.Random) -> float | None:
    """Import the synthetic issues into ``data`` unless it holds them already; the import's seconds."""
    if (data / "library.sqlite3").exists():
        with Library(data) as lib:
            if len(lib.list_issues()) >= issues:
                return None
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i in range(issues):
            (corpus / f"issue-{i:05d}.md").write_text(_issue_text(i, links, issues * 4, rng), encoding="utf-8")
        with Library(data) as lib:
            start = time.perf_counter()
            lib.import_paths([corpus])
            return time.perf_counter() - start


def _run_in(data: Path, issues: int, links: int, seed: int, gui: bool) -> dict[str, Any]:
    import_s = _build(data, issues, links, random.Random(seed))
    rng = random.Random(seed + 1)  # the same picks whether the library was built now or before
    view = _gui_figures(data) if gui else {}
    with Library(data) as lib:
        lib.links()  # the catch-up, once (the window's upkeep does it in the background)
        start = time.perf_counter()
        works = lib.links()
        view_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        sorted(works, key=lambda w: w.title.lower())
        sort_ms = (time.perf_counter() - start) * 1000
        page = _times(lambda: (lib.links(limit=200), lib.links_count()), 10)  # what the view reads to open
        page_by_title = _times(lambda: lib.links(order="title", descending=False, limit=200), 10)
        cited = _times(lambda: lib.cited_by(rng.choice(works[:200]).key, 200), 50)  # what the view reads
        cited_all = _times(lambda: lib.cited_by(works[0].key), 3)  # every citation of the most cited work
        ids = [s.id for s in lib.list_issues()]
        issue_links = _times(lambda: lib.issue_links(rng.choice(ids)), 50)
        stats = lib.stats()
    imported = {"import_s": round(import_s, 2), "import_issues_per_s": round(issues / import_s, 1)} if import_s else {}
    return {
        "issues": issues, "links_per_issue": links, "works": len(works), "citations": stats["citations"],
        **imported, "links_read_ms": round(view_ms, 1), "links_python_sort_ms": round(sort_ms, 1),
        "links_first_page": page, "links_first_page_by_title": page_by_title,
        **view, "cited_by": cited, "cited_by_all_of_most_cited": cited_all, "issue_links": issue_links,
    }


def _gui_figures(data: Path) -> dict[str, float]:
    """The real Links view, offscreen: open (reload until rows show) and a sort by title, in ms."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from reader.gui.background.tasks import TaskRunner
    from reader.gui.links.links_panel import LinksPanel

    app = QApplication.instance() or QApplication(["links_bench"])
    with Library(data) as lib:
        lib.links()  # the catch-up, once, as the window's upkeep does
        runner = TaskRunner()
        panel = LinksPanel(lib, runner)
        panel.resize(1000, 700)
        table = panel.findChild(QTableView, "linksTable")
        start = time.perf_counter()
        panel.show()  # a LazyPanel reloads when shown
        _wait(lambda: table.model().rowCount() > 0, app)
        open_ms = (time.perf_counter() - start) * 1000
        first = table.model().index(0, 0).data()
        start = time.perf_counter()
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        _wait(lambda: table.model().rowCount() > 0 and table.model().index(0, 0).data() != first, app)
        sort_ms = (time.perf_counter() - start) * 1000
        panel.close()
        runner.wait()
        QCoreApplication.processEvents()
    return {"links_view_open_ms": round(open_ms, 1), "links_view_sort_ms": round(sort_ms, 1)}


def _wait(done: Any, app: Any, timeout_s: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the Links view did not show its rows")
        app.processEvents()
        time.sleep(0.001)


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
    parser.add_argument("--data-dir", type=Path, help="keep (and reuse) the built library here")
    parser.add_argument("--no-gui", action="store_true", help="leave out the Links view's figures")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = run(args.issues, args.links, data_dir=args.data_dir, gui=not args.no_gui)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
