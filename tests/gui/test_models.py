"""Every model passes qtmodeltester; the issue model sorts, filters and scales like a reader expects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from reader.core.types import Changes, IssueSummary
from reader.gui.issues.model import DATE, NUMBER, TITLE, IssueFilterProxy, IssueTableModel

if TYPE_CHECKING:
    from conftest import Driver


def _summaries(n: int) -> list[IssueSummary]:
    return [
        IssueSummary(
            id=f"id{i}", publication=("Alpha", "Beta", "Gamma")[i % 3], title=f"Issue {i}",
            number=None if i % 5 == 0 else i,
            date=None if i % 7 == 0 else f"20{10 + i % 14}-01-{1 + i % 28:02d}",
            read=i % 2 == 0, starred=i % 11 == 0,
        )
        for i in range(n)
    ]


def _model(rows: list[IssueSummary]) -> IssueTableModel:
    by_id = {s.id: s for s in rows}
    model = IssueTableModel(lambda: rows, by_id.__getitem__)
    model.reload()
    return model


def test_window_models_pass_the_model_tester(qtmodeltester, driver: Driver) -> None:
    driver.open_from_list(driver.summary_where(publication="Superfast AI").id)
    driver.issue_view.highlight_selection()  # nothing selected: refused, no highlight
    driver.search("robots")
    for model in (driver.issue_model, driver.issue_proxy, driver.toc_model, driver.search_panel.model):
        assert model.rowCount() > 0
        qtmodeltester.check(model, force_py=True)


def test_highlights_model_passes_the_model_tester(qtmodeltester, driver: Driver) -> None:
    window = driver.window
    summary = driver.summary_where(publication="Superfast AI")
    text = window.library.plain_text(summary.id)
    window.library.add_highlight(summary.id, text.index("RLHF"), text.index("RLHF") + 4, "blue", "a note")
    driver.open_from_list(summary.id)
    assert driver.highlights_model.rowCount() == 1
    qtmodeltester.check(driver.highlights_model, force_py=True)


def test_sorting_by_number_and_date_puts_missing_values_last_both_ways() -> None:
    model = _model(_summaries(60))
    for column, field in ((NUMBER, "number"), (DATE, "date")):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            values = [getattr(model.summary(r), field) for r in range(model.rowCount())]
            present = [v for v in values if v is not None]
            assert values == present + [None] * (len(values) - len(present))
            assert present == sorted(present, reverse=order == Qt.SortOrder.DescendingOrder)


def test_filters_by_publication_unread_and_starred() -> None:
    rows = _summaries(60)
    proxy = IssueFilterProxy(_model(rows))
    proxy.set_publication("Beta")
    proxy.set_unread_only(True)
    shown = {proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(proxy.rowCount())}
    assert shown == {s.id for s in rows if s.publication == "Beta" and not s.read}
    proxy.set_publication("")
    proxy.set_unread_only(False)
    proxy.set_starred_only(True)
    assert proxy.rowCount() == sum(s.starred for s in rows)


def test_unread_rows_are_bold_and_changes_refresh_one_row() -> None:
    rows = _summaries(4)
    model = _model(rows)
    assert model.index(1, TITLE).data(Qt.ItemDataRole.FontRole).bold()  # issue 1 is unread
    assert model.index(0, TITLE).data(Qt.ItemDataRole.FontRole) is None
    rows[1] = IssueSummary(**{**rows[1].__dict__, "read": True, "starred": True})
    model._load_one = {s.id: s for s in rows}.__getitem__  # the library now says so

    model.apply_changes(Changes(issues=frozenset({"id1"})))

    assert model.index(1, TITLE).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(1, TITLE).data() == "★ Issue 1"


def test_a_hundred_thousand_rows_sort_in_the_source_not_through_less_than() -> None:
    rows = _summaries(100_000)
    proxy = IssueFilterProxy(_model(rows))
    proxy.sort(DATE, Qt.SortOrder.DescendingOrder)  # what a header click does
    proxy.set_publication("Gamma")

    assert proxy.sortColumn() == -1  # Qt's per-pair lessThan sort never ran: the source sorted itself
    gamma = [s for s in rows if s.publication == "Gamma"]
    assert proxy.rowCount() == len(gamma)
    newest = max(s.date for s in gamma if s.date)
    first = proxy.index(0, DATE).data(Qt.ItemDataRole.UserRole + 1)
    assert next(s.date for s in gamma if s.id == first) == newest
    last = proxy.index(proxy.rowCount() - 1, 0).data(Qt.ItemDataRole.UserRole + 1)
    assert next(s.date for s in gamma if s.id == last) is None  # undated last


def test_rows_are_read_by_the_python_filter_only_while_a_filter_is_chosen(monkeypatch) -> None:
    # PySide calls a Python filterAcceptsRow for every row of every reload: 50,000 rows cost 54 ms
    # of calls that all said yes. The proxy installs its filter only while one is chosen.
    rows = _summaries(300)
    model = _model(rows)
    proxy = IssueFilterProxy(model)
    read: list[int] = []
    real_summary = model.summary

    def counting(row: int) -> IssueSummary:
        read.append(row)
        return real_summary(row)

    monkeypatch.setattr(model, "summary", counting)
    model.reload()
    assert proxy.rowCount() == 300 and read == []  # no filter: Qt's own accepts every row
    proxy.set_publication("Beta")
    assert proxy.rowCount() == sum(s.publication == "Beta" for s in rows) and len(read) >= 300
    read.clear()
    model.reload()
    assert proxy.rowCount() == sum(s.publication == "Beta" for s in rows) and len(read) >= 300
    proxy.set_publication("")
    read.clear()
    model.reload()
    assert proxy.rowCount() == 300 and read == []


def test_a_reload_asked_for_right_after_a_slow_read_waits_its_turn(qtbot, monkeypatch) -> None:
    # At 50,000 issues a read of the whole list held the window's worker ~1 s and an import asked for
    # one every second: the window stalled 100-120 ms at a time. The next read waits 3x the last one.
    from reader.gui.issues import model as model_module

    clock = [100.0]
    monkeypatch.setattr(model_module.time, "monotonic", lambda: clock[0])
    rows = _summaries(5)
    reads: list = []
    model = IssueTableModel(lambda: rows, {s.id: s for s in rows}.__getitem__,
                            read_in_background=lambda fn, done: reads.append((fn, done)))
    model.reload_later()
    assert len(reads) == 1
    clock[0] += 0.1  # the read took 0.1 s
    fn, done = reads.pop()
    done(fn(), None)
    assert model.rowCount() == 5
    model.reload_later()  # an import's next refresh, at once
    assert reads == [] and model.loading  # it waits its turn (0.3 s)...
    clock[0] += 0.3
    qtbot.waitUntil(lambda: len(reads) == 1, timeout=3000)  # ...and then it reads
    fn, done = reads.pop()
    with qtbot.waitSignal(model.loaded):
        done(fn(), None)
    assert not model.loading
