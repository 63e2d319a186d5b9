"""The notebook: every highlight and note of the library as a tree (issue rows, their notes below)."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from reader.core import Library, note_html, note_text
from reader.core.types import Highlight, IssueSummary
from reader.gui.annotations.highlight_model import DETACHED_LABEL, HIGHLIGHT_ROLE
from reader.gui.annotations.note_view import marked_note_html
from reader.gui.utils.formatting import format_date

Index = QModelIndex | QPersistentModelIndex
ISSUE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
"""Role giving the issue id of any row."""
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3
"""Role giving the row's whole text (quote and note, unelided) for the detail view."""
_ROW_CHARS = 180


@dataclass(frozen=True)
class NotebookIssue:
    """One annotated issue: its summary, its own note and its highlights in reading order."""

    summary: IssueSummary
    note: str
    highlights: tuple[Highlight, ...]


@dataclass(frozen=True)
class _Entry:
    """A child row: a highlight, or (highlight None) the issue's own note."""

    highlight: Highlight | None
    note: str


@dataclass(frozen=True)
class _Group:
    issue: NotebookIssue
    entries: tuple[_Entry, ...]


def load_notebook(library: Library) -> list[NotebookIssue]:
    """Every issue with highlights or an issue note, in the library's order (newest first).

    Runs on the worker thread.
    """
    by_issue: dict[str, list[Highlight]] = {}
    for highlight in library.highlights():
        by_issue.setdefault(highlight.issue_id, []).append(highlight)
    notes = library.issue_notes()
    return [
        NotebookIssue(summary, notes.get(summary.id, ""), tuple(by_issue.get(summary.id, ())))
        for summary in library.list_issues()
        if summary.id in by_issue or notes.get(summary.id, "").strip()
    ]


class NotebookModel(QAbstractItemModel):
    """Issue rows with their issue note and highlights as children, filtered by colour, publication, text.

    Args:
        colours: returns colour key -> display hex (from Library.color_labels).
    """

    def __init__(self, colours: Callable[[], Mapping[str, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._colours = colours
        self._hex: dict[str, str] = {}
        self._issues: list[NotebookIssue] = []
        self._groups: list[_Group] = []
        self._colour = self._publication = self._text = ""
        self._bold = QFont()
        self._bold.setBold(True)

    # -- Qt model API ----------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0 or parent.row() >= len(self._groups):
            return QModelIndex()
        if row >= len(self._groups[parent.row()].entries):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].entries)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._issue_data(self._groups[index.row()], role)
        group = self._groups[index.internalId() - 1]
        return self._entry_data(group, group.entries[index.row()], role)

    # -- our API ---------------------------------------------------------------------------------
    def set_issues(self, issues: Sequence[NotebookIssue]) -> None:
        """Show these annotated issues (from load_notebook), filtered as before."""
        self._issues = list(issues)
        self._hex = dict(self._colours())
        self._regroup()

    def set_filter(self, *, colour: str = "", publication: str = "", text: str = "") -> None:
        """Show only highlights of a colour key, issues of a publication, rows containing text ("" = all)."""
        self._colour, self._publication, self._text = colour, publication, text.strip().casefold()
        self._regroup()

    def highlight_count(self) -> int:
        """How many highlights the filtered tree shows."""
        return sum(1 for g in self._groups for e in g.entries if e.highlight is not None)

    def publications(self) -> list[str]:
        """The publications of the annotated issues, sorted."""
        return sorted({i.summary.publication for i in self._issues}, key=str.casefold)

    # -- internals -------------------------------------------------------------------------------
    def _regroup(self) -> None:
        self.beginResetModel()
        self._groups = [g for g in map(self._group, self._issues) if g is not None]
        self.endResetModel()

    def _group(self, issue: NotebookIssue) -> _Group | None:
        summary = issue.summary
        if self._publication and summary.publication != self._publication:
            return None
        whole = self._text in f"{summary.title}\n{summary.publication}".casefold()
        entries = []
        if issue.note.strip() and not self._colour and (whole or self._text in issue.note.casefold()):
            entries.append(_Entry(None, issue.note))
        for hl in issue.highlights:
            if self._colour and hl.color != self._colour:
                continue
            if whole or self._text in f"{hl.quote}\n{hl.note}".casefold():
                entries.append(_Entry(hl, hl.note))
        return _Group(issue, tuple(entries)) if entries else None

    def _issue_data(self, group: _Group, role: int) -> Any:
        summary = group.issue.summary
        if role == Qt.ItemDataRole.DisplayRole:
            count = sum(1 for e in group.entries if e.highlight is not None)
            when = format_date(summary.date)
            meta = " · ".join(p for p in (summary.publication, when, f"{count} highlight{'s' * (count != 1)}") if p)
            return f"{summary.title}  —  {meta}"
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role in (Qt.ItemDataRole.ToolTipRole, DETAIL_ROLE):
            return summary.title
        if role == ISSUE_ID_ROLE:
            return summary.id
        return None

    def _entry_data(self, group: _Group, entry: _Entry, role: int) -> Any:
        hl = entry.highlight
        if role == Qt.ItemDataRole.DisplayRole:
            return _one_line(entry)
        if role in (Qt.ItemDataRole.ToolTipRole, DETAIL_ROLE):
            return _detail(entry)
        if role == Qt.ItemDataRole.DecorationRole and hl is not None:
            return QColor(self._hex.get(hl.color, "#ffe066"))
        if role == HIGHLIGHT_ROLE:
            return hl
        if role == ISSUE_ID_ROLE:
            return group.issue.summary.id
        return None


def _one_line(entry: _Entry) -> str:
    if entry.highlight is None:
        text = "Issue note: " + note_text(entry.note)
    else:
        text = "“" + " ".join(entry.highlight.quote.split()) + "”"
        if entry.note:
            text += "  ✎ " + note_text(entry.note)
        if entry.highlight.detached:
            text += f"  ({DETACHED_LABEL})"
    return text if len(text) <= _ROW_CHARS else text[: _ROW_CHARS - 1] + "…"


def _detail(entry: _Entry) -> str:
    """The whole entry as rich text: the quote, then the note rendered from its Markdown."""
    if entry.highlight is None:
        return f"<qt><p><b>Issue note</b></p>{note_html(entry.note)}</qt>"
    parts = [f"<p>“{html.escape(entry.highlight.quote)}”</p>"]
    if entry.note:
        parts.append(marked_note_html(entry.note))
    if entry.highlight.detached:
        parts.append(f"<p><i>({html.escape(DETACHED_LABEL)})</i></p>")
    return "<qt>" + "".join(parts) + "</qt>"
