"""The header above the issue list when a publication is chosen: the publication as a series."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from reader.core.types import Series
from reader.gui.utils.formatting import format_date

ORDERS = (("number", "By Number"), ("date", "By Date"))


class SeriesHeader(QWidget):
    """"Import AI · 11 issues · #301–#313, missing #311–#312 · … · 1 with highlights" and the order.

    Signals:
        order_changed(str): "number" (oldest number first) or "date" (newest first) was chosen.
    """

    order_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seriesHeader")
        self.setAccessibleName("Publication")
        self.label = QLabel()
        self.label.setObjectName("seriesSummary")
        self.label.setWordWrap(True)
        self.order = QComboBox()
        self.order.setObjectName("seriesOrder")
        self.order.setAccessibleName("Order")
        for key, label in ORDERS:
            self.order.addItem(label, key)
        self.order.currentIndexChanged.connect(lambda _: self.order_changed.emit(self.order.currentData()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.order)
        self.hide()

    def show_series(self, series: Series) -> None:
        """Describe ``series`` and show the header."""
        self.label.setText(series_text(series))
        self.label.setToolTip(series.missing_text(most=1000))
        self.show()


def series_text(series: Series) -> str:
    """The header's words for a series (plurals right; the missing numbers as ranges)."""
    issues = f"{series.issues} issue" if series.issues == 1 else f"{series.issues} issues"
    first_line = [f"<b>{_escape(series.name)}</b>", issues, f"{series.highlighted} with highlights"]
    second_line = []
    if series.first_number is not None:
        numbers = f"#{series.first_number}" if series.first_number == series.last_number else (
            f"#{series.first_number}–#{series.last_number}")
        second_line.append(numbers + (f", {series.missing_text()}" if series.missing else ", none missing"))
    if series.first_date:
        first, last = format_date(series.first_date), format_date(series.last_date or series.first_date)
        second_line.append(first if first == last else f"{first} – {last}")
    lines = [" · ".join(first_line)] + ([" · ".join(second_line)] if second_line else [])
    # a range such as "#311–#312" is never cut at its dash
    return "<br>".join(f'<span style="white-space:nowrap">{line}</span>' for line in lines)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
