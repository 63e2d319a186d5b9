"""Rendering the next batch of issues in a helper process while this one indexes the current batch.

Indexing an issue is two pure-Python jobs of about equal cost: rendering its Markdown (to get the
plain text the index and the snippets read) and feeding Whoosh. On two cores they overlap: a helper
process renders batch k+1 while this process writes batch k. Only a large catch-up uses it (starting
a process costs about half a second); what it renders is used only when the issue's text is still
the one it rendered (same content hash), else the issue is rendered here as before.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import pickle
import sqlite3
import threading
import time
import zlib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reader.core import _render as render
from reader.core._jobs import without_main_module
from reader.core._links.extract import FoundCitation, extract_citations
from reader.core._search.snippets import word_stems
from reader.core._storage import Database
from reader.core.types import Section

PARENT_CHECK_S = 0.5
MIN_ISSUES = 400
"""Below this many issues to render, no helper process: starting one costs more than it saves."""
SEND_AT_ONCE = 100
"""Issues sent to the helper in one message (an import submits a file's few issues at a time)."""
AHEAD_LIMIT = 20_000
"""At most this many issues sent to the helper and not yet taken: an import of 50,000 issues stores
them faster than it indexes them, and every rendering waiting in this process holds memory (710 MB
peak at 50,000 issues without a limit). Past the limit, issues wait as ids until the index takes
some. A rendering waits compressed (about 6 KB); storing 50,000 issues takes ~150 s, in which the
helper renders ~17,000: a limit of 3,000 left it idle for two minutes, and the index then waited
for it (the import fell from 82 to 78 issues/s). Only ids are sent: the helper reads the texts."""


@dataclass(frozen=True)
class IndexTexts:
    """What the index needs of one issue's rendering, for one version of its text (``digest``)."""

    digest: str
    sections: tuple[Section, ...]
    texts: tuple[tuple[str, str], ...]  # (heading, plain text) in reading order; "" for the introduction
    citations: tuple[FoundCitation, ...] = ()  # for link: / cites: and the link index (#17)
    stems: tuple[tuple[str, str], ...] = ()
    """Each of ``texts``' (heading, text) as its distinct analysed words (``snippets.word_stems``):
    made here, in the helper when rendered ahead, so the indexing process does not analyse twice."""


def index_texts(markdown: str, digest: str) -> IndexTexts:
    """The sections and section texts of ``markdown`` (the version whose content hash is ``digest``)."""
    parts = tuple((s.title if s else "", text) for s, text in render.section_texts(markdown))
    rendered = render.rendered_parts(markdown)
    citations = tuple(extract_citations(rendered.html, rendered.text, rendered.links))
    stems = tuple((word_stems(heading), word_stems(text)) for heading, text in parts)
    return IndexTexts(digest, rendered.sections, parts, citations, stems)


def _render_all(db_path: str, ids: Sequence[str]) -> bytes:
    """In the helper: the issues' IndexTexts by id, pickled and compressed.

    The helper reads the texts from the library itself (its own read-only connection): sent with
    the ids, each issue's Markdown waited in the importing process until rendered (an executor keeps
    a call's arguments until it is done: 120 MB of a 10,000-issue import's 228 MB peak). An import
    renders ahead as fast as it stores, so most renderings wait here before the index takes them:
    compressed, they hold a quarter of the memory.
    """
    marks = ",".join("?" * len(ids))
    rows = _helper_connection(db_path).execute(
        f"SELECT id, markdown, content_hash FROM issues WHERE id IN ({marks})", tuple(ids)  # noqa: S608 - placeholders
    ).fetchall()
    rendered = {issue_id: index_texts(markdown, digest) for issue_id, markdown, digest in rows}
    return zlib.compress(pickle.dumps(rendered, pickle.HIGHEST_PROTOCOL), 1)


_HELPER_DB: dict[str, sqlite3.Connection] = {}


def _helper_connection(db_path: str) -> sqlite3.Connection:
    """The helper's read-only connection to the library (opened once)."""
    conn = _HELPER_DB.get(db_path)
    if conn is None:
        conn = sqlite3.connect(f"{Path(db_path).as_uri()}?mode=ro", uri=True, timeout=30)
        _HELPER_DB[db_path] = conn
    return conn


def _unpack(packed: bytes) -> dict[str, IndexTexts]:
    found: dict[str, IndexTexts] = pickle.loads(zlib.decompress(packed))  # noqa: S301 - our own helper's bytes
    return found


class RenderAhead:
    """Renders issues ahead in one helper process; ``take`` returns what was rendered for a batch.

    ``submit`` may be called as an import stores each file and by the catch-up for its next batch;
    the helper starts once ``min_issues`` issues have been submitted (before that, nothing is sent
    and the caller renders as before). A context manager: the helper is stopped on leaving (also on
    an error or a cancel). Disabled (one CPU, a daemonic process, or the helper cannot start),
    ``take`` returns {}.
    """

    def __init__(self, db: Database, enabled: bool = True, min_issues: int = MIN_ISSUES) -> None:
        self._db = db
        # A daemonic process may not start processes of its own (a window's job child clears its flag).
        self._enabled = enabled and (os.cpu_count() or 1) > 1 and not multiprocessing.current_process().daemon
        self._min = min_issues
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._waiting: deque[str] = deque()  # in submission order; ids sent meanwhile are skipped
        self._queued: set[str] = set()  # the ids waiting to be sent
        self._futures: dict[str, concurrent.futures.Future[bytes]] = {}

    def __enter__(self) -> RenderAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the helper without waiting for work nobody will take."""
        self._enabled = False
        self._futures.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, ids: Sequence[str]) -> None:
        """Render these issues in the helper (ids already submitted are skipped)."""
        if not self._enabled:
            return
        for issue_id in ids:
            if issue_id not in self._futures and issue_id not in self._queued:
                self._waiting.append(issue_id)
                self._queued.add(issue_id)
        if self._pool is None and len(self._queued) < self._min:
            return  # too few so far to pay for a process
        if self._pool is None or (len(self._queued) >= SEND_AT_ONCE and len(self._futures) < AHEAD_LIMIT):
            self._send()

    def _send(self) -> None:
        """Send waiting issues, in the order submitted, up to AHEAD_LIMIT ahead."""
        batch: list[str] = []
        room = AHEAD_LIMIT - len(self._futures)
        while len(batch) < room and self._waiting:
            issue_id = self._waiting.popleft()
            if issue_id in self._queued:  # not sent meanwhile, nor left to the index (``take``)
                self._queued.discard(issue_id)
                batch.append(issue_id)
        if not batch:
            return
        try:
            if self._pool is None:
                context = multiprocessing.get_context("spawn")
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=1, mp_context=context, initializer=_exit_with_parent, initargs=(os.getpid(),))
            for start in range(0, len(batch), SEND_AT_ONCE):
                part = batch[start : start + SEND_AT_ONCE]
                with without_main_module():  # the helper process starts at the first submit
                    future = self._pool.submit(_render_all, str(self._db.path), part)
                self._futures.update(dict.fromkeys(part, future))
        except (RuntimeError, OSError, AssertionError):  # the helper died or cannot start: render here from now on
            self.close()

    def take(self, batch: Sequence[str]) -> dict[str, IndexTexts]:
        """What the helper rendered for ``batch``, or {} for the issues it has nothing for."""
        if self._pool is None:
            return {}
        # Not sent yet (a change made before the import, a batch past AHEAD_LIMIT): the caller renders
        # those. Sent now they went behind everything the helper had queued, and the index waited for
        # it all (a window's import: one issue read before it waited 16 s).
        self._queued.difference_update(i for i in batch if i not in self._futures)
        found: dict[str, IndexTexts] = {}
        try:
            for future in {id(f): f for i in batch if (f := self._futures.get(i)) is not None}.values():
                found.update(_unpack(future.result()))
        except Exception:  # a broken helper only costs the speed-up: the caller renders the batch
            self.close()
            return {}
        for issue_id in batch:
            self._futures.pop(issue_id, None)
        if self._queued:
            self._send()  # the room this batch made: the helper keeps rendering ahead
        return {i: found[i] for i in batch if i in found}


def _exit_with_parent(parent: int) -> None:
    """In the helper: end it when the process it renders for is gone (killed: it waits on a queue
    whose other end it holds itself, so it would never hear of it)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
