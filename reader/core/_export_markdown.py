"""Markdown export of highlights and notes, one Obsidian-friendly file per issue.

The output is a pure function of the records: no timestamp of the export is written, highlights
are sorted by position, and file names derive from the issue id, so exporting unchanged data again
rewrites the same files with the same bytes instead of adding duplicates.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.core._ingest.own_export import EXPORT_GENERATOR
from reader.core.errors import ReaderError
from reader.core.types import Citation, Highlight, Issue

EXPORT_TAGS = ("backissue",)
"""Tags every exported note carries in its front matter."""


@dataclass(frozen=True)
class ExportTags:
    """The user's tags to write: by issue id, and by highlight id."""

    issues: Mapping[str, Sequence[str]] = field(default_factory=dict)
    highlights: Mapping[str, Sequence[str]] = field(default_factory=dict)

_SLUG_MAX_BYTES = 80
# Characters Markdown or Obsidian would read as markup inside a plain-text quote or title:
# emphasis, links, HTML and entities, tags (#word), strikethrough, math, tables, code, Obsidian comments.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>#~$|&]|==|%%)")
# Line starts that would turn a quoted line into a list, a heading or a rule.
_BLOCK_START = re.compile(r"^(\s*)([-+]|\d+(?=[.)]))")


def short_id(text: str) -> str:
    """A stable 10-character lowercase hex digest of an id, for block ids and file names."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def block_id(highlight_id: str) -> str:
    """The Obsidian block id (without the caret) that links to a highlight's quote."""
    return f"hl-{short_id(highlight_id)}"


def escape_markdown(text: str) -> str:
    """Escape plain text so Markdown and Obsidian show it literally (one line at a time)."""
    escaped = _INLINE_MARKUP.sub(lambda m: "".join("\\" + c for c in m.group(1)), text)
    return _BLOCK_START.sub(lambda m: m.group(1) + _escape_block_marker(m.group(2)), escaped)


def _escape_block_marker(marker: str) -> str:
    # "1999." must stay readable: escape the dot or paren after the digits, not the digits.
    return "\\" + marker if marker in "-+" else marker + "\\"


def front_matter(issue: Issue, tags: Sequence[str] = ()) -> str:
    """The YAML front matter block (with its ``---`` fences) describing an issue (and its ``tags``)."""
    data: dict[str, object] = {"title": issue.title, "publication": issue.publication}
    for key, value in (("number", issue.number), ("date", issue.date), ("author", issue.author)):
        if value is not None:
            data[key] = value
    data["id"] = issue.id
    data["tags"] = list(EXPORT_TAGS) + [t for t in tags if t not in EXPORT_TAGS]
    data["generator"] = EXPORT_GENERATOR  # so an import knows this file for an export, not an issue
    import yaml  # imported when exporting, not when the window starts

    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{body}---\n"


def issue_markdown(
    issue: Issue,
    highlights: Sequence[Highlight],
    labels: Mapping[str, str],
    tags: ExportTags | None = None,
    cited: Sequence[Citation] = (),
) -> str:
    """One issue's highlights and notes as a Markdown document with YAML front matter.

    Args:
        issue: the issue; its free note, if any, comes first.
        highlights: its highlights in any order; they are written in reading order, detached
            ones under their own heading.
        labels: colour key -> the user's label for it; unknown keys are shown as they are.
        tags: the issue's tags (front matter) and its highlights' tags (a "Tags:" line each).
        cited: the issue's citations (issue #17): listed once per work under "Cited works".

    Returns:
        The document; the same records always give the same text.
    """
    parts = [f"# {escape_markdown(_one_line(issue.title)) or 'Untitled'}"]
    if byline := _byline(issue):
        parts.append(byline)
    if issue.note.strip():
        parts += ["## Note", issue.note.strip()]
    attached = _reading_order(h for h in highlights if not h.detached)
    detached = _reading_order(h for h in highlights if h.detached)
    for heading, group in (("Highlights", attached), ("Detached highlights", detached)):
        if group:
            parts.append(f"## {heading}")
            parts += [_highlight_markdown(h, labels, tags.highlights.get(h.id, ()) if tags else ()) for h in group]
    if cited:
        parts += ["## Cited works", cited_works_markdown(cited)]
    issue_tags = tags.issues.get(issue.id, ()) if tags else ()
    return front_matter(issue, issue_tags) + "\n" + "\n\n".join(parts) + "\n"


def cited_works_markdown(cited: Sequence[Citation]) -> str:
    """One list item per work the issue cites, in reading order, with how many other issues cite it."""
    lines, seen = [], set()
    for citation in cited:
        work = citation.work
        if work.key in seen:
            continue
        seen.add(work.key)
        title = escape_markdown(_one_line(work.title))
        item = f"[{title}](<{work.url}>)" if work.url else f"{title} ({escape_markdown(work.site)})"
        others = citation.other_issues
        if others:
            item += f" — also cited in {others} other issue{'s' if others != 1 else ''}"
        lines.append(f"- {item}")
    return "\n".join(lines)


def _byline(issue: Issue) -> str:
    fields = [issue.publication]
    if issue.number is not None:
        fields.append(f"No. {issue.number}")
    fields += [issue.date or "", issue.author or ""]
    text = " · ".join(escape_markdown(_one_line(f)) for f in fields if f and f.strip())
    return f"*{text}*" if text else ""


def _reading_order(highlights: Iterable[Highlight]) -> list[Highlight]:
    return sorted(highlights, key=lambda h: (h.start, h.end, h.id))


