"""The Notebook panel (a dock): all highlights and notes, filters, export and annotation import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.core import AnnotationImportReport, Library
from reader.core.types import Changes, ColorLabel, Highlight
from reader.gui.annotations.colours import swatch_icon
from reader.gui.annotations.highlight_model import HIGHLIGHT_ROLE
from reader.gui.annotations.notebook_model import DETAIL_ROLE, ISSUE_ID_ROLE, NotebookModel, load_notebook
from reader.gui.background.tasks import TaskRunner
from reader.gui.misc.dialogs import annotation_report_text
from reader.gui.utils.change_signal import AppState
from reader.gui.utils.combos import ALL_PUBLICATIONS, refill_choices
from reader.gui.utils.lazy_panel import LazyPanel

ALL_COLOURS = "All colours"


class AnnotationTransfer(QObject):
    """Export highlights and notes (Markdown folder, JSON file) and import a JSON export, in the background.

    Args:
        library: the open Library.
        runner: the TaskRunner the work goes through.
        state: where an import's Changes are published.
        parent: the widget file dialogs and the import report belong to.

    Signals:
        message(str): the outcome, for the status bar.
    """

    message = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner, state: AppState, parent: QWidget) -> None:
        super().__init__(parent)
        self._library, self._runner, self._state, self._parent = library, runner, state, parent

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Run ExportMarkdown, ExportJson and ImportAnnotations."""
        actions["ExportMarkdown"].triggered.connect(self.export_markdown)
        actions["ExportJson"].triggered.connect(self.export_json)
        actions["ImportAnnotations"].triggered.connect(self.import_annotations)

    def export_markdown(self) -> None:
        """Ask for a folder and write one Markdown file per annotated issue into it."""
        folder = QFileDialog.getExistingDirectory(self._parent, "Export highlights as Markdown")
        if folder:
            self._runner.run(lambda: self._library.export_markdown(folder), self._markdown_done)

    def export_json(self) -> None:
        """Ask for a file and write every highlight and note into it as W3C annotation JSON."""
        path, _ = QFileDialog.getSaveFileName(
            self._parent, "Export highlights as JSON", "annotations.json", "JSON (*.json)"
        )
        if path:
            self._runner.run(lambda: (self._library.export_json(path), path), self._json_done)

    def import_annotations(self) -> None:
        """Ask for a JSON export and bring its highlights and notes into the library."""
        path, _ = QFileDialog.getOpenFileName(self._parent, "Import annotations", "", "JSON (*.json);;All files (*)")
        if path:
            self._runner.run(lambda: self._library.import_annotations(path), self._import_done)

    # -- internals -------------------------------------------------------------------------------
    def _markdown_done(self, files: Sequence[Path] | None, error: BaseException | None) -> None:
        if error is not None or files is None:
            self.message.emit(f"The export failed: {error}")
            return
        where = f" to {files[0].parent}" if files else ""
        self.message.emit(f"Exported {len(files)} Markdown file{'s' * (len(files) != 1)}{where}.")

    def _json_done(self, outcome: tuple[int, str] | None, error: BaseException | None) -> None:
        if error is not None or outcome is None:
            self.message.emit(f"The export failed: {error}")
            return
        count, path = outcome
        self.message.emit(f"Exported {count} annotation{'s' * (count != 1)} to {path}.")

    def _import_done(self, report: AnnotationImportReport | None, error: BaseException | None) -> None:
        if error is not None or report is None:
            self.message.emit(f"The annotations could not be imported: {error}")
            QMessageBox.warning(self._parent, "Import annotations", str(error))
            return
        self._state.publish(report.changes)
        text = annotation_report_text(report)
        self.message.emit("Annotations imported: " + text.splitlines()[0])
        QMessageBox.information(self._parent, "Import annotations", text)


