"""Images kept offline: fetched once at import, stored in SQLite by content, shown from there.

``images`` holds each distinct image once (keyed by the SHA-256 of its bytes); ``issue_images``
maps an issue's image address to it. Being in the database, they are in every backup. Rendering
puts a stored image in place of its "[Image: alt]" placeholder as an inline ``data:`` image, the
only kind the pane shows, so reading never touches the network. Storing or removing an issue's
images changes its rendered text (an image is one U+FFFC character), so the issue is re-indexed
and its highlights re-anchored in the same transaction.
"""

from __future__ import annotations

import base64
import re
import sqlite3
from collections.abc import Callable, Iterable

from reader.core import _highlights_store as highlights_store
from reader.core import _image_fetch as image_fetch
from reader.core._clock import now_iso
from reader.core._images import is_tracker
from reader.core._storage import Database
from reader.core.types import ImportProgress, KeptImages, ProgressCallback, StoredImages

# ``![alt](target)`` as html_to_markdown writes it (and as people write Markdown): the target is
# an http(s) address, optionally in angle brackets, optionally followed by a "title".
_IMAGE_RE = re.compile(r"!\[(?:[^\]\\\n]|\\.)*\]\(\s*<?(https?://[^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)", re.IGNORECASE)

Fetch = Callable[[str, int], image_fetch.FetchedImage]


def image_urls(markdown: str) -> list[str]:
    """The http(s) image addresses of an issue's Markdown, in order, each once."""
    return list(dict.fromkeys(m.group(1) for m in _IMAGE_RE.finditer(markdown)))


def keep_images(
    db: Database,
    issue_ids: Iterable[str],
    render_text: Callable[[str, dict[str, tuple[str, str]]], str],
    fetch: Fetch | None = None,
    progress: ProgressCallback | None = None,
) -> KeptImages:
    """Fetch and store the images of ``issue_ids`` that are not stored yet (trackers never).

    Caps: MAX_IMAGE_BYTES per image, MAX_ISSUE_BYTES and MAX_IMAGES_PER_ISSUE per issue; an image
    over them (or refused) stays a placeholder. ``render_text(markdown, images)`` gives the issue's
    plain text with those images, for re-anchoring its highlights. ``progress`` is called before
    each issue (stage "images"); False leaves the rest of the issues as they are.
    """
    fetcher = fetch or (lambda url, cap: image_fetch.fetch_image(url, cap))
    stored = reused = 0
    refused: list[str] = []
    changed: set[str] = set()
    ids = list(dict.fromkeys(issue_ids))
    for done, issue_id in enumerate(ids):
        if progress is not None and progress(ImportProgress(done, len(ids), stage="images")) is False:
            break
        row = db.query_one("SELECT markdown FROM issues WHERE id = ?", (issue_id,))
        if row is None:
            continue
        have = {r[0] for r in db.query("SELECT url FROM issue_images WHERE issue_id = ?", (issue_id,))}
        urls = [u for u in image_urls(row[0]) if not is_tracker(u)][: image_fetch.MAX_IMAGES_PER_ISSUE]
        budget = image_fetch.MAX_ISSUE_BYTES - _issue_bytes(db, issue_id)
        found: list[tuple[str, image_fetch.FetchedImage | str]] = []
        for url in urls:
            if url in have:
                continue
            known = db.query_one("SELECT digest FROM issue_images WHERE url = ? LIMIT 1", (url,))
            if known is not None:
                found.append((url, str(known[0])))
                reused += 1
                continue
            if budget <= 0:
                refused.append(f"{url}: the issue's images pass {image_fetch.MAX_ISSUE_BYTES // 2**20} MB")
                continue
            try:
                image = fetcher(url, min(image_fetch.MAX_IMAGE_BYTES, budget))
            except image_fetch.ImageRefused as exc:
                refused.append(f"{url}: {exc}")
                continue
            budget -= len(image.data)
            found.append((url, image))
            stored += 1
        if found:
            _save(db, issue_id, row[0], found, render_text)
            changed.add(issue_id)
    return KeptImages(stored, reused, tuple(refused), frozenset(changed))


