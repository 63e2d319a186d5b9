"""Imports: where paths come from (file dialogs, drops) and the background run with status-bar progress and Cancel."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QWidget,
)

from reader.core import Job
from reader.core.types import ImportOptions, ImportProgress, ImportReport
from reader.gui.background.job_runner import JobRunner, RunningJob
from reader.gui.misc.import_preview import ImportPreviewDialog
from reader.gui.utils.settings import KEEP_IMAGES


@dataclass(frozen=True)
class Activity:
    """How the status bar words a long task: "Importing 3 of 9", "Import finished: …"."""

    verb: str
    noun: str
    item: str
    quiet: bool = False
    """Failures are said in the status bar only (a scheduled refresh never opens a dialog)."""

    @property
    def title(self) -> str:
        """"the import", "the refresh"."""
        return f"the {self.noun}"

    @property
    def ongoing(self) -> str:
        """"An import", "A refresh"."""
        return f"{'An' if self.noun[0] in 'aeiou' else 'A'} {self.noun}"


IMPORT = Activity("Importing", "import", "file")
REFRESH = Activity("Refreshing", "refresh", "feed")
SCHEDULED_REFRESH = Activity("Refreshing", "scheduled refresh", "feed", quiet=True)

PROGRESS_MS = 120
"""How often the status bar shows the import's latest progress (the worker reports every file)."""
LIST_REFRESH_S = 1.0
"""During an import the issue list is refreshed at most this often (and once at the end)."""


PREVIEW_OVER_FILES = 20
"""An import of more files than this (or of any mailbox) is previewed first (a dry run, then Import or Cancel)."""
MAILBOX_SUFFIXES = (".mbox", ".mbx")
_WALK_LIMIT = 5000


@dataclass(frozen=True)
class Chosen:
    """What the import dialog returns: the paths ([] when cancelled), the mail filter (None: keep
    every message) and whether to fetch the issues' images once and keep them offline."""

    paths: list[str]
    options: ImportOptions | None = None
    keep_images: bool = False


class ImportFileDialog(QFileDialog):
    """The (Qt) file dialog for File ▸ Import Files… / Import Folder…, with a "Newsletters only" box
    for mail and a "Keep images" box (its last state is the default)."""

    def __init__(self, parent: QWidget | None, folder: bool, keep_images: bool = False) -> None:
        super().__init__(parent, "Import folder" if folder else "Import files")
        self.setObjectName("importFileDialog")
        self.setOption(QFileDialog.Option.DontUseNativeDialog)  # the native one cannot carry the box
        if folder:
            self.setFileMode(QFileDialog.FileMode.Directory)
            self.setOption(QFileDialog.Option.ShowDirsOnly)
        else:
            self.setFileMode(QFileDialog.FileMode.ExistingFiles)
        self.newsletters_only = QCheckBox("Mail: import newsletters only (leave out personal mail)")
        self.newsletters_only.setObjectName("newslettersOnly")
        self.newsletters_only.setAccessibleName("Newsletters only")
        self.newsletters_only.setAccessibleDescription(
            "For mail files and mailboxes: keep only messages a list or newsletter sent"
        )
        self.keep_images = QCheckBox("Keep images: fetch the issues' pictures once now and keep them offline")
        self.keep_images.setObjectName("keepImages")
        self.keep_images.setAccessibleName("Keep images")
        self.keep_images.setAccessibleDescription(
            "Download each issue's images once during the import (trackers never) so they show offline;"
            " without it they show as placeholders you can fetch one by one"
        )
        self.keep_images.setChecked(keep_images)
        layout = self.layout()
        if isinstance(layout, QGridLayout):
            layout.addWidget(self.newsletters_only, layout.rowCount(), 0, 1, -1)
            layout.addWidget(self.keep_images, layout.rowCount(), 0, 1, -1)

    def chosen(self) -> Chosen:
        """The selected paths and options (after exec)."""
        options = ImportOptions(newsletters_only=True) if self.newsletters_only.isChecked() else None
        return Chosen(self.selectedFiles(), options, self.keep_images.isChecked())


