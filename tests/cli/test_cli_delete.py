"""``backissue delete`` and ``backissue import --dry-run`` end to end, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import backissue
from tests.core.test_issue_identity import mbox_message, write_mbox


def list_ids(data_dir: Path) -> set[str]:
    result = backissue(data_dir, "list", "--json")
    assert result.returncode == 0, result.stderr
    return {issue["id"] for issue in json.loads(result.stdout)}


@pytest.fixture
def cli_library(tmp_path: Path) -> tuple[Path, str]:
    """A data dir holding the samples, with two highlights (one with a note) on Import AI 313."""
    data_dir = tmp_path / "data"
    backissue(data_dir, "list")  # a new library lists the samples on first use (a search never writes)
    [hit] = json.loads(backissue(data_dir, "search", "MOPRD", "--json").stdout)
    for quote, note in (("Import AI", "a note"), ("robots", "")):
        note_args = ["--note", note] if note else []
        result = backissue(data_dir, "annotate", hit["id"], "--quote", quote, "--occurrence", "1", *note_args)
        assert result.returncode == 0, result.stderr
    return data_dir, hit["id"]


def test_delete_with_yes_removes_the_issue_and_names_what_went(cli_library: tuple[Path, str]) -> None:
    data_dir, issue_id = cli_library
    result = backissue(data_dir, "delete", issue_id, "--yes")
    assert result.returncode == 0, result.stderr
    assert "with 2 highlights and 1 note" in result.stdout
    assert issue_id not in list_ids(data_dir)
    assert json.loads(backissue(data_dir, "search", "MOPRD", "--json").stdout) == []


def test_delete_without_yes_and_no_terminal_deletes_nothing(cli_library: tuple[Path, str]) -> None:
    data_dir, issue_id = cli_library
    result = subprocess.run(
        [sys.executable, "-m", "reader.cli", "--data-dir", str(data_dir), "delete", issue_id],
        capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 2
    assert "--yes" in result.stderr and "Traceback" not in result.stderr
    assert issue_id in list_ids(data_dir)


@pytest.mark.parametrize(("answer", "deleted"), [("y\n", True), ("n\n", False)])
def test_delete_asks_on_a_terminal(cli_library: tuple[Path, str], answer: str, deleted: bool) -> None:
    data_dir, issue_id = cli_library
    main, child = os.openpty()  # stdin is a terminal, as when a person types the command
    try:
        os.write(main, answer.encode())
        result = subprocess.run(
            [sys.executable, "-m", "reader.cli", "--data-dir", str(data_dir), "delete", issue_id],
            capture_output=True, text=True, timeout=240, stdin=child,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )  # fmt: skip
    finally:
        os.close(main)
        os.close(child)
    assert "2 highlights and 1 note?" in result.stdout
    assert result.returncode == (0 if deleted else 1)
    assert (issue_id not in list_ids(data_dir)) is deleted


def test_delete_of_an_unknown_id_says_so(tmp_path: Path) -> None:
    result = backissue(tmp_path / "data", "delete", "0000000000000000", "--yes")
    assert result.returncode == 1
    assert "No issue with id" in result.stderr and "Traceback" not in result.stderr


def test_import_dry_run_lists_outcomes_and_changes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    box = write_mbox(tmp_path / "list.mbox", mbox_message("a", "test", "One."), mbox_message("b", "test", "Two."))
    before = list_ids(data_dir)  # the samples
    result = backissue(data_dir, "import", "--dry-run", str(box))
    assert result.returncode == 0, result.stderr
    assert f"{box}: 2 new, 0 updated, 0 unchanged" in result.stdout
    assert "nothing was changed" in result.stderr
    assert list_ids(data_dir) == before
    assert backissue(data_dir, "import", str(box)).returncode == 0
    again = backissue(data_dir, "import", "--dry-run", str(box))
    assert f"{box}: 0 new, 0 updated, 2 unchanged" in again.stdout


def test_delete_several_ids_at_once_checks_every_id_first(cli_library: tuple[Path, str]) -> None:
    data_dir, issue_id = cli_library
    other = sorted(list_ids(data_dir) - {issue_id})[0]
    refused = backissue(data_dir, "delete", issue_id, "0000000000000000", "--yes")
    assert refused.returncode == 1 and "No issue with id" in refused.stderr
    assert {issue_id, other} <= list_ids(data_dir)  # nothing was deleted
    result = backissue(data_dir, "delete", issue_id, other, "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Deleted 2 issues (“") and "with 2 highlights and 1 note" in result.stdout
    assert not {issue_id, other} & list_ids(data_dir)
