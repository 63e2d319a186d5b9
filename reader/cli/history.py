"""``backissue review`` (the daily review of highlights) and the importers from other readers (#18)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, Literal, TextIO

from reader.cli import output
from reader.core import REVIEW_ACTIONS, HistoryReport, Library, ReviewAction, ReviewDay, ReviewItem
from reader.core.types import HistoryKind, HistoryOutcome

KEYS: dict[str, ReviewAction] = {"k": "keep", "l": "less", "m": "more", "x": "mastered", "d": "discard"}
"""The review's answer keys, the same in the terminal and the window."""
PROMPT = "[k]eep  [l]ess often  [m]ore often  master[x]  [d]iscard  [n]ote  [o]pen  [s]kip  [q]uit"


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The review and import-from-another-reader commands."""
    review = sub.add_parser("review", help="review a few highlights a day (interactive in a terminal)")
    review.add_argument("--json", action="store_true", help="print today's queue as JSON, change nothing")
    review.add_argument("--daily", type=int, metavar="N", help="show N highlights a day from now on (default 5)")
    review.add_argument("--answer", nargs=2, metavar=("HIGHLIGHT_ID", "ANSWER"),
                        help=f"answer for one highlight without asking: {', '.join(REVIEW_ACTIONS)}")  # fmt: skip
    omni = sub.add_parser("import-omnivore", help="import an Omnivore export (zip or folder)")
    omni.add_argument("path", metavar="PATH")
    rw = sub.add_parser("import-readwise", help="import highlights from a Readwise CSV export")
    rw.add_argument("path", metavar="FILE")
    ss = sub.add_parser("import-substack", help="import a Substack archive export (posts.csv + posts/)")
    ss.add_argument("path", metavar="PATH")
    ss.add_argument("--publication", metavar="NAME", help="the publication's name (default: from the export's name)")
    opml = sub.add_parser("import-opml", help="subscribe to the feeds of an OPML file (fetched at the next refresh)")
    opml.add_argument("path", metavar="FILE")


# -- review ----------------------------------------------------------------------------------------


def cmd_review(library: Library, args: argparse.Namespace) -> int:
    """``backissue review [--json] [--daily N] [--answer ID ANSWER]``."""
    if args.daily is not None:
        library.set_review_daily_count(args.daily)
        print(f"The daily review shows {output.plural(args.daily, 'highlight')} a day.", file=sys.stderr)
    if args.answer:
        highlight_id, answer = args.answer
        if answer not in REVIEW_ACTIONS:
            print(f"backissue: unknown answer {answer!r}; use {', '.join(REVIEW_ACTIONS)}", file=sys.stderr)
            return 2
        library.review_highlight(highlight_id, answer)
        print(f"{answer}: {highlight_id}")
        return 0
    day = library.review_today()
    if args.json:
        output.print_json(review_json(day))
        return 0
    if not sys.stdin.isatty():
        print_queue(day)
        return 0
    return interactive(library, day, input, sys.stdout)


def review_json(day: ReviewDay) -> dict[str, Any]:
    """Today's queue as ``review --json`` prints it."""
    return {
        "day": day.day, "daily": day.daily, "done": day.done, "finished": day.finished, "streak": day.streak,
        "in_review": day.in_review, "items": [_item_json(i) for i in day.items],
    }  # fmt: skip


def _item_json(item: ReviewItem) -> dict[str, Any]:
    hl = item.highlight
    return {
        "highlight_id": hl.id, "issue_id": hl.issue_id, "title": item.title, "publication": item.publication,
        "date": item.date, "starred": item.starred, "quote": hl.quote, "note": hl.note, "context": item.context,
        "detached": hl.detached, "reviews": item.reviews, "due": item.due,
    }  # fmt: skip


def status_line(day: ReviewDay) -> str:
    """"2 of 5 done today · streak: 3 days" (or "Done for today" once nothing is left)."""
    streak = f"streak: {output.plural(day.streak, 'day')}"
    if day.finished:
        if day.done == 0 and day.in_review == 0:
            return "Nothing to review yet: highlight passages and they come back here."
        return f"Done for today: {output.plural(day.done, 'highlight')} reviewed · {streak}"
    return f"{day.done} of {day.done + len(day.items)} done today · {streak}"


def print_queue(day: ReviewDay, out: TextIO = sys.stdout) -> None:
    """Today's queue as text (when not in a terminal), with how to answer."""
    out.write(status_line(day) + "\n")
    for item in day.items:
        out.write(_card(item, bold=False) + f"\n  id: {item.highlight.id}\n")
    if day.items:
        out.write("Answer with `backissue review --answer HIGHLIGHT_ID keep|less|more|mastered|discard`.\n")


