"""``backissue publications / merge-publications / lists / list --in / tags / tag / untag / archive`` (#16).

In process through ``reader.cli.main`` on a copy of the seeded data dir (the samples: Import AI 301-310
and 313, Superfast AI, Best in AI); one subprocess run checks the real entry point.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.core import Library

IMPORT_AI_310 = "0f3bc90a8f73c2dc"
IMPORT_AI_313 = "014716ed6888197c"


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_publications_table_names_the_gaps(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, seeded_dir, "publications")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("Import AI"))
    assert "11" in line and "#301–#313" in line and "missing #311–#312" in line


def test_publications_name_shows_the_series_by_number(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, seeded_dir, "publications", "Import AI")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Import AI · 11 issues · #301–#313, missing #311–#312 · 0 with highlights"
    numbers = [int(line.split()[3]) for line in lines[2:]]  # no date: ID, "Import AI", NO.
    assert numbers == [301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 313]


def test_publications_json(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, seeded_dir, "publications", "--json")
    series = {s["name"]: s for s in json.loads(out)}
    assert series["Import AI"]["missing"] == [311, 312]
    assert code == 0


def test_unknown_publication_is_said_in_words(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, seeded_dir, "publications", "Nope")
    assert code == 1 and "No issue has the publication 'Nope'" in err


def test_merge_publications(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, seeded_dir, "merge-publications", "Superfast AI", "Best in AI", "--into", "Import AI")
    assert code == 0 and "2 issues moved" in err
    with Library(seeded_dir) as lib:
        assert lib.publications() == ["Import AI"]


def test_lists_add_count_list_in_edit_move_delete(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, seeded_dir, "lists", "add", "Robots", "robots", "--sort", "number")[0] == 0
    assert run(capsys, seeded_dir, "lists", "add", "Superfast", "publication:superfast")[0] == 0
    _, out, _ = run(capsys, seeded_dir, "lists", "--json")
    lists = json.loads(out)
    assert [(s["name"], s["sort"]) for s in lists] == [("Robots", "number"), ("Superfast", "date")]
    assert lists[1]["issues"] == 1
    _, out, _ = run(capsys, seeded_dir, "list", "--in", "robots", "--json")
    numbers = [i["number"] for i in json.loads(out) if i["publication"] == "Import AI"]
    assert numbers == sorted(numbers) and len(numbers) > 1
    run(capsys, seeded_dir, "lists", "move", "Superfast", "1")
    run(capsys, seeded_dir, "lists", "edit", "Robots", "--name", "Machines", "--query", "AlphaZero")
    _, out, _ = run(capsys, seeded_dir, "lists")
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["Superfast", "Machines"]
    assert run(capsys, seeded_dir, "lists", "delete", "Machines")[0] == 0
    code, _, err = run(capsys, seeded_dir, "list", "--in", "Machines")
    assert code == 1 and "There is no smart list 'Machines'" in err


def test_lists_add_refuses_a_bad_query(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, seeded_dir, "lists", "add", "Bad", "nofield:x")
    assert code == 1 and "There is no field" in err


def test_tag_untag_issue_and_highlight(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, seeded_dir, "tag", IMPORT_AI_310, "games", "Deep Mind")[0] == 0
    with Library(seeded_dir) as lib:
        hid = lib.annotate(IMPORT_AI_313, "robots").highlight.id
    assert run(capsys, seeded_dir, "tag", "--highlight", hid, "to-cite")[0] == 0
    _, out, _ = run(capsys, seeded_dir, "tags", "--json")
    assert json.loads(out) == [
        {"name": "deep-mind", "issues": 1, "highlights": 0},
        {"name": "games", "issues": 1, "highlights": 0},
        {"name": "to-cite", "issues": 0, "highlights": 1},
    ]
    _, out, _ = run(capsys, seeded_dir, "search", "tag:games", "--json")
    assert [h["id"] for h in json.loads(out)] == [IMPORT_AI_310]
    _, out, _ = run(capsys, seeded_dir, "list", "--tag", "to-cite", "--json")
    assert [i["id"] for i in json.loads(out)] == [IMPORT_AI_313]
    run(capsys, seeded_dir, "untag", IMPORT_AI_310, "games")
    run(capsys, seeded_dir, "untag", "--highlight", hid, "to-cite")
    _, out, _ = run(capsys, seeded_dir, "tags", "--json")
    assert [t["name"] for t in json.loads(out)] == ["deep-mind"]


def test_tag_needs_a_name_and_a_known_issue(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, seeded_dir, "tag", IMPORT_AI_310)
    assert code == 1 and "at least one tag" in err
    code, _, err = run(capsys, seeded_dir, "tag", "nope", "x")
    assert code == 1 and "No issue with id 'nope'" in err
    code, _, err = run(capsys, seeded_dir, "tag", IMPORT_AI_310, "a:b")
    assert code == 1 and "tag name" in err


def test_archive_hides_from_list_and_keeps_searchable(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, seeded_dir, "archive", IMPORT_AI_310)
    assert code == 0 and "Archived 1 issue" in err
    _, out, _ = run(capsys, seeded_dir, "list", "--json")
    assert IMPORT_AI_310 not in {i["id"] for i in json.loads(out)} and len(json.loads(out)) == 12
    _, out, _ = run(capsys, seeded_dir, "list", "--archived", "--json")
    assert [i["id"] for i in json.loads(out)] == [IMPORT_AI_310]
    _, out, _ = run(capsys, seeded_dir, "search", "AlphaZero", "--json")
    assert IMPORT_AI_310 in {h["id"] for h in json.loads(out)}
    run(capsys, seeded_dir, "unarchive", IMPORT_AI_310)
    _, out, _ = run(capsys, seeded_dir, "list", "--json")
    assert len(json.loads(out)) == 13


def test_entry_point_runs_lists(seeded_dir: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "reader.cli", "--data-dir", str(seeded_dir), "lists"],
        capture_output=True, text=True, timeout=240, env=env,
    )  # fmt: skip
    assert result.returncode == 0 and "No smart lists yet" in result.stderr
