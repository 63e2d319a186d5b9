"""The ``backissue`` subcommands: argument parsing and one small function per command."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from reader import __version__
from reader.cli import output
from reader.core import backup as backups
from reader.core.library import Library
from reader.core.paths import ENV_VAR, resolve_data_dir
from reader.core.storage import DB_NAME
from reader.core.types import ImportReport

Command = Callable[[Library, argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``backissue``."""
    parser = argparse.ArgumentParser(
        prog="backissue",
        description="Back Issue: read newsletter issues offline, highlight, take notes, search. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"backissue {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help=f"library folder (default: ${ENV_VAR} or the user data dir)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("files", nargs="*", help="files or folders to import once it is open")
    imp = sub.add_parser("import", help="import newsletter files or folders")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    lst = sub.add_parser("list", help="list the issues, newest first")
    lst.add_argument("--json", action="store_true", help="print JSON")
    show = sub.add_parser("show", help="print an issue as text")
    show.add_argument("id", metavar="ID")
    show.add_argument("--markdown", action="store_true", help="print the Markdown instead of plain text")
    search = sub.add_parser("search", help="search issues, highlights and notes")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default 20)")
    search.add_argument("--newest", action="store_true", help="newest first instead of best first")
    sub.add_parser("reindex", help="rebuild the search index from the database")
    sub.add_parser("backup", help="back up the library database now")
    restore = sub.add_parser("restore", help="replace the library database with a backup")
    restore.add_argument("file", metavar="FILE", type=Path)
    sub.add_parser("check", help="check the database and the index for problems")
    stats = sub.add_parser("stats", help="counts of issues, highlights and notes")
    stats.add_argument("--json", action="store_true", help="print JSON")
    return parser


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
    return 1 if report.failed else 0


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    """``backissue import PATH...``."""
    report = library.import_paths(args.paths, output.ProgressBar("Importing"))
    return _print_report(report)


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
    library.reindex(output.ProgressBar("Indexing"))
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


def cmd_backup(library: Library, args: argparse.Namespace) -> int:
    """``backissue backup``."""
    print(f"Backed up to {library.backup()}")
    return 0


def cmd_restore(data_dir: Path, backup_file: Path) -> int:
    """``backissue restore FILE`` (runs with the library closed)."""
    kept = backups.restore(backup_file, data_dir / DB_NAME)
    shutil.rmtree(data_dir / "index", ignore_errors=True)  # derived data: rebuilt on next open
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
    "backup": cmd_backup,
    "check": cmd_check,
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "reindex": cmd_reindex,
    "stats": cmd_stats,
}
