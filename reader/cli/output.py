"""How the CLI prints: readable tables for people, JSON for programs, a progress bar on a terminal."""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from reader.core.types import Highlight, ImportProgress, IssueSummary, SearchHit


def issue_json(issue: IssueSummary) -> dict[str, Any]:
    """The JSON object of an issue in ``list --json``."""
    return {
        "id": issue.id,
        "publication": issue.publication,
        "number": issue.number,
        "title": issue.title,
        "date": issue.date,
        "author": issue.author,
        "read": issue.read,
        "starred": issue.starred,
        "highlights": issue.highlight_count,
    }


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """The JSON object of a search hit in ``search --json``."""
    return {
        "id": hit.id,
        "publication": hit.publication,
        "number": hit.number,
        "title": hit.title,
        "date": hit.date,
        "section": hit.section,
        "snippet": hit.snippet,
        "score": round(hit.score, 4),
        "kind": hit.kind,
        "highlight_id": hit.highlight_id,
    }


def highlight_json(hl: Highlight, labels: Mapping[str, str]) -> dict[str, Any]:
    """The JSON object of a highlight in ``highlights --json``."""
    return {
        "id": hl.id,
        "issue_id": hl.issue_id,
        "quote": hl.quote,
        "note": hl.note,
        "color": hl.color,
        "label": labels.get(hl.color, hl.color),
        "created": hl.created,
        "modified": hl.modified,
        "start": hl.start,
        "end": hl.end,
        "detached": hl.detached,
    }


def print_json(value: Any, out: TextIO | None = None) -> None:
    """Print a value as indented JSON (UTF-8, not escaped) to ``out`` (the current sys.stdout)."""
    out = out or sys.stdout
    out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _width() -> int:
    return max(60, shutil.get_terminal_size((100, 24)).columns)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def table(rows: Sequence[Sequence[str]], headers: Sequence[str], flexible: int, out: TextIO | None = None) -> None:
    """Print an aligned table; on a terminal, column ``flexible`` takes the width left and is clipped.

    Printed to a file or a pipe, nothing is clipped: the reader there is a program or a pager.
    ``out`` is the current sys.stdout by default (not the one at import: tests capture it).
    """
    out = out or sys.stdout
    widths = [max([len(headers[i])] + [len(r[i]) for r in rows]) for i in range(len(headers))]
    if out.isatty():
        widths[flexible] = max(10, min(widths[flexible], _fit(widths, flexible)))
    for row in [headers, *rows]:
        cells = [_clip(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(row)]
        out.write("  ".join(cells).rstrip() + "\n")


def _fit(widths: list[int], flexible: int, floor: int = 20) -> int:
    """The width column ``flexible`` gets on the terminal; wide columns give up room for it (not below ``floor``).

    A long publication name once left the title ten characters ("This Week…") at 120 columns.
    """
    room = _width() - sum(w for i, w in enumerate(widths) if i != flexible) - 2 * (len(widths) - 1)
    want = min(widths[flexible], _width() // 2)
    while room < want:
        widest = max((i for i in range(len(widths)) if i != flexible), key=lambda i: widths[i])
        if widths[widest] <= floor:
            break
        cut = min(want - room, widths[widest] - floor)
        widths[widest] -= cut
        room += cut
    return room


def issue_rows(issues: Sequence[IssueSummary]) -> list[list[str]]:
    """Table rows for issues: id, date, publication, number, title."""
    return [[i.id, i.date or "", i.publication, "" if i.number is None else str(i.number), i.title] for i in issues]


def snippet_text(snippet: str, bold: bool) -> str:
    """A hit's snippet as terminal text: matched terms in bold on a terminal, else in *stars*."""
    on, off = ("\033[1m", "\033[0m") if bold else ("*", "*")
    marked = snippet.replace("<b>", on).replace("</b>", off)
    return html.unescape(re.sub(r"<[^>]+>", "", marked))


class ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, label: str, stream: TextIO = sys.stderr) -> None:
        self._label = label
        self._stream = stream
        self._active = stream.isatty()

    def __call__(self, progress: ImportProgress) -> None:
        if not self._active or progress.total == 0:
            return
        width = 30
        filled = width * progress.done // progress.total
        bar = "█" * filled + "·" * (width - filled)
        label = "Indexing" if progress.stage == "index" else self._label
        self._stream.write(f"\r{label} {bar} {progress.done}/{progress.total}")
        if progress.done >= progress.total:
            self._stream.write("\n")
        self._stream.flush()


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` with ``word`` in the right number: "1 issue", "2 issues", "1 new issue"."""
    return f"{count} {word if count == 1 else many or word + 's'}"