def ask_for_files(parent: QWidget, keep_images: bool = False) -> Chosen:
    """Ask for files to import (newsletters only? keep images?); no paths when cancelled."""
    return _ask(parent, folder=False, keep_images=keep_images)


def ask_for_folder(parent: QWidget, keep_images: bool = False) -> Chosen:
    """Ask for a folder to import (newsletters only? keep images?); no paths when cancelled."""
    return _ask(parent, folder=True, keep_images=keep_images)


def _ask(parent: QWidget, folder: bool, keep_images: bool) -> Chosen:
    dialog = ImportFileDialog(parent, folder, keep_images)
    try:
        if dialog.exec() == QFileDialog.DialogCode.Accepted:
            return dialog.chosen()
        return Chosen([], None, dialog.keep_images.isChecked())
    finally:
        dialog.deleteLater()


def needs_preview(paths: Sequence[str]) -> bool:
    """True for an import worth a dry run first: more than PREVIEW_OVER_FILES files, or any mailbox."""
    for count, name in enumerate(_files_under(paths), start=1):
        if count > PREVIEW_OVER_FILES or name.lower().endswith(MAILBOX_SUFFIXES) or _starts_like_mbox(name):
            return True
    return False


def _files_under(paths: Sequence[str]) -> Iterator[str]:
    """The files named or found under the folders (the first _WALK_LIMIT; hidden ones left out)."""
    seen = 0
    for path in map(Path, paths):
        found = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
        for file in found:
            if any(part.startswith(".") for part in file.parts[len(path.parts):]):
                continue
            seen += 1
            if seen > _WALK_LIMIT:
                return
            yield str(file)


def _starts_like_mbox(name: str) -> bool:
    try:
        with open(name, "rb") as file:
            return file.read(5) == b"From "
    except OSError:
        return False


def progress_text(progress: ImportProgress, activity: Activity) -> str:
    """The status bar's words for one progress step: "Importing 3 of 9  name.md".

    ``done`` counts the files finished, so the file being read is ``done + 1``; the last step
    (``done == total``, nothing left to read) says "13 of 13", never "14 of 13".
    """
    if progress.stage == "wait":
        return "Waiting for another import on this library to finish…"
    if progress.stage == "index":
        return f"Indexing for search: {progress.done} of {progress.total} issues"
    if progress.stage == "images":
        return f"Fetching images to keep offline: {min(progress.done + 1, progress.total)} of {progress.total} issues"
    step = min(progress.done + 1, progress.total)
    name = Path(progress.path).name if progress.path and progress.done < progress.total else ""
    return f"{activity.verb} {step} of {progress.total}  {name}".rstrip()


