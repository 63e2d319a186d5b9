"""Accessible names and descriptions for the window's interactive parts, and what counts as one.

Screen readers announce a widget by its accessible name. Buttons and actions get theirs from their
text; views, line edits and combo boxes have none unless given one. The window's parts are named
here, by objectName, in one table a newcomer can read (and a test checks nothing was left out).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

NAMES: dict[str, tuple[str, str]] = {
    "searchBox": ("Search", "Search issues, highlights and notes; Escape goes back to the list"),
    "searchResults": ("Search results", "The issues, highlights and notes that match; Enter opens one"),
    "issueList": ("Issues", "The issues shown, newest first; selecting one opens it in the reading pane"),
    "publicationFilter": ("Publication filter", "Show the issues of one publication"),
    "librarySidebar": ("Library", "All issues, unread, starred, publications, smart lists and tags"),
    "seriesOrder": ("Series order", "Order a publication's issues by number or by date"),
    "readingPane": ("Reading pane", "The open issue; select text and press H to highlight it"),
    "tocPanel": ("Contents", "The issue's sections; choosing one scrolls the reading pane to it"),
    "highlightsPanel": ("Highlights", "The open issue's highlights with their notes; choosing one goes to it"),
    "notebookTree": ("Notebook", "Every highlight and note of the library, by issue"),
    "notebookFilter": ("Filter the notebook", "Show only highlights and notes with these words"),
    "notebookPublication": ("Notebook publication filter", "Show the highlights of one publication"),
    "notebookColour": ("Notebook colour filter", "Show the highlights of one colour"),
    "linksSite": ("Site filter", "Show the linked works of one site"),
    "linksFilter": ("Filter the links", "Show the linked works whose title or address has these words"),
    "timelineQuery": ("Timeline search", "A search shown as issues per month"),
}
"""objectName -> (accessible name, accessible description)."""

INTERACTIVE_ROLES = frozenset({
    QAccessible.Role.PushButton, QAccessible.Role.CheckBox, QAccessible.Role.RadioButton,
    QAccessible.Role.ComboBox, QAccessible.Role.EditableText, QAccessible.Role.SpinBox,
    QAccessible.Role.Slider, QAccessible.Role.List, QAccessible.Role.Table, QAccessible.Role.Tree,
    QAccessible.Role.ButtonMenu, QAccessible.Role.ButtonDropDown, QAccessible.Role.PageTab,
})  # fmt: skip
"""Roles a person operates (and a screen reader must be able to name)."""


def name_parts(root: QWidget) -> None:
    """Give every part of ``root`` listed in NAMES its accessible name and description (unless set)."""
    for widget in root.findChildren(QWidget):
        entry = NAMES.get(widget.objectName())
        if entry is not None and not widget.accessibleName():
            widget.setAccessibleName(entry[0])
            widget.setAccessibleDescription(entry[1])


def unnamed_interactive(root: QWidget) -> Iterator[str]:
    """Describe each interactive part under ``root`` that a screen reader could not name.

    Qt's own inner parts (a combo box's popup list, a line edit's clear button, a toolbar's
    overflow button) are named by their owner and left out.
    """
    interface = QAccessible.queryAccessibleInterface(root)
    if interface is not None:
        yield from _walk(interface)


def _walk(interface: QAccessibleInterface) -> Iterator[str]:
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is None or not child.isValid():
            continue
        owner = child.object()
        if _inner_part(owner):
            continue
        if child.role() in INTERACTIVE_ROLES and not child.text(QAccessible.Text.Name).strip():
            name = owner.objectName() if owner is not None else ""
            yield f"{child.role().name} {type(owner).__name__} {name!r}"
        if child.role() not in (QAccessible.Role.Table, QAccessible.Role.List, QAccessible.Role.Tree):
            yield from _walk(child)


def _inner_part(owner: object) -> bool:
    if not isinstance(owner, QWidget):
        return False
    if owner.objectName().startswith("qt_"):
        return True
    parent = owner.parentWidget()
    while parent is not None:  # a combo box's popup is a window of its own: follow it to the combo
        if isinstance(parent, (QComboBox, QLineEdit)):
            return True
        parent = parent.parentWidget()
    return False


FOCUS_ORDER = ("searchBox", "librarySidebar", "issueList", "readingPane", "tocPanel", "highlightsPanel")
"""Tab goes search -> library -> issues -> the issue -> its contents -> its highlights, in reading order."""


def set_focus_order(root: QWidget, names: tuple[str, ...] = FOCUS_ORDER) -> None:
    """Chain the named parts of ``root`` in this Tab order (the others follow where Qt puts them)."""
    found = [root.findChild(QWidget, name) for name in names]
    parts = [widget for widget in found if widget is not None]
    for first, second in itertools.pairwise(parts):
        QWidget.setTabOrder(first, second)
