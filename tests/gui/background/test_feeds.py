"""Feeds in the window: subscribe (errors in words), refresh with progress and failures, manage."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from reader.gui.background.feeds import SubscriptionsDialog
from reader.gui.misc.dialogs import ImportFailuresDialog

if TYPE_CHECKING:
    from conftest import Driver


def _subscribe(qtbot, driver: Driver, url: str) -> None:
    feeds = driver.feeds
    with qtbot.waitSignals([feeds.subscribed], timeout=20000):
        feeds.subscribe(url)
    driver.settle()


def test_subscribing_imports_the_feed_and_lists_its_issues(qtbot, driver: Driver, server) -> None:
    window = driver.window
    before = driver.issue_model.rowCount()

    _subscribe(qtbot, driver, f"{server.base}/rss.xml")

    titles = [driver.issue_model.summary(r).title for r in range(driver.issue_model.rowCount())]
    assert driver.issue_model.rowCount() > before
    assert any("Pruning season" in t for t in titles)
    assert [s.url for s in window.library.subscriptions()] == [f"{server.base}/rss.xml"]
    assert "Subscribed to" in window.statusBar().currentMessage()


def test_a_bad_feed_address_is_said_in_words(qtbot, driver: Driver, server) -> None:
    feeds = driver.feeds
    for url, words in (("ftp://example.org/feed.xml", "http"), (f"{server.base}/missing.xml", "404")):
        with qtbot.waitSignal(feeds.failed, timeout=20000) as failed:
            feeds.subscribe(url)
        assert words in failed.args[0]
        box = driver.window.findChild(QMessageBox, "feedErrorBox")
        assert box is not None and box.isVisible()
        assert failed.args[0] == box.informativeText()
        assert "Traceback" not in box.informativeText()
        box.close()
        box.deleteLater()
    assert driver.window.library.subscriptions() == []


def test_f5_refreshes_in_the_background_and_lists_feeds_that_failed(qtbot, driver: Driver, server) -> None:
    window = driver.window
    _subscribe(qtbot, driver, f"{server.base}/rss.xml")
    _subscribe(qtbot, driver, f"{server.base}/moved")
    with sqlite3.connect(window.library.data_dir / "library.sqlite3") as db:  # the second feed went away
        db.execute("UPDATE feeds SET url = ? WHERE url = ?", (f"{server.base}/gone.xml", f"{server.base}/moved"))

    driver.press(Qt.Key.Key_F5)
    assert driver.importer.running
    assert driver.importer.cancel_button.isVisible()
    qtbot.waitUntil(lambda: window.findChild(ImportFailuresDialog) is not None, timeout=20000)

    dialog = window.findChild(ImportFailuresDialog)
    text = dialog.browser.toPlainText()
    assert f"{server.base}/gone.xml" in text and "404" in text
    assert f"{server.base}/rss.xml" not in text
    assert window.statusBar().currentMessage().startswith("Refresh finished")
    assert "1 failed" in window.statusBar().currentMessage()
    errors = {s.url: s.last_error for s in window.library.subscriptions()}
    assert errors[f"{server.base}/rss.xml"] == "" and "404" in errors[f"{server.base}/gone.xml"]
    dialog.close()


def test_refresh_with_no_feeds_says_how_to_add_one(driver: Driver) -> None:
    driver.window.action("RefreshFeeds").trigger()
    assert not driver.importer.running
    assert "Subscribe to Feed" in driver.window.statusBar().currentMessage()


def test_manage_lists_feeds_with_their_last_check_and_unsubscribes(qtbot, driver: Driver, server) -> None:
    window = driver.window
    _subscribe(qtbot, driver, f"{server.base}/rss.xml")
    window.action("ManageSubscriptions").trigger()
    dialog = window.findChild(SubscriptionsDialog, "subscriptionsDialog")
    assert dialog is not None and dialog.isVisible()
    cells = [dialog.model.index(0, c).data() for c in range(4)]
    assert cells[0] == "Orchard Notes"
    assert cells[1] == f"{server.base}/rss.xml"
    assert cells[2] != "never"
    issues = window.library.list_issues()

    dialog.unsubscribe_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)

    assert window.library.subscriptions() == []
    assert window.library.list_issues() == issues  # its issues stay
    assert dialog.empty.isVisible()
    dialog.close()


def test_subscribing_to_a_mail_folder_asks_for_the_password_and_says_why(
    qtbot, driver: Driver, dovecot, monkeypatch
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QInputDialog

    from reader.core import _mail_password
    from tests.imap_server import PASSWORD, newsletter

    _mail_password._session.clear()
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cert))
    dovecot.add_many([newsletter(1), newsletter(2)])
    seen: list[str] = []

    def type_the_password() -> None:
        dialog = driver.window.findChild(QInputDialog, "mailPasswordDialog")
        assert dialog is not None
        seen.append(dialog.labelText())
        dialog.setTextValue(PASSWORD)
        dialog.accept()

    QTimer.singleShot(200, type_the_password)
    with qtbot.waitSignal(driver.feeds.subscribed, timeout=30000):
        driver.feeds.subscribe(dovecot.url())
    driver.settle()
    assert "Password for reader@127.0.0.1" in seen[0] and "no system keyring" in seen[0]
    titles = [driver.issue_model.summary(r).title for r in range(driver.issue_model.rowCount())]
    assert "Orchard Notes #2: Season 2" in titles
    _mail_password._session.clear()
