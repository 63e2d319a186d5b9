"""A large catch-up renders the next batch in a helper process: the same index as rendering in line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core import Library
from reader.core import _indexer as indexer
from reader.core._render_ahead import RenderAhead, index_texts
from reader.core._storage import Database

QUERIES = ["model", '"language model"', "section:robots", "title:import", "robo*", "the"]


def _results(lib: Library) -> list[list[tuple[str, str, str]]]:
    return [[(h.id, h.section, h.snippet) for h in lib.search(q, limit=50)] for q in QUERIES]


def _stored_stems(lib: Library) -> dict[str, list[tuple[str, str]]]:
    """Each issue document's stored section stems (the helper makes them; snippets choose by them)."""
    with lib._indexer._index._ix.searcher() as searcher:
        return {f["key"]: f["stems"] for f in searcher.all_stored_fields() if f.get("kind") == "issue"}


@pytest.mark.timeout(300)
def test_helper_renders_what_rendering_in_line_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer, "BATCH", 1)  # one issue a batch: several batches from the samples
    monkeypatch.setattr(indexer, "RENDER_AHEAD_MIN", 10**9)
    with Library(tmp_path / "inline") as lib:
        lib.import_samples()
        expected = _results(lib)
        stems = _stored_stems(lib)
    taken: list[int] = []
    real_take = RenderAhead.take

    def counting_take(self: RenderAhead, batch: list[str]) -> dict[str, object]:
        found = real_take(self, batch)
        taken.append(len(found))
        return found  # type: ignore[return-value]

    monkeypatch.setattr(indexer, "RENDER_AHEAD_MIN", 1)
    monkeypatch.setattr(RenderAhead, "take", counting_take)
    with Library(tmp_path / "ahead") as lib:
        lib.import_samples()  # rendered in the helper as each file is stored
        assert _results(lib) == expected
        assert _stored_stems(lib) == stems and all(any(t for _, t in s) for s in stems.values())
        assert len(taken) > 1 and all(n == 1 for n in taken)  # every batch came rendered from the helper
        taken.clear()
        lib._indexer._mark_all_unindexed()
        lib.catch_up_index()  # a catch-up alone renders each next batch in the helper
        assert _results(lib) == expected
        assert len(taken) > 1 and all(n == 1 for n in taken)


def test_a_text_changed_after_rendering_ahead_is_rendered_again(tmp_path: Path) -> None:
    with Library(tmp_path / "lib") as lib:
        lib.import_samples()
        issue_id = lib.list_issues()[0].id
        db: Database = lib._db
        with RenderAhead(db, min_issues=0) as ahead:
            ahead.submit([issue_id])
            ahead._futures[issue_id].result(timeout=120)  # the helper has read and rendered it
            with db.transaction() as tx:  # the text changes after the helper read it
                tx.execute("UPDATE issues SET markdown = '# Changed\n\nNew words', content_hash = 'x' WHERE id = ?",
                           (issue_id,))
            rendered = ahead.take([issue_id])
        assert rendered[issue_id].digest != "x"
        doc = lib._indexer._doc(issue_id, {}, rendered[issue_id])
        assert doc.sections == index_texts("# Changed\n\nNew words", "x").texts


def test_disabled_or_too_few_renders_nothing(tmp_path: Path) -> None:
    with Library(tmp_path / "lib") as lib:
        lib.import_samples()
        issue_id = lib.list_issues()[0].id
        with RenderAhead(lib._db, enabled=False, min_issues=0) as ahead:
            ahead.submit([issue_id])
            assert ahead.take([issue_id]) == {}
        with RenderAhead(lib._db, min_issues=2) as ahead:  # one issue: no helper is started for it
            ahead.submit([issue_id])
            assert ahead.take([issue_id]) == {}
            assert ahead._pool is None


_CHILD = """
import sys, time
from pathlib import Path
from reader.core import Library
from reader.core._render_ahead import RenderAhead
lib = Library(Path(sys.argv[1]))
ahead = RenderAhead(lib._db, min_issues=0)
ids = [s.id for s in lib.list_issues()]
ahead.submit(ids)
ahead.take(ids)
print(*ahead._pool._processes, flush=True)
time.sleep(120)
"""


