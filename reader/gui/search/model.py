"""Search results: a list model over SearchHit records and a delegate that paints their snippets."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from reader.core.types import SearchHit
from reader.gui.utils.formatting import format_date

Index = QModelIndex | QPersistentModelIndex
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role giving the row's SearchHit."""
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
"""Role giving the row as rich text (title, where it matched, snippet with matched words bold)."""

_KIND_LABEL = {"issue": "", "highlight": "in a highlight", "note": "in your note"}


def hit_html(hit: SearchHit, muted: str) -> str:
    """A result as rich text; the snippet is already escaped by the core, with ``<b>`` around matches."""
    where = [html.escape(p) for p in (hit.publication, format_date(hit.date), hit.section) if p]
    kind = _KIND_LABEL.get(hit.kind, "")
    if kind:
        where.append(f"<i>{kind}</i>")
    return (
        f"<div><b>{html.escape(hit.title)}</b></div>"
        f'<div style="color:{muted}">{" · ".join(where)}</div>'
        f"<div>{hit.snippet}</div>"
    )


def hit_plain(hit: SearchHit) -> str:
    """A result as plain text (accessibility, tooltips, tests)."""
    kind = _KIND_LABEL.get(hit.kind, "")
    parts = [hit.title, hit.section, kind]
    return " — ".join(p for p in parts if p)


class SearchResultsModel(QAbstractListModel):
    """One row per SearchHit, in the order the library ranked them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self.muted_colour = "#656d76"

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return hit_plain(hit)
        if role == HTML_ROLE:
            return hit_html(hit, self.muted_colour)
        if role == HIT_ROLE:
            return hit
        return None

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        """Replace the results."""
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def extend(self, hits: Sequence[SearchHit]) -> int:
        """Append the hits of a longer run of the same search that are not listed yet; how many."""
        shown = {(h.id, h.highlight_id, h.kind) for h in self._hits}
        new = [h for h in hits if (h.id, h.highlight_id, h.kind) not in shown]
        if new:
            self.beginInsertRows(QModelIndex(), len(self._hits), len(self._hits) + len(new) - 1)
            self._hits.extend(new)
            self.endInsertRows()
        return len(new)

    def hit(self, row: int) -> SearchHit:
        """The result in ``row``."""
        return self._hits[row]


_CACHE_SIZE = 400  # laid-out results kept: a few pages of hits at a few widths


class SnippetDelegate(QStyledItemDelegate):
    """Paints a result's rich text (bold matched words) with the view's palette, wrapped to the width.

    Laying out rich text is the costly part (the view asks every row's size on each layout), so
    laid-out documents are kept by (html, width, font) and reused by sizeHint and paint.
    """

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._documents: dict[tuple[str, int, str], QTextDocument] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(opt.font, index, opt.rect.width())
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(opt.rect.translated(-opt.rect.topLeft()))
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = max(self._view.viewport().width(), 120)
        doc = self._document(option.font, index, width)
        return QSize(width, int(doc.size().height()) + 2)

    def _document(self, font: QFont, index: Index, width: int) -> QTextDocument:
        text = str(index.data(HTML_ROLE) or "")
        key = (text, width, font.key())
        doc = self._documents.get(key)
        if doc is None:
            if len(self._documents) >= _CACHE_SIZE:
                self._documents.clear()  # simpler than LRU, and a refill costs one layout per row
            doc = QTextDocument()
            doc.setDefaultFont(font)
            doc.setDocumentMargin(7)
            doc.setHtml(text)
            doc.setTextWidth(width)
            self._documents[key] = doc
        return doc
