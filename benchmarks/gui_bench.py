"""GUI figures, each measured in its own process under ``QT_QPA_PLATFORM=offscreen``.

Modes (``python -m benchmarks.gui_bench MODE ...``; each writes one JSON file with ``--out``):

- ``cold-start --data DIR``: from process start (``BENCH_T0``, a ``time.monotonic()`` taken by the
  parent just before it spawned us) to the window's first Show and first Paint event (the list's
  first page), and to the whole list read in the background (``listed_all_s``).
- ``stalls --data DIR --corpus DIR --query Q...``: a 10 ms QTimer heartbeat on the main thread while
  the real window imports the corpus in the background and then runs searches from its search box;
  the longest gap between two beats is the longest UI-thread stall.
- ``scroll --rows N``: the real issue list (IssueListPanel, IssueFilterProxy, IssueTableModel) over N
  synthetic rows: reload, scroll top to bottom with the scrollbar in steps (one synchronous repaint
  per step = one frame), sort by title, filter by publication.

Whatever the GUI does not have yet is reported as skipped with the reason, never as a crash.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

_T0 = float(os.environ.get("BENCH_T0", time.monotonic()))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

HEARTBEAT_MS = 10
STALL_SAMPLE_MS = int(os.environ.get("BENCH_STALL_SAMPLE_MS", "50"))
"""The watchdog keeps the main thread's stack when a beat is this late, to say where a stall is."""
SCROLL_STEPS = 200
IMPORT_TIMEOUT_MS = 20 * 60 * 1000
SEARCH_TIMEOUT_MS = 30 * 1000
START_TIMEOUT_MS = 30 * 1000


def _since_start() -> float:
    return round(time.monotonic() - _T0, 3)


class _FirstEvents(QObject):
    """Application-wide filter noting when the first Show and the first Paint of a widget happen."""

    def __init__(self, on_paint: Callable[[], None]) -> None:
        super().__init__()
        self.marks: dict[str, float] = {}
        self._on_paint = on_paint

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and "shown_s" not in self.marks:
            self.marks["shown_s"] = _since_start()
        elif kind == QEvent.Type.Paint and "painted_s" not in self.marks:
            self.marks["painted_s"] = _since_start()
            QTimer.singleShot(0, self._on_paint)
        return False


def cold_start(data: Path) -> dict[str, Any]:
    """Process start to first paint of the real window on an existing library, and to the whole
    list read (the window paints a first page and reads the rest in the background)."""
    from reader.gui import build_window

    marks = {"imports_s": _since_start()}
    window = build_window(data)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    marks["built_s"] = _since_start()
    model = _part(window, "issueModel")
    painted_rows: list[int] = []

    def painted() -> None:
        painted_rows.append(model.rowCount())
        if not model.loading:
            app.quit()

    def listed() -> None:
        if painted_rows and not model.loading:
            app.quit()

    model.loaded.connect(listed)  # events queued after app.quit() are not delivered: wait in exec()
    watcher = _FirstEvents(painted)
    app.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(START_TIMEOUT_MS, app.quit)
    app.exec()
    app.removeEventFilter(watcher)
    marks["listed_all_s"] = _since_start()
    rows = model.rowCount()
    _close(window)
    first = painted_rows[0] if painted_rows else None
    return {**marks, **watcher.marks, "rows_at_first_paint": first, "issues_listed": rows}


