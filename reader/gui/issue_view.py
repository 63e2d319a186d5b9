"""The open issue: renders it in the pane, fills the contents and highlights, marks matches."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reader.core.errors import ReaderError
from reader.core.library import Library
from reader.core.types import Changes, Highlight, Issue, TextSpan
from reader.gui.highlights_model import HighlightsModel
from reader.gui.page import HEADER_BLOCKS, issue_page, placeholder_page
from reader.gui.positions import PositionMap
from reader.gui.reading_pane import Mark, ReadingPane
from reader.gui.state import AppState
from reader.gui.toc import TocModel

DEFAULT_COLOUR = "yellow"


class IssueView(QObject):
    """Shows one issue at a time and translates between the pane and the core's text positions.

    Signals:
        opened(str): an issue was opened (its id).
        matches_changed(int, int): the current search match (0-based, -1 for none) and the count.
        message(str): something the user should read in the status bar.
    """

    opened = Signal(str)
    matches_changed = Signal(int, int)
    message = Signal(str)

    def __init__(
        self,
        library: Library,
        state: AppState,
        pane: ReadingPane,
        toc: TocModel,
        highlights: HighlightsModel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._state = state
        self._pane = pane
        self._toc = toc
        self._highlights = highlights
        self._issue: Issue | None = None
        self._positions: PositionMap | None = None
        self._last_highlight: Highlight | None = None
        self.show_placeholder("Choose an issue to read.")

    @property
    def issue(self) -> Issue | None:
        """The issue shown, if any."""
        return self._issue

    @property
    def last_highlight(self) -> Highlight | None:
        """The highlight made most recently in this issue (for "add note")."""
        return self._last_highlight

    def show_placeholder(self, message: str) -> None:
        """Show no issue, just a message."""
        self._issue, self._positions, self._last_highlight = None, None, None
        self._pane.show_page(placeholder_page(message))
        self._toc.set_sections([])
        self._highlights.show_issue(None)
        self.matches_changed.emit(-1, 0)

    def open(self, issue_id: str, *, mark_read: bool = True) -> bool:
        """Render an issue; mark it read. False (and a message) when it cannot be shown."""
        try:
            issue = self._library.get_issue(issue_id)
            body = self._library.render_html(issue_id)
            core_text = self._library.plain_text(issue_id)
        except ReaderError as exc:
            self.show_placeholder(f"This issue cannot be shown: {exc}")
            self.message.emit(str(exc))
            return False
        self._issue, self._last_highlight = issue, None
        self._pane.show_page(issue_page(issue, body))
        document = self._pane.document()
        self._positions = PositionMap(core_text, document.toPlainText(), self._pane.body_start(HEADER_BLOCKS))
        self._toc.set_sections(issue.sections)
        self._highlights.show_issue(issue_id)
        self._paint_highlights()
        self.matches_changed.emit(-1, 0)
        self.opened.emit(issue_id)
        if mark_read and not issue.read:
            self._state.publish(self._library.set_read(issue_id, True))
        return True

    def mark_matches(self, query: str) -> int:
        """Mark every match of ``query`` in the open issue and go to the first; returns the count."""
        if self._issue is None or self._positions is None:
            return 0
        try:
            spans = self._library.find_matches(self._issue.id, query)
        except ReaderError as exc:
            self.message.emit(str(exc))
            spans = []
        marks = self._marks(spans, "")
        self._pane.set_match_marks(marks, 0)
        self.matches_changed.emit(self._pane.current_match, len(marks))
        return len(marks)

    def clear_matches(self) -> None:
        """Remove the search match marks."""
        self._pane.set_match_marks([])
        self.matches_changed.emit(-1, 0)

    def step_match(self, delta: int) -> None:
        """Go to the next (+1) or previous (-1) match."""
        current = self._pane.step_match(delta)
        self.matches_changed.emit(current, self._pane.match_count)

    def selection_span(self) -> TextSpan | None:
        """The pane's selection as a span of the core's plain text (None: nothing usable selected)."""
        selected = self._pane.selection_range()
        if selected is None or self._positions is None:
            return None
        return self._positions.qt_to_span(*selected)

    def highlight_selection(self, colour: str = DEFAULT_COLOUR, note: str = "") -> Highlight | None:
        """Highlight the selected text in the core; None (and a message) when it cannot be."""
        span = self.selection_span()
        if self._issue is None or span is None:
            self.message.emit("Select some text of the issue to highlight it.")
            return None
        try:
            highlight = self._library.add_highlight(self._issue.id, span.start, span.end, colour, note)
        except ReaderError as exc:
            self.message.emit(f"Could not highlight: {exc}")
            return None
        self._last_highlight = highlight
        cursor = self._pane.textCursor()
        cursor.clearSelection()
        self._pane.setTextCursor(cursor)
        touched = frozenset({self._issue.id})
        self._state.publish(Changes(issues=touched, highlights=touched))
        return highlight

    def set_note(self, highlight: Highlight, note: str) -> Highlight | None:
        """Replace a highlight's note."""
        try:
            updated = self._library.update_highlight(highlight.id, note=note)
        except ReaderError as exc:
            self.message.emit(f"Could not save the note: {exc}")
            return None
        self._last_highlight = updated
        self._state.publish(Changes(highlights=frozenset({highlight.issue_id})))
        return updated

    def apply_changes(self, changes: Changes) -> None:
        """Repaint the open issue's highlights when they changed."""
        if self._issue is not None and self._issue.id in changes.highlights:
            self._paint_highlights()

    # -- internals -------------------------------------------------------------------------------
    def _paint_highlights(self) -> None:
        marks: list[Mark] = []
        for highlight in self._highlights.highlights():
            if not highlight.detached:
                colour = self._highlights.colour_of(highlight.color)
                marks.extend(self._marks([TextSpan(highlight.start, highlight.end)], colour))
        self._pane.set_highlight_marks(marks)

    def _marks(self, spans: list[TextSpan], colour: str) -> list[Mark]:
        if self._positions is None:
            return []
        marks = []
        for span in spans:
            mapped = self._positions.span_to_qt(span.start, span.end)
            if mapped is not None:
                marks.append(Mark(mapped[0], mapped[1], colour))
        return marks
