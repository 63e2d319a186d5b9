"""The ``backissue`` subcommands: argument parsing and one small function per command."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from reader.cli import desktop, history, links, output, shelves
from reader.core import Job, Library, PasswordNeededError, ReaderError, resolve_data_dir, restore_library
from reader.core.types import ImportOptions, ImportReport, SearchHit

Command = Callable[[Library, argparse.Namespace], int]
T = TypeVar("T")


def run(args: argparse.Namespace) -> int:
    """Open the library and run the chosen command."""
    data_dir = resolve_data_dir(args.data_dir)
    if args.command in (None, "gui"):
        from reader.gui.app import main as gui_main  # Qt only when the window is wanted

        return gui_main(data_dir, list(getattr(args, "files", [])))
    if args.command == "restore":
        return cmd_restore(data_dir, args.file)
    if args.command == "install-desktop":
        return cmd_install_desktop(args.uninstall)
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
        if result.status in ("failed", "skipped") or result.reason:  # an import that skipped a part says so
            print(f"{result.status}: {result.path}: {result.reason}", file=sys.stderr)
    summary = (
        f"{report.imported} new, {report.updated} updated, {report.unchanged} unchanged"
        f", {len(report.failed)} failed" + (" (cancelled)" if report.cancelled else "")
    )
    if report.kept_apart:
        summary += f" ({report.kept_apart} new kept apart from a look-alike already in the library)"
    if report.imported == 0 and report.updated == 0 and not report.failed and report.unchanged:
        summary += " - already in the library, nothing changed"
    print(summary, file=sys.stderr)
    if report.index_problem:
        print(f"backissue: {report.index_problem}", file=sys.stderr)
    return 1 if report.failed or report.index_problem else 0


def _run_job(library: Library, job: Job[T], label: str) -> T:
    """Run a long command as the window runs its jobs: holding the library's job lock (after any
    job already running, e.g. an import in the window), so a search elsewhere leaves the index to it."""

    def say_waiting() -> None:
        print("backissue: another import or index rebuild is running on this library - waiting for it",
              file=sys.stderr)  # fmt: skip

    return job.run_held(library, output.ProgressBar(label), say_waiting)


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    """``backissue import PATH... [--dry-run] [--newsletters-only] [--label LABEL]``."""
    if args.dry_run:
        return _print_preview(library.preview_import(args.paths))
    if args.newsletters_only or args.label:
        options = ImportOptions(newsletters_only=args.newsletters_only, label=args.label)
        report = _run_job(library, Job.import_paths(args.paths, options), "Importing")
        _print_filtered(report)
        _keep_images(library, report, getattr(args, "keep_images", False))
        return _print_report(report)
    report = _run_job(library, Job.import_paths(args.paths), "Importing")
    _keep_images(library, report, getattr(args, "keep_images", False))
    return _print_report(report)


def _keep_images(library: Library, report: ImportReport, wanted: bool) -> None:
    """``import --keep-images``: fetch the imported issues' images now, once, and say what was kept."""
    if not wanted:
        return
    ids = [issue_id for result in report.files for issue_id in result.issue_ids]
    kept = library.keep_images(ids)
    print(f"Kept {output.plural(kept.stored, 'image')} offline"
          + (f" ({len(kept.refused)} left as placeholders)" if kept.refused else ""), file=sys.stderr)  # fmt: skip


def _print_filtered(report: ImportReport) -> None:
    """What the mail filters left out and which messages could not be read (the rest went in)."""
    for result in report.files:
        if result.status not in ("failed", "skipped") and result.reason:
            print(f"note: {result.path}: {result.reason}", file=sys.stderr)
    excluded = sum(f.excluded for f in report.files)
    if excluded:
        print(f"{excluded} message{'s' if excluded != 1 else ''} left out by the filter", file=sys.stderr)


def cmd_edit(library: Library, args: argparse.Namespace) -> int:
    """``backissue edit ID [--title T] [--publication P] [--number N] [--date D] [--author A]``."""
    fields = {name: getattr(args, name) for name in ("title", "publication", "number", "date", "author")}
    if all(value is None for value in fields.values()):
        print("backissue edit: give at least one of --title, --publication, --number, --date, --author",
              file=sys.stderr)  # fmt: skip
        return 2
    library.edit_issue(args.id, **fields)
    issue = library.get_issue(args.id)
    number = f" #{issue.number}" if issue.number is not None else ""
    print(f"{issue.id}: {issue.publication}{number} · {issue.date or 'no date'} · {issue.title}")
    return 0


def cmd_rename_publication(library: Library, args: argparse.Namespace) -> int:
    """``backissue rename-publication OLD NEW``."""
    changes = library.rename_publication(args.old, args.new)
    count = len(changes.issues)
    print(f"Renamed {args.old!r} to {args.new!r} on {count} issue{'s' if count != 1 else ''}", file=sys.stderr)
    return 0


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    """``backissue list [--json]``."""
    _ensure_samples(library)
    issues = shelves.shelf_issues(library, args, library.list_issues())
    if args.json:
        output.print_json([output.issue_json(i) for i in issues])
    else:
        output.table(output.issue_rows(issues), ["ID", "DATE", "PUBLICATION", "NO.", "TITLE"], flexible=4)
    return 0


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    """``backissue show ID``."""
    issue = library.get_issue(args.id)
    byline = " · ".join(x for x in (issue.publication, issue.date or "", issue.author or "") if x)
    body = issue.markdown if args.markdown else library.plain_text(issue.id)
    print(f"{issue.title}\n{byline}\n\n{body}")
    return 0


