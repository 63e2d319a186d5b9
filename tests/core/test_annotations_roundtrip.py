"""Highlights and notes through the Library: export, import into an empty library, re-anchoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core import AnnotationFormatError, Library


def _annotate(lib: Library) -> list[str]:
    issue = next(i for i in lib.list_issues() if i.number == 313)
    superfast = next(i for i in lib.list_issues() if i.publication == "Superfast AI")
    a = lib.annotate(issue.id, "RT-1 is basically an attempt", note="robots **learn**", color="blue").highlight
    b = lib.annotate(superfast.id, "Embeddings", color="green").highlight
    lib.set_issue_note(issue.id, "Read again in March")
    return [a.id, b.id]


def test_json_round_trip_into_an_empty_library(seeded_dir: Path, tmp_path: Path, seeds_dir: Path) -> None:
    with Library(seeded_dir) as lib:
        ids = _annotate(lib)
        before = {h.id: h for h in lib.highlights()}
        assert lib.export_json(tmp_path / "notes.json") == 3
    with Library(tmp_path / "fresh") as fresh:
        fresh.import_paths([seeds_dir])
        report = fresh.import_annotations(tmp_path / "notes.json")
        assert (report.added, report.notes, report.unmatched) == (2, 1, ())
        after = {h.id: h for h in fresh.highlights()}
        assert sorted(after) == sorted(ids)
        for key, hl in before.items():
            assert (after[key].quote, after[key].note, after[key].color) == (hl.quote, hl.note, hl.color)
            assert (after[key].start, after[key].end, after[key].created) == (hl.start, hl.end, hl.created)
        issue = next(i for i in fresh.list_issues() if i.number == 313)
        assert fresh.get_issue(issue.id).note == "Read again in March"
        again = fresh.import_annotations(tmp_path / "notes.json")
        assert (again.added, again.unchanged, again.notes) == (0, 2, 0)
        assert len(fresh.highlights()) == 2


def test_markdown_export_is_stable_and_in_place(seeded_dir: Path, tmp_path: Path) -> None:
    with Library(seeded_dir) as lib:
        _annotate(lib)
        first = lib.export_markdown(tmp_path / "vault")
        contents = {p: p.read_bytes() for p in first}
        second = lib.export_markdown(tmp_path / "vault")
        assert sorted(first) == sorted(second)
        assert {p: p.read_bytes() for p in second} == contents
        assert len(list((tmp_path / "vault").iterdir())) == 2
        text = next(p for p in first if "import-ai" in p.name.lower()).read_text(encoding="utf-8")
        assert text.startswith("---\n")
        assert "> RT-1 is basically an attempt" in text
        assert "^hl-" in text and "robots **learn**" in text


def test_bad_annotation_file_is_refused(seeded_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"type": "AnnotationCollection", "items": [{"type": "Annotation"}]}))
    with Library(seeded_dir) as lib, pytest.raises(AnnotationFormatError):
        lib.import_annotations(bad)


def test_reimport_of_corrected_text_reanchors_highlights(library: Library, seeds_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "issue.txt"
    text = (seeds_dir / "000_dbd257fc1394f330.txt").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    issue_id = library.import_paths([source]).issue_ids[0]
    kept = library.annotate(issue_id, "a collection of 7,578 research papers").highlight
    lost = library.annotate(issue_id, "Astute readers may notice").highlight
    corrected = text.replace("Welcome to the first issue of 2023!", "Welcome to the first issue of 2023! Hello.")
    corrected = corrected.replace("Astute readers may notice that most", "Most")
    source.write_text(corrected, encoding="utf-8")
    assert library.import_paths([source]).updated == 1
    after = {h.id: h for h in library.highlights(issue_id)}
    new_text = library.plain_text(issue_id)
    assert not after[kept.id].detached
    assert new_text[after[kept.id].start : after[kept.id].end] == kept.quote
    shift = len(" Hello.") - len("Astute readers may notice that most") + len("Most")
    assert after[kept.id].start == kept.start + shift  # moved with the edits before it
    assert after[lost.id].detached  # kept, never deleted
    assert after[lost.id].quote == "Astute readers may notice"
