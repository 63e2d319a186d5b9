"""Issue ▸ Edit Details… (Ctrl+E): correct an issue's title, publication, number, date and author."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from reader.core import Library
from reader.core.errors import ReaderError
from reader.core.types import Issue
from reader.gui.utils.change_signal import AppState

FIELDS = (
    ("title", "&Title", "The issue's title"),
    ("publication", "&Publication", "The newsletter it belongs to"),
    ("number", "&Number", "The issue number; empty for none"),
    ("date", "&Date", "The publication date as YYYY-MM-DD; empty for none"),
    ("author", "&Author", "Who wrote it; empty for none"),
)


class IssueDetailsDialog(QDialog):
    """A form of the issue's details; Save calls ``Library.edit_issue`` and stays open on a refused value.

    Attributes:
        fields: the line edits by field name ("title", "publication", "number", "date", "author").
        problem: the label that says why a value was refused.
    """

    def __init__(self, library: Library, state: AppState, issue: Issue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("issueDetailsDialog")
        self.setWindowTitle("Edit Details")
        self.setAccessibleName("Edit issue details")
        self._library, self._state, self._issue = library, state, issue
        layout = QVBoxLayout(self)
        intro = QLabel("Corrections are kept when the issue's file is imported again.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        values = {
            "title": issue.title, "publication": issue.publication,
            "number": "" if issue.number is None else str(issue.number),
            "date": issue.date or "", "author": issue.author or "",
        }  # fmt: skip
        self.fields: dict[str, QLineEdit] = {}
        for name, label, description in FIELDS:
            edit = QLineEdit(values[name])
            edit.setObjectName(f"details{name.title()}")
            edit.setAccessibleName(label.replace("&", ""))
            edit.setAccessibleDescription(description)
            edit.setToolTip(description)
            self.fields[name] = edit
            form.addRow(label, edit)
        self.fields["date"].setPlaceholderText("YYYY-MM-DD")
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("detailsProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def _save(self) -> None:
        text = {name: edit.text().strip() for name, edit in self.fields.items()}
        try:
            changes = self._library.edit_issue(
                self._issue.id, title=text["title"], publication=text["publication"], number=text["number"],
                date=text["date"], author=text["author"],
            )  # fmt: skip
        except ReaderError as exc:
            self.problem.setText(f"Not saved: {exc}.")
            self.problem.show()
            return
        self._state.publish(changes)
        self.accept()


class IssueDetails(QObject):
    """Opens the details form for the issue the commands act on, and shows the edit in the pane.

    Signals:
        message(str): there is no issue to edit, or it cannot be read.
    """

    message = Signal(str)

    def __init__(
        self,
        library: Library,
        state: AppState,
        target_id: Callable[[], str | None],
        shown_id: Callable[[], str | None],
        reopen: Callable[[str], object],
        dialog_parent: QWidget,
    ) -> None:
        super().__init__(dialog_parent)
        self._library, self._state, self._target_id = library, state, target_id
        self._shown_id, self._reopen, self._parent = shown_id, reopen, dialog_parent

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Run EditDetails."""
        actions["EditDetails"].triggered.connect(self.edit)

    def edit(self) -> bool:
        """Ask for the target issue's details; True when they were saved."""
        issue_id = self._target_id()
        if issue_id is None:
            self.message.emit("Choose an issue in the list to edit its details.")
            return False
        try:
            issue = self._library.get_issue(issue_id)
        except ReaderError as exc:
            self.message.emit(str(exc))
            return False
        dialog = IssueDetailsDialog(self._library, self._state, issue, self._parent)
        saved = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if saved and self._shown_id() == issue_id:
            self._reopen(issue_id)  # the pane's header shows the new details
        return saved
