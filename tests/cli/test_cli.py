"""The ``backissue`` command end to end, in a subprocess, on a temporary data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.feed_server import Server


def backissue(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "reader.cli", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=240, env=env,
    )  # fmt: skip


@pytest.fixture(scope="module")
def cli_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir for the module: the first command imports the samples."""
    return tmp_path_factory.mktemp("cli") / "data"


def test_list_json_on_empty_library_imports_samples(cli_dir: Path) -> None:
    result = backissue(cli_dir, "list", "--json")
    assert result.returncode == 0, result.stderr
    issues = json.loads(result.stdout)
    assert len(issues) == 13
    assert {"id", "publication", "number", "title", "date"} <= set(issues[0])
    assert "Traceback" not in result.stderr


def test_list_table_is_readable(cli_dir: Path) -> None:
    result = backissue(cli_dir, "list")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["ID", "DATE", "PUBLICATION"]
    assert len(lines) == 14
    assert any("Superfast AI" in line and "2023-01-11" in line for line in lines)


def test_search_json_keys_and_rare_word(cli_dir: Path) -> None:
    result = backissue(cli_dir, "search", "MOPRD", "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert [h["number"] for h in hits] == [313]
    assert {"id", "title", "snippet", "section", "score"} <= set(hits[0])


def test_search_limit_and_human_output(cli_dir: Path) -> None:
    result = backissue(cli_dir, "search", "model", "--limit", "2")
    assert result.returncode == 0
    assert result.stdout.count("[") == 2


def test_malformed_query_has_no_traceback(cli_dir: Path) -> None:
    result = backissue(cli_dir, "search", '"unbalanced')
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1)


def test_show_prints_issue_text(cli_dir: Path) -> None:
    issue = json.loads(backissue(cli_dir, "list", "--json").stdout)[-1]
    result = backissue(cli_dir, "show", issue["id"])
    assert result.returncode == 0
    assert result.stdout.startswith(issue["title"])
    missing = backissue(cli_dir, "show", "no-such-id")
    assert missing.returncode == 1
    assert "No issue" in missing.stderr and "Traceback" not in missing.stderr


def test_import_reports_bad_files_and_exit_status(cli_dir: Path, tmp_path: Path, seeds_dir: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = backissue(cli_dir, "import", str(empty), str(seeds_dir), str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    assert "empty.txt" in result.stderr and "missing.txt" in result.stderr
    assert "13 unchanged" in result.stderr
    assert "Traceback" not in result.stderr


def test_reimport_says_nothing_changed(cli_dir: Path, seeds_dir: Path) -> None:
    result = backissue(cli_dir, "import", str(seeds_dir))
    assert result.returncode == 0
    assert "nothing changed" in result.stderr


def test_reindex_and_stats(cli_dir: Path) -> None:
    assert backissue(cli_dir, "reindex").returncode == 0
    stats = json.loads(backissue(cli_dir, "stats", "--json").stdout)
    assert stats["issues"] == 13 and stats["indexed"] == 13


def test_usage_error_exits_2(cli_dir: Path) -> None:
    assert backissue(cli_dir, "frobnicate").returncode == 2
    assert backissue(cli_dir, "search").returncode == 2


def test_annotate_highlights_export_and_import(cli_dir: Path, tmp_path: Path) -> None:
    issue = next(i for i in json.loads(backissue(cli_dir, "list", "--json").stdout) if i["number"] == 313)
    made = backissue(cli_dir, "annotate", issue["id"], "--quote", "RT-1", "--occurrence", "1", "--note", "robots",
                     "--color", "blue")
    assert made.returncode == 0, made.stderr
    listed = json.loads(backissue(cli_dir, "highlights", "--json", "--issue", issue["id"]).stdout)
    assert [(h["quote"], h["note"], h["color"], h["label"]) for h in listed] == [("RT-1", "robots", "blue", "Question")]
    assert {"id", "issue_id", "quote", "note", "color", "label", "created"} <= set(listed[0])
    out = tmp_path / "notes.json"
    assert backissue(cli_dir, "export", "--format", "json", "--out", str(out)).returncode == 0
    assert backissue(cli_dir, "export", "--format", "markdown", "--out", str(tmp_path / "md")).returncode == 0
    assert list((tmp_path / "md").glob("*.md"))
    again = backissue(cli_dir, "import-annotations", str(out))
    assert again.returncode == 0 and "0 added" in again.stderr
    bad = backissue(cli_dir, "annotate", issue["id"], "--quote", "not in the text at all, no")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_backup_check_restore(cli_dir: Path, tmp_path: Path) -> None:
    made = backissue(cli_dir, "backup")
    assert made.returncode == 0
    backup = Path(made.stdout.split("Backed up to ", 1)[1].strip())
    assert backup.exists()
    assert backissue(cli_dir, "check").returncode == 0
    restored = backissue(cli_dir, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert len(json.loads(backissue(cli_dir, "list", "--json").stdout)) == 13
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"nope" * 100)
    refused = backissue(cli_dir, "restore", str(garbage))
    assert refused.returncode == 1 and "not a Back Issue library" in refused.stderr


def test_subscribe_and_refresh_from_the_command_line(tmp_path: Path, server: Server) -> None:
    data = tmp_path / "feeds"
    first = backissue(data, "subscribe", f"{server.base}/rss.xml")
    assert first.returncode == 0, first.stderr
    assert "new issues" in first.stderr
    again = backissue(data, "refresh")
    assert (again.returncode == 0 and "1 unchanged" in again.stderr) or "0 new" in again.stderr
    assert server.base in backissue(data, "subscriptions").stdout
    bad = backissue(data, "subscribe", "file:///etc/passwd")
    assert bad.returncode == 1 and "not a feed address" in bad.stderr


def test_import_waits_for_a_job_running_on_the_library_and_says_so(tmp_path: Path, seeds_dir: Path) -> None:
    from reader.core._job_lock import JobLock

    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with JobLock(data_dir).held():  # as an import running in the window's child process would
        cli = subprocess.Popen(
            [sys.executable, "-m", "reader.cli", "--data-dir", str(data_dir), "import", str(seeds_dir)],
            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert cli.stderr is not None
        first = cli.stderr.readline()
        assert "another import or index rebuild is running on this library - waiting" in first
        assert cli.poll() is None  # it waits rather than indexing beside the job
    _out, err = cli.communicate(timeout=240)

    assert cli.returncode == 0, err
    assert "13 new" in err


ARCHIVES = Path(__file__).parents[1] / "fixtures" / "archives"


def test_import_newsletters_only_then_edit_and_rename(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = backissue(data, "import", "--newsletters-only", str(ARCHIVES / "takeout.mbox"))
    assert result.returncode == 0, result.stderr
    assert "2 messages left out by the filter" in result.stderr
    issues = json.loads(backissue(data, "list", "--json").stdout)
    assert sorted(i["publication"] for i in issues) == ["Import AI", "Shop Weekly"]
    shop = next(i for i in issues if i["publication"] == "Shop Weekly")
    edited = backissue(data, "edit", shop["id"], "--title", "Autumn sale", "--date", "2023-10-05")
    assert edited.returncode == 0 and "Shop Weekly #12 · 2023-10-05 · Autumn sale" in edited.stdout
    renamed = backissue(data, "rename-publication", "Shop Weekly", "The Shop")
    assert "on 1 issue" in renamed.stderr
    bad = backissue(data, "edit", shop["id"], "--date", "soon")
    assert bad.returncode != 0 and "is not a date" in bad.stderr and "Traceback" not in bad.stderr
