"""Topics over time: a search drawn as issues per month, stacked by publication, painted with QPainter
(no plotting dependency)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from reader.core import Library, QueryError, ReaderError
from reader.core.types import TimelineBucket
from reader.gui.background.tasks import TaskRunner

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f")
"""Tableau 10's first colours: distinguishable, also for common colour-vision deficiencies."""


def months_between(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last``, inclusive (empty months are shown as gaps)."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class TimelineChart(QWidget):
    """Stacked bars: one per month, one colour per publication, with a legend (objectName ``timelineChart``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineChart")
        self.setAccessibleName("Issues per month")
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._buckets: list[TimelineBucket] = []

    @property
    def buckets(self) -> list[TimelineBucket]:
        """What is drawn."""
        return list(self._buckets)

    def set_buckets(self, buckets: list[TimelineBucket]) -> None:
        """Draw these counts (undated ones, month "", are left out of the bars)."""
        self._buckets = [b for b in buckets if b.month]
        self.setAccessibleDescription(
            "; ".join(f"{b.month} {b.publication}: {b.issues}" for b in self._buckets[:50]))
        self.update()

    def publications(self) -> list[str]:
        """The publications drawn, in legend order (most issues first)."""
        totals: dict[str, int] = {}
        for b in self._buckets:
            totals[b.publication] = totals.get(b.publication, 0) + b.issues
        return sorted(totals, key=lambda p: (-totals[p], p))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        if not self._buckets:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No dated issues match.")
            return
        months = months_between(self._buckets[0].month, self._buckets[-1].month)
        pubs = self.publications()
        colours = {p: QColor(PALETTE[i % len(PALETTE)]) for i, p in enumerate(pubs)}
        stacks: dict[str, list[tuple[str, int]]] = {m: [] for m in months}
        for b in self._buckets:
            stacks[b.month].append((b.publication, b.issues))
        tallest = max(sum(n for _, n in stack) for stack in stacks.values()) or 1
        metrics = self.fontMetrics()
        line = metrics.height()
        legend_h = line + 8
        left, bottom = metrics.horizontalAdvance(str(tallest)) + 12, line * 2 + 6
        plot = QRectF(left, legend_h + 6, max(self.width() - left - 10, 10),
                      max(self.height() - legend_h - bottom - 6, 10))
        self._paint_legend(painter, pubs, colours, text)
        self._paint_axes(painter, plot, tallest, text)
        slot = plot.width() / len(months)
        bar = min(max(slot * 0.7, 1.0), 56.0)  # a few months stay bars, not walls
        label_every = max(1, int((metrics.horizontalAdvance("2023-01") + 8) // max(slot, 1)) + 1)
        for i, month in enumerate(months):
            x = plot.left() + i * slot + (slot - bar) / 2
            y = plot.bottom()
            for publication, count in sorted(stacks[month], key=lambda item: pubs.index(item[0])):
                height = plot.height() * count / tallest
                y -= height
                painter.fillRect(QRectF(x, y, bar, height), colours[publication])
            if i % label_every == 0:
                painter.setPen(text)
                painter.drawText(QRectF(plot.left() + i * slot - 30 + slot / 2, plot.bottom() + 4, 60, line),
                                 Qt.AlignmentFlag.AlignHCenter, month)

    def _paint_legend(self, painter: QPainter, pubs: list[str], colours: dict[str, QColor], text: QColor) -> None:
        x, line = 8.0, self.fontMetrics().height()
        for publication in pubs:
            painter.fillRect(QRectF(x, 6, line * 0.8, line * 0.8), colours[publication])
            x += line
            painter.setPen(text)
            painter.drawText(QRectF(x, 2, 400, line + 4), Qt.AlignmentFlag.AlignVCenter, publication)
            x += self.fontMetrics().horizontalAdvance(publication) + 16

    def _paint_axes(self, painter: QPainter, plot: QRectF, tallest: int, text: QColor) -> None:
        grid = QColor(text)
        grid.setAlpha(60)
        painter.setPen(grid)
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.topLeft(), plot.bottomLeft())
        painter.setPen(text)
        for value in sorted({0, tallest // 2, tallest}):
            y = plot.bottom() - plot.height() * value / tallest
            painter.drawText(QRectF(0, y - 8, plot.left() - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value))


class TimelinePanel(QWidget):
    """A query box over the chart (objectName ``timelinePanel``): any search, issues per month."""

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelinePanel")
        self.setAccessibleName("Topics over time")
        self._library, self._runner = library, runner
        self.box = QLineEdit()
        self.box.setObjectName("timelineQuery")
        self.box.setAccessibleName("Search to draw")
        self.box.setPlaceholderText("A search to draw over time (diffusion, link:arxiv.org, cites:\"RT-1\")")
        self.box.setClearButtonEnabled(True)
        self.box.returnPressed.connect(lambda: self.show_query(self.box.text()))
        self.summary = QLabel()
        self.summary.setObjectName("timelineSummary")
        self.chart = TimelineChart()
        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.chart, 1)

    def show_query(self, query: str) -> None:
        """Draw ``query`` (in the background); a query that cannot be read says why."""
        query = query.strip()
        self.box.setText(query)
        if not query:
            self.chart.set_buckets([])
            self.summary.setText("")
            return
        self._runner.read(lambda: self._library.timeline(query), lambda result, error: self._drawn(result, error))

    def _drawn(self, buckets: list[TimelineBucket] | None, error: BaseException | None) -> None:
        if isinstance(error, QueryError | ReaderError):
            self.summary.setText(str(error))
            self.chart.set_buckets([])
            return
        if error is not None or buckets is None:
            return
        self.chart.set_buckets(buckets)
        total = sum(b.issues for b in buckets)
        undated = sum(b.issues for b in buckets if not b.month)
        note = f" ({undated} undated, not drawn)" if undated else ""
        self.summary.setText(f"{total} issue{'s' if total != 1 else ''}{note}")


