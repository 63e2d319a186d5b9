"""Paints a highlight row: a colour bar, the quote (at most three lines), the whole note below, rendered."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QTextDocument,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from reader.core.types import Highlight
from reader.gui.annotations.highlight_model import DETACHED_LABEL, HIGHLIGHT_ROLE
from reader.gui.annotations.note_view import note_document

Index = QModelIndex | QPersistentModelIndex
QUOTE_LINES = 3
NOTE_MARK = "✎ "
BAR_WIDTH, PAD = 4, 6
_NOTE_CACHE = 200


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
        self._notes: dict[tuple[str, float, str], QTextDocument] = {}

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
        x = opt.rect.left() + BAR_WIDTH + 2 * PAD
        width = self._text_width(opt.rect.width())
        quote, small = self._fonts(opt.font)
        lines = self._quote_lines(highlight, quote, width)
        y = self._draw_lines(painter, lines, quote, x, y, opt.palette.color(text_role))
        muted = opt.palette.color(QPalette.ColorRole.PlaceholderText)
        if highlight.note.strip():
            note = self._note(highlight, small, width)
            painter.save()
            painter.translate(x, y)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette.setColor(QPalette.ColorRole.Text, muted if not selected else opt.palette.color(text_role))
            note.documentLayout().draw(painter, context)
            painter.restore()
            y += note.size().height()
        if highlight.detached:
            italic = QFont(small)
            italic.setItalic(True)
            self._draw_lines(painter, [DETACHED_LABEL], italic, x, y, muted)
        painter.restore()

    @staticmethod
    def _draw_lines(painter: QPainter, lines: list[str], font: QFont, x: float, y: float, colour: QColor) -> float:
        painter.setFont(font)
        painter.setPen(colour)
        metrics = QFontMetricsF(font)
        for line in lines:
            painter.drawText(QPointF(x, y + metrics.ascent()), line)
            y += metrics.lineSpacing()
        return y

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        highlight = index.data(HIGHLIGHT_ROLE)
        spacing = self._view.spacing() if isinstance(self._view, QListView) else 0
        width = max(self._view.viewport().width() - 2 * spacing, 120)  # what paint's rect will be
        if not isinstance(highlight, Highlight):
            return super().sizeHint(option, index)
        quote, small = self._fonts(option.font)
        text_width = self._text_width(width)
        height = len(self._quote_lines(highlight, quote, text_width)) * QFontMetricsF(quote).lineSpacing()
        if highlight.note.strip():
            height += self._note(highlight, small, text_width).size().height()
        if highlight.detached:
            height += QFontMetricsF(small).lineSpacing()
        return QSize(width, int(height) + 2 * PAD)

    def _text_width(self, row_width: int) -> float:
        return float(row_width - BAR_WIDTH - 3 * PAD)

    @staticmethod
    def _fonts(font: QFont) -> tuple[QFont, QFont]:
        """The quote's font and the smaller one of the note and the detached mark."""
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() - 1, 7))
        return QFont(font), small

    @staticmethod
    def _quote_lines(highlight: Highlight, font: QFont, width: float) -> list[str]:
        return wrap_lines(f"“{highlight.quote}”", font, width, QUOTE_LINES)

    def _note(self, highlight: Highlight, font: QFont, width: float) -> QTextDocument:
        """The whole note, rendered from its Markdown (kept per note and width: rows repaint often)."""
        key = (highlight.note, width, font.key())
        document = self._notes.get(key)
        if document is None:
            if len(self._notes) >= _NOTE_CACHE:
                self._notes.clear()
            document = note_document(highlight.note, font, width, NOTE_MARK)
            self._notes[key] = document
        return document