class Heartbeat(QObject):
    """A main-thread timer every HEARTBEAT_MS; ``max_gap_ms`` is the longest wait between two beats.

    A watchdog thread samples every thread's stack while a beat is late (a small sampling profiler),
    so the report can say where the longest stall was spent (``stall_stack``).
    """

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._beat)
        self._main = threading.get_ident()
        self._last = time.perf_counter()
        self._late: Counter[str] = Counter()
        self.max_gap_ms = 0.0
        self.stall_stack: list[str] = []
        self._stop = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, daemon=True)
        self._timer.start()
        self._watchdog.start()

    def reset(self) -> None:
        """Start a new measurement from now."""
        self._last = time.perf_counter()
        self.max_gap_ms = 0.0
        self.stall_stack = []
        self._late = Counter()

    def stop(self) -> None:
        """Stop the timer and the watchdog."""
        self._timer.stop()
        self._stop.set()
        self._watchdog.join(timeout=2)

    def _beat(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        if gap > self.max_gap_ms:
            self.max_gap_ms = gap
            if self._late:
                total = sum(self._late.values())
                self.stall_stack = [f"{count}/{total} samples: {where}" for where, count in self._late.most_common(6)]
        self._late = Counter()
        self._last = now

    def _watch(self) -> None:
        while not self._stop.wait(STALL_SAMPLE_MS / 4000):
            if (time.perf_counter() - self._last) * 1000 > STALL_SAMPLE_MS:
                for ident, frame in sys._current_frames().items():
                    if ident != threading.get_ident():
                        who = "main" if ident == self._main else "worker"
                        self._late[f"[{who}] " + " | ".join(_frames(frame))] += 1


def _frames(frame: Any, depth: int = 8) -> list[str]:
    """The innermost ``depth`` frames as ``file:line(function)``, innermost last."""
    summary = traceback.extract_stack(frame)[-depth:]
    return [f"{Path(f.filename).name}:{f.lineno}({f.name})" for f in summary]


def _wait(connect: Callable[..., Any], timeout_ms: int) -> bool:
    """Run the event loop until the callback handed to ``connect`` is called; False on timeout."""
    loop = QEventLoop()
    done: list[bool] = []

    def finish(*_args: Any) -> None:
        done.append(True)
        loop.quit()

    connect(finish)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    return bool(done)


def stalls(data: Path, corpus: Path, queries: list[str]) -> dict[str, Any]:
    """The longest main-thread gap while the window imports ``corpus``, then while it searches."""
    from reader.gui import build_window

    window = build_window(data)
    window.show()
    importer, issues = _part(window, "importer"), _part(window, "issueModel")
    if importer.running:  # a new library imports the samples first: not measured
        _wait(importer.finished.connect, IMPORT_TIMEOUT_MS)
    beat = Heartbeat()
    started = time.perf_counter()
    beat.reset()
    window.import_paths([str(corpus)])
    finished = _wait(importer.finished.connect, IMPORT_TIMEOUT_MS)
    if issues.loading:  # the list's last reload after the import
        _wait(issues.loaded.connect, START_TIMEOUT_MS)
    _wait_until(lambda: _part(window, "issueView").issue is not None, START_TIMEOUT_MS)  # the newest opens
    result: dict[str, Any] = {
        "import_s": round(time.perf_counter() - started, 2),
        "import_finished": finished,
        "import_max_gap_ms": round(beat.max_gap_ms, 1),
        "import_stall_stack": beat.stall_stack,
        "issues_listed": issues.rowCount(),
    }
    result.update(_search_stalls(window, beat, queries))
    beat.stop()
    _close(window)
    return result


def _wait_until(done: Callable[[], bool], timeout_ms: int) -> bool:
    """Run the event loop until ``done()`` is true (checked every 20 ms); False on timeout."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not done():
        if time.monotonic() > deadline:
            return False
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    return True


def _wait_idle(runner: Any, timeout_ms: int) -> None:
    """Run the event loop until the TaskRunner reports idle (only our slot is connected and removed)."""
    slots: list[Callable[[bool], None]] = []

    def when_idle(callback: Callable[..., None]) -> None:
        slots.append(lambda busy: None if busy else callback())
        runner.busy_changed.connect(slots[-1])

    _wait(when_idle, timeout_ms)
    for slot in slots:
        runner.busy_changed.disconnect(slot)


def _search_stalls(window: Any, beat: Heartbeat, queries: list[str]) -> dict[str, Any]:
    panel, box, runner = _part(window, "searchPanel"), _part(window, "searchBox"), _part(window, "taskRunner")
    gaps: list[float] = []
    latencies: list[float] = []
    worst_stack: list[str] = []
    for query in queries:
        beat.reset()
        started = time.perf_counter()
        box.setText(query)

        panel.run_now()
        if runner.busy:
            _wait_idle(runner, SEARCH_TIMEOUT_MS)
        latencies.append((time.perf_counter() - started) * 1000)
        if beat.max_gap_ms > max(gaps, default=0.0):
            worst_stack = beat.stall_stack
        gaps.append(beat.max_gap_ms)
    return {
        "search_queries": len(queries),
        "search_max_gap_ms": round(max(gaps, default=0.0), 1),
        "search_gui_latency_max_ms": round(max(latencies, default=0.0), 1),
        "search_stall_stack": worst_stack,
    }


def _part(window: Any, name: str) -> Any:
    """The window's child named ``name``: its parts are private, their objectNames are the contract."""
    found = window.findChild(QObject, name)
    assert found is not None, name
    return found


def _close(window: Any) -> None:
    window.close()
    window.library.close()


def _synthetic_rows(count: int) -> list[Any]:
    from reader.core.types import IssueSummary

    pubs = ("Import AI", "The Gradient Digest", "Synapse Weekly", "Robot Letters", "Data Points")
    return [
        IssueSummary(
            id=f"{i:016x}", publication=pubs[i % len(pubs)], title=f"Issue {i}: tales {i * 7919 % 10007}",
            number=i, date=f"{2005 + i % 20}-{1 + i % 12:02d}-{1 + i % 28:02d}", read=i % 3 == 0,
            starred=i % 17 == 0, highlight_count=i % 5,
        )
        for i in range(count)
    ]  # fmt: skip


def scroll(rows: int) -> dict[str, Any]:
    """Reload, scroll, sort and filter the real issue list over ``rows`` synthetic issues."""
    from reader.gui.issues.model import TITLE, IssueFilterProxy, IssueTableModel
    from reader.gui.issues.panel import IssueListPanel

    summaries = _synthetic_rows(rows)
    model = IssueTableModel(lambda: summaries, lambda i: summaries[int(i, 16)])
    proxy = IssueFilterProxy(model)
    toggles = [QAction("Unread"), QAction("Starred")]
    for action in toggles:
        action.setCheckable(True)
    panel = IssueListPanel(proxy, toggles, [])
    panel.resize(430, 800)
    panel.show()
    app = QApplication.instance()
    assert app is not None
    app.processEvents()
    result: dict[str, Any] = {"rows": rows, "reload_ms": _ms(model.reload)}
    app.processEvents()
    result.update(_scroll_frames(panel.table))
    result["sort_title_ms"] = _ms(lambda: panel.table.sortByColumn(TITLE, Qt.SortOrder.AscendingOrder))
    result["filter_publication_ms"] = _ms(lambda: proxy.set_publication("Robot Letters"))
    result["filtered_rows"] = proxy.rowCount()
    return result


def _scroll_frames(table: Any) -> dict[str, Any]:
    bar = table.verticalScrollBar()
    frames = []
    started = time.perf_counter()
    for step in range(SCROLL_STEPS + 1):
        frame_start = time.perf_counter()
        bar.setValue(bar.maximum() * step // SCROLL_STEPS)
        table.viewport().repaint()
        frames.append((time.perf_counter() - frame_start) * 1000)
    return {
        "scroll_steps": SCROLL_STEPS,
        "scroll_total_ms": round((time.perf_counter() - started) * 1000, 1),
        "scroll_max_frame_ms": round(max(frames), 2),
        "scroll_mean_frame_ms": round(sum(frames) / len(frames), 2),
    }


def _ms(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return round((time.perf_counter() - started) * 1000, 1)


def _run_mode(args: argparse.Namespace) -> dict[str, Any]:
    try:
        if args.mode == "cold-start":
            return cold_start(args.data)
        if args.mode == "stalls":
            return stalls(args.data, args.corpus, args.query or [])
        return scroll(args.rows)
    except ImportError as exc:  # a part of the GUI that has not landed yet
        return {"skipped": f"{type(exc).__name__}: {exc}"}


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.gui_bench MODE --out FILE [...]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("cold-start", "stalls", "scroll"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--query", action="append")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--switch-interval", type=float, help="experiment: sys.setswitchinterval(seconds)")
    args = parser.parse_args(argv)
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    QApplication.instance() or QApplication(sys.argv[:1])
    result = _run_mode(args)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
