"""``backissue review`` and the importers from other readers, end to end (#18)."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

from reader.cli import history
from reader.core import Library
from tests.cli.test_cli import backissue
from tests.core.test_history_import import OPML, omnivore_zip, readwise_csv


def two_exports(tmp_path: Path) -> tuple[Path, Path]:
    """An Omnivore export (3 highlights on one issue) and a Readwise CSV (2 on a stub issue)."""
    rows = [{"Highlight": f"Line {n} of the letters.", "Book Title": "Letters", "Book Author": "S. Weil"}
            for n in (1, 2)]  # fmt: skip
    return omnivore_zip(tmp_path / "o.zip"), readwise_csv(tmp_path / "r.csv", rows)


def test_review_json_answer_and_done_for_today(tmp_path: Path) -> None:
    data = tmp_path / "data"
    omnivore, readwise = two_exports(tmp_path)
    assert backissue(data, "import-omnivore", str(omnivore)).returncode == 0
    assert backissue(data, "import-readwise", str(readwise)).returncode == 0
    result = backissue(data, "review", "--json")
    assert result.returncode == 0, result.stderr
    queue = json.loads(result.stdout)
    assert (queue["daily"], queue["done"], queue["finished"]) == (5, 0, False)
    first = queue["items"][0]
    assert first["note"] and first["title"] == "The Long View #42" and first["publication"] == "The Long View"
    assert {"context", "quote", "date", "highlight_id", "due", "reviews"} <= set(first)
    issues = [i["issue_id"] for i in queue["items"]]
    assert len(issues) == 5 and all(a != b for a, b in itertools.pairwise(issues))
    for item in queue["items"]:
        answered = backissue(data, "review", "--answer", item["highlight_id"], "keep")
        assert answered.returncode == 0, answered.stderr
    after = json.loads(backissue(data, "review", "--json").stdout)
    assert after["finished"] and after["done"] == len(queue["items"]) and after["streak"] == 1
    text = backissue(data, "review")  # not a terminal: the queue as text, here nothing is left
    assert text.stdout.startswith("Done for today: 5 highlights reviewed \u00b7 streak: 1 day")
    bad = backissue(data, "review", "--answer", first["highlight_id"], "later")
    assert bad.returncode == 2 and "unknown answer 'later'" in bad.stderr
    assert backissue(data, "review", "--daily", "0").stderr.strip() == (
        "backissue: The daily review shows 1 to 100 highlights, not 0"
    )


def test_interactive_review_answers_edits_notes_and_quits(tmp_path: Path) -> None:
    with Library(tmp_path / "data") as library:
        omnivore, readwise = two_exports(tmp_path)
        library.import_omnivore(omnivore)
        library.import_readwise(readwise)
        day = library.review_today()
        first = day.items[0].highlight.id
        keys = iter(["?", "n", "a fresh thought", "k", "o", "x", "q"])
        out = io.StringIO()
        assert history.interactive(library, day, lambda _prompt: next(keys), out) == 0
        text = out.getvalue()
        assert "Press one of the letters" in text and "Note saved." in text and "1 of 5 done today" in text
        assert "\u00bb" in text  # "open" printed the issue with the passage marked
        states = library.review_states()
        assert states[first]["status"] == "active" and states[first]["reviews"] == 1
        assert [s["status"] for h, s in states.items() if h != first] == ["mastered"]
        assert next(h.note for h in library.highlights() if h.id == first) == "a fresh thought"


def test_import_commands_report_each_item_and_second_run_adds_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    export = omnivore_zip(tmp_path / "o.zip")
    first = backissue(data, "import-omnivore", str(export))
    assert first.returncode == 0, first.stderr
    assert "detached: highlight \u201cThis sentence was edited out of the page later.\u201d" in first.stdout
    assert first.stdout.strip().endswith(
        "Omnivore export: 2 issues added, 2 highlights attached, 1 highlight detached, 1 skipped"
    )
    again = backissue(data, "import-omnivore", str(export))
    assert again.stdout.strip().endswith("6 skipped, nothing new: already in the library")


def test_opml_import_and_subscriptions_opml(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (tmp_path / "feeds.opml").write_text(OPML, encoding="utf-8")
    imported = backissue(data, "import-opml", str(tmp_path / "feeds.opml"))
    assert imported.returncode == 0, imported.stderr
    assert "OPML: 2 feeds added, 1 skipped" in imported.stdout
    exported = backissue(data, "subscriptions", "--opml")
    assert exported.returncode == 0
    assert exported.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert 'xmlUrl="https://margin.example/feed"' in exported.stdout


def test_bad_export_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = backissue(tmp_path / "data", "import-readwise", str(tmp_path / "x.csv"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not a Readwise CSV export" in result.stderr
