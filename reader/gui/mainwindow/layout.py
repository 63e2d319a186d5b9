"""The main window's furniture: the splitters, the search toolbar, the contents list and the notebook dock."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.gui.mainwindow.state import DEFAULT_SIZE
from reader.gui.reading.contents import TocModel

LIST_WIDTH, SIDE_WIDTH = 720, 240  # sidebar + list ~50%: titles are long, and they are what you scan
SIDEBAR_WIDTH, SIDEBAR_MIN = 170, 150
"""The library sidebar's width in its column, and the least it is shown at (below, it folds away)."""
LIST_KEEP = 430
"""The list's width the sidebar never takes: a column narrower than SIDEBAR_MIN + LIST_KEEP folds the
sidebar away; a wider one (a 1280-pixel window's) keeps it, at SIDEBAR_MIN or more."""
LIST_SOFT = SIDEBAR_WIDTH + LIST_KEEP + 10  # and the handle between them
"""The list column's first narrowing stops where the sidebar would fold: the side panel gives way
before the library sidebar does (a first window on a 1280x800 screen, 1152 px, showed no sidebar)."""
PANE_MIN = 360
"""The reading pane never gets narrower than this: about 42 characters of body text."""
SIDE_MIN = 100
"""The side panel's least width while shown (its tabs would ask for more, keeping an 800-px window out)."""
PANE_COMFORT = 460
"""Below this the list narrows to LIST_SOFT, then the side panel gives way (collapses), then the list
narrows further, to LIST_MIN."""
LIST_MIN = 300


