"""Every mutation says what it changed: highlights, imports, refreshes and annotation imports carry Changes."""

from __future__ import annotations

from pathlib import Path

from reader.core import Changes, HighlightEdit, Library


def _letter(path: Path, body: str) -> Path:
    # Markdown with YAML front matter: the shape reader/core/_ingest reads for a single issue.
    path.write_text(f"---\npublication: Compost Quarterly\nnumber: 1\n---\n# Compost Quarterly 1\n\n{body}\n", "utf-8")
    return path


def test_an_import_changes_the_list_and_a_re_import_of_the_same_text_changes_nothing(
    library: Library, tmp_path: Path
) -> None:
    source = _letter(tmp_path / "letter.md", "Worms turn leaves into soil.")

    first = library.import_paths([source])
    (issue_id,) = first.issue_ids
    assert first.changes == Changes(issues=frozenset({issue_id}), issue_list=True)

    assert library.import_paths([source]).changes.empty


def test_a_corrected_text_changes_its_row_and_its_highlights_but_not_the_list(
    library: Library, tmp_path: Path
) -> None:
    source = _letter(tmp_path / "letter.md", "Worms turn leaves into soil.")
    (issue_id,) = library.import_paths([source]).issue_ids

    _letter(source, "Worms turn fallen leaves into soil.")
    report = library.import_paths([source])

    assert report.updated == 1
    touched = frozenset({issue_id})
    assert report.changes == Changes(issues=touched, highlights=touched)  # highlights were re-anchored


def test_a_failed_file_changes_nothing(library: Library, tmp_path: Path) -> None:
    report = library.import_paths([tmp_path / "missing.md"])

    assert report.failed and report.changes.empty


def test_each_highlight_mutation_returns_the_record_and_its_issue_as_changed(library: Library) -> None:
    library.import_samples()
    issue_id = library.list_issues()[0].id
    touched = frozenset({issue_id})
    expected = Changes(issues=touched, highlights=touched)  # its highlights and its highlight count

    added = library.add_highlight(issue_id, 0, 12, "blue")
    updated = library.update_highlight(added.highlight.id, note="a note")
    deleted = library.delete_highlight(added.highlight.id)
    restored = library.restore_highlight(deleted.highlight)
    annotated = library.annotate(issue_id, library.plain_text(issue_id)[20:40])

    for edit in (added, updated, deleted, restored, annotated):
        assert isinstance(edit, HighlightEdit)
        assert edit.changes == expected
    assert updated.highlight.note == "a note"
    assert deleted.highlight == updated.highlight  # as it was, for undo
    assert [h.id for h in library.highlights(issue_id)] == [added.highlight.id, annotated.highlight.id]


def test_an_annotation_import_names_the_issues_it_changed(
    seeded_dir: Path, tmp_path: Path, seeds_dir: Path
) -> None:
    with Library(seeded_dir) as lib:
        issues = lib.list_issues()
        lib.annotate(issues[0].id, lib.plain_text(issues[0].id)[:20], note="first")
        lib.set_issue_note(issues[1].id, "read again")
        lib.export_json(tmp_path / "notes.json")
    with Library(tmp_path / "fresh") as fresh:
        fresh.import_paths([seeds_dir])

        report = fresh.import_annotations(tmp_path / "notes.json")
        touched = frozenset({issues[0].id, issues[1].id})
        assert report.changes == Changes(issues=touched, highlights=touched)

        assert fresh.import_annotations(tmp_path / "notes.json").changes.empty  # nothing new the second time


def test_the_union_of_many_changes_is_what_joining_them_one_by_one_gives() -> None:
    from reader.core.types import Changes

    parts = [
        Changes(issues=frozenset({"a"})),
        Changes(issue_list=True, highlights=frozenset({"b"})),
        Changes(index=True, issues=frozenset({"b", "c"})),
        Changes(),
    ]
    folded = Changes()
    for part in parts:
        folded |= part
    assert Changes.union(parts) == folded
    assert Changes.union([]) == Changes()


def test_an_import_report_is_pickled_with_its_changes_made() -> None:
    # A job's child sends the report to the window; the union of 10,000 files' changes is worked
    # out there, not on the window's thread that unpickles it.
    import pickle

    from reader.core.types import FileResult, ImportReport

    files = tuple(FileResult(path=f"f{n}.md", status="imported", issue_ids=(f"i{n}",), imported=1) for n in range(50))
    received = pickle.loads(pickle.dumps(ImportReport(files=files)))
    assert "changes" in received.__dict__  # made before pickling, not on first use
    assert received.changes.issues == frozenset(f"i{n}" for n in range(50)) and received.changes.issue_list
    assert received == ImportReport(files=files)
