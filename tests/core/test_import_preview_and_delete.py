"""Dry-run imports, deleting (and restoring) issues, and an older library's issues keeping their ids.

Real SQLite file and Whoosh index in tmp_path; mail fixtures are mboxrd files of RFC 5322 messages
(see tests/core/test_issue_identity.py for the helpers' shape).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core import IssueNotFoundError, Library, ReaderError
from tests.core.test_issue_identity import mbox_message, write_mbox
from tests.core.test_library import drop_version_5


def database_dump(data_dir: Path) -> list[str]:
    conn = sqlite3.connect(data_dir / "library.sqlite3")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# -- dry run -----------------------------------------------------------------------------------------


def test_dry_run_lists_each_file_outcome_and_writes_nothing(
    library: Library, data_dir: Path, seeds_dir: Path, tmp_path: Path
) -> None:
    sample = tmp_path / "import_ai.txt"
    text = (seeds_dir / "000_dbd257fc1394f330.txt").read_text(encoding="utf-8")
    sample.write_text(text, encoding="utf-8")
    (tmp_path / "a.md").write_text("# Weekly notes\n\n## Articles\n\nOne.\n", encoding="utf-8")
    library.import_paths([sample, tmp_path / "a.md"])
    sample.write_text(text.replace("Onward!", "Onward, friends!"), encoding="utf-8")  # a corrected text
    (tmp_path / "b.md").write_text("# Weekly notes\n\n## Articles\n\nTwo.\n", encoding="utf-8")  # looks like a.md
    box = write_mbox(tmp_path / "new.mbox", mbox_message("n1", "Hello", "New one."), mbox_message("n2", "Hi", "Two."))
    export = tmp_path / "export"
    library.annotate(library.list_issues()[0].id, library.plain_text(library.list_issues()[0].id)[:20])
    library.export_markdown(export)
    before = database_dump(data_dir)

    report = library.preview_import([sample, tmp_path / "a.md", tmp_path / "b.md", box, export, tmp_path / "nope.md"])

    by_name = {Path(f.path).name: f for f in report.files}
    assert (by_name["import_ai.txt"].updated, by_name["import_ai.txt"].imported) == (1, 0)
    assert (by_name["a.md"].status, by_name["a.md"].unchanged) == ("unchanged", 1)
    assert (by_name["b.md"].imported, by_name["b.md"].kept_apart) == (1, 1)
    assert (by_name["new.mbox"].imported, by_name["new.mbox"].kept_apart) == (2, 0)
    [exported] = [f for f in report.files if Path(f.path).parent == export]
    assert exported.status == "skipped" and "Back Issue export" in exported.reason
    assert by_name["nope.md"].status == "failed"
    assert database_dump(data_dir) == before
    # ...and the real import then does what the dry run said.
    real = library.import_paths([sample, tmp_path / "a.md", tmp_path / "b.md", box])
    assert (real.imported, real.updated, real.unchanged, real.kept_apart) == (3, 1, 1, 1)


def test_dry_run_judges_later_files_against_earlier_ones(library: Library, tmp_path: Path) -> None:
    # The same message saved twice: a real import stores it once, so the dry run must say so too.
    one = write_mbox(tmp_path / "one.mbox", mbox_message("same", "Weekly", "Text."))
    two = write_mbox(tmp_path / "two.mbox", mbox_message("same", "Weekly", "Text."))
    (tmp_path / "c.md").write_text("# Weekly notes\n\n## Articles\n\nOne.\n", encoding="utf-8")
    (tmp_path / "d.md").write_text("# Weekly notes\n\n## Articles\n\nOne.\n", encoding="utf-8")
    paths = [one, two, tmp_path / "c.md", tmp_path / "d.md"]
    preview = library.preview_import(paths)
    real = library.import_paths(paths)
    assert [(f.imported, f.updated, f.unchanged) for f in preview.files] == [
        (f.imported, f.updated, f.unchanged) for f in real.files
    ]
    assert [(f.imported, f.unchanged) for f in real.files] == [(1, 0), (0, 1), (1, 0), (0, 1)]


# -- delete -------------------------------------------------------------------------------------------


def test_delete_removes_the_issue_its_highlights_and_its_index_entries(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        [hit] = lib.search("MOPRD")
        issue_id = hit.id
        lib.annotate(issue_id, lib.plain_text(issue_id)[:25], note="zanzibarian remark")
        assert lib.search("zanzibarian")
        others = {i.id for i in lib.list_issues()} - {issue_id}

        changes = lib.delete_issue(issue_id)

        assert changes.issue_list and issue_id in changes.issues
        assert {i.id for i in lib.list_issues()} == others
        with pytest.raises(IssueNotFoundError):
            lib.get_issue(issue_id)
        assert lib.highlights(issue_id) == []
        assert lib.search("MOPRD") == []
        assert lib.search("zanzibarian") == []
        assert lib.check() == []
        assert lib.stats()["indexed"] == len(others)


def test_a_deleted_issue_stays_out_of_search_until_and_after_the_index_forgets_it(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        [hit] = lib.search("MOPRD")
        lib.delete_issue(hit.id)
        assert lib._indexer.doc_count() == 13  # not forgotten yet: as if killed right after the delete
        assert lib.check() == []  # the index is behind, not wrong
        lib._jobs.held_elsewhere = lambda: True  # type: ignore[method-assign]  # an import runs elsewhere
        assert lib.search("MOPRD") == []  # found in the index, but it is gone from the library
        assert lib._indexer.doc_count() == 13
    with Library(seeded_dir) as lib:  # the next session's first search makes the index forget it
        assert lib.search("MOPRD") == []
        assert lib.stats()["indexed"] == 12


def test_restore_issue_undoes_a_delete(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        [hit] = lib.search("MOPRD")
        hl = lib.annotate(hit.id, lib.plain_text(hit.id)[:25], note="kept").highlight
        lib.set_starred(hit.id)
        before = lib.get_issue(hit.id)
        lib.delete_issue(hit.id)

        lib.restore_issue(hit.id)

        assert lib.get_issue(hit.id) == before
        assert lib.highlights(hit.id) == [hl]
        assert [h.id for h in lib.search("MOPRD")] == [hit.id]
        with pytest.raises(ReaderError, match="not deleted recently"):
            lib.restore_issue(hit.id)


def test_an_issue_imported_again_after_delete_is_new_and_restore_says_why_not(
    seeded_dir: Path, seeds_dir: Path
) -> None:
    with Library(seeded_dir) as lib:
        [hit] = lib.search("MOPRD")
        lib.delete_issue(hit.id)
        report = lib.import_samples()
        assert (report.imported, report.unchanged) == (1, 12)
        assert [h.id for h in lib.search("MOPRD")] == [hit.id]
        with pytest.raises(ReaderError, match="in the library again"):
            lib.restore_issue(hit.id)


def test_deleting_a_missing_issue_says_so(library: Library) -> None:
    with pytest.raises(IssueNotFoundError):
        library.delete_issue("0000000000000000")


# -- an older library ----------------------------------------------------------------------------------


def test_an_older_library_keeps_its_ids_and_reimports_as_unchanged(seeded_dir: Path, seeds_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        ids = {i.id for i in lib.list_issues()}
    conn = sqlite3.connect(seeded_dir / "library.sqlite3")
    with conn:
        drop_version_5(conn)
    conn.close()
    with Library(seeded_dir) as lib:
        assert {i.id for i in lib.list_issues()} == ids
        again = lib.import_samples()
        assert (again.imported, again.updated, again.unchanged) == (0, 0, 13)


def test_an_older_library_with_merged_mails_gets_the_lost_one_back(data_dir: Path, tmp_path: Path) -> None:
    # Before issue keys, two mails with the same sender, Subject and day were one issue (the last).
    box = write_mbox(
        tmp_path / "list.mbox", mbox_message("a", "test", "First."), mbox_message("b", "test", "Second.")
    )
    with Library(data_dir) as lib:
        lib.import_paths([box])
        conn = lib._db.connection()
        # Make the library look like one an older version wrote: one issue, the second mail, no keys.
        first = next(i.id for i in lib.list_issues() if lib.get_issue(i.id).markdown.strip() == "First.")
        conn.execute("DELETE FROM issues WHERE id = ?", (first,))
    conn = sqlite3.connect(data_dir / "library.sqlite3")
    with conn:
        drop_version_5(conn)
    conn.close()
    with Library(data_dir) as lib:
        [old] = lib.list_issues()
        report = lib.import_paths([box])
        assert (report.imported, report.updated, report.unchanged) == (1, 0, 1)
        assert old.id in report.issue_ids
        assert {lib.get_issue(i.id).markdown.strip() for i in lib.list_issues()} == {"First.", "Second."}
        again = lib.import_paths([box])
        assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)
