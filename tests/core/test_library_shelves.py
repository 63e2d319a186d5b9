"""The library's shelves (#16): publications as series, merge, archive, tags, smart lists, counts.

Real SQLite file and Whoosh index in tmp_path; the bundled samples hold Import AI 301-310 and 313.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core import Library, ReaderError, SmartListError, TagError
from reader.core.types import Series

IMPORT_AI_310 = "0f3bc90a8f73c2dc"
IMPORT_AI_313 = "014716ed6888197c"
SUPERFAST = "33c8433ca45bf63a"


@pytest.fixture
def lib(seeded_dir: Path) -> Library:
    with Library(seeded_dir) as library:
        yield library


# -- publications as series -------------------------------------------------------------------------
def test_series_names_the_missing_numbers(lib: Library) -> None:
    series = lib.series("Import AI")
    assert (series.issues, series.first_number, series.last_number) == (11, 301, 313)
    assert series.missing == (311, 312)
    assert series.missing_text() == "missing #311–#312"


def test_missing_text_joins_runs_and_single_numbers() -> None:
    series = Series("X", 5, missing=(307, 311, 312, 400))
    assert series.missing_text() == "missing #307, #311–#312, #400"
    assert Series("X", 1).missing_text() == ""


def test_series_counts_highlighted_issues(lib: Library) -> None:
    lib.annotate(IMPORT_AI_310, "AlphaZero")
    assert lib.series("Import AI").highlighted == 1


def test_series_of_an_unknown_publication_is_refused_in_words(lib: Library) -> None:
    with pytest.raises(ReaderError, match="No issue has the publication 'Nope'"):
        lib.series("Nope")


def test_merge_publications_moves_every_issue_and_counts_follow(lib: Library) -> None:
    changes = lib.merge_publications(["Superfast AI", "Best in AI"], "Import AI")
    assert len(changes.issues) == 2 and changes.issue_list
    assert lib.publications() == ["Import AI"]
    assert lib.library_counts().publications[0].issues == 13


def test_merge_with_an_unknown_source_changes_nothing(lib: Library) -> None:
    with pytest.raises(ReaderError, match="Nope"):
        lib.merge_publications(["Superfast AI", "Nope"], "Import AI")
    assert "Superfast AI" in lib.publications()


# -- counts -----------------------------------------------------------------------------------------
def test_counts_follow_reading_starring_highlighting_and_archiving(lib: Library) -> None:
    lib.set_read(IMPORT_AI_310)
    lib.set_starred(IMPORT_AI_313)
    lib.annotate(SUPERFAST, "2023")
    lib.set_archived([SUPERFAST])
    counts = lib.library_counts()
    assert (counts.all, counts.unread, counts.starred, counts.highlighted, counts.archived) == (12, 11, 1, 1, 1)
    by_name = {p.name: p for p in counts.publications}
    assert (by_name["Import AI"].issues, by_name["Import AI"].unread) == (11, 10)
    assert by_name["Superfast AI"].unread == 0  # archived: not waiting to be read


# -- archive ----------------------------------------------------------------------------------------
def test_archived_issue_stays_searchable_and_is_archived_finds_it(lib: Library) -> None:
    changes = lib.set_archived([IMPORT_AI_310])
    assert changes.issues == {IMPORT_AI_310}
    assert lib.archived_ids() == {IMPORT_AI_310}
    assert IMPORT_AI_310 in {h.id for h in lib.search("AlphaZero")}
    assert {h.id for h in lib.search("is:archived")} == {IMPORT_AI_310}
    lib.set_archived([IMPORT_AI_310], False)
    assert lib.archived_ids() == set()
    assert lib.search("is:archived") == []


def test_archiving_an_unknown_issue_changes_nothing(lib: Library) -> None:
    with pytest.raises(ReaderError, match="nope"):
        lib.set_archived([IMPORT_AI_310, "nope"])
    assert lib.archived_ids() == set()


# -- tags -------------------------------------------------------------------------------------------
def test_tags_on_issues_are_found_by_tag_query(lib: Library) -> None:
    lib.tag_issues([IMPORT_AI_310, IMPORT_AI_313], ["Reinforcement Learning", "#robots"])
    assert lib.issue_tags(IMPORT_AI_310) == ["reinforcement-learning", "robots"]
    assert {h.id for h in lib.search("tag:robots")} == {IMPORT_AI_310, IMPORT_AI_313}
    assert {h.id for h in lib.search("tag:Reinforcement-Learning AlphaZero")} == {IMPORT_AI_310}
    lib.untag_issues([IMPORT_AI_313], ["robots"])
    assert {h.id for h in lib.search("tag:robots")} == {IMPORT_AI_310}
    assert [(t.name, t.issues) for t in lib.tags()] == [("reinforcement-learning", 2), ("robots", 1)]


def test_tags_on_highlights_are_found_by_hltag(lib: Library) -> None:
    edit = lib.annotate(IMPORT_AI_310, "AlphaZero", note="chess")
    changes = lib.tag_highlight(edit.highlight.id, ["to-cite"])
    assert changes.highlights == {IMPORT_AI_310}
    hits = lib.search("hltag:to-cite")
    assert {(h.kind, h.highlight_id) for h in hits} >= {("highlight", edit.highlight.id)}
    assert lib.tagged_issue_ids("to-cite") == [IMPORT_AI_310]
    assert lib.tags()[0].highlights == 1
    lib.untag_highlight(edit.highlight.id, ["to-cite"])
    assert lib.search("hltag:to-cite") == []


def test_deleting_a_highlight_takes_its_tags(lib: Library) -> None:
    edit = lib.annotate(IMPORT_AI_310, "AlphaZero")
    lib.tag_highlight(edit.highlight.id, ["gone"])
    lib.delete_highlight(edit.highlight.id)
    assert lib.tags() == []


@pytest.mark.parametrize("bad", ["", "   ", "a:b", 'say "hi"', "x" * 61])
def test_bad_tag_names_are_refused_in_words(lib: Library, bad: str) -> None:
    with pytest.raises(TagError):
        lib.tag_issues([IMPORT_AI_310], [bad])
    assert lib.issue_tags(IMPORT_AI_310) == []


def test_tagging_an_unknown_issue_tags_none(lib: Library) -> None:
    with pytest.raises(ReaderError, match="nope"):
        lib.tag_issues([IMPORT_AI_310, "nope"], ["x"])
    assert lib.tags() == []


def test_unknown_field_message_lists_tag_fields(lib: Library) -> None:
    with pytest.raises(ReaderError, match="tag:, hltag:"):
        lib.search("tags:robots")


# -- smart lists ------------------------------------------------------------------------------------
def test_smart_list_lifecycle_and_live_count(lib: Library) -> None:
    lib.create_smart_list("Robots", "robots", "number")
    lib.create_smart_list("Unread Import AI", 'publication:"Import AI" is:unread')
    assert [s.name for s in lib.smart_lists()] == ["Robots", "Unread Import AI"]
    assert lib.smart_list_counts()["Unread Import AI"] == 11
    lib.set_read(IMPORT_AI_310)
    assert lib.smart_list_counts()["Unread Import AI"] == 10
    lib.move_smart_list("Unread Import AI", 0)
    assert [s.name for s in lib.smart_lists()] == ["Unread Import AI", "Robots"]
    lib.update_smart_list("robots", new_name="Machines", query="robots OR AlphaZero", sort="date")
    assert lib.smart_list("machines").query == "robots OR AlphaZero"
    lib.delete_smart_list("Machines")
    assert [s.name for s in lib.smart_lists()] == ["Unread Import AI"]


def test_smart_list_issues_follow_its_order(lib: Library) -> None:
    lib.create_smart_list("Series", 'publication:"Import AI"', "number")
    ids = lib.smart_list_issue_ids("Series")
    numbers = [lib.get_issue(i).number for i in ids]
    assert numbers == sorted(numbers) and len(ids) == 11


def test_smart_list_with_bad_query_or_name_is_refused(lib: Library) -> None:
    with pytest.raises(ReaderError, match="no field"):
        lib.create_smart_list("Bad", "nofield:x")
    lib.create_smart_list("Good", "robots")
    with pytest.raises(SmartListError, match="already"):
        lib.create_smart_list("good", "robots")
    with pytest.raises(SmartListError, match="sorted by"):
        lib.create_smart_list("Other", "robots", "random")
    with pytest.raises(SmartListError, match="no smart list 'Missing'"):
        lib.smart_list_issue_ids("Missing")


# -- storage ----------------------------------------------------------------------------------------
def test_migration_adds_the_tables_to_an_existing_library(seeded_dir: Path) -> None:
    """A library made before #16 (user_version 6, no archived column) opens and gains the tables."""
    db = sqlite3.connect(seeded_dir / "library.sqlite3")
    db.executescript(
        "DROP TABLE issue_tags; DROP TABLE highlight_tags; DROP TABLE smart_lists;"
        "DROP INDEX issues_shelf; DROP INDEX issues_archived; ALTER TABLE issues DROP COLUMN archived;"
        "PRAGMA user_version = 6;"
    )
    db.close()
    with Library(seeded_dir) as lib:
        lib.tag_issues([IMPORT_AI_310], ["kept"])
        assert lib.library_counts().all == 13