def keep_known(db: Database, issue_id: str, url: str,
               render_text: Callable[[str, dict[str, tuple[str, str]]], str]) -> KeptImages | None:  # fmt: skip
    """The first half of fetching one image on request: the outcome when no download is needed.

    A refusal (not an image of this issue, a tracker), nothing to do (already kept), or the same
    address kept for another issue (reused, stored now); None when the image must be downloaded
    (``store_one`` then keeps it).
    """
    row = db.query_one("SELECT markdown FROM issues WHERE id = ?", (issue_id,))
    if row is None or url not in image_urls(row[0]):
        return KeptImages(refused=(f"{url}: not an image of this issue",))
    if is_tracker(url):
        return KeptImages(refused=(f"{url}: a tracker: never fetched",))
    if db.query_one("SELECT 1 FROM issue_images WHERE issue_id = ? AND url = ?", (issue_id, url)) is not None:
        return KeptImages()
    known = db.query_one("SELECT digest FROM issue_images WHERE url = ? LIMIT 1", (url,))
    if known is None:
        return None
    _save(db, issue_id, row[0], [(url, str(known[0]))], render_text)
    return KeptImages(reused=1, issues=frozenset({issue_id}))


def store_one(db: Database, issue_id: str, url: str, image: image_fetch.FetchedImage,
              render_text: Callable[[str, dict[str, tuple[str, str]]], str]) -> KeptImages:  # fmt: skip
    """Keep one downloaded image of an issue (the second half of a fetch on request)."""
    row = db.query_one("SELECT markdown FROM issues WHERE id = ?", (issue_id,))
    if row is None:
        return KeptImages(refused=(f"{url}: the issue is no longer in the library",))
    _save(db, issue_id, row[0], [(url, image)], render_text)
    return KeptImages(stored=1, issues=frozenset({issue_id}))


def missing(db: Database, issue_id: str) -> list[str]:
    """The issue's image addresses that show as placeholders and could be fetched (trackers never)."""
    row = db.query_one("SELECT markdown FROM issues WHERE id = ?", (issue_id,))
    if row is None:
        return []
    have = {r[0] for r in db.query("SELECT url FROM issue_images WHERE issue_id = ?", (issue_id,))}
    return [u for u in image_urls(row[0]) if u not in have and not is_tracker(u)]


def _save(
    db: Database,
    issue_id: str,
    markdown: str,
    found: list[tuple[str, image_fetch.FetchedImage | str]],
    render_text: Callable[[str, dict[str, tuple[str, str]]], str],
) -> None:
    with db.transaction() as tx:
        for url, image in found:
            if isinstance(image, image_fetch.FetchedImage):
                tx.execute(
                    "INSERT OR IGNORE INTO images (digest, mime, width, height, data) VALUES (?, ?, ?, ?, ?)",
                    (image.digest, image.mime, image.width, image.height, image.data),
                )
                digest = image.digest
            else:
                digest = image
            tx.execute("INSERT OR REPLACE INTO issue_images (issue_id, url, digest) VALUES (?, ?, ?)",
                       (issue_id, url, digest))  # fmt: skip
        _text_changed(tx, issue_id, render_text(markdown, stored_for(tx, issue_id)))


def _text_changed(tx: sqlite3.Connection, issue_id: str, plain_text: str) -> None:
    """The issue's rendered text changed: index it again, move its highlights with the text."""
    tx.execute("UPDATE issues SET indexed = 0 WHERE id = ?", (issue_id,))
    highlights_store.reanchor(tx, issue_id, plain_text, now_iso())


