"""Daily review of highlights: FSRS scheduling on a fixed clock, the choice of highlights, state kept."""

from __future__ import annotations

import itertools
import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.core import Library, ReaderError
from reader.core._review import sentence_around

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
"""A fixed clock: every test passes ``now`` explicitly, and steps in whole days."""


def days(n: int) -> datetime:
    return NOON + timedelta(days=n)


def make_issue(folder: Path, name: str, sentences: list[str]) -> Path:
    path = folder / f"{name}.md"
    path.write_text(
        f"---\ntitle: {name}\npublication: Weekly {name}\ndate: 2026-01-15\n---\n\n" + " ".join(sentences) + "\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("Alpha", "Beta", "Gamma"):
        make_issue(src, name, [f"{name} first idea is here.", f"{name} second idea is there.",
                               f"{name} third idea is everywhere."])  # fmt: skip
    library = Library(tmp_path / "data")
    library.import_paths([src])
    yield library
    library.close()


def issue_id(lib: Library, title: str) -> str:
    return next(s.id for s in lib.list_issues() if s.title == title)


def highlight(lib: Library, title: str, quote: str, note: str = "") -> str:
    return lib.annotate(issue_id(lib, title), quote, note=note).highlight.id


def test_empty_library_has_nothing_to_review(library: Library) -> None:
    today = library.review_today(NOON)
    assert today.items == () and today.finished and today.done == 0 and today.streak == 0


def test_default_five_a_day_and_configurable(lib: Library) -> None:
    for title in ("Alpha", "Beta", "Gamma"):
        for word in ("first", "second", "third"):
            highlight(lib, title, f"{title} {word} idea")
    assert lib.review_daily_count() == 5
    assert len(lib.review_today(NOON).items) == 5
    lib.set_review_daily_count(2)
    assert len(lib.review_today(NOON).items) == 2
    with pytest.raises(ReaderError, match="1 to 100"):
        lib.set_review_daily_count(0)


def test_item_carries_issue_publication_date_note_and_sentence(lib: Library) -> None:
    highlight(lib, "Beta", "second idea", note="remember this")
    item = lib.review_today(NOON).items[0]
    assert (item.title, item.publication, item.date) == ("Beta", "Weekly Beta", "2026-01-15")
    assert item.highlight.note == "remember this"
    assert item.context == "Beta second idea is there."
    assert item.context[item.quote_start : item.quote_end] == "second idea"


def test_sentence_around_cuts_long_text_at_words() -> None:
    text = "Start. " + "word " * 100 + "QUOTE " + "more " * 100 + "end."
    start = text.index("QUOTE")
    context, at = sentence_around(text, start, start + 5)
    assert context[at : at + 5] == "QUOTE"
    assert context.startswith("\u2026") and context.endswith("\u2026") and len(context) < 500


def test_unseen_then_noted_then_starred_come_first(lib: Library) -> None:
    lib.set_review_daily_count(3)
    plain = highlight(lib, "Alpha", "Alpha first idea")
    starred = highlight(lib, "Beta", "Beta first idea")
    noted = highlight(lib, "Gamma", "Gamma first idea", note="why")
    lib.set_starred(issue_id(lib, "Beta"))
    assert [i.highlight.id for i in lib.review_today(NOON).items] == [noted, starred, plain]
    # once seen, a highlight yields to the ones never seen, even when due again
    lib.review_highlight(noted, "more", NOON)
    lib.set_review_daily_count(5)
    fresh = highlight(lib, "Beta", "Beta third idea")
    order = [i.highlight.id for i in lib.review_today(days(5)).items]
    assert order.index(fresh) < order.index(noted)


def test_never_two_from_the_same_issue_in_a_row(lib: Library) -> None:
    lib.set_review_daily_count(10)
    for word in ("first", "second", "third"):
        highlight(lib, "Alpha", f"Alpha {word} idea", note="n")  # ranked first: they have notes
    highlight(lib, "Beta", "Beta first idea")
    items = lib.review_today(NOON).items
    issues = [i.highlight.issue_id for i in items]
    assert all(a != b for a, b in itertools.pairwise(issues))
    assert len(items) == 3  # Alpha, Beta, Alpha: the third Alpha would follow an Alpha, so it waits


def test_the_last_answer_counts_as_the_previous_one(lib: Library) -> None:
    first = highlight(lib, "Alpha", "Alpha first idea", note="n")
    highlight(lib, "Alpha", "Alpha second idea", note="n")
    other = highlight(lib, "Beta", "Beta first idea")
    lib.review_highlight(first, "keep", NOON)
    assert lib.review_today(NOON).items[0].highlight.id == other


def test_fsrs_schedules_keep_less_more_on_a_fixed_clock(lib: Library) -> None:
    keep = highlight(lib, "Alpha", "Alpha first idea")
    less = highlight(lib, "Beta", "Beta first idea")
    more = highlight(lib, "Gamma", "Gamma first idea")
    for hid, action in ((keep, "keep"), (less, "less"), (more, "more")):
        lib.review_highlight(hid, action, NOON)
    states = lib.review_states()
    due = {hid: states[hid]["due"] for hid in (keep, less, more)}
    # FSRS-6 default weights, no fuzz: a first Hard is due in 1 day, Good in 2, Easy in 8
    assert due == {more: "2026-03-03T12:00:00Z", keep: "2026-03-04T12:00:00Z", less: "2026-03-10T12:00:00Z"}
    assert lib.review_today(NOON).items == ()
    assert [i.highlight.id for i in lib.review_today(days(1)).items] == [more]
    assert {i.highlight.id for i in lib.review_today(days(2)).items} == {more, keep}
    # reviewing again on time lengthens the interval (Good after Good: 2 days, then 11 more)
    lib.review_highlight(keep, "keep", days(2))
    assert lib.review_states()[keep]["due"] == "2026-03-15T12:00:00Z"


def test_mastered_and_discarded_leave_the_review_and_can_come_back(lib: Library) -> None:
    gone = highlight(lib, "Alpha", "Alpha first idea")
    dropped = highlight(lib, "Beta", "Beta first idea")
    lib.review_highlight(gone, "mastered", NOON)
    lib.review_highlight(dropped, "discard", NOON)
    later = lib.review_today(days(400))
    assert later.items == () and later.in_review == 0
    lib.restore_to_review(gone, days(400))
    assert [i.highlight.id for i in lib.review_today(days(400)).items] == [gone]


def test_done_for_today_and_the_streak(lib: Library) -> None:
    lib.set_review_daily_count(2)
    ids = [highlight(lib, t, f"{t} {w} idea") for t in ("Alpha", "Beta") for w in ("first", "second")]
    day0 = lib.review_today(NOON)
    assert (day0.done, day0.finished, day0.streak) == (0, False, 0)
    for item in day0.items:
        lib.review_highlight(item.highlight.id, "keep", NOON)
    done = lib.review_today(NOON + timedelta(hours=1))
    assert (done.done, done.finished, done.streak) == (2, True, 1)
    # the next day, before reviewing, the streak still counts yesterday; after, it grows
    assert lib.review_today(days(1)).streak == 1
    lib.review_highlight(lib.review_today(days(1)).items[0].highlight.id, "keep", days(1))
    assert lib.review_today(days(1)).streak == 2
    # a day missed ends the streak
    assert lib.review_today(days(3)).streak == 0
    assert len(ids) == 4


def test_unknown_answer_and_highlight_are_refused_in_words(lib: Library) -> None:
    hid = highlight(lib, "Alpha", "Alpha first idea")
    with pytest.raises(ReaderError, match="Unknown review answer"):
        lib.review_highlight(hid, "later", NOON)  # type: ignore[arg-type]
    with pytest.raises(ReaderError, match="No highlight"):
        lib.review_highlight("nope", "keep", NOON)


def test_review_state_is_in_the_library_file_and_survives_reopening(lib: Library, tmp_path: Path) -> None:
    hid = highlight(lib, "Alpha", "Alpha first idea")
    lib.review_highlight(hid, "less", NOON)
    lib.close()
    with sqlite3.connect(tmp_path / "data" / "library.sqlite3") as conn:
        assert conn.execute("SELECT status, reviews FROM review_cards").fetchall() == [("active", 1)]
    with Library(tmp_path / "data") as again:
        assert again.review_states()[hid]["due"] == "2026-03-10T12:00:00Z"
        assert again.review_today(NOON).done == 1


def test_backup_carries_the_review_state(lib: Library) -> None:
    hid = highlight(lib, "Alpha", "Alpha first idea")
    lib.review_highlight(hid, "mastered", NOON)
    backup = lib.backup()
    assert backup is not None
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT highlight_id, status FROM review_cards").fetchall() == [(hid, "mastered")]


def test_w3c_export_carries_review_state_and_import_restores_it(lib: Library, tmp_path: Path) -> None:
    hid = highlight(lib, "Alpha", "Alpha first idea")
    out = highlight(lib, "Beta", "Beta first idea")
    lib.review_highlight(hid, "keep", NOON)
    lib.review_highlight(out, "discard", NOON)
    export = tmp_path / "notes.json"
    lib.export_json(export)
    doc = json.loads(export.read_text(encoding="utf-8"))
    states = {a["id"].rsplit(":", 1)[1]: a.get("backissue:review") for a in doc["items"]}
    assert states[hid]["status"] == "active" and states[hid]["card"]["stability"] > 0
    assert states[out]["status"] == "discarded"
    # a fresh library with the same issues gets highlights and their review state back
    with Library(tmp_path / "other") as other:
        other.import_paths([tmp_path / "src"])
        report = other.import_annotations(export)
        assert report.added == 2
        assert other.review_states()[hid]["due"] == lib.review_states()[hid]["due"]
        assert other.review_states()[out]["status"] == "discarded"
        assert other.import_annotations(export).added == 0


def test_a_bad_review_state_in_a_file_is_refused_in_words(lib: Library, tmp_path: Path) -> None:
    hid = highlight(lib, "Alpha", "Alpha first idea")
    lib.review_highlight(hid, "keep", NOON)
    export = tmp_path / "notes.json"
    lib.export_json(export)
    doc = json.loads(export.read_text(encoding="utf-8"))
    doc["items"][0]["backissue:review"]["status"] = "sleeping"
    export.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ReaderError, match="backissue:review: 'status' must be one of"):
        lib.import_annotations(export)


def test_note_edited_in_review_flows_into_the_markdown_export(lib: Library, tmp_path: Path) -> None:
    hid = highlight(lib, "Alpha", "Alpha first idea", note="old thought")
    lib.export_markdown(tmp_path / "vault")
    item = lib.review_today(NOON).items[0]
    lib.update_highlight(item.highlight.id, note="new thought")
    lib.review_highlight(hid, "keep", NOON)
    files = lib.export_markdown(tmp_path / "vault")
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert "new thought" in text and "old thought" not in text
