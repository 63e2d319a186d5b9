"""Rendering the next batch of issues in a helper process while this one indexes the current batch.

Indexing an issue is two pure-Python jobs of about equal cost: rendering its Markdown (to get the
plain text the index and the snippets read) and feeding Whoosh. On two cores they overlap: a helper
process renders batch k+1 while this process writes batch k. Only a large catch-up uses it (starting
a process costs about half a second); what it renders is used only when the issue's text is still
the one it rendered (same content hash), else the issue is rendered here as before.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import sys
import threading
import time
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reader.core import _render as render
from reader.core._storage import Database
from reader.core.types import Section

PARENT_CHECK_S = 0.5
MIN_ISSUES = 400
"""Below this many issues to index, no helper process: starting one costs more than it saves."""


@dataclass(frozen=True)
class IndexTexts:
    """What the index needs of one issue's rendering, for one version of its text (``digest``)."""

    digest: str
    sections: tuple[Section, ...]
    texts: tuple[tuple[str, str], ...]  # (heading, plain text) in reading order; "" for the introduction


def index_texts(markdown: str, digest: str) -> IndexTexts:
    """The sections and section texts of ``markdown`` (the version whose content hash is ``digest``)."""
    parts = tuple((s.title if s else "", text) for s, text in render.section_texts(markdown))
    return IndexTexts(digest, render.sections(markdown), parts)


def _render_all(items: Sequence[tuple[str, str, str]]) -> dict[str, IndexTexts]:
    """In the helper: (id, markdown, digest) -> IndexTexts by id."""
    return {issue_id: index_texts(markdown, digest) for issue_id, markdown, digest in items}


class RenderAhead:
    """Renders batches ahead in one helper process; ``take`` returns what was rendered for a batch.

    A context manager: the helper is stopped on leaving (also on an error or a cancel). Disabled
    (too few issues, one CPU, or the helper could not start), ``take`` returns {} and the caller
    renders as before.
    """

    def __init__(self, db: Database, enabled: bool) -> None:
        self._db = db
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._pending: dict[tuple[str, ...], concurrent.futures.Future[dict[str, IndexTexts]]] = {}
        if enabled and (os.cpu_count() or 1) > 1:
            context = multiprocessing.get_context("spawn")
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=1, mp_context=context, initializer=_exit_with_parent, initargs=(os.getpid(),))

    def __enter__(self) -> RenderAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the helper without waiting for work nobody will take."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, batch: Sequence[str]) -> None:
        """Start rendering ``batch`` (issue ids) in the helper."""
        if self._pool is None or not batch:
            return
        marks = ",".join("?" * len(batch))
        rows = self._db.query(
            f"SELECT id, markdown, content_hash FROM issues WHERE id IN ({marks})",  # noqa: S608 - placeholders only
            tuple(batch),
        )
        items = [(row[0], row[1], row[2]) for row in rows]
        try:
            with _no_main_module():  # the helper process starts at the first submit
                self._pending[tuple(batch)] = self._pool.submit(_render_all, items)
        except (RuntimeError, OSError):  # the helper died or cannot start: render here from now on
            self._pool = None

    def take(self, batch: Sequence[str]) -> dict[str, IndexTexts]:
        """What the helper rendered for ``batch`` (submitted earlier), or {} when it has nothing."""
        future = self._pending.pop(tuple(batch), None)
        if future is None:
            return {}
        try:
            return future.result()
        except Exception:  # a broken helper only costs the speed-up: the caller renders the batch
            self.close()
            return {}


def _exit_with_parent(parent: int) -> None:
    """In the helper: end it when the process it renders for is gone (killed: it waits on a queue
    whose other end it holds itself, so it would never hear of it)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


@contextlib.contextmanager
def _no_main_module() -> Iterator[None]:
    """Start the helper without the caller's ``__main__`` (spawn would run a script again in it)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main
