"""Indexer: catching the search index up with the database on a real Library."""

from __future__ import annotations

from pathlib import Path

from reader.core.library import Library


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
    (corpus / "a.md").write_text("# Alpha weekly\n\nGardening with zucchini.\n", encoding="utf-8")
    with Library(tmp_path / "data") as lib:
        lib.import_paths([corpus])
        (corpus / "a.md").write_text("# Alpha weekly\n\nGardening with pumpkins.\n", encoding="utf-8")
        (corpus / "b.md").write_text("# Beta weekly\n\nZucchini again.\n", encoding="utf-8")
        lib.import_paths([corpus])
        assert lib.stats()["indexed"] == 2
        assert {hit.title for hit in lib.search("zucchini")} == {"Beta weekly"}
        assert {hit.title for hit in lib.search("pumpkins")} == {"Alpha weekly"}
