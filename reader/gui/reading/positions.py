"""Per rendered issue: core plain-text indexes <-> Qt document positions (UTF-16, with our header)."""

from __future__ import annotations

from reader.core import TextMap, from_utf16, to_utf16
from reader.core.types import TextSpan


class PositionMap:
    """Maps spans of ``Library.plain_text`` to cursor positions of the pane's document and back.

    The pane's text differs from the core's: our header comes first, Qt joins blocks and lists its
    own way, and Qt positions count UTF-16 code units (an emoji is two). The header is skipped by
    position; the rest is aligned by the core's TextMap over Python indexes.

    Args:
        core_text: ``Library.plain_text(issue_id)``.
        view_text: ``QTextDocument.toPlainText()`` of the pane.
        body_start: the Qt position where the issue's body starts (after the header).
    """

    def __init__(self, core_text: str, view_text: str, body_start: int) -> None:
        self._view_text = view_text
        self._body_index = from_utf16(view_text, body_start)
        self._body_qt = body_start
        self._body = view_text[self._body_index :]
        self._map = TextMap(core_text, self._body)

    def span_to_qt(self, start: int, end: int) -> tuple[int, int] | None:
        """Qt positions ``(start, end)`` of the core span, or None when it is not in the pane."""
        view = self._map.span_to_view(TextSpan(start, end))
        if view is None or view.end <= view.start:
            return None
        return self._qt(view.start), self._qt(view.end)

    def qt_to_span(self, qt_start: int, qt_end: int) -> TextSpan | None:
        """The core span under a selection of Qt positions (the header part is dropped)."""
        start = max(qt_start, self._body_qt) - self._body_qt
        end = max(qt_end, self._body_qt) - self._body_qt
        if end <= start:
            return None
        view = TextSpan(from_utf16(self._body, start), from_utf16(self._body, end))
        core = self._map.span_to_core(view)
        if core is None or core.end <= core.start:
            return None
        return core

    def _qt(self, body_index: int) -> int:
        return self._body_qt + to_utf16(self._body, body_index)
