"""The index is derived data: a rebuild, a failed catch-up or a deleted folder never hide work."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path
from typing import Any

import pytest
from whoosh import writing

from reader.core import ImportProgress, Library


def _note_hits(lib: Library, word: str) -> list[str]:
    return [h.id for h in lib.search(word, limit=50) if h.kind == "note"]


def test_a_highlight_made_while_reindex_runs_is_indexed_and_check_sees_the_gap(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        iid = lib.list_issues()[0].id
        made = []

        def highlight_meanwhile(step: ImportProgress) -> None:
            # Called by the rebuild once its writer committed, before it marks the issues indexed:
            # the moment the window's highlight landed in the tester's run.
            if not made and step.done == step.total:
                made.append(lib.annotate(iid, lib.plain_text(iid)[10:40].strip(), note="zanzibarish").highlight)

        lib.reindex(highlight_meanwhile)

        assert made and lib.index_backlog() == 1  # was 0: the rebuild marked it indexed
        assert lib.check() == []  # a pending issue is expected to differ
        assert _note_hits(lib, "zanzibarish")  # was [] (never indexed)


def test_check_compares_highlight_by_highlight(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        iid = lib.list_issues()[0].id
        hl = lib.annotate(iid, lib.plain_text(iid)[10:40].strip(), note="a note").highlight
        lib.catch_up_index()
        assert lib.check() == []
        # The tester's state: the row says "indexed" but the index never saw the highlight
        # (issue counts agree, so the old count-only check said "All well").
        lib._indexer._index.update([_bare(lib, iid)])  # the issue's documents, without its highlight
        problems = lib.check()
        assert len(problems) == 1 and f"highlight {hl.id} of issue {iid}" in problems[0]
        assert "2 entries missing" in problems[0] and "backissue reindex" in problems[0]
        lib.reindex()
        assert lib.check() == []


def _bare(lib: Library, issue_id: str) -> Any:
    from dataclasses import replace

    return replace(lib._indexer._doc(issue_id, {}), highlights=())


def test_an_index_failure_after_storing_reports_what_was_stored(
    library: Library, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(writer: Any, *args: Any, **kwargs: Any) -> None:
        writer.cancel()  # what Whoosh is left with when writing its segment hits a full disk
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writing.SegmentWriter, "commit", disk_full)
    report = library.import_paths([seeds_dir / "002_eddde10915e76762.txt"])

    assert report.imported == 10 and [f.status for f in report.files] == ["imported"]
    assert report.index_problem is not None
    assert report.index_problem.startswith("10 issues were stored, but the search index could not catch up")
    assert "No space left on device" in report.index_problem and "10 issues wait for it" in report.index_problem
    assert "nothing was written" not in report.index_problem
    assert library.index_backlog() == 10
    monkeypatch.undo()
    assert library.search("the", limit=1) is not None and library.index_backlog() == 0


def test_deleting_the_index_folder_while_open_rebuilds_on_the_next_search(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        assert lib.search("Embeddings")
        shutil.rmtree(seeded_dir / "index")

        assert lib.search("Embeddings")  # was whoosh.index.EmptyIndexError until reopened
        assert lib.stats()["indexed"] == 13 and lib.check() == []