# -- exports ----------------------------------------------------------------------------------------
def test_markdown_export_writes_issue_and_highlight_tags(lib: Library, tmp_path: Path) -> None:
    import yaml

    edit = lib.annotate(IMPORT_AI_310, "AlphaZero")
    lib.tag_issues([IMPORT_AI_310], ["games"])
    lib.tag_highlight(edit.highlight.id, ["to-cite", "chess"])
    [path] = lib.export_markdown(tmp_path / "notes")
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["tags"] == ["backissue", "games"]  # "backissue" first: how re-exports know the file
    assert "Tags: #chess #to-cite" in text


def test_json_backup_round_trips_tags_and_smart_lists(lib: Library, seeded_dir: Path, tmp_path: Path) -> None:
    """Tags are W3C ``tagging`` bodies (https://www.w3.org/TR/annotation-model/#motivation-and-purpose);
    an issue's own tags are an annotation with motivation "tagging" on the issue, no selector."""
    import json
    import shutil

    fresh = tmp_path / "fresh"
    shutil.copytree(seeded_dir, fresh)
    edit = lib.annotate(IMPORT_AI_310, "AlphaZero", note="chess")
    lib.tag_highlight(edit.highlight.id, ["to-cite"])
    lib.tag_issues([IMPORT_AI_313], ["robots"])  # an issue with no highlight: still in the backup
    lib.create_smart_list("Robots", "tag:robots", "number")
    out = tmp_path / "backup.json"
    assert lib.export_json(out) == 2
    document = json.loads(out.read_text(encoding="utf-8"))
    tagging = [a for a in document["items"] if a["motivation"] == "tagging"]
    assert tagging[0]["body"] == [{"type": "TextualBody", "value": "robots", "purpose": "tagging"}]
    assert document["backissue:smartLists"] == [{"name": "Robots", "query": "tag:robots", "sort": "number"}]
    with Library(fresh) as other:
        report = other.import_annotations(out)
        assert (report.added, report.tags, report.smart_lists) == (1, 2, 1)
        assert other.issue_tags(IMPORT_AI_313) == ["robots"]
        [hl] = other.highlights(IMPORT_AI_310)
        assert other.highlight_tags(IMPORT_AI_310) == {hl.id: ["to-cite"]}
        assert other.smart_list("robots").sort == "number"
        assert other.smart_list_issue_ids("Robots") == [IMPORT_AI_313]
        again = other.import_annotations(out)
        assert (again.added, again.tags, again.smart_lists) == (0, 0, 0)


def test_bad_smart_lists_in_a_backup_are_refused_in_words(lib: Library, tmp_path: Path) -> None:
    from reader.core import AnnotationFormatError

    out = tmp_path / "bad.json"
    out.write_text('{"type": "AnnotationCollection", "items": [], "backissue:smartLists": [{"name": 3}]}')
    with pytest.raises(AnnotationFormatError, match="smart list 1"):
        lib.import_annotations(out)
