"""Indexer: catching the search index up with the database on a real Library."""

from __future__ import annotations

import threading
from pathlib import Path

from reader.core import _indexer as indexer
from reader.core._library import Library
from reader.core._search import OpenSegment


def test_indexing_leaves_the_render_cache_to_the_reader(tmp_path: Path) -> None:
    with Library(tmp_path / "data") as lib:
        lib.import_samples()
        opened = lib.list_issues()[0].id
        lib.render_html(opened)
        cached = list(lib._render._cache)
        lib.reindex()  # renders every issue for the index
        assert list(lib._render._cache) == cached
        assert lib.search(lib.get_issue(opened).title.split()[0])  # and the index was built


def test_catch_up_replaces_changed_issues_and_adds_new_ones(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # The front matter id is the issue's key: a changed text under it updates the issue in place
    # (without a key, a changed text is a different issue, kept apart).
    alpha = "---\nid: alpha-1\n---\n# Alpha weekly\n\nGardening with {}.\n"
    (corpus / "a.md").write_text(alpha.format("zucchini"), encoding="utf-8")
    with Library(tmp_path / "data") as lib:
        lib.import_paths([corpus])
        (corpus / "a.md").write_text(alpha.format("pumpkins"), encoding="utf-8")
        (corpus / "b.md").write_text("# Beta weekly\n\nZucchini again.\n", encoding="utf-8")
        lib.import_paths([corpus])
        assert lib.stats()["indexed"] == 2
        assert {hit.title for hit in lib.search("zucchini")} == {"Beta weekly"}
        assert {hit.title for hit in lib.search("pumpkins")} == {"Alpha weekly"}


def test_a_change_made_while_its_issue_is_indexed_stays_pending(seeded_dir: Path, monkeypatch) -> None:
    with Library(seeded_dir) as lib:
        issue_id = lib.list_issues()[0].id
        lib.set_issue_note(issue_id, "first")
        real_add = OpenSegment.add

        def add_and_meanwhile_edit(segment: OpenSegment, docs: object) -> None:
            real_add(segment, docs)
            lib.set_issue_note(issue_id, "second thoughts")  # lands after the batch was read

        monkeypatch.setattr(OpenSegment, "add", add_and_meanwhile_edit)
        lib.catch_up_index()
        monkeypatch.setattr(OpenSegment, "add", real_add)
        assert issue_id in lib._indexer.pending()
        assert [h.id for h in lib.search("note:thoughts")] == [issue_id]  # caught up before searching


def test_a_highlight_does_not_wait_for_an_index_batch(seeded_dir: Path, monkeypatch) -> None:
    with Library(seeded_dir) as lib:
        issue = lib.list_issues()[0]
        lib.set_read(issue.id)  # one issue pending for the index
        inside, release = threading.Event(), threading.Event()
        real_add = OpenSegment.add

        def slow_add(segment: OpenSegment, docs: object) -> None:
            inside.set()
            release.wait(30)  # holds the library lock until the highlight is made
            real_add(segment, docs)

        monkeypatch.setattr(OpenSegment, "add", slow_add)
        worker = threading.Thread(target=lib.catch_up_index)
        worker.start()
        assert inside.wait(30)
        made = lib.annotate(issue.id, lib.plain_text(issue.id)[:12]).highlight  # would deadlock if it took the lock
        still_indexing = worker.is_alive()
        release.set()
        worker.join(30)
        assert still_indexing
        assert [h.id for h in lib.highlights(issue.id)] == [made.id]


def test_segment_plan_doubles_up_to_its_cap() -> None:
    batches = [[str(n)] for n in range(200)]
    sizes = [len(group) for group in indexer.segment_plan(batches)]
    assert sizes == [1, 2, 4, 8, 16, 32, 64, 64, 9]
    assert [b for group in indexer.segment_plan(batches) for b in group] == batches
    assert indexer.segment_plan([]) == []


def test_a_large_catch_up_writes_growing_segments_and_merges_none(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(indexer, "BATCH", 1)  # one issue a batch: the samples make several segments
    with Library(tmp_path / "lib") as lib:
        report = lib.import_samples()
        count = report.imported
        expected = [len(group) for group in indexer.segment_plan([[str(n)] for n in range(count)])]
        assert sorted(lib._indexer._index.segment_sizes()) == sorted(expected)  # no merge rewrote them
        assert lib.stats()["indexed"] == count
        assert lib._indexer.pending() == []
