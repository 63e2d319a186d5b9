"""A small cache of rendered issues (HTML, plain text, sections), keyed by the issue's content hash."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from reader.core import _image_store as image_store
from reader.core import _issues_store as issues_store
from reader.core import _render as render
from reader.core._storage import Database
from reader.core.types import Section

CACHE_SIZE = 32


@dataclass(frozen=True)
class Rendered:
    """One issue's Markdown rendered three ways."""

    html: str
    plain_text: str
    sections: tuple[Section, ...]


def render_markdown(markdown: str, images: dict[str, tuple[str, str]] | None = None) -> Rendered:
    """Render Markdown to sanitised HTML, its plain text and its sections.

    ``images`` (address -> (MIME type, base64)) are the issue's images kept offline: they show as
    inline images instead of their "[Image: alt]" placeholders (``_image_store``).
    """
    if images:
        marked, tokens = image_store.mark_stored(markdown, images)
        plain = render_markdown(marked)
        return Rendered(image_store.fill(plain.html, tokens), plain.plain_text, plain.sections)
    return Rendered(render.render_html(markdown), render.plain_text(markdown), render.sections(markdown))


class RenderCache:
    """Renders issues on demand and keeps the last few (opening an issue twice costs nothing)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: OrderedDict[str, Rendered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, issue_id: str, keep: bool = True) -> Rendered:
        """The rendering of an issue's current text; raises IssueNotFoundError.

        Args:
            issue_id: the issue.
            keep: False for bulk work (indexing thousands of issues), which would otherwise push
                the issues the reader has open out of the cache.
        """
        markdown, digest = issues_store.markdown_of(self._db, issue_id)
        stored = image_store.stored_digests(self._db, issue_id)
        if stored:
            digest = f"{digest}|{'|'.join(stored)}"
        with self._lock:
            if digest in self._cache:
                self._cache.move_to_end(digest)
                return self._cache[digest]
        rendered = render_markdown(markdown, image_store.stored_for(self._db, issue_id) if stored else None)
        if not keep:
            return rendered
        with self._lock:
            self._cache[digest] = rendered
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return rendered

    def html(self, issue_id: str) -> str:
        """Sanitised HTML of the issue body."""
        return self.get(issue_id).html

    def plain_text(self, issue_id: str) -> str:
        """Plain text of the rendered issue body."""
        return self.get(issue_id).plain_text

    def sections(self, issue_id: str) -> tuple[Section, ...]:
        """Section headings of the issue."""
        return self.get(issue_id).sections
