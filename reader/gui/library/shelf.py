"""What choosing a sidebar entry does, and the commands on shelves, tags and the archive.

Counts are read on the reader thread (SQL aggregates; the smart lists' counts after them, as they
run searches), on every published Changes, at most every ``REFRESH_MS``. The chosen entry filters the
issue list through the proxy (``IssueFilterProxy.set_shelf``), so the list's own rows, sort and
current issue stay; a smart list's issues are read on the thread too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QInputDialog, QMenu, QMessageBox, QWidget

from reader.core import Library, ReaderError
from reader.core.types import Changes, Highlight, IssueSummary, LibraryCounts, SmartList
from reader.gui.background.tasks import TaskRunner
from reader.gui.issues.model import DATE, NUMBER, IssueFilterProxy
from reader.gui.issues.panel import IssueListPanel
from reader.gui.library.dialogs import SmartListDialog, TagsDialog
from reader.gui.library.series_header import SeriesHeader
from reader.gui.library.sidebar import Entry, LibrarySidebar
from reader.gui.search.panel import SearchPanel
from reader.gui.utils.change_signal import AppState

REFRESH_MS = 150
"""Changes arriving within this time become one refresh of the counts."""


class ShelfController(QObject):
    """Keeps the sidebar's counts live and shows the chosen entry's issues in the list.

    Signals:
        entry_shown(Entry): an entry was chosen; the window shows the issue list.
        message(str): something to say in the status bar.
    """

    entry_shown = Signal(object)
    message = Signal(str)

    def __init__(
        self, library: Library, runner: TaskRunner, state: AppState, parts: ShelfParts, parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._library, self._runner, self._state, self._parts = library, runner, state, parts
        self._window = parent
        self._archived: set[str] = set()
        self._members: dict[str, frozenset[str]] = {}  # each smart list's issues at the last count
        self._entry = Entry("all")
        self._generation = 0
        self._sorted_for_series = False
        self._list_sort = "score"
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh_now)
        parts.sidebar.entry_chosen.connect(self.choose)
        parts.sidebar.menu_requested.connect(self._fill_entry_menu)
        parts.header.order_changed.connect(self._order_series)
        parts.search.sort_changed.connect(self._remember_sort)
        parts.list_panel.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        state.changed.connect(self.apply_changes)

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Run SaveSmartList, TagIssues, ArchiveIssues and FocusSidebar (DeleteIssue is IssueRemoval's)."""
        actions["SaveSmartList"].triggered.connect(self.save_search)
        actions["TagIssues"].triggered.connect(self.tag_selected)
        actions["ArchiveIssues"].triggered.connect(self.archive_selected)
        sidebar = self._parts.sidebar
        actions["FocusSidebar"].triggered.connect(lambda: sidebar.setFocus(Qt.FocusReason.ShortcutFocusReason))

    # -- counts ----------------------------------------------------------------------------------
    def apply_changes(self, changes: Changes) -> None:
        """Refresh the counts soon (several changes in a row make one refresh)."""
        if not changes.empty:
            self._timer.start()

    def refresh_now(self) -> None:
        """Read the counts on the reader thread and show them; then the smart lists' counts."""
        lib = self._library
        self._runner.read(lambda: (lib.library_counts(), lib.smart_lists(), lib.archived_ids()), self._on_counts)

    def _on_counts(self, result: tuple[LibraryCounts, list[SmartList], set[str]] | None,
                   error: BaseException | None) -> None:
        if result is None or error is not None:
            return
        counts, lists, archived = result
        self._parts.sidebar.show_counts(counts, lists)
        archive_moved = archived != self._archived
        self._archived = archived
        current = self._parts.sidebar.current_entry() or Entry("all")
        if current != self._entry or current.kind in ("smart", "tag", "publication") or archive_moved:
            self.choose(current, announce=False)
        self._runner.read(self._library.smart_list_members, self._on_list_members)

    def _on_list_members(self, result: dict[str, frozenset[str]] | None, error: BaseException | None) -> None:
        if result is not None and error is None:
            self._members = result
            self._parts.sidebar.set_list_counts({name: len(ids) for name, ids in result.items()})

    # -- choosing an entry -----------------------------------------------------------------------
    def choose(self, entry: Entry, announce: bool = True) -> None:
        """Show the entry's issues in the list (and a publication's series header)."""
        again = entry == self._entry
        self._entry = entry
        self._generation += 1
        archived = self._archived
        plain: dict[str, Callable[[IssueSummary], bool]] = {
            "all": lambda s: s.id not in archived,
            "unread": lambda s: not s.read and s.id not in archived,
            "starred": lambda s: s.starred,
            "highlights": lambda s: s.highlight_count > 0,
            "archived": lambda s: s.id in archived,
        }
        if entry.kind in plain:
            self._filter(entry, plain[entry.kind])
        elif entry.kind == "publication":
            self._filter(entry, lambda s: s.publication == entry.name)
        elif entry.kind == "tag":
            self._read_ids(entry, lambda: self._library.tagged_issue_ids(entry.name))
        elif entry.kind == "smart" and entry.name:
            # What the last count found shows at once (a search of 10,000 issues takes a while);
            # the list is read again meanwhile and the rows follow if it changed.
            known = self._members.get(entry.name)
            if known is not None:
                self._filter(entry, lambda s: s.id in known)
            self._read_ids(entry, lambda: self._library.smart_list_issue_ids(entry.name), known)
        self._show_header(entry, sort=not again or announce)
        if announce:
            self.entry_shown.emit(entry)

    def _filter(self, entry: Entry, accept: Callable[[IssueSummary], bool]) -> None:
        self._parts.proxy.set_shelf((entry, self._generation), accept)

    def _read_ids(self, entry: Entry, read: Callable[[], list[str]], shown: frozenset[str] | None = None) -> None:
        generation = self._generation

        def done(ids: list[str] | None, error: BaseException | None) -> None:
            if generation != self._generation:
                return  # another entry was chosen meanwhile
            if error is not None:
                self.message.emit(str(error))
            wanted = frozenset(ids or ())
            if wanted == shown:
                return  # the rows shown from the last count are the list's
            self._parts.proxy.set_shelf((entry, generation, "read"), lambda s: s.id in wanted)

        self._runner.read(read, done)

    def _show_header(self, entry: Entry, sort: bool) -> None:
        header, table = self._parts.header, self._parts.list_panel.table
        if entry.kind != "publication":
            header.hide()
            if self._sorted_for_series:
                self._sorted_for_series = False
                table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
            return
        generation = self._generation

        def done(series: Any, error: BaseException | None) -> None:
            if generation == self._generation and error is None and series is not None:
                header.show_series(series)

        self._runner.read(lambda: self._library.series(entry.name), done)
        if sort:
            self._order_series(header.order.currentData())

    def _order_series(self, order: str) -> None:
        if self._entry.kind != "publication":
            return
        self._sorted_for_series = True
        table = self._parts.list_panel.table
        if order == "number":
            table.sortByColumn(NUMBER, Qt.SortOrder.AscendingOrder)
        else:
            table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)

    # -- commands --------------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        """The issues selected in the list, else the issue the commands act on (the open one)."""
        ids = self._parts.list_panel.selected_ids()
        if not ids and (target := self._parts.target()) is not None:
            ids = [target]
        return ids

    def save_search(self) -> None:
        """Save the search box's query, with the results' order, as a smart list."""
        search = self._parts.search
        query = search.query or search.box.text().strip()
        if not query:
            self.message.emit("Type a search first; then save it as a smart list.")
            return
        self._edit_list(SmartList(query[:60], query, "score" if self._list_sort == "score" else "date"), None)

    def _edit_list(self, smart: SmartList, old_name: str | None) -> None:
        dialog = SmartListDialog(smart, "Edit Smart List" if old_name else "Save as Smart List", self._window)
        while dialog.exec() == SmartListDialog.DialogCode.Accepted:
            wanted = dialog.smart_list()
            try:
                if old_name is None:
                    saved = self._library.create_smart_list(wanted.name, wanted.query, wanted.sort)
                else:
                    saved = self._library.update_smart_list(old_name, new_name=wanted.name, query=wanted.query,
                                                            sort=wanted.sort)
            except ReaderError as exc:
                QMessageBox.warning(self._window, "Smart List", str(exc))
                continue
            self.message.emit(f"Smart list “{saved.name}” saved")
            self._after_lists_changed(Entry("smart", saved.name))
            return

    def _after_lists_changed(self, choose: Entry | None = None) -> None:
        lib = self._library

        def done(result: Any, error: BaseException | None) -> None:
            self._on_counts(result, error)
            if choose is not None:
                self._parts.sidebar.choose(choose)

        self._runner.read(lambda: (lib.library_counts(), lib.smart_lists(), lib.archived_ids()), done)

    def tag_selected(self) -> None:
        """Add and remove tags on the selected issues (completion offers the library's tags)."""
        ids = self.selected_ids()
        if not ids:
            self.message.emit("Choose an issue to tag.")
            return
        current = sorted({tag for issue_id in ids for tag in self._library.issue_tags(issue_id)})
        what = "this issue" if len(ids) == 1 else f"{len(ids)} issues"
        self._run_tags_dialog(what, current, lambda add, remove: self._tag_issues(ids, add, remove))

    def tag_highlight(self, highlight: Highlight) -> None:
        """Add and remove tags on one highlight."""
        current = self._library.highlight_tags(highlight.issue_id).get(highlight.id, [])

        def apply(add: list[str], remove: list[str]) -> Changes:
            changes = Changes()
            if add:
                changes |= self._library.tag_highlight(highlight.id, add)
            if remove:
                changes |= self._library.untag_highlight(highlight.id, remove)
            return changes

        self._run_tags_dialog("this highlight", current, apply)

    def _tag_issues(self, ids: list[str], add: list[str], remove: list[str]) -> Changes:
        changes = Changes()
        if add:
            changes |= self._library.tag_issues(ids, add)
        if remove:
            changes |= self._library.untag_issues(ids, remove)
        return changes

    def _run_tags_dialog(self, what: str, current: list[str],
                         apply: Callable[[list[str], list[str]], Changes]) -> None:
        known = [t.name for t in self._library.tags()]
        dialog = TagsDialog(what, current, known, self._window)
        while dialog.exec() == TagsDialog.DialogCode.Accepted:
            try:
                changes = apply(dialog.to_add(), dialog.to_remove())
            except ReaderError as exc:
                QMessageBox.warning(self._window, "Tags", str(exc))
                continue
            self._state.publish(changes)
            return

    def archive_selected(self) -> None:
        """Archive the selected issues (or bring them back when all of them are archived)."""
        ids = self.selected_ids()
        if not ids:
            return
        back = all(issue_id in self._archived for issue_id in ids)
        changes = self._library.set_archived(ids, not back)
        count = len(changes.issues)
        noun = "issue" if count == 1 else "issues"
        self.message.emit(f"{'Brought back' if back else 'Archived'} {count} {noun}")
        self._state.publish(changes)

    def fill_highlight_menu(self, menu: QMenu, highlight: object) -> None:
        """Add "Tags…" to a highlight's context menu (highlights panel, notebook)."""
        if isinstance(highlight, Highlight):
            menu.addAction("Tags…", lambda: self.tag_highlight(highlight))

    def fill_pane_menu(self, menu: QMenu, _position: int) -> None:
        """Add "Tags of This Issue…" to the reading pane's context menu."""
        if self._parts.target() is not None:
            target = self._parts.target()
            menu.addAction("Tags of This Issue…", lambda: self._tag_one(target))

    def _tag_one(self, issue_id: str | None) -> None:
        if issue_id is None:
            return
        current = self._library.issue_tags(issue_id)
        self._run_tags_dialog("this issue", current, lambda add, remove: self._tag_issues([issue_id], add, remove))

    # -- the sidebar's context menu ------------------------------------------------------------------
    def _fill_entry_menu(self, menu: QMenu, entry: Entry) -> None:
        if entry.kind == "publication":
            menu.addAction("Rename Publication…", lambda: self._rename_publication(entry.name))
            menu.addAction("Merge Into…", lambda: self._merge_publication(entry.name))
        elif entry.kind == "smart":
            menu.addAction("New Smart List…", lambda: self._edit_list(SmartList("", "", "date"), None))
            if entry.name:
                smart = next((s for s in self._library.smart_lists() if s.name == entry.name), None)
                if smart is not None:
                    menu.addAction("Edit Smart List…", lambda: self._edit_list(smart, smart.name))
                    menu.addAction("Move Up", lambda: self._move_list(smart, -1))
                    menu.addAction("Move Down", lambda: self._move_list(smart, +1))
                    menu.addAction("Delete Smart List", lambda: self._delete_list(smart.name))

    def _rename_publication(self, name: str) -> None:
        new, ok = QInputDialog.getText(self._window, "Rename Publication", f"New name for “{name}”:", text=name)
        if not ok or not new.strip() or new.strip() == name:
            return
        self._run(lambda: self._library.rename_publication(name, new.strip()), Entry("publication", new.strip()))

    def _merge_publication(self, name: str) -> None:
        others = [p for p in self._library.publications() if p != name]
        if not others:
            self.message.emit("There is no other publication to merge into.")
            return
        into, ok = QInputDialog.getItem(self._window, "Merge Publications",
                                        f"Give every issue of “{name}” the publication:", others, 0, False)
        if ok and into:
            self._run(lambda: self._library.merge_publications([name], into), Entry("publication", into))

    def _run(self, mutate: Callable[[], Changes], then: Entry | None = None) -> None:
        try:
            changes = mutate()
        except ReaderError as exc:
            self.message.emit(str(exc))
            return
        self._state.publish(changes)
        self._after_lists_changed(then)

    def _move_list(self, smart: SmartList, delta: int) -> None:
        names = [s.name for s in self._library.smart_lists()]
        self._library.move_smart_list(smart.name, max(0, names.index(smart.name) + delta))
        self._after_lists_changed(Entry("smart", smart.name))

    def _delete_list(self, name: str) -> None:
        self._library.delete_smart_list(name)
        self.message.emit(f"Smart list “{name}” deleted (its issues stay)")
        self._after_lists_changed(Entry("all"))

    def _remember_sort(self, sort: str) -> None:
        self._list_sort = sort


class ShelfParts:
    """The window's parts the shelf controller works with."""

    def __init__(self, sidebar: LibrarySidebar, header: SeriesHeader, proxy: IssueFilterProxy,
                 list_panel: IssueListPanel, search: SearchPanel, target: Callable[[], str | None]) -> None:
        self.sidebar, self.header, self.proxy = sidebar, header, proxy
        self.list_panel, self.search, self.target = list_panel, search, target
