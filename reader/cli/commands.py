"""The ``backissue`` subcommands: argument parsing and one small function per command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader.cli import output
from reader.core import Job, Library, resolve_data_dir, restore_library
from reader.core.types import ImportReport

Command = Callable[[Library, argparse.Namespace], int]


def run(args: argparse.Namespace) -> int:
    """Open the library and run the chosen command."""
    data_dir = resolve_data_dir(args.data_dir)
    if args.command in (None, "gui"):
        from reader.gui.app import main as gui_main  # Qt only when the window is wanted

        return gui_main(data_dir, list(getattr(args, "files", [])))
    if args.command == "restore":
        return cmd_restore(data_dir, args.file)
    with Library(data_dir) as library:
        if library.index_message:
            print(f"backissue: {library.index_message}", file=sys.stderr)
        return COMMANDS[args.command](library, args)


def _ensure_samples(library: Library) -> None:
    """A new user's first listing or search shows the bundled samples."""
    if library.is_empty():
        print("backissue: empty library - importing the bundled sample newsletters", file=sys.stderr)
        library.import_samples(output.ProgressBar("Importing"))


def _print_report(report: ImportReport) -> int:
    for result in report.files:
        if result.status in ("failed", "skipped"):
            print(f"{result.status}: {result.path}: {result.reason}", file=sys.stderr)
    summary = (
        f"{report.imported} new, {report.updated} updated, {report.unchanged} unchanged"
        f", {len(report.failed)} failed" + (" (cancelled)" if report.cancelled else "")
    )
    if report.imported == 0 and report.updated == 0 and not report.failed and report.unchanged:
        summary += " - already in the library, nothing changed"
    print(summary, file=sys.stderr)
    if report.index_problem:
        print(f"backissue: {report.index_problem}", file=sys.stderr)
    return 1 if report.failed or report.index_problem else 0


def _run_job(library: Library, job: Job, label: str) -> Any:
    """Run a long command as the window runs its jobs: holding the library's job lock (after any
    job already running, e.g. an import in the window), so a search elsewhere leaves the index to it."""

    def say_waiting() -> None:
        print("backissue: another import or index rebuild is running on this library - waiting for it",
              file=sys.stderr)  # fmt: skip

    with library.job_lock(say_waiting):
        return job.run(library, output.ProgressBar(label))


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    """``backissue import PATH...``."""
    return _print_report(_run_job(library, Job("import_paths", (args.paths,)), "Importing"))


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    """``backissue list [--json]``."""
    _ensure_samples(library)
    issues = library.list_issues()
    if args.json:
        output.print_json([output.issue_json(i) for i in issues])
    else:
        output.table(output.issue_rows(issues), ["ID", "DATE", "PUBLICATION", "NO.", "TITLE"], flexible=4)
    return 0


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    """``backissue show ID``."""
    _ensure_samples(library)
    issue = library.get_issue(args.id)
    byline = " · ".join(x for x in (issue.publication, issue.date or "", issue.author or "") if x)
    body = issue.markdown if args.markdown else library.plain_text(issue.id)
    print(f"{issue.title}\n{byline}\n\n{body}")
    return 0


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    """``backissue search QUERY [--json] [--limit N]``."""
    if args.limit < 1:
        print("backissue: --limit must be at least 1", file=sys.stderr)
        return 2
    _ensure_samples(library)
    hits = library.search(args.query, limit=args.limit, sort="date" if args.newest else "score")
    if args.json:
        output.print_json([output.hit_json(h) for h in hits])
        return 0
    if not hits:
        print(f"No issues match {args.query!r}")
        return 0
    bold = sys.stdout.isatty()
    for hit in hits:
        where = {"issue": hit.section, "highlight": "in a highlight", "note": "in your note"}[hit.kind]
        print(f"{hit.title}  [{hit.id}]")
        print(f"  {' · '.join(x for x in (hit.publication, hit.date or '', where) if x)}")
        print(f"  {output.snippet_text(hit.snippet, bold)}\n")
    return 0


def cmd_reindex(library: Library, args: argparse.Namespace) -> int:
    """``backissue reindex``."""
    _run_job(library, Job("reindex"), "Indexing")
    print(f"Search index rebuilt: {library.stats()['indexed']} issues", file=sys.stderr)
    return 0


def cmd_stats(library: Library, args: argparse.Namespace) -> int:
    """``backissue stats``."""
    _ensure_samples(library)
    stats = library.stats()
    if args.json:
        output.print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key.replace('_', ' '):>12}: {value}")
    return 0


