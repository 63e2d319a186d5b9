"""The library sidebar at scale (#16): counts refresh and choosing an entry.

Builds a library of the synthetic corpus, spreads its issues over ``--publications`` publications,
tags them with ``--tags`` tags and saves ``--lists`` smart lists (queries of the benchmark mix), then
times, in this order:

- ``counts``: ``Library.library_counts()`` (SQL aggregates; on the reader thread in the window);
- ``sidebar_apply``: ``LibrarySidebar.show_counts`` (the main thread's share of a refresh: the stall);
- ``list_counts``: ``Library.smart_list_members()`` (every smart list searched; on the reader thread);
- ``choose_*``: choosing a publication, a tag, a smart list: the ids read (thread; a smart list's are
  the last counts pass's, as the window keeps them) plus the proxy's re-filter over the issue list and
  the first 50 rows' data (main thread), split as ``read`` / ``show``;
- ``smart_list_reread_ms``: the chosen smart list read again (thread), after which its rows follow.

Usage: ``.venv/bin/python -m benchmarks.shelves_bench --issues 1000 [--data-dir DIR] [--out FILE]`` (the
10,000 run takes long). ``--data-dir`` builds the library there, or uses the one there (a library of the
same synthetic corpus, e.g. the one ``benchmarks.run`` built: its publications, tags and lists are added
once). Prints one JSON object. Targets (#16): a counts refresh stalls the window under 100 ms; choosing
an entry shows its first rows in under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.corpus import generate_corpus, write_corpus
from benchmarks.measure import latency_summary, timed
from benchmarks.queries import query_mix
from benchmarks.vocabulary import build_vocabulary
from reader.core import Library

REPEATS = 20


def build(data: Path, corpus: Path, issues: int, publications: int, tags: int, lists: int, seed: int) -> Library:
    """A library of ``issues`` synthetic issues over ``publications`` publications, with tags and lists
    (a library already in ``data`` is used as it is when it has its smart lists, else they are added)."""
    if (data / "library.sqlite3").exists():
        lib = Library(data)
        if lib.smart_lists():
            return lib
        lib.close()
    else:
        write_corpus(generate_corpus(issues, seed), corpus, seed)
        lib = Library(data)
        lib.import_paths([corpus])
        lib.close()
    db = sqlite3.connect(data / "library.sqlite3")  # the benchmark's setup only: spread the publications
    with db:
        db.execute("UPDATE issues SET publication = 'Publication ' || (rowid % ?), indexed = 0", (publications,))
    db.close()
    lib = Library(data)
    rng = random.Random(seed)
    ids = [s.id for s in lib.list_issues()]
    for number in range(tags):
        lib.tag_issues(rng.sample(ids, min(len(ids), rng.randint(5, 60))), [f"tag-{number}"])
    mix = query_mix(build_vocabulary(seed))
    for number, query in enumerate(mix[:lists]):
        lib.create_smart_list(f"List {number}", query.text, "date")
    lib.catch_up_index()
    return lib


def measure(lib: Library) -> dict[str, Any]:
    """The timings described in the module docstring."""
    from PySide6.QtWidgets import QApplication

    from reader.gui.issues.model import IssueFilterProxy, IssueTableModel
    from reader.gui.library.sidebar import LibrarySidebar

    app = QApplication.instance() or QApplication([])
    counts_s = [timed(lib.library_counts)[0] for _ in range(REPEATS)]
    counts, smart = lib.library_counts(), lib.smart_lists()
    sidebar = LibrarySidebar()
    first_apply, _ = timed(lambda: sidebar.show_counts(counts, smart))
    apply_s = [timed(lambda: sidebar.show_counts(counts, smart))[0] for _ in range(REPEATS)]
    list_counts_s, members = timed(lib.smart_list_members)  # the counts pass; the window keeps the sets
    model = IssueTableModel(lib.list_issues, lib.get_issue)
    model.reload()
    proxy = IssueFilterProxy(model)
    publication = counts.publications[len(counts.publications) // 2].name
    tag = counts.tags[0].name if counts.tags else ""
    results: dict[str, Any] = {
        "issues": len(model.rows), "publications": len(counts.publications), "tags": len(counts.tags),
        "smart_lists": len(smart),
        "counts": latency_summary(counts_s),
        "sidebar_apply_first_ms": round(first_apply * 1000, 2),
        "sidebar_apply": latency_summary(apply_s),
        "list_counts_ms": round(list_counts_s * 1000, 1),
        # choosing a smart list shows the last count's issues at once and reads the list again meanwhile:
        "smart_list_reread_ms": round(timed(lambda: lib.smart_list_issue_ids(smart[0].name))[0] * 1000, 1),
    }  # fmt: skip
    choices = {
        "choose_publication": lambda: (lambda s: s.publication == publication, None),
        "choose_tag": lambda: _ids(lib.tagged_issue_ids(tag)),
        "choose_smart_list": lambda: _ids(sorted(members[smart[0].name])),
    }
    for key, read in choices.items():
        read_s, (accept, _) = timed(read)
        show_s, shown = timed(lambda accept=accept, key=key: _show(proxy, key, accept))
        results[key] = {"read_ms": round(read_s * 1000, 2), "show_ms": round(show_s * 1000, 2), "rows": shown}
    app.processEvents()
    return results


def _ids(ids: list[str]) -> tuple[Any, None]:
    wanted = frozenset(ids)
    return (lambda s: s.id in wanted), None


def _show(proxy: Any, key: str, accept: Any) -> int:
    """Re-filter the list and read the first 50 rows' cells, as the view's first paint does."""
    proxy.set_shelf(key, accept)
    for row in range(min(50, proxy.rowCount())):
        for column in range(proxy.columnCount()):
            proxy.index(row, column).data()
    return int(proxy.rowCount())


def main(argv: list[str] | None = None) -> int:
    """Build the library in a temp dir, measure, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--publications", type=int, default=200)
    parser.add_argument("--tags", type=int, default=100)
    parser.add_argument("--lists", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--data-dir", type=Path, help="build (or reuse) the library here")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir or Path(tmp) / "data"
        lib = build(data, Path(tmp) / "corpus", args.issues, args.publications, args.tags, args.lists, args.seed)
        try:
            text = json.dumps(measure(lib), indent=2)
        finally:
            lib.close()
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
