"""The open issue: renders it in the pane, fills the contents and highlights, marks matches."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from reader.core import Library, snap_to_words, to_utf16
from reader.core.errors import ReaderError
from reader.core.types import Changes, Highlight, Issue, TextSpan
from reader.gui.annotations.editor import AnnotationEditor
from reader.gui.annotations.highlight_model import HighlightsModel
from reader.gui.background.tasks import TaskRunner
from reader.gui.reading.contents import TocModel
from reader.gui.reading.page import HEADER_BLOCKS, issue_page, placeholder_page
from reader.gui.reading.pane import Mark, ReadingPane
from reader.gui.reading.positions import PositionMap
from reader.gui.utils.change_signal import AppState

DEFAULT_COLOUR = "yellow"


class IssueView(QObject):
    """Shows one issue at a time and translates between the pane and the core's text positions.

    Signals:
        opened(str): an issue was opened (its id).
        matches_changed(int, int): the current search match (0-based, -1 for none) and the count.
        message(str): something the user should read in the status bar.
        issue_note_changed(str): the open issue's own note (on opening it and when it changes).
    """

    opened = Signal(str)
    issue_note_changed = Signal(str)
    matches_changed = Signal(int, int)
    message = Signal(str)

    def __init__(
        self,
        library: Library,
        state: AppState,
        pane: ReadingPane,
        toc: TocModel,
        highlights: HighlightsModel,
        editor: AnnotationEditor,
        parent: QObject | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._runner = runner or TaskRunner(self, synchronous=True)
        self._editor = editor
        self._state = state
        self._pane = pane
        self._toc = toc
        self._highlights = highlights
        self._issue: Issue | None = None
        self._positions: PositionMap | None = None
        self._text = ""  # the open issue's core plain text
        self._body = ""  # the open issue's rendered body as shown (a change to it re-renders the page)
        self._last_highlight: Highlight | None = None
        self.show_placeholder("Choose an issue to read.")

    @property
    def issue(self) -> Issue | None:
        """The issue shown, if any."""
        return self._issue

    @property
    def pane(self) -> ReadingPane:
        """The reading pane this view fills."""
        return self._pane

    @property
    def text(self) -> str:
        """The open issue's plain text (``Library.plain_text``; "" with no issue open)."""
        return self._text

    @property
    def last_highlight(self) -> Highlight | None:
        """The highlight made most recently in this issue (for "add note")."""
        return self._last_highlight

    def show_placeholder(self, message: str) -> None:
        """Show no issue, just a message."""
        self._issue, self._positions, self._last_highlight, self._text, self._body = None, None, None, "", ""
        self._pane.show_page(placeholder_page(message))
        self._toc.set_sections([])
        self._highlights.show_issue(None)
        self.matches_changed.emit(-1, 0)
        self.issue_note_changed.emit("")

    def open(self, issue_id: str, *, mark_read: bool = True) -> bool:
        """Render an issue; mark it read. False (and a message) when it cannot be shown."""
        try:
            issue = self._library.get_issue(issue_id)
            body = self._library.render_html(issue_id)
            core_text = self._library.plain_text(issue_id)
            fetchable = self._library.missing_images(issue_id)
        except ReaderError as exc:
            self.show_placeholder(f"This issue cannot be shown: {exc}")
            self.message.emit(str(exc))
            return False
        self._issue, self._last_highlight, self._text, self._body = issue, None, core_text, body
        self._pane.show_page(issue_page(issue, body))
        self._pane.mark_fetchable(fetchable)  # placeholders become Fetch links; nothing is fetched
        document = self._pane.document()
        self._positions = PositionMap(core_text, document.toPlainText(), self._pane.body_start(HEADER_BLOCKS))
        self._toc.set_sections(issue.sections)
        self._highlights.show_issue(issue_id)
        self._paint_highlights()
        self.matches_changed.emit(-1, 0)
        self.issue_note_changed.emit(issue.note)
        self.opened.emit(issue_id)
        if mark_read and not issue.read:
            # On the worker: the library's write lock may be held by an import for a while.
            self._runner.run(lambda: self._library.set_read(issue_id, True), self._written)
        return True

    def mark_matches(self, query: str) -> int:
        """Mark every match of ``query`` in the open issue and go to the first; returns the count."""
        if self._issue is None or self._positions is None:
            return 0
        try:
            spans = self._library.find_matches(self._issue.id, query)
            title = self._title_marks(query)
        except ReaderError as exc:
            self.message.emit(str(exc))
            spans, title = [], []
        marks = title + self._marks(spans, "")
        self._pane.set_match_marks(marks, 0)
        self.matches_changed.emit(self._pane.current_match, len(marks))
        return len(marks)

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Run NextMatch and PreviousMatch."""
        actions["NextMatch"].triggered.connect(lambda: self.step_match(+1))
        actions["PreviousMatch"].triggered.connect(lambda: self.step_match(-1))

    def clear_matches(self) -> None:
        """Remove the search match marks."""
        self._pane.set_match_marks([])
        self.matches_changed.emit(-1, 0)

    def step_match(self, delta: int) -> None:
        """Go to the next (+1) or previous (-1) match."""
        current = self._pane.step_match(delta)
        self.matches_changed.emit(current, self._pane.match_count)

    def selection_span(self) -> TextSpan | None:
        """The pane's selection as a span of the core's plain text, snapped to whole words.

        None when nothing usable is selected. A drag that began in the middle of a word or on the
        punctuation before it highlights whole words (``snap_to_words``).
        """
        selected = self._pane.selection_range()
        if selected is None or self._positions is None:
            return None
        span = self._positions.qt_to_span(*selected)
        return snap_to_words(self._text, span.start, span.end) if span is not None else None

    def highlight_selection(self, colour: str = DEFAULT_COLOUR, note: str = "") -> Highlight | None:
        """Highlight the selected text (undoably); None (and a message) when it cannot be."""
        span = self.selection_span()
        if self._issue is None or span is None:
            self.message.emit("Select some text of the issue to highlight it.")
            return None
        highlight = self._editor.add(self._issue.id, span.start, span.end, colour, note)
        if highlight is None:
            return None
        self._last_highlight = highlight
        cursor = self._pane.textCursor()
        cursor.clearSelection()
        self._pane.setTextCursor(cursor)
        return highlight

    def set_note(self, highlight: Highlight, note: str) -> Highlight | None:
        """Replace a highlight's note (undoably)."""
        updated = self._editor.set_note(highlight, note)
        if updated is not None:
            self._last_highlight = updated
        return updated

    def highlight_at(self, position: int) -> Highlight | None:
        """The open issue's highlight painted at a pane position, if any."""
        mark = self._pane.mark_at(position)
        return self._highlights.find(mark.key) if mark is not None else None

    def reveal_highlight(self, highlight_id: str) -> bool:
        """Move the pane's cursor to a highlight of the open issue and flash it; False if not shown."""
        highlight = self._highlights.find(highlight_id)
        if highlight is None or highlight.detached or self._positions is None:
            if highlight is not None:
                self.message.emit("That highlight's text is no longer in the issue (detached).")
            return False
        mapped = self._positions.span_to_qt(highlight.start, highlight.end)
        if mapped is None:
            return False
        self._pane.reveal(*mapped)
        return True

    def reveal_span(self, start: int, end: int) -> bool:
        """Scroll the pane to ``plain_text[start:end]`` of the open issue and flash it (a cited link)."""
        if self._positions is None:
            return False
        mapped = self._positions.span_to_qt(start, end)
        if mapped is None:
            return False
        self._pane.reveal(*mapped)
        return True

    def apply_changes(self, changes: Changes) -> None:
        """Repaint the open issue's highlights and refresh its note when they changed."""
        if self._issue is None:
            return
        if self._issue.id in changes.highlights:
            self._paint_highlights()
        if self._issue.id in changes.issues:
            try:
                self._issue = self._library.get_issue(self._issue.id)
                body = self._library.render_html(self._issue.id)
            except ReaderError:
                return  # it was removed; the list's reload says so
            if body != self._body:  # an image fetched or removed, the text updated: show it as it is now
                self._render_again()
                return
            self.issue_note_changed.emit(self._issue.note)

    def _render_again(self) -> None:
        """Render the open issue again where the reader was (scroll position kept)."""
        if self._issue is None:
            return
        bar = self._pane.verticalScrollBar()
        scroll = bar.value()
        if self.open(self._issue.id, mark_read=False):
            bar.setValue(scroll)

    # -- internals -------------------------------------------------------------------------------
    def _written(self, changes: Changes | None, error: BaseException | None) -> None:
        if error is not None or changes is None:
            self.message.emit(str(error))
            return
        self._state.publish(changes)

    def _paint_highlights(self) -> None:
        marks: list[Mark] = []
        for highlight in self._highlights.highlights():
            if not highlight.detached:
                colour = self._highlights.colour_of(highlight.color)
                span = TextSpan(highlight.start, highlight.end)
                marks.extend(self._marks([span], colour, highlight.id, highlight.note))
        self._pane.set_highlight_marks(marks)

    def _title_marks(self, query: str) -> list[Mark]:
        """The query's matches in the title heading our header shows (the core's spans cover the body)."""
        block = self._pane.document().findBlockByNumber(0)
        title = block.text()
        return [
            Mark(block.position() + to_utf16(title, span.start), block.position() + to_utf16(title, span.end), "")
            for span in self._library.match_spans(query, title)
        ]

    def _marks(self, spans: list[TextSpan], colour: str, key: str = "", note: str = "") -> list[Mark]:
        if self._positions is None:
            return []
        marks = []
        for span in spans:
            mapped = self._positions.span_to_qt(span.start, span.end)
            if mapped is not None:
                marks.append(Mark(mapped[0], mapped[1], colour, key, note=note))
        return marks