def cmd_highlights(library: Library, args: argparse.Namespace) -> int:
    """``backissue highlights [--json] [--issue ID]``."""
    if args.issue:
        library.get_issue(args.issue)  # a clear error for an unknown id
    highlights = library.highlights(args.issue)
    labels = {c.key: c.label for c in library.color_labels()}
    if args.json:
        output.print_json([output.highlight_json(h, labels) for h in highlights])
        return 0
    for hl in highlights:
        state = " (detached)" if hl.detached else ""
        print(f"[{labels.get(hl.color, hl.color)}] {hl.issue_id} {hl.id}{state}\n  “{hl.quote}”")
        if hl.note:
            print(f"  note: {hl.note}")
    if not highlights:
        print("No highlights yet.")
    return 0


def cmd_annotate(library: Library, args: argparse.Namespace) -> int:
    """``backissue annotate ISSUE_ID --quote TEXT [--note TEXT] [--color C]``."""
    hl = library.annotate(args.issue_id, args.quote, note=args.note, color=args.color)
    print(hl.id)
    return 0


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    """``backissue export --format markdown|json --out PATH``."""
    if args.format == "json":
        count = library.export_json(args.out)
        print(f"Exported {count} annotations to {args.out}", file=sys.stderr)
    else:
        written = library.export_markdown(args.out)
        print(f"Exported {len(written)} issues to {args.out}", file=sys.stderr)
    return 0


def cmd_import_annotations(library: Library, args: argparse.Namespace) -> int:
    """``backissue import-annotations FILE``."""
    report = library.import_annotations(args.file)
    print(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged,"
        f" {report.detached} detached, {report.notes} issue notes",
        file=sys.stderr,
    )
    for title in report.unmatched:
        print(f"not in this library: {title}", file=sys.stderr)
    for conflict in report.conflicts:
        print(f"conflict: {conflict}", file=sys.stderr)
    if report.index_problem:
        print(f"backissue: {report.index_problem}", file=sys.stderr)
    return 1 if report.unmatched else 0


def cmd_subscribe(library: Library, args: argparse.Namespace) -> int:
    """``backissue subscribe URL``."""
    result = library.subscribe(args.url)
    print(f"Subscribed to {args.url}: {result.imported} new issues", file=sys.stderr)
    return 0


def cmd_unsubscribe(library: Library, args: argparse.Namespace) -> int:
    """``backissue unsubscribe URL``."""
    if library.unsubscribe(args.url):
        print(f"Unsubscribed from {args.url}; its issues stay in the library", file=sys.stderr)
        return 0
    print(f"backissue: not subscribed to {args.url}", file=sys.stderr)
    return 1


def cmd_refresh(library: Library, args: argparse.Namespace) -> int:
    """``backissue refresh``."""
    if not library.subscriptions():
        print("No subscriptions yet: `backissue subscribe URL` adds one.", file=sys.stderr)
        return 0
    return _print_report(_run_job(library, Job("refresh"), "Refreshing"))


def cmd_subscriptions(library: Library, args: argparse.Namespace) -> int:
    """``backissue subscriptions``."""
    for feed in library.subscriptions():
        state = f"error: {feed.last_error}" if feed.last_error else f"checked {feed.last_checked or 'never'}"
        print(f"{feed.title}\n  {feed.url}\n  {state}")
    return 0


def cmd_backup(library: Library, args: argparse.Namespace) -> int:
    """``backissue backup``."""
    print(f"Backed up to {library.backup()}")
    return 0


def cmd_restore(data_dir: Path, backup_file: Path) -> int:
    """``backissue restore FILE`` (runs with the library closed)."""
    kept = restore_library(backup_file, data_dir)  # refuses while the library is open; drops the index
    print(f"Restored {backup_file}" + (f"; the previous database is kept as {kept}" if kept else ""))
    return 0


def cmd_check(library: Library, args: argparse.Namespace) -> int:
    """``backissue check``."""
    problems = library.check()
    for problem in problems:
        print(problem)
    if not problems:
        print("All well: database intact, index in step.")
    return 1 if problems else 0


COMMANDS: dict[str, Command] = {
    "subscribe": cmd_subscribe,
    "unsubscribe": cmd_unsubscribe,
    "refresh": cmd_refresh,
    "subscriptions": cmd_subscriptions,
    "highlights": cmd_highlights,
    "annotate": cmd_annotate,
    "export": cmd_export,
    "import-annotations": cmd_import_annotations,
    "backup": cmd_backup,
    "check": cmd_check,
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "reindex": cmd_reindex,
    "stats": cmd_stats,
}