class NotebookPanel(LazyPanel):
    """Every highlight and note, grouped by issue, with colour / publication / text filters.

    It reloads (through the runner) when shown and when highlights change while it is visible.

    Signals:
        highlight_activated(str, str): a row was activated: the issue id and the highlight id
            ("" for an issue row or an issue note).
        menu_requested(QMenu, Highlight): a highlight row's context menu is about to open; fill
            ``menu`` (recolour, edit the note, delete: the same commands as in the highlights panel).
    """

    highlight_activated = Signal(str, str)
    menu_requested = Signal(object, object)

    def __init__(
        self, library: Library, runner: TaskRunner, transfer: AnnotationTransfer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("notebookPanel")
        self._library, self._runner = library, runner
        self._generation = 0
        self.model = NotebookModel(lambda: {c.key: c.hex for c in library.color_labels()}, self)
        self.colour = QComboBox()
        self.colour.setObjectName("notebookColour")
        self.publication = QComboBox()
        self.publication.setObjectName("notebookPublication")
        self.text = QLineEdit()
        self.text.setObjectName("notebookFilter")
        self.text.setPlaceholderText("Filter highlights and notes")
        self.text.setClearButtonEnabled(True)
        self.tree = self._make_tree()
        self.detail = QLabel()
        self.detail.setObjectName("notebookDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)  # the core's sanitised HTML of the note
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count = QLabel()
        self._layout(transfer)
        self.set_colours(library.color_labels())
        for combo in (self.colour, self.publication):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._apply_filter)
        self.text.textChanged.connect(self._apply_filter)

    def set_colours(self, colours: Sequence[ColorLabel]) -> None:
        """Offer these colours (with the current labels) in the colour filter."""
        current = self.colour.currentData() or ""
        self.colour.blockSignals(True)
        self.colour.clear()
        self.colour.addItem(ALL_COLOURS, "")
        for colour in colours:
            self.colour.addItem(swatch_icon(colour.hex), colour.label, colour.key)
        self.colour.setCurrentIndex(max(0, self.colour.findData(current)))
        self.colour.blockSignals(False)

    def reload(self) -> None:
        """Read every highlight and note again (on the worker); the tree fills when it is done."""
        self._generation += 1
        self.stale = False
        generation = self._generation
        self._runner.run(lambda: load_notebook(self._library), lambda r, e: self._loaded(generation, r, e))

    def apply_changes(self, changes: Changes) -> None:
        """Reload when highlights or notes changed (at once if visible, else when next shown)."""
        if changes.highlights or changes.issue_list or changes.index:
            self.mark_stale()

    # -- internals -------------------------------------------------------------------------------
    def _make_tree(self) -> QTreeView:
        tree = QTreeView()
        tree.setObjectName("notebookTree")
        tree.setModel(self.model)
        tree.setHeaderHidden(True)
        tree.setUniformRowHeights(True)  # thousands of rows: heights are never measured one by one
        tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        tree.setAnimated(False)
        tree.activated.connect(self._on_activated)
        tree.selectionModel().currentChanged.connect(self._on_current)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._context_menu)
        self.model.modelReset.connect(tree.expandAll)
        return tree

    def _layout(self, transfer: AnnotationTransfer) -> None:
        filters = QHBoxLayout()
        for widget in (self.colour, self.publication):
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        buttons = QHBoxLayout()
        for label, name, slot in (
            ("Export Markdown…", "notebookExportMarkdown", transfer.export_markdown),
            ("Export JSON…", "notebookExportJson", transfer.export_json),
            ("Import annotations…", "notebookImport", transfer.import_annotations),
        ):
            button = QPushButton(label)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)

    def _loaded(self, generation: int, issues: Any, error: BaseException | None) -> None:
        if generation != self._generation:
            return  # a newer reload is on its way
        if error is not None:
            self.count.setText(f"Could not read the notebook: {error}")
            return
        self.model.set_issues(issues or [])
        self._set_publications(self.model.publications())
        self._update_count()

    def _set_publications(self, names: Sequence[str]) -> None:
        refill_choices(self.publication, ALL_PUBLICATIONS, names)
        self._apply_filter()

    def _apply_filter(self) -> None:
        self.model.set_filter(
            colour=self.colour.currentData() or "",
            publication=self.publication.currentData() or "",
            text=self.text.text(),
        )
        self._update_count()

    def _update_count(self) -> None:
        count = self.model.highlight_count()
        self.count.setText(f"{count} highlight{'s' * (count != 1)}")

    def _on_current(self, index: QModelIndex) -> None:
        self.detail.setText(str(index.data(DETAIL_ROLE) or "") if index.isValid() else "")

    def _on_activated(self, index: QModelIndex) -> None:
        issue_id = index.data(ISSUE_ID_ROLE)
        highlight = index.data(HIGHLIGHT_ROLE)
        if issue_id:
            self.highlight_activated.emit(str(issue_id), highlight.id if highlight is not None else "")

    def menu_for(self, index: QModelIndex) -> QMenu | None:
        """The context menu of a highlight row (None for an issue row or an issue note)."""
        highlight = index.data(HIGHLIGHT_ROLE)
        if not isinstance(highlight, Highlight):
            return None
        menu = QMenu(self)
        menu.addAction("&Open in Issue", lambda: self._on_activated(index))
        menu.addSeparator()
        self.menu_requested.emit(menu, highlight)
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        menu = self.menu_for(index)
        if menu is not None:
            self.tree.setCurrentIndex(index)
            menu.exec(self.tree.viewport().mapToGlobal(pos))