def _highlight_markdown(highlight: Highlight, labels: Mapping[str, str], tags: Sequence[str] = ()) -> str:
    label = labels.get(highlight.color, highlight.color)
    parts = [_blockquote(highlight.quote), f"^{block_id(highlight.id)}"]
    if label:
        parts.append(f"Colour: **{escape_markdown(_one_line(label))}**")
    if tags:
        parts.append("Tags: " + " ".join(f"#{tag}" for tag in tags))
    if highlight.note.strip():
        parts.append(highlight.note.strip())
    return "\n\n".join(parts)


def _blockquote(quote: str) -> str:
    # Each line of the plain text is a paragraph of the issue: keep them apart inside the quote.
    lines = [escape_markdown(line.strip()) for line in quote.splitlines() if line.strip()]
    return "\n>\n".join(f"> {line}" for line in lines) or ">"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def export_filename(issue: Issue) -> str:
    """The file name of an issue's export: a safe slug plus a short id of the issue.

    The name never holds a path separator, a leading dot, or a control character, stays well under
    file-system limits, and (because the short id is always appended) is never a reserved
    Windows device name such as ``CON``.
    """
    what = f"no-{issue.number}" if issue.number is not None else issue.title
    slug = _slug(f"{issue.publication} {what}") or "issue"
    return f"{slug}-{short_id(issue.id)}.md"


def _slug(text: str) -> str:
    normalized = unicodedata.normalize("NFKC", text).casefold()
    words = "".join(c if c.isalnum() else " " for c in normalized).split()
    slug = "-".join(words)[:_SLUG_MAX_BYTES]
    while len(slug.encode("utf-8")) > _SLUG_MAX_BYTES:
        slug = slug[:-1]
    return slug.strip("-")


def export_markdown(
    out_dir: Path, items: Iterable[tuple[Issue, Sequence[Highlight]]], labels: Mapping[str, str],
    tags: ExportTags | None = None,
    cited: Callable[[str], Sequence[Citation]] | None = None,
) -> list[Path]:
    """Write one Markdown file per issue that has highlights or a note.

    Files are written atomically with mode 0600; ``out_dir`` is created with mode 0700 when
    missing. Exporting again overwrites the same files in place.

    Args:
        out_dir: the folder to write into.
        items: each issue with its highlights.
        labels: colour key -> the user's label for it.
        tags: the issues' and highlights' tags (#16), written in front matter and under each highlight.
        cited: an issue id -> its citations (the "Cited works" section); None leaves it out.

    Returns:
        The paths written, in the order of ``items``.

    Raises:
        ReaderError: the folder or a file could not be created or written.
    """
    _make_private_dir(out_dir)
    written = []
    for issue, highlights in items:
        if highlights or issue.note.strip():
            path = out_dir / export_filename(issue)
            citations = cited(issue.id) if cited is not None else ()
            write_private_file(path, issue_markdown(issue, highlights, labels, tags, citations))
            written.append(path)
    remove_stale_exports(out_dir, written)
    return written


_EXPORT_NAME = re.compile(r"-([0-9a-f]{10})\.md$")


def remove_stale_exports(out_dir: Path, written: Sequence[Path]) -> list[Path]:
    """Delete files an earlier export wrote that this one did not (their issue has no annotation left).

    A file counts as an earlier export only when it is a regular ``.md`` file whose name ends in
    the short id of the issue id in its own front matter, and which carries the export's tag: a
    file named and shaped exactly as ``export_markdown`` writes them. Anything else is never
    touched. Returns the removed files.
    """
    current = {p.name for p in written}
    removed = []
    for path in sorted(out_dir.glob("*.md")):
        if path.name in current or not _is_our_export(path):
            continue
        try:
            path.unlink()
        except OSError as exc:
            raise ReaderError(f"Cannot remove the stale export {path}: {exc.strerror or exc}") from exc
        removed.append(path)
    return removed


def _is_our_export(path: Path) -> bool:
    match = _EXPORT_NAME.search(path.name)
    if match is None:
        return False
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False
        with path.open("rb") as file:
            head = file.read(64 * 1024).decode("utf-8", "replace")
    except OSError:
        return False
    if not head.startswith("---\n") or "\n---\n" not in head:
        return False
    import yaml

    try:
        data = yaml.safe_load(head[4 : head.index("\n---\n")])
    except yaml.YAMLError:
        return False
    if not isinstance(data, dict) or not isinstance(data.get("tags"), list):
        return False
    issue_id = str(data.get("id", ""))
    return bool(issue_id) and short_id(issue_id) == match.group(1) and set(EXPORT_TAGS) <= set(map(str, data["tags"]))


def refuse_special_file(path: Path) -> None:
    """Refuse to replace a FIFO, device or socket at ``path`` with a regular file (ReaderError)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ReaderError(f"Cannot write {path}: {exc.strerror or exc}") from exc
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a folder" if stat.S_ISDIR(mode) else "a device or socket"
    raise ReaderError(f"Cannot write {path}: it is {kind}, not a regular file (an export never replaces one)")


def _make_private_dir(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise ReaderError(f"Cannot export into {path}: it is not a folder")
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ReaderError(f"Cannot create the export folder {path}: {exc.strerror or exc}") from exc


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (temp file + rename), readable only by the user.

    A reader of ``path`` sees either the old file or the new one, never half of it; a symlink at
    ``path`` is replaced, never followed.

    Raises:
        ReaderError: the file could not be written.
    """
    refuse_special_file(path)
    data = text.encode("utf-8", "replace")
    try:  # mkstemp creates the file with mode 0600 whatever the umask
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ReaderError(f"Cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ReaderError(f"Cannot write {path}: {exc.strerror or exc}") from exc
