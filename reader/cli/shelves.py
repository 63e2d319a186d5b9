"""The library's shelves on the command line (#16): publications as series, smart lists, tags, archive."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from reader.cli import output
from reader.core import Library, ReaderError
from reader.core.types import IssueSummary, Series

Command = Callable[[Library, argparse.Namespace], int]
Sub = argparse._SubParsersAction  # argparse's own type for add_subparsers()


def add_parsers(sub: Sub[argparse.ArgumentParser]) -> None:
    """The shelf commands: publications, merge-publications, lists, tags, tag/untag, archive/unarchive."""
    pubs = sub.add_parser("publications", help="list the publications as series (numbers, dates, gaps)")
    pubs.add_argument("name", nargs="?", metavar="NAME", help="show one publication and its issues by number")
    pubs.add_argument("--json", action="store_true", help="print JSON")
    merge = sub.add_parser("merge-publications", help="give every issue of some publications another's name")
    merge.add_argument("sources", nargs="+", metavar="SOURCE")
    merge.add_argument("--into", required=True, metavar="NAME", help="the publication they become")
    _lists_parser(sub)
    tags = sub.add_parser("tags", help="list the tags with how many issues and highlights carry each")
    tags.add_argument("--json", action="store_true", help="print JSON")
    for name, verb in (("tag", "add tags to"), ("untag", "remove tags from")):
        cmd = sub.add_parser(name, help=f"{verb} an issue (ID NAME...) or a highlight (--highlight HID NAME...)")
        cmd.add_argument("words", nargs="+", metavar="ID NAME", help="the issue's id, then one or more tags")
        cmd.add_argument("--highlight", metavar="HID", help="tag this highlight instead (then give only names)")
    for name, verb in (("archive", "archive"), ("unarchive", "bring back from the archive")):
        sub.add_parser(name, help=f"{verb} issues (archived ones leave list and Unread, stay searchable)"
                       ).add_argument("ids", nargs="+", metavar="ID")


def _lists_parser(sub: Sub[argparse.ArgumentParser]) -> None:
    lists = sub.add_parser("lists", help="the smart lists (saved searches) with their counts; add, edit, delete")
    lists.add_argument("--json", action="store_true", help="print JSON")
    actions = lists.add_subparsers(dest="lists_action", metavar="ACTION")
    add = actions.add_parser("add", help="save a search as a smart list")
    add.add_argument("name", metavar="NAME")
    add.add_argument("query", metavar="QUERY", help="anything `backissue search` accepts")
    add.add_argument("--sort", default="date", choices=("date", "score", "number"), help="the list's order")
    edit = actions.add_parser("edit", help="rename a smart list or change its search or order")
    edit.add_argument("name", metavar="NAME")
    edit.add_argument("--name", dest="new_name", metavar="NEW")
    edit.add_argument("--query", metavar="QUERY")
    edit.add_argument("--sort", choices=("date", "score", "number"))
    actions.add_parser("delete", help="delete a smart list (its issues stay)").add_argument("name", metavar="NAME")
    move = actions.add_parser("move", help="move a smart list to a place in the list (1 is the first)")
    move.add_argument("name", metavar="NAME")
    move.add_argument("position", type=int, metavar="N")


def list_filters(parser: argparse.ArgumentParser) -> None:
    """``list``'s choice of shelf: a smart list, a tag, a publication, or the archive."""
    shelf = parser.add_mutually_exclusive_group()
    shelf.add_argument("--in", dest="smart_list", metavar="NAME", help="the issues of this smart list, in its order")
    shelf.add_argument("--tag", metavar="NAME", help="issues with this tag (or a highlight with it)")
    shelf.add_argument("--publication", metavar="NAME", help="one publication's issues, by number")
    shelf.add_argument("--archived", action="store_true", help="the archived issues (hidden otherwise)")


def shelf_issues(library: Library, args: argparse.Namespace, issues: list[IssueSummary]) -> list[IssueSummary]:
    """The issues ``list`` shows: those of the chosen shelf, else every one not archived."""
    archived = library.archived_ids()
    if getattr(args, "smart_list", None):
        by_id = {i.id: i for i in issues}
        return [by_id[i] for i in library.smart_list_issue_ids(args.smart_list) if i in by_id]
    if getattr(args, "tag", None):
        tagged = set(library.tagged_issue_ids(args.tag))
        return [i for i in issues if i.id in tagged]
    if getattr(args, "publication", None):
        library.series(args.publication)  # says so when there is no such publication
        return _by_number([i for i in issues if i.publication == args.publication])
    if getattr(args, "archived", False):
        return [i for i in issues if i.id in archived]
    return [i for i in issues if i.id not in archived]


def _by_number(issues: list[IssueSummary]) -> list[IssueSummary]:
    return sorted(issues, key=lambda i: (i.number is None, i.number or 0, i.date or ""))


def cmd_publications(library: Library, args: argparse.Namespace) -> int:
    """``backissue publications [NAME] [--json]``."""
    names = [args.name] if args.name else library.publications()
    series = [library.series(name) for name in names]
    if args.json:
        output.print_json([_series_json(s) for s in series])
    elif args.name:
        print(series_header(series[0]))
        issues = [i for i in library.list_issues() if i.publication == args.name]
        output.table(output.issue_rows(_by_number(issues)), ["ID", "DATE", "PUBLICATION", "NO.", "TITLE"], flexible=4)
    else:
        rows = [[s.name, str(s.issues), _numbers(s), _dates(s), s.missing_text(3)] for s in series]
        output.table(rows, ["PUBLICATION", "ISSUES", "NUMBERS", "DATES", "GAPS"], flexible=0)
    return 0


