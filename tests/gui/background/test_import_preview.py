"""File ▸ Import Files… with "Newsletters only", and the dry run shown before a large import or a mailbox."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog

from reader.gui.background.imports import ImportFileDialog, needs_preview
from reader.gui.misc.import_preview import ImportPreviewDialog

if TYPE_CHECKING:
    from conftest import Driver

WAIT_MS = 60000
# A Google Takeout mailbox: 2 newsletters (List-Id / List-Unsubscribe) and 2 personal mails.
TAKEOUT = Path(__file__).parents[2] / "fixtures" / "archives" / "takeout.mbox"
SHOTS = os.environ.get("BACKISSUE_SHOTS")


def _choose(qtbot, driver: Driver, path: Path, newsletters_only: bool) -> list:
    def fill(dialog: ImportFileDialog) -> None:
        assert isinstance(dialog, ImportFileDialog)
        box = dialog.findChild(QCheckBox, "newslettersOnly")
        if newsletters_only:
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
        dialog.setDirectory(str(path.parent))
        for _ in range(50):  # the dialog lists the folder in the background before it selects
            dialog.selectFile(str(path))
            if dialog.selectedFiles() == [str(path)]:
                break
            qtbot.wait(100)
        dialog.done(QDialog.DialogCode.Accepted)  # as Open does (without waiting for the folder listing)

    return driver.answer_next_dialog(fill)


def _preview(qtbot, driver: Driver) -> ImportPreviewDialog:
    def shown() -> ImportPreviewDialog | None:
        dialog = driver.window.findChild(ImportPreviewDialog, "importPreviewDialog")
        return dialog if dialog is not None and dialog.isVisible() else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=WAIT_MS)
    dialog = shown()
    assert dialog is not None and dialog.windowModality() != Qt.WindowModality.NonModal  # it blocks the window
    return dialog


def test_a_mailbox_is_previewed_then_imported_with_newsletters_only(qtbot, driver: Driver, tmp_path: Path) -> None:
    window = driver.window
    before = len(window.library.list_issues())
    answered = _choose(qtbot, driver, TAKEOUT, newsletters_only=True)
    window.action("ImportFiles").trigger()
    assert answered

    preview = _preview(qtbot, driver)
    assert "4 new" in preview.totals.text() and "Nothing is stored" in preview.totals.text()
    assert "takeout.mbox" in preview.table.toPlainText()
    assert len(window.library.list_issues()) == before  # a dry run writes nothing
    if SHOTS:
        preview.grab().save(str(Path(SHOTS) / "import-preview.png"))
    qtbot.mouseClick(preview.import_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not driver.importer.running and not driver.jobs._children, timeout=WAIT_MS)
    driver.settle()
    added = {s.publication for s in window.library.list_issues()} - {"Superfast AI"}
    assert {"Import AI", "Shop Weekly"} <= added
    assert len(window.library.list_issues()) == before + 2  # the 2 personal mails were left out


def test_cancel_in_the_preview_imports_nothing(qtbot, driver: Driver) -> None:
    window = driver.window
    before = len(window.library.list_issues())
    driver.importer.import_after_preview([str(TAKEOUT)])  # as a drop or File ▸ Import Files… asks
    preview = _preview(qtbot, driver)
    preview.reject()
    qtbot.wait(200)
    assert not driver.importer.running
    assert len(window.library.list_issues()) == before


def test_only_large_imports_and_mailboxes_are_previewed(tmp_path: Path) -> None:
    few = tmp_path / "few"
    few.mkdir()
    for n in range(20):
        (few / f"{n}.md").write_text(f"# Issue {n}\n\ntext\n")
    assert not needs_preview([str(few)])
    (few / "one-more.md").write_text("# One more\n\ntext\n")
    assert needs_preview([str(few)])
    assert needs_preview([str(TAKEOUT)])
