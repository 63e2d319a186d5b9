"""Images kept offline, in the window: Fetch one placeholder's image on request, Remove Stored Images.

A fetch is the only network access reading makes, and only when the person clicks Fetch on a
placeholder: it runs on a thread of its own (a slow server never holds up the library's worker or
the window), then publishes what changed, and the open issue is rendered again with its image.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from reader.core import Library
from reader.core.types import KeptImages, StoredImages
from reader.gui.background.tasks import TaskRunner
from reader.gui.utils.change_signal import AppState


class StoredImagesController(QObject):
    """Fetches single images on request and removes every stored image (with a confirmation).

    Args:
        library: the open Library.
        runner: the TaskRunner (the removal, a write and an index catch-up, runs on its worker).
        state: where what changed is published (the open issue re-renders).
        window: parent of the confirmation.

    Signals:
        message(str): an outcome for the status bar.
    """

    message = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner, state: AppState, window: QWidget) -> None:
        super().__init__(window)
        self._library = library
        self._runner = runner
        self._state = state
        self._window = window
        self._fetching: set[tuple[str, str]] = set()
        self.fetches = TaskRunner(self, synchronous=runner.synchronous)
        """Its own thread: a download may take seconds and must not wait behind, or hold up, the worker."""
        self.fetches.setObjectName("imageFetches")

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Run RemoveImages."""
        actions["RemoveImages"].triggered.connect(self.ask_to_remove)

    def fetch(self, issue_id: str, url: str) -> None:
        """Fetch one image of an issue in the background (a second click while it runs does nothing)."""
        if (issue_id, url) in self._fetching:
            return
        self._fetching.add((issue_id, url))
        self.message.emit(f"Fetching the image from {urlsplit(url).hostname or url}…")
        self.fetches.run(
            lambda: self._library.fetch_image(issue_id, url), lambda r, e: self._fetched(issue_id, url, r, e)
        )

    def ask_to_remove(self) -> QMessageBox | None:
        """Say how much space removing the stored images frees and remove them if the person agrees."""
        stored = self._library.stored_images()
        if stored.count == 0:
            self.message.emit("No images are kept offline: there is nothing to remove.")
            return None
        count = f"{stored.count} image{'' if stored.count == 1 else 's'}"
        box = QMessageBox(
            QMessageBox.Icon.Question, "Remove Stored Images",
            f"Remove the {count} kept offline? This frees {stored.size_text}.",
            QMessageBox.StandardButton.Cancel, self._window,
        )  # fmt: skip
        box.setObjectName("removeImagesBox")
        box.setInformativeText(
            "The issues keep their text and highlights; their images show as placeholders again,"
            " and Fetch on a placeholder brings one back."
        )
        remove = box.addButton("Remove Images", QMessageBox.ButtonRole.DestructiveRole)
        remove.setObjectName("removeImagesButton")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._remove_if(box.clickedButton() is remove))
        box.finished.connect(box.deleteLater)
        box.open()
        return box

    # -- internals -------------------------------------------------------------------------------
    def _remove_if(self, confirmed: bool) -> None:
        if confirmed:
            self.message.emit("Removing the stored images…")
            self._runner.run(self._library.remove_stored_images, self._removed)

    def _removed(self, freed: StoredImages | None, error: BaseException | None) -> None:
        if error is not None or freed is None:
            self.message.emit(f"Could not remove the stored images: {error}")
            return
        self._state.publish(freed.changes)
        self.message.emit(f"Removed {freed.count} stored image{'' if freed.count == 1 else 's'}: "
                          f"{freed.size_text} freed.")  # fmt: skip

    def _fetched(self, issue_id: str, url: str, kept: KeptImages | None, error: BaseException | None) -> None:
        self._fetching.discard((issue_id, url))
        if error is not None or kept is None:
            self.message.emit(f"Could not fetch the image: {error}")
            return
        if kept.refused:
            reason = kept.refused[0].removeprefix(f"{url}: ")
            self.message.emit(f"Could not fetch the image: {reason}.")
            return
        self._state.publish(kept.changes)
        self.message.emit("The image was fetched and is kept offline.")
