"""Feed subscriptions in the window: subscribe, refresh with progress, and a list to manage them."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.core import Job, Library
from reader.core.types import FileResult, Subscription
from reader.gui.background.imports import REFRESH, SCHEDULED_REFRESH, ImportController
from reader.gui.background.tasks import TaskRunner
from reader.gui.utils.change_signal import AppState
from reader.gui.utils.formatting import format_date

URL_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role giving a subscription row's feed URL."""


class FeedController(QObject):
    """Runs the library's feed operations through the TaskRunner and tells the person what happened.

    Args:
        library: the open Library.
        runner: the TaskRunner (subscribe and unsubscribe run on its worker).
        importer: shows a refresh's progress and Cancel in the status bar, like an import.
        state: where the new issues are announced.
        window: parent of the dialogs.

    Signals:
        message(str): a short outcome for the status bar.
        subscribed(object): the FileResult of a subscription that worked.
        failed(str): a subscription failed; the reason in words (also shown in a message box).
    """

    message = Signal(str)
    subscribed = Signal(object)
    failed = Signal(str)

    def __init__(
        self, library: Library, runner: TaskRunner, importer: ImportController, state: AppState, window: QWidget
    ) -> None:
        super().__init__(window)
        self._library = library
        self._runner = runner
        self._importer = importer
        self._state = state
        self._window = window

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Run SubscribeFeed, RefreshFeeds and ManageSubscriptions."""
        actions["SubscribeFeed"].triggered.connect(self.ask_to_subscribe)
        actions["RefreshFeeds"].triggered.connect(self.refresh)
        actions["ManageSubscriptions"].triggered.connect(self.manage)

    def ask_to_subscribe(self) -> None:
        """Ask for a feed address and subscribe to it."""
        url, ok = QInputDialog.getText(
            self._window, "Subscribe to Feed",
            "Feed address (RSS or Atom), or a mail folder read-only (imaps://you@mail.example.org/Newsletters):",
            QLineEdit.EchoMode.Normal, "https://",
        )  # fmt: skip
        if ok and url.strip() not in ("", "https://"):
            self.subscribe(url.strip())

    def subscribe(self, url: str) -> None:
        """Subscribe in the background: fetch the feed once and import its entries."""
        self.message.emit(f"Subscribing to {url}…")
        if url.lower().startswith(("imap://", "imaps://")):
            self.subscribe_mail(url)
            return
        self._runner.run(lambda: self._library.subscribe(url), lambda r, e: self._subscribed(url, r, e))

    def subscribe_mail(self, url: str, password: str | None = None) -> None:
        """Subscribe to a mail folder in the background; ask for its password when none is kept."""
        account = self._library.mail_password_needed(url) if password is None else None
        if account is not None:
            password = self.ask_password(account)
            if password is None:
                self.message.emit("Subscription cancelled")
                return
        self._runner.run(
            lambda: self._library.subscribe_mail(url, password), lambda r, e: self._subscribed(url, r, e)
        )

    def ask_password(self, account: str) -> str | None:
        """The mail password, typed in a dialog that says where it will be kept; None when cancelled."""
        where = ("It is kept in the system keyring." if self._library.mail_password_kept()
                 else f"Not kept: {self._library.no_keyring_reason()}.")  # fmt: skip
        dialog = QInputDialog(self._window)
        dialog.setObjectName("mailPasswordDialog")
        dialog.setAccessibleName("Mail password")
        dialog.setWindowTitle("Mail Password")
        dialog.setLabelText(f"Password for {account}\n{where}")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        if dialog.exec() != QInputDialog.DialogCode.Accepted or not dialog.textValue():
            return None
        return dialog.textValue()

    def refresh(self) -> None:
        """Fetch every subscribed feed in the background, with progress and Cancel in the status bar."""
        if not self._library.subscriptions():
            self.message.emit("No feeds to refresh: File ▸ Subscribe to Feed… adds one.")
            return
        for folder in self._library.subscriptions():  # a mail folder whose password is not kept: ask now
            account = self._library.mail_password_needed(folder.url)
            password = None if account is None else self.ask_password(account)
            if account is not None and password is not None:
                self._library.adopt_session_passwords({account: password})
        self._importer.start(Job.refresh(self._library.session_passwords()), "Refreshing feeds…", REFRESH)

    def refresh_on_schedule(self) -> bool:
        """The scheduled refresh: as F5, but it asks for nothing (a mail folder whose password is
        not known fails, with the reason) and its failures stay in the status bar; False when
        there is nothing to refresh."""
        if not self._library.subscriptions():
            return False
        job = Job.refresh(self._library.session_passwords())
        return self._importer.start(job, "Refreshing subscriptions (scheduled)…", SCHEDULED_REFRESH)

    def manage(self) -> SubscriptionsDialog:
        """Open the list of subscriptions (not modal)."""
        dialog = SubscriptionsDialog(self._library, self._runner, self._window)
        dialog.open()
        return dialog

    def _subscribed(self, url: str, result: FileResult | None, error: BaseException | None) -> None:
        if error is not None or result is None:
            reason = str(error)
            self.message.emit(f"Could not subscribe to {url}")
            self.failed.emit(reason)
            box = QMessageBox(QMessageBox.Icon.Warning, "Subscribe to Feed", f"Could not subscribe to {url}.",
                              QMessageBox.StandardButton.Ok, self._window)  # fmt: skip
            box.setObjectName("feedErrorBox")
            box.setInformativeText(reason)
            box.open()
            return
        self._state.publish(result.changes)
        self.message.emit(f"Subscribed to {url}: {result.reason or result.status}.")
        self.subscribed.emit(result)


class SubscriptionsDialog(QDialog):
    """The subscribed feeds with their last check and error; Unsubscribe forgets the selected one."""

    HEADERS = ("Feed", "Address", "Last checked", "Last error")

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subscriptionsDialog")
        self.setWindowTitle("Subscriptions")
        self.resize(760, 340)
        self._library = library
        self._runner = runner
        self.model = QStandardItemModel(0, len(self.HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table = self._make_table()
        self.empty = QLabel("No subscriptions yet: File ▸ Subscribe to Feed… adds one.")
        self.unsubscribe_button = QPushButton("Unsubscribe")
        self.unsubscribe_button.setObjectName("unsubscribeButton")
        self.unsubscribe_button.clicked.connect(self.unsubscribe_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.unsubscribe_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.empty, self.table, buttons):
            layout.addWidget(widget)
        self.reload()

    def reload(self) -> None:
        """Show the subscriptions as the library has them now."""
        self.model.removeRows(0, self.model.rowCount())
        for feed in self._library.subscriptions():
            self.model.appendRow(_row(feed))
        self.empty.setVisible(self.model.rowCount() == 0)
        self.unsubscribe_button.setEnabled(self.model.rowCount() > 0)
        if self.model.rowCount():
            self.table.selectRow(0)

    def unsubscribe_selected(self) -> None:
        """Forget the selected feed (its issues stay in the library)."""
        index = self.table.currentIndex()
        if not index.isValid():
            return
        url = str(self.model.index(index.row(), 0).data(URL_ROLE))
        self._runner.run(lambda: self._library.unsubscribe(url), lambda _r, _e: self.reload())

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("subscriptionsTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        return table


def _row(feed: Subscription) -> list[QStandardItem]:
    when = feed.last_checked
    checked = f"{format_date(when[:10])} {when[11:16]}".strip() if when else "never"
    cells = [QStandardItem(text) for text in (feed.title or feed.url, feed.url, checked, feed.last_error or "—")]
    cells[0].setData(feed.url, URL_ROLE)
    cells[3].setToolTip(feed.last_error)
    return cells
