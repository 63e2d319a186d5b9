"""Paints a highlight row: a colour bar, the quote (at most three lines), the note below in muted text."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from reader.core.types import Highlight
from reader.gui.annotations.highlight_model import DETACHED_LABEL, HIGHLIGHT_ROLE

Index = QModelIndex | QPersistentModelIndex
QUOTE_LINES, NOTE_LINES = 3, 2
BAR_WIDTH, PAD = 4, 6


def wrap_lines(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """``text`` wrapped to ``width`` in ``font``: at most ``max_lines`` lines, the last one elided."""
    text = " ".join(text.split())
    if not text or width <= 0:
        return []
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    spans: list[tuple[int, int]] = []
    while len(spans) < max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    if not spans:
        return []
    lines = [text[start : start + length].rstrip() for start, length in spans]
    last_start, last_length = spans[-1]
    if last_start + last_length < len(text):  # more text than lines: end with an ellipsis
        rest = text[last_start:]
        lines[-1] = QFontMetricsF(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return lines


class HighlightDelegate(QStyledItemDelegate):
    """Draws one highlight per row, wrapped to the view's width."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        highlight = index.data(HIGHLIGHT_ROLE)
        if not isinstance(highlight, Highlight):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = type(opt.icon)()
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        colour = index.data(Qt.ItemDataRole.DecorationRole)
        bar = QRect(opt.rect.left() + 1, opt.rect.top() + 3, BAR_WIDTH, opt.rect.height() - 6)
        painter.fillRect(bar, colour if isinstance(colour, QColor) else QColor("#ffe066"))
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        y = float(opt.rect.top() + PAD)
        for text, font, muted in self._blocks(highlight, opt.font, self._text_width(opt.rect.width())):
            painter.setFont(font)
            role = QPalette.ColorRole.PlaceholderText if muted else text_role
            painter.setPen(opt.palette.color(role))
            metrics = QFontMetricsF(font)
            for line in text:
                painter.drawText(QPointF(opt.rect.left() + BAR_WIDTH + 2 * PAD, y + metrics.ascent()), line)
                y += metrics.lineSpacing()
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        highlight = index.data(HIGHLIGHT_ROLE)
        spacing = self._view.spacing() if isinstance(self._view, QListView) else 0
        width = max(self._view.viewport().width() - 2 * spacing, 120)  # what paint's rect will be
        if not isinstance(highlight, Highlight):
            return super().sizeHint(option, index)
        height = sum(
            len(lines) * QFontMetricsF(font).lineSpacing()
            for lines, font, _ in self._blocks(highlight, option.font, self._text_width(width))
        )
        return QSize(width, int(height) + 2 * PAD)

    def _text_width(self, row_width: int) -> float:
        return float(row_width - BAR_WIDTH - 3 * PAD)

    def _blocks(self, highlight: Highlight, font: QFont, width: float) -> list[tuple[list[str], QFont, bool]]:
        """(lines, font, muted) for the quote, the note and the detached mark."""
        quote_font = QFont(font)
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() - 1, 7))
        blocks = [(wrap_lines(f"“{highlight.quote}”", quote_font, width, QUOTE_LINES), quote_font, False)]
        if highlight.note:
            blocks.append((wrap_lines(f"✎ {highlight.note}", small, width, NOTE_LINES), small, True))
        if highlight.detached:
            italic = QFont(small)
            italic.setItalic(True)
            blocks.append(([DETACHED_LABEL], italic, True))
        return blocks
