"""Every command of the window as a QAction: one table of names, labels, shortcuts and menus."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from reader.gui.reading.theme import THEMES


@dataclass(frozen=True)
class ActionSpec:
    """One command: its objectName (``action`` + key), menu label, shortcuts and menu."""

    key: str
    label: str
    menu: str
    shortcuts: tuple[str, ...] = ()
    checkable: bool = False
    separator_before: bool = False
    submenu: str = ""
    """A submenu of ``menu`` the action goes in ("" = the menu itself)."""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("ImportFiles", "&Import Files…", "&File", ("Ctrl+O",)),
    ActionSpec("ImportFolder", "Import &Folder…", "&File", ("Ctrl+Shift+O",)),
    ActionSpec("CancelTask", "&Cancel Import or Refresh", "&File", ("Ctrl+.",)),
    ActionSpec("SubscribeFeed", "&Subscribe to Feed…", "&File", (), separator_before=True),
    ActionSpec("RefreshFeeds", "&Refresh Feeds", "&File", ("F5",)),
    *(ActionSpec(key, label, "&File", (), checkable=True, submenu="Refresh &Automatically")
      for key, label in (("RefreshOff", "&Off"), ("RefreshEvery30", "Every &30 Minutes"),
                         ("RefreshHourly", "Every &Hour"), ("RefreshDaily", "Every &Day"))),
    ActionSpec("ManageSubscriptions", "&Manage Subscriptions…", "&File"),
    ActionSpec("RemoveImages", "Remove Stored Ima&ges…", "&File"),
    ActionSpec("ImportAnnotations", "Import &Annotations…", "&File", (), separator_before=True),
    ActionSpec("ExportMarkdown", "Export Highlights as &Markdown…", "&File"),
    ActionSpec("ExportJson", "Export Highlights as &JSON…", "&File"),
    # -- bring your history from another reader (#18) --
    ActionSpec("ImportOmnivore", "Import from Omni&vore Export…", "&File", (), separator_before=True),
    ActionSpec("ImportReadwise", "Import from Readwise &CSV…", "&File"),
    ActionSpec("ImportSubstack", "Import Substac&k Archive…", "&File"),
    ActionSpec("ImportOpml", "Import Subscriptions from O&PML…", "&File"),
    ActionSpec("ExportOpml", "Export Subscriptions as OPM&L…", "&File"),
    ActionSpec("Quit", "&Quit", "&File", ("Ctrl+Q",), separator_before=True),
    ActionSpec("Undo", "&Undo", "&Edit", ("Ctrl+Z",)),
    ActionSpec("Redo", "&Redo", "&Edit", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec("RenameColours", "Rename Colour &Labels…", "&Edit", (), separator_before=True),
    *(ActionSpec(f"Theme{t.name.title()}", t.label, "&View", (), checkable=True) for t in THEMES.values()),
    ActionSpec("ZoomIn", "Zoom &In", "&View", ("Ctrl++", "Ctrl+="), separator_before=True),
    ActionSpec("ZoomOut", "Zoom &Out", "&View", ("Ctrl+-",)),
    ActionSpec("ZoomReset", "&Actual Size", "&View", ("Ctrl+0",)),
    ActionSpec("UnreadOnly", "&Unread Only", "&View", ("Shift+U",), checkable=True, separator_before=True),
    ActionSpec("StarredOnly", "S&tarred Only", "&View", ("Shift+S",), checkable=True),
    ActionSpec("Notebook", "&Notebook", "&View", ("Ctrl+Shift+B",), checkable=True, separator_before=True),
    ActionSpec("SidePanel", "Contents and &Highlights Panel", "&View", ("F9",), checkable=True),
    # issue #17: what the newsletters point to
    ActionSpec("LinksView", "&Links", "&View", ("Ctrl+Shift+K",), checkable=True),
    ActionSpec("Timeline", "Topics over &Time", "&View", ("Ctrl+Shift+T",), checkable=True),
    ActionSpec("NextIssue", "&Next Issue", "&Go", ("J",)),
    ActionSpec("PreviousIssue", "&Previous Issue", "&Go", ("K",)),
    ActionSpec("PageDown", "Page &Down", "&Go", ("Space",)),
    ActionSpec("PageUp", "Page &Up", "&Go", ("Shift+Space",)),
    ActionSpec("FocusSearch", "&Search…", "&Go", ("Ctrl+F", "/"), separator_before=True),
    ActionSpec("NextMatch", "Ne&xt Match", "&Go", ("F3",)),
    ActionSpec("PreviousMatch", "Pre&vious Match", "&Go", ("Shift+F3",)),
    ActionSpec("SaveSmartList", "Save Search as S&mart List…", "&Go", ("Ctrl+Shift+S",)),
    ActionSpec("FocusList", "Issue &List", "&Go", ("Ctrl+L",), separator_before=True),
    ActionSpec("Review", "Daily &Review", "&Go", ("R",), separator_before=True),  # #18
    ActionSpec("FocusSidebar", "Library &Sidebar", "&Go", ("Ctrl+Shift+L",)),
    ActionSpec("ToggleRead", "Mark &Read/Unread", "&Issue", ("M",)),
    ActionSpec("ToggleStar", "&Star/Unstar", "&Issue", ("S",)),
    ActionSpec("TagIssues", "&Tags…", "&Issue", ("T",)),
    ActionSpec("ArchiveIssues", "&Archive/Unarchive", "&Issue", ("E",)),
    ActionSpec("DeleteIssue", "&Delete…", "&Issue", ("Del", "Shift+Del")),  # the selection, one or many
    ActionSpec("Highlight", "&Highlight Selection", "&Issue", ("H",), separator_before=True),
    ActionSpec("AddNote", "Add &Note…", "&Issue", ("N",)),
    ActionSpec("IssueNote", "Issue N&ote…", "&Issue", ("Shift+N",)),
    ActionSpec("EditDetails", "&Edit Details…", "&Issue", ("Ctrl+E",), separator_before=True),
    ActionSpec("Shortcuts", "&Keyboard Shortcuts", "&Help", ("?",)),
    ActionSpec("About", "&About Back Issue", "&Help"),
)
MENUS = ("&File", "&Edit", "&View", "&Go", "&Issue", "&Help")


def create_actions(window: QWidget) -> dict[str, QAction]:
    """Create every action on ``window`` (so shortcuts work everywhere in it), keyed by ``key``."""
    actions: dict[str, QAction] = {}
    themes = QActionGroup(window)
    schedules = QActionGroup(window)
    for spec in ACTIONS:
        action = QAction(spec.label, window)
        action.setObjectName(f"action{spec.key}")
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(spec.checkable)
        if spec.key.startswith("Theme"):
            themes.addAction(action)
        elif spec.submenu == "Refresh &Automatically":
            schedules.addAction(action)
        window.addAction(action)
        actions[spec.key] = action
    return actions


def build_menus(menu_bar: QMenuBar, actions: dict[str, QAction]) -> dict[str, QMenu]:
    """Put every action in its menu, in table order (menus show the shortcuts); returns the menus."""
    menus = {title: menu_bar.addMenu(title) for title in MENUS}
    submenus: dict[str, QMenu] = {}
    for spec in ACTIONS:
        menu = menus[spec.menu]
        if spec.submenu:
            if spec.submenu not in submenus:
                submenus[spec.submenu] = menu.addMenu(spec.submenu)
                submenus[spec.submenu].setObjectName(f"menu{spec.submenu.replace('&', '').replace(' ', '')}")
            menu = submenus[spec.submenu]
        if spec.separator_before:
            menu.addSeparator()
        menu.addAction(actions[spec.key])
    return menus


COLOUR_KEYS_ROW = ("Issue", "Highlight As (one key per colour)", "1, 2, 3, 4, 5")
"""The "Highlight as" actions are made per colour at run time; their keys are listed once here."""


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(menu, command, shortcuts) for the shortcuts sheet, menus' ampersands removed."""
    rows = [
        (spec.menu.replace("&", ""), spec.label.replace("&", "").rstrip("…"), ", ".join(
            QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in spec.shortcuts
        ))
        for spec in ACTIONS
        if spec.shortcuts
    ]
    return [*rows, COLOUR_KEYS_ROW]