def _card(item: ReviewItem, bold: bool) -> str:
    star = " \u2605" if item.starred else ""
    head = f"{item.title} \u2014 {item.publication}" + (f", {item.date}" if item.date else "") + star
    quote = item.context[item.quote_start : item.quote_end]
    marked = f"\033[1m{quote}\033[0m" if bold else f"\u00bb{quote}\u00ab"
    context = item.context[: item.quote_start] + marked + item.context[item.quote_end :]
    note = f"\n  Note: {item.highlight.note}" if item.highlight.note.strip() else ""
    detached = " (its passage is no longer in the issue)" if item.highlight.detached else ""
    return f"\n{head}\n  {context}{detached}{note}"


def interactive(library: Library, day: ReviewDay, ask: Callable[[str], str], out: TextIO) -> int:
    """Ask for an answer for each highlight of today's queue, one key (and Enter) at a time."""
    out.write(status_line(day) + "\n")
    while not day.finished:
        item = day.items[0]
        out.write(_card(item, bold=out.isatty()) + "\n")
        answer = _ask(library, item, ask, out)
        if answer == "quit":
            break
        if answer == "skip":
            day = _without(day, item)
            continue
        library.review_highlight(item.highlight.id, answer)
        day = library.review_today()
        out.write(status_line(day) + "\n")
    return 0


def _ask(
    library: Library, item: ReviewItem, ask: Callable[[str], str], out: TextIO
) -> ReviewAction | Literal["quit", "skip"]:
    while True:
        try:
            key = ask(PROMPT + " > ").strip().lower()[:1]
        except EOFError:
            return "quit"
        if key in KEYS:
            return KEYS[key]
        if key in ("q", "s"):
            return "quit" if key == "q" else "skip"
        if key == "n":
            _edit_note(library, item, ask, out)
        elif key == "o":
            out.write(_issue_text(library, item) + "\n")
        else:
            out.write("Press one of the letters in brackets, then Enter.\n")


def _edit_note(library: Library, item: ReviewItem, ask: Callable[[str], str], out: TextIO) -> None:
    try:
        text = ask("New note (Enter keeps it, '-' removes it): ")
    except EOFError:
        return
    if text.strip():
        note = "" if text.strip() == "-" else text.strip()
        library.update_highlight(item.highlight.id, note=note)
        out.write("Note removed.\n" if not note else "Note saved.\n")


def _issue_text(library: Library, item: ReviewItem) -> str:
    text = library.plain_text(item.highlight.issue_id)
    hl = item.highlight
    if not hl.detached:
        text = text[: hl.start] + "\u00bb" + text[hl.start : hl.end] + "\u00ab" + text[hl.end :]
    return f"\n{text}\n(`backissue show {hl.issue_id}` prints it again)"


def _without(day: ReviewDay, item: ReviewItem) -> ReviewDay:
    from dataclasses import replace

    return replace(day, items=tuple(i for i in day.items if i is not item))


# -- importing from other readers ------------------------------------------------------------------


def print_history(report: HistoryReport, out: TextIO = sys.stdout) -> int:
    """Each item's outcome, then a summary line; 0."""
    for item in report.items:
        reason = f" ({item.reason})" if item.reason else ""
        out.write(f"{item.outcome}: {item.kind} \u201c{item.name}\u201d{reason}\n")
    out.write(summary(report) + "\n")
    return 0


def summary(report: HistoryReport) -> str:
    """"Omnivore export: 2 issues added, 3 highlights attached, 1 highlight detached, 1 skipped"."""
    parts = []
    kinds: tuple[HistoryKind, ...] = ("issue", "feed", "highlight")
    outcomes: tuple[HistoryOutcome, ...] = ("added", "attached", "detached")
    for kind in kinds:
        for outcome in outcomes:
            count = report.count(outcome, kind)
            if count:
                parts.append(f"{output.plural(count, kind)} {outcome}")
    skipped = report.count("skipped")
    if skipped:
        parts.append(f"{skipped} skipped")
    if not parts:
        parts.append("nothing found")
    elif skipped == len(report.items):
        parts.append("nothing new: already in the library")
    return f"{report.source}: " + ", ".join(parts)


def cmd_import_omnivore(library: Library, args: argparse.Namespace) -> int:
    """``backissue import-omnivore PATH``."""
    return print_history(library.import_omnivore(args.path))


def cmd_import_readwise(library: Library, args: argparse.Namespace) -> int:
    """``backissue import-readwise FILE``."""
    return print_history(library.import_readwise(args.path))


def cmd_import_substack(library: Library, args: argparse.Namespace) -> int:
    """``backissue import-substack PATH [--publication NAME]``."""
    return print_history(library.import_substack(args.path, args.publication))


def cmd_import_opml(library: Library, args: argparse.Namespace) -> int:
    """``backissue import-opml FILE``."""
    return print_history(library.import_opml(args.path))


def cmd_export_opml(library: Library, args: argparse.Namespace) -> int:
    """``backissue subscriptions --opml``: the subscriptions as OPML on standard output."""
    sys.stdout.write(library.export_opml())
    return 0


COMMANDS = {
    "review": cmd_review,
    "import-omnivore": cmd_import_omnivore,
    "import-readwise": cmd_import_readwise,
    "import-substack": cmd_import_substack,
    "import-opml": cmd_import_opml,
}
