"""The ``backissue`` command line: its arguments, subcommands and help texts."""

from __future__ import annotations

import argparse
from pathlib import Path

from reader import __version__
from reader.cli import history, links, shelves
from reader.core import ENV_VAR


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``backissue``."""
    parser = argparse.ArgumentParser(
        prog="backissue",
        description="Back Issue: read newsletter issues offline, highlight, take notes, search. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"backissue {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help=f"library folder (default: ${ENV_VAR} or the user data dir)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_reading, _annotations, _feeds, _maintenance, _corrections):
        add(sub)
    history.add_parsers(sub)  # review and importing from other readers (#18)
    shelves.add_parsers(sub)  # publications, smart lists, tags, archive (#16)
    links.add_parsers(sub)  # issue #17: links, cited-by, related, timeline
    return parser


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def _reading(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("files", nargs="*", help="files or folders to import once it is open")
    imp = sub.add_parser("import", help="import newsletter files or folders")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--dry-run", action="store_true", help="say what each file would do, and change nothing")
    _mail_filters(imp)
    delete = sub.add_parser("delete", help="delete issues with their highlights and notes")
    delete.add_argument("ids", nargs="+", metavar="ID", help="the issues' ids (see `backissue list`)")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    listing = sub.add_parser("list", help="list the issues, newest first")
    _json_flag(listing)
    shelves.list_filters(listing)
    show = sub.add_parser("show", help="print an issue as text")
    show.add_argument("id", metavar="ID")
    show.add_argument("--markdown", action="store_true", help="print the Markdown instead of plain text")
    search = sub.add_parser("search", help="search issues, highlights and notes")
    search.add_argument("query", metavar="QUERY")
    _json_flag(search)
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default 20; 0: all)")
    search.add_argument("--newest", action="store_true", help="newest first instead of best first")


def _annotations(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hls = sub.add_parser("highlights", help="list highlights and notes")
    _json_flag(hls)
    hls.add_argument("--issue", metavar="ID", help="only this issue's highlights")
    ann = sub.add_parser("annotate", help="highlight a passage of an issue")
    ann.add_argument("issue_id", metavar="ISSUE_ID")
    ann.add_argument("--quote", required=True, metavar="TEXT", help="the exact text to highlight")
    ann.add_argument("--note", default="", metavar="TEXT", help="a note on it (Markdown)")
    ann.add_argument("--color", default="yellow", metavar="C", help="yellow, blue, green, pink or orange")
    ann.add_argument("--occurrence", type=int, metavar="N", help="highlight the Nth place the text occurs (from 1)")
    exp = sub.add_parser("export", help="export highlights and notes")
    exp.add_argument("--format", choices=("markdown", "json"), default="markdown")
    exp.add_argument("--out", required=True, type=Path, metavar="PATH", help="a folder (markdown) or file (json)")
    imp = sub.add_parser("import-annotations", help="import a JSON export of highlights and notes")
    imp.add_argument("file", metavar="FILE", type=Path)


def _feeds(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser(
        "subscribe", help="subscribe to an RSS/Atom feed or a mail folder (imaps://user@host/Folder); fetches it now"
    ).add_argument("url")
    sub.add_parser("unsubscribe", help="forget a feed (its issues stay)").add_argument("url")
    sub.add_parser("refresh", help="fetch new issues of every subscribed feed")
    subs = sub.add_parser("subscriptions", help="list the subscribed feeds")
    subs.add_argument("--opml", action="store_true", help="print them as OPML (what other feed readers import)")
    sub.add_parser("remove-images", help="remove the images kept offline (the issues keep their text)")


def _maintenance(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("reindex", help="rebuild the search index from the database")
    sub.add_parser("backup", help="back up the library database now")
    restore = sub.add_parser("restore", help="replace the library database with a backup")
    restore.add_argument("file", metavar="FILE", type=Path)
    sub.add_parser("check", help="check the database and the index for problems")
    _json_flag(sub.add_parser("stats", help="counts of issues, highlights and notes"))
    desk = sub.add_parser("install-desktop", help="add Back Issue to the desktop's applications menu (XDG)")
    desk.add_argument("--uninstall", action="store_true", help="remove what install-desktop added")


def _mail_filters(imp: argparse.ArgumentParser) -> None:
    newsletters = "from mailboxes and mail, keep only newsletters and list mail (by their headers)"
    imp.add_argument("--newsletters-only", action="store_true", help=newsletters)
    imp.add_argument("--label", metavar="LABEL", help="from a Gmail Takeout mailbox, keep only mail with this label")
    imp.add_argument("--keep-images", action="store_true",
                     help="fetch the issues' images now, once, and keep them offline in the library")


def _corrections(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    edit = sub.add_parser("edit", help="correct an issue's title, publication, number, date or author")
    edit.add_argument("id", metavar="ID")
    edit.add_argument("--title", metavar="TEXT")
    edit.add_argument("--publication", metavar="NAME")
    edit.add_argument("--number", metavar="N", help='the issue number ("" clears it)')
    edit.add_argument("--date", metavar="DATE", help='YYYY-MM-DD ("" clears it)')
    edit.add_argument("--author", metavar="NAME", help='("" clears it)')
    rename = sub.add_parser("rename-publication", help="rename a publication on every issue of it")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