@pytest.mark.timeout(120)
def test_the_helper_ends_when_its_process_is_killed(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    with Library(tmp_path / "lib") as lib:
        lib.import_samples()
    with subprocess.Popen([sys.executable, "-c", _CHILD, str(tmp_path / "lib")], stdout=subprocess.PIPE,
                          text=True) as child:
        assert child.stdout is not None
        helpers = [int(pid) for pid in child.stdout.readline().split()]
        assert helpers
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    deadline = time.monotonic() + 30  # it checks every half second
    while time.monotonic() < deadline and any(_alive(pid) for pid in helpers):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in helpers)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by init) is gone for our purpose
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False


def test_the_helper_renders_at_most_ahead_limit_issues_ahead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An import stores faster than it indexes; unbounded, the renderings of most of 50,000 issues waited
    # in the importing process (peak RSS 710 MB).
    from reader.core import _render_ahead as render_ahead

    monkeypatch.setattr(render_ahead, "AHEAD_LIMIT", 3)
    monkeypatch.setattr(render_ahead, "SEND_AT_ONCE", 1)
    with Library(tmp_path / "lib") as lib:
        lib.import_samples()
        ids = [s.id for s in lib.list_issues()]
        assert len(ids) > 6
        with RenderAhead(lib._db, min_issues=0) as ahead:
            ahead.submit(ids)
            assert len(ahead._futures) == 3 and len(ahead._queued) == len(ids) - 3
            assert set(ahead.take(ids[:2])) == set(ids[:2])
            assert len(ahead._futures) == 3  # the room made was filled from the waiting ones
            assert ahead.take(ids[-2:]) == {}  # a batch still waiting: the caller renders it...
            assert not set(ids[-2:]) & set(ahead._futures)  # ...and it is never sent
            rendered = ahead.take(ids[2:-2])
        assert set(rendered) == set(ids[2:5])  # the three sent; the caller renders the rest


def test_an_issue_never_submitted_is_left_to_the_caller_not_queued_behind_the_rest(tmp_path: Path) -> None:
    # A window's import: the issue read before it (pending for the index) was in the first batch, was
    # sent behind the 2,400 issues the helper had queued, and the index waited 16 s for it.
    with Library(tmp_path / "lib") as lib:
        lib.import_samples()
        ids = [s.id for s in lib.list_issues()]
        with RenderAhead(lib._db, min_issues=0) as ahead:
            ahead.submit(ids[1:])
            rendered = ahead.take(ids[:3])
            assert set(rendered) == set(ids[1:3])
            assert ids[0] not in ahead._futures and ids[0] not in ahead._queued


def test_only_ids_are_sent_the_helper_reads_the_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A sent call's arguments wait in this process until the helper has rendered it: with each
    # issue's Markdown in them, the texts of most of 10,000 issues waited (120 MB of a 228 MB peak).
    import concurrent.futures

    sent: list[tuple[object, ...]] = []
    real_submit = concurrent.futures.ProcessPoolExecutor.submit

    def noting(pool: concurrent.futures.ProcessPoolExecutor, fn: object, /, *args: object) -> object:
        sent.append(args)
        return real_submit(pool, fn, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures.ProcessPoolExecutor, "submit", noting)
    with Library(tmp_path / "lib") as lib:
        lib.import_samples()
        ids = [s.id for s in lib.list_issues()]
        texts = {lib.plain_text(i)[:40] for i in ids}
        with RenderAhead(lib._db, min_issues=0) as ahead:
            ahead.submit(ids)
            rendered = ahead.take(ids)
    assert set(rendered) == set(ids) and all(r.texts for r in rendered.values())
    assert sent and all(len(repr(args)) < 100 + 40 * len(ids) for args in sent)  # a path and ids
    assert not any(text and text in repr(args) for args in sent for text in texts)
