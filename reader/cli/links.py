"""``backissue links``, ``cited-by``, ``related`` and ``timeline``: what the newsletters point to (issue #17)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from reader.cli import output
from reader.core import Library
from reader.core.types import Citation, LinkedWork


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The link commands' arguments."""
    links = sub.add_parser("links", help="every work the issues link to or cite, most cited first")
    links.add_argument("--site", metavar="SITE", help="only works on this site (arxiv.org, github.com)")
    links.add_argument("--text", metavar="TEXT", help="only works whose title, link text or address holds TEXT")
    links.add_argument("--limit", type=int, default=0, metavar="N", help="at most N works (default: all)")
    links.add_argument("--json", action="store_true", help="print JSON")
    cited = sub.add_parser("cited-by", help="the issues citing a work, with the sentence around each citation")
    cited.add_argument("work", metavar="URL", help="an address in any form, an arXiv id, a DOI or a cited title")
    cited.add_argument("--json", action="store_true", help="print JSON")
    related = sub.add_parser("related", help="the issues most related to one (shared terms and cited works)")
    related.add_argument("id", metavar="ID")
    related.add_argument("--limit", type=int, default=5, metavar="N", help="how many (default 5)")
    related.add_argument("--json", action="store_true", help="print JSON")
    timeline = sub.add_parser("timeline", help="a search as issues per month and publication")
    timeline.add_argument("query", metavar="QUERY")
    timeline.add_argument("--json", action="store_true", help="print JSON")


def cmd_links(library: Library, args: argparse.Namespace) -> int:
    """``backissue links [--site S] [--text T] [--limit N] [--json]``."""
    works = library.links(site=args.site, text=args.text)
    shown = works[: args.limit] if args.limit > 0 else works
    if args.json:
        output.print_json([work_json(w) for w in shown])
        return 0
    if not works:
        print("No linked works" + (f" on {args.site}" if args.site else "") + (f" matching {args.text!r}" if args.text
                                                                                  else ""))
        return 0
    rows = [[str(w.issues), str(w.publications), w.last_seen or "", w.site, w.title, w.url] for w in shown]
    output.table(rows, ["ISSUES", "PUBS", "LAST SEEN", "SITE", "TITLE", "ADDRESS"], flexible=4)
    if len(shown) < len(works):
        print(f"{len(shown)} of {output.plural(len(works), 'work')}; --limit 0 shows all", file=sys.stderr)
    return 0


def cmd_cited_by(library: Library, args: argparse.Namespace) -> int:
    """``backissue cited-by URL [--json]``."""
    citations = library.cited_by(args.work)
    if args.json:
        output.print_json({"work": work_json(citations[0].work), "citations": [citation_json(c) for c in citations]})
        return 0
    work = citations[0].work
    print(f"{work.title}\n{work.url or work.site}\n"
          f"cited by {output.plural(work.issues, 'issue')} in {output.plural(work.publications, 'publication')}\n")
    for c in citations:
        print(f"{c.date or 'undated':10}  {c.issue_id}  {c.publication}: {c.issue_title}")
        print(f"            “{c.context or c.anchor}”")
    return 0


def cmd_related(library: Library, args: argparse.Namespace) -> int:
    """``backissue related ID [--limit N] [--json]``."""
    related = library.related(args.id, limit=max(args.limit, 1))
    if args.json:
        output.print_json([{**output.issue_json(r.issue), "score": r.score, "shared_works": list(r.shared_works)}
                           for r in related])
        return 0
    if not related:
        print("No related issues")
        return 0
    rows = [[r.issue.id, r.issue.date or "", r.issue.publication, r.issue.title,
             output.plural(len(r.shared_works), "shared work") if r.shared_works else ""] for r in related]
    output.table(rows, ["ID", "DATE", "PUBLICATION", "TITLE", "CITES TOO"], flexible=3)
    return 0


def cmd_timeline(library: Library, args: argparse.Namespace) -> int:
    """``backissue timeline QUERY [--json]``."""
    buckets = library.timeline(args.query)
    if args.json:
        output.print_json([asdict(b) for b in buckets])
        return 0
    if not buckets:
        print(f"No issues match {args.query!r}")
        return 0
    for b in buckets:
        print(f"{b.month or 'undated':8}  {b.publication:24.24}  {'█' * min(b.issues, 60)} {b.issues}")
    return 0


def work_json(work: LinkedWork) -> dict[str, Any]:
    """A work as JSON."""
    return {**asdict(work), "anchors": list(work.anchors)}


def citation_json(citation: Citation) -> dict[str, Any]:
    """A citation as JSON (its work is given once, beside the list)."""
    fields = asdict(citation)
    fields.pop("work")
    return {**fields, "other_issues": citation.other_issues}


COMMANDS = {"links": cmd_links, "cited-by": cmd_cited_by, "related": cmd_related, "timeline": cmd_timeline}