FEW_HITS = 3
"""With fewer hits than this, a search also says "Did you mean …" when it has a better spelling."""


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    """``backissue search QUERY [--json] [--limit N]`` (``--limit 0``: every hit)."""
    if args.limit < 0:
        print("backissue: --limit must be 0 (every result) or more", file=sys.stderr)
        return 2
    total = library.count(args.query)
    limit = args.limit or total
    hits = library.search(args.query, limit=limit, sort="date" if args.newest else "score") if limit else []
    if args.json:
        output.print_json([output.hit_json(h) for h in hits])
    elif not hits:
        print(f"No issues match {args.query!r}")
    else:
        _print_hits(hits, sys.stdout.isatty())
    _say_what_is_left_out(library, args.query, len(hits), total)
    return 0


def _print_hits(hits: list[SearchHit], bold: bool) -> None:
    """The hits of each issue under its title (in the order of its best hit), each saying where it is."""
    by_issue: dict[str, list[SearchHit]] = {}
    for hit in hits:
        by_issue.setdefault(hit.id, []).append(hit)
    for group in by_issue.values():
        first = group[0]
        print(f"{first.title}  [{first.id}]")
        print(f"  {' · '.join(x for x in (first.publication, first.date or '') if x)}")
        for hit in group:
            where = {"issue": f"text: {hit.section}" if hit.section else "text",
                     "highlight": "highlight", "note": "note"}[hit.kind]
            print(f"  {where}: {output.snippet_text(hit.snippet, bold)}")
        print()


def _say_what_is_left_out(library: Library, query: str, shown: int, total: int) -> None:
    """On stderr: how many hits were not shown, a better spelling, or that the library is empty."""
    if shown < total:
        print(f"{shown} of {output.plural(total, 'result')} — use --limit N for more, --limit 0 for all",
              file=sys.stderr)
    if total < FEW_HITS:
        suggestion = library.suggest_query(query)
        if suggestion is not None:
            print(f"Did you mean: {suggestion}", file=sys.stderr)
    if total == 0 and library.is_empty():
        print("backissue: the library is empty - `backissue import PATH` adds newsletters,"
              " `backissue list` imports the bundled samples", file=sys.stderr)


def cmd_reindex(library: Library, args: argparse.Namespace) -> int:
    """``backissue reindex``."""
    _run_job(library, Job.reindex(), "Indexing")
    print(f"Search index rebuilt: {output.plural(int(library.stats()['indexed']), 'issue')}", file=sys.stderr)
    return 0


def cmd_stats(library: Library, args: argparse.Namespace) -> int:
    """``backissue stats``."""
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
    count = library.quote_occurrences(args.issue_id, args.quote)
    if count > 1 and args.occurrence is None:
        print(f"backissue: the text {args.quote[:60]!r} occurs {count} times in issue {args.issue_id}:"
              f" add --occurrence N (1 to {count}) to say which to highlight", file=sys.stderr)
        return 1
    made = library.annotate(args.issue_id, args.quote, note=args.note, color=args.color,
                            occurrence=args.occurrence or 1)
    print(made.highlight.id)
    return 0


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    """``backissue export --format markdown|json --out PATH``."""
    if args.format == "json":
        count = library.export_json(args.out)
        print(f"Exported {output.plural(count, 'annotation')} to {args.out}", file=sys.stderr)
    else:
        written = library.export_markdown(args.out)
        print(f"Exported {output.plural(len(written), 'issue')} to {args.out}", file=sys.stderr)
    return 0