def stored_for(conn: sqlite3.Connection | Database, issue_id: str) -> dict[str, tuple[str, str]]:
    """The issue's stored images: address -> (MIME type, base64 of the bytes)."""
    sql = (
        "SELECT issue_images.url, images.mime, images.data FROM issue_images"
        " JOIN images ON images.digest = issue_images.digest WHERE issue_images.issue_id = ?"
    )
    if isinstance(conn, sqlite3.Connection):
        rows = conn.execute(sql, (issue_id,)).fetchall()
    else:
        rows = conn.query(sql, (issue_id,))
    return {str(url): (str(mime), base64.b64encode(bytes(data)).decode("ascii")) for url, mime, data in rows}


def stored_digests(db: Database, issue_id: str) -> tuple[str, ...]:
    """The content addresses of the issue's stored images (part of its rendering's cache key)."""
    rows = db.query("SELECT url, digest FROM issue_images WHERE issue_id = ? ORDER BY url", (issue_id,))
    return tuple(f"{url}={digest}" for url, digest in rows)


def stored_files(db: Database, issue_id: str) -> list[tuple[str, str, bytes]]:
    """The issue's stored images as (address, file name by content, bytes) for an export."""
    rows = db.query(
        "SELECT issue_images.url, images.digest, images.mime, images.data FROM issue_images"
        " JOIN images ON images.digest = issue_images.digest WHERE issue_images.issue_id = ?",
        (issue_id,),
    )
    return [
        (str(url), f"{digest[:16]}.{_EXTENSIONS.get(mime, 'img')}", bytes(data)) for url, digest, mime, data in rows
    ]


_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


def totals(db: Database) -> StoredImages:
    """How many distinct images are stored and their bytes."""
    row = db.query_one("SELECT count(*), coalesce(sum(length(data)), 0) FROM images")
    assert row is not None
    return StoredImages(int(row[0]), int(row[1]))


def remove_all(db: Database, render_text: Callable[[str, dict[str, tuple[str, str]]], str]) -> StoredImages:
    """Remove every stored image (issues show placeholders again); returns what was freed, with the issues."""
    before = totals(db)
    with db.transaction() as tx:
        ids = [r[0] for r in tx.execute("SELECT DISTINCT issue_id FROM issue_images").fetchall()]
        tx.execute("DELETE FROM issue_images")
        tx.execute("DELETE FROM images")
        for issue_id in ids:
            row = tx.execute("SELECT markdown FROM issues WHERE id = ?", (issue_id,)).fetchone()
            if row is not None:
                _text_changed(tx, issue_id, render_text(row[0], {}))
    return StoredImages(before.count, before.size, frozenset(ids))


def _issue_bytes(db: Database, issue_id: str) -> int:
    row = db.query_one(
        "SELECT coalesce(sum(length(images.data)), 0) FROM issue_images"
        " JOIN images ON images.digest = issue_images.digest WHERE issue_images.issue_id = ?",
        (issue_id,),
    )
    return int(row[0]) if row is not None else 0


# -- rendering ---------------------------------------------------------------------------------------
def mark_stored(markdown: str, images: dict[str, tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """The Markdown with each stored image's address replaced by a short ``data:`` token, and the
    tokens' real ``data:`` URIs; ``fill`` puts them into the rendered HTML (a multi-MB address
    would trip the renderer's size guard and cost a copy per pass)."""
    tokens: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        url = match.group(1)
        if url not in images:
            return match.group(0)
        mime, b64 = images[url]
        token = f"data:{mime};base64,BackIssueImage{len(tokens)}Z"
        tokens[token] = f"data:{mime};base64,{b64}"
        start, end = match.span(1)
        whole = match.group(0)
        offset = match.start(0)
        return whole[: start - offset] + token + whole[end - offset :]

    return _IMAGE_RE.sub(swap, markdown), tokens


def fill(html: str, tokens: dict[str, str]) -> str:
    """The rendered HTML with every token replaced by its image."""
    for token, uri in tokens.items():
        html = html.replace(f'"{token}"', f'"{uri}"')
    return html
