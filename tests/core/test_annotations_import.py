"""Importing annotations never reverts newer work, never crosses issues, and is all or nothing per file.

The files are our own W3C Web Annotation exports (``Library.export_json``), edited the way a
hand-edited or hostile file would be.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reader.core import AnnotationFormatError, Library
from reader.core import _library as library_module


def _two_issues(lib: Library) -> tuple[str, str]:
    issues = lib.list_issues()
    return issues[0].id, issues[1].id


def _passage(lib: Library, issue_id: str, at: int = 10) -> str:
    return lib.plain_text(issue_id)[at : at + 30].strip()


def test_an_older_export_does_not_revert_a_newer_note(
    seeded_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(seeded_dir) as lib:
        first, _ = _two_issues(lib)
        hl = lib.annotate(first, _passage(lib, first), note="first thought").highlight
        lib.export_json(tmp_path / "old.json")
        monkeypatch.setattr(library_module, "now_iso", lambda: "2099-01-01T00:00:00Z")  # edited later
        lib.update_highlight(hl.id, note="second, better thought", color="blue")

        report = lib.import_annotations(tmp_path / "old.json")

        [now] = lib.highlights()
        assert (now.note, now.color) == ("second, better thought", "blue")  # was reverted to "first thought"
        assert report.updated == 0 and len(report.conflicts) == 1
        assert "kept the library's newer highlight" in report.conflicts[0]


def test_a_newer_export_does_update(seeded_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Library(seeded_dir) as lib:
        first, _ = _two_issues(lib)
        monkeypatch.setattr(library_module, "now_iso", lambda: "2020-01-01T00:00:00Z")
        hl = lib.annotate(first, _passage(lib, first), note="old").highlight
        lib.export_json(tmp_path / "old.json")
        monkeypatch.setattr(library_module, "now_iso", lambda: "2021-01-01T00:00:00Z")
        lib.update_highlight(hl.id, note="new")
        lib.export_json(tmp_path / "new.json")
    with Library(tmp_path / "other") as other:
        other.import_samples()
        assert other.import_annotations(tmp_path / "old.json").added == 1
        report = other.import_annotations(tmp_path / "new.json")
        assert (report.updated, report.conflicts) == (1, ())
        assert other.highlights()[0].note == "new"


def test_a_reused_highlight_id_never_touches_another_issues_highlight(seeded_dir: Path, tmp_path: Path) -> None:
    with Library(seeded_dir) as lib:
        first, second = _two_issues(lib)
        mine = lib.annotate(first, _passage(lib, first), note="mine, on the first issue").highlight
        lib.export_json(tmp_path / "export.json")
        document: dict[str, Any] = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
        [ann] = document["items"]
        ann["target"]["source"] = f"urn:backissue:issue:{second}"  # same id, another issue
        ann["target"]["selector"][0] |= {"exact": _passage(lib, second), "prefix": "", "suffix": ""}
        ann["body"][0]["value"] = "hostile overwrite"
        ann["modified"] = "2099-01-01T00:00:00Z"
        (tmp_path / "hostile.json").write_text(json.dumps(document), encoding="utf-8")

        report = lib.import_annotations(tmp_path / "hostile.json")

        assert lib.highlights(first) == [mine]  # was overwritten with "hostile overwrite"
        [theirs] = lib.highlights(second)
        assert theirs.id != mine.id and theirs.note == "hostile overwrite" and report.added == 1
        assert lib.import_annotations(tmp_path / "hostile.json").added == 0  # the derived id is stable


def _export_with_three(lib: Library, path: Path) -> dict[str, Any]:
    first, second = _two_issues(lib)
    lib.annotate(first, _passage(lib, first), note="one")
    lib.annotate(first, _passage(lib, first, 200), note="two")
    lib.annotate(second, _passage(lib, second), note="three")
    lib.export_json(path)
    for hl in lib.highlights():
        lib.delete_highlight(hl.id)
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_a_lone_surrogate_in_record_two_stores_nothing_and_says_where(seeded_dir: Path, tmp_path: Path) -> None:
    with Library(seeded_dir) as lib:
        document = _export_with_three(lib, tmp_path / "export.json")
        text = json.dumps(document).replace('"two"', '"tw\\ud800o"')  # valid JSON, not text
        (tmp_path / "bad.json").write_text(text, encoding="utf-8")

        with pytest.raises(AnnotationFormatError, match=r"annotation 2, body: 'value' holds a broken character"):
            lib.import_annotations(tmp_path / "bad.json")  # was a UnicodeEncodeError traceback

        assert lib.highlights() == []  # record 1 was committed before the traceback


def test_every_bad_record_is_reported(seeded_dir: Path, tmp_path: Path) -> None:
    with Library(seeded_dir) as lib:
        document = _export_with_three(lib, tmp_path / "export.json")
        document["items"][0]["target"]["selector"][1]["start"] = -1
        document["items"][2]["target"]["selector"][1]["end"] = "ten"
        (tmp_path / "bad.json").write_text(json.dumps(document), encoding="utf-8")

        with pytest.raises(AnnotationFormatError) as caught:
            lib.import_annotations(tmp_path / "bad.json")

        message = str(caught.value)
        assert message.startswith("2 annotations cannot be read, so nothing of the file was imported:")
        assert "annotation 1, target, selector: 'start'" in message
        assert "annotation 3, target, selector: 'end'" in message
        assert lib.highlights() == []


def test_a_failure_while_storing_leaves_nothing_of_the_file(
    seeded_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core import _annotations_io

    with Library(seeded_dir) as lib:
        _export_with_three(lib, tmp_path / "export.json")
        real = _annotations_io.placed_highlight
        calls = []

        def fail_on_third(*args: Any) -> Any:
            calls.append(1)
            if len(calls) == 3:
                raise OSError("simulated failure on the third record")
            return real(*args)

        monkeypatch.setattr(_annotations_io, "placed_highlight", fail_on_third)
        with pytest.raises(OSError, match="third record"):
            lib.import_annotations(tmp_path / "export.json")
        assert lib.highlights() == []  # records 1 and 2 were committed one by one