def cmd_import_annotations(library: Library, args: argparse.Namespace) -> int:
    """``backissue import-annotations FILE``."""
    report = library.import_annotations(args.file)
    print(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged,"
        f" {report.detached} detached, {output.plural(report.notes, 'issue note')}",
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
    """``backissue subscribe URL`` (a feed, or a mail folder ``imaps://user@host/Folder``)."""
    if args.url.strip().lower().startswith(("imap://", "imaps://")):
        return _subscribe_mail(library, args.url)
    result = library.subscribe(args.url)
    print(f"Subscribed to {args.url}: {output.plural(result.imported, 'new issue')}", file=sys.stderr)
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
    _ask_mail_passwords(library)
    return _print_report(_run_job(library, Job.refresh(library.session_passwords()), "Refreshing"))


# -- mail folders (issue #19) ---------------------------------------------------------------------
def _subscribe_mail(library: Library, url: str) -> int:
    """Subscribe to a mail folder, asking for the password when none is kept."""
    try:
        result = library.subscribe_mail(url, progress=output.ProgressBar("Reading mail"))
    except PasswordNeededError as exc:
        password = _ask_password(exc)
        result = library.subscribe_mail(url, password, progress=output.ProgressBar("Reading mail"))
    print(f"Subscribed to {url}: {output.plural(result.imported, 'new issue')}", file=sys.stderr)
    if result.reason and result.reason != "nothing new":
        print(f"note: {result.reason}", file=sys.stderr)
    if not library.mail_password_kept():
        print(f"note: {library.no_keyring_reason()}.", file=sys.stderr)
    return 0


def _ask_password(exc: PasswordNeededError) -> str:
    """The password, typed at a prompt that does not echo; the person is told why it is asked."""
    print(f"backissue: {exc}.", file=sys.stderr)
    return getpass.getpass(f"Password for {exc.account}: ")


def _ask_mail_passwords(library: Library) -> None:
    """Before a refresh: ask for each mail folder's password that neither the keyring nor this session has."""
    for folder in library.subscriptions():
        account = library.mail_password_needed(folder.url)
        if account is None:
            continue
        if not sys.stdin.isatty():
            continue  # the refresh reports that folder as failed, with the reason
        password = _ask_password(PasswordNeededError(f"{folder.title} needs its password", account))
        try:
            library.refresh_mail(folder.url, password)
        except ReaderError as exc:
            print(f"failed: {folder.url}: {exc}", file=sys.stderr)


def cmd_remove_images(library: Library, args: argparse.Namespace) -> int:
    """``backissue remove-images``: free the space of the images kept offline."""
    removed = library.remove_stored_images()
    print(f"Removed {output.plural(removed.count, 'stored image')} ({removed.size_text})", file=sys.stderr)
    return 0


def cmd_subscriptions(library: Library, args: argparse.Namespace) -> int:
    """``backissue subscriptions [--opml]``."""
    if getattr(args, "opml", False):
        return history.cmd_export_opml(library, args)
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


def _print_preview(report: ImportReport) -> int:
    """A dry run's outcome, file by file, on stdout."""
    for result in report.files:
        if result.status in ("failed", "skipped"):
            print(f"{result.path}: would be {result.status}: {result.reason}")
            continue
        counts = f"{result.imported} new, {result.updated} updated, {result.unchanged} unchanged"
        if result.kept_apart:
            counts += f", {result.kept_apart} kept apart"
        print(f"{result.path}: {counts}")
    print(
        f"Dry run, nothing was changed: {report.imported} new ({report.kept_apart} kept apart),"
        f" {report.updated} updated, {report.unchanged} unchanged, {len(report.failed)} failed",
        file=sys.stderr,
    )
    return 1 if report.failed else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def cmd_delete(library: Library, args: argparse.Namespace) -> int:
    """``backissue delete ID... [--yes]``: asks first on a terminal, refuses without ``--yes`` elsewhere.

    Every id is checked before anything is deleted; the issues go together, in one transaction.
    """
    ids = list(dict.fromkeys(args.ids))
    issues = [library.get_issue(issue_id) for issue_id in ids]  # IssueNotFoundError before asking
    highlights = [h for issue_id in ids for h in library.highlights(issue_id)]
    notes = sum(1 for h in highlights if h.note.strip()) + sum(1 for i in issues if i.note.strip())
    titles = ", ".join(f"“{i.title}”" for i in issues[:3]) + (", …" if len(issues) > 3 else "")
    named = f"“{issues[0].title}” ({issues[0].publication})" if len(issues) == 1 else f"{len(issues)} issues ({titles})"
    what = f"{named} with {_count(len(highlights), 'highlight')} and {_count(notes, 'note')}"
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"backissue: not deleting {what}: add --yes to delete without a question", file=sys.stderr)
            return 2
        answer = input(f"Delete {what}? It cannot be undone. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.", file=sys.stderr)
            return 1
    library.delete_issues(ids)
    print(f"Deleted {what}.")
    return 0


COMMANDS: dict[str, Command] = {
    "subscribe": cmd_subscribe,
    "unsubscribe": cmd_unsubscribe,
    "refresh": cmd_refresh,
    "subscriptions": cmd_subscriptions,
    "remove-images": cmd_remove_images,
    "highlights": cmd_highlights,
    "annotate": cmd_annotate,
    "export": cmd_export,
    "import-annotations": cmd_import_annotations,
    "backup": cmd_backup,
    "check": cmd_check,
    "import": cmd_import,
    "delete": cmd_delete,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "reindex": cmd_reindex,
    "stats": cmd_stats,
    "edit": cmd_edit,
    "rename-publication": cmd_rename_publication,
    **history.COMMANDS,  # review and importing from other readers (#18)
    **shelves.COMMANDS,
}
COMMANDS.update(links.COMMANDS)  # issue #17: links, cited-by, related, timeline


def cmd_install_desktop(remove: bool) -> int:
    """Install (or with ``--uninstall`` remove) the launcher entry, icon and metainfo for this user."""
    files = desktop.uninstall() if remove else desktop.install()
    verb = "Removed" if remove else "Installed"
    if not files:
        print("Nothing to remove: Back Issue's desktop files are not installed.")
    for path in files:
        print(f"{verb} {path}")
    return 0