def dropped_paths(mime: QMimeData) -> list[str]:
    """The local files and folders a drag carries ([] when it carries none: web links are not imported)."""
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class ImportController(QObject):
    """Runs one import at a time (in a child process, see JobRunner) and shows its progress in the status bar.

    An import asked for while another runs waits in a queue and starts when that one ends (the
    status bar says how many are queued); none is dropped. Cancel stops the one running.

    Signals:
        changed(Changes): issues arrived: what the job may change, during it (at most every
            LIST_REFRESH_S), then what its report says it changed (or what it may have, when it failed).
        finished(object): the ImportReport, or None when the import raised.
        failed_files(object, str): the report's failed FileResults, when there are any, and what
            they are ("file" for an import, "feed" for a refresh).
        error(str): the import could not run at all.
    """

    changed = Signal(object)
    finished = Signal(object)
    failed_files = Signal(object, str)
    error = Signal(str)

    def __init__(
        self, jobs: JobRunner, status_bar: QStatusBar, parent: QObject | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._settings = settings
        self._status_bar = status_bar
        self._cancelled = False
        self._running = False
        self._last_done = 0
        self._job: RunningJob | None = None
        self._shown: object = None
        self._last_refresh = 0.0
        self._activity = IMPORT
        self._kind: Job[ImportReport] | None = None
        self._dialog_parent: QWidget | None = None
        self._label_text = ""
        self._queue: deque[tuple[Job[ImportReport], str, Activity]] = deque()
        self._ticker = QTimer(self)
        self._ticker.setInterval(PROGRESS_MS)
        self._ticker.timeout.connect(self._show_latest)
        self.label = QLabel()
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.label, self.progress, self.cancel_button):
            status_bar.addPermanentWidget(widget)
        self._show(False)

    @property
    def running(self) -> bool:
        """True while an import runs (or waits in the queue behind the one running)."""
        return self._running

    @property
    def queued(self) -> int:
        """How many imports wait for the running one to end."""
        return len(self._queue)

    @property
    def keep_images(self) -> bool:
        """Whether the window's imports fetch the issues' images once and keep them offline: the
        import dialog's "Keep images" box, remembered in the settings (off until it is ticked)."""
        if self._settings is None:
            return False
        return str(self._settings.value(KEEP_IMAGES, "false")).lower() == "true"

    @keep_images.setter
    def keep_images(self, keep: bool) -> None:
        if self._settings is not None:
            self._settings.setValue(KEEP_IMAGES, "true" if keep else "false")

    def import_paths(
        self, paths: Sequence[Path | str], options: ImportOptions | None = None, keep_images: bool | None = None
    ) -> None:
        """Import files and folders (Library.import_paths, in a child process), keeping the mail ``options``
        keep; ``keep_images`` (default: the remembered choice) fetches their images once to keep offline."""
        items = [str(p) for p in paths]
        keep = self.keep_images if keep_images is None else keep_images
        label = f"Importing {len(items)} item{'' if len(items) == 1 else 's'}…"
        self.start(Job.import_paths(items, options, keep_images=keep), label)

    def import_after_preview(
        self, paths: Sequence[str], options: ImportOptions | None = None, keep_images: bool | None = None
    ) -> None:
        """Import, first showing a dry run (in the background) when the import is large or has a mailbox."""
        if not needs_preview(paths):
            self.import_paths(paths, options, keep_images)
            return
        self._status_bar.showMessage("Checking what the import would do…")
        items = list(paths)
        self._jobs.start(Job.preview_import(items), lambda r, e: self._previewed(items, options, keep_images, r, e))

    def start(self, job: Job[ImportReport], label: str, activity: Activity | None = None) -> bool:
        """Start ``job``, or queue it behind the import running now; True when started at once.

        The same job already running or queued is not queued twice (F5 pressed twice).

        Args:
            job: a job that reports an ImportReport (``Job.import_paths``, ``Job.import_samples``,
                ``Job.refresh``).
            label: what the status bar says until the first progress arrives.
            activity: how the progress and the outcome are worded (default: an import of files).
        """
        if self._running:
            if job != self._kind and all(job != waiting for waiting, _l, _a in self._queue):
                self._queue.append((job, label, activity or IMPORT))
            count = len(self._queue)
            self._status_bar.showMessage(
                f"{(activity or IMPORT).ongoing} is queued: it starts when {self._activity.title} ends"
                f" ({count} queued).", 6000
            )
            self._refresh_label()
            return False
        self._activity = activity or IMPORT
        self._kind = job
        self._running, self._cancelled, self._last_done = True, False, 0
        self._shown = None
        self._last_refresh = time.monotonic()
        self._set_label(label)
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self._show(True)
        self._ticker.start()
        self._job = self._jobs.start(job, self._on_done)
        return True

    def bind_actions(self, actions: Mapping[str, QAction], dialog_parent: QWidget) -> None:
        """Run ImportFiles and ImportFolder (asking over ``dialog_parent``) and CancelTask."""
        self._dialog_parent = dialog_parent
        for key, ask in (("ImportFiles", ask_for_files), ("ImportFolder", ask_for_folder)):
            actions[key].triggered.connect(
                lambda _c=False, ask=ask: self._import_chosen(ask(dialog_parent, self.keep_images))
            )
        actions["CancelTask"].triggered.connect(self.cancel)

    def _import_chosen(self, chosen: Chosen) -> None:
        self.keep_images = chosen.keep_images  # remembered, even when the dialog was cancelled
        if chosen.paths:
            self.import_after_preview(chosen.paths, chosen.options, chosen.keep_images)

    def _previewed(
        self,
        paths: list[str],
        options: ImportOptions | None,
        keep_images: bool | None,
        report: ImportReport | None,
        error: BaseException | None,
    ) -> None:
        self._status_bar.clearMessage()
        if error is not None or report is None:
            self.error.emit(f"Could not preview the import ({error}); nothing was imported.")
            return
        dialog = ImportPreviewDialog(report, self._dialog_parent, filtered=options is not None)
        dialog.accepted.connect(lambda: self.import_paths(paths, options, keep_images))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def cancel(self) -> None:
        """Stop after the file being read now."""
        if self._running and self._job is not None:
            self._cancelled = True
            self._job.cancel()
            self._set_label("Cancelling…")

    # -- internals -------------------------------------------------------------------------------
    def _show_latest(self) -> None:
        progress = self._job.progress if self._job is not None else None
        if not self._running or progress is None or progress is self._shown:
            return
        self._shown = progress
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        self.cancel_button.setEnabled(progress.stage != "index")  # what was read is always indexed
        if progress.stage != "read" or not self._cancelled:
            self._set_label(progress_text(progress, self._activity))
        now = time.monotonic()
        if progress.done > self._last_done and now - self._last_refresh >= LIST_REFRESH_S and self._kind:
            self._last_done, self._last_refresh = progress.done, now
            self.changed.emit(self._kind.may_change)

    def _on_done(self, report: ImportReport | None, error: BaseException | None) -> None:
        self._running, self._job = False, None
        self._ticker.stop()
        self._show(False)
        if report is not None:
            self.changed.emit(report.changes)
        elif self._kind is not None:
            self.changed.emit(self._kind.may_change)  # what it stored before it stopped
        activity = self._activity
        self._kind = None
        if error is not None or report is None:
            self.error.emit(f"The {activity.noun} stopped: {error}")
            self.finished.emit(None)
        else:
            self._status_bar.showMessage(_describe(report, activity), 8000)
            self.finished.emit(report)
            if report.failed and not activity.quiet:
                self.failed_files.emit(report.failed, activity.item)
        if self._queue and not self._running:
            self.start(*self._queue.popleft())

    def drop_queue(self) -> None:
        """Forget the imports waiting in the queue (the window is closing)."""
        self._queue.clear()

    def _set_label(self, text: str) -> None:
        self._label_text = text
        self._refresh_label()

    def _refresh_label(self) -> None:
        queued = f"  ·  {len(self._queue)} more queued" if self._queue else ""
        self.label.setText(self._label_text + queued)

    def _show(self, visible: bool) -> None:
        for widget in (self.label, self.progress, self.cancel_button):
            widget.setVisible(visible)


def _describe(report: ImportReport, activity: Activity) -> str:
    parts = [f"{report.imported} new", f"{report.updated} updated", f"{report.unchanged} unchanged"]
    if report.failed:
        parts.append(f"{len(report.failed)} failed")
    skipped = sum(f.status == "skipped" for f in report.files)
    if skipped:
        parts.append(f"{skipped} skipped (not newsletters)")
    noun = activity.noun.capitalize()
    prefix = f"{noun} cancelled" if report.cancelled else f"{noun} finished"
    return f"{prefix}: " + ", ".join(parts) + "." + _describe_images(report)


def _describe_images(report: ImportReport) -> str:
    """" 3 images kept offline (1 left as a placeholder)." after an import with Keep images."""
    kept = report.images
    if kept is None:
        return ""
    count = kept.stored + kept.reused
    text = f" {count} image{'' if count == 1 else 's'} kept offline"
    if kept.refused:
        left = len(kept.refused)
        text += f" ({left} left as placeholder{'' if left == 1 else 's'}: Fetch on one tries again)"
    return text + "."
