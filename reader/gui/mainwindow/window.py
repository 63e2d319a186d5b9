"""The main window: issue list and search on the left, the reading pane, contents and highlights.

It builds the models, views and controllers, hands each the action table to connect the commands
it owns (``bind_actions``), and moves between them (open an issue, a hit, a highlight). Its parts
are private; tests and tools find widgets by objectName. Around it: layout (splitters, toolbar,
dock), appearance (theme, font size), state (what is kept between starts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from reader.core import IssueNotFoundError, Job, Library
from reader.core.types import Citation, FileResult, SearchHit
from reader.gui.annotations.colours import ColourActions
from reader.gui.annotations.editor import AnnotationEditor
from reader.gui.annotations.highlight_model import HighlightsModel
from reader.gui.annotations.highlight_panel import HighlightsPanel
from reader.gui.annotations.notebook import AnnotationTransfer, NotebookPanel
from reader.gui.background.feeds import FeedController
from reader.gui.background.images import StoredImagesController
from reader.gui.background.imports import ImportController, dropped_paths
from reader.gui.background.job_runner import JobRunner
from reader.gui.background.schedule import RefreshSchedule
from reader.gui.background.tasks import TaskRunner
from reader.gui.background.upkeep import LibraryUpkeep
from reader.gui.commands.actions import build_menus, create_actions
from reader.gui.commands.shortcut_sheet import ShortcutsDialog
from reader.gui.issues.details import IssueDetails
from reader.gui.issues.flags import IssueFlags
from reader.gui.issues.model import ID_ROLE, IssueFilterProxy, IssueTableModel
from reader.gui.issues.panel import IssueListPanel
from reader.gui.issues.removal import IssueRemoval
from reader.gui.library.series_header import SeriesHeader
from reader.gui.library.shelf import ShelfController, ShelfParts
from reader.gui.library.sidebar import LibrarySidebar
from reader.gui.links.issue_links import IssueLinksTabs
from reader.gui.links.links_panel import LinksPanel
from reader.gui.links.timeline import TimelinePanel
from reader.gui.mainwindow.appearance import Appearance
from reader.gui.mainwindow.layout import (
    LibraryColumn,
    add_notebook_dock,
    add_toggled_dock,
    contents_view,
    main_splitter,
    search_toolbar,
    side_splitter,
)
from reader.gui.mainwindow.state import (
    last_reading_position,
    remember_search_sort,
    restore_layout,
    restore_search_sort,
    save_layout,
    save_reading_position,
)
from reader.gui.misc.dialogs import ImportFailuresDialog, show_about
from reader.gui.misc.single_instance import InstanceGuard
from reader.gui.reading.contents import TocModel, follow_contents
from reader.gui.reading.highlight_actions import AnnotationController
from reader.gui.reading.issue_view import IssueView
from reader.gui.reading.pane import ReadingPane
from reader.gui.review.history import HistoryImports
from reader.gui.review.view import ReviewView
from reader.gui.search.panel import SearchPanel
from reader.gui.utils.accessibility import name_parts, set_focus_order
from reader.gui.utils.change_signal import AppState

LIST_PAGE, SEARCH_PAGE = 0, 1
FIRST_PAGE = 200
"""Issues listed before the first paint; the rest are read in the background (a tall screen shows ~60)."""
OPEN_NEWEST_AFTER_MS = 250
"""After an import, the newest issue opens this long after the list was shown: at once, its layout
shared the CPU with the import's ending child and the list's and sidebar's reads (a 103-ms pause at
10,000 issues, ~25 ms alone)."""


class MainWindow(QMainWindow):
    """The reader's window. Services come in through the constructor; views listen to ``state``.

    Its children are its own: other code drives it through ``library``, ``action(key)`` and the
    commands below (open_issue, open_hit, open_highlight, import_paths, show_list, step_issue,
    receive_files, save_settings, adopt_instance_guard); tests find widgets by objectName.

    Args:
        library: the open Library.
        runner: the one TaskRunner for library work.
        settings: where window state and reading preferences are kept.
        state: the change signal shared by every view.
    """

    def __init__(self, library: Library, runner: TaskRunner, settings: QSettings, state: AppState) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Back Issue")
        self.setAcceptDrops(True)
        self.statusBar().setObjectName("statusBar")
        self._library, self._runner, self._settings, self._state = library, runner, settings, state
        self._guard: InstanceGuard | None = None
        self._actions = create_actions(self)
        menus = build_menus(self.menuBar(), self._actions)
        self._colours = _named("colourActions", ColourActions(library.color_labels, self))
        menus["&Issue"].insertMenu(self._actions["AddNote"], self._colours.menu)
        self._editor = _named("annotationEditor", AnnotationEditor(library, state, self))
        self._editor.bind_actions(self._actions)
        self._build_models()
        self._build_views()
        self._build_controllers()
        self._build_shelves()
        self._bind_own_actions()
        self._connect_signals()
        self._build_links()
        self._restore_settings()
        name_parts(self)  # accessible names by objectName (utils/accessibility.py)
        set_focus_order(self)
        self._issue_model.reload_first(FIRST_PAGE)
        self._start()

    @property
    def library(self) -> Library:
        """The open Library (the caller closes it after the window)."""
        return self._library

    def action(self, key: str) -> QAction:
        """The window's action for a key of actions.py's table ("Highlight", "ThemeDark"...)."""
        return self._actions[key]

    # -- construction ----------------------------------------------------------------------------
    def _build_models(self) -> None:
        lib = self._library
        self._issue_model = _named(
            "issueModel", IssueTableModel(
                lib.list_issues, lib.get_issue, self,
                read_in_background=self._runner.read, load_page=lambda count: lib.list_issues(limit=count),
            )
        )
        self._open_newest_when_listed = False
        # after the reloaded list is painted: opening an issue in the same turn doubles the pause
        self._issue_model.loaded.connect(lambda: QTimer.singleShot(OPEN_NEWEST_AFTER_MS, self._open_newest_if_due))
        self._issue_model.loaded.connect(self._select_open_issue)
        self._issue_proxy = _named("issueProxy", IssueFilterProxy(self._issue_model, self))
        self._issue_proxy.bind_actions(self._actions)
        self._toc_model = _named("tocModel", TocModel(self))
        self._highlights_model = _named("highlightsModel", HighlightsModel(
            lib.highlights, lambda: {c.key: c.hex for c in lib.color_labels()}, self
        ))

    def _build_views(self) -> None:
        act = self._actions
        self._list_panel = _named("issueListPanel", IssueListPanel(
            self._issue_proxy,
            [act["UnreadOnly"], act["StarredOnly"]],
            [act["ToggleRead"], act["ToggleStar"], act["TagIssues"], act["ArchiveIssues"], act["DeleteIssue"]],
        ))
        self._list_panel.follow_publications(self._issue_model)
        self._search_panel = _named("searchPanel", SearchPanel(
            self._search, self._runner, count=self._library.count, suggest=self._library.suggest_query
        ))
        self._search_panel.bind_actions(act)
        self._left = _named("leftStack", QStackedWidget())
        self._left.addWidget(self._list_panel)
        self._left.addWidget(self._search_panel)
        self._pane = ReadingPane()
        self._pane.bind_actions(act)
        self._toc_view = contents_view(self._toc_model)
        self._highlights_panel = _named("highlightsPanelBox", HighlightsPanel(self._highlights_model))
        self._side = side_splitter(self._toc_view, self._highlights_panel)
        self._splitter = main_splitter(self._library_column(), self._pane, self._side)
        self.setCentralWidget(self._splitter)
        self._follow_side_panel(act["SidePanel"])
        toolbar, self._match_label = search_toolbar(self._search_panel.box, act["Highlight"], self._colours.menu)
        self.addToolBar(toolbar)
        lib, runner = self._library, self._runner
        self._transfer = _named("annotationTransfer", AnnotationTransfer(lib, runner, self._state, self))
        self._transfer.bind_actions(act)
        self._notebook = NotebookPanel(lib, runner, self._transfer)
        add_notebook_dock(self, self._notebook, act["Notebook"])

    def _library_column(self) -> QWidget:
        """The library sidebar beside the series header and the list (#16), in the list's column: the
        main splitter's room rules (the pane keeps a readable width) stay as they were."""
        self._sidebar = LibrarySidebar()
        self._series_header = SeriesHeader()
        listing = QWidget()
        layout = QVBoxLayout(listing)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._series_header)
        layout.addWidget(self._left, 1)
        column = LibraryColumn(self._sidebar, listing)
        self._actions["FocusSidebar"].triggered.connect(column.show_sidebar)  # before the focus moves there
        return column

    def _build_shelves(self) -> None:
        parts = ShelfParts(self._sidebar, self._series_header, self._issue_proxy, self._list_panel,
                           self._search_panel, self._target_id)
        self._shelf = _named("shelfController", ShelfController(self._library, self._runner, self._state, parts, self))
        self._shelf.bind_actions(self._actions)
        self._shelf.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self._shelf.entry_shown.connect(lambda _entry: self.show_list())
        self._highlights_panel.menu_requested.connect(self._shelf.fill_highlight_menu)
        self._notebook.menu_requested.connect(self._shelf.fill_highlight_menu)
        self._pane.menu_requested.connect(self._shelf.fill_pane_menu)

    def _build_controllers(self) -> None:
        lib, runner, act = self._library, self._runner, self._actions
        self._jobs = _named("jobRunner", JobRunner(lib, runner, self))
        self._jobs.notice.connect(self.statusBar().showMessage)  # a job runs in the window: it may pause
        self._upkeep = _named("libraryUpkeep", LibraryUpkeep(lib, runner, self._jobs, self.statusBar(), self))
        self._importer = _named("importer", ImportController(self._jobs, self.statusBar(), self, self._settings))
        self._importer.bind_actions(act, self)
        self._feeds = _named("feeds", FeedController(lib, runner, self._importer, self._state, self))
        self._feeds.bind_actions(act)
        importer = self._importer
        self._schedule = _named("refreshSchedule", RefreshSchedule(
            self._settings, self._feeds.refresh_on_schedule, lambda: importer.running, self
        ))
        self._schedule.bind_actions(act)
        self._issue_view = _named("issueView", IssueView(
            lib, self._state, self._pane, self._toc_model, self._highlights_model, self._editor, self, runner,
        ))
        self._issue_view.bind_actions(act)
        self._images = _named("storedImages", StoredImagesController(lib, runner, self._state, self))
        self._images.bind_actions(act)
        self._pane.image_fetch_requested.connect(self._fetch_image)
        self._flags = _named("issueFlags", IssueFlags(
            lib, runner, self._state, self._issue_model, self._target_id, self
        ))
        self._flags.bind_actions(act)
        self._annotations = _named("annotations", AnnotationController(
            self, lib, self._settings, self._editor, self._issue_view, self._highlights_panel, self._colours
        ))
        self._annotations.bind_actions(act, self._pane)
        self._build_issue_commands()
        self._appearance = _named(
            "appearance", Appearance(self, self._settings, self._pane, self._search_panel, act)
        )
        self._build_review(act)

    # -- daily review and importing from other readers (#18) ------------------------------------
    def _build_review(self, act: dict[str, QAction]) -> None:
        self._review: ReviewView | None = None
        act["Review"].triggered.connect(self.show_review)
        self._history = _named("historyImports", HistoryImports(self._library, self._runner, self))
        self._history.bind_actions(act)
        self._history.changed.connect(self._state.publish)
        self._history.message.connect(lambda text: self.statusBar().showMessage(text, 10000))

    def show_review(self) -> ReviewView:
        """Open the daily review (a focused view; one at a time)."""
        if self._review is None:
            self._review = ReviewView(self._library, self._runner, self)
            self._review.changed.connect(self._state.publish)
            self._review.open_requested.connect(self.open_highlight)
            self._review.finished.connect(self._forget_review)
        self._review.show()
        self._review.raise_()
        self._review.activateWindow()
        return self._review

    def _forget_review(self) -> None:
        if self._review is not None:
            self._review.deleteLater()
            self._review = None

    def _build_issue_commands(self) -> None:
        """Delete… (the list's selection, undoable) and Edit Details…, on the issue the list or the pane shows."""
        lib, act = self._library, self._actions
        self._removal = _named("issueRemoval", IssueRemoval(
            lib, self._state, self._editor.stack, self._issue_view, self._target_ids, self.open_issue,
            self.statusBar(), self,
        ))
        self._removal.bind_actions(act, [self._list_panel, self._pane])
        self._removal.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self._details = _named("issueDetails", IssueDetails(
            lib, self._state, self._target_id, lambda: self._issue_view.issue.id if self._issue_view.issue else None,
            lambda issue_id: self._issue_view.open(issue_id, mark_read=False), self,
        ))
        self._details.bind_actions(act)
        self._details.message.connect(lambda text: self.statusBar().showMessage(text, 6000))

    def _bind_own_actions(self) -> None:
        """The commands the window runs itself: moving through the list, quitting, its dialogs."""
        handlers: dict[str, Callable[[], object]] = {
            "Quit": self.close,
            "NextIssue": lambda: self.step_issue(+1),
            "PreviousIssue": lambda: self.step_issue(-1),
            "FocusList": self.show_list,
            "Shortcuts": lambda: ShortcutsDialog(self).open(),
            "About": lambda: show_about(self),
        }
        for key, handler in handlers.items():
            self._actions[key].triggered.connect(handler)

    def _connect_signals(self) -> None:
        for listener in (self._issue_model, self._highlights_model, self._issue_view, self._notebook):
            self._state.changed.connect(listener.apply_changes)
        self._importer.changed.connect(self._state.publish)
        self._importer.failed_files.connect(self._show_failures)
        self._importer.error.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self._importer.finished.connect(lambda _report: self._open_newest_when_loaded())
        self._list_panel.issue_activated.connect(self._show_issue)
        self._search_panel.hit_activated.connect(self.open_hit)
        self._search_panel.active_changed.connect(self._on_search_active)
        remember_search_sort(self._settings, self._search_panel)
        follow_contents(self._toc_view, self._toc_model, self._pane)
        self._pane.link_refused.connect(self._on_link_refused)
        self._pane.status.connect(self.statusBar().showMessage)
        self._issue_view.matches_changed.connect(self._on_matches_changed)
        self._issue_view.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self._issue_view.opened.connect(self._on_opened)
        self._issue_view.issue_note_changed.connect(self._highlights_panel.set_issue_note)
        self._connect_annotations()

    def _connect_annotations(self) -> None:
        notes = self._annotations
        for source in (self._editor, notes, self._transfer, self._feeds, self._flags, self._images):
            source.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self._pane.mark_clicked.connect(notes.on_mark_clicked)
        self._pane.menu_requested.connect(notes.fill_pane_menu)
        self._highlights_panel.highlight_clicked.connect(lambda h: notes.go_to(h.id))
        self._highlights_panel.delete_requested.connect(notes.delete)
        self._highlights_panel.menu_requested.connect(notes.fill_highlight_menu)
        notes.labels_changed.connect(lambda: self._notebook.set_colours(self._colours.colours))
        self._notebook.highlight_activated.connect(self.open_highlight)
        self._notebook.menu_requested.connect(notes.fill_highlight_menu)

    # -- links, related issues, topics over time (issue #17) --------------------------------------
    def _build_links(self) -> None:
        lib, runner, act = self._library, self._runner, self._actions
        self._links_panel = LinksPanel(lib, runner)
        self._links_dock = add_toggled_dock(self, "Links", "linksDock", self._links_panel, act["LinksView"])
        self._timeline = TimelinePanel(lib, runner)
        self._timeline_dock = add_toggled_dock(self, "Topics over Time", "timelineDock", self._timeline,
                                               act["Timeline"])
        self._issue_links = IssueLinksTabs(lib, runner)
        self._side.addWidget(self._issue_links)
        self._side.setSizes([200, 260, 340])  # restore_layout (after this) puts back the person's own sizes
        self._state.changed.connect(self._links_panel.apply_changes)
        self._links_panel.citation_chosen.connect(self.open_citation)
        self._issue_links.citation_chosen.connect(self.open_citation)
        self._issue_links.issue_chosen.connect(self.open_issue)
        self._issue_links.work_chosen.connect(self._show_work)
        self._issue_view.opened.connect(self._issue_links.show_issue)
        act["Timeline"].toggled.connect(self._draw_timeline)

    def open_citation(self, citation: Citation) -> bool:
        """Open the citing issue and scroll the pane to the link (flashing it)."""
        if not self._show_issue(citation.issue_id):
            return False
        if citation.start < 0:
            return True
        return self._issue_view.reveal_span(citation.start, citation.start + max(len(citation.anchor), 1))

    def _draw_timeline(self, shown: bool) -> None:
        """Shown: draw the search of the results on the left (else what the timeline's box holds)."""
        if shown:
            self._timeline.show_query(self._search_panel.query or self._timeline.box.text())

    def _show_work(self, key: str) -> None:
        self._actions["LinksView"].setChecked(True)
        self._links_panel.choose(key)

    def _start(self) -> None:
        self._shelf.refresh_now()
        if self._library.is_empty():
            self._importer.start(Job.import_samples(), "Importing the sample newsletters…")
        else:
            self._upkeep.rebuild_index_if_needed()
            self._upkeep.scan_links_if_needed()
            self._restore_last_issue()
        self._upkeep.show_health()  # e.g. a backup that failed verification: says so until one succeeds
        self._upkeep.back_up_if_due()  # after whatever the start queued: the worker runs tasks in order

    def _restore_last_issue(self) -> None:
        last, scroll = last_reading_position(self._settings)
        if last and self._is_stored(last) and self.open_issue(last):
            QTimer.singleShot(0, lambda: self._pane.verticalScrollBar().setValue(scroll))

    def _is_stored(self, issue_id: str) -> bool:
        """Whether the library holds the issue (the list may show only its first page yet)."""
        if self._issue_model.row_of(issue_id) is not None:
            return True
        try:
            self._library.get_issue(issue_id)
        except IssueNotFoundError:
            return False
        return True

    def _select_open_issue(self) -> None:
        """Once the whole list is read: the open issue's row is current if no other row is."""
        issue = self._issue_view.issue
        if issue is not None and self._list_panel.current_issue_id() is None:
            self._list_panel.select_issue(issue.id, self._issue_model.row_of(issue.id))

    # -- commands --------------------------------------------------------------------------------
    def open_issue(self, issue_id: str) -> bool:
        """Show an issue in the pane (and mark it read)."""
        return self._issue_view.open(issue_id)

    def open_hit(self, hit: SearchHit, query: str) -> None:
        """Open a search result's issue and mark every match of the query in it."""
        if not self._show_issue(hit.id):
            return
        self._issue_view.mark_matches(query)
        if hit.highlight_id:
            self._annotations.go_to(hit.highlight_id)

    def open_highlight(self, issue_id: str, highlight_id: str = "") -> bool:
        """Open an issue (unless it is shown) and go to one of its highlights ("" = just open it)."""
        if not self._show_issue(issue_id):
            return False
        return self._annotations.go_to(highlight_id) if highlight_id else True

    def import_paths(self, paths: list[str]) -> None:
        """Import files and folders in the background."""
        if paths:
            self._importer.import_paths(paths)

    def show_list(self) -> None:
        """Show the issue list and focus it."""
        self._left.setCurrentIndex(LIST_PAGE)
        self._list_panel.table.setFocus()

    def step_issue(self, delta: int) -> None:
        """Open the next (+1) or previous (-1) issue of the list."""
        self._left.setCurrentIndex(LIST_PAGE)
        shown = self._issue_view.issue
        issue_id = self._list_panel.step(delta, self._issue_model.row_of(shown.id) if shown else None)
        if issue_id:
            self.open_issue(issue_id)

    def adopt_instance_guard(self, guard: InstanceGuard) -> None:
        """Hold the library's window lock while open; files sent by later starts are imported here."""
        self._guard = guard
        guard.setParent(self)
        guard.files_received.connect(self.receive_files)

    def receive_files(self, paths: list[str]) -> None:
        """Another start of the app handed us files: import them and come to the front."""
        self.import_paths(paths)
        self.show()
        self.raise_()
        self.activateWindow()

    def save_settings(self) -> None:
        """Remember the window's geometry, splitters and the open issue with its scroll position."""
        save_layout(self._settings, self, self._splitter, self._side)
        issue = self._issue_view.issue
        save_reading_position(self._settings, issue.id if issue else "", self._pane.verticalScrollBar().value())
        self._settings.sync()

    # -- Qt overrides ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self._importer.drop_queue()
        self._importer.cancel()
        self._jobs.shut_down()
        self._runner.shut_down()
        if self._guard is not None:
            self._guard.release()
        super().closeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- internals -------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        restore_layout(self._settings, self, self._splitter, self._side)
        self._actions["SidePanel"].setChecked(self._splitter.side_shown())
        self._appearance.restore()
        restore_search_sort(self._settings, self._search_panel)

    def _follow_side_panel(self, action: QAction) -> None:
        """View > Contents and Highlights Panel opens/collapses it; its tick follows drags and small windows."""
        action.setChecked(True)
        action.toggled.connect(self._splitter.show_side)
        sync = lambda *_: action.setChecked(self._splitter.side_shown())  # noqa: E731
        self._splitter.splitterMoved.connect(sync)
        self._splitter.fitted.connect(sync)

    def _search(self, query: str, sort: str, limit: int) -> list[SearchHit]:
        return self._library.search(query, limit=limit, sort="date" if sort == "date" else "score")

    def _show_issue(self, issue_id: str) -> bool:
        """Open the issue unless it is the one shown; False when it could not be opened."""
        shown = self._issue_view.issue
        return (shown is not None and shown.id == issue_id) or self.open_issue(issue_id)

    def _target_ids(self) -> list[str]:
        """The issues Delete, Tags and Archive act on: the list's selection, else the open issue."""
        ids = self._list_panel.selected_ids()
        if not ids and (issue_id := self._target_id()) is not None:
            ids = [issue_id]
        return ids

    def _target_id(self) -> str | None:
        """The issue "m" and "s" act on: the list's current row, else the open issue."""
        issue_id = self._list_panel.current_issue_id()
        if issue_id is None and self._issue_view.issue is not None:
            issue_id = self._issue_view.issue.id
        return issue_id

    def _open_newest_when_loaded(self) -> None:
        """After an import, open the list's first (newest) issue if none is open, once the list has it."""
        self._open_newest_when_listed = self._issue_view.issue is None
        if not self._issue_model.loading:
            QTimer.singleShot(OPEN_NEWEST_AFTER_MS, self._open_newest_if_due)

    def _open_newest_if_due(self) -> None:
        if not self._open_newest_when_listed or not self._issue_proxy.rowCount():
            return
        self._open_newest_when_listed = False
        if self._issue_view.issue is None:
            self.open_issue(str(self._issue_proxy.index(0, 0).data(ID_ROLE)))

    def _on_opened(self, issue_id: str) -> None:
        self._issue_model.set_local(issue_id, read=True)
        issue = self._issue_view.issue
        self.setWindowTitle(f"{issue.title} — Back Issue" if issue else "Back Issue")
        if self._list_panel.current_issue_id() != issue_id:
            self._list_panel.select_issue(issue_id, self._issue_model.row_of(issue_id))

    def _on_search_active(self, active: bool) -> None:
        if active:
            self._left.setCurrentIndex(SEARCH_PAGE)
        else:
            self._issue_view.clear_matches()
            self.show_list()

    def _on_matches_changed(self, current: int, count: int) -> None:
        self._match_label.setText(f"{current + 1} of {count}" if count else "")

    def _fetch_image(self, url: str) -> None:
        """Fetch on a placeholder of the open issue: that one image, in the background."""
        issue = self._issue_view.issue
        if issue is not None:
            self._images.fetch(issue.id, url)

    def _on_link_refused(self, url: str) -> None:
        self.statusBar().showMessage(f"Back Issue opens only web and e-mail links; not opened: {url}", 8000)

    def _show_failures(self, failed: tuple[FileResult, ...], item: str) -> None:
        ImportFailuresDialog(failed, self, item).open()


_Named = TypeVar("_Named", bound=QObject)


def _named(name: str, child: _Named) -> _Named:
    """``child`` with its objectName set (tests and tools find the window's parts by name)."""
    child.setObjectName(name)
    return child
