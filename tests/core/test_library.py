"""The Library facade end to end on a real SQLite file and a real Whoosh index."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core import IssueNotFoundError, Library, QueryError, ReaderError
from reader.core._issues_store import _LISTING_ORDER
from reader.core._schema import SCHEMA_VERSION

EXPECTED_TITLES = {
    "Import AI 313: Smarter robots via foundation models",
    "Best in AI November Edition — Like GPT-3 but you can *actually* use it!",
}


def test_core_never_imports_qt() -> None:
    code = "import sys, reader.core, reader.cli.commands; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_samples_import_as_thirteen_issues(library: Library) -> None:
    report = library.import_samples()
    assert report.imported == 13
    assert not report.failed
    issues = library.list_issues()
    assert len(issues) == 13
    titles = {i.title for i in issues}
    assert any(t.startswith("Import AI 313: Smarter robots via foundation models") for t in titles)
    assert "Best in AI November Edition — Like GPT-3 but you can *actually* use it!" in titles
    numbers = sorted(i.number for i in issues if i.publication == "Import AI" and i.number)
    assert numbers == [*range(301, 311), 313]
    superfast = next(i for i in issues if i.publication == "Superfast AI")
    assert superfast.date == "2023-01-11"
    assert issues[0].id == superfast.id  # the only dated issue comes first


def test_reimport_changes_nothing_and_says_so(library: Library) -> None:
    library.import_samples()
    before = {i.id: i for i in library.list_issues()}
    again = library.import_samples()
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 13)
    assert {f.status for f in again.files} == {"unchanged"}
    assert {i.id: i for i in library.list_issues()} == before


def test_changed_text_updates_in_place(library: Library, seeds_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "import_ai.txt"
    text = (seeds_dir / "000_dbd257fc1394f330.txt").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    first = library.import_paths([source])
    issue_id = first.issue_ids[0]
    source.write_text(text.replace("Onward!", "Onward, friends!"), encoding="utf-8")
    second = library.import_paths([source])
    assert second.updated == 1 and second.imported == 0
    assert second.issue_ids == (issue_id,)
    assert "Onward, friends!" in library.get_issue(issue_id).markdown
    assert len(library.list_issues()) == 1


def test_issue_ids_are_stable_across_libraries(tmp_path: Path) -> None:
    ids = []
    for name in ("a", "b"):
        with Library(tmp_path / name) as lib:
            ids.append(sorted(lib.import_samples().issue_ids))
    assert ids[0] == ids[1]


def test_get_issue_has_sections_and_markdown(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        issue = next(i for i in lib.list_issues() if i.number == 313)
        full = lib.get_issue(issue.id)
        assert full.author == "Jack Clark"
        assert len(full.sections) >= 5
        assert "####" not in full.markdown
        assert "<h2" in lib.render_html(issue.id)
        assert "RT-1" in lib.plain_text(issue.id)
        with pytest.raises(IssueNotFoundError):
            lib.get_issue("nope")


def test_search_finds_rare_word_in_one_issue(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        hits = lib.search("MOPRD")
        assert [h.number for h in hits] == [313]
        assert "<b>" in hits[0].snippet


def test_search_stems_phrases_and_fields(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        assert lib.search("robot")  # finds "robots" too
        assert all(h.publication == "Superfast AI" for h in lib.search("publication:superfast"))
        assert lib.search('"emergent abilities"')
        assert lib.search("date:2023-01")[0].publication == "Superfast AI"
        assert lib.search("robo*")


@pytest.mark.parametrize("query", ['"unbalanced', "AND (", "title:", "((((", "a*"])
def test_malformed_queries_are_refused_or_lenient(seeded_dir: Path, query: str) -> None:
    with Library(seeded_dir) as lib:
        try:
            result = lib.search(query)
        except QueryError as exc:
            result = str(exc)
        assert isinstance(result, list) or result  # results, or a refusal in words


def test_bad_files_fail_cleanly_and_the_rest_go_in(library: Library, seeds_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (folder / "good.txt").write_bytes((seeds_dir / "001_783a6711c307df5b.txt").read_bytes())
    report = library.import_paths([folder, tmp_path / "missing.txt"])
    failed = {Path(f.path).name: f.reason for f in report.failed}
    assert set(failed) == {"empty.txt", "missing.txt"}
    assert "empty" in failed["empty.txt"] and "no such file" in failed["missing.txt"]
    skipped = [f for f in report.files if f.status == "skipped"]
    assert [Path(f.path).name for f in skipped] == ["binary.txt"]  # met while walking the folder
    assert "binary" in skipped[0].reason
    assert report.imported == 1
    named = library.import_paths([folder / "binary.txt"])  # named by the person: a failure
    assert [f.status for f in named.files] == ["failed"]
    assert len(library.list_issues()) == 1


def test_progress_can_cancel_between_files(library: Library) -> None:
    seen = []

    def progress(p: object) -> bool:
        seen.append(p)
        return len(seen) < 2

    report = library.import_samples(progress)
    assert report.cancelled
    assert len(library.list_issues()) == 1


def test_data_dir_is_private(library: Library, data_dir: Path) -> None:
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    library.import_samples()
    for name in ("library.sqlite3", "library.sqlite3-wal", "library.sqlite3-shm"):
        assert stat.S_IMODE(os.stat(data_dir / name).st_mode) == 0o600, name
    assert stat.S_IMODE(os.stat(data_dir / "index").st_mode) == 0o700


def test_index_is_rebuilt_when_deleted(seeded_dir: Path) -> None:
    import shutil

    shutil.rmtree(seeded_dir / "index")
    with Library(seeded_dir) as lib:
        assert lib.index_message
        assert [h.number for h in lib.search("MOPRD")] == [313]


def test_read_and_star_state(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        issue = lib.list_issues()[0]
        changes = lib.set_read(issue.id)
        lib.set_starred(issue.id)
        assert issue.id in changes.issues
        again = next(i for i in lib.list_issues() if i.id == issue.id)
        assert again.read and again.starred


def test_highlight_survives_reopen_and_counts(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        issue = next(i for i in lib.list_issues() if i.number == 313)
        hl = lib.annotate(issue.id, "RT-1 is basically an attempt", note="foundation models for robots").highlight
    with Library(seeded_dir) as lib:
        [again] = lib.highlights(issue.id)
        assert again == hl
        assert next(i for i in lib.list_issues() if i.id == issue.id).highlight_count == 1
        with pytest.raises(ReaderError):
            lib.annotate(issue.id, "this sentence is not in the issue")


def test_corrupt_database_is_refused_not_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    garbage = b"this is not a database" * 100
    (folder / "library.sqlite3").write_bytes(garbage)
    with pytest.raises(ReaderError, match="damaged"):
        Library(folder)
    assert (folder / "library.sqlite3").read_bytes() == garbage


def test_a_damaged_library_can_be_set_aside_and_a_new_one_started(tmp_path: Path) -> None:
    from reader.core._storage import set_aside_damaged

    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "library.sqlite3").write_bytes(b"not a database" * 100)
    [kept] = set_aside_damaged(folder)
    assert kept.name.startswith("library.sqlite3.damaged-")
    assert kept.read_bytes() == b"not a database" * 100  # moved, never deleted
    with Library(folder) as fresh:
        assert fresh.is_empty()


def drop_version_5(conn: sqlite3.Connection) -> None:
    """Undo schema version 5 (issue identity keys, pending index removals) on a real library file."""
    for index in ("issues_source_key", "issues_weak_key", "issues_fingerprint"):
        conn.execute(f"DROP INDEX {index}")
    for column in ("source_key", "weak_key", "fingerprint"):
        conn.execute(f"ALTER TABLE issues DROP COLUMN {column}")
    conn.execute("DROP TABLE index_removals")
    conn.execute("PRAGMA user_version = 4")


def test_a_version_2_library_migrates_and_keeps_its_issues_and_highlights(seeded_dir: Path) -> None:
    with Library(seeded_dir) as lib:  # make it look like a library written by schema version 2
        issue = lib.list_issues()[0]
        lib.annotate(issue.id, lib.plain_text(issue.id)[:30], note="kept across the upgrade")
    conn = sqlite3.connect(seeded_dir / "library.sqlite3")
    with conn:
        drop_version_5(conn)
        conn.execute("DROP INDEX issues_pending")
        conn.execute("DROP INDEX issues_listing")  # added by version 13 (it replaced v4's issues_summary)
        conn.execute("CREATE INDEX issues_unindexed ON issues(indexed) WHERE indexed = 0")
        conn.execute("ALTER TABLE issues DROP COLUMN user_edits")  # added by version 6
        conn.execute("PRAGMA user_version = 2")
    conn.close()

    with Library(seeded_dir) as lib:
        assert len(lib.list_issues()) == 13
        assert [h.note for h in lib.highlights(issue.id)] == ["kept across the upgrade"]
        assert lib.search("upgrade")  # the pending note is indexed by the first search
        plan = lib._db.query("EXPLAIN QUERY PLAN SELECT id FROM issues WHERE indexed != 1")
        assert "issues_pending" in plan[0][3]  # which issues wait for the index: no table scan
        listing = f"SELECT id, title, date FROM issues i{_LISTING_ORDER} LIMIT 5"
        plan = " ".join(row[3] for row in lib._db.query("EXPLAIN QUERY PLAN " + listing))
        assert "COVERING INDEX issues_listing" in plan  # the list does not read the issue texts
        assert "TEMP B-TREE" not in plan  # nor sort them all for a first page
        assert lib._db.query_one("PRAGMA user_version")[0] == SCHEMA_VERSION
