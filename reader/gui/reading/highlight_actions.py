"""The window's highlight and note commands: colours, note dialogs, context menus, going to a highlight."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QPoint, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from reader.core import Library
from reader.core.errors import ReaderError
from reader.core.types import Highlight
from reader.gui.annotations.colours import ColourActions, swatch_icon
from reader.gui.annotations.dialogs import RenameColoursDialog, ask_note
from reader.gui.annotations.editor import AnnotationEditor
from reader.gui.annotations.highlight_panel import HighlightsPanel
from reader.gui.annotations.note_view import note_tooltip
from reader.gui.reading.issue_view import DEFAULT_COLOUR, IssueView
from reader.gui.reading.pane import Mark, ReadingPane
from reader.gui.utils import settings as keys

AskNote = Callable[[QWidget, str, str, str], "str | None"]
"""``(parent, quote, note, title) -> text or None``: the note dialog (tests may replace it)."""


class AnnotationController(QObject):
    """Turns the highlight and note commands into AnnotationEditor calls on the right highlight.

    Args:
        window: the main window (dialogs' parent; holds the actions).
        library: the open Library (colour labels).
        settings: remembers the last colour used.
        editor: makes the undoable edits.
        issue_view: the open issue (selection, positions, highlights under the cursor).
        panel: the highlights panel.
        colours: the "Highlight as" actions.

    Signals:
        message(str): something to say in the status bar.
        labels_changed(): the colour labels were renamed.
    """

    message = Signal(str)
    labels_changed = Signal()

    def __init__(
        self,
        window: QWidget,
        library: Library,
        settings: QSettings,
        editor: AnnotationEditor,
        issue_view: IssueView,
        panel: HighlightsPanel,
        colours: ColourActions,
    ) -> None:
        super().__init__(window)
        self._window, self._library, self._settings = window, library, settings
        self._editor, self._view, self._panel, self._colours = editor, issue_view, panel, colours
        self.ask_note: AskNote = ask_note
        self.highlight_action: QAction | None = None

    def bind_actions(self, actions: Mapping[str, QAction], pane: ReadingPane) -> None:
        """Run Highlight, AddNote, IssueNote, RenameColours, the colour menu; enabled by ``pane``'s selection."""
        highlight = actions["Highlight"]
        self.highlight_action = highlight
        self.set_last_colour(self.last_colour)
        highlight.triggered.connect(lambda: self.highlight())
        actions["AddNote"].triggered.connect(self.add_note)
        actions["IssueNote"].triggered.connect(self.edit_issue_note)
        actions["RenameColours"].triggered.connect(self.rename_colours)
        highlight.setEnabled(False)  # until there is a selection to highlight
        self._colours.set_enabled(False)
        pane.copyAvailable.connect(highlight.setEnabled)
        pane.copyAvailable.connect(self._colours.set_enabled)
        self._colours.chosen.connect(self.highlight)

    # -- colour ----------------------------------------------------------------------------------
    @property
    def last_colour(self) -> str:
        """The colour "h" uses: the one used last (yellow at first)."""
        key = keys.str_value(self._settings, keys.LAST_COLOUR, DEFAULT_COLOUR)
        return key if key in {c.key for c in self._colours.colours} else DEFAULT_COLOUR

    def set_last_colour(self, key: str) -> None:
        """Remember the colour for "h" and show it on the Highlight action."""
        self._settings.setValue(keys.LAST_COLOUR, key)
        if self.highlight_action is not None:
            self.highlight_action.setIcon(swatch_icon(self._colours.hex_of(key)))
            self.highlight_action.setToolTip(f"Highlight the selection as “{self._colours.label_of(key)}” (H)")

    def highlight(self, colour: str | None = None) -> Highlight | None:
        """Highlight the pane's selection in ``colour`` (default: the last colour used)."""
        key = colour or self.last_colour
        made = self._view.highlight_selection(key)
        if made is not None:
            self.set_last_colour(key)
        return made

    def recolour(self, highlight: Highlight, colour: str) -> None:
        """Recolour a highlight (undoable)."""
        if colour != highlight.color and self._editor.recolour(highlight, colour) is not None:
            self.set_last_colour(colour)

    def rename_colours(self) -> None:
        """Ask for new colour labels and save the changed ones."""
        dialog = RenameColoursDialog(self._colours.colours, self._window)
        if dialog.exec() != RenameColoursDialog.DialogCode.Accepted:
            return
        current = {c.key: c.label for c in self._colours.colours}
        try:
            for key, label in dialog.labels().items():
                if current.get(key) != label:
                    self._library.rename_color(key, label)
        except ReaderError as exc:
            self.message.emit(str(exc))
        self._colours.refresh()
        self.set_last_colour(self.last_colour)
        self.labels_changed.emit()

    # -- notes -----------------------------------------------------------------------------------
    def add_note(self) -> None:
        """Note on the selection (highlighting it), else on the highlight at the cursor or in the panel."""
        if self._view.selection_span() is not None:
            text = self.ask_note(self._window, self._selected_text(), "", "Note")
            if text is not None:
                made = self._view.highlight_selection(self.last_colour, text)
                if made is not None:
                    self._panel.select_highlight(made.id)
            return
        target = self._note_target()
        if target is None:
            self.message.emit("Select some text (or a highlight) to add a note.")
            return
        self.edit_note(target)

    def edit_note(self, highlight: Highlight) -> None:
        """Edit a highlight's note in the note dialog (undoable)."""
        text = self.ask_note(self._window, highlight.quote, highlight.note, "Note")
        if text is not None and text != highlight.note:
            self._view.set_note(highlight, text)

    def edit_issue_note(self) -> None:
        """Edit the open issue's own note."""
        issue = self._view.issue
        if issue is None:
            self.message.emit("Open an issue to write a note on it.")
            return
        text = self.ask_note(self._window, issue.title, issue.note, "Issue note")
        if text is not None and text != issue.note:
            self._editor.set_issue_note(issue.id, text)

    def delete(self, highlight: Highlight) -> None:
        """Delete a highlight (undoable)."""
        if self._editor.delete(highlight):
            self.message.emit("Highlight deleted. Ctrl+Z brings it back.")

    # -- going to a highlight, clicks and menus --------------------------------------------------
    def go_to(self, highlight_id: str) -> bool:
        """Select a highlight of the open issue in the panel and show it in the pane."""
        self._panel.select_highlight(highlight_id)
        return self._view.reveal_highlight(highlight_id)

    def on_mark_clicked(self, mark: Mark, global_pos: QPoint) -> None:
        """A click on a highlight in the pane: select it in the panel and show its note."""
        highlight = self._view.highlight_at(mark.start)
        if highlight is None:
            return
        self._panel.select_highlight(highlight.id)
        if highlight.note:
            QToolTip.showText(global_pos, note_tooltip(highlight.note), self._view.pane)

    def fill_pane_menu(self, menu: QMenu, position: int) -> None:
        """Add the highlight commands to the pane's context menu at a document position."""
        menu.addSeparator()
        if self._view.selection_span() is not None and self.highlight_action is not None:
            menu.addAction(self.highlight_action)
            menu.addMenu(self._colours.menu)
        highlight = self._view.highlight_at(position)
        if highlight is not None:
            self.fill_highlight_menu(menu, highlight)

    def fill_highlight_menu(self, menu: QMenu, highlight: Highlight) -> None:
        """Recolour ▸, Edit note…, Delete for one highlight."""
        recolour = self._colours.choice_menu(
            "&Recolour", highlight.color, lambda key: self.recolour(highlight, key), menu
        )
        menu.addMenu(recolour)
        menu.addAction("Edit &Note…" if highlight.note else "Add &Note…", lambda: self.edit_note(highlight))
        menu.addAction("&Delete Highlight", lambda: self.delete(highlight))

    def _note_target(self) -> Highlight | None:
        at_cursor = self._view.highlight_at(self._view.pane.textCursor().position())
        return at_cursor or self._panel.current_highlight() or self._view.last_highlight

    def _selected_text(self) -> str:
        span = self._view.selection_span()  # the words a highlight will hold, not the raw drag
        return self._view.text[span.start : span.end] if span is not None else ""
