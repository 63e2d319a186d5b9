"""What each command of actions.py does in the main window: one table from action key to handler.

The Theme and Zoom actions are connected by appearance.Appearance, which owns what they change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.gui.annotations.editor import bind_undo_actions
from reader.gui.background.imports import ask_for_files, ask_for_folder
from reader.gui.commands.shortcut_sheet import ShortcutsDialog
from reader.gui.misc.dialogs import show_about

if TYPE_CHECKING:
    from reader.gui.mainwindow.window import MainWindow


def connect_actions(window: MainWindow) -> None:
    """Connect the window's actions to its commands and controllers, and their enabled/checked states."""
    act = window.actions_by_key
    for key, handler in _handlers(window).items():
        act[key].triggered.connect(handler)
    act["UnreadOnly"].toggled.connect(window.issue_proxy.set_unread_only)
    act["StarredOnly"].toggled.connect(window.issue_proxy.set_starred_only)
    act["Highlight"].setEnabled(False)  # until there is a selection to highlight
    window.colours.set_enabled(False)
    window.pane.copyAvailable.connect(act["Highlight"].setEnabled)
    window.pane.copyAvailable.connect(window.colours.set_enabled)
    window.colours.chosen.connect(window.annotations.highlight)
    dock = window.notebook_dock
    act["Notebook"].toggled.connect(dock.setVisible)
    dock.visibilityChanged.connect(lambda _visible: act["Notebook"].setChecked(not dock.isHidden()))
    bind_undo_actions(window.editor.stack, act["Undo"], act["Redo"])


def _handlers(window: MainWindow) -> dict[str, Callable[[], object]]:
    notes, feeds, transfer, view = window.annotations, window.feeds, window.transfer, window.issue_view
    return {
        "ImportFiles": lambda: window.import_paths(ask_for_files(window)),
        "ImportFolder": lambda: window.import_paths(ask_for_folder(window)),
        "CancelTask": window.importer.cancel,
        "SubscribeFeed": feeds.ask_to_subscribe,
        "RefreshFeeds": feeds.refresh,
        "ManageSubscriptions": feeds.manage,
        "Quit": window.close,
        "NextIssue": lambda: window.step_issue(+1),
        "PreviousIssue": lambda: window.step_issue(-1),
        "PageDown": lambda: window.pane.page(+1),
        "PageUp": lambda: window.pane.page(-1),
        "FocusSearch": window.search_panel.focus_box,
        "NextMatch": lambda: view.step_match(+1),
        "PreviousMatch": lambda: view.step_match(-1),
        "FocusList": window.show_list,
        "ToggleRead": window.flags.toggle_read,
        "ToggleStar": window.flags.toggle_star,
        "Highlight": lambda: notes.highlight(),
        "AddNote": notes.add_note,
        "IssueNote": notes.edit_issue_note,
        "RenameColours": notes.rename_colours,
        "Undo": window.editor.stack.undo,
        "Redo": window.editor.stack.redo,
        "ExportMarkdown": transfer.export_markdown,
        "ExportJson": transfer.export_json,
        "ImportAnnotations": transfer.import_annotations,
        "Shortcuts": lambda: ShortcutsDialog(window).open(),
        "About": lambda: show_about(window),
    }