class MainSplitter(QSplitter):
    """``left | pane | side``: the pane keeps a readable width when the window shrinks; the side panel
    (contents, highlights) gives way first, then the list. When the window grows again, the list and
    the side panel get back the widths they had before it shrank (``wanted``: the default widths, or
    the person's own from a drag of a handle or View > Side Panel); the pane takes the rest.

    A collapsed side panel comes back by dragging its handle or with View > Side Panel.

    Signals:
        fitted(): the sizes were changed to fit a smaller window.
    """

    fitted = Signal()

    def __init__(self, left: QWidget, pane: QWidget, side: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.setObjectName("mainSplitter")
        for widget in (left, pane, side):
            self.addWidget(widget)
        pane.setMinimumWidth(PANE_MIN)
        side.setMinimumWidth(SIDE_MIN)
        self.setCollapsible(1, False)
        self.setStretchFactor(1, 1)
        self.setSizes([LIST_WIDTH, DEFAULT_SIZE[0] - LIST_WIDTH - SIDE_WIDTH, SIDE_WIDTH])
        self._wanted = (LIST_WIDTH, SIDE_WIDTH)
        self.splitterMoved.connect(lambda *_: self._keep_wanted())

    @property
    def wanted(self) -> tuple[int, int]:
        """(list, side panel) widths to give back when the window grows (kept with the layout)."""
        return self._wanted

    def set_wanted(self, left: int, side: int) -> None:
        """Widths the person chose earlier (read back with the layout)."""
        self._wanted = (max(left, LIST_MIN), max(side, 0))

    def _keep_wanted(self) -> None:
        left, _pane, side = self.sizes()
        self._wanted = (left, side)

    def side_shown(self) -> bool:
        """True when the side panel has room (is not collapsed)."""
        return self.sizes()[2] > 0

    def show_side(self, show: bool) -> None:
        """Open the side panel (taking its room from the pane, then the list) or collapse it."""
        left, pane, side = self.sizes()
        if show and side == 0:
            side = min(SIDE_WIDTH, max(pane - PANE_MIN, 0) + max(left - LIST_MIN, 0))
            from_pane = min(side, max(pane - PANE_MIN, 0))
            self.setSizes([left - (side - from_pane), pane - from_pane, side])
            self._wanted = (self._wanted[0], SIDE_WIDTH)
        elif not show and side > 0:
            self.setSizes([left, pane + side, 0])
            self._wanted = (self._wanted[0], 0)  # the person's choice (a fit only follows it with the tick)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        old, new = event.oldSize().width(), event.size().width()
        if new < old or old < 0:
            self.fit_pane()
        if new > old:  # also the first show: a layout kept from a smaller window fits this one
            self.regrow()

    def regrow(self) -> None:
        """Give the list, then the side panel, what they had before the window shrank, from the pane's
        width above PANE_COMFORT (a small window once, and the layout stayed cramped at any size)."""
        left, pane, side = self.sizes()
        want_left, want_side = self._wanted
        spare = pane - PANE_COMFORT
        to_left = max(min(want_left - left, spare), 0)
        spare -= to_left
        to_side = max(min(want_side - side, spare), 0)
        if side == 0 and to_side < SIDE_MIN:
            to_side = 0  # a sliver of a side panel shows nothing
        if to_left or to_side:
            self.setSizes([left + to_left, pane - to_left - to_side, side + to_side])
            self.fitted.emit()

    def fit_pane(self) -> None:
        """Give the pane PANE_COMFORT if the window allows: narrow the list a little, collapse the side
        panel, then narrow the list further."""
        left, pane, side = self.sizes()
        if pane >= PANE_COMFORT or left + pane + side <= 0:
            return
        left, pane = _give(left, pane, LIST_SOFT)
        if pane < PANE_COMFORT and side:
            pane, side = pane + side, 0
        left, pane = _give(left, pane, LIST_MIN)
        self.setSizes([left, pane, side])
        self.fitted.emit()




class LibraryColumn(QSplitter):
    """``sidebar | list`` in the list's column. The sidebar keeps its width (SIDEBAR_WIDTH, or the one
    the person dragged it to) while the list has LIST_KEEP; a narrower column takes the rest from the
    sidebar, down to SIDEBAR_MIN, and then folds it away (a 40-pixel sidebar shows nothing, and at
    122 px its names were cut to "Ale...", "De..."). It comes back as the column widens. Asked for (Go >
    Library Sidebar) it stays, the list giving way down to LIST_MIN; a person who drags it shut
    keeps it shut."""

    def __init__(self, sidebar: QWidget, listing: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.setObjectName("libraryColumn")
        self.addWidget(sidebar)
        self.addWidget(listing)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)  # the list takes what the column gains or loses, within _fit's rule
        self.setSizes([SIDEBAR_WIDTH, LIST_WIDTH - SIDEBAR_WIDTH])
        self._wanted = SIDEBAR_WIDTH
        self._asked = False  # shown with Go > Library Sidebar: the list gives way down to LIST_MIN
        self.splitterMoved.connect(lambda *_: self._moved_by_person())

    def _moved_by_person(self) -> None:
        self._wanted = self.sizes()[0]  # 0: folded by a drag, it stays folded until asked for
        self._asked = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        sidebar, listing = self.sizes()
        column = sidebar + listing
        if column <= 0:
            return
        width = min(self._wanted, column - (LIST_MIN if self._asked else LIST_KEEP))
        if width < SIDEBAR_MIN:
            width = 0
        if width != sidebar:
            self.setSizes([width, column - width])

    def show_sidebar(self) -> None:
        """Unfold the sidebar if it folded away: its room comes from the list, and when the list has
        none to spare, from the reading pane (down to its least width)."""
        if self.sizes()[0] > 0:
            return
        outer = self.parentWidget()
        if isinstance(outer, QSplitter) and outer.indexOf(self) == 0 and outer.count() == 3:
            left, pane, side = outer.sizes()
            give = min(max(SIDEBAR_MIN + LIST_MIN - left, 0), max(pane - PANE_MIN, 0))
            outer.setSizes([left + give, pane - give, side])
        listing = sum(self.sizes())
        width = max(min(SIDEBAR_WIDTH, listing - LIST_MIN), SIDEBAR_MIN)
        self._wanted, self._asked = max(self._wanted, width), True
        self.setSizes([width, max(listing - width, 0)])


def _give(left: int, pane: int, floor: int) -> tuple[int, int]:
    """Move width from the list to the pane until the pane has PANE_COMFORT or the list is at ``floor``."""
    moved = max(min(left - floor, PANE_COMFORT - pane), 0)
    return left - moved, pane + moved


def main_splitter(left: QWidget, pane: QWidget, side: QWidget) -> MainSplitter:
    """``left | pane | side`` (objectName ``mainSplitter``); see MainSplitter."""
    return MainSplitter(left, pane, side)


def side_splitter(contents: QWidget, highlights: QWidget) -> QSplitter:
    """The titled contents list above the titled highlights panel (objectName ``sideSplitter``)."""
    side = QSplitter(Qt.Orientation.Vertical)
    side.setObjectName("sideSplitter")
    side.addWidget(_titled("Contents", contents))
    side.addWidget(_titled("Highlights", highlights))
    side.setSizes([300, 500])
    return side


def contents_view(model: TocModel) -> QListView:
    """The issue's contents as a wrapping, read-only list (objectName ``tocPanel``)."""
    view = QListView()
    view.setObjectName("tocPanel")
    view.setModel(model)
    view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setSpacing(2)
    return view


def search_toolbar(box: QLineEdit, highlight: QAction, colours: QMenu) -> tuple[QToolBar, QLabel]:
    """The fixed toolbar: search box, match count ("2 of 18"), and Highlight with its colour menu.

    Returns:
        The toolbar and its match-count label (objectName ``matchCount``).
    """
    bar = QToolBar("Search")
    bar.setObjectName("searchToolBar")
    bar.setMovable(False)
    bar.addWidget(box)
    match_label = QLabel()
    match_label.setObjectName("matchCount")
    match_label.setContentsMargins(10, 0, 10, 0)
    bar.addWidget(match_label)
    bar.addSeparator()
    button = QToolButton()
    button.setObjectName("highlightButton")
    button.setDefaultAction(highlight)
    button.setMenu(colours)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.addWidget(button)
    return bar, match_label


def add_notebook_dock(window: QMainWindow, notebook: QWidget, toggle: QAction) -> QDockWidget:
    """Dock ``notebook`` at the bottom of ``window``, hidden until ``toggle`` shows it (objectName ``notebookDock``)."""
    dock = QDockWidget("Notebook", window)
    dock.setObjectName("notebookDock")
    dock.setWidget(notebook)
    # Below everything: its rows are one long line each, and the pane keeps its reading width.
    dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resizeDocks([dock], [300], Qt.Orientation.Vertical)
    dock.hide()
    toggle.toggled.connect(dock.setVisible)
    dock.visibilityChanged.connect(lambda _visible: toggle.setChecked(not dock.isHidden()))
    return dock


def add_toggled_dock(window: QMainWindow, title: str, name: str, body: QWidget, toggle: QAction) -> QDockWidget:
    """Dock ``body`` at the bottom, hidden until ``toggle`` shows it; the action's tick follows the dock."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(body)
    dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    toggle.toggled.connect(dock.setVisible)
    dock.visibilityChanged.connect(lambda _visible: toggle.setChecked(not dock.isHidden()))
    return dock


def _titled(title: str, body: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 0, 0)
    label = QLabel(title)
    # Bold by font, not by a style sheet: a style sheet pins the label to the palette it had when it
    # was set, which left "Contents" black on the dark theme's grey.
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    layout.addWidget(label)
    layout.addWidget(body, 1)
    return box