def series_header(series: Series) -> str:
    """One line about a series: "Import AI · 11 issues · #301–#313, missing #311–#312 · 1 with highlights"."""
    parts = [series.name, output.plural(series.issues, "issue")]
    numbers = _numbers(series)
    if numbers:
        parts.append(numbers + (f", {series.missing_text()}" if series.missing else ""))
    if dates := _dates(series):
        parts.append(dates)
    parts.append(f"{series.highlighted} with highlights")
    return " · ".join(parts)


def _numbers(series: Series) -> str:
    if series.first_number is None:
        return ""
    if series.first_number == series.last_number:
        return f"#{series.first_number}"
    return f"#{series.first_number}–#{series.last_number}"


def _dates(series: Series) -> str:
    if not series.first_date:
        return ""
    return series.first_date if series.first_date == series.last_date else f"{series.first_date} to {series.last_date}"


def _series_json(series: Series) -> dict[str, object]:
    return {
        "name": series.name, "issues": series.issues, "first_date": series.first_date,
        "last_date": series.last_date, "first_number": series.first_number, "last_number": series.last_number,
        "missing": list(series.missing), "highlighted": series.highlighted, "unnumbered": series.unnumbered,
    }  # fmt: skip


def cmd_merge_publications(library: Library, args: argparse.Namespace) -> int:
    """``backissue merge-publications SOURCE... --into NAME``."""
    changes = library.merge_publications(args.sources, args.into)
    print(f"Merged {', '.join(map(repr, args.sources))} into {args.into!r}: "
          f"{output.plural(len(changes.issues), 'issue')} moved", file=sys.stderr)
    return 0


def cmd_lists(library: Library, args: argparse.Namespace) -> int:
    """``backissue lists [add|edit|delete|move ...] [--json]``."""
    action = args.lists_action
    if action == "add":
        smart = library.create_smart_list(args.name, args.query, args.sort)
        print(f"Saved the smart list {smart.name!r}: {smart.query}", file=sys.stderr)
    elif action == "edit":
        smart = library.update_smart_list(args.name, new_name=args.new_name, query=args.query, sort=args.sort)
        print(f"Changed the smart list {smart.name!r}: {smart.query} (by {smart.sort})", file=sys.stderr)
    elif action == "delete":
        smart = library.delete_smart_list(args.name)
        print(f"Deleted the smart list {smart.name!r}", file=sys.stderr)
    elif action == "move":
        library.move_smart_list(args.name, args.position - 1)
    if action not in (None, "move"):
        return 0
    counts = library.smart_list_counts()
    lists = library.smart_lists()
    if args.json:
        output.print_json([{"name": s.name, "query": s.query, "sort": s.sort, "issues": counts[s.name]}
                           for s in lists])
    elif not lists:
        print("No smart lists yet: save one with `backissue lists add NAME QUERY`.", file=sys.stderr)
    else:
        output.table([[s.name, str(counts[s.name]), s.sort, s.query] for s in lists],
                     ["NAME", "ISSUES", "ORDER", "SEARCH"], flexible=3)
    return 0


def cmd_tags(library: Library, args: argparse.Namespace) -> int:
    """``backissue tags [--json]``."""
    tags = library.tags()
    if args.json:
        output.print_json([{"name": t.name, "issues": t.issues, "highlights": t.highlights} for t in tags])
    elif not tags:
        print("No tags yet: add one with `backissue tag ID NAME`.", file=sys.stderr)
    else:
        output.table([[t.name, str(t.issues), str(t.highlights)] for t in tags], ["TAG", "ISSUES", "HIGHLIGHTS"],
                     flexible=0)
    return 0


def _tag_command(add: bool) -> Command:
    def command(library: Library, args: argparse.Namespace) -> int:
        words = list(args.words)
        verb = "Tagged" if add else "Untagged"
        if args.highlight:
            method = library.tag_highlight if add else library.untag_highlight
            changes = method(args.highlight, words)
            print(f"{verb} highlight {args.highlight} ({', '.join(words)})"
                  + ("" if changes.highlights else ": nothing to change"), file=sys.stderr)
            return 0
        if len(words) < 2:
            raise ReaderError("Give the issue's id and at least one tag (backissue tag ID NAME...)")
        issue_id, names = words[0], words[1:]
        changes = (library.tag_issues if add else library.untag_issues)([issue_id], names)
        print(f"{verb} issue {issue_id} ({', '.join(names)})"
              + ("" if changes.issues else ": nothing to change"), file=sys.stderr)
        return 0

    return command


def _archive_command(archived: bool) -> Command:
    def command(library: Library, args: argparse.Namespace) -> int:
        changes = library.set_archived(args.ids, archived)
        verb = "Archived" if archived else "Brought back"
        print(f"{verb} {output.plural(len(changes.issues), 'issue')}", file=sys.stderr)
        return 0

    return command


COMMANDS: dict[str, Command] = {
    "publications": cmd_publications,
    "merge-publications": cmd_merge_publications,
    "lists": cmd_lists,
    "tags": cmd_tags,
    "tag": _tag_command(add=True),
    "untag": _tag_command(add=False),
    "archive": _archive_command(archived=True),
    "unarchive": _archive_command(archived=False),
}
