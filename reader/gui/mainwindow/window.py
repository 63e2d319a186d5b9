"""The main window: issue list and search on the left, the reading pane, contents and highlights.

It builds the models, views and controllers and moves between them (open an issue, a hit, a
highlight). Around it: window_layout (splitters, toolbar, dock), action_wiring (what each menu
command does), appearance (theme, font size), window_state (what is kept between starts),
issue_flags (read/star), library_upkeep (index rebuild, backup), import_controller (imports).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QStackedWidget,
)

from reader.core import Job, Library
from reader.core.types import FileResult, SearchHit
from reader.gui.annotations.colours import ColourActions
from reader.gui.annotations.editor import AnnotationEditor
from reader.gui.annotations.highlight_model import HighlightsModel
from reader.gui.annotations.highlight_panel import HighlightsPanel
from reader.gui.annotations.notebook import AnnotationTransfer, NotebookPanel
from reader.gui.background.feeds import FeedController
from reader.gui.background.imports import ImportController, dropped_paths
from reader.gui.background.job_runner import JobRunner
from reader.gui.background.tasks import TaskRunner
from reader.gui.background.upkeep import LibraryUpkeep
from reader.gui.commands.actions import build_menus, create_actions
from reader.gui.issues.flags import IssueFlags
from reader.gui.issues.model import ID_ROLE, IssueFilterProxy, IssueTableModel
from reader.gui.issues.panel import IssueListPanel
from reader.gui.mainwindow.appearance import Appearance
from reader.gui.mainwindow.layout import add_notebook_dock, contents_view, main_splitter, search_toolbar, side_splitter
from reader.gui.mainwindow.state import (
    last_reading_position,
    remember_search_sort,
    restore_layout,
    restore_search_sort,
    save_layout,
    save_reading_position,
)
from reader.gui.mainwindow.wiring import connect_actions
from reader.gui.misc.dialogs import ImportFailuresDialog
from reader.gui.misc.single_instance import InstanceGuard
from reader.gui.reading.contents import TocModel, follow_contents
from reader.gui.reading.highlight_actions import AnnotationController
from reader.gui.reading.issue_view import IssueView
from reader.gui.reading.pane import ReadingPane
from reader.gui.search.panel import SearchPanel
from reader.gui.utils.change_signal import AppState

LIST_PAGE, SEARCH_PAGE = 0, 1


class MainWindow(QMainWindow):
    """The reader's window. Services come in through the constructor; views listen to ``state``.

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
        self.library, self.runner, self.settings, self.state = library, runner, settings, state
        self._guard: InstanceGuard | None = None
        self.actions_by_key = create_actions(self)
        self.menus = build_menus(self.menuBar(), self.actions_by_key)
        self.colours = ColourActions(library.color_labels, self)
        self.menus["&Issue"].insertMenu(self.actions_by_key["AddNote"], self.colours.menu)
        self.editor = AnnotationEditor(library, state, self)
        self._build_models()
        self._build_views()
        self._build_controllers()
        connect_actions(self)
        self._connect_signals()
        self._restore_settings()
        self.issue_model.reload()
        self._start()

    # -- construction ----------------------------------------------------------------------------
    def _build_models(self) -> None:
        lib = self.library
        self.issue_model = IssueTableModel(
            lib.list_issues, lib.get_issue, self, read_in_background=self.runner.read
        )
        self._open_newest_when_listed = False
        # after the reloaded list is painted: opening an issue in the same turn doubles the pause
        self.issue_model.loaded.connect(lambda: QTimer.singleShot(0, self._open_newest_if_due))
        self.issue_proxy = IssueFilterProxy(self.issue_model, self)
        self.toc_model = TocModel(self)
        self.highlights_model = HighlightsModel(
            lib.highlights, lambda: {c.key: c.hex for c in lib.color_labels()}, self
        )

    def _build_views(self) -> None:
        act = self.actions_by_key
        self.list_panel = IssueListPanel(
            self.issue_proxy,
            [act["UnreadOnly"], act["StarredOnly"]],
            [act["ToggleRead"], act["ToggleStar"]],
        )
        self.list_panel.follow_publications(self.issue_model)
        self.search_panel = SearchPanel(self._search, self.runner)
        self.left = QStackedWidget()
        self.left.addWidget(self.list_panel)
        self.left.addWidget(self.search_panel)
        self.pane = ReadingPane()
        self.toc_view = contents_view(self.toc_model)
        self.highlights_panel = HighlightsPanel(self.highlights_model)
        self.highlights_view = self.highlights_panel.view
        self.side = side_splitter(self.toc_view, self.highlights_panel)
        self.splitter = main_splitter(self.left, self.pane, self.side)
        self.setCentralWidget(self.splitter)
        self._follow_side_panel(self.actions_by_key["SidePanel"])
        toolbar, self.match_label = search_toolbar(
            self.search_panel.box, self.actions_by_key["Highlight"], self.colours.menu
        )
        self.addToolBar(toolbar)
        self.transfer = AnnotationTransfer(self.library, self.runner, self.state, self)
        self.notebook = NotebookPanel(self.library, self.runner, self.transfer)
        self.notebook_dock = add_notebook_dock(self, self.notebook)

    def _build_controllers(self) -> None:
        self.jobs = JobRunner(self.library, self.runner, self)
        self.jobs.notice.connect(self.statusBar().showMessage)  # a job runs in the window: it may pause
        self.upkeep = LibraryUpkeep(self.library, self.runner, self.jobs, self.statusBar(), self)
        self.index_status = self.upkeep.index_status
        self.importer = ImportController(self.jobs, self.statusBar(), self)
        self.feeds = FeedController(self.library, self.runner, self.importer, self.state, self)
        self.issue_view = IssueView(
            self.library, self.state, self.pane, self.toc_model, self.highlights_model, self.editor, self,
            self.runner,
        )
        self.flags = IssueFlags(self.library, self.runner, self.state, self.issue_model, self._target_id, self)
        self.annotations = AnnotationController(
            self, self.library, self.settings, self.editor, self.issue_view, self.highlights_panel, self.colours
        )
        self.annotations.highlight_action = self.actions_by_key["Highlight"]
        self.annotations.set_last_colour(self.annotations.last_colour)
        self.appearance = Appearance(self, self.settings, self.pane, self.search_panel, self.actions_by_key)

    def _connect_signals(self) -> None:
        for listener in (self.issue_model, self.highlights_model, self.issue_view, self.notebook):
            self.state.changed.connect(listener.apply_changes)
        self.importer.changed.connect(self.state.publish)
        self.importer.failed_files.connect(self._show_failures)
        self.importer.error.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.importer.finished.connect(lambda _report: self._open_newest_when_loaded())
        self.list_panel.issue_activated.connect(self._show_issue)
        self.search_panel.hit_activated.connect(self.open_hit)
        self.search_panel.active_changed.connect(self._on_search_active)
        remember_search_sort(self.settings, self.search_panel)
        follow_contents(self.toc_view, self.toc_model, self.pane)
        self.pane.link_refused.connect(self._on_link_refused)
        self.issue_view.matches_changed.connect(self._on_matches_changed)
        self.issue_view.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.issue_view.opened.connect(self._on_opened)
        self.issue_view.issue_note_changed.connect(self.highlights_panel.set_issue_note)
        self._connect_annotations()

    def _connect_annotations(self) -> None:
        notes = self.annotations
        for source in (self.editor, notes, self.transfer, self.feeds, self.flags):
            source.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.pane.mark_clicked.connect(notes.on_mark_clicked)
        self.pane.menu_requested.connect(notes.fill_pane_menu)
        self.highlights_panel.highlight_clicked.connect(lambda h: notes.go_to(h.id))
        self.highlights_panel.delete_requested.connect(notes.delete)
        self.highlights_panel.menu_requested.connect(notes.fill_highlight_menu)
        notes.labels_changed.connect(lambda: self.notebook.set_colours(self.colours.colours))
        self.notebook.highlight_activated.connect(self.open_highlight)
        self.notebook.menu_requested.connect(notes.fill_highlight_menu)

    def _start(self) -> None:
        if self.library.is_empty():
            self.importer.start(Job.import_samples(), "Importing the sample newsletters…")
        else:
            self.upkeep.rebuild_index_if_needed()
            self._restore_last_issue()
        self.upkeep.back_up_if_due()  # after whatever the start queued: the worker runs tasks in order

    def _restore_last_issue(self) -> None:
        last, scroll = last_reading_position(self.settings)
        if last and self.issue_model.row_of(last) is not None and self.open_issue(last):
            QTimer.singleShot(0, lambda: self.pane.verticalScrollBar().setValue(scroll))

    # -- commands --------------------------------------------------------------------------------
    def open_issue(self, issue_id: str) -> bool:
        """Show an issue in the pane (and mark it read)."""
        return self.issue_view.open(issue_id)

    def open_hit(self, hit: SearchHit, query: str) -> None:
        """Open a search result's issue and mark every match of the query in it."""
        if not self._show_issue(hit.id):
            return
        self.issue_view.mark_matches(query)
        if hit.highlight_id:
            self.annotations.go_to(hit.highlight_id)

    def open_highlight(self, issue_id: str, highlight_id: str = "") -> bool:
        """Open an issue (unless it is shown) and go to one of its highlights ("" = just open it)."""
        if not self._show_issue(issue_id):
            return False
        return self.annotations.go_to(highlight_id) if highlight_id else True

    def import_paths(self, paths: list[str]) -> None:
        """Import files and folders in the background."""
        if paths:
            self.importer.import_paths(paths)

    def show_list(self) -> None:
        """Show the issue list and focus it."""
        self.left.setCurrentIndex(LIST_PAGE)
        self.list_panel.table.setFocus()

    def step_issue(self, delta: int) -> None:
        """Open the next (+1) or previous (-1) issue of the list."""
        self.left.setCurrentIndex(LIST_PAGE)
        shown = self.issue_view.issue
        issue_id = self.list_panel.step(delta, self.issue_model.row_of(shown.id) if shown else None)
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
        save_layout(self.settings, self, self.splitter, self.side)
        issue = self.issue_view.issue
        save_reading_position(self.settings, issue.id if issue else "", self.pane.verticalScrollBar().value())
        self.settings.sync()

    # -- Qt overrides ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.importer.cancel()
        self.jobs.shut_down()
        self.runner.shut_down()
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
        restore_layout(self.settings, self, self.splitter, self.side)
        self.actions_by_key["SidePanel"].setChecked(self.splitter.side_shown())
        self.appearance.restore()
        restore_search_sort(self.settings, self.search_panel)

    def _follow_side_panel(self, action: QAction) -> None:
        """View > Contents and Highlights Panel opens/collapses it; its tick follows drags and small windows."""
        action.setChecked(True)
        action.toggled.connect(self.splitter.show_side)
        sync = lambda *_: action.setChecked(self.splitter.side_shown())  # noqa: E731
        self.splitter.splitterMoved.connect(sync)
        self.splitter.fitted.connect(sync)

    def _search(self, query: str, sort: str, limit: int) -> list[SearchHit]:
        return self.library.search(query, limit=limit, sort="date" if sort == "date" else "score")

    def _show_issue(self, issue_id: str) -> bool:
        """Open the issue unless it is the one shown; False when it could not be opened."""
        shown = self.issue_view.issue
        return (shown is not None and shown.id == issue_id) or self.open_issue(issue_id)

    def _target_id(self) -> str | None:
        """The issue "m" and "s" act on: the list's current row, else the open issue."""
        issue_id = self.list_panel.current_issue_id()
        if issue_id is None and self.issue_view.issue is not None:
            issue_id = self.issue_view.issue.id
        return issue_id

    def _open_newest_when_loaded(self) -> None:
        """After an import, open the list's first (newest) issue if none is open, once the list has it."""
        self._open_newest_when_listed = self.issue_view.issue is None
        if not self.issue_model.loading:
            self._open_newest_if_due()

    def _open_newest_if_due(self) -> None:
        if not self._open_newest_when_listed or not self.issue_proxy.rowCount():
            return
        self._open_newest_when_listed = False
        if self.issue_view.issue is None:
            self.open_issue(str(self.issue_proxy.index(0, 0).data(ID_ROLE)))

    def _on_opened(self, issue_id: str) -> None:
        self.issue_model.set_local(issue_id, read=True)
        issue = self.issue_view.issue
        self.setWindowTitle(f"{issue.title} — Back Issue" if issue else "Back Issue")
        if self.list_panel.current_issue_id() != issue_id:
            self.list_panel.select_issue(issue_id, self.issue_model.row_of(issue_id))

    def _on_search_active(self, active: bool) -> None:
        if active:
            self.left.setCurrentIndex(SEARCH_PAGE)
        else:
            self.issue_view.clear_matches()
            self.show_list()

    def _on_matches_changed(self, current: int, count: int) -> None:
        self.match_label.setText(f"{current + 1} of {count}" if count else "")

    def _on_link_refused(self, url: str) -> None:
        self.statusBar().showMessage(f"Back Issue opens only web and e-mail links; not opened: {url}", 8000)

    def _show_failures(self, failed: tuple[FileResult, ...], item: str) -> None:
        ImportFailuresDialog(failed, self, item).open()
